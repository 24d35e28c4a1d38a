"""Upload budgets per account (profiles.upload_limits): past one, a 429 on the same page
that says when to come back, with everything typed kept and nothing stored."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from profiles import ratelimit, upload_limits
from profiles.models import SiteImport, SocialLink
from publications.models import PaperFile, Publication
from tests.conftest import image_bytes, make_researcher, pdf_bytes

pytestmark = pytest.mark.django_db

# Half an hour into a clock-aligned hour: no window ends during a test, and the
# wait is exactly 30 minutes (1,770 seconds).
NOON = 1_750_000_000 // 3600 * 3600 + 1830
WAIT_SECONDS = 3600 - 1830


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The rate limits' clock, fixed at NOON; tests move it by changing clock[0]."""
    now = [float(NOON)]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    return now


@pytest.fixture
def tighten(monkeypatch):
    """tighten("PHOTO", 2): that budget allows 2 an hour for the rest of the test."""

    def set_limit(name: str, limit: int) -> None:
        current: upload_limits.UploadLimit = getattr(upload_limits, name)
        budget = dataclasses.replace(current.budget, limit=limit)
        monkeypatch.setattr(upload_limits, name, dataclasses.replace(current, budget=budget))

    return set_limit


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("me.jpg", image_bytes(size=(300, 400)), content_type="image/jpeg")


def png(name: str = "figure.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", (200, 150)), content_type="image/png")


