"""The news section of a site: the list, a page per item, and the Atom feed."""

from __future__ import annotations

import re

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from news.models import NewsItem
from news.selectors import neighbours, published_news
from profiles.links import site_url

PAGE_SIZE = 20
FEED_SIZE = 20

# C0 control characters XML 1.0 cannot hold (HTML pages shrug them off). Django's
# feed writer refuses the whole feed over one pasted into a title or a name.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(text: str) -> str:
    return _NOT_IN_XML.sub("", text)


@require_safe
def news_index(request: HttpRequest) -> HttpResponse:
    """Every item, newest first, twenty to a page; "No news so far..." when there is none
    (the about page's news heading always links here, as in al-folio)."""
    profile = request.tenant
    page = Paginator(published_news(profile), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "site/news.html",
        {
            "profile": profile,
            "nav": "news",
            "page": page,
            "sections": {"news": bool(page.object_list)},
            "description": f"News from {profile.full_name}.",
            "canonical_url": site_url(profile.public_host, "/news/"),
        },
    )


@require_safe
def news_item(request: HttpRequest, slug: str) -> HttpResponse:
    profile = request.tenant
    item = published_news(profile).filter(slug=slug, inline=False).first()
    if item is None:
        raise Http404("No such news item.")
    older, newer = neighbours(item)
    return render(
        request,
        "site/news_item.html",
        {
            "profile": profile,
            "nav": "news",
            "item": item,
            "older": older,
            "newer": newer,
            "sections": {"news": True},
            "description": Truncator(" ".join(strip_tags(item.content_html).split())).chars(160)
            or item.title,
            "canonical_url": site_url(profile.public_host, item.path),
        },
    )


class NewsFeed(Feed):
    """The latest items as Atom; every link absolute, built from settings, not the Host."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response

    def get_object(self, request: HttpRequest):
        return request.tenant

    def title(self, profile) -> str:
        return _xml_text(f"{profile.full_name}: news")

    def subtitle(self, profile) -> str:
        return _xml_text(f"News from {profile.full_name}'s academic homepage.")

    def link(self, profile) -> str:
        return site_url(profile.public_host, "/news/")

    def feed_url(self, profile) -> str:
        return site_url(profile.public_host, "/feed.xml")

    def author_name(self, profile) -> str:
        return _xml_text(profile.full_name)

    def items(self, profile) -> list[NewsItem]:
        items = list(published_news(profile)[:FEED_SIZE])
        for item in items:
            item.profile = profile  # the tenant, already loaded: no query per item
        return items

    def item_title(self, item: NewsItem) -> str:
        if item.title:
            return _xml_text(item.title)
        text = " ".join(strip_tags(item.content_html).split())
        return _xml_text(Truncator(text).words(12)) or item.date.strftime("%b %d, %Y")

    def item_description(self, item: NewsItem) -> str:
        # Sanitized on save; the generator escapes it for XML.
        return _xml_text(item.content_html)

    def item_link(self, item: NewsItem) -> str:
        return site_url(item.profile.public_host, item.path)

    def item_guid(self, item: NewsItem) -> str:
        # An identifier, not a link: it stays on the slug host when the owner picks
        # a main address, or every feed reader would show every item again.
        return site_url(item.profile.host, f"/news/#news-{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewsItem):
        return item.date

    def item_updateddate(self, item: NewsItem):
        return max(item.updated_at, item.date)

    def item_author_name(self, item: NewsItem) -> str:
        return _xml_text(item.profile.full_name)


feed = require_safe(NewsFeed())
