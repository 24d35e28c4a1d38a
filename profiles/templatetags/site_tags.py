"""Widgets of the public site: the photo, the social icons, single icons, and links
that stay inside a preview (profiles.preview) when the page is rendered in one."""

from __future__ import annotations

import logging
import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from profiles.icons import UnknownIcon, icon_svg
from profiles.media import media_path
from profiles.models import Profile
from profiles.preview import SitePreview

register = template.Library()
logger = logging.getLogger(__name__)

# The photo column is 30% of a 930px page on desktop and most of the width on
# phones; this lets the browser pick the 480/800/1400 variant that fits.
PHOTO_SIZES = "(max-width: 576px) 70vw, 280px"


def _preview(context: template.Context) -> SitePreview | None:
    """The preview this page renders in: the request's, or a dashboard page's own."""
    if context.get("site_preview") is not None:
        return context["site_preview"]
    return getattr(context.get("request"), "site_preview", None)


@register.simple_tag(takes_context=True)
def site_href(context: template.Context, url: str) -> str:
    """A site-relative address (`/`, `/email/`, `/media/…`) as this page should link it."""
    preview = _preview(context)
    return preview.href(url) if preview else url


@register.simple_tag(takes_context=True)
def user_html(context: template.Context, html: str) -> SafeString:
    """Stored, sanitized user HTML (bio, contact block), with its links fit for this page."""
    preview = _preview(context)
    return mark_safe(preview.rewrite(html) if preview else html)  # noqa: S308 (sanitized on save)


# The site's sections, in al-folio's navigation order; a section shows only
# when it has content.
SECTIONS = (("publications", "/publications/"), ("news", "/news/"))


def site_sections(context: template.Context) -> dict[str, bool]:
    """Which sections have content: what the view already knows (`sections`), else one
    query per section, asked once per request (the navigation and the feed link share it).
    """
    from news.selectors import has_news
    from publications.selectors import has_publications

    request = context.get("request")
    cached = getattr(request, "_site_sections", None)
    if cached is not None:
        return cached
    profile = context["profile"]
    known = context.get("sections") or {}
    checks = {
        "publications": lambda: has_publications(profile),
        "news": lambda: has_news(profile),
    }
    sections = {name: known[name] if name in known else checks[name]() for name, _ in SECTIONS}
    if request is not None:
        request._site_sections = sections
    return sections


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context: template.Context) -> dict:
    """The navigation links: about, then each section that has something to show."""
    sections = site_sections(context)
    items = [("about", site_href(context, "/"), context.get("nav") == "about")]
    for name, path in SECTIONS:
        if sections[name]:
            items.append((name, site_href(context, path), context.get("nav") == name))
    return {"items": items}


@register.simple_tag(takes_context=True)
def has_section(context: template.Context, name: str) -> bool:
    return site_sections(context)[name]


_PARAGRAPH_TAGS_RE = re.compile(r"</?p>")


@register.simple_tag(takes_context=True)
def inline_news(context: template.Context, item) -> SafeString:
    """An inline news item's content without the paragraph wrapper, as al-folio shows it."""
    return user_html(context, _PARAGRAPH_TAGS_RE.sub("", item.content_html))


@register.simple_tag
def icon(ref: str, label: str | None = None) -> SafeString:
    """Inline SVG for an icon reference such as "fa-brands:github" (see profiles.icons)."""
    try:
        return mark_safe(icon_svg(ref, label=label))  # noqa: S308  (package files, not user input)
    except UnknownIcon:
        return mark_safe(icon_svg("fa-solid:link", label=label))  # noqa: S308


@register.inclusion_tag("includes/profile_photo.html", takes_context=True)
def profile_photo(context: template.Context, profile: Profile, *, hidden_too: bool = False) -> dict:
    """The photo as visitors see it (none while hidden); `hidden_too` for its owner's page."""
    try:
        photo = profile.photo if hidden_too else profile.public_photo
        return {"photo": _photo(context, profile, photo), "profile": profile}
    except (KeyError, TypeError, IndexError, AttributeError):
        # A damaged photo record costs the photo, never the page.
        logger.warning("Skipping the damaged photo of profile %s", profile.pk, exc_info=True)
        return {"photo": None, "profile": profile}


def _photo(context: template.Context, profile: Profile, photo: dict) -> dict | None:
    variants = photo.get("variants") if photo else None
    if not variants:
        return None

    def url(name: str) -> str:
        return site_href(context, media_path(name))

    middle = variants[min(1, len(variants) - 1)]
    return {
        "webp_srcset": ", ".join(f"{url(v['webp'])} {v['width']}w" for v in variants),
        "fallback_srcset": ", ".join(f"{url(v['fallback'])} {v['width']}w" for v in variants),
        "src": url(middle["fallback"]),
        "width": middle["width"],
        "height": middle["height"],
        "sizes": PHOTO_SIZES,
        "alt": profile.photo_alt or profile.full_name,
    }
