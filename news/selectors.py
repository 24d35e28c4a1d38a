"""Reads for the news pages and the about page's announcements: a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from news.models import NewsItem
from profiles.models import Profile

# al-folio scrolls the announcements when the site has more than three items.
SCROLL_AFTER = 3


@dataclass
class Announcements:
    items: list[NewsItem]
    scrollable: bool


def published_news(profile: Profile):
    return NewsItem.objects.filter(profile=profile).published().newest_first()


def announcements(profile: Profile) -> Announcements:
    """The about page's news: newest first, at most the page's limit; one query.

    Fetches one item past what is shown (at least four) to tell whether the
    site has more than three, which is when al-folio's box scrolls.
    """
    limit = profile.announcements_limit
    news = published_news(profile)
    if limit:
        fetched = list(news[: max(limit, SCROLL_AFTER) + 1])
        shown = fetched[:limit]
    else:
        fetched = shown = list(news)
    scrollable = profile.announcements_scrollable and len(fetched) > SCROLL_AFTER
    return Announcements(items=shown, scrollable=scrollable)


def has_news(profile: Profile) -> bool:
    return published_news(profile).exists()


def news_pages(profile: Profile) -> list[tuple[str, object]]:
    """(path, last modified) of the news index and every item page, for the sitemap."""
    if not has_news(profile):
        return []
    items = published_news(profile).exclude(inline=True).exclude(slug="")
    pages = [(item.path, item.updated_at) for item in items.only("slug", "inline", "updated_at")]
    return [("/news/", max((modified for _, modified in pages), default=None)), *pages]


def neighbours(item: NewsItem) -> tuple[NewsItem | None, NewsItem | None]:
    """The item pages just older and just newer than `item` (two queries)."""
    pages = published_news(item.profile).exclude(inline=True).exclude(slug="")
    older = pages.filter(date__lt=item.date).only("slug", "title", "inline").first()
    newer = (
        pages.filter(date__gt=item.date)
        .order_by("date", "pk")
        .only("slug", "title", "inline")
        .first()
    )
    return older, newer


def upload_texts(profile: Profile) -> list[str]:
    """Every news body of the site: they may show images dropped into the editor."""
    return list(NewsItem.objects.filter(profile=profile).values_list("content", flat=True))


def next_scheduled(profile_id: int):
    """When the site's next item dated in the future appears (its pages change then), or None."""
    return (
        NewsItem.objects.filter(profile_id=profile_id, date__gt=timezone.now())
        .visible()
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
