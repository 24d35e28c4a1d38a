"""A site with a row in every table that can hold one, and every kind of file.

Shared by the tests of deleting (tests/test_account_lifecycle.py,
tests/test_recoverable_deletion.py) and of backups (tests/test_backup_restore.py):
what they prove holds only if nothing of a real site is missing here.
"""

from __future__ import annotations

from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from profiles.alfolio import import_site, read_source
from profiles.alfolio.runs import UPLOAD_FOLDER
from profiles.models import (
    CustomDomain,
    HiddenItem,
    Profile,
    Report,
    SiteImport,
    SlugHistory,
    User,
)
from profiles.moderation.services import hide_item
from profiles.services import set_photo
from publications.models import Publication
from publications.services import import_bibtex
from tests.conftest import image_bytes, write_alfolio_site


def build_full_site(owner: Profile, moderator: User, folder: Path, capture) -> Profile:
    """Ada's site, imported from an al-folio repository written to `folder`, and more.

    The import brings the photo, editor images, the CV, the WeChat QR code, paper
    files, social links, venues, co-authors, publications and news; then a kept
    import upload, a task result, a second paper (hidden by a moderator), a
    report, a verified custom domain, a former address, admin log entries and
    log-in records.
    `capture`: pytest-django's django_capture_on_commit_callbacks.
    """
    import_site(read_source(write_alfolio_site(folder / "ada.github.io")), slug="ada")
    owner.refresh_from_db()
    with capture(execute=True):
        set_photo(profile=owner, upload=SimpleUploadedFile("me.jpg", image_bytes()))
    kept = default_storage.save(
        f"{UPLOAD_FOLDER}{owner.pk}-kept.upload", SimpleUploadedFile("a", b"zip")
    )
    run = SiteImport.objects.create(profile=owner, source="site.zip", dry_run=True, upload=kept)
    DBTaskResult.objects.create(
        args_kwargs={"args": [run.pk], "kwargs": {}},
        task_path="profiles.tasks.run_site_import",
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
        exception_class_path="",
        traceback="",
    )
    # A second paper, hidden by a moderator; the imported one (with its files) stays public.
    import_bibtex(
        profile=owner,
        text="@article{menabrea1842sketch, title = {Sketch of the Analytical Engine}, "
        "author = {Menabrea, Luigi}, journal = {Bibliothèque universelle}, year = {1842}}",
        source="test",
    )
    publication = Publication.objects.get(profile=owner, key="menabrea1842sketch")
    hide_item(
        profile=owner,
        kind=HiddenItem.Kind.PUBLICATION,
        actor=moderator,
        reason="Not yours.",
        publication=publication,
    )
    Report.objects.create(
        profile=owner, page_url="http://ada.localhost:8000/", reason="spam", message="Spam."
    )
    CustomDomain.objects.create(host="ada.example.net", profile=owner, verified=True)
    SlugHistory.objects.create(profile=owner, slug="ada-lovelace")
    for obj in (owner, owner.owner, publication):
        LogEntry.objects.create(
            user=moderator,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
        )
    axes_row = {"username": "ada@example.org", "ip_address": "127.0.0.1", "user_agent": "t"}
    AccessLog.objects.create(**axes_row)
    AccessFailureLog.objects.create(**axes_row, locked_out=False)
    AccessAttempt.objects.create(**axes_row, get_data="", post_data="", failures_since_start=1)
    return owner


def rows_of(profile_id: int, user_id: int) -> dict[str, int]:
    """Every row, in every table, that points at the profile or the user."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in (Profile, User):
                target = profile_id if field.related_model is Profile else user_id
                count = model._default_manager.filter(**{field.name: target}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found
