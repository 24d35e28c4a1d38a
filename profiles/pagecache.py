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
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

from django.conf import settings
from django.core.cache import BaseCache, cache, caches
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.encoding import escape_uri_path, iri_to_uri

from profiles.hosts import parse_host_header
from publications.selectors import PEOPLE_VERSION_KEY  # the co-author index's version

# Browsers always revalidate (a 304 is cheap, and an edit must show at once);
# a CDN may keep a page ten seconds, and serve it stale for ten more while it
# revalidates.
CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=10"
# What may be cached: the text pages of a site, never its uploads or downloads.
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/plain")
# Response headers kept with a page (the security headers included); others are dropped.
_DROPPED_HEADERS = {
    "vary", "set-cookie", "cache-control", "expires", "last-modified", "etag", "content-length"
}  # fmt: skip


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


class LocalPages:
    """This process's copies of pages it served lately, newest last, bounded in bytes.

    A page is large (tens of KB) and the versions that say whether it is still
    current are tiny: with a copy here, a hit reads only the versions from the
    shared cache, and never the page, its unpickling or its decompression
    (which were half of a hit's time). A copy is served only when its versions
    match the shared ones, exactly as a page read from the shared cache.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[str, Page] = OrderedDict()
        self.lock = threading.Lock()  # granian serves several requests per process

    def get(self, key: str) -> Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: Page) -> None:
        if len(page.body) > self.max_bytes // 4:
            return  # one huge page must not push out everything else
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                _, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped.body)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0


local_pages = LocalPages(max_bytes=settings.PAGE_CACHE_LOCAL_MB * 1_000_000)


@dataclass(frozen=True)
class Lookup:
    """What the cache said about a request: its page if current, and the versions."""

    page: Page | None
    version: str | None
    people: object


def lookup(host: str, path: str) -> Lookup:
    """The stored page if still current, the host's version and the people version.

    One round trip to the shared cache: the two versions, plus the page when
    this process holds no copy of it.
    """
    version_key, page_key = _version_key(host), _page_key(host, path)
    page = local_pages.get(page_key)
    keys = [version_key, PEOPLE_VERSION_KEY]
    if page is None:
        keys.append(page_key)
    found = _this_threads_cache().get_many(keys)
    version, people = found.get(version_key), found.get(PEOPLE_VERSION_KEY)
    if version is not None and _is_due(version):
        return Lookup(None, None, people)  # a scheduled item appeared: every page is stale
    if version is None:
        return Lookup(None, None, people)
    if page is not None and not (page.version == version and page.people == people):
        # This process's copy is older than the site: another process may have
        # rendered the current page already. A second read beats a render.
        page = _this_threads_cache().get(page_key)
    elif page is None:
        page = found.get(page_key)
    if not (isinstance(page, Page) and page.version == version and page.people == people):
        return Lookup(None, version, people)
    local_pages.put(page_key, page)
    return Lookup(page, version, people)


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


def respond(
    page: Page, method: str, if_none_match: str | None, if_modified_since: str | None
) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) answering a request from a stored page: a 304 when
    the client has it already. Shared by the middleware and the WSGI front door."""
    validators = [
        ("ETag", page.etag),
        ("Last-Modified", page.last_modified),
        ("Cache-Control", CACHE_CONTROL),
    ]
    if _not_modified(page, if_none_match, if_modified_since):
        return 304, validators, b""
    body = b"" if method == "HEAD" else page.body
    return page.status, [*page.headers, *validators], body


def answer(page: Page, request: HttpRequest) -> HttpResponse:
    """The stored page as a Django response (a 304 when the client has it already)."""
    status, headers, body = respond(
        page,
        request.method or "GET",
        request.META.get("HTTP_IF_NONE_MATCH"),
        request.META.get("HTTP_IF_MODIFIED_SINCE"),
    )
    response: HttpResponse = (
        HttpResponseNotModified() if status == 304 else HttpResponse(body, status=status)
    )
    for name, value in headers:
        response.headers[name] = value
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
        headers=(
            *(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _DROPPED_HEADERS
            ),
            ("Content-Length", str(len(body))),  # HEAD answers say it too
        ),
        body=body,
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        last_modified=formatdate(_changed_at(version), usegmt=True),
    )
    key = _page_key(host, path)
    cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    local_pages.put(key, page)
    return page


