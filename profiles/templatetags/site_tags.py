"""Widgets of the public site: the photo, the social icons, single icons."""

from __future__ import annotations

from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import SafeString, mark_safe

from profiles.icons import UnknownIcon, icon_svg
from profiles.models import Profile

register = template.Library()

# The photo column is 30% of a 930px page on desktop and most of the width on
# phones; this lets the browser pick the 480/800/1400 variant that fits.
PHOTO_SIZES = "(max-width: 576px) 70vw, 280px"


@register.simple_tag
def icon(ref: str, label: str | None = None) -> SafeString:
    """Inline SVG for an icon reference such as "fa-brands:github" (see profiles.icons)."""
    try:
        return mark_safe(icon_svg(ref, label=label))  # noqa: S308  (package files, not user input)
    except UnknownIcon:
        return mark_safe(icon_svg("fa-solid:link", label=label))  # noqa: S308


@register.inclusion_tag("includes/profile_photo.html")
def profile_photo(profile: Profile) -> dict:
    variants = profile.photo.get("variants") if profile.photo else None
    if not variants:
        return {"photo": None}
    url = default_storage.url
    middle = variants[min(1, len(variants) - 1)]
    return {
        "photo": {
            "webp_srcset": ", ".join(f"{url(v['webp'])} {v['width']}w" for v in variants),
            "fallback_srcset": ", ".join(f"{url(v['fallback'])} {v['width']}w" for v in variants),
            "src": url(middle["fallback"]),
            "width": middle["width"],
            "height": middle["height"],
            "sizes": PHOTO_SIZES,
            "alt": profile.photo_alt or profile.full_name,
        },
        "profile": profile,
    }
