"""Shared fixtures: the actors (owner, second researcher, outsider, moderator)
and clients pointed at the platform host or at a site's host."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from profiles.models import Profile, User

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path) -> None:
    # Profile ids repeat between tests; so would their folders of uploads.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # The tenancy cache outlives a test's database transaction; start clean.
    cache.clear()
    yield
    cache.clear()


def make_researcher(slug: str, *, status: str = Profile.Status.PUBLISHED, **fields: str) -> Profile:
    user = User.objects.create_user(email=f"{slug}@example.org", password=PASSWORD)
    defaults = {"first_name": slug.capitalize(), "last_name": "Tester", "bio": ""}
    return Profile.objects.create(owner=user, slug=slug, status=status, **{**defaults, **fields})


@pytest.fixture
def owner(db) -> Profile:
    """The researcher whose site a test is about; published."""
    return make_researcher(
        "ada", first_name="Ada", middle_name="K.", last_name="Lovelace", bio="I study **engines**."
    )


@pytest.fixture
def second_researcher(db) -> Profile:
    return make_researcher("grace", first_name="Grace", last_name="Hopper")


@pytest.fixture
def outsider(db) -> User:
    """A signed-up account with no site of its own."""
    return User.objects.create_user(email="outsider@example.org", password=PASSWORD)


@pytest.fixture
def moderator(db) -> User:
    return User.objects.create_user(
        email="moderator@example.org", password=PASSWORD, is_staff=True, is_superuser=True
    )


def totp_code(key: bytes, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for `key` (or `steps_ahead` 30-second steps on)."""
    from django_otp.oath import TOTP

    return f"{TOTP(key, drift=steps_ahead).token():06d}"


def verified_login(client: Client, user: User):
    """Log `user` in past both steps: the password and a code from an authenticator app.

    Staff must give a code before any admin or dashboard page (profiles.two_factor):
    force_login alone leaves them half logged in, sent to the code page. This gives
    the account a confirmed app if it has none and marks the session as having
    used it, as the code page does. Returns the app (a django-otp TOTPDevice).
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def client() -> Client:
    """A client on the platform host (pytest-django's default would say "testserver")."""
    return Client(HTTP_HOST=settings.PLATFORM_HOST)


@pytest.fixture
def site_client() -> Callable[[str], Client]:
    """site_client("ada") -> a client whose requests go to ada's site."""

    def for_host(slug_or_host: str) -> Client:
        host = slug_or_host if "." in slug_or_host else f"{slug_or_host}.{settings.SITES_DOMAIN}"
        return Client(HTTP_HOST=host)

    return for_host


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (900, 1200), color: str = "#3366aa"
) -> bytes:
    """A real image, made in memory."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    """A real, minimal PDF, made in memory."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def photo_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("me.jpg", image_bytes(), content_type="image/jpeg")


@pytest.fixture
def owner_client(owner) -> Client:
    """The owner, logged in on the platform host."""
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    client.force_login(owner.owner)
    return client


CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps calling outside hosts, which this
# machine refuses (see ../shared/recipes.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (no browser download).

    Skipped with a reason where Chromium is missing, except when REQUIRE_BROWSER
    is set (CI sets it): there a missing browser is a failure, not a skip.
    """
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(
                f"REQUIRE_BROWSER is set but {CHROMIUM} is missing (apt-get install chromium)"
            )
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread, and
    # Django refuses ORM calls beside a running loop; the test's own ORM calls
    # (fixtures, assertions, database flushes) are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def bot_check_fields(seconds_ago: int = 60) -> dict[str, str]:
    """The sign-up form's bot-check fields as a person's browser sends them back:
    an empty trap and the stamp of a page rendered `seconds_ago` (profiles.botcheck)."""
    import time

    from profiles.botcheck import HONEYPOT_FIELD, STAMP_FIELD, stamp

    return {STAMP_FIELD: stamp(time.time() - seconds_ago), HONEYPOT_FIELD: ""}


def sign_up_in_browser(page, port: str, *, first: str, last: str, slug: str, password: str):
    """Fill in and send the sign-up form in a real browser; lands on the dashboard.

    Waits, if need be, until the bot check's minimum (profiles.botcheck.MIN_SECONDS)
    has passed since the page was rendered: the real check, at a person's pace.
    """
    import time

    from profiles import botcheck

    page.goto(f"http://localhost:{port}/accounts/signup/")
    rendered = time.monotonic()
    page.fill("input[name=email]", f"{first}.{last}@example.org".lower())
    page.fill("input[name=first_name]", first)
    page.fill("input[name=last_name]", last)
    page.fill("input[name=slug]", slug)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    time.sleep(max(0.0, botcheck.MIN_SECONDS + 0.5 - (time.monotonic() - rendered)))
    page.click("button[type=submit]")
    page.wait_for_url(f"http://localhost:{port}/dashboard/")


def set_up_two_factor_in_browser(page) -> list[str]:
    """On the page a new staff member is sent to after the password: add the key shown
    (as an authenticator app would), confirm with its code, keep the recovery codes
    shown, and continue where the log-in was going. Returns the recovery codes."""
    import re
    from base64 import b32decode

    page.wait_for_url(re.compile(r".*/accounts/two-factor/setup/.*"))
    secret = page.inner_text("[data-totp-secret]").replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=code]", totp_code(key))
    page.click("button:has-text('Turn on two-factor authentication')")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    page.click("text=I saved them, continue")
    return codes


ALFOLIO_CONFIG = """\
first_name: Ada
middle_name: King
last_name: Lovelace
description: Notes on the Analytical Engine. # a comment, not part of the value
keywords: engines, notes
max_author_limit: 3
scholar:
  last_name: [Lovelace]
  first_name: [Ada, A.]
