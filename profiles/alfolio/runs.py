"""Imports as the dashboard runs them: queued with the upload, run by a background task.

The largest archive we accept takes longer to import than a web request
should wait (bench/alfolio_import.py: about 9 s on our 2-core machine), so
the dashboard stores the upload privately, queues a SiteImport and returns;
profiles.tasks.run_site_import does the work and writes progress on the row
that the import page shows, refreshing itself, until the report is in.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from profiles.alfolio.apply import import_site
from profiles.alfolio.archive import ArchiveRefused, read_source, read_upload
from profiles.alfolio.plan import ImportRefused
from profiles.alfolio.report import ImportReport
from profiles.models import Profile, SiteImport

logger = logging.getLogger(__name__)

# Uploads wait here for their task: outside sites/, so never served (profiles.media).
UPLOAD_FOLDER = "imports/"
# An import still "running" after this long died with its worker: it no longer blocks others.
STALE_AFTER = timedelta(hours=1)


class ImportBusy(Exception):
    """The site already has an import waiting or running."""


def running_import(profile: Profile) -> SiteImport | None:
    return (
        SiteImport.objects.filter(
            profile=profile,
            status__in=[SiteImport.Status.QUEUED, SiteImport.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


def _forget_kept_uploads(profile: Profile) -> None:
    """Uploads kept after dry runs, for "Import it now": a new upload replaces them."""
    kept = SiteImport.objects.filter(profile=profile).exclude(upload="")
    for name in kept.values_list("upload", flat=True):
        default_storage.delete(name)
    kept.update(upload="")


def queue_import(*, profile: Profile, upload: File, dry_run: bool) -> SiteImport:
    """Check the upload (ArchiveRefused, at once), store it privately and queue its import."""
    read_upload(upload)  # refuses a hostile or wrong file before anything is stored
    if running_import(profile) is not None:
        raise ImportBusy
    _forget_kept_uploads(profile)
    upload.seek(0)
    name = default_storage.save(
        f"{UPLOAD_FOLDER}{profile.pk}-{secrets.token_hex(8)}.upload", ContentFile(upload.read())
    )
    run = SiteImport.objects.create(
        profile=profile, source=_source_name(upload), dry_run=dry_run, upload=name
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def import_again(run: SiteImport) -> SiteImport:
    """Import for real what a dry run checked (its upload is kept for this)."""
    if running_import(run.profile) is not None:
        raise ImportBusy
    again = SiteImport.objects.create(
        profile=run.profile, source=run.source, dry_run=False, upload=run.upload
    )
    SiteImport.objects.filter(pk=run.pk).update(upload="")
    transaction.on_commit(lambda: _enqueue(again.pk))
    return again


def _enqueue(run_id: int) -> None:
    from profiles.tasks import run_site_import

    run_site_import.enqueue(run_id)


def _source_name(upload: File) -> str:
    name = str(getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1]
    return name[:300]


def run_import(run_id: int) -> None:
    """The task's work: import the stored upload into its site and record how it went."""
    run = SiteImport.objects.select_related("profile").filter(pk=run_id).first()
    if run is None or run.status != SiteImport.Status.QUEUED:
        return  # already run (a retried task), or its site was deleted
    SiteImport.objects.filter(pk=run.pk).update(status=SiteImport.Status.RUNNING)

    def progress(message: str) -> None:
        SiteImport.objects.filter(pk=run.pk).update(progress=message[:200])

    try:
        with default_storage.open(run.upload, "rb") as upload:
            upload.name = run.source
            tree = read_upload(upload)
        report = import_site(tree, slug=run.profile.slug, dry_run=run.dry_run, progress=progress)
    except (ArchiveRefused, ImportRefused) as error:
        _finish(run, status=SiteImport.Status.FAILED, error=str(error))
    except Exception:
        logger.exception("al-folio import %s failed", run.pk)
        _finish(
            run,
            status=SiteImport.Status.FAILED,
            error="Something went wrong on our side and nothing was imported. Please try again "
            "later; if it happens again, tell the platform's administrators.",
        )
        raise
    else:
        _finish(run, status=SiteImport.Status.DONE, report=report)


def _finish(
    run: SiteImport, *, status: str, error: str = "", report: ImportReport | None = None
) -> None:
    keep_upload = run.dry_run and status == SiteImport.Status.DONE  # for "Import it now"
    if not keep_upload and run.upload:
        default_storage.delete(run.upload)
    SiteImport.objects.filter(pk=run.pk).update(
        status=status,
        error=error,
        report=report.as_dict() if report else {},
        progress="",
        upload=run.upload if keep_upload else "",
        finished_at=timezone.now(),
    )


def record_import(report: ImportReport) -> None:
    """A finished import run elsewhere (the command), for the dashboard's history."""
    if report.dry_run:
        return
    profile = Profile.objects.get(slug=report.slug)
    SiteImport.objects.create(
        profile=profile,
        source=report.source[:300],
        status=SiteImport.Status.DONE,
        report=report.as_dict(),
        finished_at=timezone.now(),
    )


def import_path(path, **options) -> ImportReport:
    """The command's import: a folder, zip or about.md on disk, recorded when done."""
    report = import_site(read_source(path), **options)
    record_import(report)
    return report


def moved_asset_url(profile: Profile, path: str) -> str | None:
    """Where a file an al-folio repository had at `path` ("assets/pdf/x.pdf") is now, if here."""
    from publications.entries import file_url
    from publications.models import PaperFile

    folder, _, name = path.rpartition("/")
    if folder in ("assets/pdf", "assets/img/publication_preview"):
        file = PaperFile.objects.filter(profile=profile, name=name).first()
        if file is not None:
            return file_url(file)
    last = (
        SiteImport.objects.filter(profile=profile, status=SiteImport.Status.DONE, dry_run=False)
        .values_list("report", flat=True)
        .first()
    )
    stored = ((last or {}).get("assets") or {}).get(path)
    return stored[1] if stored else None
