"""An ImportPlan written to a site: all of it, or (on any fatal error) nothing, files included.

Slow work comes first, outside the transaction: every image and PDF the plan
names is checked and re-encoded (profiles.images, profiles.documents). Then,
in one transaction, the site is created or updated and the files stored; any
exception rolls the rows back and deletes the files this import wrote. Files
it replaced are deleted only after commit.

Importing the same repository again changes nothing: fields are compared
before they are written, files carry the SHA-256 of the bytes they came from
(`source_sha256`) and are skipped when it matches, editor images are stored
under content-hashed names and reused, and news items remember their file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction

from news.models import NewsItem
from news.services import save_news_item
from profiles import media
from profiles.alfolio.archive import SourceTree
from profiles.alfolio.plan import ASSET_MARK_RE, ImportPlan, ImportRefused, plan_import
from profiles.alfolio.repair import Note
from profiles.alfolio.report import ImportReport
from profiles.documents import process_pdf
from profiles.images import (
    PHOTO_WIDTHS,
    ProcessedImage,
    delete_stored_image,
    largest_fallback_name,
    process_image,
    store_image,
)
from profiles.models import ExportedImage, Profile, SiteImport, SocialLink, User
from profiles.services import EDITOR_IMAGE_WIDTHS, QR_WIDTHS, prune_uploads
from profiles.slugs import validate_slug
from publications.entries import file_url
from publications.models import (
    Coauthor,
    PaperFile,
    Publication,
    PublicationSettings,
    Venue,
)
from publications.services import PREVIEW_WIDTHS, import_bibtex
from publications.services import ImportRefused as BibtexRefused

PDF_SIGNATURE = b"%PDF-"


Progress = Callable[[str], None]


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
    prepared = _prepare(plan, profile, report, storage=storage, progress=progress)
    progress("Saving")
    files = _Files(storage, dry_run=dry_run)
    try:
        with transaction.atomic():
            if profile is None:
                profile = _create_site(plan, slug, owner_email, publish, report)
            elif publish and profile.status != Profile.Status.PUBLISHED:
                profile.status = Profile.Status.PUBLISHED
                profile.save(update_fields=["status", "updated_at"])
                report.published = True
            _Writer(plan, prepared, profile, files, report).write()
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


# ---------------------------------------------------------------- files, before the transaction


@dataclass
class _File:
    """A file of the repository, checked and re-encoded, ready to store."""

    path: str
    sha256: str
    pdf: bytes | None = None
    image: ProcessedImage | None = None

    @property
    def size(self) -> int:
        if self.pdf is not None:
            return len(self.pdf)
        variants = self.image.variants if self.image else ()
        return sum(len(v.webp) + len(v.fallback) for v in variants)


@dataclass
class _Prepared:
    photo: _File | None = None
    paper_files: dict[str, _File] = field(default_factory=dict)  # name -> file
    unchanged_paper_files: set[str] = field(default_factory=set)
    assets: dict[str, _File] = field(default_factory=dict)  # tree path -> file
    # Images the texts show that the last import stored already: path -> (SHA-256, URL).
    reused_assets: dict[str, tuple[str, str]] = field(default_factory=dict)
    account_files: dict[str, _File] = field(default_factory=dict)  # tree path -> file

    def incoming(self) -> int:
        files = [self.photo, *self.paper_files.values(), *self.assets.values()]
        return sum(file.size for file in files if file is not None) + sum(
            file.size for file in self.account_files.values()
        )


def _was_exported(data: bytes) -> bool:
    return ExportedImage.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists()


def _read(
    tree: SourceTree, path: str, report: ImportReport, *, widths: tuple[int, ...], pdf_ok: bool
) -> _File | None:
    """A file checked and re-encoded like an upload; None (and a skipped line) if refused."""
    data = tree.get(path) or b""
    try:
        if data.startswith(PDF_SIGNATURE):
            if not pdf_ok:
                raise ValidationError("This is a PDF where an image belongs.")
            return _File(path, _sha(data), pdf=process_pdf(io.BytesIO(data)))
        image = process_image(io.BytesIO(data), widths=widths, keep_if=_was_exported)
        return _File(path, _sha(data), image=image)
    except ValidationError as error:
        report.skipped.append((path, " ".join(error.messages)))
        return None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _previous_assets(profile: Profile | None) -> dict[str, list[str]]:
    """The images the site's last import stored for its texts: path -> [source SHA-256, URL]."""
    if profile is None:
        return {}
    last = (
        SiteImport.objects.filter(profile=profile, status=SiteImport.Status.DONE, dry_run=False)
        .values_list("report", flat=True)
        .first()
    )
    return (last or {}).get("assets") or {}


