"""Moderation: site decisions and their e-mails, hidden items, reports, the audit trail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from news.models import NewsItem
from news.services import save_news_item
from profiles.models import HiddenItem, ModerationAction, Profile, Report
from profiles.moderation.services import (
    ModerationRefused,
    hide_item,
    keep_hidden,
    publish_site,
    reinstate_site,
    request_review,
    resolve_report,
    suspend_site,
    unhide_item,
)
from publications.models import Publication
from publications.services import import_bibtex
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db

BIB = """@article{lovelace1843notes, title = {Notes on the Engine}, author = {Lovelace, Ada},
journal = {Memoirs}, year = {1843}, selected = {true}}"""


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """Run a decision with its after-commit work (the e-mail) done."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def pending(db) -> Profile:
    profile = make_researcher("emmy", status=Profile.Status.PENDING, first_name="Emmy")
    profile.owner.email_confirmed = True
    profile.owner.save()
    return profile


def only_mail():
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    return message, html


# ---------------------------------------------------------------- the site's status


def test_publishing_a_pending_site_opens_it_records_it_and_tells_the_owner(
    pending, moderator, decide, site_client
):
    decide(publish_site, profile=pending, actor=moderator, reason="Welcome aboard.")

    pending.refresh_from_db()
    assert pending.is_published
    assert site_client("emmy").get("/").status_code == 200
    action = ModerationAction.objects.get(profile=pending)
    assert (action.kind, action.actor, action.reason) == ("publish", moderator, "Welcome aboard.")
    message, html = only_mail()
    assert message.to == ["emmy@example.org"]
    assert message.subject == "Your site emmy.localhost is published"
    assert "http://emmy.localhost:8000/" in message.body and "Welcome aboard." in message.body
    assert '<a href="http://emmy.localhost:8000/">' in html


def test_a_site_whose_owner_has_not_confirmed_their_address_cannot_be_published(
    pending, moderator, decide
):
    pending.owner.email_confirmed = False
    pending.owner.save()

    with pytest.raises(ModerationRefused, match="not confirmed"):
        decide(publish_site, profile=pending, actor=moderator)

    pending.refresh_from_db()
    assert pending.status == Profile.Status.PENDING
    assert not mail.outbox and not ModerationAction.objects.exists()


def test_suspending_needs_a_reason_and_shows_a_neutral_403_page(
    owner, moderator, decide, site_client, client
):
    with pytest.raises(ModerationRefused, match="Say why"):
        decide(suspend_site, profile=owner, actor=moderator, reason="  ")

    decide(suspend_site, profile=owner, actor=moderator, reason="Spam links in the bio.")

    response = site_client("ada").get("/publications/")
    assert response.status_code == 403
    assert b"This site is not available" in response.content
    assert b"Spam" not in response.content  # the reason is the owner's business
    assert b"ada.localhost" not in client.get("/").content  # gone from the landing page
    message, html = only_mail()
    assert "suspended" in message.subject and "Spam links in the bio." in message.body
    assert "Spam links in the bio." in html
    owner.refresh_from_db()
    assert owner.status_reason == "Spam links in the bio."


def test_the_owner_of_a_suspended_site_reads_why_in_the_dashboard(
    owner, owner_client, moderator, decide, settings
):
    settings.CONTACT_EMAIL = "moderators@example.org"
    decide(suspend_site, profile=owner, actor=moderator, reason="Spam links in the bio.")

    page = owner_client.get(reverse("dashboard")).content.decode()

    assert "suspended" in page and "Why: Spam links in the bio." in page
    assert "moderators@example.org" in page


def test_reinstating_a_suspended_site_opens_it_again(owner, moderator, decide, site_client):
    decide(suspend_site, profile=owner, actor=moderator, reason="Spam.")
    mail.outbox.clear()

    decide(reinstate_site, profile=owner, actor=moderator, reason="Cleaned up, thank you.")

    assert site_client("ada").get("/").status_code == 200
    message, _ = only_mail()
    assert "back online" in message.subject and "Cleaned up, thank you." in message.body
    kinds = list(ModerationAction.objects.values_list("kind", flat=True))
    assert kinds == ["reinstate", "suspend"]  # newest first


