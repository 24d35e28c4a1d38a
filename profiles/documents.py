"""Uploaded PDF documents (researchers' CVs): check, clean, re-write.

Nothing about an upload is trusted. The bytes must start with "%PDF-" and
parse as a PDF with at least one page, every page is read, and the pages are
copied into a brand-new file. Only the pages travel: the document's
JavaScript, open action, additional actions, embedded files, forms, outline,
XMP metadata and everything else hanging off the catalog stay behind. On the
pages themselves, additional actions are removed, and so are annotations that
run code, embed files or play media; ordinary links to web pages are kept,
since a CV links to papers.

Refusals are ValidationErrors with a message that says what to do and a code:
  - not_pdf: the file is empty, or does not start with "%PDF-";
  - too_large: more than MAX_DOCUMENT_BYTES;
  - corrupt: it starts with "%PDF-" but cannot be read, or has no pages (a
    PDF header followed by HTML lands here: it claims to be a PDF, and the
    helpful advice is the same as for a damaged file: export it again);
  - encrypted: it needs a password, or its encryption needs a library we do
    not install (AES: pypdf's "crypto" extra);
  - too_many_pages: more than MAX_PAGES;
  - too_complex: reading it took longer than MAX_SECONDS. Realistic CVs take
    well under a second, but pypdf is pure Python and forgiving: a file with
    tens of thousands of objects, or with a cross-reference table whose
    offsets are all wrong (each object is then searched for in the whole
    file), could otherwise keep a worker busy for minutes.
"""

from __future__ import annotations

import io
import time
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files import File
from pypdf import PageObject, PasswordType, PdfReader, PdfWriter, apply_configuration
from pypdf.constants import AnnotationDictionaryAttributes
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from profiles.media import read_upload

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# A CV never has more; the cap keeps a hostile file from making us walk
# 100,000 pages.
MAX_PAGES = 200
# Wall-clock time for reading and re-writing, checked each time pypdf looks
# up an object. Far above any realistic CV (see the module docstring).
MAX_SECONDS = 5.0
# Every entry of the page tree (pages and the nodes grouping them) counts.
# Honest writers group pages by about ten, so a document within MAX_PAGES
# stays far below this; a file claiming few pages but holding many stops here
# (too_many_pages, without a count).
_MAX_PAGE_TREE_ENTRIES = 4 * MAX_PAGES
_MAX_PAGE_TREE_DICTIONARY_ENTRIES = 250 * MAX_PAGES
# Acrobat requires "%%EOF" within the last 1024 bytes; a file cut short in an
# upload has none. (Trailing garbage after %%EOF is allowed up to that much.)
_EOF_WINDOW = 1024
_MAX_INFO_LENGTH = 1000  # characters kept of the Title and Author

# Annotations that embed files, are form fields or play media.
_UNSAFE_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/Widget", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}
)
# Actions that run code, open other files or programs, send data or play media.
_UNSAFE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/RichMediaExecute",
        "/Movie",
        "/Sound",
    }
)
_UNSAFE_URI_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
# Left out of every copied object, however deep: additional actions (/AA),
# JavaScript source (/JS), action chains (/Next, which can hide a script
# behind a harmless link), replies pointing at dropped annotations (/IRT), XMP
# metadata and application private data (/PieceInfo, sometimes a whole
# Illustrator file).
_EXCLUDED_KEYS = ("/AA", "/JS", "/Next", "/IRT", "/Metadata", "/PieceInfo")


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _not_pdf(first_sentence: str) -> ValidationError:
    return _refuse(
        f"{first_sentence} Please upload your CV as a PDF file "
        "(in your word processor, use Export or Save as PDF).",
        "not_pdf",
    )


def _corrupt() -> ValidationError:
    return _refuse(
        "This PDF is damaged or incomplete, so we cannot read it. Please export your CV "
        "to PDF again (or open it and use Print, then Save as PDF) and upload the new file.",
        "corrupt",
    )


def _encrypted() -> ValidationError:
    return _refuse(
        "This PDF is protected with a password or encryption, so we cannot read it. "
        "Please save a copy without a password (for example with Print, then Save as PDF) "
        "and upload that copy.",
        "encrypted",
    )