@dataclass(frozen=True)
class _Job:
    """One file to check and re-encode, and where the result goes."""

    path: str
    into: dict[str, _File]
    key: str
    widths: tuple[int, ...]
    pdf_ok: bool


def _prepare(
    plan: ImportPlan,
    profile: Profile | None,
    report: ImportReport,
    *,
    storage: Storage,
    progress: Progress,
) -> _Prepared:
    """Every file the plan brings, checked and re-encoded, unless the site has it already."""
    tree = plan.tree
    prepared = _Prepared()
    stored = (
        {file.name: file.stored for file in PaperFile.objects.filter(profile=profile)}
        if profile is not None
        else {}
    )
    previous = _previous_assets(profile)
    photo: dict[str, _File] = {}
    jobs: list[_Job] = []

    def unchanged(path: str, record: dict | None) -> bool:
        return (record or {}).get("source_sha256") == _sha(tree.get(path) or b"")

    if plan.photo and not unchanged(plan.photo, profile.photo if profile else None):
        jobs.append(_Job(plan.photo, photo, "photo", PHOTO_WIDTHS, pdf_ok=False))
    for name, path in sorted(plan.paper_files.items()):
        if unchanged(path, stored.get(name)):
            prepared.unchanged_paper_files.add(name)
        else:
            jobs.append(_Job(path, prepared.paper_files, name, PREVIEW_WIDTHS, pdf_ok=True))
    for path in sorted(plan.assets):
        if tree.get(path) is None:
            continue
        name = _asset_file_name(path)
        earlier = previous.get(path)
        if path.startswith("assets/pdf/") and unchanged(path, stored.get(name)):
            prepared.unchanged_paper_files.add(name)
        elif (
            earlier
            and earlier[0] == _sha(tree.get(path) or b"")
            and storage.exists(earlier[1].removeprefix(media.SITE_MEDIA_PATH))
        ):
            prepared.reused_assets[path] = (earlier[0], earlier[1])
        else:
            jobs.append(_Job(path, prepared.assets, path, EDITOR_IMAGE_WIDTHS, pdf_ok=True))
    for account in plan.accounts:
        if not account.file:
            continue
        if tree.get(account.file) is None:
            report.skipped.append(
                (account.file, f"{account.key} names this file, but it is not in the repository.")
            )
            continue
        is_cv = account.network == "cv"
        jobs.append(_Job(account.file, prepared.account_files, account.file, QR_WIDTHS, is_cv))
    for done, job in enumerate(jobs, start=1):
        progress(f"Checking and re-encoding images and PDFs: {done} of {len(jobs)} ({job.path})")
        file = _read(tree, job.path, report, widths=job.widths, pdf_ok=job.pdf_ok)
        if file is not None:
            job.into[job.key] = file
    prepared.photo = photo.get("photo")
    return prepared


def _asset_file_name(path: str) -> str:
    """A PDF the texts link to becomes a file of the site under its own name, made plain."""
    name = path.rsplit("/", 1)[-1]
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "._-+() ") else "-" for c in name)
    return plain.lstrip("._- ")[:200] or "file.pdf"


class _Files:
    """The storage, remembering what this import wrote (to undo it); a dry run writes nothing."""

    def __init__(self, storage: Storage, *, dry_run: bool) -> None:
        self.storage = storage
        self.dry_run = dry_run
        self.written: list[str] = []

    def save(self, name: str, content: Any) -> str:
        if self.dry_run:
            return name
        name = self.storage.save(name, content)
        self.written.append(name)
        return name

    def exists(self, name: str) -> bool:
        return self.storage.exists(name)

    def delete(self, name: str) -> None:
        if not self.dry_run:
            self.storage.delete(name)

    def undo(self) -> None:
        for name in self.written:
            with contextlib.suppress(FileNotFoundError):
                self.storage.delete(name)
        self.written.clear()


# ---------------------------------------------------------------- rows, in the transaction


