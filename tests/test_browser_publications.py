"""In a real browser: upload a .bib in the dashboard, read the report, then use the
publications page: expand the hidden authors, open Abs and Bib, filter with the search box."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from publications.models import PublicationSettings
from tests.conftest import PASSWORD, make_researcher
from tests.test_publications import BIB

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.django_db(transaction=True)

MORE = r"""
@article{lovelace2022many,
  title = {A Paper With Many Authors},
  author = {Lovelace, Ada and One, Alpha and Two, Beta and Three, Gamma and Four, Delta},
  journal = {Journal of Imaginary Results},
  year = {2022},
}
"""


def test_a_researcher_imports_bibtex_and_visitors_use_the_publications_page(
    browser, live_server, settings, tmp_path
):
    port = live_server.url.rsplit(":", 1)[1]
    settings.PUBLIC_PORT = port
    owner = make_researcher("ada", first_name="Ada", last_name="Lovelace")
    PublicationSettings.objects.create(profile=owner, max_author_limit=2)
    bib = tmp_path / "papers.bib"
    bib.write_text(BIB + MORE, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"http://localhost:{port}/accounts/login/")
    page.fill("input[name=username]", "ada@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"http://localhost:{port}/dashboard/publications/import/")
    page.set_input_files("input[name=file]", str(bib))
    page.click("button:has-text('Import')")
    page.wait_for_url("**/dashboard/publications/imports/*/")
    assert "Import done: 4 added." in page.inner_text(".messages")
    page.screenshot(path=ARTIFACTS / "publications-import-report.png", full_page=True)

    site = context.new_page()
    site.goto(f"http://ada.localhost:{port}/publications/")
    assert site.locator(".pub").count() == 4
    assert site.locator(".site-links a[aria-current=page]").inner_text() == "publications"

    # "and N more authors" opens in place, without script.
    many = site.locator("#lovelace2022many")
    assert "Four" not in many.locator(".pub-authors").inner_text()
    many.locator(".more-authors summary").click()
    assert "Delta Four" in many.locator(".pub-authors").inner_text()

    # Abs and Bib open their panels.
    engines = site.locator("#lovelace2024engines")
    assert not engines.locator(".pub-panel--abs").is_visible()
    engines.locator("label:has-text('Abs')").click()
    assert engines.locator(".pub-panel--abs").is_visible()
    assert engines.locator(".pub-panel--abs math").count() == 1
    engines.locator("label:has-text('Bib')").click()
    assert "@inproceedings{lovelace2024engines" in engines.locator(".pub-panel--bib").inner_text()
    site.screenshot(path=ARTIFACTS / "publications-page.png", full_page=True)

    # The search box filters the list as one types; years with no match go.
    box = site.locator("[data-pub-search]")
    assert box.is_visible()
    box.fill("poetical")
    assert site.locator(".pub:visible").count() == 1
    assert site.locator(".pub-year:visible").all_inner_texts() == ["2023"]
    box.fill("no such paper at all")
    assert site.locator("[data-pub-no-match]").is_visible()
    box.fill("")
    assert site.locator(".pub:visible").count() == 4

    # A paper's own page.
    site.click("#lovelace2023poetical .pub-title a")
    site.wait_for_url("**/publications/lovelace2023poetical/")
    assert site.locator("h1.paper-title").inner_text() == "A Poetical Science"
    assert (
        site.locator('meta[name="citation_doi"]').get_attribute("content") == "10.1000/jir.2023.12"
    )
    site.screenshot(path=ARTIFACTS / "paper-page.png", full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    small = phone.new_page()
    small.goto(f"http://ada.localhost:{port}/publications/")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=ARTIFACTS / "publications-phone-dark.png", full_page=True)
    phone.close()
    context.close()
