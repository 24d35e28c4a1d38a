"""Time the BibTeX import end to end (on SQLite) and the publications page (in-process).

    .venv/bin/python bench/publications.py [--entries 4000] [--page-entries 500] [--requests 20]

1. Writes a seeded, realistic al-folio .bib (bench/bibgen.py) to a temporary folder:
   @string venues, months as macros and text, LaTeX accents in names, math in titles,
   al-folio's own fields, abstracts on about half, and 10 deliberately broken entries.
2. Runs the real command, `manage.py import_bibtex FILE --site bench`, in a subprocess
   against a throwaway SQLite database (DATA_DIR in a temporary folder), so that start-up,
   parsing, decoding, rendering and the database writes all count: a dry run on the empty
   site, the import itself, and the same file again (everything unchanged). Checks that
   exactly the broken entries were reported. `manage.py check` alone shows start-up's share.
3. In-process, with the test settings and a test database: imports the first 500 good
   entries for a site (with co-authors who have sites of their own, venues and uploaded
   files), then renders /publications/ on the site's host, uncached, after one warm-up
   request (tenant and platform people index warm), and one paper page.

Figures depend on the machine. The targets are printed next to them with "ok" or "over";
the script never fails on a target (it fails only when the import misreports).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.bibgen import OWNER, PLATFORM_PEOPLE, Bib, generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMPORT_TARGET_S = 3.0
PAGE_TARGET_MS = 50.0
SLUG = "bench"

_SUMMARY = re.compile(r"(\d+) (?:would be )?(added|updated|unchanged|removed|could not be read)")
_REPORTED = re.compile(r"^line (\d+): (\(no key\)|\S+): (.*)$")


# --- 2. The import, end to end ---------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> tuple[float, subprocess.CompletedProcess]:
    """Run `manage.py *args` in a subprocess: (wall seconds, the finished process)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, done


def counts(done: subprocess.CompletedProcess) -> dict[str, int]:
    """The summary line's counts ("bench: 3990 added, 10 could not be read.")."""
    summary = next(
        (line for line in reversed(done.stdout.splitlines()) if line.startswith(f"{SLUG}:")),
        done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "",
    )
    found = {what: int(n) for n, what in _SUMMARY.findall(summary)}
    return {what: found.get(what, 0) for what in ("added", "unchanged", "could not be read")}


def reported(stream: str) -> list[tuple[int, str]]:
    """(line, key) of every "line N: key: message" the command wrote."""
    return [
        (int(m.group(1)), m.group(2))
        for line in stream.splitlines()
        if (m := _REPORTED.match(line)) is not None
    ]


def bench_import(bib: Bib, folder: Path) -> tuple[list[tuple], float]:
    """The command's runs as table rows, and the import's wall time."""
    bib_file = folder / "papers.bib"
    bib_file.write_text(bib.text, encoding="utf-8")
    # The defaults: SQLite under DATA_DIR, local-memory cache, DEBUG on (as in development).
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "DEBUG", "SECRET_KEY")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DATA_DIR": str(folder / "data")}

    _, migrated = manage(env, "migrate", "-v0")
    create = (
        "from tests.conftest import make_researcher; "
        f"make_researcher({SLUG!r}, first_name={OWNER[0]!r}, middle_name={OWNER[1]!r}, "
        f"last_name={OWNER[2]!r})"
    )
    _, created = manage(env, "shell", "-c", create)
    for step in (migrated, created):
        if step.returncode != 0:
            raise SystemExit(f"setting up the database failed:\n{step.stderr}")
    manage(env, "check")  # warms the disk cache and the .pyc files
    check_s, _ = manage(env, "check")

    command = ["import_bibtex", str(bib_file), "--site", SLUG, "--no-color"]
    runs = [
        ("dry run, empty site", [*command, "--dry-run"]),
        ("import", command),
        ("same file again", command),
    ]
    rows: list[tuple] = [("start-up only (manage.py check)", check_s, None, None, None, None)]
    import_s = 0.0
    expected = sorted((line, key or "(no key)") for line, key, _kind in bib.broken)
    for label, args in runs:
        seconds, done = manage(env, *args)
        if done.returncode != 0:
            raise SystemExit(f"{label}: the command failed:\n{done.stderr[-2000:]}")
        found = counts(done)
        problems = sorted(reported(done.stderr))
        if problems != expected:
            raise SystemExit(
                f"{label}: the problems reported are not exactly the broken entries:\n"
                f"  reported {problems}\n  expected {expected}"
            )
        if label == "import":
            import_s = seconds
            if found["added"] != bib.good:
                raise SystemExit(f"import: {found['added']} added, expected {bib.good}")
        if label == "same file again" and found["unchanged"] != bib.good:
            raise SystemExit(f"again: {found['unchanged']} unchanged, expected {bib.good}")
        warnings = len(reported(done.stdout))
        rows.append((label, seconds, found["added"], found["unchanged"], len(problems), warnings))
    return rows, import_s


# --- 3. The publications page, in-process ----------------------------------------------


