"""Graceful failure: with the database or Redis gone, the platform keeps what it can.

- Database down: a styled 503 page (no traceback, Retry-After, no-store) on the
  platform and on sites, whether the failure comes in a view or in middleware,
  logged once a minute rather than per request (profiles.unavailable); pages in
  the page cache keep being served, through the WSGI front door as granian runs
  it, and through a real `manage.py serve` whose SQLite database disappears.
- Redis down: every page and form works, uncached (profiles.resilient_cache).
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.handlers.wsgi import WSGIHandler
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    connections,
)
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.models import NewsItem
from news.services import save_news_item
from profiles import unavailable
from profiles.models import Profile
from profiles.pagecache_wsgi import CachedPagesApp
from profiles.resilient_cache import ResilientRedisCache
from publications.services import import_bibtex
from tests.conftest import PASSWORD, bot_check_fields
from tests.test_pagecache_wsgi import call
from tests.test_serve import (
    HASHED_CSS,
    manage_shell,
    production_env,
    start_serve,
    stop,
)

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
BIB = """@article{lovelace1843notes,
  title = {Sketch of the Analytical Engine},
  author = {Lovelace, Ada},
  journal = {Scientific Memoirs},
  year = {1843},
}
"""


@pytest.fixture(autouse=True)
def _outage_not_yet_logged(monkeypatch) -> None:
    # The log line is once a minute per process: each test starts a new minute.
    monkeypatch.setattr(unavailable, "_logged_at", None)


@contextlib.contextmanager
def database_unreachable() -> Iterator[None]:
    """Every query fails as it does when the server refuses connections (or SQLite
    cannot open its file): the error comes from opening the connection."""
    refuse = mock.Mock(side_effect=OperationalError(REFUSED))
    with mock.patch.object(connections["default"], "ensure_connection", refuse):
        yield


def unavailable_page(response) -> str:
    """The 503 page's text, after checking what every 503 answer must carry."""
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "The sites are briefly unavailable" in page
    assert "try again in a minute" in page
    assert "Traceback" not in page and "OperationalError" not in page and REFUSED not in page
    return page


def failing_client(host: str = "localhost") -> Client:
    # Django's test client re-raises a view's exception unless told not to.
    return Client(HTTP_HOST=host, raise_request_exception=False)


# ---------------------------------------------------------------- database down


def test_the_platform_is_a_503_page_while_the_database_is_down(db):
    with database_unreachable():
        response = failing_client().get("/")
    page = unavailable_page(response)
    assert '<link rel="stylesheet"' in page  # styled, from our own static files
    assert "<script" not in page


def test_a_failure_in_the_middleware_is_the_503_page_too(owner):
    # The site's host is not in the tenancy cache: TenancyMiddleware queries, and fails.
    with database_unreachable():
        response = failing_client("ada.localhost").get("/")
    unavailable_page(response)
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db(transaction=True)
def test_a_server_that_really_refuses_connections_is_the_503_page(owner):
    connection = connections["default"]
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's test database lives in memory and cannot be closed: the real-server "
            "test below takes a SQLite file away instead"
        )
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens there
    try:
        response = failing_client("ada.localhost").get("/")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    unavailable_page(response)


def test_a_logged_in_researcher_gets_the_503_page_not_their_session_error(owner):
    client = failing_client()
    client.force_login(owner.owner)  # a session in the database, read on the next request
    with database_unreachable():
        unavailable_page(client.get(reverse("dashboard")))
        unavailable_page(client.post(reverse("dashboard_profile"), {"first_name": "Ada"}))


def test_the_outage_is_logged_at_error_once_a_minute_not_per_request(owner, caplog):
    client = failing_client("ada.localhost")
    with database_unreachable(), caplog.at_level(logging.INFO):
        for _ in range(3):
            assert client.get("/").status_code == 503
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.name == "profiles.unavailable"
    assert "The database cannot be reached" in record.getMessage()
    assert record.exc_info[0] is OperationalError

    # A minute later it is still down: said once more.
    unavailable._logged_at -= unavailable.LOG_EVERY_SECONDS
    with database_unreachable(), caplog.at_level(logging.INFO):
        assert client.get("/").status_code == 503
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 2


