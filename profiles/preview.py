"""Previews of a site, whatever its status: the owner's (dashboard) and the moderators' (admin).

A preview is the real site, rendered by the site's own views on the platform
host, under a root such as `/dashboard/preview/`. Two things differ from the
public site, and `SitePreview` does both:

- links to the site's own pages stay inside the preview (`/news/` becomes
  `/dashboard/preview/news/`), so following them never leaves it;
- uploaded files are fetched from the site's own host, as on the public site,
  with a signed token that lets them through while the site is unpublished.
  The platform host never serves uploads (profiles.media says why).

Tokens name a site and a six-hour window, not a viewer or a file: URLs stay
the same between two renderings of the live preview, so the browser keeps its
copy of each image, and a copied URL stops working within half a day.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.core import signing
from django.utils.crypto import constant_time_compare

from profiles.links import site_url
from profiles.media import SITE_MEDIA_PATH, owner_id
from profiles.models import Profile

TOKEN_WINDOW_SECONDS = 6 * 3600
_signer = signing.Signer(salt="multifolio.preview-media")


def _window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // TOKEN_WINDOW_SECONDS)


def preview_token(profile_id: int, *, now: float | None = None) -> str:
    window = _window(now)
    return f"{window}.{_signer.signature(f'{profile_id}.{window}')}"


def preview_token_is_valid(profile_id: int, token: str, *, now: float | None = None) -> bool:
    """True for a token of this site from the current or the previous window."""
    window_text, _, signature = (token or "").partition(".")
    if not window_text.isdigit() or not signature:
        return False
    window = int(window_text)
    if window not in (_window(now), _window(now) - 1):
        return False
    expected = _signer.signature(f"{profile_id}.{window}")
    return constant_time_compare(signature, expected)


def signed_media_url(profile: Profile, name: str) -> str:
    """The address of a site's file on its own host, valid in a preview."""
    path = SITE_MEDIA_PATH + quote(name)
    return f"{site_url(profile.host, path)}?preview={preview_token(profile.pk)}"


# Stored HTML is in nh3's normal form: attributes double-quoted, `"` escaped.
_SITE_RELATIVE_URL_RE = re.compile(r'\b(href|src)="(/(?!/)[^"]*)"')
_MEDIA_NAME_RE = re.compile(rf"\A{re.escape(SITE_MEDIA_PATH)}(?P<name>[^?#]+)")


def _media_name(url: str) -> str | None:
    match = _MEDIA_NAME_RE.match(url)
    return match["name"] if match else None


@dataclass
class SitePreview:
    """One preview: whose site, under which root, and the way back out of it."""

    profile: Profile
    root: str  # ends with "/"
    back_url: str
    back_label: str
    banner: str

    def page_url(self, path: str) -> str:
        return self.root + path.lstrip("/")

    def href(self, url: str) -> str:
        """Where a site-relative address points inside the preview; others unchanged."""
        if not url.startswith("/") or url.startswith("//"):
            return url
        name = _media_name(url)
        if name is not None:
            return (
                signed_media_url(self.profile, name) if owner_id(name) == self.profile.pk else url
            )
        return self.page_url(url)

    def rewrite(self, stored_html: str) -> str:
        """Stored HTML with its site-relative links and images pointed into the preview."""

        def replace(match: re.Match[str]) -> str:
            url = self.href(html.unescape(match[2]))
            return f'{match[1]}="{html.escape(url)}"'

        return _SITE_RELATIVE_URL_RE.sub(replace, stored_html)


def rewrite_media_for(stored_html: str, may_preview: Callable[[int], bool]) -> str:
    """Point `/media/sites/<id>/…` images at their site's host, for sites the viewer may preview.

    The editor's live preview does not know which page it is for, only who
    asks; an image of a site the viewer may not preview is left as is (it will
    not load, as it would not on that viewer's own site either).
    """
    profiles: dict[int, Profile | None] = {}

    def replace(match: re.Match[str]) -> str:
        name = _media_name(match[2])
        site_id = owner_id(name) if name else None
        if site_id is None or not may_preview(site_id):
            return match[0]
        if site_id not in profiles:
            profiles[site_id] = Profile.objects.filter(pk=site_id).only("pk", "slug").first()
        profile = profiles[site_id]
        if profile is None:
            return match[0]
        return f'{match[1]}="{signed_media_url(profile, name)}"'

    return _SITE_RELATIVE_URL_RE.sub(replace, stored_html)
