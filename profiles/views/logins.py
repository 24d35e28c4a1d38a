"""The owner's "Recent log-ins" page, under the account page (profiles.login_audit)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from profiles import login_audit
from profiles.dashboard import owned_profile


@login_required
@never_cache
def account_logins(request: HttpRequest) -> HttpResponse:
    """The signed-in account's own log-ins and failures; there is no id to name another's."""
    profile = owned_profile(request)
    context = {
        "profile": profile,
        "section": "account",
        "records": login_audit.recent_records(request.user),
        "days": settings.LOGIN_RECORD_DAYS,
        "shown": login_audit.SHOWN,
    }
    return render(request, "platform/dashboard/account_logins.html", context)
