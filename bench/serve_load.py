"""Load on the production server (`manage.py serve`), cached and uncached, against nginx.

    make bench                       # DURATION=3 make bench: a short run
    .venv/bin/python bench/serve_load.py [--duration 10] [--connections 32] [--wrk-threads 2]
                                         [--web-workers 2] [--web-threads 4]

1. In a temporary DATA_DIR (SQLite; with DATABASE_URL set, a PostgreSQL database of its
   own on that server, dropped afterwards): migrate, load the demo researchers (through
   the al-folio importer: photo, bio, news, papers), then give amara 500 more papers
   through the real BibTeX import (bench/bibgen.py, with her name as the owner's) and 100
   more news items through the dashboard's service. With REDIS_URL set, the cache is that
   Redis, under a key prefix of this run's own (its keys are deleted afterwards); else the
   file cache in the temporary DATA_DIR.
2. Starts `manage.py serve` (what `make serve` runs: DEBUG=0, here with a generated
   SECRET_KEY; migrate, collectstatic, granian and the task worker) on 127.0.0.1, twice
   in turn: page cache on (the default PAGE_CACHE_SECONDS) and off (PAGE_CACHE_SECONDS=0).
3. Fetches the about page `/` and `/publications/` once on the site's host (200, HTML,
   the expected content; their size noted), then drives each with wrk (Debian's; installed
   when missing and running as root) for DURATION seconds after a 1-second warm-up:
   requests/s, p50 and p99 latency, errors (non-2xx/3xx responses, socket errors).
4. With nginx installed (/usr/sbin/nginx), serves the very bytes fetched in 3 from files
   (loopback only, sendfile, no access log) and drives it the same way in the same run:
   our requests/s as a fraction of nginx's.
5. Prints a table and the targets of issue 11 with PASS or MISS. On this 2-core machine
   wrk shares the cores with the server: compare the ratios of one run, not absolute
   figures across runs. Exits non-zero only when requests failed or a page did not answer
   as expected; a missed target is printed, never fatal.

Bounded: every wrk run lasts DURATION seconds and a watchdog stops the whole run after a
few minutes; everything listens on 127.0.0.1 (ports from 18200); every process started
is stopped by its process group (Ctrl-C included) and the temporary folder is removed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "amara"  # a demo researcher (profiles/demo/sites/amara): photo, bio, news, papers
HOST = f"{SLUG}.localhost"
# (path, what it is, a text the page must hold)
PAGES = [("/", "about", "Okafor"), ("/publications/", "publications", "Okafor")]
PAPERS, NEWS = 500, 100
# Papers marked selected (the about page's list). bench/bibgen.py marks 8% (40 of
# 500); real sites mark a handful: 1 to 7 in every bibliography of ../shared/corpus,
# up to 62 entries. The newest SELECTED keep the mark; --selected changes it.
SELECTED = 6
# bench/bibgen.py writes its owner in these three ways; amara's highlighting knows these.
OWNER_NAMES = {
    "Lovelace, Ada K.": "Okafor, Amara N.",
    "Ada K. Lovelace": "Amara N. Okafor",
    "A. K. Lovelace": "A. N. Okafor",
}
PORTS = range(18200, 18300)
NGINX = Path("/usr/sbin/nginx")
CACHED_FRACTION_TARGET = 0.5  # of nginx's requests/s, for the same bytes
UNCACHED_ABOUT_TARGET = 200.0  # requests/s
FEW_REQUESTS = 100  # a run with fewer completed requests gives rough figures
START_TIMEOUT = 180  # seconds for `serve` to migrate, collect static files and answer
STOP_TIMEOUT = 25  # `serve` gives its processes 15 s to finish


class Stopped(BaseException):
    """Ctrl-C, SIGTERM or the watchdog: clean up and leave."""


# --- wrk's output ----------------------------------------------------------------------

SOCKET_ERRORS = ("connect", "read", "write", "timeout")  # as wrk names them
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_SOCKET = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", re.MULTILINE
)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int = 0
    socket: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOCKET_ERRORS, 0))

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + sum(self.socket.values())

    def describe_errors(self) -> str:
        parts = [f"{n} {kind}" for kind, n in self.socket.items() if n]
        if self.non_2xx_3xx:
            parts.insert(0, f"{self.non_2xx_3xx} non-2xx/3xx")
        return ", ".join(parts) or "none"


def parse_wrk(text: str) -> WrkResult:
    """The figures of `wrk --latency` output; ValueError when a figure is missing."""
    rps, total = _RPS.search(text), _TOTAL.search(text)
    percentiles = {p: float(v) * _UNITS_MS[u] for p, v, u in _PERCENTILE.findall(text)}
    if rps is None or total is None or set(percentiles) != {"50", "99"}:
        raise ValueError("not the output of `wrk --latency`:\n" + text)
    result = WrkResult(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * _UNITS_MS[total.group(3)] / 1000,
        rps=float(rps.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
    )
    if socket_errors := _SOCKET.search(text):
        counts = map(int, socket_errors.groups())
        result.socket = dict(zip(SOCKET_ERRORS, counts, strict=True))
    if non_2xx := _NON_2XX.search(text):
        result.non_2xx_3xx = int(non_2xx.group(1))
    return result


# --- processes -------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
    return children


def _groups(pid: int) -> set[int]:
    """The process groups of a process and all its descendants (`serve` puts granian and
    the task worker in groups of their own)."""
    children, todo, groups = _children(), [pid], set()
    while todo:
        current = todo.pop()
        with contextlib.suppress(ProcessLookupError):
            groups.add(os.getpgid(current))
        todo += children.get(current, [])
    return groups


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Stop a process started in a group of its own, with everything it started."""
    if process is None:
        return
    groups = _groups(process.pid) | {process.pid}
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_TIMEOUT)
    for group in groups:  # whatever did not stop when asked
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    process.wait()


