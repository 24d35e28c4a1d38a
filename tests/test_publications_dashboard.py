"""The publications dashboard: import, list, edit, select, delete, files, settings. Owner only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from publications.models import Coauthor, ImportRun, PaperFile, Publication, PublicationSettings
from tests.conftest import image_bytes, make_researcher, pdf_bytes
from tests.test_publications import BIB, import_text

pytestmark = pytest.mark.django_db


def bib_upload(text: str = BIB, name: str = "papers.bib") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/x-bibtex")


def test_uploading_a_bib_file_imports_it_and_shows_the_report(owner_client, owner):
    response = owner_client.post(
        "/dashboard/publications/import/", {"file": bib_upload()}, follow=True
    )
    html = response.content.decode()
    assert "Import done: 3 added." in html
    assert "upload: papers.bib" in html
    assert Publication.objects.filter(profile=owner).count() == 3


def test_pasted_bibtex_imports_too(owner_client, owner):
    owner_client.post("/dashboard/publications/import/", {"text": BIB})
    assert ImportRun.objects.get(profile=owner).source == "pasted text"


def test_an_import_report_lists_each_entry_that_could_not_be_read(owner_client, owner):
    broken = BIB.replace(
        "@article{lovelace2023poetical,", "@article{lovelace2023poetical,\n title = {Open,"
    )
    response = owner_client.post(
        "/dashboard/publications/import/", {"file": bib_upload(broken)}, follow=True
    )
    html = response.content.decode()
    assert "Entries that could not be read" in html
    assert "lovelace2023poetical" in html


def test_a_file_that_is_not_bibtex_is_refused_with_a_message_and_changes_nothing(
    owner_client, owner
):
    import_text(owner)
    upload = SimpleUploadedFile("cv.docx", b"PK\x03\x04" + bytes(range(256)) * 50)
    response = owner_client.post(
        "/dashboard/publications/import/", {"file": upload, "replace": "on"}
    )
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert Publication.objects.filter(profile=owner).count() == 3


def test_an_empty_import_form_says_what_to_give(owner_client):
    response = owner_client.post("/dashboard/publications/import/", {})
    assert "Choose a .bib file, or paste BibTeX" in response.content.decode()


def test_the_list_searches_and_flags_files_the_entries_name_but_nobody_uploaded(
    owner_client, owner
):
    import_text(owner)
    html = owner_client.get("/dashboard/publications/?q=poetical").content.decode()
    assert "A Poetical Science" in html and "Notes on the" not in html
    html = owner_client.get("/dashboard/publications/").content.decode()
    assert "Names a file you have not uploaded: engines.pdf" in html


def test_editing_a_field_writes_it_into_the_entrys_bibtex(owner_client, owner):
    import_text(owner)
    paper = Publication.objects.get(key="lovelace2023poetical")
    page = owner_client.get(f"/dashboard/publications/{paper.pk}/").content.decode()
    assert "A Poetical Science" in page
    form = {
        "title": "A Poetical Science, Revised",
        "author": "Lovelace, Ada",
        "year": "2023",
        "abbr": "JIR",
        "pdf": "",
        "code": "",
        "html": "",
        "abstract": "",
        "raw_bibtex": paper.raw_bibtex,
    }
    response = owner_client.post(f"/dashboard/publications/{paper.pk}/", form)
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.title == "A Poetical Science, Revised" and paper.abbr == "JIR"
    assert "title = {A Poetical Science, Revised}" in paper.raw_bibtex
    assert "abbr = {JIR}" in paper.raw_bibtex


def test_editing_the_bibtex_wins_and_the_fields_follow(owner_client, owner):
    import_text(owner)
    paper = Publication.objects.get(key="lovelace2023poetical")
    new_raw = paper.raw_bibtex.replace("A Poetical Science", "Written Directly")
    form = {"title": "ignored", "author": "", "year": "", "abbr": "", "pdf": "", "code": "",
            "html": "", "abstract": "", "raw_bibtex": new_raw}  # fmt: skip
    owner_client.post(f"/dashboard/publications/{paper.pk}/", form)
    paper.refresh_from_db()
    assert paper.title == "Written Directly"


def test_broken_bibtex_in_the_editor_is_refused_with_the_reason(owner_client, owner):
    import_text(owner)
    paper = Publication.objects.get(key="lovelace2023poetical")
    form = {"title": "", "author": "", "year": "", "abbr": "", "pdf": "", "code": "", "html": "",
            "abstract": "", "raw_bibtex": "@article{x, title = {unclosed"}  # fmt: skip
    response = owner_client.post(f"/dashboard/publications/{paper.pk}/", form)
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    paper.refresh_from_db()
    assert paper.title == "A Poetical Science"


def test_selecting_a_paper_puts_it_on_the_about_page(owner_client, owner, site_client):
    import_text(owner)
    paper = Publication.objects.get(key="lovelace2023poetical")
    owner_client.post(f"/dashboard/publications/{paper.pk}/selected/")
    paper.refresh_from_db()
    assert paper.selected and "selected = {true}" in paper.raw_bibtex
    assert 'id="lovelace2023poetical"' in site_client("ada").get("/").content.decode()


def test_bulk_delete_removes_the_ticked_papers_only(owner_client, owner):
    import_text(owner)
    pks = list(Publication.objects.filter(profile=owner).values_list("pk", flat=True))[:2]
    owner_client.post("/dashboard/publications/delete/", {"pk": pks})
    assert Publication.objects.filter(profile=owner).count() == 1


def test_uploaded_files_are_found_by_the_name_the_bibtex_uses(owner_client, owner, site_client):
    import_text(owner)
    upload = SimpleUploadedFile("whatever.pdf", pdf_bytes())
    response = owner_client.post(
        "/dashboard/publications/files/", {"file": upload, "name": "engines.pdf"}
    )
    assert response.status_code == 302
    assert PaperFile.objects.get(profile=owner).kind == "document"
    html = site_client("ada").get("/publications/").content.decode()
    assert ">PDF</a>" in html


def test_a_preview_image_goes_through_the_photo_pipeline(owner_client, owner):
    upload = SimpleUploadedFile("fig.png", image_bytes("PNG", (800, 500)))
    owner_client.post("/dashboard/publications/files/", {"file": upload})
    file = PaperFile.objects.get(profile=owner)
    assert file.name == "fig.png" and file.kind == "image"
    assert [v["width"] for v in file.stored["variants"]] == [300, 600]


def test_a_fake_pdf_is_refused_on_the_files_page(owner_client, owner):
    upload = SimpleUploadedFile("paper.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>")
    response = owner_client.post("/dashboard/publications/files/", {"file": upload})
    assert "damaged or incomplete" in response.content.decode()
    assert not PaperFile.objects.exists()


def test_settings_save_name_forms_venues_and_coauthors(owner_client, owner):
    data = {
        "name_variants": "Lovelace, A.",
        "max_author_limit": "3",
        "venues-TOTAL_FORMS": "1", "venues-INITIAL_FORMS": "0",
        "venues-MIN_NUM_FORMS": "0", "venues-MAX_NUM_FORMS": "1000",
        "venues-0-abbr": "ICML", "venues-0-color": "#00369f", "venues-0-url": "icml.cc",
        "coauthors-TOTAL_FORMS": "1", "coauthors-INITIAL_FORMS": "0",
        "coauthors-MIN_NUM_FORMS": "0", "coauthors-MAX_NUM_FORMS": "1000",
        "coauthors-0-name_variants": "Babbage, Charles", "coauthors-0-url": "https://b.example/",
    }  # fmt: skip
    response = owner_client.post("/dashboard/publications/settings/", data)
    assert response.status_code == 302
    assert PublicationSettings.objects.get(profile=owner).max_author_limit == 3
    assert owner.venues.get().url == "https://icml.cc"
    assert Coauthor.objects.get(profile=owner).url == "https://b.example/"


def test_the_owners_export_includes_hidden_papers(owner_client, owner):
    import_text(owner)
    Publication.objects.filter(key="lovelace2023poetical").update(is_visible=False)
    response = owner_client.get("/dashboard/publications/export.bib")
    assert b"lovelace2023poetical" in response.content
    assert response.headers["Content-Disposition"] == 'attachment; filename="ada.bib"'


# --- Outsiders ------------------------------------------------------------------------


@pytest.fixture
def victim(owner):
    import_text(owner)
    paper = Publication.objects.get(key="lovelace2023poetical")
    file = PaperFile.objects.create(
        profile=owner, name="x.pdf", kind="document", stored={"name": "n"}
    )
    run = ImportRun.objects.get(profile=owner)
    return paper, file, run


def urls(paper, file, run):
    return [
        ("get", "/dashboard/publications/"),
        ("get", "/dashboard/publications/import/"),
        ("get", "/dashboard/publications/imports/"),
        ("get", f"/dashboard/publications/imports/{run.pk}/"),
        ("get", "/dashboard/publications/export.bib"),
        ("post", "/dashboard/publications/delete/"),
        ("get", "/dashboard/publications/files/"),
        ("post", f"/dashboard/publications/files/{file.pk}/delete/"),
        ("get", "/dashboard/publications/settings/"),
        ("get", f"/dashboard/publications/{paper.pk}/"),
        ("post", f"/dashboard/publications/{paper.pk}/"),
        ("post", f"/dashboard/publications/{paper.pk}/selected/"),
    ]


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_publications_url(victim):
    anonymous = Client(HTTP_HOST="localhost")
    for method, url in urls(*victim):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/accounts/login/"), url


def test_another_researcher_gets_404_for_the_owners_papers_files_and_imports(victim, owner):
    paper, file, run = victim
    other = make_researcher("grace")
    intruder = Client(HTTP_HOST="localhost")
    intruder.force_login(other.owner)
    for method, url in urls(*victim):
        response = getattr(intruder, method)(url, {"pk": [paper.pk]} if "delete" in url else {})
        assert b"Poetical" not in response.content, url
        if f"/{paper.pk}/" in url or f"/{file.pk}/delete" in url or f"/{run.pk}/" in url:
            assert response.status_code == 404, url
    assert Publication.objects.filter(profile=owner).count() == 3
    assert PaperFile.objects.filter(profile=owner).exists()
    assert not Publication.objects.get(pk=paper.pk).selected


def test_an_account_without_a_site_gets_404(victim, outsider):
    intruder = Client(HTTP_HOST="localhost")
    intruder.force_login(outsider)
    for method, url in urls(*victim):
        assert getattr(intruder, method)(url).status_code == 404, url
