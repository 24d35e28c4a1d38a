"""Time the markup pipeline on hostile input, at each field's length limit.

    .venv/bin/python bench/markup.py [--repeat 3]

For every input that was slow or explosive before issue 6 (brackets, emphasis,
nesting, tables, formulas, icons, repeated references), cut to the bio's
limit: the time to render it, the time of the live preview endpoint and of
saving the about-page form with it as the bio (in-process client: session,
limits, validation, rendering, the database write), and the size of the HTML.
Then a real about page (the longest seed) for scale.
Figures depend on the machine: compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from profiles.markup import (  # noqa: E402
    BIO_MAX_CHARS,
    MarkupTooLarge,
    _render,
    render_markdown,
)
from profiles.markup.mathml import formula_to_mathml  # noqa: E402
from tests.test_dashboard import PROFILE_FORM  # noqa: E402
from tests.test_markup_bounds import hostile_at  # noqa: E402

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "about-rupeng.md"


def best_of(repeat: int, work) -> float:
    """Best time of `repeat` runs, each starting with an empty rendering cache."""
    timings = []
    for _ in range(repeat):
        _render.cache_clear()
        formula_to_mathml.cache_clear()
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return min(timings)


def render_or_refuse(text: str) -> str:
    try:
        return render_markdown(text)
    except MarkupTooLarge as error:
        return f"refused ({error.size // 1000} KB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.conftest import make_researcher

        owner = make_researcher("bench")
        client = Client(HTTP_HOST="localhost")
        client.force_login(owner.owner)

        cases = hostile_at(BIO_MAX_CHARS)
        if SEED.is_file():
            cases["real page (seed)"] = SEED.read_text(encoding="utf-8")
        print(f"bio limit: {BIO_MAX_CHARS:,} characters; best of {args.repeat} runs")
        print(
            f"{'input':22} {'chars':>7} {'render ms':>10} {'preview ms':>11} {'save ms':>8} "
            f"{'html':>16}"
        )
        worst = {"render": 0.0, "preview": 0.0, "save": 0.0}
        for name, text in cases.items():
            html = render_or_refuse(text)
            render_ms = best_of(args.repeat, lambda t=text: render_or_refuse(t))

            def preview(t=text):
                response = client.post("/markdownx/markdownify/", {"content": t})
                if response.status_code not in (200, 413):
                    raise SystemExit(f"preview answered {response.status_code}")

            def save(t=text):
                response = client.post("/dashboard/profile/", {**PROFILE_FORM, "bio": t})
                if response.status_code not in (200, 302):
                    raise SystemExit(f"save answered {response.status_code}")

            preview_ms = best_of(args.repeat, preview)
            save_ms = best_of(args.repeat, save)
            size = html if html.startswith("refused") else f"{len(html) // 1000} KB"
            print(
                f"{name:22} {len(text):7,} {render_ms:10.1f} {preview_ms:11.1f} {save_ms:8.1f} "
                f"{size:>16}"
            )
            if name != "real page (seed)":
                for key, value in (
                    ("render", render_ms),
                    ("preview", preview_ms),
                    ("save", save_ms),
                ):
                    worst[key] = max(worst[key], value)
        print(
            "worst hostile input: "
            + ", ".join(f"{key} {value:.0f} ms" for key, value in worst.items())
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
