"""Moving in and out from the dashboard: upload, follow the import, read the report, export.

Imports run as a background task; the test settings run tasks at once, after
the commit that queues them (captured here with django_capture_on_commit_callbacks).
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from news.models import NewsItem
from profiles.alfolio.runs import UPLOAD_FOLDER
from profiles.media import site_files
from profiles.models import Profile, SiteImport
from publications.models import Publication
from tests.conftest import write_alfolio_site

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("dashboard_import")


def zip_folder(folder: Path, top: str = "ada.github.io-main") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def zip_of(members: dict[str, bytes], *, links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


ABOUT = b"---\nlayout: about\n---\nHello.\n"


def upload(data: bytes, name: str = "site.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def post_import(client: Client, data: bytes, capture, *, name="site.zip", dry_run=False):
    with capture(execute=True):
        return client.post(
            IMPORT_URL, {"file": upload(data, name), **({"dry_run": "on"} if dry_run else {})}
        )


def stored_uploads() -> list[str]:
    try:
        return default_storage.listdir(UPLOAD_FOLDER)[1]
    except FileNotFoundError:
        return []


def test_an_uploaded_site_is_imported_and_its_report_shown(
    owner, owner_client, alfolio_site, django_capture_on_commit_callbacks
):
    response = post_import(
        owner_client, zip_folder(alfolio_site), django_capture_on_commit_callbacks
    )

    run = SiteImport.objects.get(profile=owner)
    assert response.status_code == 302
    assert response.url == reverse("dashboard_import_run", args=[run.pk])
    assert run.status == SiteImport.Status.DONE
    owner.refresh_from_db()
    assert (owner.first_name, owner.middle_name, owner.last_name) == ("Ada", "King", "Lovelace")
    assert Publication.objects.filter(profile=owner).count() == 1
    assert NewsItem.objects.filter(profile=owner).count() == 2
    page = owner_client.get(response.url).content.decode()
    assert "Imported site.zip into ada." in page
    assert "News items" in page and "2 added" in page
    assert "_news/_draft.md" in page  # left out, with Jekyll's reason
    assert "does not publish it" in page
    assert 'http-equiv="refresh"' not in page  # done: the page stops refreshing
    assert stored_uploads() == []  # the upload is deleted once imported


def test_a_dry_run_saves_nothing_and_can_then_be_imported(
    owner, owner_client, alfolio_site, django_capture_on_commit_callbacks
):
    post_import(
        owner_client, zip_folder(alfolio_site), django_capture_on_commit_callbacks, dry_run=True
    )

    run = SiteImport.objects.get(profile=owner)
    owner.refresh_from_db()
    assert run.status == SiteImport.Status.DONE and run.dry_run
    assert owner.middle_name == "K." and not Publication.objects.filter(profile=owner).exists()
    page = owner_client.get(reverse("dashboard_import_run", args=[run.pk])).content.decode()
    assert "nothing was saved" in page
    assert "Import it now" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("dashboard_import_again", args=[run.pk]))

    again = SiteImport.objects.exclude(pk=run.pk).get(profile=owner)
    assert response.url == reverse("dashboard_import_run", args=[again.pk])
    assert again.status == SiteImport.Status.DONE and not again.dry_run
    assert Publication.objects.filter(profile=owner).count() == 1
    assert stored_uploads() == []


def test_importing_the_same_site_again_changes_nothing(
    owner, owner_client, alfolio_site, django_capture_on_commit_callbacks
):
    data = zip_folder(alfolio_site)
    post_import(owner_client, data, django_capture_on_commit_callbacks)
    owner.refresh_from_db()
    files = sorted(default_storage.listdir(f"sites/{owner.pk}/uploads/")[1])
    stamp = owner.updated_at

    post_import(owner_client, data, django_capture_on_commit_callbacks)

    second = SiteImport.objects.filter(profile=owner).first()
    owner.refresh_from_db()
    assert "nothing changed" in second.report["headline"]
    assert owner.updated_at == stamp
    assert sorted(default_storage.listdir(f"sites/{owner.pk}/uploads/")[1]) == files


HOSTILE = {
    "a path out of the folder": (zip_of({"../../etc/about.md": ABOUT}), "points outside"),
    "a symbolic link": (
        zip_of({"_pages/about.md": b"/etc/passwd"}, links=("_pages/about.md",)),
        "symbolic link",
    ),
    "a zip bomb": (
        zip_of({"_pages/about.md": ABOUT, "assets/img/big.png": bytes(30 * 1024 * 1024)}),
        "zip bomb",
    ),
    "10,000 files": (
        zip_of({"_pages/about.md": ABOUT, **{f"node/{n}.txt": b"" for n in range(10_000)}}),
        "10,001 files",
    ),
    "no about page": (zip_of({"_config.yml": b"first_name: X\n"}), "no about page"),
    "not a zip": (b"\x89PNG\r\n\x1a\n" + bytes(100), "not a text file"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_archive_is_refused_with_a_clear_message_and_nothing_written(
    case, owner, owner_client, django_capture_on_commit_callbacks
):
    data, message = HOSTILE[case]
    before = (owner.first_name, owner.bio)

    response = post_import(owner_client, data, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SiteImport.objects.exists()
    assert stored_uploads() == []
    owner.refresh_from_db()
    assert (owner.first_name, owner.bio) == before
    assert site_files(owner.pk) == []


def test_a_file_that_is_not_utf8_is_read_and_the_report_says_so(
    owner, owner_client, django_capture_on_commit_callbacks
):
    about = "---\nlayout: about\n---\nCafé crème à Paris.\n".encode("cp1252")

    post_import(owner_client, about, django_capture_on_commit_callbacks, name="about.md")

    run = SiteImport.objects.get(profile=owner)
    owner.refresh_from_db()
    assert owner.bio == "Café crème à Paris."
    assert any("not UTF-8" in message for _, _, message in run.report["notes"])


def test_an_import_that_fails_halfway_changes_nothing_files_included(
    owner, owner_client, alfolio_site, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("profiles.alfolio.writer.import_bibtex", broken)
    before = (owner.first_name, owner.middle_name, owner.bio)

    # The task fails (the worker logs it); the run says so.
    post_import(owner_client, zip_folder(alfolio_site), django_capture_on_commit_callbacks)

    run = SiteImport.objects.get(profile=owner)
    owner.refresh_from_db()
    assert run.status == SiteImport.Status.FAILED
    assert "nothing was imported" in run.error
    assert (owner.first_name, owner.middle_name, owner.bio) == before
    assert not NewsItem.objects.exists()
    assert site_files(owner.pk) == []
    assert stored_uploads() == []


def test_a_second_import_waits_for_the_first(owner, owner_client, alfolio_site):
    SiteImport.objects.create(profile=owner, source="first.zip")  # queued, not yet run

    response = owner_client.get(IMPORT_URL)

    assert "An import is under way" in response.content.decode()
    response = owner_client.post(IMPORT_URL, {"file": upload(zip_folder(alfolio_site))})
    assert response.status_code == 302
    assert SiteImport.objects.count() == 1


def test_an_import_page_is_its_owners_only(owner, second_researcher, client):
    run = SiteImport.objects.create(profile=owner, source="ada.zip")
    client.force_login(second_researcher.owner)

    assert client.get(reverse("dashboard_import_run", args=[run.pk])).status_code == 404
    assert client.post(reverse("dashboard_import_again", args=[run.pk])).status_code == 404


def test_an_import_in_progress_refreshes_itself_and_says_what_it_does(owner, owner_client):
    run = SiteImport.objects.create(
        profile=owner, source="ada.zip", status=SiteImport.Status.RUNNING,
        progress="Checking and re-encoding images and PDFs: 3 of 16 (assets/img/engine.jpg)",
    )  # fmt: skip

    page = owner_client.get(reverse("dashboard_import_run", args=[run.pk])).content.decode()

    assert 'http-equiv="refresh"' in page
    assert "3 of 16" in page


def test_the_export_downloads_a_zip_that_imports_into_a_new_site(
    owner, owner_client, alfolio_site, django_capture_on_commit_callbacks
):
    post_import(owner_client, zip_folder(alfolio_site), django_capture_on_commit_callbacks)

    response = owner_client.get(reverse("dashboard_export"))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="ada-al-folio.zip"'
    out = Path(default_storage.path("export.zip"))
    out.write_bytes(response.content)
    call_command("import_alfolio", str(out), "--slug", "ada2", "--owner", "ada2@example.org")
    copy = Profile.objects.get(slug="ada2")
    assert copy.bio == Profile.objects.get(slug="ada").bio.replace(
        f"/media/sites/{owner.pk}/", f"/media/sites/{copy.pk}/"
    )


def test_the_export_is_its_owners_only(client):
    response = client.get(reverse("dashboard_export"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_with_the_database_backend_the_worker_runs_the_queued_import(
    owner, owner_client, tmp_path, django_capture_on_commit_callbacks
):
    site = write_alfolio_site(tmp_path / "site")

    post_import(owner_client, zip_folder(site), django_capture_on_commit_callbacks)

    run = SiteImport.objects.get(profile=owner)
    assert run.status == SiteImport.Status.QUEUED  # waiting for the worker
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    run.refresh_from_db()
    assert run.status == SiteImport.Status.DONE
    assert Publication.objects.filter(profile=owner).count() == 1


def test_a_new_empty_site_is_offered_the_import_and_a_written_one_is_not(owner, client):
    from tests.conftest import make_researcher

    newcomer = make_researcher("newcomer", status=Profile.Status.PENDING)
    client.force_login(newcomer.owner)
    assert "Already have an al-folio site?" in client.get(reverse("dashboard")).content.decode()

    client.force_login(owner.owner)  # has a bio
    assert "Already have an al-folio site?" not in client.get(reverse("dashboard")).content.decode()


def test_an_imported_sites_old_file_addresses_lead_to_its_files(
    owner, owner_client, alfolio_site, site_client, django_capture_on_commit_callbacks
):
    post_import(owner_client, zip_folder(alfolio_site), django_capture_on_commit_callbacks)
    visitor = site_client("ada")

    for old in ("/assets/pdf/notes.pdf", "/assets/img/engine.jpg",
                "/assets/img/publication_preview/engine-figure.png"):  # fmt: skip
        response = visitor.get(old)
        assert response.status_code == 302, old
        assert response.url.startswith(f"/media/sites/{owner.pk}/")
        assert visitor.get(response.url).status_code == 200
    assert visitor.get("/assets/img/nothing.jpg").status_code == 404
    assert site_client("grace").get("/assets/pdf/notes.pdf").status_code in (404,)
