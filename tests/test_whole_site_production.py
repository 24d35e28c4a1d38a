"""The whole product with DEBUG off, as `make serve` runs it: every page a visitor or a
researcher can reach by following links answers, and none shows a traceback.

A real `manage.py serve` (granian, the task worker, collectstatic's hashed files) on
loopback with the demo researchers loaded. A crawler starts at the landing page and
each demo site, logs in as a demo researcher through the real form, and follows every
link and asset on the platform host and on site hosts: pages, feeds, sitemaps,
stylesheets, scripts, images, papers' files. Every GET must answer 200 (or a redirect
that leads to one); following links must change nothing (GET is safe). And
`check --deploy` is clean for that environment.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from tests.test_serve import ROOT, manage_shell, production_env, start_serve, stop

STARTUP_SECONDS = 90
MAX_FETCHES = 600  # the demo has about 200 reachable URLs; a loop would stop here
DEMO_EMAIL = "amara.okafor@example.org"
DEMO_PASSWORD = "river-ecology-demo-2026"
# Links a crawler must not follow: logging out ends the crawl's session, and the
# admin is behind its own log-in (and two-factor for staff) with tests of its own.
SKIPPED = re.compile(r"^/(accounts/logout/|admin/)")
DEBUG_MARKERS = ("Traceback", "You're seeing this error because you have", "DEBUG = True")

SETUP = """
from django.core.management import call_command
from profiles.models import User
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
user = User.objects.get(email__iexact=EMAIL)
user.set_password(PASSWORD)
user.save(update_fields=["password"])
"""


class Links(HTMLParser):
    """Every URL a page points at: links, assets, forms' GET targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]


@dataclass
class Crawl:
    port: int
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)  # host -> name -> value
    seen: set[tuple[str, str]] = field(default_factory=set)
    fetched: dict[str, int] = field(default_factory=dict)  # "host path" -> status
    problems: list[str] = field(default_factory=list)

    def request(
        self, method: str, host: str, path: str, body: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": host}
        if jar := self.cookies.get(host):
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies.setdefault(host, {})[name] = rest.split(";")[0]
            lowered = {k.lower(): v for k, v in response.getheaders()}
            return response.status, lowered, response.read()
        finally:
            connection.close()

    def log_in(self, email: str, password: str) -> None:
        status, _, page = self.request("GET", "localhost", "/accounts/login/")
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        form = urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password})
        status, headers, _ = self.request("POST", "localhost", "/accounts/login/", form)
        assert status == 302, "the demo researcher could not log in"
        assert urlsplit(headers["location"]).path == "/dashboard/"

    def run(self, starts: list[tuple[str, str]]) -> None:
        queue = deque((host, path, "(start)") for host, path in starts)
        while queue and len(self.fetched) < MAX_FETCHES:
            host, path, referrer = queue.popleft()
            if (host, path) in self.seen:
                continue
            self.seen.add((host, path))
            status, headers, body = self.request("GET", host, path)
            self.fetched[f"{host}{path}"] = status
            where = f"GET {host}{path} (linked from {referrer})"
            if status in (301, 302, 303, 307, 308):
                target = urlsplit(urljoin(f"http://{host}{path}", headers["location"]))
                queue.appendleft((target.hostname or host, _path(target), f"{host}{path}"))
                continue
            if status != 200:
                self.problems.append(f"{where} answered {status}")
                continue
            kind = headers.get("content-type", "")
            text = body.decode("utf-8", errors="replace")
            if any(marker in text for marker in DEBUG_MARKERS):
                self.problems.append(f"{where} shows debugging output")
            if not kind.startswith("text/html"):
                continue
            parser = Links()
            parser.feed(text)
            for url in parser.urls:
                target = urlsplit(urljoin(f"http://{host}{path}", url))
                if target.scheme not in ("http", "https") or not _ours(target.hostname or ""):
                    continue
                if SKIPPED.match(target.path):
                    continue
                queue.append((target.hostname, _path(target), f"{host}{path}"))


