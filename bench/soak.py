"""A bounded soak of the production server (`manage.py serve`, what `make serve` runs):
mixed traffic for 60 s on 64 connections, zero errors and no memory growth required.

    make soak                        # DURATION=20 make soak: a shorter run
    .venv/bin/python bench/soak.py [--duration 60] [--connections 64] [--sites 2000]
                                   [--web-workers 2] [--web-threads 4]

1. In a temporary DATA_DIR (SQLite; with DATABASE_URL set, a PostgreSQL database of its
   own, dropped afterwards; with REDIS_URL set, that Redis under a key prefix of this
   run's own): migrate, load the demo researchers, seed `--sites` more published sites
   (`manage.py seed_sites`), and log the two demo researchers in (sessions in the
   database, as a browser's log-in leaves them).
2. Starts `manage.py serve` on 127.0.0.1 and drives it with wrk and a Lua script that
   picks each request from a weighted mix (printed before the run):
   - the demo sites' pages: about, publications, a paper, news, a news item, feed.xml,
     sitemap.xml (cached, and missed again after every edit below);
   - the seeded sites' about and publications pages, one site at random per request:
     4,000 requests (about page, sitemap), most missed on their first visit;
   - 1% with a query string of its own (a crawler's tracking parameters): always missed;
   - the platform: landing page and directory searches (never page-cached);
   - dashboard reads by the logged-in researchers: overview, about-page editor,
     publications, news (Django's whole stack with a session, every time).
   Meanwhile a writer posts a news item to a demo site through the dashboard every
   second (log-in session, CSRF token, form post): each post makes that site's cached
   pages stale, so its next visits are misses again.
3. A warm-up run of `--warm-up` seconds (default 20) with the same mix fills the caches
   and the workers' imports; then the measured run of DURATION seconds, during which the
   resident memory of every process of `serve` (granian's workers and the task worker)
   is sampled every 2 s. Memory growth is the change from the measured run's first
   sample to its last. Each web worker's own copies of pages are capped at
   `--local-pages-mb` (4 MB; production's default is 64): they are bounded by design,
   but filling 64 MB takes minutes of misses and would pass for a leak. With the cap at
   1 MB, two workers grew 1.3 MB each in 60 s; uncapped, 8-16 MB each, the copies
   filling up.
4. Prints requests/s, latency, the status of every response, the writer's results and
   the memory figures, per process. Exits non-zero when any request failed in either run
   (a socket error, a response other than 200, a writer post not redirected) or the
   memory grew by more than MEMORY_GROWTH_LIMIT (+ MEMORY_GROWTH_SLACK_MB, + the page
   copies' cap per worker) in the run.

Bounded: one wrk run of DURATION seconds, a watchdog for the whole run; everything
listens on 127.0.0.1 (ports from 18200); every process started is stopped by its
process group (Ctrl-C included), and the temporary folder, database and keys are removed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve_load import (
    Database,
    Stopped,
    _children,
    base_env,
    clean_up,
    ensure_wrk,
    free_ports,
    parse_wrk,
    start_server,
    stop,
    tail,
)

DEMO_SLUGS = ("amara", "treyes")
SEED_PREFIX = "soak"
DASHBOARD_PAGES = (
    "/dashboard/",
    "/dashboard/profile/",
    "/dashboard/publications/",
    "/dashboard/news/",
)
DIRECTORY_WORDS = ("ecology", "quantum", "river", "learning", "bench", "")
# Memory may move a little (allocator arenas, a late import); a leak grows steadily.
MEMORY_GROWTH_LIMIT = 0.05  # of the resident memory when the measured run starts
MEMORY_GROWTH_SLACK_MB = 8
# Each web worker keeps its own copies of pages, up to PAGE_CACHE_LOCAL_MB (64 by
# default): bounded by design, but filling them takes minutes and would look like
# growth. The soak caps them small (--local-pages-mb) and allows for that much.
LOCAL_PAGES_MB = 4
SAMPLE_SECONDS = 2.0
WRITE_EVERY_SECONDS = 1.0
SAMPLED_CHOICES = 40  # of a kind's choices checked once before the load

# How the requests are shared out (weights, not percentages of anything).
WEIGHTS = {
    "demo site page": 40,
    "seeded site page": 25,
    "unique query (miss)": 1,
    "platform page": 6,
    "dashboard read": 10,
    "feed or sitemap": 8,
}


# --- the data --------------------------------------------------------------------------


@dataclass
class Seeded:
    demo_pages: dict[str, list[str]]  # host -> paths
    seeded_slugs: list[str]
    sessions: dict[str, str]  # demo slug -> session key of its owner
    news_paths: dict[str, str] = field(default_factory=dict)


def seed(env: dict[str, str], sites: int) -> Seeded:
    """Migrate, load the demo sites, seed `sites` more, and log the demo owners in."""
    os.environ.update(env)
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connections

    from news.models import NewsItem
    from profiles.models import Profile
    from publications.models import Publication

    call_command("migrate", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
        call_command(
            "seed_sites", count=sites, prefix=SEED_PREFIX, allow_production=True, stdout=quiet
        )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    demo_pages: dict[str, list[str]] = {}
    sessions: dict[str, str] = {}
    for slug in DEMO_SLUGS:
        profile = Profile.objects.select_related("owner").get(slug=slug)
        paper = Publication.objects.filter(profile=profile).order_by("pk").first()
        item = NewsItem.objects.filter(profile=profile, inline=False).order_by("pk").first()
        paths = ["/", "/publications/", "/news/"]
        if paper is not None:
            paths.append(f"/publications/{paper.key}/")
        if item is not None and item.has_page:
            paths.append(item.path)
        demo_pages[f"{slug}.localhost"] = paths
        session = store()
        session[SESSION_KEY] = str(profile.owner.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = profile.owner.get_session_auth_hash()
        session.create()
        sessions[slug] = session.session_key
    seeded_slugs = list(
        Profile.objects.filter(slug__startswith=f"{SEED_PREFIX}-").values_list("slug", flat=True)
    )
    connections.close_all()
    return Seeded(demo_pages, seeded_slugs, sessions)


# --- the mix ---------------------------------------------------------------------------


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua one for these texts


def build_mix(seeded: Seeded) -> tuple[list[dict], dict[str, int]]:
    """Weighted request kinds, each a list of (host, path, cookie) choices."""
    kinds: list[dict] = []
    demo = [(host, path, "") for host, paths in seeded.demo_pages.items() for path in paths]
    kinds.append({"name": "demo site page", "choices": demo})
    kinds.append(
        {
            "name": "seeded site page",
            "choices": [
                (f"{slug}.localhost", path, "")
                for slug in seeded.seeded_slugs
                # Seeded sites have no papers or news: those pages are 404s.
                for path in ("/", "/sitemap.xml")
            ],
        }
    )
    kinds.append(
        {
            "name": "unique query (miss)",
            "choices": [(host, "/", "") for host in seeded.demo_pages],
            "unique": True,
        }
    )
    platform = [("localhost", "/", "")] + [
        ("localhost", "/directory/" + (f"?{urlencode({'q': word})}" if word else ""), "")
        for word in DIRECTORY_WORDS
    ]
    kinds.append({"name": "platform page", "choices": platform})
    kinds.append(
        {
            "name": "dashboard read",
            "choices": [
                ("localhost", path, f"sessionid={key}")
                for key in seeded.sessions.values()
                for path in DASHBOARD_PAGES
            ],
        }
    )
    kinds.append(
        {
            "name": "feed or sitemap",
            "choices": [
                (host, path, "")
                for host in seeded.demo_pages
                for path in ("/feed.xml", "/sitemap.xml")
            ],
        }
    )
    for kind in kinds:
        kind["weight"] = WEIGHTS[kind["name"]]
    return kinds, {kind["name"]: len(kind["choices"]) for kind in kinds}


LUA = """\
-- Generated by bench/soak.py: each request picks a kind by weight, then one of its choices.
local kinds = {KINDS}
local total = 0
for _, kind in ipairs(kinds) do total = total + kind.weight end
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  math.randomseed(os.time() * 1000 + id)
end

