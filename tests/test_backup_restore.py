"""Backups: a full site dumped, the database and uploads wiped, restored, and the same
site served again, byte for byte (issue 13, item 6). Runs on SQLite and PostgreSQL.

The commands run here are the ones README's "Backups" gives, word for word
(the last test holds the README to them).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from news.models import NewsItem
from profiles import media, pagecache
from profiles.models import CustomDomain, Profile, SiteImport, User
from publications.models import Publication
from publications.services import import_bibtex
from tests.conftest import PASSWORD, make_researcher
from tests.full_site import build_full_site

pytestmark = pytest.mark.django_db(transaction=True)

# README, "Backups": the portable dump, and the restore into a migrated, empty database.
BACKUP = [
    "mkdir -p backup/media",
    "python manage.py dumpdata auth.group --natural-foreign --natural-primary --format xml "
    "--output backup/groups.xml",
    "python manage.py dumpdata --natural-foreign --exclude contenttypes "
    "--exclude auth.permission --exclude auth.group --exclude sessions --format xml "
    "--output backup/data.xml",
    'cp -a "$MEDIA_ROOT"/. backup/media/',
]
RESTORE = [
    "python manage.py migrate",
    "python manage.py loaddata backup/groups.xml backup/data.xml",
    'mkdir -p "$MEDIA_ROOT" && cp -a backup/media/. "$MEDIA_ROOT"/',
    # The shared cache may remember sites and pages from after the backup was made.
    "python manage.py shell -c 'from django.core.cache import cache; cache.clear()'",
]
# Rebuilt by `migrate` on the new database, or not worth keeping (log-ins end).
NOT_BACKED_UP = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}


def run(line: str) -> None:
    """One README line: a manage.py command in this process (the test database is
    in it), anything else in a shell, as an operator would type it."""
    if line.startswith("python manage.py "):
        call_command(*shlex.split(line.removeprefix("python manage.py ")), stdout=StringIO())
    else:
        env = {**os.environ, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
        # Our own constant lines, above: the shell is what the README's reader uses.
        subprocess.run(line, shell=True, check=True, env=env)  # noqa: S602


def rows() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in NOT_BACKED_UP
    }


def media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def public_pages(owner: Profile) -> dict[tuple[str, str], bytes]:
    """What visitors get from the site's two hosts: pages, feed, sitemap, BibTeX, files."""
    paper = Publication.objects.filter(profile=owner, is_visible=True).first()
    item = NewsItem.objects.filter(profile=owner).exclude(slug="").first()
    photo = owner.photo["variants"][0]["webp"]
    paths = [
        "/", "/publications/", f"/publications/{paper.key}/", "/publications.bib", "/news/",
        f"/news/{item.slug}/", "/feed.xml", "/sitemap.xml", "/robots.txt", f"/media/{photo}",
    ]  # fmt: skip
    served = {}
    for host in (owner.host, "ada.example.net"):
        for path in paths:
            response = Client(HTTP_HOST=host).get(path)
            assert response.status_code == 200, (host, path)
            body = b"".join(response) if response.streaming else response.content
            served[(host, path)] = body
    return served


@pytest.fixture
def in_a_folder(tmp_path, monkeypatch) -> Iterator[Path]:
    """The README's relative paths (backup/...) resolve in a folder of the test's own."""
    folder = tmp_path / "operator"
    folder.mkdir()
    monkeypatch.chdir(folder)
    yield folder


@pytest.fixture
def full_site(owner, second_researcher, moderator, tmp_path, django_capture_on_commit_callbacks):
    """Ada's site as build_full_site makes it, the other actors, and a moderator of the group."""
    build_full_site(owner, moderator, tmp_path, django_capture_on_commit_callbacks)
    CustomDomain.objects.filter(profile=owner).update(verified=True)
    desk = User.objects.create_user(email="desk@example.org", password=PASSWORD, is_staff=True)
    desk.groups.add(Group.objects.get(name="Moderators"))
    owner.refresh_from_db()
    return owner


def test_a_full_site_survives_a_dump_a_wipe_and_a_restore(full_site, in_a_folder):
    owner = full_site
    assert SiteImport.objects.filter(profile=owner).exists()  # an import run, its upload kept
    before_pages = public_pages(owner)
    before_rows = rows()
    before_files = media_files()
    assert any(name.startswith("imports/") for name in before_files)  # a kept upload too

    for line in BACKUP:
        run(line)

    # Lose the database and the uploads. The cache is left as it is: the
    # restore must clear it. A process's own copies of pages go, as when the
    # app is restarted after a restore.
    call_command("flush", interactive=False, stdout=StringIO())
    shutil.rmtree(settings.MEDIA_ROOT)
    pagecache.local_pages.clear()
    assert not Profile.objects.exists() and not User.objects.exists()
    assert not default_storage.exists(f"sites/{owner.pk}/")

    for line in RESTORE:
        run(line)

    assert rows() == before_rows
    assert media_files() == before_files
    after_pages = public_pages(Profile.objects.get(pk=owner.pk))
    for key, body in before_pages.items():
        assert after_pages[key] == body, key
    assert media.site_files(owner.pk)


def test_after_a_restore_people_log_in_and_new_rows_get_fresh_ids(full_site, in_a_folder):
    for line in BACKUP:
        run(line)
    call_command("flush", interactive=False, stdout=StringIO())
    shutil.rmtree(settings.MEDIA_ROOT)
    for line in RESTORE:
        run(line)

    # The owner's password, and a moderator's rights through the group.
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    response = client.post(
        "/accounts/login/", {"username": "ada@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get("/dashboard/").status_code == 200
    assert User.objects.get(email="desk@example.org").has_perm("profiles.moderate_profile")

    # Sequences continue after the restored ids (PostgreSQL's are reset by loaddata).
    newcomer = make_researcher("newcomer")
    owner = Profile.objects.get(slug="ada")
    report = import_bibtex(
        profile=owner, text="@misc{fresh2026, title={Fresh}, year={2026}}", source="test"
    )
    item = NewsItem.objects.create(profile=owner, title="Restored", date=timezone.now())
    assert newcomer.pk > owner.pk and report.added == ["fresh2026"] and item.pk
    assert Client(HTTP_HOST="newcomer.localhost").get("/").status_code == 200


def test_the_readme_gives_exactly_the_commands_these_tests_run():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    for line in BACKUP + RESTORE:
        assert line in readme, line
