"""Deleting is recoverable: off the web at once, restorable by a moderator, purged later
(issue 13, item 6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from news.models import NewsItem
from profiles import accounts, media
from profiles.domains.services import domains_to_check
from profiles.models import CustomDomain, ModerationAction, Profile, SlugHistory, User
from profiles.moderation.services import (
    ModerationRefused,
    delete_site,
    restore_site,
    suspend_site,
)
from profiles.services import set_photo
from publications.models import Publication
from publications.services import import_bibtex
from tests.conftest import (
    PASSWORD,
    bot_check_fields,
    image_bytes,
    make_researcher,
    verified_login,
)
from tests.full_site import build_full_site, rows_of

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind
BIB = """@article{hopper1952compiler, title = {The Education of a Computer}, author = {Hopper,
Grace and Lovelace, Ada}, journal = {Proceedings of the ACM}, year = {1952}}"""


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable:
    """`with committed():` runs a write's after-commit work (cache bumps, files, mail)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def admin_client(moderator) -> Client:
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    verified_login(client, moderator)  # staff give a second factor before the admin
    return client


def delete_from_dashboard(owner_client: Client, committed, slug: str = "ada"):
    with committed():
        return owner_client.post(
            "/dashboard/account/delete/", {"password": PASSWORD, "confirm_slug": slug}
        )


def deleted_days_ago(profile: Profile, days: float) -> None:
    Profile.objects.filter(pk=profile.pk).update(deleted_at=timezone.now() - timedelta(days=days))


def purge(committed, *args: str) -> str:
    out = StringIO()
    with committed():
        call_command("purge_deleted", *args, stdout=out)
    return out.getvalue()


def text(response) -> str:
    """A page's words, tags and runs of white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def log_in(email: str, password: str = PASSWORD) -> Client:
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    client.post("/accounts/login/", {"username": email, "password": password})
    return client


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def day(when) -> str:
    return date_format(timezone.localtime(when), "j F Y")


def with_photo(profile: Profile, committed) -> str:
    """The site's photo set; the path of one of its files, as visitors fetch it."""
    upload = SimpleUploadedFile("me.jpg", image_bytes(), content_type="image/jpeg")
    with committed():
        set_photo(profile=profile, upload=upload)
    return "/media/" + media.site_files(profile.pk)[0]


def file_contents(profile: Profile) -> dict[str, bytes]:
    contents = {}
    for name in media.site_files(profile.pk):
        with default_storage.open(name) as file:
            contents[name] = file.read()
    return contents


# ---------------------------------------------------------------- gone from the web at once


def test_deleting_takes_the_site_off_every_address_at_once_with_a_410(
    owner, owner_client, site_client, committed
):
    CustomDomain.objects.create(host="ada.example.net", profile=owner, verified=True)
    SlugHistory.objects.create(profile=owner, slug="ada-lovelace")
    photo = with_photo(owner, committed)
    for host in ("ada", "ada.example.net"):  # the tenancy cache knows the site now
        assert site_client(host).get("/").status_code == 200
        assert site_client(host).get(photo).status_code == 200
    assert site_client("ada-lovelace").get("/").status_code == 301

    response = delete_from_dashboard(owner_client, committed)

    assert response.status_code == 302
    for host in ("ada", "ada.example.net", "ada-lovelace"):
        for path in ("/", "/news/", "/feed.xml", "/sitemap.xml", "/robots.txt", photo):
            gone = site_client(host).get(path)
            assert gone.status_code == 410, (host, path)
    assert "This site has been deleted" in text(site_client("ada").get("/"))
    assert media.site_files(owner.pk)  # kept, not served


