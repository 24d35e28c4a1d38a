"""Writes to a site's news."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from news.models import NewsItem
from profiles.models import Profile
from profiles.moderation.models import HiddenItem

SLUG_MAX_LENGTH = 100


def unique_slug(profile: Profile, wanted: str, *, exclude_pk: int | None = None) -> str:
    """`wanted` (or one made from it), free among the site's news: "talk", "talk-2", ..."""
    base = slugify(wanted)[:SLUG_MAX_LENGTH].strip("-") or "news"
    taken = set(
        NewsItem.objects.filter(profile=profile, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def save_news_item(*, profile: Profile, item: NewsItem) -> NewsItem:
    """Save a new or edited item; items with a page get an address that is free on the site.

    An inline item has no page, so no address. A titled item keeps its address
    when its title changes: links to it keep working.
    """
    item.profile = profile
    if item.inline:
        item.slug = ""
    elif (
        not item.slug
        or NewsItem.objects.filter(profile=profile, slug=item.slug).exclude(pk=item.pk).exists()
    ):
        item.slug = unique_slug(profile, item.slug or item.title, exclude_pk=item.pk)
    item.save()
    return item


class HiddenByModerator(Exception):
    """The item was hidden by a moderator: it stays (off the site) until reviewed."""


@transaction.atomic
def delete_news_item(*, item: NewsItem) -> None:
    # Deleting a hidden item would drop the moderator's decision with it: the same
    # item posted again (or imported again) would be back on the site.
    if not item.is_visible and HiddenItem.objects.filter(news_item=item).exists():
        raise HiddenByModerator
    item.delete()
