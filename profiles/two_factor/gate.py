"""The second step of logging in: a session is not fully logged in until it gives a code.

After the password, a staff member (always) or an account with two-factor on
(remembered in the session at log-in, so other researchers' requests cost no
query) is "half logged in": every platform page but the few in OPEN_PREFIXES
redirects to the code page, or, for staff without an authenticator app yet, to
setting one up. Researchers' sites are never gated: they have no sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from profiles.moderation.roles import MODERATORS
from profiles.two_factor import devices

SESSION_KEY = "two_factor_required"

# What a half-logged-in session may still open: logging in and out, the second
# step itself, password reset and the e-mailed links (all under /accounts/, and
# usable without a log-in anyway), and endpoints for machines. The rest waits
# for the code, so a section added to the platform later is closed by default.
OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/.well-known/",
    "/csp-report/",
    "/tls/",
    "/robots.txt",
)


def is_verified(user) -> bool:
    """Whether this session gave a code (OTPMiddleware's `is_verified`; False without it)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def is_staff_account(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


def must_use_two_factor(user) -> bool:
    """Staff, superusers and members of the Moderators group may not go without it."""
    return is_staff_account(user) or user.groups.filter(name=MODERATORS).exists()


def second_step_url(user) -> str | None:
    """Where a half-logged-in user goes next; None when nothing is asked of them."""
    if devices.has_two_factor(user):
        return reverse("two_factor_verify")
    if must_use_two_factor(user):
        return reverse("two_factor_setup")
    return None


def with_next(url: str, request: HttpRequest) -> str:
    """`url`, bringing the visitor back to the page they asked for (GET only)."""
    if request.method not in ("GET", "HEAD"):
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def remember_at_log_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """user_logged_in: this session must give a code before it is fully logged in.

    Decided once, at the password step, so that the requests of researchers
    without two-factor cost no query for it. Staff are gated whatever the session
    says (TwoFactorMiddleware reads is_staff), so a staff flag set on an open
    session takes effect at once.
    """
    session = getattr(request, "session", None)
    if session is not None and (must_use_two_factor(user) or devices.has_two_factor(user)):
        session[SESSION_KEY] = True


user_logged_in.connect(remember_at_log_in, dispatch_uid="two-factor-at-log-in")


class TwoFactorMiddleware:
    """Sends a half-logged-in session to the second step (after OTPMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.second_step(request) or self.get_response(request)

    @staticmethod
    def second_step(request: HttpRequest) -> HttpResponse | None:
        if getattr(request, "tenant", None) is not None:
            return None  # a researcher's site: public, cookie-free
        user = request.user
        if not user.is_authenticated:
            return None
        if not (is_staff_account(user) or request.session.get(SESSION_KEY)):
            return None
        if request.path_info.startswith(OPEN_PREFIXES) or is_verified(user):
            return None
        url = second_step_url(user)
        if url is None:
            # Two-factor was turned off since this session logged in.
            request.session.pop(SESSION_KEY, None)
            return None
        return HttpResponseRedirect(with_next(url, request))
