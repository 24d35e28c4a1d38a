"""The dashboard's Addresses page: add a domain, the DNS records to create, verify, the
main address, remove; scoped to the owner. And moderators revoking a domain.

DNS itself is tests/test_domain_verification.py's: here "Verify now" gets a
made-up outcome, and verified domains are made directly, as verification leaves them.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.utils import timezone

from profiles.domains import services as domain_services
from profiles.domains.verification import CheckResult
from profiles.models import CustomDomain, ModerationAction, Profile
from tests.conftest import make_researcher, verified_login

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/domains/"


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def verified(profile: Profile, host: str) -> CustomDomain:
    return CustomDomain.objects.create(
        profile=profile, host=host, verified=True, verified_at=timezone.now()
    )


@pytest.fixture
def checks(monkeypatch) -> list[CustomDomain]:
    """ "Verify now" without DNS: succeeds for names starting with ok., fails otherwise."""
    asked: list[CustomDomain] = []

    def verify_now(domain: CustomDomain) -> CheckResult:
        asked.append(domain)
        if domain.host.startswith("ok."):
            domain.verified = True
            domain.save(update_fields=["verified"])
            return CheckResult(True, "verified", "Verified: it shows your site now.")
        return CheckResult(False, "no_record", "No TXT record _multifolio-challenge found.")

    monkeypatch.setattr(domain_services, "verify_now", verify_now)
    return asked


# ---------------------------------------------------------------- the page


def test_the_page_lists_the_slug_host_and_each_domain_with_its_status(owner, owner_client):
    verified(owner, "www.ada-lovelace.org")
    CustomDomain.objects.create(
        profile=owner,
        host="ada.example.net",
        last_checked_at=timezone.now(),
        last_check_message="The CNAME points elsewhere.",
    )
    html = owner_client.get(PAGE).content.decode()
    assert "ada.localhost" in html and "Main address" in html
    assert "www.ada-lovelace.org" in html and "Verified" in html
    assert "Waiting for DNS" in html and "The CNAME points elsewhere." in html
    assert 'href="/dashboard/domains/" aria-current="page"' in html  # in the navigation


def test_an_unverified_domain_shows_the_exact_dns_records_to_create(owner, owner_client):
    domain = CustomDomain.objects.create(profile=owner, host="www.ada-lovelace.org")
    html = owner_client.get(PAGE).content.decode()
    assert "_multifolio-challenge.www.ada-lovelace.org" in html
    assert f"<code>{domain.token}</code>" in html
    assert "CNAME" in html and "<code>ada.localhost</code>" in html
    assert "Verify now" in html


def test_the_page_costs_a_fixed_number_of_queries(owner, owner_client, django_assert_num_queries):
    for n in range(3):
        CustomDomain.objects.create(profile=owner, host=f"d{n}.example.org")
    # session, user, profile, the domains (their profile is the one loaded).
    with django_assert_num_queries(4):
        owner_client.get(PAGE)


def test_adding_a_domain_stores_it_unverified_and_says_what_to_do(owner, owner_client):
    response = owner_client.post(PAGE, {"domain": "WWW.Ada-Lovelace.org"}, follow=True)
    domain = CustomDomain.objects.get(profile=owner)
    assert domain.host == "www.ada-lovelace.org" and not domain.verified
    assert any("Create the DNS records" in text for text in texts(response))


def test_an_idn_is_added_as_punycode_and_shown_as_people_write_it(owner, owner_client):
    owner_client.post(PAGE, {"domain": "bücher.example"})
    assert CustomDomain.objects.get(profile=owner).host == "xn--bcher-kva.example"
    html = owner_client.get(PAGE).content.decode()
    assert "<strong>bücher.example</strong>" in html  # and its xn-- form beside it
    assert "DNS records for bücher.example" in html
    assert "_multifolio-challenge.xn--bcher-kva.example" in html  # DNS needs this form


@pytest.mark.parametrize(
    ("raw", "message"),
    [("192.0.2.1", "not an IP address"), ("ada.localhost", "belongs to the platform")],
)
def test_a_refused_domain_shows_the_reason_on_the_form(owner, owner_client, raw, message):
    response = owner_client.post(PAGE, {"domain": raw})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CustomDomain.objects.exists()


def test_a_pending_site_is_told_that_no_address_shows_it_before_publication(owner_client, owner):
    owner.status = Profile.Status.PENDING
    owner.save()
    html = owner_client.get(PAGE).content.decode()
    assert "none of your addresses shows your site until it is published" in html


# ---------------------------------------------------------------- verify now


def test_verify_now_shows_the_checks_message_as_an_error_or_a_success(owner, owner_client, checks):
    failing = CustomDomain.objects.create(profile=owner, host="ada.example.net")
    passing = CustomDomain.objects.create(profile=owner, host="ok.ada.example.net")
    response = owner_client.post(f"/dashboard/domains/{failing.pk}/verify/", follow=True)
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error" and "No TXT record" in str(message)
    response = owner_client.post(f"/dashboard/domains/{passing.pk}/verify/", follow=True)
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "success" and "make it your main address" in str(message)


def test_verify_now_is_only_a_post(owner, owner_client, checks):
    domain = CustomDomain.objects.create(profile=owner, host="ada.example.net")
    assert owner_client.get(f"/dashboard/domains/{domain.pk}/verify/").status_code == 405
    assert checks == []


def test_mashing_verify_now_does_not_hammer_dns(owner, owner_client, checks):
    domain = CustomDomain.objects.create(profile=owner, host="ada.example.net")
    for _ in range(10):
        response = owner_client.post(f"/dashboard/domains/{domain.pk}/verify/", follow=True)
    assert len(checks) == 6
    assert "try again in" in texts(response)[-1]


# ---------------------------------------------------------------- main address, removal


def test_a_verified_domain_can_be_made_the_main_address_and_back(owner, owner_client):
    domain = verified(owner, "www.ada-lovelace.org")
    response = owner_client.post(f"/dashboard/domains/{domain.pk}/primary/", follow=True)
    owner.refresh_from_db()
    assert owner.primary_domain == "www.ada-lovelace.org"
    assert "is now your site's main address" in texts(response)[0]
    owner_client.post("/dashboard/domains/primary/slug/")
    owner.refresh_from_db()
    assert owner.primary_domain == ""


def test_an_unverified_domain_cannot_be_made_the_main_address(owner, owner_client):
    domain = CustomDomain.objects.create(profile=owner, host="www.ada-lovelace.org")
    response = owner_client.post(f"/dashboard/domains/{domain.pk}/primary/", follow=True)
    owner.refresh_from_db()
    assert owner.primary_domain == ""
    assert "Only a verified domain" in texts(response)[0]


def test_removing_asks_first_then_removes_and_the_slug_host_is_main_again(owner, owner_client):
    domain = verified(owner, "www.ada-lovelace.org")
    owner_client.post(f"/dashboard/domains/{domain.pk}/primary/")
    confirm = owner_client.get(f"/dashboard/domains/{domain.pk}/remove/")
    assert confirm.status_code == 200
    assert "ada.localhost becomes your main address again" in confirm.content.decode()
    assert CustomDomain.objects.filter(pk=domain.pk).exists()
    owner_client.post(f"/dashboard/domains/{domain.pk}/remove/")
    owner.refresh_from_db()
    assert not CustomDomain.objects.filter(pk=domain.pk).exists()
    assert owner.primary_domain == ""


# ---------------------------------------------------------------- scoping


@pytest.mark.parametrize(
    ("method", "action"),
    [("post", "verify"), ("post", "primary"), ("get", "remove"), ("post", "remove")],
)
def test_another_researchers_domain_is_a_404_and_untouched(
    owner, second_researcher, method, action, checks
):
    domain = verified(owner, "www.ada-lovelace.org")
    grace = Client(HTTP_HOST="localhost")
    grace.force_login(second_researcher.owner)
    response = getattr(grace, method)(f"/dashboard/domains/{domain.pk}/{action}/")
    assert response.status_code == 404
    assert CustomDomain.objects.filter(pk=domain.pk, verified=True).exists()
    second_researcher.refresh_from_db()
    assert second_researcher.primary_domain == ""
    assert checks == []


def test_an_account_without_a_site_gets_a_404_and_a_visitor_the_login(outsider):
    client = Client(HTTP_HOST="localhost")
    assert client.get(PAGE).status_code == 302
    client.force_login(outsider)
    assert client.get(PAGE).status_code == 404


# ---------------------------------------------------------------- moderators


@pytest.fixture
def moderator_client(moderator) -> Client:
    client = Client(HTTP_HOST="localhost")
    verified_login(client, moderator)
    return client


def test_moderators_see_every_sites_domains_with_their_status(owner, moderator_client):
    verified(owner, "www.ada-lovelace.org")
    grace = make_researcher("grace")
    CustomDomain.objects.create(
        profile=grace, host="grace.example.org", last_check_message="No TXT"
    )
    response = moderator_client.get("/admin/profiles/customdomain/")
    html = response.content.decode()
    assert "www.ada-lovelace.org" in html and "grace.example.org" in html and "No TXT" in html
    page = moderator_client.get(f"/admin/profiles/profile/{owner.pk}/change/").content.decode()
    assert "www.ada-lovelace.org" in page


def test_revoking_a_domain_unverifies_it_clears_the_primary_audits_and_tells_the_owner(
    owner, moderator, moderator_client, django_capture_on_commit_callbacks
):
    domain = verified(owner, "www.ada-lovelace.org")
    owner.primary_domain = domain.host
    owner.save()
    token = domain.token
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            "/admin/profiles/customdomain/",
            {
                "action": "revoke",
                "_selected_action": [domain.pk],
                "confirmed": "1",
                "reason": "The domain impersonates a university.",
            },
            follow=True,
        )
    assert "1 domain(s) revoked" in response.content.decode()
    domain.refresh_from_db()
    owner.refresh_from_db()
    assert not domain.verified and domain.token != token
    assert owner.primary_domain == ""
    action = ModerationAction.objects.get(profile=owner)
    assert action.kind == ModerationAction.Kind.REVOKE_DOMAIN and action.actor == moderator
    assert action.reason == "The domain impersonates a university."
    [message] = mail.outbox
    assert message.to == [owner.owner.email]
    assert "www.ada-lovelace.org" in message.subject
    assert "impersonates a university" in message.body
    assert "ada.localhost" in message.body  # the main address again
    assert Client(HTTP_HOST="www.ada-lovelace.org").get("/").status_code == 400
    assert Client(HTTP_HOST="ada.localhost").get("/").status_code == 200


def test_a_revoked_domain_stays_revoked_whatever_the_owner_does(owner, owner_client, monkeypatch):
    from profiles.moderation.services import revoke_domain

    domain = verified(owner, "www.ada-lovelace.org")
    revoke_domain(domain=domain, actor=None, reason="Impersonation.")
    domain.refresh_from_db()
    # No DNS is asked, whatever the records say now.
    monkeypatch.setattr(
        domain_services, "probe", lambda d: pytest.fail("a revoked domain was checked")
    )
    result = domain_services.verify_now(domain)
    assert (result.ok, result.code) == (False, "revoked")
    assert domain not in domain_services.domains_to_check(scope="all")
    # The dashboard says so, offers no way to verify or remove it, and refuses both.
    html = owner_client.get(PAGE).content.decode()
    assert "Revoked" in html and "A moderator revoked it for your site" in html
    assert f"/dashboard/domains/{domain.pk}/remove/" not in html
    assert f"/dashboard/domains/{domain.pk}/verify/" not in html
    response = owner_client.post(f"/dashboard/domains/{domain.pk}/remove/", follow=True)
    assert "A moderator revoked this domain" in response.content.decode()
    assert CustomDomain.objects.filter(pk=domain.pk).exists()
    # Added again: it is already there.
    response = owner_client.post(PAGE, {"domain": "www.ada-lovelace.org"})
    assert "already added" in response.content.decode()


def test_a_revoke_needs_a_reason(owner, moderator_client):
    domain = verified(owner, "www.ada-lovelace.org")
    moderator_client.post(
        "/admin/profiles/customdomain/",
        {"action": "revoke", "_selected_action": [domain.pk], "confirmed": "1", "reason": ""},
    )
    domain.refresh_from_db()
    assert domain.verified and not ModerationAction.objects.exists()


def test_the_admin_cannot_verify_a_domain_by_hand(owner, moderator_client):
    domain = CustomDomain.objects.create(profile=owner, host="www.ada-lovelace.org")
    moderator_client.post(
        f"/admin/profiles/customdomain/{domain.pk}/change/",
        {"host": domain.host, "profile": owner.pk, "verified": "on"},
    )
    domain.refresh_from_db()
    assert not domain.verified