class _Writer:
    def __init__(
        self,
        plan: ImportPlan,
        prepared: _Prepared,
        profile: Profile,
        files: _Files,
        report: ImportReport,
    ) -> None:
        self.plan = plan
        self.prepared = prepared
        self.profile = profile
        self.files = files
        self.report = report
        self.urls: dict[str, str] = {}
        self.replaced: list[tuple[str, dict]] = []  # (kind, stored) to delete after commit

    def write(self) -> None:
        freed = self._freed()
        try:
            media.check_quota(self.profile.pk, self.prepared.incoming(), freed=freed)
        except ValidationError as error:
            raise ImportRefused(error.messages[0]) from None
        self._paper_files()
        self._assets()
        self._about_page()
        self._social_links()
        self._news()
        self._publications()
        self._coauthors_and_venues()
        self._publication_settings()
        replaced = list(self.replaced)
        if not self.files.dry_run:
            transaction.on_commit(lambda: _delete_replaced(replaced))

    def _freed(self) -> int:
        """Bytes of the files this import replaces (their new versions count instead)."""
        names = set(self.prepared.paper_files) | {
            _asset_file_name(path)
            for path in self.prepared.assets
            if path.startswith("assets/pdf/")
        }
        return sum(
            PaperFile.objects.filter(profile=self.profile, name__in=names).values_list(
                "size", flat=True
            )
        )

    # -- files

    def _store_image(self, file: _File, kind: str, *, reuse: bool = False) -> dict[str, Any]:
        stored = store_image(
            file.image,
            storage=self.files,  # type: ignore[arg-type]
            prefix=media.site_folder(self.profile.pk, kind),
            reuse=reuse,
        )
        stored["source_sha256"] = file.sha256
        return stored

    def _store_pdf(self, file: _File, kind: str) -> dict[str, Any]:
        folder = media.site_folder(self.profile.pk, kind)
        name = self.files.save(f"{folder}{secrets.token_hex(8)}.pdf", ContentFile(file.pdf))
        return {"name": name, "source_sha256": file.sha256}

    def _save_paper_file(self, name: str, file: _File) -> PaperFile:
        tally = self.report.tally("Files of publications and news")
        if file.pdf is not None:
            kind, stored = PaperFile.Kind.DOCUMENT, self._store_pdf(file, "files")
        else:
            kind, stored = PaperFile.Kind.IMAGE, self._store_image(file, "files")
        old = PaperFile.objects.filter(profile=self.profile, name=name).first()
        if old is None:
            tally.added += 1
            return PaperFile.objects.create(
                profile=self.profile, name=name, kind=kind, stored=stored, size=file.size
            )
        tally.updated += 1
        self.replaced.append((old.kind, old.stored))
        old.kind, old.stored, old.size = kind, stored, file.size
        old.save(update_fields=["kind", "stored", "size"])
        return old

    def _paper_files(self) -> None:
        for name, file in self.prepared.paper_files.items():
            self._save_paper_file(name, file)
        unchanged = len(self.prepared.unchanged_paper_files)
        if unchanged:
            self.report.tally("Files of publications and news").unchanged += unchanged

    def _assets(self) -> None:
        """Images and PDFs the texts show: stored, and their addresses put in the texts."""
        kept = {file.name: file for file in PaperFile.objects.filter(profile=self.profile)}
        tally = self.report.tally("Images in your texts") if self.plan.assets else None
        for path in sorted(self.plan.assets):
            file = self.prepared.assets.get(path)
            name = _asset_file_name(path)
            if path in self.prepared.reused_assets:
                sha, self.urls[path] = self.prepared.reused_assets[path]
                self.report.assets[path] = [sha, self.urls[path]]
                if tally:
                    tally.unchanged += 1
            elif file is not None and file.pdf is not None:
                self.urls[path] = file_url(self._save_paper_file(name, file))
            elif file is not None:
                exists = self._upload_exists(file)
                stored = self._store_image(file, "uploads", reuse=True)
                self.urls[path] = media.media_path(largest_fallback_name(stored) or "")
                self.report.assets[path] = [file.sha256, self.urls[path]]
                if tally:
                    tally.unchanged += exists
                    tally.added += not exists
            elif path.startswith("assets/pdf/") and name in kept:
                self.urls[path] = file_url(kept[name])
            else:
                self.urls[path] = "/" + path  # left as written; the report says why
                if self.plan.tree.get(path) is None:
                    self.report.skipped.append(
                        (path, "a text links to this file, but it is not in the repository.")
                    )
        if tally is not None and not (tally.added or tally.unchanged):
            del self.report.tallies["Images in your texts"]

    def _upload_exists(self, file: _File) -> bool:
        probe = _Probe(self.files.storage)
        store_image(
            file.image,
            storage=probe,  # type: ignore[arg-type]
            prefix=media.site_folder(self.profile.pk, "uploads"),
            reuse=True,
        )
        return not probe.missing

    def linked(self, text: str) -> str:
        return ASSET_MARK_RE.sub(lambda m: self.urls.get(m.group(1), "/" + m.group(1)), text)

    # -- the about page

    def _about_page(self) -> None:
        profile = self.profile
        changed: list[str] = []
        for name, value in self.plan.profile.items():
            value = self.linked(value) if isinstance(value, str) else value
            if getattr(profile, name) != value:
                setattr(profile, name, value)
                changed.append(name)
        try:
            profile.clean_fields(
                exclude=[f.name for f in Profile._meta.fields if f.name not in changed]
            )
        except ValidationError as error:
            problems = [
                f"{Profile._meta.get_field(name).verbose_name}: {' '.join(messages)}"
                for name, messages in error.message_dict.items()
            ]
            raise ImportRefused(
                f"{self.plan.about_path or 'The about page'} cannot be imported as it is. "
                + " ".join(problems)
            ) from None
        photo = self.prepared.photo
        if photo is not None and photo.image is not None:
            if profile.photo:
                self.replaced.append(("image", profile.photo))
            profile.photo = self._store_image(photo, "photo")
            changed.append("photo")
        tally = self.report.tally("About page", single=True)
        if self.report.created:
            tally.added = 1
        elif changed:
            tally.updated = 1
        else:
            tally.unchanged = 1
        if changed or self.report.created:
            profile.save()

    # -- social links

    def _social_links(self) -> None:
        if not self.plan.accounts:
            return
        tally = self.report.tally("Social links")
        existing = list(self.profile.social_links.order_by("position", "pk"))
        matched: set[int] = set()
        for position, account in enumerate(self.plan.accounts):
            link = next(
                (
                    link
                    for link in existing
                    if link.pk not in matched
                    and link.network == account.network
                    and (link.network not in ("custom", "website") or link.value == account.value)
                ),
                None,
            )
            file = self.prepared.account_files.get(account.file) if account.file else None
            if account.file and file is None:
                continue  # missing or refused: skipped, with the reason
            if link is None:
                link = SocialLink(profile=self.profile, network=account.network)
                tally.added += 1
            else:
                matched.add(link.pk)
                if self._same_link(link, account, file, position):
                    tally.unchanged += 1
                    continue
                tally.updated += 1
            link.value, link.title, link.icon = account.value, account.title, account.icon
            link.position = position
            if file is not None and file.image is not None:
                if link.image:
                    self.replaced.append(("image", link.image))
                link.image = self._store_image(file, "qr")
            if file is not None and file.pdf is not None:
                if link.document:
                    self.replaced.append(("document", {"name": link.document.name}))
                link.document = self._store_pdf(file, "documents")["name"]
            link.save()
            if link.pk is not None:
                matched.add(link.pk)
        others = [link for link in existing if link.pk not in matched]
        tally.kept += len(others)
        for offset, link in enumerate(others, start=len(self.plan.accounts)):
            if link.position != offset:
                SocialLink.objects.filter(pk=link.pk).update(position=offset)

    @staticmethod
    def _same_link(link: SocialLink, account: Any, file: _File | None, position: int) -> bool:
        if (link.value, link.title, link.icon, link.position) != (
            account.value,
            account.title,
            account.icon,
            position,
        ):
            return False
        if file is None:
            return True
        if file.image is not None:
            return (link.image or {}).get("source_sha256") == file.sha256
        if link.document:
            with contextlib.suppress(OSError), link.document.open("rb") as stored:
                return stored.read() == file.pdf
        return False

    # -- news

    def _news(self) -> None:
        if not self.plan.news and not self.plan.has_news_folder:
            return
        tally = self.report.tally("News items")
        existing = {
            item.source_path: item
            for item in NewsItem.objects.filter(profile=self.profile).exclude(source_path="")
        }
        seen: set[int] = set()
        for news in self.plan.news:
            content = self.linked(news.content)
            item = existing.get(news.path)
            values = {
                "date": news.date,
                "title": news.title,
                "inline": news.inline,
                "content": content,
                "original_text": news.original_text,
            }
            if item is not None:
                seen.add(item.pk)
                if all(getattr(item, name) == value for name, value in values.items()):
                    tally.unchanged += 1
                    continue
                tally.updated += 1
            else:
                item = NewsItem(source_path=news.path, slug=news.slug)
                tally.added += 1
            for name, value in values.items():
                setattr(item, name, value)
            try:
                item.full_clean(exclude=["profile", "slug"])
            except ValidationError as error:
                tally.added -= item.pk is None
                tally.updated -= item.pk is not None
                self.report.skipped.append((news.path, " ".join(error.messages)))
                continue
            save_news_item(profile=self.profile, item=item)
            seen.add(item.pk)
        tally.kept += NewsItem.objects.filter(profile=self.profile).exclude(pk__in=seen).count()

    # -- publications

    def _publications(self) -> None:
        bibliography = self.plan.bibliography
        if bibliography is None or not bibliography.text.strip():
            return
        sources = ", ".join(file for _, file in bibliography.files)
        try:
            result = import_bibtex(
                profile=self.profile,
                text=bibliography.text,
                source=f"al-folio import: {sources}"[:300],
            )
        except BibtexRefused as error:
            self.report.notes.append(Note(sources, 0, f"No publication was imported: {error}"))
            return
        tally = self.report.tally("Publications")
        tally.added, tally.updated = len(result.added), len(result.updated)
        tally.unchanged = len(result.unchanged)
        keys = set(result.added) | set(result.updated) | set(result.unchanged)
        tally.kept = Publication.objects.filter(profile=self.profile).exclude(key__in=keys).count()
        for problem in result.problems:
            file, line = bibliography.where(problem["line"])
            key = f"{problem['key']}: " if problem.get("key") else ""
            self.report.notes.append(Note(file, line, f"{key}{problem['reason']} (left out)"))
        for warning in result.warnings:
            file, line = bibliography.where(warning["line"])
            self.report.notes.append(Note(file, line, f"{warning['key']}: {warning['message']}"))

    def _coauthors_and_venues(self) -> None:
        if self.plan.coauthors is not None:
            tally = self.report.tally("Co-authors")
            wanted = [("\n".join(forms), url) for forms, url in self.plan.coauthors]
            have = {
                (c.name_variants, c.url): c.pk
                for c in Coauthor.objects.filter(profile=self.profile)
            }
            for pair in wanted:
                if pair in have:
                    tally.unchanged += 1
                    del have[pair]
                else:
                    Coauthor.objects.create(
                        profile=self.profile, name_variants=pair[0], url=pair[1]
                    )
                    tally.added += 1
            tally.removed = len(have)
            Coauthor.objects.filter(pk__in=have.values()).delete()
        if self.plan.venues is not None:
            tally = self.report.tally("Venues")
            venues = {v.abbr: v for v in Venue.objects.filter(profile=self.profile)}
            for abbr, color, url in self.plan.venues:
                venue = venues.pop(abbr, None)
                if venue is None:
                    Venue.objects.create(profile=self.profile, abbr=abbr, color=color, url=url)
                    tally.added += 1
                elif (venue.color, venue.url) == (color, url):
                    tally.unchanged += 1
                else:
                    venue.color, venue.url = color, url
                    venue.save(update_fields=["color", "url"])
                    tally.updated += 1
            tally.removed = len(venues)
            Venue.objects.filter(pk__in=[v.pk for v in venues.values()]).delete()

    def _publication_settings(self) -> None:
        wanted: dict[str, Any] = {}
        if self.plan.name_variants:
            wanted["name_variants"] = "\n".join(self.plan.name_variants)
        if self.plan.max_author_limit:
            wanted["max_author_limit"] = self.plan.max_author_limit
        if not wanted:
            return
        settings, _ = PublicationSettings.objects.get_or_create(profile=self.profile)
        changed = [name for name, value in wanted.items() if getattr(settings, name) != value]
        tally = self.report.tally("Publication settings", single=True)
        if changed:
            for name in changed:
                setattr(settings, name, wanted[name])
            settings.save(update_fields=changed)
            if self.report.created:
                tally.added = 1
            else:
                tally.updated = 1
        else:
            tally.unchanged = 1


class _Probe:
    """A storage that only answers `exists`: store_image(reuse=True) without writing."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.missing = False

    def exists(self, name: str) -> bool:
        return self.storage.exists(name)

    def save(self, name: str, content: Any) -> str:
        self.missing = True
        return name


def _delete_replaced(replaced: list[tuple[str, dict]]) -> None:
    for kind, stored in replaced:
        if kind in (PaperFile.Kind.DOCUMENT, "document"):
            with contextlib.suppress(FileNotFoundError):
                default_storage.delete(stored.get("name", ""))
        else:
            delete_stored_image(stored, storage=default_storage)