def _too_complex() -> ValidationError:
    return _refuse(
        "This PDF is too complex for us to check in reasonable time (it may also be partly "
        "damaged). Please save a simpler copy (open it and use Print, then Save as PDF) "
        "and upload that copy.",
        "too_complex",
    )


def _too_many_pages(count: int | None = None) -> ValidationError:
    what = f"This PDF has {count} pages" if count else "This PDF has too many pages"
    return _refuse(
        f"{what}; the most we accept is {MAX_PAGES}. "
        "Please upload a shorter document: a CV rarely needs more than a few pages.",
        "too_many_pages",
    )


def _read_limited(upload: File | BinaryIO) -> bytes:
    """The upload's bytes; too_large without reading it all when it is too big."""
    too_large = _refuse(
        f"This file is larger than the {_megabytes(MAX_DOCUMENT_BYTES)} limit. "
        "Please upload a smaller PDF: export it with smaller images "
        "(often called 'Reduce file size' or 'Minimum size').",
        "too_large",
    )
    return read_upload(upload, limit=MAX_DOCUMENT_BYTES, too_large=too_large)


class _OutOfTime(Exception):
    pass


class _Budget:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.exhausted = False

    def check(self) -> None:
        # Once out of time, every later check fails too, so pypdf code that
        # swallows exceptions cannot keep working for long; `exhausted` tells
        # the caller why the result is unusable.
        if self.exhausted or time.monotonic() > self.deadline:
            self.exhausted = True
            raise _OutOfTime


class _BudgetedReader(PdfReader):
    """A non-strict PdfReader that stops when the time budget is spent.

    Every object pypdf reads from the file goes through get_object, so this is
    where the slow paths (object repair, page tree walks, copying) are cut off.
    """

    def __init__(self, stream: BinaryIO, budget: _Budget) -> None:
        self._upload_budget = budget  # before super(): reading the trailer looks objects up
        super().__init__(stream, strict=False)

    def get_object(self, indirect_reference: int | IndirectObject) -> PdfObject | None:
        self._upload_budget.check()
        return super().get_object(indirect_reference)


def _declared_page_count(reader: PdfReader) -> int | None:
    """The page count the file states (honest files only: it is never trusted)."""
    try:
        count = reader.root_object["/Pages"].get_object()["/Count"]
    except Exception:  # missing or malformed: the real walk decides
        return None
    return count if isinstance(count, int) else None


def _action_is_unsafe(action: object) -> bool:
    action = action.get_object() if isinstance(action, IndirectObject) else action
    if not isinstance(action, DictionaryObject):
        return False  # not an action at all; viewers ignore it
    kind = action.get("/S")
    if kind in _UNSAFE_ACTIONS:
        return True
    if kind == "/URI":
        uri = action.get("/URI")
        uri = uri.get_object() if isinstance(uri, IndirectObject) else uri
        # Viewers drop control characters and spaces around a scheme.
        text = "".join(ch for ch in str(uri or "") if ch > " ").lower()
        return text.startswith(_UNSAFE_URI_SCHEMES)
    return False


def _keep_annotation(annotation: object) -> bool:
    try:
        annotation = annotation.get_object() if hasattr(annotation, "get_object") else annotation
        if not isinstance(annotation, DictionaryObject):
            return False
        if annotation.get(AnnotationDictionaryAttributes.Subtype) in _UNSAFE_ANNOTATIONS:
            return False
        return not _action_is_unsafe(annotation.get("/A"))
    except (DependencyError, FileNotDecryptedError, _OutOfTime):
        raise
    except Exception:  # an unreadable annotation is not worth keeping
        return False


def _clean_page(page: PageObject) -> None:
    """Drop the page's additional actions and unsafe annotations, in the reader.

    The reader's own objects are changed, not only this PageObject: a link on
    another page may point at this one, and pypdf copies what the link points
    at as it is stored. Nothing is written back to the upload.
    """
    stored = page.indirect_reference.get_object() if page.indirect_reference else None
    targets = [page] if stored is None or stored is page else [page, stored]
    annotations = page.get("/Annots")
    kept = None
    if annotations is not None:
        annotations = annotations.get_object()
        entries = annotations if isinstance(annotations, ArrayObject) else []
        kept = ArrayObject(entry for entry in entries if _keep_annotation(entry))
    for target in targets:
        if not isinstance(target, DictionaryObject):
            continue
        target.pop(NameObject("/AA"), None)
        if kept is not None:
            if kept:
                target[NameObject("/Annots")] = kept
            else:
                target.pop(NameObject("/Annots"), None)