def test_a_decision_that_does_not_fit_the_status_is_refused(owner, pending, moderator, decide):
    with pytest.raises(ModerationRefused):
        decide(publish_site, profile=owner, actor=moderator)  # published already
    with pytest.raises(ModerationRefused):
        decide(reinstate_site, profile=pending, actor=moderator)  # not suspended
    assert not mail.outbox


def test_a_suspended_researcher_is_no_longer_linked_as_a_coauthor(
    owner, second_researcher, moderator, decide, site_client
):
    text = BIB.replace("Lovelace, Ada}", "Lovelace, Ada and Hopper, Grace}")
    import_bibtex(profile=owner, text=text, source="test")
    page = site_client("ada").get("/publications/").content.decode()
    assert 'href="http://grace.localhost:8000/"' in page

    decide(suspend_site, profile=second_researcher, actor=moderator, reason="Spam.")

    page = site_client("ada").get("/publications/").content.decode()
    assert 'href="http://grace.localhost:8000/"' not in page


# ---------------------------------------------------------------- hidden items


@pytest.fixture
def paper(owner) -> Publication:
    import_bibtex(profile=owner, text=BIB, source="test")
    return Publication.objects.get(profile=owner)


@pytest.fixture
def news(owner) -> NewsItem:
    return save_news_item(
        profile=owner, item=NewsItem(title="A talk on engines", content="Slides **here**.")
    )


def test_a_hidden_publication_is_gone_from_every_page_at_once(
    owner, paper, moderator, decide, site_client
):
    visitor = site_client("ada")
    assert "Notes on the Engine" in visitor.get("/").content.decode()  # selected

    decide(
        hide_item, profile=owner, kind="publication", publication=paper, actor=moderator,
        reason="Not the owner's paper.",
    )  # fmt: skip

    for path in ("/", "/publications/", "/publications.bib"):
        assert "Notes on the Engine" not in visitor.get(path).content.decode(), path
    assert visitor.get("/publications/lovelace1843notes/").status_code == 404
    message, _ = only_mail()
    assert "publication “lovelace1843notes”" in message.subject
    assert "Not the owner's paper." in message.body


def test_a_hidden_news_item_is_gone_from_the_site_and_its_feed(
    owner, news, moderator, decide, site_client
):
    visitor = site_client("ada")
    decide(hide_item, profile=owner, kind="news", news_item=news, actor=moderator, reason="Spam.")

    for path in ("/", "/news/", "/feed.xml"):
        assert "A talk on engines" not in visitor.get(path).content.decode(), path
    assert visitor.get(news.path).status_code == 404


def test_a_hidden_bio_leaves_the_page_and_its_description(owner, moderator, decide, site_client):
    decide(hide_item, profile=owner, kind="bio", actor=moderator, reason="Offensive words.")

    page = site_client("ada").get("/").content.decode()
    assert "engines" not in page  # the bio was "I study **engines**."
    assert "Ada K. Lovelace" in page  # the rest stays


def test_a_hidden_photo_leaves_the_page_and_link_previews(
    owner, owner_client, photo_upload, moderator, decide, site_client
):
    owner_client.post(reverse("dashboard_photo"), {"photo": photo_upload})
    owner.refresh_from_db()
    assert 'property="og:image"' in site_client("ada").get("/").content.decode()

    decide(hide_item, profile=owner, kind="photo", actor=moderator, reason="Not a portrait.")

    page = site_client("ada").get("/").content.decode()
    assert "profile-img" not in page and 'property="og:image"' not in page
    # The owner still sees it on their photo page, to replace it.
    assert "profile-img" in owner_client.get(reverse("dashboard_photo")).content.decode()


def test_hiding_the_same_item_twice_is_refused(owner, moderator, decide):
    decide(hide_item, profile=owner, kind="bio", actor=moderator, reason="Offensive words.")
    with pytest.raises(ModerationRefused, match="hidden already"):
        decide(hide_item, profile=owner, kind="bio", actor=moderator, reason="Again.")


