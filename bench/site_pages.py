"""Time the public pages in-process (no network, no server): what Django itself costs.

    .venv/bin/python bench/site_pages.py [--requests 2000]

Prints mean, p50 and p95 latency and queries per request for the about page
(warm tenant cache), an unknown host, and the landing page. Figures depend on
the machine: compare runs on the same machine, never against a fixed threshold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def measure(client: Client, n: int) -> tuple[list[float], float]:
    client.get("/")  # warm caches
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(n):
            start = time.perf_counter()
            response = client.get("/")
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code not in (200, 404):
                raise SystemExit(f"unexpected status {response.status_code}")
    return timings, len(queries) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        cases = {
            "about page (amara.localhost)": Client(HTTP_HOST="amara.localhost"),
            "unknown site (nosuch.localhost)": Client(HTTP_HOST="nosuch.localhost"),
            "landing page (localhost)": Client(HTTP_HOST="localhost"),
        }
        print(f"{'page':34} {'mean ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for label, client in cases.items():
            timings, queries = measure(client, args.requests)
            p95 = statistics.quantiles(timings, n=20)[-1]
            print(
                f"{label:34} {statistics.mean(timings):8.3f} {statistics.median(timings):8.3f} "
                f"{p95:8.3f} {queries:8.2f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