def free_ports(count: int) -> list[int]:
    ports = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise SystemExit(f"No {count} free ports on 127.0.0.1 in {PORTS.start}-{PORTS.stop - 1}.")


def fetch(port: int, path: str, host: str = HOST, timeout: float = 30) -> tuple[int, Any, bytes]:
    """(status, headers (case-insensitive), body) of one GET on 127.0.0.1."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


# --- the data --------------------------------------------------------------------------


class Database:
    """SQLite in the data folder, or a PostgreSQL database of this run's own."""

    def __init__(self, url: str) -> None:
        self.admin_url, self.name, self.url = url, "", ""
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("postgres", "postgresql"):
                raise SystemExit(f"DATABASE_URL: only PostgreSQL is supported here, not {url!r}.")
            self.name = f"multifolio_bench_{os.getpid()}"
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def describe(self) -> str:
        if not self.name:
            return "SQLite in the temporary DATA_DIR"
        parts = urlsplit(self.url)
        server = (parts.hostname or "the local socket") + (f":{parts.port}" if parts.port else "")
        return f"PostgreSQL database {self.name} on {server} (dropped afterwards)"

    def _run(self, sql: str) -> None:
        import psycopg

        # Connect to the database DATABASE_URL names (or the server's default one).
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> None:
        if self.name:
            self._run(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.name:
            self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def seed(env: dict[str, str], selected: int = SELECTED) -> dict[str, int]:
    """Migrate, load the demo sites, then amara's 500 papers and 100 news items.

    `selected`: how many of her papers stay selected (the newest); -1 keeps bibgen's.
    """
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from bench.bibgen import generate
    from news.models import NewsItem
    from news.services import save_news_item
    from profiles.models import Profile
    from publications.models import Publication
    from publications.services import import_bibtex

    call_command("migrate", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    profile = Profile.objects.get(slug=SLUG)
    if not (profile.is_published and profile.public_photo and profile.bio):
        raise SystemExit(f"The demo site {SLUG} is unpublished, or has no photo or bio.")

    bib = generate(entries=PAPERS, broken=0, seed=2025).text
    for theirs, hers in OWNER_NAMES.items():
        bib = bib.replace(theirs, hers)
    report = import_bibtex(profile=profile, text=bib, source="bench/serve_load.py")
    if len(report.added) != PAPERS or report.problems:
        raise SystemExit(f"The BibTeX import added {len(report.added)} of {PAPERS}.")
    if selected >= 0:
        marked = Publication.objects.filter(profile=profile, selected=True)
        keep = marked.order_by("-year", "position").values_list("pk", flat=True)[:selected]
        marked.exclude(pk__in=list(keep)).update(selected=False)

    now = timezone.now()
    for n in range(NEWS):
        date = now - timedelta(days=3 + n * 11, hours=n % 7)
        if n % 4 == 3:
            item = NewsItem(
                date=date,
                inline=True,
                content=f"Talk {n} at the *Northbridge* seminar on drought and food webs. :tada:",
            )
        else:
            item = NewsItem(
                date=date,
                title=f"Field season {n}: sensors back in the Aln",
                content=(
                    f"We redeployed **{10 + n} sensors** along the river; the data are "
                    "[open](https://example.org/data) as always.\n\n"
                    "- temperature and flow, every 10 minutes\n- dissolved oxygen, hourly\n\n"
                    "The model's residual variance fell to $\\sigma^2 = 0.04$."
                ),
            )
        save_news_item(profile=profile, item=item)

    counts = {
        "papers": Publication.objects.filter(profile=profile).count(),
        "selected": Publication.objects.filter(profile=profile, selected=True).count(),
        "news": NewsItem.objects.filter(profile=profile).count(),
    }
    connections.close_all()
    return counts


# --- servers ---------------------------------------------------------------------------


def start_server(env: dict[str, str], port: int, args: argparse.Namespace, log: Path):
    command = [
        sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port),
        "--workers", str(args.web_workers), "--threads", str(args.web_threads),
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stop(process)
            raise SystemExit(f"`manage.py serve` stopped (status {process.returncode}):\n"
                             + tail(log))  # fmt: skip
        with contextlib.suppress(OSError, http.client.HTTPException):
            if fetch(port, "/", timeout=5)[0] == 200:
                return process
        time.sleep(0.3)
    stop(process)
    raise SystemExit(f"`manage.py serve` did not answer within {START_TIMEOUT} s:\n" + tail(log))


NGINX_CONF = """\
{user}worker_processes 2;
daemon off;
master_process on;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server_tokens off;
    types {{ text/html html; }}
    default_type application/octet-stream;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        root {tmp}/www;
    }}
}}
"""


def start_nginx(tmp: Path, port: int, pages: dict[str, bytes]) -> subprocess.Popen:
    """nginx serving `pages` ({path: body}) as files: `/x/` is www/x/index.html."""
    for path, body in pages.items():
        target = tmp / "www" / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    # As root, nginx's workers would switch to `nobody`, who cannot read this private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, port=port))
    command = [str(NGINX), "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
    test = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    if test.returncode:
        raise SystemExit("nginx refused its configuration:\n" + test.stderr)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               process_group=0)  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            for path, body in pages.items():
                status, _headers, got = fetch(port, path, timeout=2)
                if status != 200 or got != body:
                    stop(process)
                    raise SystemExit(f"nginx answered {status} for {path}, or other bytes.")
            return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    stop(process)
    raise SystemExit("nginx did not start:\n" + tail(tmp / "nginx-error.log"))


# --- load ------------------------------------------------------------------------------


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() != 0:
        raise SystemExit(
            "wrk is not installed. Install it (Debian's package), then run again:\n"
            "  sudo apt-get install -y wrk"
        )
    print("wrk is not installed: apt-get install -y wrk", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, check=False, timeout=300).returncode:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False, timeout=300)
        subprocess.run(install, env=env, check=True, timeout=300)
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("apt-get did not install wrk.")
    return wrk


def run_wrk(wrk: str, port: int, path: str, args: argparse.Namespace, seconds: float):
    command = [
        wrk, f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency",
        "--timeout", f"{args.timeout}s", "-H", f"Host: {HOST}", f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    if done.returncode:
        raise SystemExit(f"wrk failed (status {done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


@dataclass
class Row:
    path: str
    mode: str
    size: int
    result: WrkResult


def settle(port: int, path: str, capacity: int) -> None:
    """Wait until the server has finished what wrk left behind.

    wrk stops with a request open on each connection; the server still answers them
    all. As many plain requests as it serves at once, queued behind those, return
    when that backlog is done: the next run starts on an idle server.
    """
    with ThreadPoolExecutor(capacity) as pool:
        for _ in pool.map(lambda _n: fetch(port, path, timeout=60), range(capacity)):
            pass


def load(wrk: str, port: int, mode: str, bodies: dict[str, bytes], args, rows: list[Row]):
    capacity = args.web_workers * args.web_threads
    for path, _name, _text in PAGES:
        run_wrk(wrk, port, path, args, 1)  # warm-up: every worker, thread and cache
        settle(port, path, capacity)
        result = run_wrk(wrk, port, path, args, args.duration)
        settle(port, path, capacity)
        rows.append(Row(path, mode, len(bodies[path]), result))
        print(
            f"  {mode:8} {path:15} {result.rps:10,.1f} req/s  p50 {result.p50_ms:.2f} ms  "
            f"p99 {result.p99_ms:.2f} ms  errors: {result.describe_errors()} "
            f"({result.requests:,} requests)",
            flush=True,
        )


def check_pages(port: int, keys: list[str]) -> tuple[dict[str, bytes], list[str]]:
    """One plain request per page: (the bodies, what was wrong)."""
    bodies, wrong = {}, []
    for path, name, text in PAGES:
        status, headers, body = fetch(port, path)
        bodies[path] = body
        kind = headers.get("Content-Type", "")
        page = body.decode("utf-8", errors="replace")
        if status != 200 or not kind.startswith("text/html") or text not in page:
            wrong.append(f"{path} answered {status} {kind}, {len(body):,} bytes")
            continue
        if name == "publications":
            listed = sum(f"/publications/{key}/" in page for key in keys)
            if listed != len(keys):
                wrong.append(f"{path} lists {listed} of the {len(keys)} imported papers")
        print(f"  GET {path:15} {status} {kind}, {len(body):,} bytes", flush=True)
    return bodies, wrong


# --- the report ------------------------------------------------------------------------


def report(rows: list[Row]) -> bool:
    """Print the table and the targets; True when no request failed."""
    nginx = {row.path: row.result.rps for row in rows if row.mode == "nginx"}
    pages, modes = [path for path, _name, _text in PAGES], ["cached", "uncached", "nginx"]
    rows = sorted(rows, key=lambda row: (pages.index(row.path), modes.index(row.mode)))
    print()
    header = (
        f"{'page':15} {'mode':9} {'bytes':>9} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'vs nginx':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        fraction = ""
        if row.mode != "nginx" and nginx.get(row.path):
            share = row.result.rps / nginx[row.path]
            fraction = f"{share:.1%}" if share < 0.1 else f"{share:.0%}"
        few = "*" if row.result.requests < FEW_REQUESTS else " "
        print(
            f"{row.path:15} {row.mode:9} {row.size:9,} {row.result.rps:10,.1f}{few}"
            f"{row.result.p50_ms:8.2f} {row.result.p99_ms:8.2f} {row.result.errors:7,} "
            f"{fraction:>9}"
        )
    if any(row.result.requests < FEW_REQUESTS for row in rows):
        print(f"* fewer than {FEW_REQUESTS} requests in the run: a rough figure (raise DURATION).")

    print("\nTargets (issue 11, on this 2-core machine):")
    for path, _name, _text in PAGES:
        ours = next(row.result.rps for row in rows if row.path == path and row.mode == "cached")
        label = f"cached {path} at >= {CACHED_FRACTION_TARGET:.0%} of nginx"
        if path in nginx:
            fraction = ours / nginx[path]
            verdict = "PASS" if fraction >= CACHED_FRACTION_TARGET else "MISS"
            print(f"  {label:42} {fraction:8.0%}  {verdict}")
        else:
            print(f"  {label:42} {'n/a':>8}  (nginx not installed)")
    about = next(row.result.rps for row in rows if row.path == "/" and row.mode == "uncached")
    verdict = "PASS" if about >= UNCACHED_ABOUT_TARGET else "MISS"
    label = f"uncached / at >= {UNCACHED_ABOUT_TARGET:.0f} req/s"
    print(f"  {label:42} {about:8,.0f}  {verdict}")
    errors = sum(row.result.errors for row in rows)
    print(f"  {'zero errors':42} {errors:8,}  {'PASS' if not errors else 'MISS'}")
    for row in rows:
        if row.result.errors:
            print(f"    {row.mode} {row.path}: {row.result.describe_errors()}")
    return not errors


# --- the run ---------------------------------------------------------------------------


def _stop_on(signum: int, frame: object) -> None:
    raise Stopped(signal.Signals(signum).name)


def base_env(tmp: Path, database: Database) -> dict[str, str]:
    env = dict(os.environ)
    # Whatever the shell says about these, this run is plain http on loopback.
    for name in ("PUBLIC_PORT", "PUBLIC_SCHEME", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                 "CSRF_COOKIE_SECURE", "PAGE_CACHE_SECONDS", "S3_BUCKET"):  # fmt: skip
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATA_DIR=str(tmp / "data"),
        MEDIA_STORAGE="files",
        MEDIA_ROOT=str(tmp / "data" / "media"),
        STATIC_ROOT=str(tmp / "static"),
        PLATFORM_HOST="localhost",
        PLATFORM_HOST_ALIASES="",
        SITES_DOMAIN="localhost",
        BEHIND_TLS_PROXY="0",
        CACHE_KEY_PREFIX=f"multifolio-bench-{os.getpid()}",
        LOG_LEVEL="WARNING",
    )
    if database.url:
        env["DATABASE_URL"] = database.url
    else:
        env.pop("DATABASE_URL", None)
    return env


def clean_up(database: Database, env: dict[str, str], tmp: Path) -> bool:
    """Remove a run's folder, database and Redis keys; False when one could not be."""
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
    shutil.rmtree(tmp, ignore_errors=True)
    cleaned = True
    for what, step in (
        (f"drop the database {database.name}", database.drop),
        ("delete this run's keys from Redis", lambda: forget_redis_keys(env)),
    ):
        try:
            step()
        except Exception as error:
            print(f"Could not {what}: {error}", file=sys.stderr)
            cleaned = False
    return cleaned


def forget_redis_keys(env: dict[str, str]) -> None:
    if not env.get("REDIS_URL"):
        return
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"], socket_timeout=5)
    keys = list(client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration",
        type=float,
        default=os.environ.get("DURATION") or "10",
        help="seconds of each measured wrk run (default: $DURATION or 10)",
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk's open connections")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's request timeout (s)")
    parser.add_argument("--web-workers", type=int, default=2, help="serve --workers")
    parser.add_argument("--web-threads", type=int, default=4, help="serve --threads")
    parser.add_argument(
        "--selected",
        type=int,
        default=SELECTED,
        help=f"papers left selected on the about page (default {SELECTED}; -1: bibgen's 8%%)",
    )
    args = parser.parse_args()
    if not 0 < args.duration <= 120:
        parser.error("--duration must be more than 0 and at most 120 seconds")
    args.duration = round(args.duration) or 1  # wrk takes whole seconds

    wrk = ensure_wrk()
    database = Database(os.environ.get("DATABASE_URL", ""))
    server_port, nginx_port = free_ports(2)
    server = nginx = None
    # Seeding, 2 server starts, 3 modes x 2 pages x (warm-up + run), nginx, clean-up.
    budget = int(240 + 6 * (args.duration + 4))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(sig, _stop_on)
    signal.alarm(budget)
    tmp = Path(tempfile.mkdtemp(prefix="multifolio-bench-"))
    env = base_env(tmp, database)
    rows: list[Row] = []
    ok = True
    try:
        started = time.monotonic()
        cache = "Redis at REDIS_URL" if env.get("REDIS_URL") else "files in DATA_DIR"
        print(f"Data: {database.describe()}; cache: {cache}; folder {tmp}", flush=True)
        database.create()
        counts = seed(env, args.selected)
        from bench.bibgen import generate  # after seed(): Django is set up

        keys = [e.key for e in generate(entries=PAPERS, broken=0, seed=2025).entries]
        print(
            f"Seeded {HOST}: {counts['papers']} papers ({counts['selected']} selected), "
            f"{counts['news']} news items "
            f"({time.monotonic() - started:.0f} s). wrk: -t{args.wrk_threads} "
            f"-c{args.connections} -d{args.duration}s, whole run at most {budget} s.",
            flush=True,
        )
        for mode, page_cache in (("cached", True), ("uncached", False)):
            server_env = dict(env) if page_cache else {**env, "PAGE_CACHE_SECONDS": "0"}
            print(f"\n{mode}: manage.py serve on 127.0.0.1:{server_port}", flush=True)
            log = tmp / f"serve-{mode}.log"
            server = start_server(server_env, server_port, args, log)
            bodies, wrong = check_pages(server_port, keys)
            if wrong:
                raise SystemExit("Pages did not answer as expected:\n  " + "\n  ".join(wrong))
            try:
                load(wrk, server_port, mode, bodies, args, rows)
            except (OSError, http.client.HTTPException) as error:
                raise SystemExit(
                    f"The server stopped answering ({error}); `manage.py serve` said:\n" + tail(log)
                ) from error
            stop(server)
            server = None
            if mode == "cached" and NGINX.exists():
                print(f"\nnginx on 127.0.0.1:{nginx_port}, the same bytes from files", flush=True)
                nginx = start_nginx(tmp, nginx_port, bodies)
                load(wrk, nginx_port, "nginx", bodies, args, rows)
                stop(nginx, signal.SIGQUIT)  # nginx's graceful stop
                nginx = None
            elif mode == "cached":
                print(f"\n{NGINX} not found: no comparison (apt-get install -y nginx).")
        ok = report(rows)
        print(f"\nWhole run: {time.monotonic() - started:.0f} s.")
    except Stopped as why:
        print(f"\nStopped ({why}): cleaning up.", file=sys.stderr, flush=True)
        ok = False
    finally:
        signal.alarm(0)
        for sig in (signal.SIGINT, signal.SIGTERM):  # clean-up is not interrupted
            signal.signal(sig, signal.SIG_IGN)
        stop(server)
        stop(nginx, signal.SIGQUIT)
        ok = clean_up(database, env, tmp) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