def test_the_owner_sees_what_was_hidden_and_why_edits_it_and_asks_for_a_review(
    owner, owner_client, news, moderator, decide, site_client
):
    decide(
        hide_item, profile=owner, kind="news", news_item=news, actor=moderator,
        reason="The link points to a phishing page.",
    )  # fmt: skip
    hidden = HiddenItem.objects.get()
    assert (
        "A moderator hid 1 part of your site"
        in owner_client.get(reverse("dashboard")).content.decode()
    )

    page = owner_client.get(reverse("dashboard_moderation")).content.decode()
    assert "The link points to a phishing page." in page
    assert reverse("dashboard_news_edit", args=[news.pk]) in page
    owner_client.post(
        reverse("dashboard_news_edit", args=[news.pk]),
        {"date": "2024-05-01 10:00", "title": "A talk on engines", "content": "Slides soon."},
    )
    response = owner_client.post(reverse("dashboard_ask_review", args=[hidden.pk]))

    assert response.status_code == 302
    hidden.refresh_from_db()
    assert hidden.review_requested_at is not None
    assert ModerationAction.objects.filter(kind="review_requested").exists()
    assert (
        "waiting for a moderator"
        in owner_client.get(reverse("dashboard_moderation")).content.decode()
    )
    assert "A talk on engines" not in site_client("ada").get("/news/").content.decode()


def test_putting_an_item_back_shows_it_again_and_tells_the_owner(
    owner, news, moderator, decide, site_client
):
    decide(hide_item, profile=owner, kind="news", news_item=news, actor=moderator, reason="Spam.")
    hidden = HiddenItem.objects.get()
    mail.outbox.clear()

    decide(unhide_item, hidden=hidden, actor=moderator, reason="Thanks for fixing it.")

    assert "A talk on engines" in site_client("ada").get("/news/").content.decode()
    assert not HiddenItem.objects.exists()
    message, _ = only_mail()
    assert "is back on ada.localhost" in message.subject


def test_keeping_an_item_hidden_answers_the_review_with_a_reason(owner, moderator, decide):
    hidden = decide(hide_item, profile=owner, kind="bio", actor=moderator, reason="Spam.")
    request_review(hidden=hidden)
    mail.outbox.clear()

    decide(keep_hidden, hidden=hidden, actor=moderator, reason="Still links to the casino.")

    hidden.refresh_from_db()
    assert hidden.review_requested_at is None and hidden.reason == "Still links to the casino."
    message, _ = only_mail()
    assert "stays hidden" in message.subject and "Still links to the casino." in message.body


def test_an_owner_cannot_ask_for_a_review_of_another_sites_item(
    owner, second_researcher, moderator, decide, client
):
    hidden = decide(hide_item, profile=owner, kind="bio", actor=moderator, reason="Spam.")
    client.force_login(second_researcher.owner)

    assert client.post(reverse("dashboard_ask_review", args=[hidden.pk])).status_code == 404
    hidden.refresh_from_db()
    assert hidden.review_requested_at is None


# ---------------------------------------------------------------- reports


def test_resolving_a_report_records_it_and_tells_a_reporter_who_left_an_address(
    owner, moderator, decide
):
    report = Report.objects.create(
        profile=owner, page_url="http://ada.localhost:8000/", reason="spam",
        message="Casino links.", contact_email="reader@example.org",
    )  # fmt: skip

    decide(resolve_report, report=report, actor=moderator, action_taken="We hid the bio.")

    report.refresh_from_db()
    assert (report.status, report.resolved_by, report.action_taken) == (
        "resolved", moderator, "We hid the bio.",
    )  # fmt: skip
    action = ModerationAction.objects.get(kind="report_resolved")
    assert action.target == f"report #{report.pk}"
    message, _ = only_mail()
    assert message.to == ["reader@example.org"] and "We hid the bio." in message.body


def test_a_report_without_an_address_is_resolved_quietly(owner, moderator, decide):
    report = Report.objects.create(
        profile=owner, page_url="http://ada.localhost:8000/", reason="spam", message="Spam."
    )
    decide(resolve_report, report=report, actor=moderator, action_taken="Nothing wrong found.")
    assert not mail.outbox
    with pytest.raises(ModerationRefused, match="resolved already"):
        decide(resolve_report, report=report, actor=moderator, action_taken="Again.")
