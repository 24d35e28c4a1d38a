"""Whole site pages from the cache: a hit costs one cache round trip and no query.

A page is stored under its host and path, with the site's content version and
the platform's people version (co-author links) it was rendered at. A hit
reads the page and both current versions in one `get_many`, and serves the
page only when they still match. Every write to a site's content calls
`site_changed()` (signals and the bulk paths, see profiles.signals,
publications.signals, news.signals), which gives each of the site's hosts a
new version once the transaction commits: the next request renders afresh.
Old pages are never deleted; nothing reads them again, and they expire.

Versions are random tokens that carry the time of the change (for
Last-Modified) and, when the site has a news item dated in the future, the
time it appears (pages stored before then stop matching then: time changes
the site without a write). Never counters: if the cache forgets a version, a
new token is made, so a page stored under a forgotten version can never
match again.

Conditional requests: every stored page has a strong ETag (a hash of its
bytes); `If-None-Match` (or `If-Modified-Since`) gets a 304. Cache-Control
lets a CDN keep a page a few seconds and revalidate it cheaply.

A cache that fails (Redis down) makes every lookup a miss and every store a
no-op, logged once (profiles.resilient_cache does that for every cache use).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from profiles.hosts import parse_host_header

# Browsers always revalidate (a 304 is cheap, and an edit must show at once);
# a CDN may keep a page ten seconds, and serve it stale for ten more while it
# revalidates.
CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=10"
# What may be cached: the text pages of a site, never its uploads or downloads.
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/plain")
# Response headers kept with a page (the security headers included); others are dropped.
_DROPPED_HEADERS = {"vary", "set-cookie", "cache-control", "expires", "last-modified", "etag"}
PEOPLE_VERSION_KEY = "publications:people-version"  # publications.selectors bumps it


def _version_key(host: str) -> str:
    return f"pages:version:{host}"


def _page_key(host: str, path: str) -> str:
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return f"pages:page:{host}:{digest}"


def _new_version(due: float | None = None) -> str:
    """A version: "<time of the change>-<random>[-<when the next scheduled item appears>]"."""
    token = f"{time.time():.3f}-{secrets.token_hex(4)}"
    return f"{token}-{due:.0f}" if due else token


def _changed_at(version: str) -> float:
    return float(version.split("-", 1)[0])


def _is_due(version: str) -> bool:
    parts = version.split("-")
    return len(parts) == 3 and time.time() >= float(parts[2])


def _due(profile_id: int | None) -> float | None:
    """When the site's pages change by themselves (a news item dated in the future)."""
    if profile_id is None:
        return None
    from news.selectors import next_scheduled

    when = next_scheduled(profile_id)
    return when.timestamp() if when else None


@dataclass(frozen=True)
class Page:
    """A response as stored: everything needed to answer without Django's view."""

    version: str
    people: object
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    last_modified: str


# ---------------------------------------------------------------- writes


def site_hosts(profile_id: int) -> set[str]:
    """Every host a site answers on: its slug host and its verified custom domains."""
    from profiles.models import CustomDomain, Profile

    slug = Profile.objects.filter(pk=profile_id).values_list("slug", flat=True).first()
    hosts = set(
        CustomDomain.objects.filter(profile_id=profile_id, verified=True).values_list(
            "host", flat=True
        )
    )
    if slug:
        hosts.add(f"{slug}.{settings.SITES_DOMAIN}")
    return hosts


def site_changed(profile_id: int | None, *, extra_hosts: Iterable[str] = ()) -> None:
    """The site's content changed: its pages are stale once the transaction commits.

    `extra_hosts`: hosts the site no longer answers on (an old slug, a removed
    domain), whose pages must stop being served too.
    """
    if profile_id is None:
        return
    extra = set(extra_hosts)

    def bump() -> None:
        hosts = site_hosts(profile_id) | extra
        version = _new_version(_due(profile_id))
        cache.set_many({_version_key(host): version for host in hosts}, timeout=None)

    transaction.on_commit(bump)


def hosts_changed(hosts: Iterable[str]) -> None:
    """Hosts whose pages must go (a custom domain removed, a site deleted)."""
    hosts = set(hosts)

    def bump() -> None:
        version = _new_version()
        cache.set_many({_version_key(host): version for host in hosts}, timeout=None)

    transaction.on_commit(bump)


