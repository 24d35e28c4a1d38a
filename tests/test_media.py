"""Uploaded files: served on their own site's host only, while it is published, within
a quota, cleaned up, and gone with their account (issue 6, items 11 and 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from profiles import media, services
from profiles.models import Profile
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo_name(owner, photo_upload) -> str:
    services.set_photo(profile=owner, upload=photo_upload)
    owner.refresh_from_db()
    return owner.photo["variants"][0]["fallback"]


def test_every_file_of_a_site_lives_in_its_own_folder(owner, photo_name):
    assert photo_name.startswith(f"sites/{owner.pk}/photo/")
    assert media.owner_id(photo_name) == owner.pk


def test_a_sites_photo_is_served_on_its_own_host(site_client, photo_name):
    response = site_client("ada").get(media.media_path(photo_name))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "s-maxage=300" in response.headers["Cache-Control"]
    assert not response.cookies


def test_uploads_are_never_served_on_the_platform_host(client, owner, photo_name):
    client.force_login(owner.owner)
    assert client.get(media.media_path(photo_name)).status_code == 404


def test_a_site_does_not_serve_another_sites_files(site_client, photo_name):
    make_researcher("grace")
    assert site_client("grace").get(media.media_path(photo_name)).status_code == 404


@pytest.mark.parametrize("status", [Profile.Status.PENDING, Profile.Status.SUSPENDED])
def test_an_unpublished_sites_files_are_not_served(site_client, owner, photo_name, status):
    owner.status = status
    owner.save()
    assert site_client("ada").get(media.media_path(photo_name)).status_code in (403, 404)


@pytest.mark.parametrize(
    "path",
    ["../../etc/passwd", "sites/1/../../secret", "sites/1/photo/.hidden", "sites/x/photo/a.jpg"],
)
def test_names_outside_the_sites_folders_are_refused(site_client, owner, path):
    assert site_client("ada").get("/media/" + path).status_code == 404


def test_a_file_of_an_unknown_type_is_never_served(site_client, owner):
    name = default_storage.save(f"sites/{owner.pk}/uploads/page.html", ContentFile(b"<script>"))
    assert site_client("ada").get(media.media_path(name)).status_code == 404


def test_deleting_an_account_deletes_its_files(
    owner, photo_name, django_capture_on_commit_callbacks
):
    assert default_storage.exists(photo_name)
    with django_capture_on_commit_callbacks(execute=True):
        owner.owner.delete()
    assert not default_storage.exists(photo_name)
    assert media.site_files(owner.pk) == []


def noisy_png(size: tuple[int, int] = (600, 400)) -> SimpleUploadedFile:
    """A picture that cannot compress to nothing, so that it weighs on the quota."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "PNG")
    return SimpleUploadedFile("drop.png", buffer.getvalue())


def test_an_upload_past_the_sites_quota_is_refused_with_a_clear_message(
    owner_client, owner, settings
):
    settings.SITE_STORAGE_QUOTA_BYTES = 100_000
    default_storage.save(f"sites/{owner.pk}/uploads/big-1400.jpg", ContentFile(b"x" * 90_000))
    response = owner_client.post("/markdownx/upload/", {"image": noisy_png()})
    assert response.status_code == 400
    message = response.json()["image"][0]
    assert "more than its 0.1 MB of room (0.1 MB is used now)" in message
    assert "Remove images you no longer show" in message


def test_the_photo_page_refuses_a_photo_past_the_quota(owner_client, owner, settings, photo_upload):
    settings.SITE_STORAGE_QUOTA_BYTES = 1_000
    response = owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    assert response.status_code == 200
    assert "of room" in response.content.decode()
    owner.refresh_from_db()
    assert owner.photo == {}


def test_editor_images_no_text_shows_are_cleaned_up_after_a_grace_period(owner):
    kept = default_storage.save(f"sites/{owner.pk}/uploads/aaaa1111-1400.jpg", ContentFile(b"a"))
    orphan = default_storage.save(f"sites/{owner.pk}/uploads/bbbb2222-1400.jpg", ContentFile(b"b"))
    fresh = default_storage.save(f"sites/{owner.pk}/uploads/cccc3333-1400.jpg", ContentFile(b"c"))
    texts = [f"![](/media/{kept})"]
    assert media.prune_unreferenced_uploads(owner.pk, texts) == 0  # all within the grace period
    deleted = media.prune_unreferenced_uploads(owner.pk, texts, grace=timedelta(0))
    assert deleted == 2
    assert default_storage.exists(kept)
    assert not default_storage.exists(orphan) and not default_storage.exists(fresh)


def test_saving_the_bio_cleans_up_images_it_no_longer_shows(
    owner_client, owner, django_capture_on_commit_callbacks, monkeypatch
):
    from tests.test_dashboard import PROFILE_FORM

    monkeypatch.setattr(media, "UNREFERENCED_UPLOAD_GRACE", timedelta(0))
    old = default_storage.save(f"sites/{owner.pk}/uploads/dddd4444-1400.jpg", ContentFile(b"d"))
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/dashboard/profile/", PROFILE_FORM)
    assert not default_storage.exists(old)


def test_twenty_quick_uploads_stop_at_the_quota(owner_client, owner, settings):
    settings.SITE_STORAGE_QUOTA_BYTES = 1_000_000
    statuses = [
        owner_client.post("/markdownx/upload/", {"image": noisy_png()}).status_code
        for _ in range(20)
    ]
    assert statuses[0] == 200 and statuses[-1] == 400
    assert media.storage_used(owner.pk) <= 1_000_000


def test_the_platform_csp_lets_previews_show_images_from_site_hosts(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' https: data: http://*.localhost:8000" in csp


def test_static_files_are_served_on_hosts_of_unpublished_and_unknown_sites(owner):
    owner.status = Profile.Status.PENDING
    owner.save()
    for host in ("ada.localhost", "nosuch.localhost", "evil.example"):
        response = Client(HTTP_HOST=host).get("/static/css/platform.css")
        assert response.status_code == 200, host
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_cv_is_served_as_a_sandboxed_download_never_inline(owner, site_client):
    from profiles.models import SocialLink
    from tests.conftest import pdf_bytes

    link = SocialLink(network="cv")
    services.save_social_link(profile=owner, link=link, cv_pdf=pdf_bytes())
    response = site_client("ada").get(link.url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="ada-k-lovelace-cv.pdf"' in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_cv_past_the_quota_is_refused_on_the_form(owner_client, owner, settings):
    from tests.conftest import pdf_bytes

    settings.SITE_STORAGE_QUOTA_BYTES = 100
    cv = SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf")
    response = owner_client.post("/dashboard/links/", {"network": "cv", "document": cv})
    assert "of room" in response.content.decode()
    assert not owner.social_links.exists()
    assert media.site_files(owner.pk) == []
