"""The account's life: confirming the address, changing it, the password, the site's
address (with its 90-day redirect), and deleting everything (issue 10, item 6)."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news.models import NewsItem
from profiles import accounts, media
from profiles.models import (
    ModerationAction,
    Profile,
    SiteImport,
    SlugHistory,
    User,
)
from publications.models import Publication
from tests.conftest import PASSWORD, bot_check_fields
from tests.full_site import build_full_site, rows_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quite-different-horse-7"
SIGNUP = {
    "email": "marie@example.org",
    "first_name": "Marie",
    "last_name": "Curie",
    "slug": "marie",
    "password1": PASSWORD,
    "password2": PASSWORD,
    **bot_check_fields(),
}
PLATFORM = f"http://{settings.PLATFORM_HOST}:{settings.PUBLIC_PORT}"


def link_in(message, pattern: str) -> str:
    """The path of the one platform link in an e-mail matching `pattern`; the HTML agrees."""
    found = re.findall(re.escape(PLATFORM) + r"(" + pattern + r")", message.body)
    assert len(found) == 1, message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert f'href="{PLATFORM}{found[0]}"' in html
    return found[0]


def confirm_link(message) -> str:
    return link_in(message, r"/accounts/confirm/[^/\s]+/")


def change_link(message) -> str:
    return link_in(message, r"/accounts/email/confirm/[^/\s]+/")


def sign_up(client: Client, capture, **changes) -> Profile:
    with capture(execute=True):
        response = client.post("/accounts/signup/", {**SIGNUP, **changes})
    assert response.status_code == 302, response.content.decode()
    return Profile.objects.get(slug=changes.get("slug", SIGNUP["slug"]))


def logged_in(profile: Profile) -> Client:
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    client.force_login(profile.owner)
    return client


def page(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------- sign-up and confirmation


def test_sign_up_sends_the_confirmation_email_in_text_and_html(
    client, django_capture_on_commit_callbacks
):
    profile = sign_up(client, django_capture_on_commit_callbacks)

    assert profile.status == Profile.Status.PENDING
    assert not profile.owner.email_confirmed
    [message] = mail.outbox
    assert message.to == ["marie@example.org"]
    assert message.subject == "Confirm your e-mail address for Multifolio"
    assert "Hello Marie" in message.body
    assert "a moderator can publish your site marie.localhost" in message.body
    assert "works for 3 days" in message.body
    confirm_link(message)  # one link, the same in both parts
    dashboard = client.get("/dashboard/account/", follow=True)
    assert "with the link we e-mail to <strong>marie@example.org</strong>" in page(dashboard)


def test_the_link_confirms_the_address_and_the_site_waits_for_a_moderator(
    client, site_client, django_capture_on_commit_callbacks
):
    profile = sign_up(client, django_capture_on_commit_callbacks)
    response = Client(HTTP_HOST=settings.PLATFORM_HOST).get(confirm_link(mail.outbox[0]))

    assert response.status_code == 200
    assert "Your address is confirmed" in page(response)
    assert "A moderator can now publish your site" in page(response)
    profile.refresh_from_db()
    assert profile.owner.email_confirmed
    assert profile.status == Profile.Status.PENDING
    assert site_client("marie").get("/").status_code == 404
    assert "Confirm your e-mail address" not in page(client.get("/dashboard/account/"))


def test_with_signup_publishing_the_site_goes_live_when_the_address_is_confirmed(
    client, settings, site_client, django_capture_on_commit_callbacks
):
    settings.SIGNUP_PUBLISHES_SITE = True
    profile = sign_up(client, django_capture_on_commit_callbacks)
    assert profile.status == Profile.Status.PENDING  # not before the address is proved
    assert site_client("marie").get("/").status_code == 404
    assert "goes live as soon as you do" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(confirm_link(mail.outbox[0]))

    assert "your site is live" in page(response)
    assert 'href="http://marie.localhost:8000/"' in page(response)
    profile.refresh_from_db()
    assert profile.is_published
    assert site_client("marie").get("/").status_code == 200
    published = mail.outbox[-1]
    assert published.subject == "Your site marie.localhost is published"
    assert published.alternatives[0][1] == "text/html"
    action = ModerationAction.objects.get(profile=profile)
    assert action.kind == ModerationAction.Kind.PUBLISH and action.actor is None


def test_confirming_twice_is_harmless_and_says_so(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    client.get(link)

    again = client.get(link)

    assert again.status_code == 200
    assert "Already confirmed" in page(again)
    assert "marie@example.org was confirmed before" in page(again)


def test_bad_tampered_expired_and_stale_links_get_a_clear_page(
    client, owner, monkeypatch, django_capture_on_commit_callbacks
):
    user = owner.owner
    token = accounts.confirm_token(user)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, "nonsense", token.replace(":", "", 1)):
        response = client.get(f"/accounts/confirm/{bad}/")
        assert response.status_code == 400
        assert "This link does not work" in page(response)
    # A change link is not a confirmation link, and the other way round (salts).
    change = accounts.change_token(user, "new@example.org")
    assert client.get(f"/accounts/confirm/{change}/").status_code == 400
    assert client.get(f"/accounts/email/confirm/{token}/").status_code == 400

    four_days_ago = time.time() - 4 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: four_days_ago)
    old_token = accounts.confirm_token(user)
    monkeypatch.undo()
    expired = client.get(f"/accounts/confirm/{old_token}/")
    assert expired.status_code == 400
    assert "This link has expired" in page(expired)

    User.objects.filter(pk=user.pk).update(email="ada.new@example.org")
    stale = client.get(f"/accounts/confirm/{token}/")
    assert stale.status_code == 400
    assert "This link no longer applies" in page(stale)
    assert not User.objects.get(pk=user.pk).email_confirmed


def test_a_link_for_a_deleted_account_does_not_work(client, owner):
    token = accounts.confirm_token(owner.owner)
    owner.owner.delete()
    response = client.get(f"/accounts/confirm/{token}/")
    assert response.status_code == 400
    assert "This link does not work" in page(response)


def test_resending_the_link_is_limited_to_once_a_minute(client, django_capture_on_commit_callbacks):
    profile = sign_up(client, django_capture_on_commit_callbacks)
    overview = client.get("/dashboard/account/")
    assert "Send the link again" in page(overview)

    response = client.post(
        "/accounts/confirm/resend/", {"next": "/dashboard/"}, follow=True
    )  # a second after sign-up's own e-mail
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "We sent a link less than a minute ago" in page(response)
    assert len(mail.outbox) == 1

    cache.delete(f"accounts:mail:confirm:{profile.owner_id}")  # a minute later
    response = client.post("/accounts/confirm/resend/", follow=True)
    assert "We sent a new link to marie@example.org." in page(response)
    assert len(mail.outbox) == 2
    client.get(confirm_link(mail.outbox[1]))  # the new link works

    response = client.post("/accounts/confirm/resend/", {"next": "https://evil.example/"})
    assert response.url == "/dashboard/account/"  # never off-site
    assert "is confirmed already" in page(client.get(response.url))
    assert len(mail.outbox) == 2


def test_a_completed_password_reset_confirms_the_address(
    client, owner, settings, site_client, django_capture_on_commit_callbacks
):
    settings.SIGNUP_PUBLISHES_SITE = True
    Profile.objects.filter(pk=owner.pk).update(status=Profile.Status.PENDING)
    client.post("/accounts/password-reset/", {"email": "ada@example.org"})
    path = re.search(r"http://localhost:8000(/accounts/password-reset/\S+/)", mail.outbox[0].body)

    form = client.get(path[1], follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            form.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

    user = User.objects.get(pk=owner.owner_id)
    assert user.check_password(NEW_PASSWORD)
    assert user.email_confirmed
    assert site_client("ada").get("/").status_code == 200  # SIGNUP_PUBLISHES_SITE
    assert mail.outbox[-1].subject == "Your site ada.localhost is published"


# ---------------------------------------------------------------- the account page


def test_the_account_page_shows_the_address_and_whether_it_is_confirmed(owner, owner_client):
    body = page(owner_client.get("/dashboard/account/"))
    assert "ada@example.org" in body and "Not confirmed" in body
    assert 'aria-current="page">Account</a>' in body
    User.objects.filter(pk=owner.owner_id).update(email_confirmed=True)
    body = page(owner_client.get("/dashboard/account/"))
    assert "Confirmed" in body and "Not confirmed" not in body
    assert "Send the link again" not in body


def test_the_account_pages_cost_a_fixed_number_of_queries(
    owner, owner_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for slug in ("ada-2", "ada-3", "ada-4"):
        rename(owner_client, slug, django_capture_on_commit_callbacks)
    # The session, the user, the profile, the former addresses (one query for all).
    with django_assert_num_queries(4):
        assert owner_client.get("/dashboard/account/").status_code == 200
    # The session, the user, the profile.
    with django_assert_num_queries(3):
        assert owner_client.get("/dashboard/account/delete/").status_code == 200


def test_changing_the_address_sends_a_link_to_the_new_one_and_a_note_to_the_old(
    owner, owner_client
):
    response = owner_client.post(
        "/dashboard/account/email/", {"new_email": "Ada@Lovelace.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    to_new, to_old = mail.outbox
    assert to_new.to == ["ada@lovelace.example"]
    assert to_old.to == ["ada@example.org"]
    assert "ada@lovelace.example" in to_old.body and "/accounts/email/" not in to_old.body
    assert "http://localhost:8000/accounts/password-reset/" in to_old.body
    assert to_old.alternatives[0][1] == "text/html"
    assert User.objects.get(pk=owner.owner_id).email == "ada@example.org"  # not yet
    message = messages_of(owner_client.get("/dashboard/account/"))
    assert message == [
        "We sent a link to ada@lovelace.example: your address changes when you follow it "
        "(within a day). Until then you keep using ada@example.org."
    ]

    done = Client(HTTP_HOST=settings.PLATFORM_HOST).get(change_link(to_new))

    assert done.status_code == 200
    assert "Your account uses ada@lovelace.example from now on" in page(done)
    user = User.objects.get(pk=owner.owner_id)
    assert (user.email, user.email_confirmed) == ("ada@lovelace.example", True)
    login = Client(HTTP_HOST=settings.PLATFORM_HOST).post(
        "/accounts/login/", {"username": "ada@lovelace.example", "password": PASSWORD}
    )
    assert login.status_code == 302
    again = owner_client.get(change_link(to_new))
    assert "Already changed" in page(again)


def test_changing_the_address_needs_the_password_and_a_free_address(
    owner, owner_client, second_researcher
):
    cases = [
        ({"new_email": "new@example.org", "password": "wrong"}, "That is not your password."),
        ({"new_email": "GRACE@example.org", "password": PASSWORD}, "Another account uses"),
        ({"new_email": "ada@example.org", "password": PASSWORD}, "That is already your address"),
        ({"new_email": "not-an-address", "password": PASSWORD}, "valid email"),
    ]
    for data, error in cases:
        response = owner_client.post("/dashboard/account/email/", data)
        assert response.status_code == 200
        assert error in page(response)
    assert mail.outbox == []


def test_an_address_taken_after_the_link_was_sent_is_refused(owner, owner_client):
    owner_client.post(
        "/dashboard/account/email/", {"new_email": "taken@example.org", "password": PASSWORD}
    )
    User.objects.create_user(email="taken@example.org", password=PASSWORD)

    response = owner_client.get(change_link(mail.outbox[0]))

    assert response.status_code == 409
    assert "That address is taken" in page(response)
    assert User.objects.get(pk=owner.owner_id).email == "ada@example.org"


def test_a_change_link_for_a_stale_address_or_password_is_refused(owner, owner_client):
    owner_client.post(
        "/dashboard/account/email/", {"new_email": "x@example.org", "password": PASSWORD}
    )
    first = change_link(mail.outbox[0])
    cache.clear()  # a minute later
    owner_client.post(
        "/dashboard/account/email/", {"new_email": "y@example.org", "password": PASSWORD}
    )
    second = change_link(mail.outbox[2])
    owner_client.get(second)  # now y@

    stale = owner_client.get(first)  # was for a change from ada@, which is gone

    assert stale.status_code == 400
    assert "This link no longer applies" in page(stale)
    assert User.objects.get(pk=owner.owner_id).email == "y@example.org"

    cache.clear()
    owner_client.post(
        "/dashboard/account/email/", {"new_email": "z@example.org", "password": PASSWORD}
    )
    third = change_link(mail.outbox[4])
    owner_client.post(
        "/dashboard/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert owner_client.get(third).status_code == 400  # a new password cancels the change
    assert User.objects.get(pk=owner.owner_id).email == "y@example.org"


def test_asking_for_address_changes_is_limited_to_once_a_minute(owner, owner_client):
    data = {"new_email": "x@example.org", "password": PASSWORD}
    owner_client.post("/dashboard/account/email/", data)
    response = owner_client.post("/dashboard/account/email/", data, follow=True)
    assert "We sent a link less than a minute ago" in page(response)
    assert len(mail.outbox) == 2  # the first request's two e-mails only


def test_changing_the_password_keeps_this_session_logged_in(owner, owner_client):
    wrong = owner_client.post(
        "/dashboard/account/password/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "That is not your password." in page(wrong)
    short = owner_client.post(
        "/dashboard/account/password/",
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert "too short" in page(short)

    other_device = logged_in(owner)
    response = owner_client.post(
        "/dashboard/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password is changed." in page(response)
    assert User.objects.get(pk=owner.owner_id).check_password(NEW_PASSWORD)
    assert owner_client.get("/dashboard/").status_code == 200
    assert other_device.get("/dashboard/").status_code == 302  # logged out, as the message says


def test_wrong_passwords_in_the_account_forms_are_limited(owner, owner_client):
    for _ in range(accounts.PASSWORD_TRIES):
        owner_client.post(
            "/dashboard/account/email/", {"new_email": "x@example.org", "password": "no"}
        )
    response = owner_client.post(
        "/dashboard/account/email/", {"new_email": "x@example.org", "password": PASSWORD}
    )
    assert "Too many wrong passwords" in page(response)
    assert mail.outbox == []


# ---------------------------------------------------------------- the site's address


def rename(client: Client, slug: str, capture):
    with capture(execute=True):
        return client.post("/dashboard/account/address/", {"slug": slug}, follow=True)


def test_a_new_site_address_answers_at_once_and_the_old_one_redirects_with_path_and_query(
    owner, owner_client, site_client, django_capture_on_commit_callbacks
):
    assert site_client("ada").get("/").status_code == 200  # cached by host now
    assert site_client("countess").get("/").status_code == 404  # cached as "no site"

    response = rename(owner_client, "Countess", django_capture_on_commit_callbacks)

    assert messages_of(response) == [
        "Your site's address is now countess.localhost. Visitors to ada.localhost are sent "
        "there for 90 days."
    ]
    assert site_client("countess").get("/").status_code == 200
    moved = site_client("ada").get("/publications/?year=1843&q=a%20b")
    assert moved.status_code == 301
    assert moved["Location"] == "http://countess.localhost:8000/publications/?year=1843&q=a%20b"
    assert moved["Cache-Control"] == "public, max-age=86400"
    assert not moved.cookies
    assert SlugHistory.objects.get(slug="ada").profile == owner
    page_now = page(owner_client.get("/dashboard/account/"))
    assert "ada.localhost" in page_now and "until" in page_now


def test_a_known_site_never_looks_at_former_addresses(owner, site_client, monkeypatch):
    def refuse(*args):
        raise AssertionError("former_site() on a known site's request")

    monkeypatch.setattr("profiles.middleware.former_site", refuse)
    assert site_client("ada").get("/").status_code == 200


def test_warm_redirects_and_unknown_addresses_cost_no_query(
    owner, owner_client, site_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    rename(owner_client, "countess", django_capture_on_commit_callbacks)
    assert site_client("ada").get("/").status_code == 301
    assert site_client("nobody").get("/").status_code == 404
    with django_assert_num_queries(0):  # host, moved and profile entries are all cached
        assert site_client("ada").get("/").status_code == 301
        assert site_client("nobody").get("/").status_code == 404


def test_a_former_address_stays_reserved_for_90_days(
    owner, owner_client, second_researcher, client, django_capture_on_commit_callbacks
):
    rename(owner_client, "countess", django_capture_on_commit_callbacks)

    signup = client.post("/accounts/signup/", {**SIGNUP, "slug": "ada"})
    assert "“ada” is reserved" in page(signup)
    other = logged_in(second_researcher)
    response = other.post("/dashboard/account/address/", {"slug": "ada"})
    assert "“ada” is reserved" in page(response)
    assert Profile.objects.get(pk=second_researcher.pk).slug == "grace"

    # Its own site may take it back; then the name it leaves is kept instead.
    rename(owner_client, "ada", django_capture_on_commit_callbacks)
    assert Profile.objects.get(pk=owner.pk).slug == "ada"
    assert list(SlugHistory.objects.values_list("slug", flat=True)) == ["countess"]


def test_after_90_days_the_former_address_is_free_again(
    owner, owner_client, site_client, client, django_capture_on_commit_callbacks
):
    rename(owner_client, "countess", django_capture_on_commit_callbacks)
    assert site_client("ada").get("/").status_code == 301
    SlugHistory.objects.filter(slug="ada").update(
        changed_at=timezone.now() - timedelta(days=90, minutes=1)
    )
    cache.clear()  # the cached redirect never outlives the reservation; time passes here

    response = site_client("ada").get("/")
    assert response.status_code == 404
    assert not SlugHistory.objects.filter(slug="ada").exists()  # deleted when met
    sign_up(client, django_capture_on_commit_callbacks, slug="ada")


def test_the_site_address_form_refuses_what_cannot_be_an_address(
    owner, owner_client, second_researcher
):
    for slug, error in [
        ("grace", "“grace” is taken"),
        ("ada", "That is your address already"),
        ("www", "reserved"),
        ("no_underscores", "lowercase letters"),
    ]:
        response = owner_client.post("/dashboard/account/address/", {"slug": slug})
        assert response.status_code == 200
        assert error in page(response)
    assert Profile.objects.get(pk=owner.pk).slug == "ada"
    assert not SlugHistory.objects.exists()


def test_a_site_keeps_at_most_three_former_addresses(
    owner, owner_client, django_capture_on_commit_callbacks
):
    for slug in ("ada-2", "ada-3", "ada-4"):
        rename(owner_client, slug, django_capture_on_commit_callbacks)
    response = owner_client.post("/dashboard/account/address/", {"slug": "ada-5"})
    assert "already keeps 3 former addresses" in page(response)
    rename(owner_client, "ada", django_capture_on_commit_callbacks)  # taking one back is fine
    assert Profile.objects.get(pk=owner.pk).slug == "ada"


# ---------------------------------------------------------------- deleting the account


@pytest.fixture
def full_site(owner, moderator, tmp_path, owner_client, django_capture_on_commit_callbacks):
    """Ada's site with a row in every table that can hold one, and every kind of file."""
    return build_full_site(owner, moderator, tmp_path, django_capture_on_commit_callbacks)


