"""Reporting a page of a site, on the platform host, for anyone (logged in or not)."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from profiles.moderation.forms import ReportForm
from profiles.moderation.reports import file_report, reported_page, reported_site
from profiles.ratelimit import Budget, retry_after, spend
from profiles.throttling import client_address

# Per client address (IPv6: per /64), in clock-aligned hours (profiles.ratelimit).
# Saved reports: a person rarely has more than a few pages to report in an hour.
REPORTS = Budget("reports", limit=5, seconds=3600)
# Every POST, saved or refused, so that a script cannot keep the form busy with
# invalid ones; high enough that a person's typos never cost them their report.
REPORT_POSTS = Budget("report-posts", limit=20, seconds=3600)
BUDGETS = (REPORTS, REPORT_POSTS)


@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form for `?site=<slug>&page=<URL of one of its pages>` (default: its home)."""
    who = client_address(request) or "unknown"
    wait = retry_after(BUDGETS, who)
    if request.method == "POST" and not wait:
        spend(REPORT_POSTS, who)

    profile = reported_site(request.GET.get("site", ""))
    if profile is None:
        return _refused(request, 404, "no_site")
    page_url = reported_page(profile, request.GET.get("page") or profile.get_absolute_url())
    if page_url is None:
        # The address is not echoed: the page must not let anyone put words on it.
        return _refused(request, 400, "not_a_page", profile=profile)

    if wait:
        # Whatever was typed stays in the form, to send once the wait is over.
        form = ReportForm(initial={name: request.POST.get(name) for name in ReportForm.Meta.fields})
    else:
        form = ReportForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            spend(REPORTS, who)
            file_report(profile=profile, page_url=page_url, **form.cleaned_data)
            return redirect(f"{reverse('report_sent')}?{urlencode({'site': profile.slug})}")

    context = {
        "form": form,
        "profile": profile,
        "page_url": page_url,
        "query": urlencode({"site": profile.slug, "page": page_url}),
        "wait_minutes": math.ceil(wait / 60),
    }
    response = render(request, "platform/report.html", context, status=429 if wait else 200)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@require_safe
def report_sent(request: HttpRequest) -> HttpResponse:
    """What happens next; and the way back to the site, when the link names a published one."""
    profile = reported_site(request.GET.get("site", ""))
    return render(request, "platform/report_sent.html", {"profile": profile})


def _refused(request: HttpRequest, status: int, reason: str, **context) -> HttpResponse:
    return render(
        request, "platform/report_refused.html", {"reason": reason, **context}, status=status
    )
