"""The rows of an import, written in its transaction: compared first, written when they differ.

The files prepared before (profiles.alfolio.prepare) are stored here through
a TrackedStorage, which remembers what it wrote so that a failed import can
delete it; the files an import replaces are deleted only after commit.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import transaction

from news.models import NewsItem
from news.services import save_news_item
from profiles import media
from profiles.alfolio.plan import ASSET_MARK_RE, ImportPlan, ImportRefused
from profiles.alfolio.prepare import Prepared, PreparedFile, asset_file_name
from profiles.alfolio.repair import Note
from profiles.alfolio.report import ImportReport
from profiles.images import delete_stored_image, largest_fallback_name, store_image
from profiles.models import Profile, SocialLink
from publications.entries import file_url
from publications.models import Coauthor, PaperFile, Publication, PublicationSettings, Venue
from publications.services import ImportRefused as BibtexRefused
from publications.services import import_bibtex


class TrackedStorage:
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


class SiteWriter:
    def __init__(
        self,
        plan: ImportPlan,
        prepared: Prepared,
        profile: Profile,
        files: TrackedStorage,
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
            transaction.on_commit(lambda: delete_replaced(replaced))

    def _freed(self) -> int:
        """Bytes of the files this import replaces (their new versions count instead)."""
        names = set(self.prepared.paper_files) | {
            asset_file_name(path) for path in self.prepared.assets if path.startswith("assets/pdf/")
        }
        return sum(
            PaperFile.objects.filter(profile=self.profile, name__in=names).values_list(
                "size", flat=True
            )
        )

    # -- files

    def _store_image(self, file: PreparedFile, kind: str, *, reuse: bool = False) -> dict[str, Any]:
        stored = store_image(
            file.image,
            storage=self.files,  # type: ignore[arg-type]
            prefix=media.site_folder(self.profile.pk, kind),
            reuse=reuse,
        )
        stored["source_sha256"] = file.sha256
        return stored

    def _store_pdf(self, file: PreparedFile, kind: str) -> dict[str, Any]:
        folder = media.site_folder(self.profile.pk, kind)
        name = self.files.save(f"{folder}{secrets.token_hex(8)}.pdf", ContentFile(file.pdf))
        return {"name": name, "source_sha256": file.sha256}

    def _save_paper_file(self, name: str, file: PreparedFile) -> PaperFile:
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
            name = asset_file_name(path)
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

    def _upload_exists(self, file: PreparedFile) -> bool:
        probe = ExistenceProbe(self.files.storage)
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
    def _same_link(
        link: SocialLink, account: Any, file: PreparedFile | None, position: int
    ) -> bool:
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


class ExistenceProbe:
    """A storage that only answers `exists`: store_image(reuse=True) without writing."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.missing = False

    def exists(self, name: str) -> bool:
        return self.storage.exists(name)

    def save(self, name: str, content: Any) -> str:
        self.missing = True
        return name


def delete_replaced(replaced: list[tuple[str, dict]]) -> None:
    for kind, stored in replaced:
        if kind in (PaperFile.Kind.DOCUMENT, "document"):
            with contextlib.suppress(FileNotFoundError):
                default_storage.delete(stored.get("name", ""))
        else:
            delete_stored_image(stored, storage=default_storage)
