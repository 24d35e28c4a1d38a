"""Do 10,000 sites cost what 10 do? Site pages, routing and the directory, in-process.

    .venv/bin/python bench/scale.py [--sites 10000] [--requests 200] [--searches 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/multifolio .venv/bin/python bench/scale.py

Works on a database of its own, created and dropped here: a temporary SQLite
file by default, or, with DATABASE_URL naming PostgreSQL, `multifolio_scale`
on that server (`--database` to change). With REDIS_URL set, the cache is
that Redis, under a key prefix of this run's own, deleted at the end.

It loads the two demo researchers (real sites: papers with co-author links,
news, a photo), seeds 8 more through the bulk path (profiles.bulk), measures,
seeds up to `--sites` (timed), measures again, and prints one table. Pages
render afresh each time (PAGE_CACHE_SECONDS=0: this is the cost of a miss):

- site pages: the demo's about and publications pages, a seeded site's about page;
- routing: a Host resolved to its site (profiles.tenancy) for a sample of all
  the sites, cold (its cache entries deleted) and warm, with its queries;
- the directory page (platform host) for a name, a topic and no query, and its
  two SQL queries alone; on PostgreSQL, EXPLAIN ANALYZE of the search query;
- the landing page, and the platform's index of researchers' names (co-author
  links) built cold, which a change to any published name or status rebuilds.

Each row takes `--requests` samples, or fewer past BUDGET_SECONDS (at least 10),
so a run stays within minutes even where something got slow; `n` says how many.
Figures depend on the machine and its load: compare the two columns of one
run, never against another machine's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
# Only read with REDIS_URL: this run's keys, apart from anyone else's.
os.environ.setdefault("CACHE_KEY_PREFIX", f"multifolio-scale-{os.getpid()}")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from profiles import tenancy  # noqa: E402
from profiles.bulk import seed_sites  # noqa: E402
from profiles.directory import search_profiles  # noqa: E402
from profiles.hosts import classify_host  # noqa: E402
from profiles.models import Profile  # noqa: E402
from profiles.views.directory import PAGE_SIZE  # noqa: E402
from publications.selectors import bump_people_version, platform_people  # noqa: E402

DEMO = "amara"  # a demo researcher: selected papers, co-authors with a site here, news
SEEDED = "bench-00001"  # a seeded site with papers and news (profiles.bulk.PAPERS_EVERY)
# Directory searches, present at every size: a last name (folded: "García", ~2% of
# the seeded sites), a topic (~6%), and a word most affiliations have (~60%).
SEARCHES = (("name", "garcia"), ("topic", "ecology"), ("broad", "university"))
TARGET_MS = 50.0


@dataclass
class Row:
    timings: list[float]  # milliseconds
    queries: float  # per call

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        if len(self.timings) < 2:
            return self.timings[0]
        return statistics.quantiles(self.timings, n=20, method="inclusive")[-1]


# Seconds one row may take: a page that got slow takes fewer samples, not all afternoon.
BUDGET_SECONDS = 15.0


def repeat(call: Callable[[], object], n: int, *, warm: int = 3) -> Row:
    for _ in range(warm):
        call()
    timings: list[float] = []
    deadline = time.perf_counter() + BUDGET_SECONDS
    with CaptureQueriesContext(connection) as queries:
        while len(timings) < n and (len(timings) < 10 or time.perf_counter() < deadline):
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
    return Row(timings, len(queries) / len(timings))


def get(client: Client, path: str) -> Callable[[], object]:
    def call() -> object:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{client.defaults['HTTP_HOST']}{path}: {response.status_code}")
        return response

    return call


def routing(hosts: list[str]) -> tuple[Row, Row]:
    """Resolve each host cold (its tenancy entries deleted), then warm."""
    cold, warm = [], []
    cold_queries = warm_queries = 0
    for host in hosts:
        host_class = classify_host(host)
        profile = tenancy.resolve_site(host_class)
        if profile is None:
            raise SystemExit(f"{host} serves no site")
        tenancy.forget_profile(profile)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            tenancy.resolve_site(host_class)
            cold.append((time.perf_counter() - start) * 1000)
        cold_queries += len(queries)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            tenancy.resolve_site(host_class)
            warm.append((time.perf_counter() - start) * 1000)
        warm_queries += len(queries)
    return Row(cold, cold_queries / len(hosts)), Row(warm, warm_queries / len(hosts))


def search_sql(query: str) -> Callable[[], object]:
    """What the directory asks the database: the count, then the first page's rows."""

    def call() -> object:
        page = Paginator(search_profiles(query), PAGE_SIZE).get_page(1)
        return list(page)

    return call


def people_cold() -> object:
    bump_people_version()
    return platform_people()


