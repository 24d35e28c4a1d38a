"""Platform pages that anyone may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from profiles.models import Profile

PRIVATE_PATHS = ["/accounts/", "/dashboard/", "/admin/", "/markdownx/"]


# The landing page shows the newest sites, not all of them: with thousands of
# sites, listing every one took a third of a second (bench/scale.py). The
# directory has them all, searchable and in pages.
LANDING_SITES = 12


def landing(request: HttpRequest) -> HttpResponse:
    published = Profile.objects.published()
    newest = published.order_by("-created_at", "-pk").only(
        "slug", "first_name", "middle_name", "last_name"
    )[:LANDING_SITES]
    return render(
        request, "platform/landing.html", {"sites": newest, "site_count": published.count()}
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the landing page; accounts, dashboard and admin are private."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS), ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
