"""In a real browser: sign up, edit with the live preview, see the site, switch to dark.

Screenshots land in test-artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from tests.conftest import sign_up_in_browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site_settings(settings, live_server):
    port = live_server.url.rsplit(":", 1)[1]
    settings.PUBLIC_PORT = port
    settings.SIGNUP_PUBLISHES_SITE = True
    return port


def test_a_researcher_signs_up_edits_with_live_preview_and_sees_the_site_in_dark_mode(
    browser, live_server, site_settings
):
    port = site_settings
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    sign_up_in_browser(
        page, port, first="Lise", last="Meitner", slug="lise", password="fission-is-real-1938"
    )
    assert "We sent a link to lise.meitner@example.org" in page.content()
    # SIGNUP_PUBLISHES_SITE: the site goes live once the address is confirmed.
    link = re.search(r"http://localhost:\d+/accounts/confirm/\S+/", mail.outbox[0].body)[0]
    page.goto(link)
    assert "your site is live" in page.content()
    page.goto(f"http://localhost:{port}/dashboard/")
    assert "Your site is live" in page.content()

    page.click("text=About page")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill("I explained **nuclear fission**. $E = mc^2$ :atom_symbol:")
    preview = page.locator(".markdownx-preview")
    preview.locator("strong", has_text="nuclear fission").wait_for(timeout=10_000)
    assert preview.locator("math").count() == 1
    page.screenshot(path=ARTIFACTS / "dashboard-live-preview.png", full_page=True)
    page.click("button:has-text('Save')")
    page.locator(".message-success").wait_for()

    site = context.new_page()
    site.goto(f"http://lise.localhost:{port}/")
    assert site.locator(".bio strong").inner_text() == "nuclear fission"
    assert site.locator(".bio math").count() == 1
    assert context.cookies(f"http://lise.localhost:{port}/") == []

    toggle = site.locator("[data-theme-toggle]")
    assert toggle.is_visible()
    light_background = site.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle.click()
    assert site.evaluate("document.documentElement.dataset.theme") == "dark"
    dark_background = site.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_background != light_background
    site.reload()
    assert site.evaluate("document.documentElement.dataset.theme") == "dark"  # remembered
    site.screenshot(path=ARTIFACTS / "site-dark.png", full_page=True)
    assert (ARTIFACTS / "site-dark.png").stat().st_size > 10_000
    context.close()


def test_the_about_page_reads_well_on_a_phone(browser, live_server, site_settings, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from profiles import services
    from tests.conftest import image_bytes

    services.set_photo(profile=owner, upload=SimpleUploadedFile("a.jpg", image_bytes()))
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.goto(f"http://ada.localhost:{site_settings}/")
    # No sideways scrolling, and the photo fits the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    photo = page.locator(".profile-img").bounding_box()
    assert photo["width"] <= 390
    assert page.evaluate("document.documentElement.dataset.theme") is None  # follows the system
    page.screenshot(path=ARTIFACTS / "site-phone-dark.png", full_page=True)
    context.close()
