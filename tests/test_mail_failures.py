"""A mail server that fails loses neither the action nor the mail (profiles.mail).

Every sender goes through profiles.mail.send: sign-up confirmation, resending
it, password reset, e-mail change, moderators' decisions, reports (to the
moderators and back to the reporter), custom-domain notices. With the backend
failing, the action is committed, the person who acted is told the truth where
the mail was theirs, and the mail waits in the task queue (the database
backend, as `make serve` runs it) to be tried again after 1, 5 and 30 minutes;
after the last failure it is logged at ERROR with its recipients and subject.

HTTP tests run with real commits (transaction=True): after-commit work, where
mails are sent, runs inside the request as in production.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.core import mail as outbox
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from profiles import mail, owner_mail
from profiles.models import CustomDomain, Profile, Report, User
from profiles.moderation.reports import file_report
from profiles.moderation.services import (
    publish_site,
    resolve_report,
    revoke_domain,
    suspend_site,
)
from profiles.tasks import retry_mail
from tests.conftest import PASSWORD, bot_check_fields, make_researcher

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: nothing listens on its port."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class DisconnectingBackend(BaseEmailBackend):
    """A mail server that hangs up mid-conversation."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(params=[RefusingBackend, DisconnectingBackend], ids=["refused", "disconnected"])
def mail_server_down(request, settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.{request.param.__name__}"


def mail_server_back(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def queued_tasks(settings) -> None:
    """Tasks wait in the database, as under `make serve`, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_mails() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=retry_mail.module_path).order_by("enqueued_at")
    )


def queued_to(address: str) -> DBTaskResult:
    (queued,) = [q for q in queued_mails() if q.args_kwargs["args"][0]["to"] == [address]]
    return queued


def run(queued: DBTaskResult) -> None:
    """What the task worker does with a retry once its time has come: its arguments are
    read back from the database's JSON, as the worker reads them."""
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    queued.delete()  # done: the worker marks it so, and never picks it up again


def a_message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        "Your site is live",
        "Hello Ada, café and all.",
        "Multifolio <noreply@localhost>",
        ["ada@example.org"],
        reply_to=["moderators@example.org"],
        headers={"X-Multifolio": "1"},
    )
    message.attach_alternative("<p>Hello Ada, café and all.</p>", "text/html")
    return message


# ---------------------------------------------------------------- profiles.mail


@pytest.mark.django_db
def test_a_mail_the_server_refuses_waits_a_minute_in_the_queue(mail_server_down, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    assert mail.send(a_message()) is False

    (queued,) = queued_mails()
    message, attempt = queued.args_kwargs["args"]
    assert attempt == 1
    assert queued.run_after == NOW + timedelta(minutes=1)
    assert message["to"] == ["ada@example.org"]
    assert message["subject"] == "Your site is live"


@pytest.mark.django_db
def test_a_retry_that_gets_through_sends_the_message_as_it_was(mail_server_down, settings):
    mail.send(a_message())
    mail_server_back(settings)

    run(queued_mails()[0])

    (sent,) = outbox.outbox
    expected = a_message()
    assert (sent.subject, sent.body, sent.from_email) == (
        expected.subject,
        expected.body,
        expected.from_email,
    )
    assert (sent.to, sent.reply_to, sent.extra_headers) == (
        expected.to,
        expected.reply_to,
        expected.extra_headers,
    )
    assert sent.alternatives == expected.alternatives
    assert queued_mails() == []


@pytest.mark.django_db
def test_retries_wait_longer_each_time_and_the_last_failure_is_logged_at_error(
    mail_server_down, monkeypatch, caplog
):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    mail.send(a_message())
    waits = []
    with caplog.at_level(logging.WARNING, logger="profiles.mail"):
        while queued := queued_mails():
            (retry,) = queued
            waits.append(retry.run_after - NOW)
            run(retry)

    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30)]
    (error,) = [
        r for r in caplog.records if r.levelno == logging.ERROR and r.name == "profiles.mail"
    ]
    text = error.getMessage()
    assert "ada@example.org" in text and "'Your site is live'" in text
    assert "NOT sent" in text and "failed 4 times" in text
    assert outbox.outbox == []