@pytest.mark.parametrize(
    "error",
    [RuntimeError("a bug"), OperationalError("no such table: profiles_profile")],
    ids=["a bug", "a schema that is not migrated"],
)
def test_other_errors_are_still_the_500_page(db, error, caplog):
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=error):
        response = failing_client().get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response
    assert any(r.name == "django.request" for r in caplog.records)  # logged, as ever


def _raised_from(cause: Exception) -> Exception:
    try:
        try:
            raise cause
        except Exception as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (OperationalError(REFUSED), True),
        (OperationalError("FATAL: sorry, too many clients already"), True),
        (OperationalError("unable to open database file"), True),
        (OperationalError("database is locked"), True),
        (InterfaceError("connection already closed"), True),
        (_raised_from(OperationalError(REFUSED)), True),
        (OperationalError("no such table: news_newsitem"), False),
        (IntegrityError("UNIQUE constraint failed"), False),
        (ProgrammingError("syntax error"), False),
        (DatabaseError("file is not a database"), False),
        (RuntimeError("a bug"), False),
        (None, False),
    ],
)
def test_which_errors_are_an_outage(error, outage):
    assert unavailable.database_unavailable(error) is outage


@pytest.fixture
def page_cache_on(settings) -> None:
    settings.PAGE_CACHE_SECONDS = 300


def test_cached_site_pages_keep_serving_through_the_front_door_while_the_database_is_down(
    owner, page_cache_on
):
    # As granian runs it: config.wsgi's front door around Django's handler.
    application = CachedPagesApp(WSGIHandler())
    rendered = call(application, "/")
    assert rendered.status == 200

    with database_unreachable():
        cached = call(application, "/")
        uncached = call(application, "/publications/")

    assert cached.status == 200
    assert cached.body == rendered.body
    assert uncached.status == 503
    assert b"The sites are briefly unavailable" in uncached.body


def test_cached_site_pages_keep_serving_through_djangos_handler_too(owner, page_cache_on):
    # Where the front door steps aside (a script prefix, a forwarded host), the page
    # cache middleware answers, before anything that needs the database.
    visitor = failing_client("ada.localhost")
    rendered = visitor.get("/")
    with database_unreachable():
        cached = visitor.get("/")
        uncached = visitor.get("/news/")
    assert cached.status_code == 200
    assert cached.content == rendered.content
    unavailable_page(uncached)


# ---------------------------------------------------------------- Redis down


@pytest.fixture
def redis_down(settings) -> Iterator[None]:
    """The shared cache is our Redis backend, pointed at a port nothing listens on."""
    ResilientRedisCache._down, ResilientRedisCache._down_until = False, 0.0
    settings.CACHES = {
        "default": {
            "BACKEND": "profiles.resilient_cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/10",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    settings.PAGE_CACHE_SECONDS = 300  # on, as in production: every lookup misses
    yield
    ResilientRedisCache._down, ResilientRedisCache._down_until = False, 0.0


@pytest.fixture
def full_site(owner) -> Profile:
    import_bibtex(profile=owner, text=BIB, source="test")
    save_news_item(
        profile=owner, item=NewsItem(date=timezone.now(), title="Paper accepted", content="Yes.")
    )
    return owner


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "I study"),
        ("/publications/", "Sketch of the Analytical Engine"),
        ("/publications/lovelace1843notes/", "Scientific Memoirs"),
        ("/news/", "Paper accepted"),
        ("/feed.xml", "Paper accepted"),
        ("/sitemap.xml", "publications"),
    ],
)
def test_with_redis_down_site_pages_are_served_uncached(full_site, redis_down, path, expected):
    visitor = Client(HTTP_HOST="ada.localhost")
    for _ in range(2):  # the second time too: nothing was stored
        response = visitor.get(path)
        assert response.status_code == 200
        assert expected in response.content.decode()