def test_a_deleted_site_leaves_the_page_cache_at_once(
    owner, owner_client, site_client, committed, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    visitor = site_client("ada")
    first = visitor.get("/")
    assert visitor.get("/").content == first.content  # served from the cache now
    delete_from_dashboard(owner_client, committed)
    assert visitor.get("/").status_code == 410


def test_a_deleted_site_leaves_the_directory_the_landing_page_and_coauthor_links(
    owner, second_researcher, owner_client, client, site_client, committed
):
    with committed():
        import_bibtex(profile=second_researcher, text=BIB, source="test")
    ada_site = "http://ada.localhost:8000/"
    assert ada_site in site_client("grace").get("/publications/").content.decode()
    assert "Ada K. Lovelace" in text(client.get("/directory/"))
    assert "ada.localhost" in client.get("/").content.decode()

    delete_from_dashboard(owner_client, committed)

    assert ada_site not in site_client("grace").get("/publications/").content.decode()
    assert "Lovelace" not in text(client.get("/directory/"))
    assert "Lovelace" not in text(client.get("/directory/?q=lovelace"))
    assert "ada.localhost" not in client.get("/").content.decode()


def test_a_deleted_sites_hosts_get_no_new_certificate(owner, owner_client, committed):
    CustomDomain.objects.create(host="ada.example.net", profile=owner, verified=True)
    delete_from_dashboard(owner_client, committed)
    ask = Client(HTTP_HOST=settings.PLATFORM_HOST)
    for name in ("ada.localhost", "ada.example.net"):
        assert ask.get("/tls/ask", {"domain": name}).status_code == 404


def test_the_periodic_domain_check_leaves_a_deleted_sites_domains_alone(
    owner, second_researcher, owner_client, committed
):
    CustomDomain.objects.create(host="ada.example.net", profile=owner, verified=True)
    CustomDomain.objects.create(host="grace.example.net", profile=second_researcher, verified=True)
    delete_from_dashboard(owner_client, committed)
    # No e-mail to a closed account, and the domain is still there for a restore.
    assert [d.host for d in domains_to_check()] == ["grace.example.net"]


# ---------------------------------------------------------------- the account


def test_the_owner_is_logged_out_everywhere_and_cannot_log_in_again(owner, owner_client, committed):
    elsewhere = log_in("ada@example.org")
    assert is_logged_in(elsewhere)

    delete_from_dashboard(owner_client, committed)

    assert elsewhere.get("/dashboard/").status_code == 302  # the other browser's session ended
    assert not is_logged_in(log_in("ada@example.org"))
    user = User.objects.get(pk=owner.owner_id)
    assert not user.is_active and user.check_password(PASSWORD)  # kept for a restore


def test_the_log_in_tells_the_deleted_owner_what_happened_only_with_the_right_password(
    owner, owner_client, client, committed
):
    delete_from_dashboard(owner_client, committed)
    profile = Profile.objects.get(pk=owner.pk)

    right = text(
        client.post("/accounts/login/", {"username": "Ada@example.org", "password": PASSWORD})
    )
    assert "Your account and your site were deleted." in right
    assert f"They are kept until {day(profile.purge_after)} and erased after then." in right

    wrong = text(
        client.post("/accounts/login/", {"username": "ada@example.org", "password": "nope"})
    )
    assert "deleted" not in wrong
    assert "Please enter a correct e-mail address and password." in wrong


def test_the_address_and_the_site_address_stay_reserved_until_the_purge(
    owner, owner_client, client, committed
):
    delete_from_dashboard(owner_client, committed)
    profile = Profile.objects.get(pk=owner.pk)
    signup = {
        "email": "ADA@example.org",
        "first_name": "Ada",
        "last_name": "Again",
        "slug": "ada",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **bot_check_fields(),
    }
    page = text(client.post("/accounts/signup/", signup))
    assert "This address belongs to an account that was deleted" in page
    assert f"It is kept until {day(profile.purge_after)} and free again after then." in page
    assert "“ada” is taken." in page
    assert User.objects.count() == 1
    reset = text(client.post(reverse("password_reset"), {"email": "ada@example.org"}))
    assert "This address belongs to an account that was deleted" in reset
    assert not [m for m in mail.outbox if "reset" in m.subject.lower()]


def test_links_sent_before_the_deletion_no_longer_work(owner, owner_client, client, committed):
    link = reverse("confirm_email", args=[accounts.confirm_token(owner.owner)])
    delete_from_dashboard(owner_client, committed)
    assert client.get(link).status_code == 400


# ---------------------------------------------------------------- telling the truth


@pytest.mark.parametrize("contact", ["help@multifolio.example", ""])
def test_the_owner_is_told_the_truth_before_and_after_deleting(
    owner, owner_client, committed, settings, contact
):
    settings.CONTACT_EMAIL = contact
    before = text(owner_client.get("/dashboard/account/delete/"))
    expected = day(timezone.now() + timedelta(days=30))
    assert f"We keep a copy of everything for 30 days, until {expected}" in before
    assert "your site\N{RIGHT SINGLE QUOTATION MARK}s address, ada, stay reserved" in before
    if contact:
        assert f"write to {contact}" in before
    else:
        assert "the people who run Multifolio can bring everything back" in before
    assert "It cannot be undone" not in text(owner_client.get("/dashboard/account/"))

    with committed():
        response = owner_client.post(
            "/dashboard/account/delete/", {"password": PASSWORD, "confirm_slug": "ada"}, follow=True
        )

    profile = Profile.objects.get(pk=owner.pk)
    assert profile.purge_after == profile.deleted_at + timedelta(days=30)
    after = text(response)
    assert "Your site ada.localhost is gone from the web now" in after
    assert f"We keep a copy until {day(profile.purge_after)}" in after
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your site ada.localhost is deleted"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert day(profile.purge_after) in body
        if contact:
            assert f"If this was a mistake, write to {contact}" in after
            assert contact in body
        else:
            assert "the people who run Multifolio can bring it back until then" in after
            assert "the people who run Multifolio can bring everything back" in body


# ---------------------------------------------------------------- moderators


def test_a_moderator_deletes_from_the_admin_with_a_reason_and_it_is_recorded(
    owner, owner_client, moderator, admin_client, committed
):
    decide = reverse("admin:profiles_profile_decide", args=[owner.pk, "delete"])
    form = admin_client.get(decide)
    assert "restored, for 30 days" in text(form)
    refused = admin_client.post(decide, {"confirmed": "1", "reason": " "})
    assert refused.status_code == 200 and Profile.objects.get(pk=owner.pk).is_published

    with committed():
        admin_client.post(decide, {"confirmed": "1", "reason": "Spam pages."})

    profile = Profile.objects.get(pk=owner.pk)
    assert profile.is_deleted and profile.deleted_by == moderator
    assert profile.deletion_reason == "Spam pages."
    assert profile.status_before_deletion == Profile.Status.PUBLISHED
    action = ModerationAction.objects.get(profile=profile)
    assert (action.kind, action.actor, action.reason) == (Kind.DELETE, moderator, "Spam pages.")
    (message,) = mail.outbox
    assert "A moderator has deleted your site ada.localhost" in message.body
    assert "Why: Spam pages." in message.body
    assert day(profile.purge_after) in message.body
    assert owner_client.get("/dashboard/").status_code == 302  # the owner's session ended
    page = text(admin_client.get(reverse("admin:profiles_profile_change", args=[owner.pk])))
    assert "Restore the site" in page and "Suspend the site" not in page
    assert "unless restored before then" in page


def test_the_admin_lists_deleted_sites_with_the_day_they_are_erased(
    owner, second_researcher, admin_client, moderator, committed
):
    with committed():
        delete_site(profile=owner, actor=moderator, reason="Asked by e-mail.")
    profile = Profile.objects.get(pk=owner.pk)
    changelist = reverse("admin:profiles_profile_changelist")
    page = text(admin_client.get(changelist, {"status__exact": "deleted"}))
    assert "Deleted, awaiting purge" in page  # the filter
    assert "ada" in page and "grace" not in page
    assert date_format(timezone.localtime(profile.purge_after), "j M Y") in page
    assert "ada" not in text(admin_client.get(changelist, {"status__exact": "published"}))


def test_a_moderator_restores_everything_as_it_was(
    owner,
    moderator,
    tmp_path,
    owner_client,
    admin_client,
    site_client,
    committed,
    django_capture_on_commit_callbacks,
):
    build_full_site(owner, moderator, tmp_path, django_capture_on_commit_callbacks)
    CustomDomain.objects.filter(profile=owner).update(verified=True)
    paper = Publication.objects.filter(profile=owner, is_visible=True).first()
    pages = ["/", "/publications/", f"/publications/{paper.key}/", "/news/", "/feed.xml"]
    before = {path: site_client("ada").get(path).content for path in pages}
    files = file_contents(owner)
    rows = rows_of(owner.pk, owner.owner_id)
    fields = Profile.objects.filter(pk=owner.pk).values().get()

    delete_from_dashboard(owner_client, committed)
    assert site_client("ada").get("/").status_code == 410

    with committed():
        response = admin_client.post(
            reverse("admin:profiles_profile_changelist"),
            {"action": "restore", "_selected_action": [owner.pk], "confirmed": "1", "reason": ""},
            follow=True,
        )
    assert "1 site(s) restored" in text(response)

    restored = Profile.objects.filter(pk=owner.pk).values().get()
    assert {k: v for k, v in restored.items() if k != "updated_at"} == {
        k: v for k, v in fields.items() if k != "updated_at"
    }
    for path, content in before.items():
        again = site_client("ada").get(path)
        assert again.status_code == 200, path
        assert again.content == content, path
    assert site_client("ada.example.net").get("/").status_code in (200, 301)
    assert file_contents(owner) == files
    for name in files:
        assert site_client("ada").get(f"/media/{name}").status_code == 200, name
    kinds = [a.kind for a in ModerationAction.objects.filter(profile=owner).order_by("pk")]
    assert kinds[-2:] == [Kind.OWNER_DELETE, Kind.RESTORE]
    restore = ModerationAction.objects.get(profile=owner, kind=Kind.RESTORE)
    assert restore.actor == moderator
    after_rows = rows_of(owner.pk, owner.owner_id)
    after_rows["profiles.ModerationAction.profile"] -= 2
    assert after_rows == rows
    assert is_logged_in(log_in("ada@example.org"))  # with the old password
    assert mail.outbox[-1].subject == "Your site ada.localhost is restored"
    assert "your old password" in mail.outbox[-1].body


def test_a_moderator_of_the_group_may_delete_and_restore_but_not_erase(
    owner, owner_client, committed
):
    desk = User.objects.create_user(email="desk@example.org", password=PASSWORD, is_staff=True)
    desk.groups.add(Group.objects.get(name="Moderators"))
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    verified_login(client, desk)
    changelist = reverse("admin:profiles_profile_changelist")
    actions = client.get(changelist, {"status__exact": "published"}).content.decode()
    assert 'value="delete_sites"' in actions and 'value="delete_selected"' not in actions

    delete_from_dashboard(owner_client, committed)
    page = text(client.get(reverse("admin:profiles_profile_change", args=[owner.pk])))
    assert "by its owner" in page and "Restore the site" in page
    with committed():
        client.post(
            changelist,
            {"action": "restore", "_selected_action": [owner.pk], "confirmed": "1", "reason": ""},
        )
    assert Profile.objects.get(pk=owner.pk).is_published
    assert ModerationAction.objects.get(profile=owner, kind=Kind.RESTORE).actor == desk


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (Profile.Status.PENDING, 404),
        (Profile.Status.SUSPENDED, 403),
        (Profile.Status.PUBLISHED, 200),
    ],
)
def test_a_restored_site_gets_back_the_status_it_had(moderator, site_client, status, answer):
    profile = make_researcher("kim", status=status)
    delete_site(profile=profile, actor=moderator, reason="Asked to.")
    restore_site(profile=profile, actor=moderator)
    profile.refresh_from_db()
    assert profile.status == status and profile.deleted_at is None
    assert site_client("kim").get("/").status_code == answer


