"""Leaving is as easy as moving in: a site exported as an al-folio repository, and back.

The round trip (export, import into a new site, export again) must give the
same files, byte for byte: texts, the BibTeX, and the images and PDFs too.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from profiles.alfolio import import_site, read_source
from profiles.alfolio.archive import read_zip
from profiles.alfolio.exporter import export_site
from profiles.models import Profile

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
SITES = sorted(path.name for path in CORPUS.iterdir() if path.is_dir()) if CORPUS.is_dir() else []

pytestmark = pytest.mark.django_db


def files_of(archive: bytes) -> dict[str, bytes]:
    """The zip's files by path below its top folder."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {
            info.filename.split("/", 1)[1]: opened.read(info)
            for info in opened.infolist()
            if not info.is_dir()
        }


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("folder", SITES)
def test_a_corpus_site_survives_the_round_trip_byte_for_byte(folder):
    import_site(read_source(CORPUS / folder), slug="first", owner_email="first@example.org")
    exported = export_site(Profile.objects.get(slug="first"))

    import_site(
        read_zip(io.BytesIO(exported), name="first.zip"), slug="second", owner_email="s@example.org"
    )
    again = export_site(Profile.objects.get(slug="second"))

    assert files_of(again) == files_of(exported)


def test_the_export_is_an_al_folio_repository(owner, tmp_path):
    owner.subtitle = "Analyst of engines"
    owner.save()
    owner.social_links.create(network="github", value="ada", position=0)
    owner.social_links.create(network="email", value="ada@example.org", position=1)
    out = tmp_path / "ada.zip"

    call_command("export_alfolio", "--slug", "ada", str(out))

    files = files_of(out.read_bytes())
    assert {"_config.yml", "_pages/about.md", "_bibliography/papers.bib", "_data/socials.yml",
            "_data/coauthors.yml", "_data/venues.yml", "README.md"} <= set(files)  # fmt: skip
    config = yaml.safe_load(files["_config.yml"])
    assert (config["first_name"], config["middle_name"], config["last_name"]) == (
        "Ada", "K.", "Lovelace"
    )  # fmt: skip
    about = files["_pages/about.md"].decode()
    assert about.startswith("---\nlayout: about\n")
    assert "subtitle: Analyst of engines" in about
    assert about.rstrip().endswith("I study **engines**.")
    assert yaml.safe_load(files["_data/socials.yml"]) == {
        "github_username": "ada",
        "email": "ada@example.org",
    }


def test_a_site_with_every_kind_of_file_survives_the_round_trip(alfolio_site):
    import_site(read_source(alfolio_site), slug="first", owner_email="first@example.org")
    exported = export_site(Profile.objects.get(slug="first"))

    import_site(
        read_zip(io.BytesIO(exported), name="first.zip"), slug="second", owner_email="s@example.org"
    )
    again = export_site(Profile.objects.get(slug="second"))

    files = files_of(exported)
    assert {
        "assets/img/prof_pic.jpg",
        "assets/img/wechat-qr.jpg",  # a PNG without transparency is served as a JPEG
        "assets/img/publication_preview/engine-figure.png",
        "assets/pdf/notes.pdf",
        "assets/pdf/cv.pdf",
    } <= set(files)
    assert sum(1 for path in files if path.startswith("_news/")) == 2
    assert files_of(again) == files


def test_what_al_folio_has_no_key_for_comes_back_too(owner):
    owner.affiliation = "Analytical Society"
    owner.accent_color = "#0b7a75"
    owner.save()
    owner.social_links.create(network="website", value="https://example.org/ada", position=0)
    owner.social_links.create(
        network="custom", value="https://example.org/notes", title="Notes",
        icon="fa-solid:book", position=1,
    )  # fmt: skip

    exported = export_site(owner)
    import_site(read_zip(io.BytesIO(exported), name="ada.zip"), slug="copy", owner_email="c@e.org")

    copy = Profile.objects.get(slug="copy")
    assert (copy.affiliation, copy.accent_color) == ("Analytical Society", "#0b7a75")
    assert [
        (link.network, link.value, link.title, link.icon) for link in copy.social_links.all()
    ] == [
        ("website", "https://example.org/ada", "", ""),
        ("custom", "https://example.org/notes", "Notes", "fa-solid:book"),
    ]
    assert yaml.safe_load(files_of(exported)["_config.yml"])["multifolio"] == {
        "affiliation": "Analytical Society",
        "accent_color": "#0b7a75",
    }
