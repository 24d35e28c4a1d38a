"""Previews of a site, on the platform host: the owner's, and (profiles.admin) the moderators'.

A preview runs the site's own views for `request.tenant`, whatever the site's
status, under a root of its own; profiles.preview.SitePreview keeps every
link inside it and fetches uploads from the site's host.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse

from profiles.dashboard import owned_profile
from profiles.models import Profile
from profiles.preview import SitePreview

# Pages a preview shows; the rest (feeds, sitemaps, uploads) are the public
# site's business, and uploads are fetched from the site's own host.
NOT_PREVIEWED = {"site_media", "robots", "sitemap"}


def owner_preview(profile: Profile) -> SitePreview:
    if profile.is_published:
        banner = "Preview: this is your page as visitors see it."
    elif profile.status == Profile.Status.PENDING:
        banner = (
            "Preview: this is your page as visitors will see it once it is published. "
            "Only you can see it now."
        )
    else:
        banner = (
            "Preview: your site is suspended, so visitors cannot see this page; only you "
            "and the moderators can."
        )
    return SitePreview(
        profile=profile,
        root=reverse("dashboard_preview"),
        back_url=reverse("dashboard"),
        back_label="Back to the dashboard",
        banner=banner,
    )


def render_site_page(request: HttpRequest, preview: SitePreview, page: str) -> HttpResponse:
    """The site's page at `/<page>`, rendered as its own view would, inside `preview`."""
    try:
        match = resolve("/" + page, urlconf=settings.SITES_URLCONF)
    except Resolver404:
        raise Http404("This site has no such page.") from None
    if match.url_name in NOT_PREVIEWED:
        raise Http404("This page is not part of the preview.")
    request.tenant = preview.profile
    request.site_preview = preview
    response = match.func(request, *match.args, **match.kwargs)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@login_required
def preview(request: HttpRequest, page: str = "") -> HttpResponse:
    """The owner's site as visitors see it (or will), also while it awaits a moderator."""
    return render_site_page(request, owner_preview(owned_profile(request)), page)