def _document_info(reader: PdfReader) -> dict[str, str]:
    """Title and Author, when the file has readable ones; nothing else."""
    try:
        info = reader.metadata
        pairs = {"/Title": info.title, "/Author": info.author} if info else {}
    except (DependencyError, FileNotDecryptedError, _OutOfTime):
        raise
    except Exception:  # a broken info dictionary never blocks a good CV
        return {}
    return {
        key: value.strip()[:_MAX_INFO_LENGTH]
        for key, value in pairs.items()
        if isinstance(value, str) and value.strip()
    }


def _rewrite(data: bytes, budget: _Budget) -> bytes:
    reader = _BudgetedReader(io.BytesIO(data), budget)
    if reader.is_encrypted:
        # Only an empty user password (an "owner password" that merely asks
        # viewers to forbid printing or copying) is tried.
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # AES without a crypto library, unknown handler...
            raise _encrypted() from exc
        if opened == PasswordType.NOT_DECRYPTED:
            raise _encrypted()

    declared = _declared_page_count(reader)
    if declared is not None and declared > MAX_PAGES:
        raise _too_many_pages(declared)
    try:
        count = len(reader.pages)  # walks the page tree, bounded by _MAX_PAGE_TREE_ENTRIES
    except LimitReachedError as exc:
        raise _too_many_pages() from exc
    if count > MAX_PAGES:
        raise _too_many_pages(count)
    if count == 0:
        raise _refuse(
            "This PDF has no pages. Please export your CV to PDF again and upload the new file.",
            "corrupt",
        )

    pages = list(reader.pages)
    for page in pages:
        budget.check()
        # Non-strict pypdf tolerates a lot; a page without a readable size
        # cannot be shown, so the file is broken. (Any two opposite corners
        # make a valid box, so the width may be negative.)
        box = page.mediabox
        if not (abs(box.width) > 0 and abs(box.height) > 0):
            raise _corrupt()
    # Clean every page before copying any: copying follows links to other pages.
    for page in pages:
        budget.check()
        _clean_page(page)

    writer = PdfWriter()
    for page in pages:
        budget.check()
        writer.add_page(page, excluded_keys=_EXCLUDED_KEYS)
    info = _document_info(reader)
    if info:
        writer.add_metadata(info)
    budget.check()
    output = io.BytesIO()
    writer.write(output)
    # pypdf swallows some errors while copying; if one was ours, the copy
    # may be missing objects.
    budget.check()
    return output.getvalue()


def process_pdf(upload: File | BinaryIO) -> bytes:
    """Validate an uploaded PDF and return a cleaned re-written copy (raises ValidationError).

    Raises ValidationError with code not_pdf, too_large, corrupt, encrypted,
    too_many_pages or too_complex, and a message that says what to do instead.
    """
    data = _read_limited(upload)
    if not data:
        raise _not_pdf("This file is empty.")
    if not data.startswith(b"%PDF-"):
        raise _not_pdf("This file is not a PDF.")
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise _corrupt()

    # pypdf's configuration is per context (a ContextVar), so this does not
    # leak into other requests or threads.
    limits = apply_configuration(
        page_tree_maximum_entries=_MAX_PAGE_TREE_ENTRIES,
        page_tree_maximum_page_entries=_MAX_PAGE_TREE_DICTIONARY_ENTRIES,
    )
    budget = _Budget(MAX_SECONDS)
    try:
        with limits:
            return _rewrite(data, budget)
    except ValidationError:
        if budget.exhausted:  # the refusal came from a half-read file
            raise _too_complex() from None
        raise
    except _OutOfTime as exc:
        raise _too_complex() from exc
    except (DependencyError, FileNotDecryptedError) as exc:
        # Encrypted strings and streams are only decrypted when read, so AES
        # without a crypto library may surface here rather than in decrypt().
        raise _encrypted() from exc
    except Exception as exc:  # anything pypdf could not cope with: never a 500
        if budget.exhausted:
            raise _too_complex() from exc
        raise _corrupt() from exc
