"""An import that crashes halfway changes nothing: not a row, not a file, not a byte of a page.

The site has been imported once (rows of every kind, photos, PDFs, editor
images); a second version of the repository, which changes all of that, is
imported with a crash injected at each stage of the write (after the stage
did its work, so that there is something to undo), and at the third file
stored. Afterwards the site's rows, every file under MEDIA_ROOT (names and
bytes) and its public pages are exactly as before, and the run says, in
words, that nothing was imported. The BibTeX import likewise, crashing at an
entry, after the entries are written, and in its run record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from news.models import NewsItem
from profiles.alfolio.apply import import_site
from profiles.alfolio.archive import read_source
from profiles.alfolio.writer import SiteWriter, TrackedStorage
from profiles.models import Profile, SiteImport, SocialLink
from publications.models import Coauthor, ImportRun, PaperFile, Publication, Venue
from publications.services import import_bibtex
from tests.conftest import image_bytes, pdf_bytes
from tests.test_alfolio_dashboard import post_import, zip_folder

pytestmark = pytest.mark.django_db

SITE_PAGES = ["/", "/publications/", "/news/"]  # (an empty feed is dated "now")
SECOND_PAPER = """
@article{lovelace1844engine,
  title = {On the Engine, again},
  author = {Lovelace, Ada},
  journal = {Scientific Memoirs},
  year = {1844},
}
"""


class Crash(RuntimeError):
    """The injected failure, standing for any bug or outage in the middle of an import."""


def snapshot(profile: Profile) -> dict:
    """Everything an import may change: the site's rows, every file, the public pages."""
    rows = {
        model.__name__: sorted(
            map(repr, model.objects.filter(**{field: profile.pk}).order_by("pk").values())
        )
        for model, field in [
            (Profile, "pk"),  # the profile itself
            (Publication, "profile"),
            (NewsItem, "profile"),
            (SocialLink, "profile"),
            (PaperFile, "profile"),
            (Coauthor, "profile"),
            (Venue, "profile"),
            (ImportRun, "profile"),
        ]
    }
    media = Path(settings.MEDIA_ROOT)
    files = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    visitor = Client(HTTP_HOST=f"{profile.slug}.localhost")
    pages = {path: visitor.get(path).content for path in SITE_PAGES}
    return {"rows": rows, "files": files, "pages": pages}


@pytest.fixture
def imported(owner, alfolio_site, django_capture_on_commit_callbacks) -> Path:
    """ada's site imported once; then a second version of its repository that changes
    every kind of thing the import writes. Returns the repository's folder."""
    with django_capture_on_commit_callbacks(execute=True):
        import_site(read_source(alfolio_site), slug="ada")
    about = alfolio_site / "_pages/about.md"
    about.write_text(about.read_text() + "\nA new paragraph.\n")
    (alfolio_site / "assets/img/prof_pic.jpg").write_bytes(image_bytes(color="#118833"))
    (alfolio_site / "assets/img/engine.jpg").write_bytes(image_bytes(color="#881133"))
    (alfolio_site / "assets/pdf/notes.pdf").write_bytes(pdf_bytes(3))
    (alfolio_site / "_news/2025-01-02-new.md").write_text(
        "---\nlayout: post\ntitle: Something new\ndate: 2025-01-02\n---\n\nNews.\n"
    )
    papers = alfolio_site / "_bibliography/papers.bib"
    papers.write_text(papers.read_text() + SECOND_PAPER)
    socials = alfolio_site / "_data/socials.yml"
    socials.write_text(socials.read_text().replace("ada-l", "ada-lovelace"))
    return alfolio_site


def crash_after(monkeypatch, stage: str) -> None:
    """SiteWriter.<stage> does its work, then the import crashes."""
    original = getattr(SiteWriter, stage)

    def stage_then_crash(self: SiteWriter) -> None:
        original(self)
        raise Crash(f"after {stage}")

    monkeypatch.setattr(SiteWriter, stage, stage_then_crash)


def crash_at_third_file(monkeypatch) -> None:
    original = TrackedStorage.save
    saved: list[str] = []

    def save(self: TrackedStorage, name: str, content) -> str:
        if len(saved) == 2:
            raise Crash("the disk is full")
        saved.append(original(self, name, content))
        return saved[-1]

    monkeypatch.setattr(TrackedStorage, "save", save)


STAGES = [
    "_paper_files",
    "_assets",
    "_about_page",
    "_social_links",
    "_news",
    "_publications",
    "_coauthors_and_venues",
    "_publication_settings",
]