# Where the WSGI front door (profiles.pagecache_wsgi) leaves its Lookup for the
# middleware, so that a miss costs one round trip to the cache, not two.
LOOKUP_ENVIRON_KEY = "multifolio.page_lookup"


@dataclass(frozen=True)
class Conf:
    """The settings a cache hit reads, read once: `settings.X` costs a microsecond or
    two each, and a hit read a dozen. Read again when a setting changes (tests)."""

    page_seconds: int
    platform_hosts: frozenset[str]
    ssl_redirect: bool
    proxy_ssl_header: tuple[str, str] | None
    plain_paths: bool  # no FORCE_SCRIPT_NAME: Django's path is PATH_INFO
    forwarded_host: bool
    static_url: str


_conf: Conf | None = None


_thread = threading.local()


def _this_threads_cache() -> BaseCache:
    """The default cache, as `cache` gives it, without its proxy's two lookups per use.

    Django keeps one cache object per thread; so does this, until settings change.
    """
    current = conf()
    if getattr(_thread, "conf", None) is not current:
        _thread.cache, _thread.conf = caches["default"], current
    return _thread.cache


def conf() -> Conf:
    global _conf
    if _conf is None:
        _conf = Conf(
            page_seconds=settings.PAGE_CACHE_SECONDS,
            platform_hosts=frozenset({settings.PLATFORM_HOST, *settings.PLATFORM_HOST_ALIASES}),
            ssl_redirect=settings.SECURE_SSL_REDIRECT,
            proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
            plain_paths=settings.FORCE_SCRIPT_NAME is None,
            forwarded_host=settings.USE_X_FORWARDED_HOST,
            static_url=settings.STATIC_URL,
        )
    return _conf


@receiver(setting_changed)
def _forget_conf(**kwargs: object) -> None:
    global _conf
    _conf = None


def wants_lookup(method: str, host: str | None, secure: bool) -> bool:
    """Whether a request may be answered from (and its page stored in) the cache."""
    current = conf()
    return (
        (method == "GET" or method == "HEAD")
        and bool(current.page_seconds)
        and host is not None
        and host not in current.platform_hosts
        # The https redirect (SecurityMiddleware) comes first: a plain http
        # request that must be redirected is never answered with the page.
        and (secure or not current.ssl_redirect)
    )


def page_path(path: str, query_string: str) -> str:
    """The key's path, exactly as HttpRequest.get_full_path() gives it."""
    return escape_uri_path(path) + (f"?{iri_to_uri(query_string)}" if query_string else "")


class PageCacheMiddleware:
    """Answers site pages from the cache before the rest of the stack runs; stores misses.

    Placed right after WhiteNoise: a hit skips tenancy, sessions, CSRF, auth and
    the view. Only GET and HEAD on hosts that are not the platform's. In
    production most hits never get here: config.wsgi answers them before
    Django builds a request (profiles.pagecache_wsgi); this is the same cache,
    and where pages are stored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = _host(request)
        if not wants_lookup(request.method or "", host, request.is_secure()):
            return self.get_response(request)
        path = page_path(request.path, request.META.get("QUERY_STRING", ""))
        found = request.META.get(LOOKUP_ENVIRON_KEY)
        if not isinstance(found, Lookup):
            found = lookup(host, path)
            if found.page is not None:
                return answer(found.page, request)
        version = current_version(host, found.version)
        response = self.get_response(request)
        if cacheable(request, response):
            page = store(host, path, version, found.people, response)
            conditional = answer(page, request)
            if conditional.status_code == 304:
                return conditional
            response.headers["ETag"] = page.etag
            response.headers["Last-Modified"] = page.last_modified
            response.headers["Cache-Control"] = CACHE_CONTROL
        return response
