"""What a page-cache hit costs in-process, through the WSGI application a server runs.

    .venv/bin/python bench/page_cache_hit.py [--requests 5000] [--profile]

Builds a throw-away data directory (SQLite, the demo sites), then calls
`config.wsgi.application` directly, as granian does, for the about page of a
demo site: once to render and store it, then N times from the cache. Prints
microseconds per hit (mean, p50, p99) for a full response, a 304 and a miss
(page cache off), with the cache the settings pick (REDIS_URL: Redis, else
files). `--profile` prints where the time of the hits goes (cProfile).
No network and no server: this is the Python a hit runs, which bounds what any
server in front of it can reach.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

DATA_DIR = tempfile.mkdtemp(prefix="multifolio-hit-")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DATA_DIR=DATA_DIR,
    DEBUG="0",
    SECRET_KEY="bench-only-" + "x" * 40,
    SECURE_SSL_REDIRECT="0",
    CACHE_KEY_PREFIX=f"bench-{os.getpid()}",
)
os.environ.pop("DATABASE_URL", None)  # always a database of its own

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

from config.wsgi import application  # noqa: E402

HOST = "amara.localhost"


def environ(path: str = "/", **headers: str) -> dict:
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    env.update(headers)
    return env


def call(env: dict) -> tuple[str, int]:
    status: list[str] = []
    body = application(env, lambda s, h, exc=None: status.append(s))
    try:
        size = sum(len(chunk) for chunk in body)
    finally:
        getattr(body, "close", lambda: None)()
    return status[0], size


def timed(n: int, **headers: str) -> list[float]:
    timings = []
    for _ in range(n):
        env = environ(**headers)
        start = time.perf_counter()
        call(env)
        timings.append((time.perf_counter() - start) * 1e6)
    return timings


def row(label: str, timings: list[float]) -> None:
    p99 = statistics.quantiles(timings, n=100)[-1]
    print(
        f"{label:30} {statistics.mean(timings):9.0f} {statistics.median(timings):9.0f} {p99:9.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    status, size = call(environ())  # renders and stores
    if not status.startswith("200"):
        raise SystemExit(f"the about page answered {status}")
    etag = dict(_headers(environ()))["ETag"]
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"about page of {HOST}: {size} bytes; cache: {backend}; {args.requests} requests each")
    print(f"{'case':30} {'mean µs':>9} {'p50 µs':>9} {'p99 µs':>9}")
    row("hit, 200", timed(args.requests))
    row("hit, 304 (If-None-Match)", timed(args.requests, HTTP_IF_NONE_MATCH=etag))
    with override_settings(PAGE_CACHE_SECONDS=0):  # tells the cache code, as tests do
        row("miss (page cache off)", timed(max(50, args.requests // 20)))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        timed(args.requests)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    shutil.rmtree(DATA_DIR, ignore_errors=True)  # Redis keys carry a prefix of their own


def _headers(env: dict) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    body = application(env, lambda s, h, exc=None: found.extend(h))
    getattr(body, "close", lambda: None)()
    return found


if __name__ == "__main__":
    main()
