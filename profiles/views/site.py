"""Public site pages. `request.tenant` is the published profile being served."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from news.selectors import announcements
from profiles import seo
from profiles.links import site_url
from profiles.models import Profile, SocialLink
from profiles.sitemaps import SitePagesSitemap
from publications.selectors import selected_entries

logger = logging.getLogger(__name__)


def displayable_links(links: Iterable[SocialLink]) -> list[SocialLink]:
    """The links that can be shown; one bad row is skipped and logged, not a 500.

    Forms only store good values, but rows also come from the admin, imports
    and SQL: a `javascript:` address or a network we no longer know must cost
    that one icon, never the page.
    """
    shown = []
    for link in links:
        try:
            link.url, link.label, link.icon_ref, link.same_as_url  # noqa: B018 (computed once here)
        except Exception:
            logger.warning(
                "Skipping social link %s of profile %s", link.pk, link.profile_id, exc_info=True
            )
            continue
        shown.append(link)
    return shown


def about_context(profile: Profile, *, href=lambda url: url) -> dict:
    """What the about page shows (`href`: how the page links its own site, for previews)."""
    links = displayable_links(profile.social_links.all())
    selected = selected_entries(profile, href=href) if profile.show_selected_papers else []
    news = announcements(profile) if profile.show_announcements else None
    description = seo.page_description(profile)
    return {
        "profile": profile,
        "nav": "about",
        "social_links": links if profile.show_social else [],
        "description": description,
        "canonical_url": site_url(profile.public_host),
        "og_image": seo.photo_url(profile),
        "jsonld": seo.jsonld_script_body(
            seo.person_jsonld(profile, links, description=description)
        ),
        "selected_papers": selected,
        "announcements": news,
        # What the page already found, the navigation need not ask again.
        "sections": {
            **({"publications": True} if selected else {}),
            # The newest items were fetched: none means the site has no news.
            **({"news": bool(news.items)} if news is not None else {}),
        },
    }


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    preview = request.site_preview
    href = preview.href if preview else (lambda url: url)
    return render(request, "site/about.html", about_context(request.tenant, href=href))


class _MailtoRedirect(HttpResponseRedirect):
    allowed_schemes = ["mailto"]


@require_safe
def email(request: HttpRequest) -> HttpResponse:
    """The e-mail icon links here, so the address never sits in the page for scrapers."""
    link = request.tenant.social_links.filter(network="email").first()
    if link is None or not link.value:
        raise Http404("No e-mail address on this site.")
    response = _MailtoRedirect(f"mailto:{link.value}")
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    profile = request.tenant
    lines = [
        "User-agent: *",
        "Disallow: /email/",
        f"Sitemap: {site_url(profile.public_host, '/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_view(request, sitemaps={"pages": SitePagesSitemap(request.tenant)})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """A monogram in the site's accent colour: every site gets a distinct tab icon."""
    profile = request.tenant
    response = render(
        request,
        "site/favicon.svg",
        {
            "initial": (profile.first_name[:1] or "?").upper(),
            "color": profile.accent_color or "#B509AC",
        },
        content_type="image/svg+xml",
    )
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
