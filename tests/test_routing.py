"""Which host reaches what: platform, sites, custom domains, and everything else."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from profiles.models import CustomDomain, Profile
from profiles.views import platform as platform_views
from profiles.views import site as site_views
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db


def get(host: str, path: str = "/", **extra: str):
    return Client(HTTP_HOST=host).get(path, **extra)


def test_the_platform_host_serves_the_landing_page(owner):
    response = get("localhost")
    assert response.status_code == 200
    assert b"Researchers on Multifolio" in response.content


def test_the_landing_page_links_each_published_site_to_its_subdomain(owner, second_researcher):
    make_researcher("pending-person", status=Profile.Status.PENDING)
    html = get("localhost").content.decode()
    assert 'href="http://ada.localhost:8000/"' in html
    assert 'href="http://grace.localhost:8000/"' in html
    assert "pending-person" not in html


def test_the_platform_answers_on_its_development_alias_so_curl_127_0_0_1_works(owner):
    assert get("127.0.0.1:8000").status_code == 200


def test_a_published_site_is_served_on_its_subdomain(owner):
    response = get("ada.localhost")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == owner
    assert b"Lovelace" in response.content


def test_ports_are_ignored_when_matching_hosts(owner):
    assert get("ada.localhost:8000").status_code == 200
    assert get("localhost:8000").status_code == 200
    assert get("ada.localhost:443").wsgi_request.tenant == owner


def test_host_matching_ignores_case_and_a_trailing_dot(owner):
    assert get("ADA.LocalHost").status_code == 200
    assert get("ada.localhost.").status_code == 200


def test_an_unknown_slug_gets_a_rendered_404_page(owner):
    response = get("nosuch.localhost")
    assert response.status_code == 404
    assert b"There is no site at this address" in response.content
    assert b"Traceback" not in response.content


@pytest.mark.parametrize(
    ("status", "code", "heading"),
    [
        (Profile.Status.PENDING, 404, b"This site is not published yet"),
        # Suspended: exists, but not shown (profiles.middleware says why 403).
        (Profile.Status.SUSPENDED, 403, b"This site is not available"),
    ],
)
def test_a_site_that_is_not_published_gets_a_page_that_says_why_politely(status, code, heading):
    make_researcher("hidden", status=status)
    response = get("hidden.localhost")
    assert response.status_code == code
    assert heading in response.content
    assert b"suspended" not in response.content  # neutral words, for everyone


@pytest.mark.parametrize("slug", ["www", "admin", "static", "api", "mail"])
def test_a_reserved_name_under_the_sites_domain_is_a_404(slug):
    assert get(f"{slug}.localhost").status_code == 404


def test_a_host_that_is_not_ours_gets_a_rendered_400_page(owner):
    response = get("evil.example")
    assert response.status_code == 400
    assert b"not served here" in response.content


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "localhost.evil.example",
        "ada.localhost.evil.example",
        "evil.example:8000",
        "a.b.localhost",
        "192.168.1.1",
        "[2001:db8::1]",
        "",
        "localhost@evil.example",
        "ada.localhost/evil",
        "ada.localhost:80:80",
        "ada..localhost",
        "-ada.localhost:abc",
        "exa mple.com",
        "ada.localhost\x00.evil",
        "%61da.localhost",
        "evil.example#ada.localhost",
    ],
)
def test_a_forged_or_malformed_host_never_reaches_a_view(host, owner, monkeypatch):
    reached = []
    monkeypatch.setattr(site_views, "about", lambda request: reached.append(request))
    monkeypatch.setattr(platform_views, "landing", lambda request: reached.append(request))
    response = Client().get("/", HTTP_HOST=host)
    assert response.status_code in (400, 404)
    assert reached == []
    assert b"Traceback" not in response.content


def test_a_forwarded_host_header_is_ignored_unless_configured(owner):
    response = Client().get("/", HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="ada.localhost")
    assert response.status_code == 400


def test_error_pages_link_to_the_configured_platform_not_to_the_request_host():
    html = get("nosuch.localhost").content.decode()
    assert 'href="http://localhost:8000/"' in html
    assert "nosuch" not in html


def test_a_verified_custom_domain_serves_the_same_site(owner):
    CustomDomain.objects.create(host="www.ada-lovelace.org", profile=owner, verified=True)
    response = get("www.ada-lovelace.org")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == owner


def test_an_unverified_custom_domain_is_not_served(owner):
    CustomDomain.objects.create(host="www.ada-lovelace.org", profile=owner, verified=False)
    assert get("www.ada-lovelace.org").status_code == 400


@pytest.mark.parametrize(
    ("status", "code"), [(Profile.Status.PENDING, 404), (Profile.Status.SUSPENDED, 403)]
)
def test_a_custom_domain_of_an_unpublished_site_is_not_served(status, code):
    hidden = make_researcher("hidden", status=status)
    CustomDomain.objects.create(host="hidden.example.net", profile=hidden, verified=True)
    assert get("hidden.example.net").status_code == code


def test_site_hosts_use_the_sites_urlconf_so_the_admin_is_not_there(owner):
    assert get("ada.localhost", "/admin/").status_code == 404
    assert get("localhost", "/admin/").status_code == 302  # to the admin login


@override_settings(
    PLATFORM_HOST="multifolio.org",
    SITES_DOMAIN="multifolio.site",
    PLATFORM_HOST_ALIASES=[],
)
def test_platform_and_sites_can_live_on_separate_domains(owner):
    assert get("multifolio.org").status_code == 200
    assert get("ada.multifolio.site").wsgi_request.tenant == owner
    assert get("ada.multifolio.org").status_code == 400
    assert get("localhost").status_code == 400
    assert get("127.0.0.1").status_code == 400