function request()
  local pick = math.random(total)
  local kind
  for _, candidate in ipairs(kinds) do
    pick = pick - candidate.weight
    if pick <= 0 then kind = candidate break end
  end
  local choice = kind.choices[math.random(#kind.choices)]
  local path = choice[2]
  if kind.unique then
    counter = counter + 1
    path = path .. "?utm_source=soak&n=" .. id .. "-" .. counter
  end
  local headers = {["Host"] = choice[1]}
  if choice[3] ~= "" then headers["Cookie"] = choice[3] end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      all[status] = (all[status] or 0) + count
    end
  end
  for status, count in pairs(all) do
    io.write(string.format("status %d %d\\n", status, count))
  end
end
"""


def lua_script(kinds: list[dict]) -> str:
    entries = []
    for kind in kinds:
        choices = ", ".join(
            "{" + ", ".join(lua_string(part) for part in choice) + "}" for choice in kind["choices"]
        )
        unique = "true" if kind.get("unique") else "false"
        entries.append(
            f"{{name = {lua_string(kind['name'])}, weight = {kind['weight']}, "
            f"unique = {unique}, choices = {{{choices}}}}}"
        )
    return LUA.replace("{KINDS}", "{\n  " + ",\n  ".join(entries) + "\n}")


_STATUS = re.compile(r"^status (\d+) (\d+)$", re.MULTILINE)


def parse_statuses(text: str) -> dict[int, int]:
    return {int(status): int(count) for status, count in _STATUS.findall(text)}


# --- memory ----------------------------------------------------------------------------


def resident_kib(pid: int) -> int:
    """VmRSS of one process in KiB; 0 when it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tree(pid: int) -> list[int]:
    children, todo, found = _children(), [pid], []
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def describe(pid: int) -> str:
    """ "pid what": the process's command line, shortened."""
    with contextlib.suppress(OSError):
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        text = " ".join(w.decode(errors="replace") for w in words if w)
        return f"{pid} {text[-60:]}"
    return str(pid)


@dataclass
class MemorySample:
    seconds: float
    total_kib: int
    processes: int
    by_process: dict[str, int]  # "pid command" -> KiB


class MemoryWatch(threading.Thread):
    """Samples the resident memory of a process tree until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.halt = pid, [], threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        while not self.halt.wait(SAMPLE_SECONDS):
            by_process = {describe(pid): resident_kib(pid) for pid in tree(self.pid)}
            self.samples.append(
                MemorySample(
                    time.monotonic() - self.started_at,
                    sum(by_process.values()),
                    len(by_process),
                    by_process,
                )
            )


def memory_growth(samples: list[MemorySample]) -> tuple[int, int, int]:
    """(KiB at the first sample, KiB at the last, the highest KiB)."""
    return samples[0].total_kib, samples[-1].total_kib, max(s.total_kib for s in samples)


# --- the writer ------------------------------------------------------------------------


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Writer(threading.Thread):
    """Posts a news item to a demo site every second, as its owner through the dashboard."""

    def __init__(self, port: int, session_key: str) -> None:
        super().__init__(daemon=True)
        self.port, self.session_key = port, session_key
        self.halt = threading.Event()
        self.posted, self.failures = 0, []

    def _request(
        self, method: str, path: str, cookie: str, body: str = ""
    ) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "localhost", "Cookie": cookie}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            cookies = response.headers.get_all("Set-Cookie") or []
            return response.status, {"cookies": cookies}, response.read().decode(errors="replace")
        finally:
            connection.close()

    def post_once(self, n: int) -> None:
        cookie = f"sessionid={self.session_key}"
        status, extra, page = self._request("GET", "/dashboard/news/new/", cookie)
        token = _TOKEN.search(page)
        csrf = next((c.split(";")[0] for c in extra["cookies"] if c.startswith("csrftoken=")), "")
        if status != 200 or not token or not csrf:
            self.failures.append(f"GET /dashboard/news/new/ answered {status} without a form")
            return
        form = {
            "csrfmiddlewaretoken": token[1],
            "date": time.strftime("%Y-%m-%dT%H:%M"),
            "title": f"Soak test note {n}",
            "slug": "",
            "content": f"Posted by bench/soak.py while the sites are under load ({n}).",
        }
        status, _extra, page = self._request(
            "POST", "/dashboard/news/new/", f"{cookie}; {csrf}", urlencode(form)
        )
        if status == 302:
            self.posted += 1
        else:
            self.failures.append(f"POST /dashboard/news/new/ answered {status}: {page[:200]!r}")

    def run(self) -> None:
        n = 0
        while not self.halt.wait(WRITE_EVERY_SECONDS):
            n += 1
            try:
                self.post_once(n)
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(f"the post failed: {error}")


# --- the run ---------------------------------------------------------------------------


def _stop_on(signum: int, frame: object) -> None:
    raise Stopped(signal.Signals(signum).name)


def run_wrk(wrk: str, port: int, script: Path, args: argparse.Namespace, seconds: int) -> str:
    command = [
        wrk, f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency",
        "--timeout", f"{args.timeout}s", "-s", str(script), f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode:
        raise SystemExit(f"wrk failed (status {done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def check_mix(port: int, kinds: list[dict]) -> list[str]:
    """One request of each choice (of a sample, for the seeded sites): what was wrong."""
    wrong = []
    for kind in kinds:
        choices = kind["choices"]
        if len(choices) > SAMPLED_CHOICES:
            choices = random.Random(0).sample(choices, SAMPLED_CHOICES)
        for host, path, cookie in choices:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Host": host, **({"Cookie": cookie} if cookie else {})}
            try:
                connection.request("GET", path, headers=headers)
                status = connection.getresponse().status
            finally:
                connection.close()
            if status != 200:
                wrong.append(f"{kind['name']}: GET {host}{path} answered {status}")
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("DURATION") or 60),
        help="seconds of load (default: $DURATION or 60)",
    )
    parser.add_argument(
        "--warm-up", type=int, default=20, help="seconds of load before the measured run"
    )
    parser.add_argument("--connections", type=int, default=64, help="wrk's open connections")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--timeout", type=int, default=20, help="wrk's request timeout (s)")
    parser.add_argument("--sites", type=int, default=2000, help="seeded sites besides the demo")
    parser.add_argument(
        "--local-pages-mb",
        type=int,
        default=LOCAL_PAGES_MB,
        help=f"PAGE_CACHE_LOCAL_MB of the server (default {LOCAL_PAGES_MB}; production's is 64)",
    )
    parser.add_argument("--web-workers", type=int, default=2, help="serve --workers")
    parser.add_argument("--web-threads", type=int, default=4, help="serve --threads")
    args = parser.parse_args()
    if not 4 <= args.duration <= 600:
        parser.error("--duration must be 4 to 600 seconds")
    if not 1 <= args.warm_up <= 300:
        parser.error("--warm-up must be 1 to 300 seconds")
    if not 0 <= args.local_pages_mb <= 1024:
        parser.error("--local-pages-mb must be 0 to 1024")
    if not 1 <= args.sites <= 20_000:
        parser.error("--sites must be 1 to 20,000")

    wrk = ensure_wrk()
    database = Database(os.environ.get("DATABASE_URL", ""))
    (port,) = free_ports(1)
    budget = 300 + (args.warm_up + args.duration) * 2
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(sig, _stop_on)
    signal.alarm(budget)
    tmp = Path(tempfile.mkdtemp(prefix="multifolio-soak-"))
    env = {**base_env(tmp, database), "PAGE_CACHE_LOCAL_MB": str(args.local_pages_mb)}
    server = None
    watch: MemoryWatch | None = None
    writer: Writer | None = None
    ok = False
    try:
        started = time.monotonic()
        cache = "Redis at REDIS_URL" if env.get("REDIS_URL") else "files in DATA_DIR"
        print(f"Data: {database.describe()}; cache: {cache}; folder {tmp}", flush=True)
        database.create()
        seeded = seed(env, args.sites)
        kinds, sizes = build_mix(seeded)
        script = tmp / "mix.lua"
        script.write_text(lua_script(kinds))
        total_weight = sum(kind["weight"] for kind in kinds)
        print(f"Seeded {len(seeded.seeded_slugs):,} sites besides the demo ones "
              f"({time.monotonic() - started:.0f} s). The mix:")  # fmt: skip
        for kind in kinds:
            print(f"  {kind['weight'] / total_weight:6.1%}  {kind['name']:22} "
                  f"{sizes[kind['name']]:,} distinct requests")  # fmt: skip

        log = tmp / "serve.log"
        server = start_server(env, port, args, log)
        wrong = check_mix(port, kinds)
        if wrong:
            raise SystemExit("Requests of the mix did not answer 200:\n  " + "\n  ".join(wrong))
        print(f"\nmanage.py serve on 127.0.0.1:{port}: every kind answered 200. "
              f"wrk -t{args.wrk_threads} -c{args.connections}, {args.warm_up} s warm-up then "
              f"{args.duration} s measured, "
              f"a news post every {WRITE_EVERY_SECONDS:g} s, whole run at most {budget} s.",
              flush=True)  # fmt: skip
        writer = Writer(port, seeded.sessions[DEMO_SLUGS[0]])
        writer.start()
        warm = parse_wrk(run_wrk(wrk, port, script, args, args.warm_up))
        print(f"Warm-up: {warm.requests:,} requests in {args.warm_up} s, "
              f"errors: {warm.describe_errors()}.", flush=True)  # fmt: skip
        watch = MemoryWatch(server.pid)
        watch.start()
        output = run_wrk(wrk, port, script, args, args.duration)
        writer.halt.set()
        watch.halt.set()
        writer.join(timeout=60)
        watch.join(timeout=10)
        if not watch.samples:
            raise SystemExit("No memory sample was taken: is /proc readable?")

        result = parse_wrk(output)
        statuses = parse_statuses(output)
        not_ok = {status: count for status, count in statuses.items() if status != 200}
        first, last, highest = memory_growth(watch.samples)
        growth = last - first
        allowed = (
            first * MEMORY_GROWTH_LIMIT
            + (MEMORY_GROWTH_SLACK_MB + args.web_workers * args.local_pages_mb) * 1024
        )
        print(
            f"\nMeasured: {result.requests:,} requests in {args.duration} s: "
            f"{result.rps:,.1f} req/s, p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms"
        )
        print("  statuses: " + ", ".join(f"{s}: {c:,}" for s, c in sorted(statuses.items())))
        print(f"  wrk's errors: {result.describe_errors()}")
        print(f"  writer: {writer.posted} news items posted, {len(writer.failures)} failed")
        for failure in writer.failures[:5]:
            print(f"    {failure}")
        print(
            f"  memory of serve's {watch.samples[-1].processes} processes: "
            f"{first / 1024:,.1f} MiB at the start, {last / 1024:,.1f} MiB at the end "
            f"(highest {highest / 1024:,.1f} MiB): {growth / 1024:+,.1f} MiB, "
            f"allowed {allowed / 1024:,.1f} MiB"
        )
        for name, kib in watch.samples[-1].by_process.items():
            was = watch.samples[0].by_process.get(name, 0)
            print(f"    {kib / 1024:7.1f} MiB ({(kib - was) / 1024:+.1f})  {name}")
        print("  samples (s: MiB): " + ", ".join(
            f"{s.seconds:.0f}: {s.total_kib / 1024:.0f}" for s in watch.samples))  # fmt: skip

        socket_errors = sum(result.socket.values())
        checks = [
            ("zero responses other than 200", sum(not_ok.values()) == 0),
            ("zero socket errors", socket_errors == 0),
            ("zero errors in the warm-up", warm.errors == 0),
            ("every writer post accepted", not writer.failures and writer.posted > 0),
            ("no memory growth in the measured run", growth <= allowed),
        ]
        print()
        for label, passed in checks:
            print(f"  {label:40} {'PASS' if passed else 'FAIL'}")
        ok = all(passed for _label, passed in checks)
        if not ok:
            print("\nThe end of the server's log:\n" + tail(log, 40))
        print(f"\nWhole run: {time.monotonic() - started:.0f} s.")
    except Stopped as why:
        print(f"\nStopped ({why}): cleaning up.", file=sys.stderr, flush=True)
    finally:
        signal.alarm(0)
        for sig in (signal.SIGINT, signal.SIGTERM):  # clean-up is not interrupted
            signal.signal(sig, signal.SIG_IGN)
        for thread in (writer, watch):
            if thread is not None:
                thread.halt.set()
        stop(server)
        ok = clean_up(database, env, tmp) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