def _ours(hostname: str) -> bool:
    return hostname == "localhost" or hostname.endswith(".localhost")


def _path(target) -> str:
    return (target.path or "/") + (f"?{target.query}" if target.query else "")


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator[tuple[int, dict[str, str]]]:
    data_dir = tmp_path_factory.mktemp("whole-site")
    env = production_env(data_dir)
    script = f"EMAIL = {DEMO_EMAIL!r}\nPASSWORD = {DEMO_PASSWORD!r}\n{SETUP}"
    manage_shell(env, script, timeout=300)
    log_path = data_dir / "serve.log"
    process, port = start_serve(env, log_path, startup_seconds=STARTUP_SECONDS)
    try:
        yield port, env
    finally:
        stop(process)
        served_log = log_path.read_text()
        # A 500 anywhere during the crawl is logged even when the page looked fine.
        assert "Internal Server Error" not in served_log, served_log


def _site_rows(env: dict[str, str]) -> str:
    """A fingerprint of what the crawl could have changed, read in another process."""
    script = (
        "from news.models import NewsItem\nfrom profiles.models import Profile\n"
        "from publications.models import Publication\n"
        "print([(p.slug, p.status, p.updated_at.isoformat()) for p in "
        "Profile.objects.order_by('pk')], Publication.objects.count(), NewsItem.objects.count())"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_page_reachable_by_links_answers_with_debug_off(production):
    port, env = production
    before = _site_rows(env)
    crawl = Crawl(port)
    crawl.run([("localhost", "/"), ("amara.localhost", "/"), ("treyes.localhost", "/")])
    crawl.log_in(DEMO_EMAIL, DEMO_PASSWORD)
    crawl.run([("localhost", "/dashboard/")])

    assert crawl.problems == []
    fetched = crawl.fetched
    print(f"Crawled {len(fetched)} URLs on {len({u.split('/')[0] for u in fetched})} hosts.")
    # The crawl really went everywhere: public pages, files and the dashboard.
    for expected in (
        "amara.localhost/publications/",
        "amara.localhost/news/",
        "amara.localhost/feed.xml",
        "localhost/directory/",
        "localhost/dashboard/publications/",
        "localhost/dashboard/news/",
        "localhost/dashboard/profile/",
        "localhost/dashboard/account/",
    ):
        assert fetched.get(expected) == 200, expected
    assert any(url.startswith("amara.localhost/publications/") and url.count("/") > 2
               for url in fetched)  # fmt: skip
    assert any("/static/" in url for url in fetched)
    assert any("/media/" in url for url in fetched)
    assert len(fetched) > 100
    assert _site_rows(env) == before, "following links with GET changed a site"


def test_check_deploy_is_clean_for_the_production_environment(production):
    _port, env = production
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(
    ("host", "path", "status", "title"),
    [
        ("localhost", "/no-such-page/", 404, "Page not found"),
        ("amara.localhost", "/publications/no-such-paper/", 404, "Page not found"),
        ("nobody-here.localhost", "/", 404, "No site here"),
        ("localhost", "/dashboard/publications/999999/", 302, ""),  # anonymous: to the log-in
    ],
)
def test_error_answers_with_debug_off_are_plain_pages(production, host, path, status, title):
    port, _env = production
    answered, _, body = Crawl(port).request("GET", host, path)
    assert answered == status
    text = body.decode()
    assert not any(marker in text for marker in DEBUG_MARKERS)
    assert f"<title>{title}" in text if title else text == ""


def test_the_crawl_log_in_used_a_real_session_cookie(production):
    port, _env = production
    crawl = Crawl(port)
    crawl.log_in(DEMO_EMAIL, DEMO_PASSWORD)
    assert "sessionid" in crawl.cookies["localhost"]
    status, _, _ = crawl.request("GET", "localhost", "/dashboard/")
    assert status == 200
    # Sites set no cookies, even for a logged-in visitor (host-only session cookie).
    assert "amara.localhost" not in crawl.cookies
    crawl.request("GET", "amara.localhost", "/")
    assert "amara.localhost" not in crawl.cookies
