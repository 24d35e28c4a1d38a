"""Platform pages that anyone may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from profiles.models import Profile

PRIVATE_PATHS = ["/accounts/", "/dashboard/", "/admin/", "/markdownx/"]


def landing(request: HttpRequest) -> HttpResponse:
    sites = Profile.objects.published().only("slug", "first_name", "middle_name", "last_name")
    return render(request, "platform/landing.html", {"sites": sites})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the landing page; accounts, dashboard and admin are private."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS), ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