def test_the_delete_page_offers_the_export_first(owner, owner_client):
    body = page(owner_client.get("/dashboard/account/delete/"))
    assert body.index(reverse("dashboard_export")) < body.index('name="password"')
    assert "Download your site (.zip)" in body


def test_a_wrong_password_or_site_address_deletes_nothing(owner, owner_client):
    for data, error in [
        ({"password": "wrong", "confirm_slug": "ada"}, "That is not your password."),
        ({"password": PASSWORD, "confirm_slug": "grace"}, "Type your site&#x27;s address, ada"),
        ({"password": PASSWORD, "confirm_slug": ""}, "This field is required"),
    ]:
        response = owner_client.post("/dashboard/account/delete/", data)
        assert response.status_code == 200
        assert error in page(response)
    assert Profile.objects.filter(pk=owner.pk).exists()


def test_a_deleted_account_once_purged_leaves_no_row_and_no_file_of_the_site(
    full_site,
    owner_client,
    second_researcher,
    site_client,
    client,
    django_capture_on_commit_callbacks,
):
    profile_id, user_id = full_site.pk, full_site.owner_id
    ids = {
        model: list(model.objects.filter(profile_id=profile_id).values_list("pk", flat=True))
        for model in (Publication, NewsItem, SiteImport)
    }
    assert rows_of(profile_id, user_id)  # the fixture filled them
    files = media.site_files(profile_id)
    kinds = {name.split("/")[2] for name in files}
    assert kinds == set(media.KINDS), kinds  # every kind of file is there to delete
    kept_upload = SiteImport.objects.get(profile_id=profile_id, dry_run=True).upload
    assert default_storage.exists(kept_upload)
    grace_before = rows_of(second_researcher.pk, second_researcher.owner_id)
    assert site_client("ada-lovelace").get("/").status_code == 301  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/dashboard/account/delete/", {"password": PASSWORD, "confirm_slug": " Ada "}
        )

    assert response.status_code == 302 and response.url == "/"
    landing = owner_client.get("/")
    assert "Your site ada.localhost is gone from the web now" in page(landing)
    assert "Log in" in page(landing)  # logged out
    assert owner_client.get("/dashboard/").status_code == 302
    # Kept for a moderator to restore until the purge (tests/test_recoverable_deletion.py).
    assert media.site_files(profile_id) == files
    assert Profile.objects.get(pk=profile_id).is_deleted

    # The purge, a day after the retention ran out, erases through the same path
    # that deleting used to take at once.
    Profile.objects.filter(pk=profile_id).update(
        deleted_at=timezone.now() - timedelta(days=settings.DELETED_SITE_RETENTION_DAYS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_deleted", stdout=StringIO())

    assert rows_of(profile_id, user_id) == {}
    assert not User.objects.filter(pk=user_id).exists()
    assert not Profile.objects.filter(pk=profile_id).exists()
    for model, pks in ids.items():
        ct = ContentType.objects.get_for_model(model)
        assert not LogEntry.objects.filter(content_type=ct, object_id__in=map(str, pks)).exists()
    for model in (Profile, User):
        ct = ContentType.objects.get_for_model(model)
        assert not LogEntry.objects.filter(
            content_type=ct, object_id=str(profile_id if model is Profile else user_id)
        ).exists()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert not model.objects.filter(username="ada@example.org").exists()
    assert not DBTaskResult.objects.exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    assert media.site_files(profile_id) == []
    site_folder = Path(settings.MEDIA_ROOT) / "sites" / str(profile_id)
    assert not [p for p in site_folder.rglob("*") if p.is_file()]
    assert not default_storage.exists(kept_upload)

    assert rows_of(second_researcher.pk, second_researcher.owner_id) == grace_before
    assert site_client("ada").get("/").status_code == 404
    assert site_client("ada-lovelace").get("/").status_code == 404  # former slugs went too
    assert site_client("ada.example.net").get("/").status_code == 400
    sign_up(
        Client(HTTP_HOST=settings.PLATFORM_HOST), django_capture_on_commit_callbacks, slug="ada"
    )


# ---------------------------------------------------------------- who may do what

DASHBOARD_URLS = [
    ("get", "/dashboard/account/"),
    ("post", "/dashboard/account/email/"),
    ("post", "/dashboard/account/password/"),
    ("post", "/dashboard/account/address/"),
    ("get", "/dashboard/account/delete/"),
    ("post", "/dashboard/account/delete/"),
    ("post", "/accounts/confirm/resend/"),
]


@pytest.mark.parametrize(("method", "url"), DASHBOARD_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, owner, method, url):
    response = getattr(client, method)(url, {"slug": "x", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")
    assert Profile.objects.get(pk=owner.pk).slug == "ada"


@pytest.mark.parametrize(("method", "url"), DASHBOARD_URLS[:-1])
def test_an_account_without_a_site_gets_404(outsider, method, url):
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    client.force_login(outsider)
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize("url", ["/dashboard/account/email/", "/dashboard/account/address/"])
def test_the_action_urls_do_not_answer_get(owner_client, url):
    assert owner_client.get(url).status_code == 405


def test_another_researcher_can_act_only_on_their_own_account(
    owner, second_researcher, django_capture_on_commit_callbacks
):
    grace = logged_in(second_researcher)
    # With Ada's password and address typed in, nothing of Ada's changes: the forms
    # check the signed-in account's own password and its own site's address.
    grace.post("/dashboard/account/delete/", {"password": PASSWORD, "confirm_slug": "ada"})
    grace.post("/dashboard/account/email/", {"new_email": "ada@example.org", "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        grace.post("/dashboard/account/address/", {"slug": "ada"})
    assert Profile.objects.filter(pk=owner.pk, slug="ada").exists()
    assert User.objects.get(pk=owner.owner_id).email == "ada@example.org"
    assert Profile.objects.get(pk=second_researcher.pk).slug == "grace"
    body = page(grace.get("/dashboard/account/"))
    assert "grace@example.org" in body and "ada@example.org" not in body

    # Deleting one's own account deletes nobody else's.
    grace.post("/dashboard/account/delete/", {"password": PASSWORD, "confirm_slug": "grace"})
    assert Profile.objects.get(pk=second_researcher.pk).is_deleted
    assert Profile.objects.get(pk=owner.pk).is_published