def test_with_redis_down_a_researcher_logs_in_and_edits_their_site(owner, redis_down):
    client = Client(HTTP_HOST="localhost")
    response = client.post(reverse("login"), {"username": owner.owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200

    data = {"first_name": "Ada", "last_name": "Lovelace", "bio": "I write **programs**.",
            "photo_align": "right", "photo_shape": "rounded"}  # fmt: skip
    assert client.post(reverse("dashboard_profile"), data).status_code == 302
    assert "I write" in Client(HTTP_HOST="ada.localhost").get("/").content.decode()


def test_with_redis_down_sign_up_works_and_the_confirmation_goes_out(
    db, redis_down, django_capture_on_commit_callbacks
):
    data = {"email": "marie@example.org", "first_name": "Marie", "last_name": "Curie",
            "slug": "marie", "password1": PASSWORD, "password2": PASSWORD,
            **bot_check_fields()}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_HOST="localhost").post(reverse("signup"), data)
    assert response.status_code == 302
    assert Profile.objects.filter(slug="marie", owner__email="marie@example.org").exists()
    # "At most one a minute" fails open, as the rate limits do: an outage must not
    # hold back every confirmation as "sent a minute ago".
    (message,) = mail.outbox
    assert message.to == ["marie@example.org"]


def test_with_redis_down_limits_fail_open_and_password_resets_go_out(owner, redis_down):
    # Decided: while Redis is down, nothing is counted (sign-ups, resets, reports,
    # uploads); refusing everyone would be worse than a few minutes unlimited.
    client = Client(HTTP_HOST="localhost")
    for _ in range(2):  # within a minute: the second would be refused with Redis up
        response = client.post(reverse("password_reset"), {"email": owner.owner.email})
        assert response.status_code == 302
    assert len(mail.outbox) == 2


# ---------------------------------------------------------------- a real server


@dataclass
class Served:
    port: int
    process: subprocess.Popen
    database_folder: Path
    log: Path

    def request(
        self, method: str, path: str, host: str, body: str = "", **headers: str
    ) -> tuple[int, dict[str, str], bytes, list[str]]:
        """(status, headers lowercased, body, Set-Cookie values)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            if body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body or None, headers={"Host": host, **headers})
            response = conn.getresponse()
            cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
            lowered = {k.lower(): v for k, v in response.getheaders()}
            return response.status, lowered, response.read(), cookies
        finally:
            conn.close()

    def get(self, path: str, host: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, host, **headers)[:3]


SETUP = f"""
from django.core.management import call_command
from profiles.models import Profile, User

call_command("migrate", verbosity=0)
owner = User.objects.create_user(email="ada@example.org", password={PASSWORD!r})
Profile.objects.create(
    owner=owner, slug="ada", status=Profile.Status.PUBLISHED,
    first_name="Ada", last_name="Lovelace", bio="I study **analytical engines**.",
)
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    """`manage.py serve` on SQLite, its database file in a folder of its own.

    Renaming that folder away is an outage no process can undo by accident (SQLite
    would create a missing file, but not a missing folder) and renaming it back
    ends it. Connections are not kept between requests here, so that every
    request meets the outage, as with a database server that went away.
    """
    data_dir = tmp_path_factory.mktemp("outage")
    database_folder = data_dir / "db"
    database_folder.mkdir()
    env = production_env(data_dir)
    env.update(
        DATABASE_URL=f"sqlite:///{database_folder / 'multifolio.sqlite3'}",
        DATABASE_CONN_MAX_AGE="0",
    )
    manage_shell(env, SETUP)
    log = data_dir / "serve.log"
    # One worker process: "logged once a minute" is per process.
    process, port = start_serve(env, log, workers=1)
    try:
        yield Served(port, process, database_folder, log)
    finally:
        stop(process)


def log_in(server: Served) -> str:
    """A session cookie for ada, from the log-in form."""
    status, _, body, cookies = server.request("GET", "/accounts/login/", "localhost")
    assert status == 200
    csrf_cookie = SimpleCookie("; ".join(cookies))["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())[1]
    form = f"csrfmiddlewaretoken={token}&username=ada%40example.org&password={PASSWORD}"
    status, _, _, cookies = server.request(
        "POST", "/accounts/login/", "localhost", body=form, Cookie=f"csrftoken={csrf_cookie}"
    )
    assert status == 302
    return f"sessionid={SimpleCookie('; '.join(cookies))['sessionid'].value}"


@contextlib.contextmanager
def database_gone(server: Served) -> Iterator[None]:
    away = server.database_folder.with_name("db-away")
    server.database_folder.rename(away)
    try:
        yield
    finally:
        away.rename(server.database_folder)


def test_a_real_server_keeps_serving_cached_pages_and_says_503_for_the_rest(served):
    for _ in range(2):  # rendered, then stored pages from the cache
        status, _, cached_page = served.get("/", "ada.localhost")
        assert status == 200
    session = log_in(served)
    assert served.get("/dashboard/", "localhost", Cookie=session)[0] == 200

    with database_gone(served):
        status, _, body = served.get("/", "ada.localhost")
        assert status == 200
        assert body == cached_page

        answers = [
            served.get("/publications/", "ada.localhost"),  # never cached
            served.get("/", "localhost"),  # the platform's landing page
            served.get("/dashboard/", "localhost", Cookie=session),
        ]
        # Styled: its stylesheet is served from the site's host meanwhile.
        stylesheet = HASHED_CSS.search(answers[0][2].decode())
        assert stylesheet and served.get(stylesheet[1], "ada.localhost")[0] == 200

    for status, headers, body in answers:
        page = body.decode()
        assert status == 503
        assert headers["retry-after"] == "30"
        assert headers["cache-control"] == "no-store"
        assert "The sites are briefly unavailable" in page
        assert "Traceback" not in page and "sqlite" not in page.lower()

    # Back: everything answers again, and the server never stopped.
    assert served.get("/", "localhost")[0] == 200
    assert served.get("/dashboard/", "localhost", Cookie=session)[0] == 200
    assert served.process.poll() is None
    logged = served.log.read_text()
    assert logged.count("The database cannot be reached") == 1  # three 503s, one line


def test_a_task_worker_that_keeps_failing_never_takes_the_sites_down(tmp_path, monkeypatch):
    # With the database down the task worker stops as soon as it starts; the web
    # server must keep serving cached pages however long that lasts. Here the worker
    # always fails, and the "web server" runs until the worker has been started
    # three times (once, then RESTARTS_ALLOWED times), and two seconds longer.
    from io import StringIO

    from profiles.management.commands import serve

    monkeypatch.setattr(serve, "RESTARTS_ALLOWED", 2)
    runs, stop_flag = tmp_path / "runs", tmp_path / "stop"
    worker = f"echo run >> {runs}; [ $(wc -l < {runs}) -ge 3 ] && touch {stop_flag}; exit 1"
    web = f"while [ ! -f {stop_flag} ]; do sleep 0.1; done; sleep 2"
    said = StringIO()
    command = serve.Command(stdout=StringIO(), stderr=said)

    with pytest.raises(serve.CommandError) as stopped:
        command._run_until_stopped(
            {"granian": ["sh", "-c", web], "the task worker": ["sh", "-c", worker]},
            {"PATH": "/usr/bin:/bin"},
            restarted="the task worker",
        )

    assert str(stopped.value).startswith("granian stopped")  # it ended, nothing else
    assert runs.read_text().count("run") == 3  # held back after 2 restarts in the window
    assert "the task worker keeps stopping" in said.getvalue()