def pdf(name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def bib(key: str) -> str:
    return f"@article{{{key}, title = {{On {key}}}, author = {{Lovelace, Ada}}, year = {{1843}}}}"


def assert_refused(response, what: str) -> str:
    """The refusal: 429, a Retry-After of the seconds left in the hour, and the words."""
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(WAIT_SECONDS)
    html = response.content.decode()
    assert f"That is more {what} than we take from one account in an hour" in html
    assert "Nothing was uploaded: try again in 30 minutes." in html
    return html


# --- The photo ------------------------------------------------------------------------


def test_past_the_photo_budget_the_page_says_when_to_try_again_and_keeps_the_photo(
    owner, owner_client, clock, tighten
):
    tighten("PHOTO", 2)
    for _ in range(2):
        assert owner_client.post("/dashboard/photo/", {"photo": photo()}).status_code == 302
    owner.refresh_from_db()
    kept = owner.photo

    html = assert_refused(
        owner_client.post("/dashboard/photo/", {"photo": photo()}), "photo uploads"
    )
    # The refusal is the form's own error, on the photo page, under the file field.
    assert "<h1>Photo</h1>" in html
    assert re.search(r'class="field field--error".*?That is more photo uploads', html, re.S)
    owner.refresh_from_db()
    assert owner.photo == kept


def test_photo_posts_without_a_file_cost_nothing(owner_client, clock, tighten):
    tighten("PHOTO", 1)
    for _ in range(5):
        response = owner_client.post("/dashboard/photo/", {})
        assert response.status_code == 200  # "This field is required.", not a 429
    assert owner_client.post("/dashboard/photo/", {"photo": photo()}).status_code == 302


def test_the_budget_is_the_accounts_not_the_networks(owner, clock, tighten):
    tighten("PHOTO", 1)
    grace = make_researcher("grace")
    same_address = {"HTTP_HOST": settings.PLATFORM_HOST, "REMOTE_ADDR": "192.0.2.7"}
    ada, other = Client(**same_address), Client(**same_address)
    ada.force_login(owner.owner)
    other.force_login(grace.owner)
    assert ada.post("/dashboard/photo/", {"photo": photo()}).status_code == 302
    # A colleague behind the same address still has a whole budget ...
    assert other.post("/dashboard/photo/", {"photo": photo()}).status_code == 302
    # ... and a new address does not give the account a new one.
    elsewhere = Client(HTTP_HOST=settings.PLATFORM_HOST, REMOTE_ADDR="198.51.100.9")
    elsewhere.force_login(owner.owner)
    assert elsewhere.post("/dashboard/photo/", {"photo": photo()}).status_code == 429


def test_uploads_are_taken_again_when_the_hour_is_over(owner_client, clock, tighten):
    tighten("PHOTO", 1)
    assert owner_client.post("/dashboard/photo/", {"photo": photo()}).status_code == 302
    assert owner_client.post("/dashboard/photo/", {"photo": photo()}).status_code == 429
    clock[0] += WAIT_SECONDS
    assert owner_client.post("/dashboard/photo/", {"photo": photo()}).status_code == 302


def test_each_kind_of_upload_has_its_own_budget(owner, owner_client, clock, tighten):
    tighten("PHOTO", 1)
    tighten("PAPER_FILE", 1)
    assert owner_client.post("/dashboard/photo/", {"photo": photo()}).status_code == 302
    assert owner_client.post("/dashboard/photo/", {"photo": photo()}).status_code == 429
    files = owner_client.post("/dashboard/publications/files/", {"file": pdf(), "name": ""})
    assert files.status_code == 302
    assert PaperFile.objects.filter(profile=owner).count() == 1


# --- The editor's images --------------------------------------------------------------


def test_past_the_editor_image_budget_the_widget_gets_the_reason_as_json(
    owner, owner_client, clock, tighten
):
    tighten("EDITOR_IMAGE", 2)
    for _ in range(2):
        answer = owner_client.post("/markdownx/upload/", {"image": png()})
        assert "image_code" in json.loads(answer.content)
    response = owner_client.post("/markdownx/upload/", {"image": png()})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(WAIT_SECONDS)
    # static/js/editor.js shows "image" above the editor; no image_code, nothing inserted.
    assert json.loads(response.content) == {
        "image": [
            "That is more images added to the editor than we take from one account in an "
            "hour (at most 2). Nothing was uploaded: try again in 30 minutes."
        ]
    }


def test_an_editor_post_without_an_image_costs_nothing(owner_client, clock, tighten):
    tighten("EDITOR_IMAGE", 1)
    for _ in range(3):
        assert owner_client.post("/markdownx/upload/", {}).status_code == 400
    assert owner_client.post("/markdownx/upload/", {"image": png()}).status_code == 200


# --- Paper files, BibTeX, al-folio, links ------------------------------------------------


def test_past_the_paper_file_budget_the_name_typed_stays_and_nothing_is_stored(
    owner, owner_client, clock, tighten
):
    tighten("PAPER_FILE", 1)
    page = "/dashboard/publications/files/"
    assert owner_client.post(page, {"file": pdf(), "name": "first.pdf"}).status_code == 302
    response = owner_client.post(page, {"file": pdf(), "name": "engines-talk.pdf"})
    html = assert_refused(response, "paper files")
    assert 'value="engines-talk.pdf"' in html
    assert list(PaperFile.objects.filter(profile=owner).values_list("name", flat=True)) == [
        "first.pdf"
    ]


def test_past_the_bibtex_budget_pasted_text_counts_and_stays_in_the_box(
    owner, owner_client, clock, tighten
):
    tighten("BIBTEX_IMPORT", 1)
    page = "/dashboard/publications/import/"
    first = owner_client.post(page, {"file": SimpleUploadedFile("a.bib", bib("first").encode())})
    assert first.status_code == 302
    response = owner_client.post(page, {"text": bib("second"), "replace": "on"})
    html = assert_refused(response, "BibTeX imports")
    assert "On second" in html  # the pasted entry, back in the text box
    assert re.search(r'<input[^>]*name="replace"[^>]*checked', html)
    assert list(Publication.objects.filter(profile=owner).values_list("key", flat=True)) == [
        "first"
    ]


def test_an_empty_bibtex_form_costs_nothing(owner_client, clock, tighten):
    tighten("BIBTEX_IMPORT", 1)
    for _ in range(3):
        response = owner_client.post("/dashboard/publications/import/", {"text": "  "})
        assert "Choose a .bib file, or paste BibTeX" in response.content.decode()
    response = owner_client.post("/dashboard/publications/import/", {"text": bib("only")})
    assert response.status_code == 302


def test_past_the_alfolio_budget_check_first_stays_ticked_and_no_import_is_queued(
    owner, owner_client, clock, tighten
):
    tighten("ALFOLIO_IMPORT", 1)

    def about() -> SimpleUploadedFile:
        return SimpleUploadedFile("about.md", b"---\nlayout: about\n---\n\nHello.\n")

    first = owner_client.post("/dashboard/import/", {"file": about(), "dry_run": "on"})
    assert first.status_code == 302
    SiteImport.objects.update(status=SiteImport.Status.DONE)  # as if the worker had run it
    response = owner_client.post("/dashboard/import/", {"file": about(), "dry_run": "on"})
    html = assert_refused(response, "al-folio imports")
    assert re.search(r'<input[^>]*name="dry_run"[^>]*checked', html)
    assert SiteImport.objects.filter(profile=owner).count() == 1


def test_past_the_link_file_budget_the_network_chosen_stays_and_nothing_is_stored(
    owner, owner_client, clock, tighten
):
    tighten("LINK_FILE", 1)
    first = owner_client.post("/dashboard/links/", {"network": "cv", "document": pdf("cv.pdf")})
    assert first.status_code == 302
    cv = SocialLink.objects.get(profile=owner, network="cv")
    kept = cv.document.name
    response = owner_client.post(f"/dashboard/links/{cv.pk}/", {"network": "cv", "document": pdf()})
    assert_refused(response, "files for links")
    cv.refresh_from_db()
    assert cv.document.name == kept

    response = owner_client.post("/dashboard/links/", {"network": "wechat", "image_upload": png()})
    html = assert_refused(response, "files for links")
    assert re.search(r'<option value="wechat"[^>]*selected', html)
    assert not SocialLink.objects.filter(profile=owner, network="wechat").exists()