def measure(args: argparse.Namespace, rng: random.Random) -> dict[str, Row]:
    if not settings.REDIS_URL:  # Redis: other keys are not ours to clear
        cache.clear()
    rows: dict[str, Row] = {}
    n = args.requests
    demo = Client(HTTP_HOST=f"{DEMO}.{settings.SITES_DOMAIN}")
    seeded = Client(HTTP_HOST=f"{SEEDED}.{settings.SITES_DOMAIN}")
    platform = Client(HTTP_HOST=settings.PLATFORM_HOST)
    rows[f"about page ({DEMO}, demo)"] = repeat(get(demo, "/"), n)
    rows[f"publications page ({DEMO})"] = repeat(get(demo, "/publications/"), n)
    rows[f"about page ({SEEDED}, seeded)"] = repeat(get(seeded, "/"), n)

    slugs = list(Profile.objects.published().values_list("slug", flat=True))
    sample = (
        rng.sample(slugs, args.hosts)
        if len(slugs) >= args.hosts
        else rng.choices(slugs, k=args.hosts)
    )
    cold, warm = routing([f"{slug}.{settings.SITES_DOMAIN}" for slug in sample])
    rows["routing: host -> site, cold"] = cold
    rows["routing: host -> site, warm"] = warm

    for label, term in (*SEARCHES, ("no query", "")):
        path = f"/directory/?q={term}" if term else "/directory/"
        rows[f"directory page, {label} ({term or 'all'})"] = repeat(
            get(platform, path), args.searches
        )
        rows[f"directory SQL, {label} ({term or 'all'})"] = repeat(search_sql(term), args.searches)
    rows["landing page (platform)"] = repeat(get(platform, "/"), max(5, args.requests // 10))
    rows["names index for co-author links, cold"] = repeat(people_cold, 5, warm=1)
    return rows


def explain(term: str) -> str:
    """EXPLAIN ANALYZE of the directory's page query for `term` (PostgreSQL)."""
    queryset = search_profiles(term)[:PAGE_SIZE]
    return queryset.explain(analyze=True, buffers=True)


def explain_count(term: str) -> str:
    """EXPLAIN ANALYZE of the directory's count query for `term` (PostgreSQL)."""
    sql, params = search_profiles(term).order_by().values("pk").query.sql_with_params()
    # `sql` is Django's own compiled query, its values passed apart as parameters.
    statement = f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) AS matches"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def index_used(plan: str) -> str:
    """Which index (or none) a plan reads profiles through."""
    for line in plan.splitlines():
        for marker in ("Index Scan on ", "Index Scan using ", "Index Only Scan using "):
            if marker in line:
                return line.split(marker, 1)[1].split()[0]
    return "no index (sequential scan)" if "Seq Scan" in plan else "no index"


def print_table(small: dict[str, Row], large: dict[str, Row], sizes: tuple[int, int]) -> None:
    """p50 and p95 in ms, queries per call (q) and samples (n), for each size; p50 ratio."""
    a, b = (f"{size:,} sites" for size in sizes)
    print()
    print(f"{'':42} {a:>27} {b:>27}")
    head = f"{'p50':>8} {'p95':>7} {'q':>5} {'n':>4}"
    print(f"{'(ms)':42} {head} {head} {'p50 x':>6}")
    for label, row in small.items():
        other = large[label]
        ratio = other.median / row.median if row.median else float("nan")
        cells = [
            f"{r.median:8.2f} {r.p95:7.2f} {r.queries:5.1f} {len(r.timings):4d}"
            for r in (row, other)
        ]
        print(f"{label:42} {cells[0]} {cells[1]} {ratio:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10_000, help="sites at the end (10,000)")
    parser.add_argument("--requests", type=int, default=200, help="requests per site page")
    parser.add_argument("--searches", type=int, default=100, help="requests per directory term")
    parser.add_argument("--hosts", type=int, default=200, help="hosts resolved cold and warm")
    parser.add_argument("--database", default="multifolio_scale", help="PostgreSQL: its name")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the host sample")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    setup_test_environment()
    if not settings.REDIS_URL:
        # The tests' local-memory cache keeps 300 entries and culls past that; a
        # production cache (Redis, or the 20,000-entry file cache) keeps every site's.
        settings.CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 1_000_000
        with contextlib.suppress(AttributeError):
            del caches["default"]
    settings.PAGE_CACHE_SECONDS = 0  # every page renders: the cost of a cache miss
    test_settings = connection.settings_dict.setdefault("TEST", {})
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="multifolio-scale-")
        test_settings["NAME"] = str(Path(folder) / "scale.sqlite3")
    else:
        test_settings["NAME"] = args.database
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    engine = f"{connection.vendor} {connection.settings_dict['NAME']}"
    cache_name = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database: {engine}; cache: {cache_name}; DEBUG={settings.DEBUG}")
    try:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        seed_sites(count=8, prefix="bench")
        small_size = Profile.objects.published().count()
        analyze()
        small = measure(args, rng)

        more = args.sites - small_size
        start = time.perf_counter()
        report = seed_sites(count=more, prefix="scale")
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        analyze()
        analyze_seconds = time.perf_counter() - start
        large_size = Profile.objects.published().count()
        print(
            f"seeded {report.sites:,} sites ({report.publications:,} papers, {report.news:,} "
            f"news items) in {seconds:.1f} s, {report.sites / seconds:,.0f} sites/s"
            + (f"; ANALYZE {analyze_seconds:.2f} s" if connection.vendor == "postgresql" else "")
        )
        large = measure(args, rng)
        print_table(small, large, (small_size, large_size))

        print()
        for label, term in SEARCHES:
            row = large[f"directory page, {label} ({term})"]
            sql_row = large[f"directory SQL, {label} ({term})"]
            verdict = "yes" if row.p95 < TARGET_MS else "NO"
            print(
                f"directory search {term!r} ({label}) under {TARGET_MS:.0f} ms with "
                f"{large_size:,} sites: {verdict} (page p95 {row.p95:.1f} ms, "
                f"SQL p95 {sql_row.p95:.1f} ms)"
            )
        if connection.vendor == "postgresql":
            for label, term in SEARCHES:
                page_plan, count_plan = explain(term), explain_count(term)
                print(
                    f"\nEXPLAIN ANALYZE, directory search {term!r} ({label}): "
                    f"count by {index_used(count_plan)}, page by {index_used(page_plan)}"
                )
                print("-- page query --")
                print(page_plan)
                print("-- count query --")
                print(count_plan)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        forget_own_keys()


def analyze() -> None:
    """Fresh planner statistics on PostgreSQL, as autovacuum would gather after a load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def forget_own_keys() -> None:
    if not settings.REDIS_URL:
        return
    client = cache._cache.get_client(write=True)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


if __name__ == "__main__":
    main()
