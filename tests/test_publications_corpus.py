"""Every .bib file of the real al-folio sites in ../shared/corpus imports with no entry lost,
shows decoded on the page, and comes back unchanged from an export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from publications.models import Publication
from publications.services import import_bibtex
from tests.conftest import make_researcher

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
SITES = sorted(path.name for path in CORPUS.iterdir() if path.is_dir()) if CORPUS.is_dir() else []

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}"),
]

ENTRY_RE = re.compile(r"^\s*@(?!string|comment|preamble)\w+\s*[{(]\s*([^,\s]+)\s*,", re.I | re.M)


def bib_files(site: str) -> list[Path]:
    return sorted((CORPUS / site / "_bibliography").glob("*.bib"))


def keys_in(path: Path) -> list[str]:
    return ENTRY_RE.findall(path.read_text(encoding="utf-8"))


def import_site(site: str):
    profile = make_researcher(re.sub(r"[^a-z0-9]+", "-", site.lower())[:40].strip("-"))
    reports = [
        import_bibtex(profile=profile, text=path.read_text(encoding="utf-8"), source=path.name)
        for path in bib_files(site)
    ]
    return profile, reports


@pytest.mark.parametrize("site", SITES)
def test_every_entry_of_a_real_site_comes_through(site):
    profile, reports = import_site(site)
    expected = {key for path in bib_files(site) for key in keys_in(path)}
    assert expected, f"{site} has no entries to import"
    assert all(report.problems == [] for report in reports), [r.problems for r in reports]
    stored = set(Publication.objects.filter(profile=profile).values_list("key", flat=True))
    assert stored == expected


@pytest.mark.parametrize("site", SITES)
def test_an_export_of_a_real_site_imports_again_unchanged(site, site_client):
    profile, _ = import_site(site)
    exported = site_client(profile.slug).get("/publications.bib").content.decode()
    report = import_bibtex(profile=profile, text=exported, source="export")
    assert report.added == [] and report.updated == [] and report.problems == []
    assert len(report.unchanged) == Publication.objects.filter(profile=profile).count()


@pytest.mark.parametrize("site", SITES)
def test_the_publications_page_of_a_real_site_renders(site, site_client):
    profile, _ = import_site(site)
    response = site_client(profile.slug).get("/publications/")
    assert response.status_code == 200
    assert (
        response.content.decode().count('<li class="pub"')
        == Publication.objects.filter(profile=profile).count()
    )


def paper(site: str, key: str) -> Publication:
    profile, _ = import_site(site)
    return Publication.objects.get(profile=profile, key=key)


def test_accents_are_decoded_bornelov():
    found = paper("tirtharajdash__tirtharajdash.github.io", "10.1093/bioadv/vbaf130")
    assert [a["last"] for a in found.authors] == ["Dash", "Bornelöv"]


def test_a_braced_da_costa_stays_one_last_name():
    profile, _ = import_site("joahannes__joahannes.github.io")
    names = {
        f"{a['von']} {a['last']}".strip()
        for pub in Publication.objects.filter(profile=profile)
        for a in pub.authors
    }
    assert "da Costa" in names


def test_braced_chinese_names_are_kept_whole():
    profile, _ = import_site("jiaye-wu__jiaye-wu.github.io")
    pub = Publication.objects.filter(profile=profile, title__startswith="广东科学中心").get()
    assert [a["last"] for a in pub.authors] == ["吴嘉野", "刘晓纯", "黄倩莹", "张倩苇"]
    assert pub.venue == "卷宗"


def test_marks_on_names_are_kept_as_marks():
    profile, _ = import_site("jiaye-wu__jiaye-wu.github.io")
    marks = {
        a.get("marks") for pub in Publication.objects.filter(profile=profile) for a in pub.authors
    }
    assert "†" in marks and "*" in marks


def test_a_biblatex_date_only_entry_gets_its_year():
    found = paper("sdaza__sdaza.github.io", "aldea2026")
    assert found.year == 2026
    assert found.venue == "Mathematical Population Studies"  # biblatex journaltitle
