"""Uploads on S3 (MEDIA_STORAGE=s3, issue 11): a private bucket that the app streams from.

A local S3-compatible server (moto, in a thread of this process, on a free
loopback port) stands in for the bucket. The storage is the one config/settings.py
builds from the S3_* variables, and the requests go through the real views: a
researcher uploads, the site serves, deleting deletes.
"""

from __future__ import annotations

import io
import logging
import os
import re
import runpy
import uuid
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profiles import media, preview
from profiles.models import Profile, SiteImport
from tests.conftest import pdf_bytes

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"
KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_REGION": "us-east-1"}


def load_settings(monkeypatch, **env: str) -> dict:
    """config/settings.py run afresh with these environment variables."""
    for name in ("MEDIA_STORAGE", "S3_BUCKET", "S3_ENDPOINT_URL", *KEYS, "S3_ADDRESSING_STYLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        # CI installs the dev extras, so there a missing moto is a failure.
        missing = "moto is not installed: pip install -e '.[dev]'"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    # The server logs every request (werkzeug); failures would drown in them.
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    werkzeug.setLevel(level)


class Bucket:
    """The test's own bucket, read directly, beside the app."""

    def __init__(self, endpoint: str, name: str) -> None:
        import boto3

        self.name = name
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        self.client.create_bucket(Bucket=name)

    def sizes(self, prefix: str = "") -> dict[str, int]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        )
        return {item["Key"]: item["Size"] for page in pages for item in page.get("Contents", ())}

    def names(self, prefix: str = "") -> set[str]:
        return set(self.sizes(prefix))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch) -> Bucket:
    """A fresh bucket, and the app's default storage pointed at it as production does."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # loopback only, whatever the shell says
    name = f"media-{uuid.uuid4().hex[:12]}"
    loaded = load_settings(
        monkeypatch, MEDIA_STORAGE="s3", S3_BUCKET=name, S3_ENDPOINT_URL=s3_endpoint, **KEYS
    )
    # Changing STORAGES resets django.core.files.storage.storages and the lazy
    # default_storage (Django's setting_changed receiver); the fixture restores both.
    settings.STORAGES = {**settings.STORAGES, "default": loaded["STORAGES"]["default"]}
    from profiles.storage import PrivateS3Storage

    assert isinstance(storages["default"], PrivateS3Storage)
    assert default_storage.bucket_name == name
    return Bucket(s3_endpoint, name)


def photo_names(profile: Profile) -> set[str]:
    return {v[key] for v in profile.photo["variants"] for key in ("webp", "fallback")}


def test_s3_settings_refuse_to_start_without_what_they_need(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        load_settings(monkeypatch, MEDIA_STORAGE="s3", **KEYS)
    with pytest.raises(ImproperlyConfigured, match="S3_SECRET_ACCESS_KEY"):
        load_settings(monkeypatch, MEDIA_STORAGE="s3", S3_BUCKET="b", S3_ACCESS_KEY_ID="k")
    with pytest.raises(ImproperlyConfigured, match="http"):
        load_settings(monkeypatch, MEDIA_STORAGE="s3", S3_BUCKET="b", S3_ENDPOINT_URL="minio:9000")
    with pytest.raises(ImproperlyConfigured, match="files or s3"):
        load_settings(monkeypatch, MEDIA_STORAGE="disk")


def test_s3_settings_make_a_private_path_style_storage(monkeypatch):
    loaded = load_settings(
        monkeypatch, MEDIA_STORAGE="s3", S3_BUCKET="b", S3_ENDPOINT_URL="http://127.0.0.1:9", **KEYS
    )
    options = loaded["STORAGES"]["default"]["OPTIONS"]
    assert loaded["STORAGES"]["default"]["BACKEND"] == "profiles.storage.PrivateS3Storage"
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert options["client_config"].s3 == {"addressing_style": "path"}
    assert options["client_config"].connect_timeout == 5
    aws = load_settings(monkeypatch, MEDIA_STORAGE="s3", S3_BUCKET="b")  # boto3's own credentials
    assert aws["STORAGES"]["default"]["OPTIONS"]["client_config"].s3 == {
        "addressing_style": "virtual"
    }
    files = load_settings(monkeypatch)
    assert files["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")


def test_a_photo_uploaded_on_the_dashboard_is_stored_in_the_bucket_and_served_from_it(
    bucket, owner, owner_client, site_client, photo_upload, s3_endpoint
):
    response = owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert bucket.names(f"sites/{owner.pk}/photo/") == photo_names(owner)

    page = site_client("ada").get("/").content.decode()
    url = re.search(r'<img class="profile-img[^>]* src="(/media/[^"]+)"', page)[1]
    assert s3_endpoint.split("//")[1] not in page and bucket.name not in page
    response = site_client("ada").get(url)
    body = b"".join(response.streaming_content)
    key = url.removeprefix("/media/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert int(response.headers["Content-Length"]) == len(body) == bucket.sizes(key)[key]
    assert body == bucket.read(key)
    assert body.startswith(b"\xff\xd8")  # a JPEG
    assert "s-maxage=300" in response.headers["Cache-Control"]
    # No address names the bucket: what url() gives is the site's own /media/.
    assert default_storage.url(key) == url


def test_the_same_photo_uploaded_twice_is_still_served_after_the_old_one_is_deleted(
    bucket, owner, owner_client, site_client, photo_upload, django_capture_on_commit_callbacks
):
    # The same picture gives the same content-hashed names: the storage must pick
    # new ones (as on disk), since the old files are deleted after the new ones land.
    owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    owner.refresh_from_db()
    first = photo_names(owner)
    photo_upload.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    owner.refresh_from_db()
    assert photo_names(owner).isdisjoint(first)
    assert bucket.names(f"sites/{owner.pk}/") == photo_names(owner)
    for name in photo_names(owner):
        assert site_client("ada").get(media.media_path(name)).status_code == 200


def test_removing_the_photo_deletes_its_objects(
    bucket, owner, owner_client, photo_upload, django_capture_on_commit_callbacks
):
    owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    assert bucket.names(f"sites/{owner.pk}/photo/")
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/dashboard/photo/remove/")
    assert bucket.names(f"sites/{owner.pk}/") == set()


def test_a_cv_round_trips_as_a_download(bucket, owner, owner_client, site_client):
    pdf = SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf")
    owner_client.post("/dashboard/links/", {"network": "cv", "document": pdf})
    link = owner.social_links.get(network="cv")
    assert bucket.names(f"sites/{owner.pk}/documents/") == {link.document.name}

    response = site_client("ada").get(link.url)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert body == bucket.read(link.document.name) and body.startswith(b"%PDF-")
    # The dashboard's form shows the current file: by its site address, not the bucket's.
    form = owner_client.get(f"/dashboard/links/{link.pk}/").content.decode()
    assert bucket.name not in form


def test_an_unpublished_sites_files_are_refused_but_its_preview_shows_them(
    bucket, owner, owner_client, site_client, photo_upload
):
    owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    owner.refresh_from_db()
    name = next(iter(photo_names(owner)))
    owner.status = Profile.Status.PENDING
    owner.save()
    assert site_client("ada").get(media.media_path(name)).status_code in (403, 404)
    signed = urlsplit(preview.signed_media_url(owner, name))
    response = site_client("ada").get(f"{signed.path}?{signed.query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == bucket.read(name)


def test_storage_used_is_read_from_the_bucket_and_the_quota_holds(
    bucket, owner, owner_client, photo_upload, settings
):
    owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    used = media.storage_used(owner.pk)
    assert used == sum(bucket.sizes(f"sites/{owner.pk}/").values()) > 0
    settings.SITE_STORAGE_QUOTA_BYTES = used + 100
    image = io.BytesIO()
    from PIL import Image

    Image.effect_noise((600, 400), 80).convert("RGB").save(image, "PNG")
    response = owner_client.post(
        "/markdownx/upload/", {"image": SimpleUploadedFile("drop.png", image.getvalue())}
    )
    assert response.status_code == 400
    assert "of room" in response.json()["image"][0]
    assert bucket.names(f"sites/{owner.pk}/uploads/") == set()


def test_editor_images_no_text_shows_are_pruned_by_the_buckets_times(bucket, owner):
    folder = media.site_folder(owner.pk, "uploads")
    kept = default_storage.save(f"{folder}aaaa1111-1400.jpg", ContentFile(b"a"))
    default_storage.save(f"{folder}bbbb2222-1400.jpg", ContentFile(b"b"))  # shown nowhere
    texts = [f"![](/media/{kept})"]
    assert media.prune_unreferenced_uploads(owner.pk, texts) == 0  # within the grace period
    assert media.prune_unreferenced_uploads(owner.pk, texts, grace=timedelta(0)) == 1
    assert bucket.names(folder) == {kept}


def test_deleting_an_account_deletes_its_sites_objects(
    bucket, owner, owner_client, photo_upload, second_researcher, django_capture_on_commit_callbacks
):
    owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    other = default_storage.save(
        f"{media.site_folder(second_researcher.pk, 'uploads')}cccc3333-1400.jpg", ContentFile(b"c")
    )
    profile_id = owner.pk
    assert media.site_files(profile_id)
    with django_capture_on_commit_callbacks(execute=True):
        owner.owner.delete()
    assert bucket.names(f"sites/{profile_id}/") == set()
    assert media.site_files(profile_id) == []
    assert bucket.names("sites/") == {other}  # another site's files stay


def test_an_al_folio_import_and_export_run_on_the_bucket(
    bucket, owner, owner_client, alfolio_site, django_capture_on_commit_callbacks
):
    from tests.test_alfolio_dashboard import post_import, zip_folder

    data = zip_folder(alfolio_site)
    post_import(owner_client, data, django_capture_on_commit_callbacks)
    assert SiteImport.objects.get(profile=owner).status == SiteImport.Status.DONE
    stored = bucket.names(f"sites/{owner.pk}/")
    assert stored
    assert bucket.names("imports/") == set()  # the waiting upload is gone once imported

    # Again: the files already stored under their content-hashed names are reused.
    post_import(owner_client, data, django_capture_on_commit_callbacks)
    assert "nothing changed" in SiteImport.objects.filter(profile=owner).first().report["headline"]
    assert bucket.names(f"sites/{owner.pk}/") == stored

    # The export reads every file back out of the bucket.
    response = owner_client.get(reverse("dashboard_export"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        exported = {archive.read(name) for name in archive.namelist()}
    images = [key for key in stored if key.endswith((".jpg", ".png", ".pdf"))]
    assert images
    assert any(bucket.read(key) in exported for key in images)
