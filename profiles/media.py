"""A site's uploaded files: where they live, who may fetch them, how much room they take.

Every file of a site lives under one folder of the default storage,
`sites/<profile id>/<kind>/`, with kind one of:

- `photo/`: the profile photo's variants (profiles.images);
- `uploads/`: images dropped into the markdown editor;
- `documents/`: the CV as PDF (profiles.documents);
- `qr/`: the WeChat QR code;
- `files/`: files papers name (PDFs, slides, posters, preview images; publications).

Files are served only on their own site's host, at `/media/<name>`
(profiles.views.media), and only while the site is published; the owner's and
moderators' previews fetch them there with a short-lived signed token
(profiles.preview). The platform host never serves an upload: its cookies live
there. One folder per site also makes the storage quota, the clean-up of
editor images nobody uses any more, and deleting an account's files simple.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

logger = logging.getLogger(__name__)

SITE_MEDIA_PATH = "/media/"  # on every site host
KINDS = ("photo", "uploads", "documents", "qr", "files")
SITE_FILE_RE = re.compile(
    r"\Asites/(?P<profile>[0-9]+)/(?P<kind>[a-z]+)/(?P<file>[A-Za-z0-9._-]+)\Z"
)
# The content types of everything our pipelines write; anything else is never served.
CONTENT_TYPES = {
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "pdf": "application/pdf",
}
# How long an editor image nobody's saved text refers to is kept: an owner may
# have dropped it into an editor whose text is not saved yet, and may take all
# afternoon to write around it. The quota bounds what accumulates meanwhile.
UNREFERENCED_UPLOAD_GRACE = timedelta(hours=24)


def read_upload(upload: File | BinaryIO, *, limit: int, too_large: ValidationError) -> bytes:
    """An upload's bytes; `too_large` without reading it all when it is over `limit`."""
    # Django's uploaded files know their size; a plain stream is read only
    # one byte past the limit, which is enough to tell.
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > limit:
        raise too_large
    # Rewind: a form may have read it already. A stream that cannot seek is
    # read from where it is.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def site_folder(profile_id: int, kind: str) -> str:
    """The storage prefix of one kind of file of one site, ending in "/"."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of site file {kind!r}")
    return f"sites/{profile_id}/{kind}/"


def owner_id(name: str) -> int | None:
    """The profile id a stored file belongs to, or None for a name that is no site file."""
    match = SITE_FILE_RE.match(name)
    if match is None or match["kind"] not in KINDS or match["file"].startswith("."):
        return None
    return int(match["profile"])


def content_type(name: str) -> str | None:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def media_path(name: str) -> str:
    """The site-relative address of a stored file: it works on every host of its site."""
    return SITE_MEDIA_PATH + name


def _walk(storage: Storage, folder: str) -> Iterable[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        yield folder + file
    for directory in directories:
        yield from _walk(storage, f"{folder}{directory}/")


def _scan(storage: Storage, folder: str) -> Iterator[tuple[str, int, datetime]]:
    """(name, bytes, modified) of every file under `folder`.

    Object storage (profiles.storage) reads them all from its listing: there,
    a request per file would make every upload's quota check slow.
    """
    scan = getattr(storage, "scan", None)
    if scan is not None:
        yield from scan(folder)
        return
    for name in _walk(storage, folder):
        try:
            yield name, storage.size(name), storage.get_modified_time(name)
        except FileNotFoundError:
            continue  # deleted meanwhile


def site_files(profile_id: int, *, storage: Storage = default_storage) -> list[str]:
    return list(_walk(storage, f"sites/{profile_id}/"))


def storage_used(profile_id: int, *, storage: Storage = default_storage) -> int:
    """Bytes a site's files take."""
    return sum(size for _, size, _ in _scan(storage, f"sites/{profile_id}/"))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_quota(profile_id: int, incoming: int, *, freed: int = 0) -> None:
    """Refuse a new file of `incoming` bytes that would take the site past its quota.

    `freed`: bytes the same change deletes (a photo replacing the old one).
    """
    quota = settings.SITE_STORAGE_QUOTA_BYTES
    used = storage_used(profile_id)
    if used - freed + incoming <= quota:
        return
    raise ValidationError(
        f"Your site's files would take {_megabytes(used - freed + incoming)}, more than its "
        f"{_megabytes(quota)} of room ({_megabytes(used)} is used now). Remove images you no "
        "longer show, or an old CV, and try again.",
        code="over_quota",
    )


def delete_site_files(profile_id: int, *, storage: Storage = default_storage) -> int:
    """Delete every file of a site (its account is gone); the count deleted."""
    names = site_files(profile_id, storage=storage)
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            storage.delete(name)
    return len(names)


def prune_unreferenced_uploads(
    profile_id: int,
    texts: Iterable[str],
    *,
    grace: timedelta | None = None,
    storage: Storage = default_storage,
) -> int:
    """Delete editor images that none of `texts` mentions and that are older than `grace`.

    An upload is a set of files sharing a content hash (profiles.images), and
    the markdown mentions one of them; the whole set goes together.
    """
    mentioned = "\n".join(texts)
    cutoff = timezone.now() - (UNREFERENCED_UPLOAD_GRACE if grace is None else grace)
    deleted = 0
    for name, _, modified in list(_scan(storage, site_folder(profile_id, "uploads"))):
        stem = name.rsplit("/", 1)[-1].split("-", 1)[0]
        if (stem and stem in mentioned) or modified > cutoff:
            continue
        try:
            storage.delete(name)
        except FileNotFoundError:
            continue
        deleted += 1
    if deleted:
        logger.info("Deleted %d unreferenced editor images of profile %s", deleted, profile_id)
    return deleted