def test_decisions_that_do_not_fit_a_deleted_site_are_refused(owner, moderator):
    with pytest.raises(ModerationRefused, match="not deleted"):
        restore_site(profile=owner, actor=moderator)
    delete_site(profile=owner, actor=moderator, reason="Spam.")
    with pytest.raises(ModerationRefused, match="deleted already"):
        delete_site(profile=owner, actor=moderator, reason="Spam.")
    with pytest.raises(ModerationRefused, match="restore it first"):
        suspend_site(profile=Profile.objects.get(pk=owner.pk), actor=moderator, reason="Spam.")
    with pytest.raises(ModerationRefused, match="Say why"):
        delete_site(profile=make_researcher("kim"), actor=moderator, reason="")


def test_nothing_in_the_admin_erases_a_site_or_its_account_at_once(owner, admin_client, committed):
    profile_delete = reverse("admin:profiles_profile_delete", args=[owner.pk])
    assert admin_client.post(profile_delete, {"post": "yes"}).status_code == 403
    user_delete = reverse("admin:profiles_user_delete", args=[owner.owner_id])
    with committed():
        assert admin_client.post(user_delete, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:profiles_profile_changelist"), {"o": "1"})
    assert 'value="delete_selected"' not in changelist.content.decode()
    assert Profile.objects.get(pk=owner.pk).is_published


def test_the_database_refuses_a_deleted_status_without_a_date(owner):
    # An import or a stray update cannot make a site "deleted" that the purge would
    # never erase, nor publish a deleted one without restoring it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(pk=owner.pk).update(status=Profile.Status.DELETED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(pk=owner.pk).update(deleted_at=timezone.now())


# ---------------------------------------------------------------- the purge


def test_the_purge_erases_only_sites_past_their_retention_and_dry_run_changes_nothing(
    owner, second_researcher, moderator, committed
):
    photo = with_photo(owner, committed)
    with committed():
        delete_site(profile=owner, actor=moderator, reason="Asked to.")
        delete_site(profile=second_researcher, actor=moderator, reason="Asked to.")
    deleted_days_ago(owner, 30.01)
    deleted_days_ago(second_researcher, 29.9)
    files = media.site_files(owner.pk)

    dry = purge(committed, "--dry-run")

    assert "Would erase ada (ada@example.org), deleted " in dry
    assert f"{len(files)} files" in dry
    assert "grace" not in dry
    assert "Dry run: would erase 1 site(s) deleted more than 30 days ago; nothing changed." in dry
    assert Profile.objects.filter(pk=owner.pk).exists() and media.site_files(owner.pk) == files

    out = purge(committed)

    assert "Erased ada (ada@example.org)" in out and "grace" not in out
    assert "Erased 1 site(s) deleted more than 30 days ago." in out
    assert not Profile.objects.filter(pk=owner.pk).exists()
    assert not User.objects.filter(email="ada@example.org").exists()
    assert media.site_files(owner.pk) == []
    assert not (Path(settings.MEDIA_ROOT) / photo.removeprefix("/media/")).exists()
    assert Profile.objects.get(pk=second_researcher.pk).is_deleted
    # Idempotent: a second run (tomorrow's cron) finds nothing more.
    assert "Erased 0 site(s)" in purge(committed)


def test_the_retention_is_a_setting(owner, moderator, committed, settings):
    settings.DELETED_SITE_RETENTION_DAYS = 7
    delete_site(profile=owner, actor=moderator, reason="Asked to.")
    deleted_days_ago(owner, 8)
    assert "Erased 1 site(s) deleted more than 7 days ago." in purge(committed)
    assert not Profile.objects.filter(pk=owner.pk).exists()


def test_a_restored_site_is_never_purged(owner, moderator, committed):
    NewsItem.objects.create(profile=owner, title="Still here", date=timezone.now())
    delete_site(profile=owner, actor=moderator, reason="By mistake.")
    deleted_days_ago(owner, 29)
    restore_site(profile=owner, actor=moderator, reason="The owner asked.")
    assert "Erased 0 site(s)" in purge(committed)
    assert NewsItem.objects.filter(profile=owner).exists()
