"""Caddy's on-demand TLS ask (/tls/ask): certificates only for names we serve; fast, no cookies."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from profiles.accounts import change_slug
from profiles.models import CustomDomain, Profile
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db


def ask(domain: str | None, *, host: str = "localhost", client: Client | None = None):
    client = client or Client(HTTP_HOST=host)
    return client.get("/tls/ask", {} if domain is None else {"domain": domain})


@pytest.fixture
def domains(owner) -> None:
    CustomDomain.objects.create(profile=owner, host="www.ada-lovelace.org", verified=True)
    CustomDomain.objects.create(profile=owner, host="ada-lovelace.org")  # not verified


@pytest.mark.parametrize(
    "name",
    ["localhost", "ada.localhost", "ADA.localhost.", "www.ada-lovelace.org"],
)
def test_the_platform_a_published_site_and_its_verified_domain_get_a_yes(owner, domains, name):
    response = ask(name)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "name",
    ["nosuch.localhost", "ada-lovelace.org", "evil.example", "deep.ada.localhost", "192.0.2.1"],
)
def test_names_we_do_not_serve_get_a_no(owner, domains, name):
    assert ask(name).status_code == 404


@pytest.mark.parametrize(
    "value",
    [None, "", "bad_name.example", "a b.org", "https://ada.localhost/", "ada.localhost:443"],
)
def test_a_missing_or_malformed_name_is_a_bad_request(owner, value):
    assert ask(value).status_code == 400


def test_a_site_waiting_for_review_gets_no_certificate_yet():
    pending = make_researcher("newbie", status=Profile.Status.PENDING)
    CustomDomain.objects.create(profile=pending, host="newbie.example.org", verified=True)
    assert ask("newbie.localhost").status_code == 404
    assert ask("newbie.example.org").status_code == 404


def test_a_suspended_site_keeps_its_certificates_to_say_it_is_unavailable():
    # Its hosts answer a 403 page; over https, like every other page of ours.
    suspended = make_researcher("gone", status=Profile.Status.SUSPENDED)
    CustomDomain.objects.create(profile=suspended, host="gone.example.org", verified=True)
    assert ask("gone.localhost").status_code == 200
    assert ask("gone.example.org").status_code == 200


def test_a_renamed_sites_old_address_gets_a_yes_while_it_redirects(owner):
    change_slug(profile=owner, slug="countess")
    assert ask("countess.localhost").status_code == 200
    assert ask("ada.localhost").status_code == 200


def test_the_answer_follows_verification_at_once(owner):
    domain = CustomDomain.objects.create(profile=owner, host="ada.example.net")
    assert ask("ada.example.net").status_code == 404
    domain.verified = True
    domain.save()  # profiles.signals forget the cached "no site" once committed
    cache.clear()  # (the test's transaction never commits)
    assert ask("ada.example.net").status_code == 200


@pytest.mark.parametrize("name", ["ada.localhost", "www.ada-lovelace.org", "nosuch.example"])
def test_an_answer_costs_at_most_one_query_cold_and_none_warm(
    owner, domains, name, django_assert_max_num_queries, django_assert_num_queries
):
    # Cold: profiles.tenancy.resolve_site's one query (host -> profile).
    with django_assert_max_num_queries(1):
        first = ask(name)
    # Warm: the host's and the profile's cache entries answer.
    with django_assert_num_queries(0):
        assert ask(name).status_code == first.status_code


def test_the_ask_sets_no_cookie_even_for_a_signed_in_client(owner, owner_client):
    response = ask("ada.localhost", client=owner_client)
    assert response.status_code == 200
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_the_ask_lives_on_the_platform_host_only(owner):
    assert ask("ada.localhost", host="ada.localhost").status_code == 404
