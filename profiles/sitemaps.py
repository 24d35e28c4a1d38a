"""Sitemaps of a researcher's site: the about page, publications and papers, news and items."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from news.selectors import news_pages
from profiles.links import public_netloc
from profiles.models import Profile
from publications.selectors import paper_pages


class SitePagesSitemap(Sitemap):
    """The pages of one site, with absolute URLs on the site's own host."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def items(self) -> list[tuple[str, datetime]]:
        """(path, last modified) of each page; one query for the papers."""
        pages = [("/", self.profile.updated_at)]
        papers = paper_pages(self.profile)
        if papers:
            pages.append(("/publications/", max(modified for _, modified in papers)))
            pages += papers
        return pages + news_pages(self.profile)

    def location(self, item: tuple[str, datetime]) -> str:
        return item[0]

    def lastmod(self, item: tuple[str, datetime]) -> datetime:
        return item[1]

    # Django would take the domain from the request (or django.contrib.sites);
    # ours comes from settings, like every other absolute link.
    def get_protocol(self, protocol: str | None = None) -> str:
        return settings.PUBLIC_SCHEME

    def get_domain(self, site=None) -> str:
        return public_netloc(self.profile.public_host)
