"""The researchers' directory on the platform host: `/directory/?q=...&page=N`.

Two queries a page whatever it shows (the count, then the page's profiles);
one when nothing matches. Everything a card needs is on the profile row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from profiles.directory import clean_query, search_profiles
from profiles.links import site_url
from profiles.media import media_path
from profiles.models import Profile

logger = logging.getLogger(__name__)

PAGE_SIZE = 24
# Photos show as 72 px circles (platform.css, .researcher-photo): the smallest
# variant at least twice that keeps them sharp on high-density screens.
PHOTO_SIZE = 72
PHOTO_MIN_WIDTH = 2 * PHOTO_SIZE


@dataclass(frozen=True)
class CardPhoto:
    webp: str
    fallback: str


@dataclass(frozen=True)
class Card:
    profile: Profile
    photo: CardPhoto | None
    initials: str


def card_photo(profile: Profile) -> CardPhoto | None:
    """The public photo's smallest fitting variant, addressed on the site's own host.

    Uploads are served only there (profiles.media), never on the platform host.
    """
    try:
        variants = profile.public_photo.get("variants") or []
        if not variants:
            return None
        fitting = [v for v in variants if v["width"] >= PHOTO_MIN_WIDTH]
        variant = min(fitting, key=lambda v: v["width"]) if fitting else variants[-1]
        return CardPhoto(
            webp=site_url(profile.host, media_path(variant["webp"])),
            fallback=site_url(profile.host, media_path(variant["fallback"])),
        )
    except (KeyError, TypeError, AttributeError):
        # A damaged photo record costs the card its photo, never the page.
        logger.warning("Skipping the damaged photo of profile %s", profile.pk, exc_info=True)
        return None


def initials(profile: Profile) -> str:
    names = [name for name in (profile.first_name, profile.last_name) if name.strip()]
    return "".join(name.strip()[0] for name in names).upper() or profile.slug[:1].upper()


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    page = Paginator(search_profiles(query), PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [Card(profile, card_photo(profile), initials(profile)) for profile in page]
    return render(
        request,
        "platform/directory.html",
        {"query": query, "page": page, "cards": cards, "total": page.paginator.count},
    )
