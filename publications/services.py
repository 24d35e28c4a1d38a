"""Writes to a site's publications: the BibTeX import, edits, deletions.

One import service serves the dashboard (an uploaded file or pasted text),
`manage.py import_bibtex`, and the whole-site al-folio import. It never loses
an entry: each one is added, updated, left unchanged, or reported with its
key, line and reason; a broken entry never stops the others; a text that is
not BibTeX at all changes nothing; an import is atomic.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from profiles import media, pagecache
from profiles.documents import process_pdf
from profiles.images import delete_stored_image, process_image, store_image
from profiles.media import read_upload
from profiles.models import Profile
from publications.bibtex import (
    NotBibtex,
    ParsedEntry,
    display_bibtex,
    format_entry,
    parse_bibtex,
    publication_values,
)
from publications.models import (
    RENDERED_FIELDS,
    ImportRun,
    PaperFile,
    Publication,
    PublicationSettings,
)

# A .bib of 4,000 papers with abstracts is about 5 MB.
MAX_BIBTEX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 10_000


class ImportRefused(ValueError):
    """Nothing was imported; the message says why and what to do."""


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_hidden: list[str] = field(default_factory=list)  # not in the file, hidden: kept
    problems: list[dict] = field(default_factory=list)  # {"key", "line", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"key", "line", "message"}
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else ""
        counts = [
            (len(self.added), "added"),
            (len(self.updated), "updated"),
            (len(self.unchanged), "unchanged"),
            (len(self.removed), "removed"),
            (len(self.kept_hidden), "kept (hidden by a moderator)"),
            (len(self.problems), "could not be read"),
        ]
        said = [f"{n} {verb + ' ' if verb else ''}{what}" for n, what in counts if n]
        return (", ".join(said) or "nothing to import") + "."


def bibtex_text(upload: File) -> str:
    """An uploaded .bib as text: size-checked, UTF-8 (or, for old files, Windows-1252)."""
    data = read_upload(
        upload,
        limit=MAX_BIBTEX_BYTES,
        too_large=ValidationError(
            f"This file is larger than {MAX_BIBTEX_BYTES // (1024 * 1024)} MB, far more than a "
            "list of publications needs. Is it the right file?",
            code="too_large",
        ),
    )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _warning(entry: ParsedEntry, message: str) -> dict:
    return {"key": entry.key, "line": entry.line, "message": message}


def entry_values(entry: ParsedEntry) -> tuple[dict, list[str]]:
    """The model's values for one parsed entry, with what a visitor sees as BibTeX."""
    values, warnings = publication_values(entry)
    values["bibtex_display"] = display_bibtex(entry)
    return values, [*entry.warnings, *warnings]


