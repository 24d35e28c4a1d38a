"""In a real browser, the walk a newcomer and a moderator take (issue 6 acceptance).

Sign up; open "Open my site" while the site is pending (a styled page that
says so); edit with the live preview (styled as the site); upload a photo;
open the preview and follow every link in it; then, as a moderator, open the
admin preview of the pending site. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import image_bytes, set_up_two_factor_in_browser, sign_up_in_browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def port(settings, live_server) -> str:
    port = live_server.url.rsplit(":", 1)[1]
    settings.PUBLIC_PORT = port
    settings.SIGNUP_PUBLISHES_SITE = False
    return port


def font_of(page) -> str:
    return page.evaluate("getComputedStyle(document.body).fontFamily")


def images_loaded(page) -> list[bool]:
    return page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")


def test_a_newcomer_and_a_moderator_walk_a_pending_site(browser, live_server, port, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_up_in_browser(
        page, port, first="Emmy", last="Noether", slug="emmy", password="invariants-of-1918"
    )
    assert "first confirm your e-mail address, then a moderator looks at it" in page.content()

    # "Open my site" while pending: the styled, polite page, light and dark.
    with context.expect_page() as opened:
        page.click(f"a[href='http://emmy.localhost:{port}/']")
    pending = opened.value
    pending.wait_for_load_state()
    assert pending.locator("h1").inner_text() == "This site is not published yet"
    assert "will appear here once it is published" in pending.inner_text("main")
    assert "Times" not in font_of(pending) and "apple-system" in font_of(pending)
    pending.screenshot(path=ARTIFACTS / "pending-site-light.png", full_page=True)
    pending.emulate_media(color_scheme="dark")
    dark_bg = pending.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != "rgb(250, 250, 251)"
    pending.screenshot(path=ARTIFACTS / "pending-site-dark.png", full_page=True)
    pending.close()

    # A photo, then a bio with a table and a link to another page of the site.
    page.click("text=Photo")
    photo = tmp_path / "me.jpg"
    photo.write_bytes(image_bytes(size=(600, 800)))
    page.set_input_files("input[name=photo]", str(photo))
    page.click("button:has-text('Upload')")
    page.locator(".message-success").wait_for()
    assert "on your site" not in page.inner_text(".messages")
    assert all(images_loaded(page))  # the dashboard shows it from the site's host

    page.click("text=About page")
    page.locator("textarea.markdownx-editor").fill(
        "Invariants and **symmetry**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "My [publications](/publications/) and [home](/)."
    )
    cell = page.locator(".markdownx-preview td").first
    cell.wait_for(timeout=10_000)
    assert cell.evaluate("c => getComputedStyle(c).borderTopWidth") == "1px"
    page.screenshot(path=ARTIFACTS / "editor-preview.png", full_page=True)
    page.click("button:has-text('Save')")
    page.locator(".message-success").wait_for()
    assert "visitors will see it once a moderator publishes your site" in page.inner_text(
        ".messages"
    )

    # The preview: every link works inside it, or is plainly the platform's.
    page.goto(f"http://localhost:{port}/dashboard/preview/")
    assert "Only you can see it now." in page.inner_text(".preview-banner")
    assert all(images_loaded(page)), "the photo loads from the site's host"
    page.screenshot(path=ARTIFACTS / "owner-preview.png", full_page=True)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    followed = 0
    for href in hrefs:
        if href.startswith(f"http://localhost:{port}/dashboard/preview/"):
            response = context.request.get(href, max_redirects=0)
            if href.endswith("/publications/"):
                assert response.status == 404  # not a page of this site (yet): said plainly
            else:
                assert response.status in (200, 302), href
            followed += 1
        else:
            # Anything else is the platform itself or another site entirely.
            assert href.startswith(f"http://localhost:{port}/") or not re.match(
                rf"http://[a-z0-9-]+\.localhost:{port}/", href
            ), href
    assert followed >= 4  # name, about, e-mail-free bio links: home, publications
    context.close()

    # A moderator opens the admin preview of the pending site.
    from profiles.models import Profile, User

    User.objects.create_superuser(email="mod@example.org", password="moderate-kindly-42")
    profile = Profile.objects.get(slug="emmy")
    moderator = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = moderator.new_page()
    admin.goto(f"http://localhost:{port}/admin/login/")
    admin.fill("input[name=username]", "mod@example.org")
    admin.fill("input[name=password]", "moderate-kindly-42")
    admin.click("input[type=submit]")
    set_up_two_factor_in_browser(admin)  # a new superuser sets up the second step first
    admin.goto(f"http://localhost:{port}/admin/profiles/profile/{profile.pk}/change/")
    editor = admin.locator("textarea.markdownx-editor")
    editor.fill("A **moderator** checks the preview.")
    admin.locator(".markdownx-preview strong", has_text="moderator").wait_for(timeout=10_000)
    admin.click("a.viewsitelink")
    admin.wait_for_url(re.compile(rf".*/admin/profiles/profile/{profile.pk}/preview/"))
    assert "Moderator preview of emmy.localhost (pending review)." in admin.inner_text(
        ".preview-banner"
    )
    assert "symmetry" in admin.inner_text(".bio")
    assert all(images_loaded(admin))
    admin.screenshot(path=ARTIFACTS / "moderator-preview.png", full_page=True)
    moderator.close()
