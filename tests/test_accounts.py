"""Sign up, log in and out, reset a password: all on the platform host."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from profiles.models import Profile, User
from tests.conftest import PASSWORD, bot_check_fields

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Marie.Curie@Example.org",
    "first_name": "Marie",
    "last_name": "Curie",
    "slug": "Marie-Curie",
    "password1": PASSWORD,
    "password2": PASSWORD,
    **bot_check_fields(),
}


def test_signing_up_creates_an_account_and_a_pending_site_and_logs_in(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
    profile = Profile.objects.get(slug="marie-curie")
    assert profile.status == Profile.Status.PENDING
    assert profile.owner.email == "marie.curie@example.org"  # one stored form (see README)
    assert profile.owner.check_password(PASSWORD)
    dashboard = client.get("/dashboard/")
    assert b"first confirm your e-mail address, then a moderator looks at it" in dashboard.content


def test_a_setting_publishes_new_sites_once_their_address_is_confirmed(
    client, settings, site_client, django_capture_on_commit_callbacks
):
    settings.SIGNUP_PUBLISHES_SITE = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", SIGNUP)
    assert not Profile.objects.get(slug="marie-curie").is_published
    link = re.search(r"http://localhost:8000(/accounts/confirm/\S+/)", mail.outbox[0].body)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link)
    assert Profile.objects.get(slug="marie-curie").is_published
    assert site_client("marie-curie").get("/").status_code == 200


def test_a_pending_site_is_not_public(client, site_client):
    client.post("/accounts/signup/", SIGNUP)
    assert site_client("marie-curie").get("/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "www", "reserved"),
        ("slug", "-marie", "start or end with a hyphen"),
        ("slug", "marie_curie", "lowercase letters"),
        ("slug", "ADA", "is taken"),
        ("email", "ADA@example.org", "already exists"),
        ("email", "not-an-email", "valid email"),
        ("password2", "something-else", "differ"),
    ],
)
def test_sign_up_refuses_bad_input_with_a_clear_message(client, owner, field, value, message):
    response = client.post("/accounts/signup/", {**SIGNUP, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Profile.objects.filter(slug="marie-curie").exists()


def test_sign_up_refuses_a_weak_password(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "123", "password2": "123"})
    assert "too short" in response.content.decode()
    assert not User.objects.exists()


def test_logging_in_with_the_email_in_any_case_reaches_the_dashboard(client, owner):
    response = client.post(
        "/accounts/login/", {"username": "ADA@EXAMPLE.ORG", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"


def test_a_wrong_password_is_refused(client, owner):
    response = client.post("/accounts/login/", {"username": "ada@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "correct" in response.content.decode()


def test_logging_out_ends_the_session(client, owner):
    client.force_login(owner.owner)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302  # back to the login page


def test_a_password_reset_mail_links_to_the_configured_platform_host(owner):
    forged = Client(HTTP_HOST="localhost:6666")  # same host, forged port
    response = forged.post("/accounts/password-reset/", {"email": "ada@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith("http://localhost:8000/accounts/password-reset/")


def test_the_reset_link_lets_the_owner_choose_a_new_password(client, owner):
    client.post("/accounts/password-reset/", {"email": "ada@example.org"})
    path = re.search(r"http://localhost:8000(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    new = "a-brand-new-passphrase-42"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    owner.owner.refresh_from_db()
    assert owner.owner.check_password(new)


def test_a_password_reset_for_an_unknown_address_says_so_as_sign_up_does_and_sends_nothing(
    client,
):
    # One policy for the platform (README, "Accounts and e-mail addresses"):
    # sign-up must say an address is taken, so reset says it is unknown.
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "No account uses this address" in response.content.decode()
    assert mail.outbox == []


def test_a_password_reset_finds_the_account_whatever_the_case_of_the_address(client, owner):
    response = client.post("/accounts/password-reset/", {"email": "ADA@Example.ORG"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["ada@example.org"]


# --- One stored form per address (issue 6, item 16) -------------------------------

KELVIN_SIGN = "\u212a"


def test_an_address_written_with_a_kelvin_sign_is_the_same_account_on_every_database(client, owner):
    response = client.post("/accounts/signup/", {**SIGNUP, "email": f"{KELVIN_SIGN}im@example.org"})
    assert response.status_code == 302
    response = Client(HTTP_HOST="localhost").post(
        "/accounts/signup/", {**SIGNUP, "slug": "kim-two", "email": "kim@example.org"}
    )
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email="kim@example.org").count() == 1


def test_an_overlong_email_is_refused_by_the_form_not_the_database(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "email": "a" * 245 + "@example.org"})
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not User.objects.exists()


def test_logging_in_with_a_kelvin_sign_finds_the_account(client):
    User.objects.create_user(email="kim@example.org", password=PASSWORD)
    response = client.post(
        "/accounts/login/", {"username": f"{KELVIN_SIGN}IM@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_confirmed_owners_pending_site_is_waiting_for_a_moderator(client):
    from tests.conftest import make_researcher

    profile = make_researcher("emmy", status=Profile.Status.PENDING)
    profile.owner.email_confirmed = True
    profile.owner.save()
    client.force_login(profile.owner)

    page = client.get("/dashboard/").content.decode()

    assert "waiting for a moderator" in page and "confirm your e-mail" not in page
