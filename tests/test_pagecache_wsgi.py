"""The WSGI front door (profiles.pagecache_wsgi): cache hits answered before Django runs.

Requests go through `config.wsgi.application`, what granian serves, with
Django's request signals kept from closing the test's database connection
(Django's test Client does the same).
"""

from __future__ import annotations

import dataclasses
import io
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config import wsgi
from profiles import pagecache
from profiles.pagecache import LocalPages, Page
from profiles.pagecache_wsgi import CachedPagesApp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@contextmanager
def connections_kept() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class Spy:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self, app) -> None:
        self.app, self.calls = app, 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.app(environ, start_response)


@pytest.fixture
def django_app(settings) -> Spy:
    """Django's handler, built after the test's settings (middleware read them once)."""
    return Spy(WSGIHandler())


@pytest.fixture
def application(django_app) -> CachedPagesApp:
    return CachedPagesApp(django_app)


def test_the_server_runs_the_front_door_around_djangos_handler():
    assert isinstance(wsgi.application, CachedPagesApp)
    assert isinstance(wsgi.application.django_app, WSGIHandler)


def call(
    application, path: str = "/", *, host: str = "ada.localhost", method: str = "GET", **headers
) -> Answer:
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
    started: list = []
    with connections_kept():
        chunks = application(environ, lambda status, hdrs, exc=None: started.extend([status, hdrs]))
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    status, hdrs = started
    return Answer(int(status.split()[0]), dict(hdrs), body)


def test_a_hit_is_answered_before_django_with_the_bytes_and_headers_of_the_miss(
    owner, application, django_app, django_assert_num_queries
):
    miss = call(application, "/")
    assert django_app.calls == 1 and miss.status == 200
    with django_assert_num_queries(0):
        hit = call(application, "/")
    assert django_app.calls == 1  # Django never saw it
    assert hit.body == miss.body and b"Lovelace" in hit.body
    for name in ("Content-Type", "ETag", "Last-Modified", "Cache-Control",
                 "Content-Security-Policy", "X-Content-Type-Options"):  # fmt: skip
        assert hit.headers[name] == miss.headers[name], name
    assert hit.headers["Content-Length"] == str(len(hit.body))
    assert "Set-Cookie" not in hit.headers and "Vary" not in hit.headers


def test_a_miss_asks_the_cache_once_not_once_in_the_front_door_and_again_in_django(
    owner, application, django_app, monkeypatch
):
    calls = []
    real_lookup = pagecache.lookup
    monkeypatch.setattr(pagecache, "lookup", lambda *a: calls.append(a) or real_lookup(*a))
    call(application, "/")
    assert len(calls) == 1


@pytest.mark.parametrize(
    "path",
    ["/?utm_source=%C3%A9t%C3%A9&x=1", "/robots.txt?q=a+b", "/?raw=\xc3\xa9"],
    ids=["escaped query", "robots.txt with a query", "raw utf-8 query"],
)
def test_the_front_door_finds_the_page_the_middleware_stored_for_any_path(
    owner, application, django_app, path
):
    first = call(application, path)
    assert first.status == 200
    again = call(application, path)
    assert django_app.calls == 1
    assert again.body == first.body


def test_head_and_conditional_hits_are_answered_by_the_front_door(owner, application, django_app):
    stored = call(application, "/")
    head = call(application, "/", method="HEAD")
    assert (head.status, head.body) == (200, b"")
    assert head.headers["Content-Length"] == str(len(stored.body))
    not_modified = call(application, "/", HTTP_IF_NONE_MATCH=stored.headers["ETag"])
    assert (not_modified.status, not_modified.body) == (304, b"")
    assert not_modified.headers["ETag"] == stored.headers["ETag"]
    assert django_app.calls == 1


def test_a_page_changed_by_another_process_is_rendered_afresh_despite_the_local_copy(
    owner, application, django_app
):
    call(application, "/")
    # Another process saved the site: only the shared version changed.
    cache.set(pagecache._version_key("ada.localhost"), pagecache._new_version(), timeout=None)
    call(application, "/")
    assert django_app.calls == 2


def test_plain_http_is_redirected_to_https_not_answered_from_the_cache(
    owner, application, django_app, settings
):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    django_app = Spy(WSGIHandler())  # SecurityMiddleware reads the settings when built
    application = CachedPagesApp(django_app)
    assert call(application, "/", HTTP_X_FORWARDED_PROTO="https").status == 200
    assert call(application, "/", HTTP_X_FORWARDED_PROTO="https").status == 200
    assert django_app.calls == 1
    plain = call(application, "/")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")


def test_the_platform_host_and_static_files_always_go_to_django(owner, application, django_app):
    call(application, "/", host="localhost")
    call(application, "/", host="localhost")
    call(application, "/static/css/site.css")
    assert django_app.calls == 3


def test_a_failing_front_door_leaves_the_answer_to_django_and_is_logged_once(
    owner, application, django_app, monkeypatch, caplog
):
    def broken(environ):
        raise RuntimeError("a bug")

    monkeypatch.setattr(application, "answer_hit", broken)
    with caplog.at_level(logging.ERROR, logger="profiles.pagecache_wsgi"):
        assert call(application, "/").status == 200
        assert call(application, "/").status == 200
    assert django_app.calls == 2
    assert len(caplog.records) == 1


def page_of(size: int) -> Page:
    return Page("v", None, 200, (), b"x" * size, '"e"', "")


def test_local_copies_keep_the_newest_pages_within_their_byte_budget():
    local = LocalPages(max_bytes=1000)
    local.put("a", page_of(200))
    local.put("b", page_of(200))
    local.get("a")  # used: now the newest
    local.put("c", page_of(200))
    local.put("d", page_of(200))
    local.put("e", page_of(200))  # 1,000 bytes held: b, the oldest unused, goes
    local.put("f", page_of(200))
    assert local.get("b") is None and local.get("a") is not None
    assert local.size <= 1000
    local.put("huge", page_of(600))  # over a quarter of the budget: never kept
    assert local.get("huge") is None


def test_a_stale_local_copy_gives_way_to_the_page_another_process_rendered(
    owner, application, django_app
):
    call(application, "/")
    # Another process saw the change, rendered the page and stored it.
    version = pagecache._new_version()
    host_key = pagecache._version_key("ada.localhost")
    page_key = pagecache._page_key("ada.localhost", "/")
    cache.set(host_key, version, timeout=None)
    theirs = dataclasses.replace(cache.get(page_key), version=version, body=b"rendered elsewhere")
    cache.set(page_key, theirs, timeout=300)
    assert call(application, "/").body == b"rendered elsewhere"
    assert django_app.calls == 1  # no render here
