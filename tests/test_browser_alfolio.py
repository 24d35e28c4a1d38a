"""In a real browser: a newcomer uploads their al-folio site's zip, reads the report, sees the site.

Then they download it back. The import runs as a background task; the test
settings run it at once, so the report is in when the page loads.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from profiles.models import Profile

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
SITE = CORPUS / "NeoNeuron__neoneuron.github.io"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not SITE.is_dir(), reason=f"corpus not found at {CORPUS}"),
]


def github_zip(folder: Path, target: Path) -> Path:
    """The repository as GitHub's "Download ZIP" gives it: everything under one top folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"neoneuron.github.io-main/{path.relative_to(folder)}")
    return target


def test_a_newcomer_moves_their_al_folio_site_in_and_takes_it_out_again(
    browser, live_server, settings, tmp_path
):
    from tests.conftest import sign_up_in_browser

    port = live_server.url.rsplit(":", 1)[1]
    settings.PUBLIC_PORT = port
    ARTIFACTS.mkdir(exist_ok=True)
    archive = github_zip(SITE, tmp_path / "neoneuron.github.io-main.zip")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_up_in_browser(
        page, port, first="Kai", last="Chen", slug="kai", password="a-long-pass-phrase"
    )

    page.click("nav[aria-label=Dashboard] >> text=Import and export")
    page.set_input_files("input[name=file]", str(archive))
    page.click("button:has-text('Import')")
    page.wait_for_url("**/dashboard/import/*/")

    report = page.locator(".dashboard-main")
    assert "Imported neoneuron.github.io-main.zip into kai." in report.inner_text()
    counts = page.locator(".report-counts").inner_text()
    assert "News items: 4 added" in counts and "Publications: 2 added" in counts
    # Every warning names its file and line; every skipped file says why.
    warnings = page.locator("table").first.inner_text()
    assert "_pages/about.md\t5" in warnings and "cut at '#'" in warnings
    assert "assets/pdf/2021-06-11_Poster_attention.pdf" in page.locator("table").last.inner_text()
    page.screenshot(path=ARTIFACTS / "alfolio-import-report.png", full_page=True)

    # The site is waiting for a moderator: "See your site" opens the preview.
    page.click("a:has-text('See your site')")
    page.wait_for_url("**/dashboard/preview/")
    assert page.locator("h1").first.inner_text().startswith("Kai")
    assert "interested in studying the brain." in page.inner_text("main")
    assert page.locator(".announcements").count() == 1
    page.screenshot(path=ARTIFACTS / "alfolio-imported-site.png", full_page=True)

    # Leaving: the download is an al-folio repository with the same texts.
    page.goto(f"http://localhost:{port}/dashboard/import/")
    with page.expect_download() as download:
        page.click("a:has-text('Download your site')")
    data = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as exported:
        names = set(exported.namelist())
        about = exported.read("kai/_pages/about.md").decode()
    assert {"kai/_config.yml", "kai/_bibliography/papers.bib"} <= names
    assert any(name.startswith("kai/assets/img/prof_pic.") for name in names)
    assert "I'm interested in studying the brain." in about
    assert Profile.objects.get(slug="kai").first_name == "Kai"

    phone = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    small = phone.new_page()
    small.goto(f"http://localhost:{port}/accounts/login/")
    small.fill("input[name=username]", "kai.chen@example.org")
    small.fill("input[name=password]", "a-long-pass-phrase")
    small.click("button[type=submit]")
    small.goto(f"http://localhost:{port}/dashboard/import/")
    small.screenshot(path=ARTIFACTS / "alfolio-import-phone-dark.png", full_page=True)
    small.click("table a")
    small.screenshot(path=ARTIFACTS / "alfolio-import-report-phone-dark.png", full_page=True)
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=ARTIFACTS / "alfolio-import-report-phone-dark.png", full_page=True)
    phone.close()
    context.close()
