"""The moderation desk in the admin: who may use it, what its actions say, how many queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.models import NewsItem
from news.services import save_news_item
from profiles.models import ModerationAction, Profile, Report, User
from profiles.moderation.services import hide_item, request_review
from publications.services import import_bibtex
from tests.conftest import PASSWORD, make_researcher, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db) -> User:
    """A moderator as the platform makes them: staff, in the Moderators group, no more."""
    user = User.objects.create_user(email="desk@example.org", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def logged_in(user: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    if user.is_staff:
        verified_login(client, user)  # staff give a code after the password
    else:
        client.force_login(user)
    return client


def confirmed_pending(slug: str) -> Profile:
    profile = make_researcher(slug, status=Profile.Status.PENDING)
    profile.owner.email_confirmed = True
    profile.owner.save()
    return profile


LISTS = [
    "admin:profiles_profile_changelist",
    "admin:profiles_report_changelist",
    "admin:profiles_hiddenitem_changelist",
    "admin:profiles_moderationaction_changelist",
    "admin:publications_publication_changelist",
    "admin:news_newsitem_changelist",
    "admin:profiles_user_changelist",
]


@pytest.mark.parametrize("name", LISTS)
def test_the_desk_is_closed_to_visitors_and_researchers(name, owner):
    url = reverse(name)
    assert Client(HTTP_HOST="localhost").get(url, follow=False).status_code == 302
    response = logged_in(owner.owner).get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("name", LISTS)
def test_a_moderator_can_open_every_list_of_the_desk(name, desk, owner):
    response = logged_in(desk).get(reverse(name), follow=True)
    assert response.status_code == 200


def test_a_moderator_cannot_change_accounts_passwords_or_groups(desk, owner):
    client = logged_in(desk)
    user = owner.owner
    change = reverse("admin:profiles_user_change", args=[user.pk])

    assert client.get(change).status_code == 200  # may look (the confirmed flag)
    client.post(change, {"email": "x@example.org", "is_superuser": "on"})
    user.refresh_from_db()
    assert user.email == "ada@example.org" and not user.is_superuser
    assert client.get(f"/admin/profiles/user/{user.pk}/password/").status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:profiles_profile_change", args=[owner.pk])).status_code == 200
    # Sites' content is not theirs to edit: the page is read-only.
    client.post(reverse("admin:profiles_profile_change", args=[owner.pk]), {"bio": "Changed."})
    owner.refresh_from_db()
    assert owner.bio == "I study **engines**."


def test_the_sites_list_opens_on_the_sites_waiting_for_review(desk, owner):
    confirmed_pending("emmy")
    client = logged_in(desk)

    response = client.get(reverse("admin:profiles_profile_changelist"))
    assert response.status_code == 302 and response.url.endswith("?status__exact=pending")
    page = client.get(response.url).content.decode()
    assert "emmy" in page and ">ada<" not in page


def test_publishing_several_sites_says_what_was_done_and_what_was_not(
    desk, django_capture_on_commit_callbacks
):
    sites = [confirmed_pending(slug) for slug in ("emmy", "sofia", "maryam")]
    unconfirmed = make_researcher("hedy", status=Profile.Status.PENDING)
    client = logged_in(desk)
    url = reverse("admin:profiles_profile_changelist") + "?status__exact=pending"
    chosen = [str(site.pk) for site in [*sites, unconfirmed]]

    asked = client.post(url, {"action": "publish", "_selected_action": chosen})
    assert "Publish these sites" in asked.content.decode()  # the reason page first
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "publish", "_selected_action": chosen, "confirmed": "1", "reason": ""},
            follow=True,
        )

    text = response.content.decode()
    assert "3 site(s) published; 1 skipped: hedy&#x27;s owner has not confirmed" in text
    assert Profile.objects.filter(status="published").count() == 3
    assert len(mail.outbox) == 3
    assert ModerationAction.objects.filter(kind="publish", actor=desk).count() == 3


def test_suspending_from_the_list_needs_a_reason(desk, owner, django_capture_on_commit_callbacks):
    client = logged_in(desk)
    url = reverse("admin:profiles_profile_changelist") + "?status__exact=published"
    data = {"action": "suspend", "_selected_action": [owner.pk], "confirmed": "1"}

    page = client.post(url, {**data, "reason": ""}).content.decode()
    assert "This field is required." in page
    owner.refresh_from_db()
    assert owner.is_published

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "reason": "Spam links."})
    owner.refresh_from_db()
    assert owner.status == "suspended" and owner.status_reason == "Spam links."


def test_a_sites_page_offers_its_decisions_and_hides_its_bio_with_a_reason(
    desk, owner, django_capture_on_commit_callbacks
):
    client = logged_in(desk)
    page = client.get(reverse("admin:profiles_profile_change", args=[owner.pk])).content.decode()
    assert "Suspend the site" in page and "Hide the bio" in page
    assert "Publish the site" not in page  # published already

    hide = reverse("admin:profiles_profile_hide", args=[owner.pk, "bio"])
    assert "Hide the bio of ada" in client.get(hide).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(hide, {"confirmed": "1", "reason": "Offensive words."})

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.bio_hidden
    history = client.get(reverse("admin:profiles_profile_change", args=[owner.pk]))
    assert "Offensive words." in history.content.decode()  # hidden items and audit inline


def test_news_items_are_hidden_and_put_back_from_their_list(
    desk, owner, django_capture_on_commit_callbacks, site_client
):
    item = save_news_item(profile=owner, item=NewsItem(title="Casino", content="Win big."))
    client = logged_in(desk)
    url = reverse("admin:news_newsitem_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"action": "hide", "_selected_action": [item.pk], "confirmed": "1", "reason": "Spam."},
        )
    assert site_client("ada").get(item.path).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "put_back", "_selected_action": [item.pk], "confirmed": "1", "reason": ""},
            follow=True,
        )
    assert "1 item(s) put back" in response.content.decode()
    assert site_client("ada").get(item.path).status_code == 200


def test_the_hidden_items_list_opens_on_review_requests(desk, owner, moderator):
    hidden = hide_item(profile=owner, kind="bio", actor=moderator, reason="Spam.")
    client = logged_in(desk)
    response = client.get(reverse("admin:profiles_hiddenitem_changelist"))
    assert response.url.endswith("?review=asked")
    assert "the bio" not in client.get(response.url).content.decode()

    request_review(hidden=hidden)

    assert "the bio" in client.get(response.url).content.decode()


def test_resolving_reports_from_the_queue(desk, owner, django_capture_on_commit_callbacks):
    report = Report.objects.create(
        profile=owner, page_url="http://ada.localhost:8000/", reason="spam", message="Spam.",
        contact_email="reader@example.org",
    )  # fmt: skip
    client = logged_in(desk)
    url = reverse("admin:profiles_report_changelist")
    assert client.get(url).url.endswith("?status=open")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url + "?status=open",
            {"action": "resolve", "_selected_action": [report.pk], "confirmed": "1",
             "reason": "Nothing wrong found."},
            follow=True,
        )  # fmt: skip

    assert "1 report(s) resolved" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "resolved" and report.resolved_by == desk
    assert mail.outbox[0].to == ["reader@example.org"]


def test_the_audit_trail_is_read_only(desk, owner, moderator):
    hide_item(profile=owner, kind="bio", actor=moderator, reason="Spam.")
    action = ModerationAction.objects.get()
    client = logged_in(desk)
    page = client.get(reverse("admin:profiles_moderationaction_changelist")).content.decode()
    assert "Spam." in page
    client.post(
        reverse("admin:profiles_moderationaction_change", args=[action.pk]), {"reason": "x"}
    )
    action.refresh_from_db()
    assert action.reason == "Spam."
    assert client.get(reverse("admin:profiles_moderationaction_add")).status_code == 403


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill(numbers: range, moderator: User) -> None:
    """Sites waiting for review, each with an open report and a news item awaiting review."""
    for n in numbers:
        profile = make_researcher(f"site{n}", status=Profile.Status.PENDING)
        Report.objects.create(
            profile=profile, page_url=f"http://site{n}.localhost:8000/", reason="spam", message="x"
        )
        import_bibtex(
            profile=profile,
            text=f"@article{{p{n}, title={{T}}, author={{A, B}}, journal={{J}}, year={{2024}}}}",
            source="test",
        )
        item = save_news_item(profile=profile, item=NewsItem(title=f"News {n}", content="x"))
        hidden = hide_item(
            profile=profile, kind="news", news_item=item, actor=moderator, reason="Spam."
        )
        request_review(hidden=hidden)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/profiles/profile/?status__exact=pending",
        "/admin/profiles/report/?status=open",
        "/admin/profiles/hiddenitem/?review=asked",
        "/admin/profiles/moderationaction/",
        "/admin/news/newsitem/",
        "/admin/publications/publication/",
        "/admin/profiles/user/",
    ],
)
def test_the_desks_lists_take_the_same_queries_for_3_rows_as_for_30(url, desk, moderator):
    client = logged_in(desk)
    _fill(range(3), moderator)
    few = _queries(client, url)

    _fill(range(3, 30), moderator)

    assert _queries(client, url) == few
