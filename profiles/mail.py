"""Every e-mail the platform sends goes through here, so that a mail server that is down
loses neither the action nor the mail.

`send()` tries at once. When the backend fails (refused, timed out, an SMTP
error), the message is queued as a background task (profiles.tasks.retry_mail,
run by `manage.py db_worker`) that tries again after 1, 5 and 30 minutes;
after the last failure it is logged at ERROR with its recipients and subject,
for someone to send by hand. When even queuing fails (the database is down
too) that is logged at ERROR at once. Nothing is raised: senders run after
the commit of what the mail is about, which must stand, and the person who
acted must not get an error page for a change that was made.

A view that is about to tell someone "we sent you a link" asks `watch()`
whether it is true, and says what happens instead when it is not.

A queued message keeps its text (links included) in the task's row until
the task results are pruned (`manage.py prune_db_task_results`); it carries
the text and its alternative parts (HTML), which is all any sender uses.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone

logger = logging.getLogger(__name__)

# The waits before each retry: a mail server back within the half hour loses nothing.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))


@dataclass
class Watched:
    """Recipients of the mails sent inside a `watch()` block that did not go out at once."""

    retrying: list[str] = field(default_factory=list)  # queued: tried again in a minute
    lost: list[str] = field(default_factory=list)  # not even queued (logged at ERROR)

    @property
    def all_sent(self) -> bool:
        return not (self.retrying or self.lost)


_watching: ContextVar[Watched | None] = ContextVar("profiles.mail.watching", default=None)


@contextmanager
def watch() -> Iterator[Watched]:
    """`with watch() as mails:` ... then `mails.all_sent`: did every mail go out at once?"""
    watched = Watched()
    token = _watching.set(watched)
    try:
        yield watched
    finally:
        _watching.reset(token)


def not_sent(watched: Watched, to: str, what: str = "the e-mail") -> str:
    """What to tell the person when `what` did not go out to `to` at once; "" when it did."""
    key = to.lower()  # as mail servers compare addresses in practice
    if key in (address.lower() for address in watched.lost):
        return (
            f"We could not send {what} to {to} just now: our mail server did not answer. "
            "Please ask for it again in a few minutes."
        )
    if key in (address.lower() for address in watched.retrying):
        return (
            f"We could not send {what} to {to} just now: our mail server did not answer. "
            "We will try again over the next half hour, so it may come late."
        )
    return ""


def send(message: EmailMessage) -> bool:
    """Send `message` now: True if it went. Else it is retried later (or logged), and False."""
    try:
        message.send()
    except Exception as error:  # any backend failure: the action that sent it must stand
        data = as_data(message)
        queued = _queue_retry(data, attempt=1, error=error)
        watched = _watching.get()
        if watched is not None:
            (watched.retrying if queued else watched.lost).extend(data["to"])
        return False
    return True


def retry(data: dict[str, Any], attempt: int) -> bool:
    """The retry task's work: send a queued message again; True if it went."""
    try:
        from_data(data).send()
    except Exception as error:
        _queue_retry(data, attempt=attempt + 1, error=error)
        return False
    logger.info("E-mail to %s (%r) sent at retry %d.", _to(data), data["subject"], attempt)
    return True


def _queue_retry(data: dict[str, Any], *, attempt: int, error: Exception) -> bool:
    """Queue retry number `attempt` of a message that just failed; False when none is left
    or queuing failed, either of which is logged at ERROR with the recipients and subject."""
    if attempt > len(RETRY_DELAYS):
        logger.error(
            "E-mail to %s (%r) was NOT sent: it failed %d times, the last with %s. "
            "Send it by hand if it still matters.",
            _to(data),
            data["subject"],
            attempt,
            _describe(error),
        )
        return False
    from profiles.tasks import retry_mail

    delay = RETRY_DELAYS[attempt - 1]
    task = retry_mail
    # The database backend waits; one that cannot (tests run tasks at once) does not.
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    logger.warning(
        "E-mail to %s (%r) failed (%s); trying again in %d minutes.",
        _to(data),
        data["subject"],
        _describe(error),
        delay.total_seconds() // 60,
    )
    try:
        task.enqueue(data, attempt)
    except Exception:
        logger.exception(
            "E-mail to %s (%r) was NOT sent, and its retry could not be queued.",
            _to(data),
            data["subject"],
        )
        return False
    return True


def as_data(message: EmailMessage) -> dict[str, Any]:
    """The message as the task's JSON arguments."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def from_data(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        bcc=data["bcc"],
        cc=data["cc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def _to(data: dict[str, Any]) -> str:
    return ", ".join(data["to"] + data["cc"] + data["bcc"])


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"