# ---------------------------------------------------------------- reads


def _host(request: HttpRequest) -> str | None:
    return parse_host_header(request._get_raw_host())


def lookup(host: str, path: str) -> tuple[Page | None, str | None, object]:
    """(the stored page if still current, the host's version, the people version)."""
    version_key, page_key = _version_key(host), _page_key(host, path)
    found = cache.get_many([version_key, page_key, PEOPLE_VERSION_KEY])
    version, people = found.get(version_key), found.get(PEOPLE_VERSION_KEY)
    page = found.get(page_key)
    if version is not None and _is_due(version):
        return None, None, people  # a scheduled item appeared: every page is stale
    if (
        isinstance(page, Page)
        and version is not None
        and page.version == version
        and page.people == people
    ):
        return page, version, people
    return None, version, people


def current_version(host: str, seen: str | None) -> str:
    """The version to store the coming page under, read before the view runs.

    A write that commits while the view runs sets a newer version, so a page
    rendered from older data is stored where nothing looks. A version gone
    from the cache, or whose scheduled time has come, is replaced here without
    a query (the next scheduled item then appears at the latest when pages
    expire, PAGE_CACHE_SECONDS; a write sets the exact time again).
    """
    if seen is not None:
        return seen
    key = _version_key(host)
    version = cache.get(key)
    if version is None:
        cache.add(key, _new_version(), timeout=None)
    elif _is_due(version):
        cache.set(key, _new_version(), timeout=None)
    return cache.get(key) or _new_version()


def answer(page: Page, request: HttpRequest) -> HttpResponse:
    """The stored page, or a 304 when the client has it already."""
    if _not_modified(page, request.META.get("HTTP_IF_NONE_MATCH"),
                     request.META.get("HTTP_IF_MODIFIED_SINCE")):  # fmt: skip
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(b"" if request.method == "HEAD" else page.body, status=page.status)
        for name, value in page.headers:
            response.headers[name] = value
        if request.method == "HEAD":
            response.headers["Content-Length"] = str(len(page.body))
    response.headers["ETag"] = page.etag
    response.headers["Last-Modified"] = page.last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _not_modified(page: Page, if_none_match: str | None, if_modified_since: str | None) -> bool:
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return page.etag in tags or "*" in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return _changed_at(page.version) < since + 1
    return False


def cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    tenant = getattr(request, "tenant", None)
    return (
        tenant is not None
        and tenant.is_published
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "is_media_preview", False)
        and response.get("Content-Type", "").split(";")[0].strip() in CACHEABLE_TYPES
    )


def store(host: str, path: str, version: str, people: object, response: HttpResponse) -> Page:
    body = response.content
    page = Page(
        version=version,
        people=people,
        status=response.status_code,
        headers=tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in _DROPPED_HEADERS
        ),
        body=body,
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        last_modified=formatdate(_changed_at(version), usegmt=True),
    )
    cache.set(_page_key(host, path), page, settings.PAGE_CACHE_SECONDS)
    return page


class PageCacheMiddleware:
    """Answers site pages from the cache before the rest of the stack runs; stores misses.

    Placed right after WhiteNoise: a hit skips tenancy, sessions, CSRF, auth and
    the view. Only GET and HEAD on hosts that are not the platform's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
            return self.get_response(request)
        host = _host(request)
        if host is None or host in _platform_hosts():
            return self.get_response(request)
        path = request.get_full_path()
        page, version, people = lookup(host, path)
        if page is not None:
            return answer(page, request)
        version = current_version(host, version)
        response = self.get_response(request)
        if cacheable(request, response):
            page = store(host, path, version, people, response)
            conditional = answer(page, request)
            if conditional.status_code == 304:
                return conditional
            response.headers["ETag"] = page.etag
            response.headers["Last-Modified"] = page.last_modified
            response.headers["Cache-Control"] = CACHE_CONTROL
        return response


def _platform_hosts() -> set[str]:
    return {settings.PLATFORM_HOST, *settings.PLATFORM_HOST_ALIASES}
