"""Log-in throttling with django-axes: who "the account" and "the client" are,
and a failure limit of its own for each.

Axes counts failed log-ins per lockout parameter (AXES_LOCKOUT_PARAMETERS: the
account's e-mail, the client address) but compares every count with one limit.
A department behind one NAT address fails more often than one person on one
account, so AccountAndAddressHandler compares each count with its own limit
(LOGIN_FAILURE_LIMITS); axes' maintainers point to a custom handler for exactly
this (jazzband/django-axes#661). Settings: "Log-in throttling" in config/settings.py.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from profiles.models import User

# AccessAttempt.username is a CharField(max_length=255).
_USERNAME_MAX_LENGTH = 255


def account_key(email: str | None) -> str | None:
    """The account a log-in is for: the typed e-mail in its one stored form."""
    if not email:
        return None
    return User.objects.normalize_email(email)[:_USERNAME_MAX_LENGTH] or None


def client_account(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account from authenticate()'s credentials, else the form."""
    if credentials:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        typed = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return account_key(typed if isinstance(typed, str) else None)


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address the failures of this request count against.

    REMOTE_ADDR, unless LOGIN_TRUSTS_X_FORWARDED_FOR (BEHIND_TLS_PROXY) says our
    own proxy stands in front: then the right-most X-Forwarded-For entry, the one
    that proxy appended. Entries further left are the client's own word. Without
    a proxy the header is ignored entirely, so no client can pick its address.
    IPv6 addresses count per /64, the block one subscriber normally holds.
    """
    address = _parse_ip(request.META.get("REMOTE_ADDR"))
    if settings.LOGIN_TRUSTS_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        address = _parse_ip(forwarded[-1]) or address
    if address is None:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return str(address)


def _parse_ip(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME: how long a lock lasts after the latest failure."""
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, with a failure limit per lockout parameter.

    Axes locks when get_failures() reaches AXES_FAILURE_LIMIT. Here it returns
    that limit as soon as any parameter has reached its own limit in
    LOGIN_FAILURE_LIMITS, and stays below it otherwise.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        failures = self.failures_by_parameter(request, credentials)
        limits = settings.LOGIN_FAILURE_LIMITS
        if any(count >= limits[parameter] for parameter, count in failures.items()):
            return limit
        return min(max(failures.values(), default=0), limit - 1)

    def failures_by_parameter(self, request, credentials: dict | None = None) -> dict[str, int]:
        """Recent failures of this request's account and of its address, by parameter."""
        values = {
            "username": get_client_username(request, credentials),
            "ip_address": request.axes_ip_address,
        }
        parameters = get_lockout_parameters(request, credentials)
        attempts_per_parameter = self.get_user_attempts(request, credentials)
        failures = {}
        for parameter, attempts in zip(parameters, attempts_per_parameter, strict=True):
            # Nothing typed, or no address: a NULL would pool unrelated requests.
            if values[parameter] is None:
                continue
            total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
            failures[parameter] = total or 0
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful log-in, forget the failures of that account only.

        Axes would also forget every failure from the client's address, so that
        logging in to one's own account would wipe the count of guesses at
        others' accounts made from the same address.
        """
        username = get_client_username(request, credentials)
        if username is None:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
