"""Sitemaps of a researcher's site (publications and news add their pages later)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from profiles.links import public_netloc
from profiles.models import Profile


class SitePagesSitemap(Sitemap):
    """The pages of one site, with absolute URLs on the site's own host."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def items(self) -> list[str]:
        return ["/"]

    def location(self, path: str) -> str:
        return path

    def lastmod(self, path: str) -> datetime:
        return self.profile.updated_at

    # Django would take the domain from the request (or django.contrib.sites);
    # ours comes from settings, like every other absolute link.
    def get_protocol(self, protocol: str | None = None) -> str:
        return settings.PUBLIC_SCHEME

    def get_domain(self, site=None) -> str:
        return public_netloc(self.profile.host)
