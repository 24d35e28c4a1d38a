"""`manage.py serve` (what `make serve` runs), as production runs it: DEBUG off,
granian and the task worker in real processes on loopback, a throw-away data
folder on SQLite. Static files, error pages, a site page and an upload are
fetched over HTTP; SIGTERM must leave no process behind. Then the TLS front:
deploy/check_tls.sh puts deploy/Caddyfile (Caddy's own CA) in front of it."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent
# The loopback ports this suite may take, less those deploy/check_tls.sh listens on:
# a server left on one of them made the Caddy check fail now and then.
TLS_CHECK_PORTS = {18141, 18142, 18143, 18180}
PORTS = [port for port in range(18100, 18200) if port not in TLS_CHECK_PORTS]
STARTUP_SECONDS = 60  # migrate + collectstatic + granian; a few seconds on an idle machine
HASHED_CSS = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+\.[0-9a-f]{12}\.css)"')
ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e5270fe60000000049454e44ae426082"
)


def free_port(*taken: int) -> int:
    ports = [p for p in PORTS if p not in taken]
    random.shuffle(ports)  # two runs at once rarely collide
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18100-18199")


def production_env(data_dir: Path) -> dict[str, str]:
    """The environment `make serve` gives the app, on SQLite and the file cache in data_dir."""
    dropped = {
        "DATABASE_URL",  # CI's PostgreSQL and Redis belong to the test suite
        "REDIS_URL",
        "MEDIA_STORAGE",
        "MEDIA_ROOT",  # DATA_DIR/media: this test's own
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for this process
        "PUBLIC_PORT",
        "PUBLIC_SCHEME",
        "BEHIND_TLS_PROXY",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="a-production-secret-" + "x7Qp2" * 12,
        DATA_DIR=str(data_dir),
        STATIC_ROOT=str(data_dir / "static"),
        PLATFORM_HOST="localhost",
        SITES_DOMAIN="localhost",
        PLATFORM_HOST_ALIASES="",
    )
    return env


# Run in the served database before the server starts: a published site with a bio
# and one uploaded image.
SETUP = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from profiles.models import Profile, User

call_command("migrate", verbosity=0)
owner = User.objects.create_user(email="ada@example.org", password="not-used-here-2024")
ada = Profile.objects.create(
    owner=owner, slug="ada", status=Profile.Status.PUBLISHED,
    first_name="Ada", last_name="Lovelace", bio="I study **analytical engines**.",
)
print(default_storage.save(f"sites/{ada.pk}/uploads/dot.png", ContentFile(PNG)))
"""


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    image: str  # the uploaded file's name in storage

    def get(self, path: str, host: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": host, **headers})
            response = conn.getresponse()
            lowered = {k.lower(): v for k, v in response.getheaders()}
            return response.status, lowered, response.read()
        finally:
            conn.close()


def descendants(pid: int) -> set[int]:
    """Every process below pid, from /proc (granian's master, its workers, the task worker)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The name, in parentheses, may hold spaces: the fields after it are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its parent has not looked yet


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                for pid in descendants(process.pid):
                    os.kill(pid, signal.SIGKILL)
            process.kill()
            process.wait()


def manage_shell(env: dict[str, str], script: str, *, timeout: int = 120) -> str:
    """Run Python in `manage.py shell` with this environment; its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_serve(
    env: dict[str, str], log: Path, *, workers: int = 2, startup_seconds: int = STARTUP_SECONDS
) -> tuple[subprocess.Popen, int]:
    """`manage.py serve` on a free loopback port, once the platform's `/` answers."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + startup_seconds
    while True:
        if process.poll() is not None:
            pytest.fail(f"serve stopped:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", "/", headers={"Host": "localhost"})
                connection.getresponse().read()
                return process, port
            finally:
                connection.close()
        if time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"serve did not answer within {startup_seconds} s:\n{log.read_text()}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("serve")
    env = production_env(data_dir)
    output = manage_shell(env, f"PNG = {ONE_PIXEL_PNG!r}\n{SETUP}")
    image = output.strip().splitlines()[-1]
    process, port = start_serve(env, data_dir / "serve.log")
    try:
        yield Server(port, process, image)
    finally:
        stop(process)


def test_static_files_have_hashed_names_a_long_cache_and_gzip(server):
    status, _, body = server.get("/", "localhost")
    assert status == 200
    stylesheet = HASHED_CSS.search(body.decode())
    assert stylesheet, "the landing page links no stylesheet under a hashed name"

    status, headers, plain = server.get(stylesheet[1], "localhost")
    assert status == 200
    assert headers["content-type"].startswith("text/css")
    assert "max-age=315360000" in headers["cache-control"]
    assert "immutable" in headers["cache-control"]
    assert "content-encoding" not in headers

    status, headers, zipped = server.get(stylesheet[1], "localhost", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped) == plain


@pytest.mark.parametrize(
    ("host", "path", "title"),
    [
        ("localhost", "/no/such/page/", "Page not found"),
        ("nosuch.localhost", "/", "No site here"),
    ],
    ids=["platform host", "unknown site"],
)
def test_error_pages_are_styled_and_never_a_traceback(server, host, path, title):
    status, _, body = server.get(path, host)
    page = body.decode()
    assert status == 404
    assert f"<title>{title}" in page
    assert "Traceback" not in page
    stylesheet = HASHED_CSS.search(page)
    assert stylesheet, "the error page links no stylesheet under a hashed name"
    assert server.get(stylesheet[1], host)[0] == 200


def test_a_forged_host_is_a_rendered_400(server):
    status, _, body = server.get("/", "evil.example")
    assert status == 400
    assert "Traceback" not in body.decode()
    assert HASHED_CSS.search(body.decode())


def test_a_published_site_is_served(server):
    for _ in range(2):  # rendered, then from the page cache
        status, headers, body = server.get("/", "ada.localhost")
        assert status == 200
        page = body.decode()
        assert "<title>Ada Lovelace" in page
        assert "analytical engines" in page
        assert "set-cookie" not in headers
    assert headers.get("etag")


def test_uploads_are_served_by_the_app_on_their_site_only(server):
    status, headers, body = server.get(f"/media/{server.image}", "ada.localhost")
    assert status == 200
    assert headers["content-type"] == "image/png"
    assert body == ONE_PIXEL_PNG
    # Never on the platform host, whose cookies a hostile file could reach.
    assert server.get(f"/media/{server.image}", "localhost")[0] == 404


def test_the_sqlite_file_is_shared_in_wal_mode(server, tmp_path_factory):
    # Readers and the task worker's writes at once: in the default journal mode the
    # worker's poll failed with "database is locked" under load (make bench).
    status, _, _ = server.get("/", "ada.localhost")
    assert status == 200
    database = next(Path(tmp_path_factory.getbasetemp()).glob("serve*/multifolio.sqlite3"))
    with contextlib.closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_task_worker_that_stops_is_started_again_and_sites_keep_serving(server):
    def task_workers() -> set[int]:
        return {
            pid
            for pid in descendants(server.process.pid)
            if alive(pid) and b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        }

    (worker,) = task_workers()
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while not (task_workers() - {worker}):
        assert time.monotonic() < deadline, "the task worker was not started again"
        assert server.process.poll() is None, "serve stopped with its task worker"
        time.sleep(0.2)
    assert server.get("/", "ada.localhost")[0] == 200


def test_sigterm_stops_every_process(server):
    # Last in this file: it ends the module's server.
    tree = descendants(server.process.pid)
    commands = {pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in tree}
    assert sum(b"granian" in c for c in commands.values()) == 3  # the master and 2 workers
    assert sum(b"db_worker" in c for c in commands.values()) == 1

    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0
    left = {pid for pid in tree if alive(pid)}
    assert not left, f"still running after SIGTERM: {[commands[p] for p in left]}"
    assert time.monotonic() - started < 20


# --- What serve refuses, without starting anything -------------------------------


def test_serve_refuses_a_cache_each_process_keeps_alone(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(CommandError, match="LocMemCache") as refused:
        call_command("serve", "--dry-run")
    assert "REDIS_URL" in str(refused.value)


def test_serve_refuses_debug(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("serve", "--dry-run")


def test_serve_runs_granian_and_the_task_worker_on_a_shared_cache(settings, tmp_path, capsys):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    call_command("serve", "--dry-run", "--port", "18199", "--workers", "3", "--threads", "2")
    out = capsys.readouterr().out
    assert "--host 127.0.0.1 --port 18199 --workers 3 --blocking-threads 2" in out
    assert "db_worker" in out


# --- The TLS front ---------------------------------------------------------------


def test_caddy_front_serves_sites_over_https():
    if shutil.which("caddy") is None:
        if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
            pytest.fail("caddy is not installed (apt-get install caddy); CI requires this test")
        pytest.skip("caddy is not installed (apt-get install caddy)")
    # The app, Caddy's "ask" site, https and http: free ports of this suite's range.
    names = ("CHECK_APP_PORT", "CHECK_ASK_PORT", "CHECK_HTTPS_PORT", "CHECK_HTTP_PORT")
    ports: list[int] = []
    for _ in names:
        ports.append(free_port(*ports))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(zip(names, map(str, ports), strict=True), PYTHON=sys.executable)
    result = subprocess.run(
        ["deploy/check_tls.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout
