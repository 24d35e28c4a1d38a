"""Time the al-folio import of the largest archive we accept, and of a typical site.

    .venv/bin/python bench/alfolio_import.py [--zip-mb 50]

Builds, in a temporary folder, a zip as large as the upload limit allows
(profiles.alfolio.archive.MAX_ARCHIVE_BYTES) that the import has to work hard
on: photos and figures the texts show (JPEG photographs of random texture,
which compress like real ones), publication previews, PDFs, 400 BibTeX
entries and 80 news items. Then runs `manage.py import_alfolio` on it in a
subprocess against a throwaway SQLite database, so that start-up, reading the
zip, repairing texts, re-encoding every image and PDF and the database writes
all count; then the same import again (everything unchanged); then a typical
site from ../shared/corpus.

Figures depend on the machine. The dashboard runs imports as a background
task when the largest archive takes longer than a request should (a few
seconds): the script prints which side of that line the figure falls.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
A_REQUEST = 5.0  # seconds: longer than this and a web request should not wait


def photograph(width: int, height: int, seed: int) -> bytes:
    """A JPEG of smooth random texture: sizes like a real photograph's."""
    rng = random.Random(seed)
    small = Image.new("RGB", (width // 16, height // 16))
    small.putdata(
        [
            (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            for _ in range(small.width * small.height)
        ]
    )
    buffer = io.BytesIO()
    small.resize((width, height), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def a_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_zip(path: Path, limit: int) -> dict[str, int]:
    files: dict[str, bytes] = {
        "_config.yml": b"first_name: Bench\nlast_name: Mark\n",
    }
    bib = []
    for n in range(400):
        preview = f"  preview = {{fig{n}.png}},\n" if n < 60 else ""
        bib.append(
            f"@article{{paper{n},\n  title = {{Paper number {n}}},\n  author = {{Mark, Bench and "
            f"Other, Person}},\n  journal = {{Journal}},\n  year = {{{2000 + n % 25}}},\n"
            f"  pdf = {{paper{n % 20}.pdf}},\n{preview}}}\n"
        )
    files["_bibliography/papers.bib"] = "\n".join(bib).encode()
    for n in range(80):
        files[f"_news/announcement_{n}.md"] = (
            f"---\nlayout: post\ndate: 2024-01-{n % 28 + 1:02d}\ninline: true\n---\n"
            f"News number {n} :tada:\n"
        ).encode()
    for n in range(20):
        files[f"assets/pdf/paper{n}.pdf"] = a_pdf(8)
    for n in range(60):
        files[f"assets/img/publication_preview/fig{n}.png"] = photograph(800, 600, n)
    body = ["I am a benchmark.\n"]
    total = sum(len(data) for data in files.values())
    n = 0
    while total < limit * 0.93:
        data = photograph(4000, 3000, 1000 + n)
        files[f"assets/img/photo{n}.jpg"] = data
        body.append(f'{{% include figure.liquid path="assets/img/photo{n}.jpg" %}}\n')
        total += len(data)
        n += 1
    files["assets/img/prof_pic.jpg"] = photograph(1600, 2000, 7)
    about = "---\nlayout: about\nprofile:\n  image: prof_pic.jpg\n---\n" + "\n".join(body)
    files["_pages/about.md"] = about.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"bench-main/{name}", data)
    return {"photos": n, "previews": 60, "pdfs": 20, "entries": 400, "news": 80}


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip-mb", type=float, default=50)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATA_DIR": folder, "DJANGO_SETTINGS_MODULE": "config.settings"}
        env.pop("DATABASE_URL", None)
        run(["migrate", "-v0"], env)
        startup = run(["check"], env)
        archive = Path(folder) / "bench.zip"
        contents = build_zip(archive, int(options.zip_mb * 1024 * 1024))
        size = archive.stat().st_size / (1024 * 1024)
        print(f"archive: {size:.1f} MB zip, {contents}")
        first = run(["import_alfolio", str(archive), "--slug", "bench", "--owner", "b@e.org"], env)
        again = run(["import_alfolio", str(archive), "--slug", "bench"], env)
        print(f"start-up (manage.py check):   {startup:6.2f} s")
        verdict = "background task" if first > A_REQUEST else "fits in a request"
        print(f"largest archive, first import: {first:6.2f} s  ({verdict})")
        print(f"largest archive, again:        {again:6.2f} s  (nothing changes)")
        if CORPUS.is_dir():
            site = CORPUS / "tirtharajdash__tirtharajdash.github.io"
            typical = run(
                ["import_alfolio", str(site), "--slug", "typical", "--owner", "t@e.org"], env
            )
            print(f"typical site (tirtharajdash: 62 entries, 76 news): {typical:6.2f} s")


if __name__ == "__main__":
    main()
