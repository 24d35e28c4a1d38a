"""The files an import brings, checked and re-encoded before its transaction opens.

Every image and PDF the plan names goes through the same pipeline as an
upload (profiles.images, profiles.documents), unless the site already has it:
files remember the SHA-256 of the bytes they came from (`source_sha256`), and
images the texts show are remembered by the last import's report.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage

from profiles import media
from profiles.alfolio.archive import SourceTree
from profiles.alfolio.plan import ImportPlan
from profiles.alfolio.report import ImportReport
from profiles.documents import process_pdf
from profiles.images import PHOTO_WIDTHS, ProcessedImage, process_image
from profiles.models import ExportedImage, Profile, SiteImport
from profiles.services import EDITOR_IMAGE_WIDTHS, QR_WIDTHS
from publications.models import PaperFile
from publications.services import PREVIEW_WIDTHS

PDF_SIGNATURE = b"%PDF-"
Progress = Callable[[str], None]


@dataclass
class PreparedFile:
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
class Prepared:
    photo: PreparedFile | None = None
    paper_files: dict[str, PreparedFile] = field(default_factory=dict)  # name -> file
    unchanged_paper_files: set[str] = field(default_factory=set)
    assets: dict[str, PreparedFile] = field(default_factory=dict)  # tree path -> file
    # Images the texts show that the last import stored already: path -> (SHA-256, URL).
    reused_assets: dict[str, tuple[str, str]] = field(default_factory=dict)
    account_files: dict[str, PreparedFile] = field(default_factory=dict)  # tree path -> file

    def incoming(self) -> int:
        files = [self.photo, *self.paper_files.values(), *self.assets.values()]
        return sum(file.size for file in files if file is not None) + sum(
            file.size for file in self.account_files.values()
        )


def was_exported(data: bytes) -> bool:
    return ExportedImage.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists()


def read_file(
    tree: SourceTree, path: str, report: ImportReport, *, widths: tuple[int, ...], pdf_ok: bool
) -> PreparedFile | None:
    """A file checked and re-encoded like an upload; None (and a skipped line) if refused."""
    data = tree.get(path) or b""
    try:
        if data.startswith(PDF_SIGNATURE):
            if not pdf_ok:
                raise ValidationError("This is a PDF where an image belongs.")
            return PreparedFile(path, sha256_of(data), pdf=process_pdf(io.BytesIO(data)))
        image = process_image(io.BytesIO(data), widths=widths, keep_if=was_exported)
        return PreparedFile(path, sha256_of(data), image=image)
    except ValidationError as error:
        report.skipped.append((path, " ".join(error.messages)))
        return None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def previous_assets(profile: Profile | None) -> dict[str, list[str]]:
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
class Job:
    """One file to check and re-encode, and where the result goes."""

    path: str
    into: dict[str, PreparedFile]
    key: str
    widths: tuple[int, ...]
    pdf_ok: bool


def prepare_files(
    plan: ImportPlan,
    profile: Profile | None,
    report: ImportReport,
    *,
    storage: Storage,
    progress: Progress,
) -> Prepared:
    """Every file the plan brings, checked and re-encoded, unless the site has it already."""
    tree = plan.tree
    prepared = Prepared()
    stored = (
        {file.name: file.stored for file in PaperFile.objects.filter(profile=profile)}
        if profile is not None
        else {}
    )
    previous = previous_assets(profile)
    photo: dict[str, PreparedFile] = {}
    jobs: list[Job] = []

    def unchanged(path: str, record: dict | None) -> bool:
        return (record or {}).get("source_sha256") == sha256_of(tree.get(path) or b"")

    if plan.photo and not unchanged(plan.photo, profile.photo if profile else None):
        jobs.append(Job(plan.photo, photo, "photo", PHOTO_WIDTHS, pdf_ok=False))
    for name, path in sorted(plan.paper_files.items()):
        if unchanged(path, stored.get(name)):
            prepared.unchanged_paper_files.add(name)
        else:
            jobs.append(Job(path, prepared.paper_files, name, PREVIEW_WIDTHS, pdf_ok=True))
    for path in sorted(plan.assets):
        if tree.get(path) is None:
            continue
        name = asset_file_name(path)
        earlier = previous.get(path)
        if path.startswith("assets/pdf/") and unchanged(path, stored.get(name)):
            prepared.unchanged_paper_files.add(name)
        elif (
            earlier
            and earlier[0] == sha256_of(tree.get(path) or b"")
            and storage.exists(earlier[1].removeprefix(media.SITE_MEDIA_PATH))
        ):
            prepared.reused_assets[path] = (earlier[0], earlier[1])
        else:
            jobs.append(Job(path, prepared.assets, path, EDITOR_IMAGE_WIDTHS, pdf_ok=True))
    for account in plan.accounts:
        if not account.file:
            continue
        if tree.get(account.file) is None:
            report.skipped.append(
                (account.file, f"{account.key} names this file, but it is not in the repository.")
            )
            continue
        is_cv = account.network == "cv"
        jobs.append(Job(account.file, prepared.account_files, account.file, QR_WIDTHS, is_cv))
    for done, job in enumerate(jobs, start=1):
        progress(f"Checking and re-encoding images and PDFs: {done} of {len(jobs)} ({job.path})")
        file = read_file(tree, job.path, report, widths=job.widths, pdf_ok=job.pdf_ok)
        if file is not None:
            job.into[job.key] = file
    prepared.photo = photo.get("photo")
    return prepared


def asset_file_name(path: str) -> str:
    """A PDF the texts link to becomes a file of the site under its own name, made plain."""
    name = path.rsplit("/", 1)[-1]
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "._-+() ") else "-" for c in name)
    return plain.lstrip("._- ")[:200] or "file.pdf"
