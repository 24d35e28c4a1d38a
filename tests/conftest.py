"""Shared fixtures: the actors (owner, second researcher, outsider, moderator)
and clients pointed at the platform host or at a site's host."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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


def sign_up_in_browser(page, port: str, *, first: str, last: str, slug: str, password: str):
    """Fill in and send the sign-up form in a real browser; lands on the dashboard."""
    page.goto(f"http://localhost:{port}/accounts/signup/")
    page.fill("input[name=email]", f"{first}.{last}@example.org".lower())
    page.fill("input[name=first_name]", first)
    page.fill("input[name=last_name]", last)
    page.fill("input[name=slug]", slug)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"http://localhost:{port}/dashboard/")