@pytest.mark.django_db
def test_when_even_the_retry_cannot_be_queued_the_mail_is_logged_at_error(
    mail_server_down, monkeypatch, caplog
):
    def database_down_too(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(DatabaseBackend, "enqueue", database_down_too)
    with mail.watch() as mails, caplog.at_level(logging.ERROR, logger="profiles.mail"):
        assert mail.send(a_message()) is False

    assert mails.lost == ["ada@example.org"] and mails.retrying == []
    (error,) = [r for r in caplog.records if r.name == "profiles.mail"]
    assert "ada@example.org" in error.getMessage() and "Your site is live" in error.getMessage()
    assert "could not be queued" in error.getMessage()


@pytest.mark.django_db
def test_tasks_run_at_once_end_in_the_same_error(mail_server_down, settings, caplog):
    # Test settings, or a site run without the task worker's backend: no waiting.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with caplog.at_level(logging.WARNING, logger="profiles.mail"):
        mail.send(a_message())
    said = [r.levelname for r in caplog.records if r.name == "profiles.mail"]
    assert said == ["WARNING"] * 3 + ["ERROR"]


def test_a_mail_that_goes_out_is_not_queued(settings, db):
    with mail.watch() as mails:
        assert mail.send(EmailMessage("Hi", "Body", None, ["ada@example.org"])) is True
    assert mails.all_sent and mail.not_sent(mails, "ada@example.org") == ""
    assert len(outbox.outbox) == 1 and queued_mails() == []


# ---------------------------------------------------------------- accounts


SIGNUP = {
    "email": "marie@example.org",
    "first_name": "Marie",
    "last_name": "Curie",
    "slug": "marie",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.mark.django_db(transaction=True)
def test_sign_up_with_the_mail_server_down_makes_the_account_and_says_the_link_comes_late(
    mail_server_down, settings
):
    client = Client(HTTP_HOST="localhost")
    response = client.post(reverse("signup"), {**SIGNUP, **bot_check_fields()}, follow=True)

    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated
    profile = Profile.objects.get(slug="marie", owner__email="marie@example.org")
    assert profile.status == Profile.Status.PENDING
    page = response.content.decode()
    assert "We could not send the link that confirms your address to marie@example.org" in page
    assert "We will try again over the next half hour" in page
    assert "We sent a link to marie@example.org" not in page

    mail_server_back(settings)
    run(queued_to("marie@example.org"))
    (message,) = outbox.outbox
    link = re.search(r"http://localhost:8000(/accounts/confirm/\S+/)", message.body)[1]
    client.get(link)
    assert User.objects.get(email="marie@example.org").email_confirmed


@pytest.mark.django_db(transaction=True)
def test_sign_up_says_plainly_when_the_link_could_not_even_be_queued(mail_server_down, monkeypatch):
    monkeypatch.setattr(DatabaseBackend, "enqueue", lambda *a, **k: 1 / 0)
    response = Client(HTTP_HOST="localhost").post(
        reverse("signup"), {**SIGNUP, **bot_check_fields()}, follow=True
    )
    page = response.content.decode()
    assert Profile.objects.filter(slug="marie").exists()
    assert "Please ask for it again in a few minutes" in page
    assert "try again over the next half hour" not in page


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_with_the_mail_server_down_says_the_link_comes_late(
    mail_server_down, settings
):
    owner = make_researcher("ada")
    client = Client(HTTP_HOST="localhost")
    response = client.post(reverse("password_reset"), {"email": owner.owner.email}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "We could not send the link to ada@example.org just now" in page

    mail_server_back(settings)
    run(queued_to("ada@example.org"))
    (message,) = outbox.outbox
    assert message.subject == "Reset your Multifolio password"
    link = re.search(r"http://localhost:8000(/accounts/password-reset/\S+/)", message.body)[1]
    # The link still works: Django swaps its token for the form to choose a password.
    assert client.get(link)["Location"].endswith("/set-password/")


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_that_could_not_be_queued_asks_again_instead_of_check_your_inbox(
    mail_server_down, monkeypatch
):
    owner = make_researcher("ada")
    monkeypatch.setattr(DatabaseBackend, "enqueue", lambda *a, **k: 1 / 0)
    response = Client(HTTP_HOST="localhost").post(
        reverse("password_reset"), {"email": owner.owner.email}
    )
    page = response.content.decode()
    assert response.status_code == 503
    assert "Please ask for it again in a few minutes" in page
    assert "Check your e-mail" not in page


@pytest.mark.django_db(transaction=True)
def test_changing_the_address_with_the_mail_server_down_says_so_and_queues_both_mails(
    mail_server_down,
):
    owner = make_researcher("ada")
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner.owner)
    response = client.post(
        reverse("dashboard_account_email"),
        {"new_email": "ada@lovelace.example", "password": PASSWORD},
        follow=True,
    )
    page = response.content.decode()
    assert "We could not send the link to ada@lovelace.example just now" in page
    assert "You keep using ada@example.org until then" in page
    assert queued_to("ada@lovelace.example") and queued_to("ada@example.org")


@pytest.mark.django_db(transaction=True)
def test_sending_the_link_again_with_the_mail_server_down_says_it_comes_late(mail_server_down):
    owner = make_researcher("ada")
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner.owner)
    response = client.post(reverse("confirm_email_resend"), follow=True)
    page = response.content.decode()
    assert "We could not send the link to ada@example.org just now" in page
    assert "We sent a new link" not in page
    assert queued_to("ada@example.org")


# ---------------------------------------------------------------- moderation, reports, domains


@pytest.fixture
def confirmed_pending(db) -> Profile:
    profile = make_researcher("emmy", status=Profile.Status.PENDING)
    User.objects.filter(pk=profile.owner_id).update(email_confirmed=True)
    profile.owner.refresh_from_db()
    return profile


@pytest.mark.django_db(transaction=True)
def test_a_site_is_published_even_when_its_owner_cannot_be_mailed(
    mail_server_down, confirmed_pending, moderator
):
    publish_site(profile=confirmed_pending, actor=moderator)  # commits, then mails

    confirmed_pending.refresh_from_db()
    assert confirmed_pending.status == Profile.Status.PUBLISHED
    assert confirmed_pending.moderation_actions.filter(kind="publish").exists()
    assert queued_to("emmy@example.org").args_kwargs["args"][0]["subject"]


@pytest.mark.django_db(transaction=True)
def test_a_suspension_and_a_revoked_domain_stand_when_the_owner_cannot_be_mailed(
    mail_server_down, moderator
):
    owner = make_researcher("ada")
    domain = CustomDomain.objects.create(profile=owner, host="ada.example", verified=True)

    revoke_domain(domain=domain, actor=moderator, reason="Phishing page.")
    suspend_site(profile=owner, actor=moderator, reason="Spam.")

    owner.refresh_from_db()
    domain.refresh_from_db()
    assert owner.status == Profile.Status.SUSPENDED
    assert domain.revoked_at is not None and not domain.verified
    subjects = [q.args_kwargs["args"][0]["subject"] for q in queued_mails()]
    assert len(subjects) == 2


@pytest.mark.django_db(transaction=True)
def test_a_visitors_report_is_filed_when_the_moderators_cannot_be_mailed(
    mail_server_down, settings
):
    settings.MODERATION_EMAIL = "moderators@example.org"
    make_researcher("ada")
    query = urlencode({"site": "ada", "page": "http://ada.localhost:8000/"})
    response = Client(HTTP_HOST="localhost").post(
        f"/report/?{query}", {"reason": Report.Reason.SPAM, "message": "Ads everywhere."}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.message == "Ads everywhere."
    queued = queued_to("moderators@example.org").args_kwargs["args"][0]
    assert f"Report #{report.pk}" in queued["subject"]


@pytest.mark.django_db(transaction=True)
def test_a_resolved_report_stays_resolved_when_the_reporter_cannot_be_mailed(
    mail_server_down, moderator
):
    owner = make_researcher("ada")
    report = file_report(
        profile=owner,
        page_url="http://ada.localhost:8000/",
        reason=Report.Reason.SPAM,
        message="Ads.",
        contact_email="reader@example.org",
    )
    resolve_report(report=report, actor=moderator, action_taken="Removed the ads.")

    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert queued_to("reader@example.org")


@pytest.mark.django_db(transaction=True)
def test_a_domain_notice_to_an_owner_is_queued_when_the_server_is_down(mail_server_down):
    owner = make_researcher("ada")
    owner_mail.tell_owner(
        owner, "domains", "unverified", html=False,
        host="ada.example", failures=3, message="No CNAME record.", records=[],
    )  # fmt: skip
    queued = queued_to("ada@example.org").args_kwargs["args"][0]
    assert queued["subject"] == "ada.example no longer serves your site"
