"""An al-folio site as the importer receives it: a folder, a .zip or one about.md, as a SourceTree.

The input is hostile until read: a zip may climb out of its folder (`../`),
hold links, lie about its sizes or unpack to gigabytes; a folder may link to
files outside it or hold a node_modules of 100,000 files. Every check here
runs before the importer sees a byte, and a refusal (ArchiveRefused) says
what is wrong and what to do, so the importer writes nothing.

Only the files the importer reads are kept (KEPT_FILES), as bytes: decoding
and repairing text is the importer's job. Paths are POSIX, relative to the
repository's top, compared case-sensitively as Jekyll does; GitHub's
"Download ZIP" top folder (`repo-main/`) is stripped.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

MB = 1024 * 1024

MAX_ARCHIVE_BYTES = 50 * MB  # a zip, or a single about.md upload, as given
MAX_FOLDER_BYTES = 200 * MB  # the kept files of a folder, in all
MAX_UNPACKED_BYTES = 200 * MB  # the declared sizes of the zip members we read, in all
MAX_ZIP_ENTRIES = 5_000  # every member, kept or not, folders included
MAX_FOLDER_PATHS = 20_000  # paths seen while walking a folder
MAX_COMPRESSION_RATIO = 100  # ... for a member over RATIO_CHECKED_FROM bytes
RATIO_CHECKED_FROM = 1 * MB
MAX_MEDIA_FILE_BYTES = 10 * MB  # one image or PDF; a larger one is skipped
MAX_TEXT_FILE_BYTES = 2 * MB  # one text file; a larger one is skipped
# zipfile parses the whole central directory before anyone can count its
# entries; this bounds that parse (a real record is 100-300 bytes).
MAX_DIRECTORY_BYTES = MAX_ZIP_ENTRIES * 1024

# Folders never walked into, wherever they are: build output, caches, packages.
SKIPPED_FOLDERS = frozenset({".git", "node_modules", "_site", "vendor", ".jekyll-cache"})

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# Images in assets/img/ we cannot import; listed in `skipped` so the importer can say why.
UNSUPPORTED_IMAGE_SUFFIXES = (".svg", ".heic", ".heif", ".avif", ".tif", ".tiff", ".bmp")
TEXT_PAGE_SUFFIXES = (".md", ".markdown", ".html")


@dataclass(frozen=True)
class KeptFiles:
    """One kind of file the importer reads.

    `folder` is "" for the top level or ends in "/"; names are compared
    exactly, suffixes lower-cased (Jekyll matches extensions that way).
    Dot files (.DS_Store, macOS's ._about.md) are never kept.
    """

    folder: str
    suffixes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    nested: bool = False  # subfolders too, at any depth
    media: bool = False  # an image or a PDF: MAX_MEDIA_FILE_BYTES, else MAX_TEXT_FILE_BYTES

    @property
    def limit(self) -> int:
        return MAX_MEDIA_FILE_BYTES if self.media else MAX_TEXT_FILE_BYTES

    def matches(self, path: str) -> bool:
        if not path.startswith(self.folder):
            return False
        rest = path[len(self.folder) :]
        if not self.nested and "/" in rest:
            return False
        base = rest.rsplit("/", 1)[-1]
        if not base or base.startswith("."):
            return False
        return base in self.names or base.lower().endswith(self.suffixes or ("\0",))


# What the importer reads; extend it here (everything else is left out silently).
KEPT_FILES: tuple[KeptFiles, ...] = (
    KeptFiles(
        "",
        names=("_config.yml", "about.md", "about.markdown", "index.md", "index.markdown"),
    ),
    KeptFiles("_pages/", TEXT_PAGE_SUFFIXES, nested=True),
    KeptFiles("_data/", (".yml", ".yaml")),
    KeptFiles("_news/", TEXT_PAGE_SUFFIXES, nested=True),  # _news/en-us/... on multi-language sites
    KeptFiles("_bibliography/", (".bib",)),
    KeptFiles("assets/img/", IMAGE_SUFFIXES, nested=True, media=True),
    KeptFiles("assets/pdf/", (".pdf",), nested=True, media=True),
)
# A single top folder with one of these names is the repository's own, never GitHub's wrapper.
_KEPT_ROOTS = frozenset(rule.folder.split("/", 1)[0] for rule in KEPT_FILES if rule.folder)

# Where the about page may be, in the order the importer prefers them.
ABOUT_PAGE_CANDIDATES: tuple[str, ...] = (
    "_pages/about.md",
    "_pages/about.markdown",
    "about.md",
    "about.markdown",
    "index.md",
    "index.markdown",
    "_pages/<lang>/about.md",
)
_LANGUAGE_ABOUT_PAGE = re.compile(r"_pages/[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*/about\.md")
_DRIVE_LETTER = re.compile(r"[A-Za-z]:")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
_BINARY_CHARACTER = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # text has tabs, newlines, form feeds

_REZIP = (
    'Zip the site\'s folder again with your computer\'s own "Compress" or "Send to > '
    'Compressed folder", or use GitHub\'s "Code > Download ZIP".'
)
_ONLY_WHAT_WE_READ = (
    "Zip only what the import reads: _config.yml and the folders _pages, _data, _news, "
    "_bibliography, assets/img and assets/pdf."
)


class ArchiveRefused(ValueError):
    """The input is refused as a whole; the message says what is wrong and what to do."""


@dataclass
class SourceTree:
    """The files of an al-folio site the importer needs, as bytes, by relative POSIX path."""

    name: str  # what the researcher gave: "pengr.github.io-main.zip", "about.md", a folder name
    files: dict[str, bytes] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why), on purpose

    def text_paths(self, prefix: str) -> list[str]:
        """Sorted paths under a folder ("_news/" or "_news"), at any depth."""
        prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        return sorted(path for path in self.files if path.startswith(prefix))

    def get(self, path: str) -> bytes | None:
        return self.files.get(path)


def kept_rule(path: str) -> KeptFiles | None:
    """The KEPT_FILES entry a relative path falls under; None when the importer never reads it."""
    return next((rule for rule in KEPT_FILES if rule.matches(path)), None)


def find_about_pages(tree: SourceTree) -> list[str]:
    """The about pages a tree holds, most preferred first (see ABOUT_PAGE_CANDIDATES)."""
    found = [path for path in ABOUT_PAGE_CANDIDATES if path in tree.files]
    found += sorted(path for path in tree.files if _LANGUAGE_ABOUT_PAGE.fullmatch(path))
    return found


# ---------------------------------------------------------------- dispatch


def read_source(path: Path) -> SourceTree:
    """What the management command was given: a folder, a .zip or an about.md."""
    path = Path(path)
    if path.is_dir():
        return read_folder(path)
    if not path.is_file():
        raise ArchiveRefused(f"There is no file or folder at {path}.")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return read_zip(path, name=path.name)
    if suffix in (".md", ".markdown"):
        with path.open("rb") as file:
            data = file.read(MAX_TEXT_FILE_BYTES + 1)
        return read_about_file(data, name=path.name)
    raise ArchiveRefused(
        f"{path.name} is neither a folder, a .zip nor an about page (.md or .markdown). "
        "Give the folder of the site's repository, a .zip of it, or its _pages/about.md."
    )


def read_upload(upload) -> SourceTree:
    """An uploaded file (Django's UploadedFile): a zip by its content, else an about.md."""
    name = os.path.basename(getattr(upload, "name", None) or "upload")
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > MAX_ARCHIVE_BYTES:
        raise _too_large_archive(name, size)
    with contextlib.suppress(AttributeError, OSError, ValueError):
        upload.seek(0)  # a form may have read it already
    head = upload.read(4)
    stream = _rewound(upload, head)
    if head in (b"PK\x03\x04", b"PK\x05\x06"):  # an empty zip starts with its end record
        return read_zip(stream, name=name)
    data = stream.read(MAX_TEXT_FILE_BYTES + 1)
    if len(data) > MAX_TEXT_FILE_BYTES:
        raise ArchiveRefused(
            f"{name} is not a zip archive, and at {_size(size or len(data))} it is too large "
            f"for an about page (the limit is {_size(MAX_TEXT_FILE_BYTES)}). Upload a .zip "
            "of the site's repository, or its _pages/about.md."
        )
    return read_about_file(data, name=name)


def read_about_file(data: bytes, *, name: str) -> SourceTree:
    """A single about page, as if it were the repository's _pages/about.md."""
    if len(data) > MAX_TEXT_FILE_BYTES:
        raise ArchiveRefused(
            f"{name} is {_size(len(data))}; an about page may be at most "
            f"{_size(MAX_TEXT_FILE_BYTES)}. Is it the right file?"
        )
    problem = _not_markdown(data)
    if problem:
        raise ArchiveRefused(
            f"{name} {problem}. Upload a .zip of the site's repository, or its "
            "_pages/about.md as it is (a text file starting with ---)."
        )
    return SourceTree(name=name, files={"_pages/about.md": data})


# ---------------------------------------------------------------- folders


def read_folder(path: Path) -> SourceTree:
    """The kept files of a folder on disk (a clone of the repository)."""
    given = Path(path)
    if not given.is_dir():
        raise ArchiveRefused(f"There is no folder at {given}.")
    root = given.resolve()
    tree = SourceTree(name=given.name or root.name)
    try:
        _read_kept_files(root, tree)
    except OSError as error:  # unreadable, or swapped for a link after the checks
        raise ArchiveRefused(
            f"{tree.name} cannot be read: {error.strerror or error} ({error.filename}). "
            "Give a plain copy of the repository that you can read."
        ) from None
    _require_about_page(tree)
    return tree


def _read_kept_files(root: Path, tree: SourceTree) -> None:
    total = 0
    for relative, entry in _walk(root):
        rule = kept_rule(relative)
        if rule is None:
            if entry.is_symlink() and entry.is_dir() and _may_hold_kept(relative):
                raise _link_refused(tree.name, relative)
            _skip_unsupported_image(tree, relative)
            continue
        _check_name(tree.name, relative)
        if entry.is_symlink():
            raise _link_refused(tree.name, relative)
        info = entry.stat(follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            raise ArchiveRefused(
                f"{relative} in {tree.name} is not an ordinary file (a device or a pipe?). "
                "Give a plain copy of the repository."
            )
        if not Path(entry.path).resolve().is_relative_to(root):
            raise _link_refused(tree.name, relative)
        if info.st_size > rule.limit:
            tree.skipped.append((relative, _too_large_file(rule, info.st_size)))
            continue
        data = _read_file(entry.path, rule.limit)
        if len(data) > rule.limit:  # it grew while we looked
            tree.skipped.append((relative, _too_large_file(rule, len(data))))
            continue
        total += len(data)
        if total > MAX_FOLDER_BYTES:
            raise ArchiveRefused(
                f"The files the import reads in {tree.name} come to more than "
                f"{_size(MAX_FOLDER_BYTES)}, the limit. Move large images and PDFs out of "
                "assets/img and assets/pdf, and add them from the dashboard later."
            )
        tree.files[relative] = data


def _walk(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) of every non-folder in the folders that may hold kept files.

    Symlinked folders are listed, never entered; SKIPPED_FOLDERS and folders
    that cannot hold a kept file are not entered at all.
    """
    seen = 0
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(root / folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        for entry in entries:
            seen += 1
            if seen > MAX_FOLDER_PATHS:
                raise ArchiveRefused(
                    f"This folder holds more than {MAX_FOLDER_PATHS:,} files where the import "
                    f"looks. Give a plain clone of the site's repository. {_ONLY_WHAT_WE_READ}"
                )
            relative = f"{folder}/{entry.name}" if folder else entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_FOLDERS and _may_hold_kept(relative):
                    pending.append(relative)
            else:
                yield relative, entry


def _may_hold_kept(folder: str) -> bool:
    """Whether a kept file may be somewhere under this relative folder."""
    folder += "/"
    return any(
        rule.folder.startswith(folder) or (rule.nested and folder.startswith(rule.folder))
        for rule in KEPT_FILES
        if rule.folder
    )


def _read_file(path: str, limit: int) -> bytes:
    # O_NOFOLLOW: a file swapped for a link after the checks is refused by the system.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as file:
        return file.read(limit + 1)


# ---------------------------------------------------------------- zips


def read_zip(data: BinaryIO | Path, *, name: str) -> SourceTree:
    """The kept files of a zip archive (a file on disk, or an open binary stream)."""
    with _zip_stream(data, name) as (stream, size):
        if stream.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
            raise _unreadable(name, "it does not start as a zip archive does")
        try:
            _check_end_record(stream, size, name)
            with zipfile.ZipFile(stream) as archive:
                return _read_archive(archive, name)
        except ArchiveRefused:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            struct.error,
            EOFError,
            OSError,
            RuntimeError,
            NotImplementedError,
            UnicodeError,
            ValueError,
        ) as error:
            raise _unreadable(name, str(error) or type(error).__name__) from None


@contextlib.contextmanager
def _zip_stream(data: BinaryIO | Path | str, name: str) -> Iterator[tuple[BinaryIO, int]]:
    """A seekable stream at the archive's start, and its size, after the size limit."""
    if isinstance(data, str | os.PathLike):
        try:
            file = open(data, "rb")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise ArchiveRefused(f"{name} cannot be opened: {error.strerror}.") from None
        with file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_ARCHIVE_BYTES:
                raise _too_large_archive(name, size)
            yield file, size
        return
    try:
        data.seek(0)
        size = data.seek(0, io.SEEK_END)
        data.seek(0)
        stream = data
    except (AttributeError, OSError, ValueError):  # a stream that cannot seek: read it
        content = data.read(MAX_ARCHIVE_BYTES + 1)
        size, stream = len(content), io.BytesIO(content)
    if size > MAX_ARCHIVE_BYTES:
        raise _too_large_archive(name, size)
    yield stream, size


def _check_end_record(stream: BinaryIO, size: int, name: str) -> None:
    """Count the entries from the zip's end record, before zipfile parses them all.

    A missing or odd end record is left to zipfile to report. The count may
    lie (zipfile does not use it), so the directory's size is bounded too, and
    the members are counted again once parsed.
    """
    tail_size = min(size, 22 + 0xFFFF)  # the end record, and a comment of at most 64 KB
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return
    entries, directory_size = struct.unpack("<xxxxxxxxxxHL", tail[at : at + 16])
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator[:4] == b"PK\x06\x07":  # Zip64: the true figures are in another record
        (record_at,) = struct.unpack("<xxxxxxxxQxxxx", locator)
        if record_at + 56 <= size:
            stream.seek(record_at)
            record = stream.read(56)
            if record[:4] == b"PK\x06\x06":
                entries, directory_size = struct.unpack("<32xQQ8x", record)
    if entries > MAX_ZIP_ENTRIES:
        raise _too_many_entries(entries)
    if directory_size > MAX_DIRECTORY_BYTES:
        raise ArchiveRefused(
            f"The list of files in {name} takes {_size(directory_size)}; "
            f"{_size(MAX_DIRECTORY_BYTES)} is more than enough for the limit of "
            f"{MAX_ZIP_ENTRIES:,} files. {_ONLY_WHAT_WE_READ}"
        )


def _read_archive(archive: zipfile.ZipFile, name: str) -> SourceTree:
    members = archive.infolist()
    if len(members) > MAX_ZIP_ENTRIES:
        raise _too_many_entries(len(members))
    for info in members:
        _check_member(info, name)
    prefix = _common_top_folder([_member_name(info) for info in members])

    tree = SourceTree(name=name)
    wanted: dict[str, tuple[zipfile.ZipInfo, KeptFiles]] = {}
    for info in members:
        member = _member_name(info)
        if info.is_dir() or member.startswith("__MACOSX/"):
            continue
        parts = member[len(prefix) :].split("/")
        relative = "/".join(part for part in parts if part not in ("", "."))
        rule = kept_rule(relative)
        if rule is None:
            _skip_unsupported_image(tree, relative)
            continue
        if relative in wanted:
            raise ArchiveRefused(
                f"{name} holds two files named {relative}, so we cannot tell which one you "
                f"mean. {_REZIP}"
            )
        if info.file_size > rule.limit:
            tree.skipped.append((relative, _too_large_file(rule, info.file_size)))
            continue
        wanted[relative] = (info, rule)

    declared = sum(info.file_size for info, _ in wanted.values())
    if declared > MAX_UNPACKED_BYTES:
        raise ArchiveRefused(
            f"The files the import reads in {name} unpack to {_size(declared)}, more than "
            f"the limit of {_size(MAX_UNPACKED_BYTES)}. {_ONLY_WHAT_WE_READ} Large images "
            "and PDFs can be added from the dashboard later."
        )
    for relative, (info, rule) in wanted.items():
        # zipfile stops at the declared size (then checks the CRC); the cap is a second lock.
        with archive.open(info) as member:
            data = member.read(rule.limit + 1)
        if len(data) > info.file_size:
            raise ArchiveRefused(
                f"{relative} in {name} holds more than its header says, which only a forged "
                f"archive does. {_REZIP}"
            )
        tree.files[relative] = data
    _require_about_page(tree)
    return tree


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; UTF-8 names from zip tools that do not flag them are read as UTF-8."""
    name = info.orig_filename
    if not info.flag_bits & 0x800:  # zipfile read the name as cp437: undo that if it was UTF-8
        with contextlib.suppress(UnicodeError):
            name = name.encode("cp437").decode("utf-8")
    return name


def _check_member(info: zipfile.ZipInfo, name: str) -> None:
    """Refuse the whole archive for a member no honest repository zip holds."""
    member = _member_name(info)
    _check_name(name, member)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _link_refused(name, member)
    if info.flag_bits & 0x1:
        raise ArchiveRefused(
            f"{name} is password-protected ({member} is encrypted). Zip the folder again "
            "without a password."
        )
    if (
        not info.is_dir()
        and info.file_size > RATIO_CHECKED_FROM
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    ):
        raise ArchiveRefused(
            f"{name} looks like a zip bomb: {member} unpacks from "
            f"{_size(info.compress_size)} to {_size(info.file_size)}, more than "
            f"{MAX_COMPRESSION_RATIO} times its packed size (the limit, for files over "
            f"{_size(RATIO_CHECKED_FROM)}). If it is an honest file, leave it out of the zip."
        )


def _common_top_folder(names: list[str]) -> str:
    """The top folder ("repo-main/") when every member is under it, as in GitHub's Download ZIP."""
    names = [name for name in names if not name.startswith("__MACOSX/")]
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or not all("/" in name for name in names):
        return ""
    (top,) = tops
    return "" if top in _KEPT_ROOTS or top in (".", "") else top + "/"


# ---------------------------------------------------------------- shared checks


def _check_name(source: str, path: str) -> None:
    problem = None
    if _CONTROL_CHARACTER.search(path):
        problem = "holds a control character (such as NUL)"
    elif path.startswith("/"):
        problem = "is an absolute path"
    elif _DRIVE_LETTER.match(path):
        problem = "starts with a drive letter"
    elif "\\" in path:
        problem = "holds a backslash"
    elif ".." in path.split("/"):
        problem = "points outside the archive (..)"
    elif any(0xD800 <= ord(character) <= 0xDFFF for character in path):
        problem = "is not valid text"
    if problem:
        raise ArchiveRefused(
            f"{source} is refused: the file name {path!r} {problem}. A repository never "
            f"holds such a name. {_REZIP}"
        )


def _require_about_page(tree: SourceTree) -> None:
    if find_about_pages(tree):
        return
    places = ", ".join(ABOUT_PAGE_CANDIDATES)
    hint = (
        ""
        if "_config.yml" in tree.files
        else " It has no _config.yml either: is it an al-folio (Jekyll) site's repository?"
    )
    raise ArchiveRefused(
        f"We found no about page in {tree.name}; we looked at {places}.{hint} "
        "Give the whole repository, or upload its about page on its own."
    )


def _skip_unsupported_image(tree: SourceTree, path: str) -> None:
    if path.startswith("assets/img/") and path.lower().endswith(UNSUPPORTED_IMAGE_SUFFIXES):
        tree.skipped.append((path, "not an image we import (JPEG, PNG, WebP or GIF)"))


def _not_markdown(data: bytes) -> str | None:
    """Why these bytes are not an about page (Markdown with front matter), or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "is saved as UTF-16; save it as UTF-8 (most editors offer it under Save As)"
    if b"\x00" in data:
        return "is not a text file"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Windows' old encoding: still text; the importer decodes it
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return "is not a text file we can read"
    if not text.strip():
        return "is empty"
    if len(_BINARY_CHARACTER.findall(text)) > len(text) // 100:
        return "is not a text file"
    start = text.lstrip()[:16].lower()
    for signature, what in (
        ("{\\rtf", "an RTF document"),
        ("%pdf-", "a PDF"),
        ("<?xml", "an XML file"),
        ("<!doctype html", "a web page"),
        ("<html", "a web page"),
    ):
        if start.startswith(signature):
            return f"looks like {what}, not a Markdown about page"
    return None


def _rewound(upload, head: bytes) -> BinaryIO:
    """The upload from its start again; a stream that cannot seek is read into memory."""
    try:
        upload.seek(0)
    except (AttributeError, OSError, ValueError):
        return io.BytesIO(head + upload.read(MAX_ARCHIVE_BYTES + 1 - len(head)))
    return upload


def _size(count: int) -> str:
    if count >= MB:
        return f"{count / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


def _too_large_file(rule: KeptFiles, size: int) -> str:
    if rule.media:
        return (
            f"{_size(size)}, over the limit of {_size(rule.limit)} for an image or PDF; "
            "make it smaller and add it from the dashboard"
        )
    return f"{_size(size)}, over the limit of {_size(rule.limit)} for a text file"


def _too_large_archive(name: str, size: int) -> ArchiveRefused:
    return ArchiveRefused(
        f"{name} is {_size(size)}; the limit is {_size(MAX_ARCHIVE_BYTES)}. {_ONLY_WHAT_WE_READ}"
    )


def _too_many_entries(count: int) -> ArchiveRefused:
    return ArchiveRefused(
        f"This archive holds {count:,} files; the limit is {MAX_ZIP_ENTRIES:,}. Leave out "
        f"node_modules, _site and vendor. {_ONLY_WHAT_WE_READ}"
    )


def _link_refused(source: str, path: str) -> ArchiveRefused:
    return ArchiveRefused(
        f"{source} is refused: {path} is a symbolic link, and the import follows none. "
        "Put the file itself in its place and try again."
    )


def _unreadable(name: str, detail: str) -> ArchiveRefused:
    return ArchiveRefused(
        f"{name} is not a zip archive we can read ({detail}). If it was downloaded, "
        f"download it again; if you made it, {_REZIP[0].lower()}{_REZIP[1:]}"
    )
