"""An ImportPlan written to a site: all of it, or (on any fatal error) nothing, files included.

Slow work comes first, outside the transaction: every image and PDF the plan
names is checked and re-encoded (profiles.alfolio.prepare). Then, in one
transaction, the site is created or updated and the files stored
(profiles.alfolio.writer); any exception rolls the rows back and deletes the
files this import wrote. Files it replaced are deleted only after commit.

Importing the same repository again changes nothing: fields are compared
before they are written, files carry the SHA-256 of the bytes they came from
(`source_sha256`) and are skipped when it matches, editor images are stored
under content-hashed names and reused, and news items remember their file.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.db import transaction

from profiles import pagecache
from profiles.alfolio.archive import SourceTree
from profiles.alfolio.plan import ASSET_MARK_RE, ImportPlan, ImportRefused, plan_import
from profiles.alfolio.prepare import Progress, prepare_files
from profiles.alfolio.repair import Note
from profiles.alfolio.report import ImportReport
from profiles.alfolio.writer import SiteWriter, TrackedStorage
from profiles.models import Profile, User
from profiles.services import prune_uploads
from profiles.slugs import validate_slug


def _quiet(message: str) -> None:
    """No one is watching (the command prints its report at the end)."""


def import_site(
    tree: SourceTree,
    *,
    slug: str,
    owner_email: str = "",
    publish: bool = False,
    dry_run: bool = False,
    storage: Storage = default_storage,
    progress: Progress = _quiet,
) -> ImportReport:
    """Import a repository into the site `slug`, creating it (for `owner_email`) when free.

    Raises ImportRefused, having changed nothing, when the import cannot be done.
    `progress` hears what is being done, for a page that shows it. The caller
    records the report (profiles.alfolio.runs).
    """
    progress("Reading the texts")
    plan = plan_import(tree)
    slug = slug.strip().lower()
    profile = Profile.objects.select_related("owner").filter(slug__iexact=slug).first()
    _check_owner(profile, slug, owner_email)
    report = ImportReport(source=plan.source, slug=slug, dry_run=dry_run)
    report.notes = [_unmarked(note) for note in plan.notes]
    report.skipped = list(plan.skipped)
    prepared = prepare_files(plan, profile, report, storage=storage, progress=progress)
    progress("Saving")
    files = TrackedStorage(storage, dry_run=dry_run)
    try:
        with transaction.atomic():
            if profile is None:
                profile = _create_site(plan, slug, owner_email, publish, report)
            elif publish and profile.status != Profile.Status.PUBLISHED:
                profile.status = Profile.Status.PUBLISHED
                profile.save(update_fields=["status", "updated_at"])
                report.published = True
            SiteWriter(plan, prepared, profile, files, report).write()
            pagecache.site_changed(profile.pk)  # some writes are bulk: no signals
            report.status = profile.get_status_display()
            if dry_run:
                transaction.set_rollback(True)
            else:
                transaction.on_commit(lambda: prune_uploads(profile))
    except BaseException:
        files.undo()
        raise
    return report


def _unmarked(note: Note) -> Note:
    """Notes name the repository's files as the owner wrote them, not our placeholders."""
    return Note(note.file, note.line, ASSET_MARK_RE.sub(lambda m: "/" + m.group(1), note.message))


# ---------------------------------------------------------------- owner and site


def _check_owner(profile: Profile | None, slug: str, owner_email: str) -> None:
    email = owner_email.strip().lower()
    if profile is not None:
        if email and profile.owner.email.lower() != email:
            raise ImportRefused(
                f"The site {slug} belongs to another account. Leave out the owner to update "
                "it, or choose another site address."
            )
        return
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise ImportRefused(f"{slug}: {error.messages[0]}") from None
    if not email:
        raise ImportRefused(
            f"There is no site {slug} yet. To create it, say whose it is: --owner EMAIL."
        )
    existing = Profile.objects.filter(owner__email__iexact=email).first()
    if existing is not None:
        raise ImportRefused(
            f"{email} already has a site, {existing.slug}: import into it with --slug "
            f"{existing.slug}."
        )


def _create_site(
    plan: ImportPlan, slug: str, owner_email: str, publish: bool, report: ImportReport
) -> Profile:
    email = owner_email.strip().lower()
    owner = User.objects.filter(email__iexact=email).first()
    if owner is None:
        # No password: the researcher sets one with "Forgot your password?".
        owner = User.objects.create_user(email=email, password=None)
    first_name = plan.profile.get("first_name") or owner.first_name
    if not first_name:
        first_name = slug.replace("-", " ").title()
        report.notes.append(
            Note(
                plan.about_path,
                0,
                f"No name was found (there is no _config.yml): the site is called "
                f"“{first_name}” until you set your name in the dashboard.",
            )
        )
    report.created = True
    status = Profile.Status.PUBLISHED if publish else Profile.Status.PENDING
    return Profile.objects.create(owner=owner, slug=slug, first_name=first_name, status=status)