def site_with_publications(bib: Bib, count: int):
    """The site "bench" with `count` entries, co-authors on the platform, venues, files."""
    from publications.models import PaperFile, Publication, PublicationSettings, Venue
    from publications.services import import_bibtex
    from tests.conftest import make_researcher

    for first, last in PLATFORM_PEOPLE:
        slug = re.sub(r"[^a-z]", "", f"{first}{last}".lower())
        make_researcher(slug, first_name=first, last_name=last)
    profile = make_researcher(SLUG, first_name=OWNER[0], middle_name=OWNER[1], last_name=OWNER[2])
    PublicationSettings.objects.create(
        profile=profile, name_variants="Lovelace, A.", max_author_limit=8
    )
    start = time.perf_counter()
    report = import_bibtex(profile=profile, text=bib.subset(count), source="bench")
    import_ms = (time.perf_counter() - start) * 1000
    if len(report.added) != count:
        raise SystemExit(f"in-process import: {len(report.added)} added, expected {count}")

    publications = Publication.objects.filter(profile=profile)
    for abbr in sorted({pub.abbr for pub in publications if pub.abbr}):
        Venue.objects.create(profile=profile, abbr=abbr, color="#00369f", url="https://example.org")
    # The files entries name (`pdf = {key.pdf}`, `preview = {key.png}`), as if uploaded.
    folder = f"sites/{profile.pk}/files/"
    for pub in publications:
        if pub.pdf and not pub.pdf.startswith("http"):
            PaperFile.objects.create(
                profile=profile,
                name=pub.pdf,
                kind=PaperFile.Kind.DOCUMENT,
                stored={"name": f"{folder}{pub.pk:016x}.pdf"},
                size=250_000,
            )
        if pub.preview and not pub.preview.startswith("http"):
            variants = [
                {
                    "width": w,
                    "height": w * 2 // 3,
                    "webp": f"{folder}{pub.pk:016x}-{w}.webp",
                    "fallback": f"{folder}{pub.pk:016x}-{w}.jpg",
                }
                for w in (300, 600)
            ]
            PaperFile.objects.create(
                profile=profile,
                name=pub.preview,
                kind=PaperFile.Kind.IMAGE,
                stored={"width": 600, "height": 400, "variants": variants},
                size=60_000,
            )
    return profile, import_ms


def measure(client: Client, path: str, n: int) -> tuple[list[float], float, int]:
    """Timings (ms) of n requests after one warm-up, queries per request, page bytes."""
    response = client.get(path)  # warms the tenant and the people index
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    size = len(response.content)
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(n):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
    return timings, len(queries) / n, size


def bench_page(bib: Bib, count: int, requests: int) -> tuple[list[tuple], float, float]:
    """Table rows for the pages, the in-process import time, and the page's mean (ms)."""
    from publications.entries import paper_path
    from publications.models import Publication

    profile, import_ms = site_with_publications(bib, count)
    client = Client(HTTP_HOST=f"{SLUG}.localhost")
    # A paper as full as they come: abstract, many authors, files.
    paper = (
        Publication.objects.filter(profile=profile)
        .exclude(abstract="")
        .exclude(pdf="")
        .order_by("-year", "position")
        .first()
    )
    rows = []
    page_mean = 0.0
    for label, path in (
        (f"/publications/ ({count} entries)", "/publications/"),
        ("one paper page", paper_path(paper)),
    ):
        timings, queries, size = measure(client, path, requests)
        mean = statistics.mean(timings)
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
        rows.append((label, mean, statistics.median(timings), p95, queries, size / 1024))
        if path == "/publications/":
            page_mean = mean
    return rows, import_ms, page_mean


def verdict(figure: float, target: float) -> str:
    return "ok" if figure < target else "over"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--broken", type=int, default=10)
    parser.add_argument("--page-entries", type=int, default=500)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    bib = generate(entries=args.entries, broken=args.broken, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="multifolio-bench-") as tmp:
        folder = Path(tmp)
        print(
            f"papers.bib: {args.entries:,} entries ({bib.good:,} good, {len(bib.broken)} broken), "
            f"{len(bib.text.encode()) / 1e6:.2f} MB, {bib.text.count(chr(10)) + 1:,} lines"
        )
        print()
        print("manage.py import_bibtex papers.bib --site bench (subprocess, SQLite, wall time)")
        sys.stdout.flush()
        rows, import_s = bench_import(bib, folder)
        print(f"{'run':34} {'wall s':>7} {'added':>6} {'unchgd':>6} {'probl.':>6} {'warn.':>6}")
        for label, seconds, added, unchanged, problems, warnings in rows:
            rest = (
                f" {added:6} {unchanged:6} {problems:6} {warnings:6}" if added is not None else ""
            )
            print(f"{label:34} {seconds:7.2f}{rest}")
        lines = ", ".join(str(line) for line, _key, _kind in bib.broken)
        print(f"problems reported: exactly the {len(bib.broken)} broken entries (lines {lines})")
        commented = bib.text.count("\n  % ")
        print(f"warnings: the generator comments out a field with % in {commented} entries")
        print()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        rows, page_import_ms, page_mean = bench_page(bib, args.page_entries, args.requests)
        print(
            f"in-process (test settings): import of {args.page_entries} entries "
            f"{page_import_ms:.0f} ms; {args.requests} requests after one warm-up"
        )
        print(f"{'page':34} {'mean ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>7}")
        for label, mean, p50, p95, queries, kb in rows:
            print(f"{label:34} {mean:8.1f} {p50:8.1f} {p95:8.1f} {queries:8.1f} {kb:7.0f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print()
    print(
        f"target: import of {args.entries:,} entries, end to end < {IMPORT_TARGET_S:.0f} s: "
        f"{import_s:.2f} s  {verdict(import_s, IMPORT_TARGET_S)}"
    )
    print(
        f"target: /publications/ with {args.page_entries} entries (mean) < "
        f"{PAGE_TARGET_MS:.0f} ms: {page_mean:.1f} ms  {verdict(page_mean, PAGE_TARGET_MS)}"
    )


if __name__ == "__main__":
    main()