@pytest.mark.parametrize("stage", [*STAGES, "third file"])
def test_an_import_that_crashes_changes_nothing_rows_files_or_pages(
    owner, imported, monkeypatch, django_capture_on_commit_callbacks, stage
):
    before = snapshot(owner)
    if stage == "third file":
        crash_at_third_file(monkeypatch)
    else:
        crash_after(monkeypatch, stage)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Crash):
        import_site(read_source(imported), slug="ada")

    assert snapshot(owner) == before


def test_the_crashing_stages_wrote_what_is_undone(
    owner, imported, django_capture_on_commit_callbacks
):
    # Without a crash the same import changes rows, files and pages: the test
    # above compares something that would differ.
    before = snapshot(owner)
    with django_capture_on_commit_callbacks(execute=True):
        import_site(read_source(imported), slug="ada")
    after = snapshot(owner)
    for part in ("rows", "files", "pages"):
        assert after[part] != before[part], part
    assert after["rows"]["NewsItem"] != before["rows"]["NewsItem"]
    assert after["rows"]["Publication"] != before["rows"]["Publication"]
    assert set(after["files"]) - set(before["files"])  # new photo, images, PDF


def test_a_dashboard_import_that_crashes_is_marked_failed_in_words_and_changes_nothing(
    owner, owner_client, imported, monkeypatch, django_capture_on_commit_callbacks
):
    before = snapshot(owner)
    crash_after(monkeypatch, "_news")

    # The task fails (the worker logs it); the upload it kept is deleted.
    post_import(owner_client, zip_folder(imported), django_capture_on_commit_callbacks)

    run = SiteImport.objects.get(profile=owner)
    assert run.status == SiteImport.Status.FAILED
    assert run.error.startswith("Something went wrong on our side and nothing was imported.")
    assert "Traceback" not in run.error and "Crash" not in run.error
    page = owner_client.get(reverse("dashboard_import_run", args=[run.pk])).content.decode()
    assert "nothing was imported" in page
    assert snapshot(owner) == before


# ---------------------------------------------------------------- BibTeX


BIB = """
@article{one, title = {One}, author = {Lovelace, Ada}, year = {1843}}
@article{two, title = {Two}, author = {Lovelace, Ada}, year = {1844}}
@article{three, title = {Three}, author = {Lovelace, Ada}, year = {1845}}
"""
NEW_BIB = """
@string{sm = "Scientific Memoirs"}
@article{one, title = {One, revised}, author = {Lovelace, Ada}, journal = sm, year = {1843}}
@article{three, title = {Three}, author = {Lovelace, Ada}, year = {1845}}
@article{four, title = {Four}, author = {Lovelace, Ada}, year = {1846}}
@article{five, title = {Five}, author = {Lovelace, Ada}, year = {1847}}
"""


def crash_at_third_entry(monkeypatch) -> None:
    from publications import services

    original, seen = services.entry_values, []

    def entry_values(entry):
        seen.append(entry.key)
        if len(seen) == 3:
            raise Crash(f"at {entry.key}")
        return original(entry)

    monkeypatch.setattr(services, "entry_values", entry_values)


def crash_in(target: str) -> Callable:
    def install(monkeypatch) -> None:
        def crash(*args, **kwargs):
            raise Crash(target)

        monkeypatch.setattr(target, crash)

    return install


BIBTEX_CRASHES = {
    "at the third entry": crash_at_third_entry,
    # Entries added, updated and removed (bulk) in the transaction, then:
    "after the entries are written": crash_in("publications.services._remember_macros"),
    "in the run record": crash_in("publications.services.ImportRun.objects.create"),
}


@pytest.fixture
def papers(owner, django_capture_on_commit_callbacks) -> Profile:
    with django_capture_on_commit_callbacks(execute=True):
        import_bibtex(profile=owner, text=BIB, source="first")
    return owner


@pytest.mark.parametrize("crash", BIBTEX_CRASHES.values(), ids=BIBTEX_CRASHES.keys())
def test_a_bibtex_import_that_crashes_changes_nothing(papers, monkeypatch, crash):
    before = snapshot(papers)
    crash(monkeypatch)
    with pytest.raises(Crash):
        import_bibtex(profile=papers, text=NEW_BIB, source="second", replace=True)
    assert snapshot(papers) == before


def test_a_bibtex_import_from_the_dashboard_that_crashes_says_nothing_changed_and_keeps_the_text(
    papers, owner_client, monkeypatch, caplog
):
    before = snapshot(papers)
    crash_in("publications.services._remember_macros")(monkeypatch)

    response = owner_client.post(
        reverse("dashboard_bibtex_import"), {"text": NEW_BIB, "replace": "on"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Something went wrong on our side, and nothing was imported" in page
    assert escape(NEW_BIB.strip().splitlines()[0]) in page  # the pasted text is still there
    assert snapshot(papers) == before
    assert "The BibTeX import of the site" in caplog.text  # with its traceback, for us
