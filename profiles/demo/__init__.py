"""Two fictional researchers for a fresh checkout. Any likeness is accidental.

Each one is an al-folio site in `sites/<slug>/`, text files only, which
`manage.py load_demo` imports as a researcher's own repository would be
(profiles.alfolio). Their portraits, paper PDFs and preview figures are
drawn at load time (profiles.demo.drawing), so no photograph of anyone is
in the repository.

Everything in the sites is invented: titles, abstracts, venues, co-authors.
Links go to example.org, DOIs use the 10.5555 test prefix, and the arXiv
numbers are above any month's real count of submissions, so no button leads
to somebody's work. Three papers are joint work of the two researchers; like
real co-authors' files, both papers.bib carry them with the same key and text,
so each site links the other researcher's name to their site.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

# Development only (load_demo sets it when DEBUG is on), so a newcomer can try
# the dashboard as a demo researcher.
DEMO_PASSWORD = "multifolio-demo"  # noqa: S105

SITES = Path(__file__).resolve().parent / "sites"

# The news files are dated as if written on this day; load_demo moves them
# forward by the days since, so the demo looks current whenever it is loaded.
DEMO_NEWS_DAY = date(2026, 11, 1)

DEMO_RESEARCHERS = [
    {
        "email": "amara.okafor@example.org",
        "slug": "amara",
        "folder": SITES / "amara",
        "portrait": ("#0b7a75", "#9be3d7"),  # background, figure
        "palette": ("#0b7a75", "#e07a5f", "#3d405b", "#f2cc8f", "#81b29a"),  # preview figures
    },
    {
        "email": "tomas.reyes@example.org",
        "slug": "treyes",
        "folder": SITES / "treyes",
        "portrait": ("#5b2a86", "#f0c4ff"),
        "palette": ("#5b2a86", "#f4a259", "#2a9d8f", "#e63946", "#264653"),
    },
]