"""
ALFOLIO_ABOUT = """\
---
layout: about
title: about
permalink: /
subtitle: "Countess of Lovelace :sparkles:"
profile:
  align: left
  image: prof_pic.jpg
  image_circular: true
  more_info: >
    <p>St James's Square</p>
    <p>London</p>
announcements:
  enabled: true
  scrollable: false
  limit: 3
selected_papers: true
social: true
---

I write about **engines**{:.highlight} and [numbers]({{ '/publications/' | relative_url }}).

{% include figure.liquid path="assets/img/engine.jpg" class="img-fluid" caption="The Engine" %}

![A diagram](/assets/img/diagram.png)

{% comment %}An old draft.{% endcomment %}
"""
ALFOLIO_BIB = """\
---
---
@article{lovelace1843notes,
  title = {Notes on the Analytical Engine},
  author = {Lovelace, Ada and Menabrea, Luigi},
  journal = {Scientific Memoirs},
  year = {1843},
  abbr = {SM},
  pdf = {notes.pdf},
  preview = {engine-figure.png},
  selected = {true},
}
"""
ALFOLIO_NEWS = {
    "_news/announcement_1.md": "---\nlayout: post\ndate: 1843-9-1\ninline: true\n---\n\n"
    "My notes are out :tada: ([PDF]({{ 'assets/pdf/notes.pdf' | relative_url }})).\n",
    "_news/2024-05-01-engine-talk.md": "---\nlayout: post\ntitle: A talk on the Engine\n"
    "date: 2024-05-01 10:00:00-0400\n---\n\nSlides: ![slide](/assets/img/engine.jpg)\n",
    "_news/_draft.md": "---\nlayout: post\ndate: 2024-06-01\ninline: true\n---\nNot yet.\n",
}
ALFOLIO_SOCIALS = """\
email: ada@example.org
github_username: ada-l
orcid_id: 0000-0002-1825-0097
wechat_qr: wechat-qr.png
cv_pdf: /assets/pdf/cv.pdf
"""
ALFOLIO_COAUTHORS = """\
"Menabrea":
  - firstname: ["Luigi", "L. F."]
    url: https://en.wikipedia.org/wiki/Luigi_Federico_Menabrea
"""
ALFOLIO_VENUES = """\
"SM":
  url: https://example.org/memoirs
  color: "#00369f"
"""


def write_alfolio_site(folder: Path) -> Path:
    """A small but complete al-folio repository, with every kind of file the import reads."""
    files: dict[str, bytes | str] = {
        "_config.yml": ALFOLIO_CONFIG,
        "_pages/about.md": ALFOLIO_ABOUT,
        "_bibliography/papers.bib": ALFOLIO_BIB,
        "_data/socials.yml": ALFOLIO_SOCIALS,
        "_data/coauthors.yml": ALFOLIO_COAUTHORS,
        "_data/venues.yml": ALFOLIO_VENUES,
        "assets/img/prof_pic.jpg": image_bytes("JPEG", (1600, 2000), "#aa6633"),
        "assets/img/engine.jpg": image_bytes("JPEG", (2000, 1200), "#335577"),
        "assets/img/diagram.png": image_bytes("PNG", (640, 480), "#ffffff"),
        "assets/img/wechat-qr.png": image_bytes("PNG", (300, 300), "#000000"),
        "assets/img/publication_preview/engine-figure.png": image_bytes("PNG", (800, 600)),
        "assets/pdf/notes.pdf": pdf_bytes(2),
        "assets/pdf/cv.pdf": pdf_bytes(1),
        **ALFOLIO_NEWS,
    }
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
    return folder


@pytest.fixture
def alfolio_site(tmp_path) -> Path:
    return write_alfolio_site(tmp_path / "ada.github.io")
