"""An account's log-ins and failed log-ins, for its owner ("Recent log-ins") and the admins.

The rows are django-axes' own, named by the account's e-mail address: AccessLog
for each password accepted (axes writes it on user_logged_in) and
AccessFailureLog for each wrong password or refusal while locked
(AXES_ENABLE_ACCESS_FAILURE_LOG). The second step of logging in writes to the
same two tables, with its own path (/accounts/two-factor/...), so one list in
the admin, searchable by address, shows everything, and a failure shows for the
account it aimed at even when whoever failed never knew the password.

Kept LOGIN_RECORD_DAYS: older rows are deleted at most once an hour, as new
ones are written, so no scheduled job is needed. Deleting an account for good
deletes its rows (profiles.accounts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.helpers import (
    get_client_http_accept,
    get_client_path_info,
    get_client_session_hash,
    get_client_user_agent,
)
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from profiles.throttling import account_key, client_address

TWO_FACTOR_PATH = "/accounts/two-factor/"
SHOWN = 50  # rows on the owner's page, newest first
PRUNE_EVERY_SECONDS = 3600


@dataclass(frozen=True)
class LoginRecord:
    when: datetime
    succeeded: bool
    what: str
    ip_address: str | None
    browser: str
    user_agent: str


def account_names(user) -> set[str]:
    """The usernames axes files this account's rows under: its address, as stored and as typed."""
    email = user.get_username()
    return {name for name in (email, account_key(email)) if name}


# ---------------------------------------------------------------- writing


def _client_fields(request: HttpRequest) -> dict:
    """What axes records of a request, the way axes records it."""
    return {
        "ip_address": client_address(request),
        "user_agent": get_client_user_agent(request),
        "http_accept": get_client_http_accept(request),
        "path_info": get_client_path_info(request),
    }


def record_code_accepted(request: HttpRequest, user) -> None:
    """The second step passed: a log-in row beside the password's."""
    AccessLog.objects.create(
        username=user.get_username(),
        session_hash=get_client_session_hash(request),
        **_client_fields(request),
    )
    prune_now_and_then()


def record_code_refused(request: HttpRequest, user, *, locked_out: bool = False) -> None:
    """A wrong code: a failed log-in row. `locked_out`: this one used up the tries."""
    AccessFailureLog.objects.create(
        username=user.get_username(), locked_out=locked_out, **_client_fields(request)
    )
    prune_now_and_then()


# ---------------------------------------------------------------- reading


def recent_records(user, *, limit: int = SHOWN) -> list[LoginRecord]:
    """The account's log-ins and failures of the kept period, newest first. Two queries."""
    since = timezone.now() - timedelta(days=settings.LOGIN_RECORD_DAYS)
    names = account_names(user)
    fields = ("attempt_time", "ip_address", "user_agent", "path_info")
    successes = (
        AccessLog.objects.filter(username__in=names, attempt_time__gte=since)
        .order_by("-attempt_time")
        .values_list(*fields)[:limit]
    )
    failures = (
        AccessFailureLog.objects.filter(username__in=names, attempt_time__gte=since)
        .order_by("-attempt_time")
        .values_list(*fields, "locked_out")[:limit]
    )
    records = [
        LoginRecord(when, True, _success_label(path), ip, browser_summary(agent), agent)
        for when, ip, agent, path in successes
    ] + [
        LoginRecord(when, False, _failure_label(path, locked), ip, browser_summary(agent), agent)
        for when, ip, agent, path, locked in failures
    ]
    records.sort(key=lambda record: record.when, reverse=True)
    return records[:limit]


def _success_label(path: str) -> str:
    if path.startswith(TWO_FACTOR_PATH):
        return "Code accepted"
    if "/signup/" in path:
        return "Signed up"
    if "/password-reset/" in path:
        return "New password set"
    return "Password accepted"


def _failure_label(path: str, locked_out: bool) -> str:
    if path.startswith(TWO_FACTOR_PATH):
        return "Wrong code"
    if locked_out:
        return "Refused: too many failures"
    return "Wrong password"


# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"OPR/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS|Chromium)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[\d.]* (?:Mobile/\S+ )?Safari/")),
]
# iPhones and iPads also say "like Mac OS X", Android also says "Linux".
_SYSTEMS = [
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("Linux", re.compile(r"Linux|X11")),
]
UNKNOWN_BROWSER = "Unknown browser"


def browser_summary(user_agent: str) -> str:
    """ "Firefox 128 on Windows", from a User-Agent header; a script's own name otherwise."""
    agent = (user_agent or "").strip()
    if not agent or agent == "<unknown>":
        return UNKNOWN_BROWSER
    browser = next(
        (f"{name} {match[1]}" for name, pattern in _BROWSERS if (match := pattern.search(agent))),
        None,
    )
    system = next((name for name, pattern in _SYSTEMS if pattern.search(agent)), None)
    if browser is None:
        # curl/8.5.0, python-requests/2.32: a program names itself first.
        first = agent.split()[0].split("/")[0][:40]
        browser = first if first and first != "Mozilla" else UNKNOWN_BROWSER
    return f"{browser} on {system}" if system else browser


# ---------------------------------------------------------------- keeping


def prune_login_records(*, now: datetime | None = None) -> int:
    """Delete the log-in rows older than LOGIN_RECORD_DAYS; how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.LOGIN_RECORD_DAYS)
    logs, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return logs + failures


def prune_now_and_then(**kwargs) -> None:
    """Prune at most once an hour, whichever process writes a row first (cache.add is atomic)."""
    if cache.add("login-audit:pruned", True, PRUNE_EVERY_SECONDS):
        prune_login_records()


user_logged_in.connect(prune_now_and_then, dispatch_uid="login-audit-prune-on-log-in")
user_login_failed.connect(prune_now_and_then, dispatch_uid="login-audit-prune-on-failure")