@transaction.atomic
def import_bibtex(
    *,
    profile: Profile,
    text: str,
    source: str,
    replace: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Merge a BibTeX text into the site's publications, by citation key.

    Entries in the text are added or updated (or left alone when nothing
    changed); with `replace`, the site's entries missing from the text are
    removed. Raises ImportRefused, changing nothing, for a text that is not
    BibTeX or is too large. With `dry_run`, reports and writes nothing.
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_BIBTEX_BYTES:
        raise ImportRefused(
            f"This text is larger than {MAX_BIBTEX_BYTES // (1024 * 1024)} MB, far more than "
            "a list of publications needs."
        )
    try:
        parsed = parse_bibtex(text)
    except NotBibtex as error:
        raise ImportRefused(str(error)) from error
    if len(parsed.entries) > MAX_ENTRIES:
        raise ImportRefused(
            f"This file has {len(parsed.entries):,} entries; a site takes at most "
            f"{MAX_ENTRIES:,}. Split it, or remove entries you do not want to show."
        )

    report = ImportReport(dry_run=dry_run)
    report.problems = [
        {"key": problem.key, "line": problem.line, "reason": problem.reason}
        for problem in parsed.problems
    ]
    existing = {pub.key: pub for pub in Publication.objects.filter(profile=profile)}
    now = timezone.now()
    to_create: list[Publication] = []
    to_update: list[Publication] = []
    moved: list[Publication] = []
    changed_fields: set[str] = set()
    for entry in parsed.entries:
        values, warnings = entry_values(entry)
        report.warnings += [_warning(entry, message) for message in warnings]
        current = existing.get(entry.key)
        if current is None:
            publication = Publication(profile=profile, **values)
            publication.render()
            to_create.append(publication)
            report.added.append(entry.key)
            continue
        differing = {name for name, value in values.items() if getattr(current, name) != value}
        if differing <= {"position"}:
            # Same content: the paper is unchanged, though it may have moved in
            # the file (or the text is an export of several files in one).
            if differing:
                current.position = values["position"]
                moved.append(current)
            report.unchanged.append(entry.key)
            continue
        for name in differing:
            setattr(current, name, values[name])
        current.render()
        current.updated_at = now
        changed_fields |= differing
        to_update.append(current)
        report.updated.append(entry.key)

    file_keys = {entry.key for entry in parsed.entries}
    stale = [key for key in existing if key not in file_keys] if replace else []
    # A paper a moderator hid stays, even when the file no longer has it: deleted, it
    # would come back visible with the next import of a file that does.
    hidden_keys = (
        set(
            Publication.objects.filter(
                profile=profile, key__in=stale, hidden__isnull=False
            ).values_list("key", flat=True)
        )
        if stale
        else set()
    )
    stale = [key for key in stale if key not in hidden_keys]
    report.kept_hidden = sorted(hidden_keys)
    report.removed = sorted(stale)
    if dry_run:
        transaction.set_rollback(True)
        return report

    Publication.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Publication.objects.bulk_update(
            to_update, [*changed_fields, *RENDERED_FIELDS, "updated_at"], batch_size=500
        )
    if moved:
        Publication.objects.bulk_update(moved, ["position"], batch_size=500)
    if stale:
        Publication.objects.filter(profile=profile, key__in=stale).delete()
    _remember_macros(profile, parsed.macros)
    pagecache.site_changed(profile.pk)  # bulk writes send no signals
    ImportRun.objects.create(
        profile=profile,
        source=source[:300],
        replace=replace,
        added=len(report.added),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
        removed=len(report.removed),
        failed=len(report.problems),
        report={"problems": report.problems, "warnings": report.warnings},
    )
    return report


def _remember_macros(profile: Profile, macros: dict[str, str]) -> None:
    if not macros:
        return
    settings, _ = PublicationSettings.objects.get_or_create(profile=profile)
    merged = {**settings.string_macros, **macros}
    if merged != settings.string_macros:
        settings.string_macros = merged
        settings.save(update_fields=["string_macros"])


def entry_from_bibtex(text: str) -> ParsedEntry:
    """The one entry of an edited BibTeX text (raises ValidationError saying what is wrong)."""
    try:
        parsed = parse_bibtex(text)
    except NotBibtex as error:
        raise ValidationError(str(error)) from error
    if parsed.problems:
        problem = parsed.problems[0]
        raise ValidationError(f"Line {problem.line}: {problem.reason}")
    if len(parsed.entries) != 1:
        raise ValidationError(
            f"Write exactly one entry here ({len(parsed.entries)} found): @article{{key, ...}}."
        )
    return parsed.entries[0]


@transaction.atomic
def save_publication(*, publication: Publication, entry: ParsedEntry) -> list[str]:
    """Store an edited entry (from the dashboard); its raw text is the one written."""
    values, warnings = entry_values(entry)
    values["position"] = publication.position  # an edit does not move the paper
    for name, value in values.items():
        setattr(publication, name, value)
    publication.save()
    return warnings


def patched_bibtex(publication: Publication, changes: dict[str, str]) -> str:
    """The entry's BibTeX with some fields set to new values (as written; "" removes one)."""
    entry = entry_from_bibtex(publication.raw_bibtex)
    fields = dict(entry.fields)
    for name, value in changes.items():
        if value:
            fields[name] = value
        else:
            fields.pop(name, None)
    try:
        return format_entry(entry.entry_type, entry.key, fields)
    except ValueError as error:  # a typed value that BibTeX cannot hold, such as lone braces
        raise ValidationError(str(error)) from error


@dataclass(frozen=True)
class Deleted:
    deleted: int
    kept_hidden: int  # papers a moderator hid: they stay until a moderator reviews them


@transaction.atomic
def delete_publications(*, profile: Profile, keys: list[str]) -> Deleted:
    """Delete the owner's papers of these keys, except those a moderator hid.

    A hidden paper that could be deleted would come back visible with the next
    import of the same .bib file: it stays (off the site) until a moderator
    puts it back or the owner asks for a review.
    """
    chosen = Publication.objects.filter(profile=profile, key__in=keys)
    kept_hidden = chosen.filter(hidden__isnull=False).count()
    _total, per_model = chosen.filter(hidden__isnull=True).delete()
    return Deleted(per_model.get(Publication._meta.label, 0), kept_hidden)


# Preview thumbnails show about 140 px wide; twice that for sharp screens.
PREVIEW_WIDTHS = (300, 600)
_PDF_SIGNATURE = b"%PDF-"


def store_paper_file(*, profile: Profile, upload: File, name: str) -> PaperFile:
    """A PDF (checked and re-written) or an image (the photo pipeline) that entries name.

    The kind is read from the content, never the name. Uploading a name again
    replaces the file; the old one is deleted after commit. Raises ValidationError.
    """
    head = upload.read(5)
    upload.seek(0)
    folder = media.site_folder(profile.pk, "files")
    old = PaperFile.objects.filter(profile=profile, name=name).first()
    freed = old.size if old else 0
    if head == _PDF_SIGNATURE:
        data = process_pdf(upload)
        media.check_quota(profile.pk, len(data), freed=freed)
        stored = {
            "name": default_storage.save(f"{folder}{secrets.token_hex(8)}.pdf", ContentFile(data))
        }
        kind, size = PaperFile.Kind.DOCUMENT, len(data)
    else:
        processed = process_image(upload, widths=PREVIEW_WIDTHS)
        size = sum(len(v.webp) + len(v.fallback) for v in processed.variants)
        media.check_quota(profile.pk, size, freed=freed)
        stored = store_image(processed, storage=default_storage, prefix=folder)
        kind = PaperFile.Kind.IMAGE
    with transaction.atomic():
        if old is not None:
            old_stored = (old.kind, old.stored)
            transaction.on_commit(lambda: _delete_stored(*old_stored))
            old.kind, old.stored, old.size = kind, stored, size
            old.save(update_fields=["kind", "stored", "size"])
            return old
        return PaperFile.objects.create(
            profile=profile, name=name, kind=kind, stored=stored, size=size
        )


def _delete_stored(kind: str, stored: dict) -> None:
    if kind == PaperFile.Kind.DOCUMENT:
        default_storage.delete(stored.get("name", ""))
    else:
        delete_stored_image(stored, storage=default_storage)


@transaction.atomic
def delete_paper_file(*, file: PaperFile) -> None:
    stored = (file.kind, file.stored)
    file.delete()
    transaction.on_commit(lambda: _delete_stored(*stored))
