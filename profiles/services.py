"""Writes that touch several rows or files: keyword-only, typed, atomic.

Views and imports call these; side effects on storage happen after commit so
a rolled-back change never deletes files still in use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max

from news.selectors import upload_texts as news_upload_texts
from profiles import accounts, media
from profiles.images import (
    ProcessedImage,
    delete_stored_image,
    largest_fallback_name,
    process_image,
    store_image,
)
from profiles.models import Profile, SocialLink, User

if TYPE_CHECKING:
    from profiles.forms import ProfileForm


@transaction.atomic
def register_researcher(
    *, email: str, password: str, slug: str, first_name: str, last_name: str = ""
) -> Profile:
    """A new account and its site, pending; the e-mail that confirms the address goes out.

    The site is published once the address is confirmed: at once when
    SIGNUP_PUBLISHES_SITE is on, else by a moderator (profiles.accounts).
    """
    user = User.objects.create_user(email=email, password=password)
    profile = Profile.objects.create(
        owner=user,
        slug=slug,
        first_name=first_name,
        last_name=last_name,
        status=Profile.Status.PENDING,
    )
    # robust: a mail server that is down must not turn a done sign-up into an error
    # page; the failure is logged, and the dashboard offers to send the link again.
    transaction.on_commit(lambda: accounts.send_confirmation(user), robust=True)
    return profile


def save_profile(*, form: ProfileForm) -> Profile:
    """Save the about-page form; editor images the texts no longer show are cleaned up."""
    profile = form.save()
    transaction.on_commit(lambda: prune_uploads(profile))
    return profile


def upload_texts(profile: Profile) -> list[str]:
    """Every text of a site that may show images dropped into an editor."""
    return [profile.bio, profile.more_info, profile.contact_note, *news_upload_texts(profile)]


def prune_uploads(profile: Profile) -> int:
    return media.prune_unreferenced_uploads(profile.pk, upload_texts(profile))


def _image_bytes(processed: ProcessedImage) -> int:
    return sum(len(v.webp) + len(v.fallback) for v in processed.variants)


def _stored_size(name: str | None) -> int:
    """Bytes a stored file takes; 0 for none or a file already gone."""
    if not name:
        return 0
    try:
        return default_storage.size(name)
    except FileNotFoundError:
        return 0


def _stored_image_bytes(data: dict) -> int:
    return sum(
        _stored_size(variant.get(key))
        for variant in (data or {}).get("variants") or []
        for key in ("webp", "fallback")
    )


def set_photo(*, profile: Profile, upload: File) -> None:
    """Validate, re-encode and store a new profile photo (raises ValidationError)."""
    processed = process_image(upload)  # slow work before the transaction
    old = profile.photo
    media.check_quota(profile.pk, _image_bytes(processed), freed=_stored_image_bytes(old))
    stored = store_image(
        processed, storage=default_storage, prefix=media.site_folder(profile.pk, "photo")
    )
    with transaction.atomic():
        profile.photo = stored
        profile.save(update_fields=["photo", "updated_at"])
        transaction.on_commit(lambda: delete_stored_image(old, storage=default_storage))


@transaction.atomic
def remove_photo(*, profile: Profile) -> None:
    old = profile.photo
    profile.photo = {}
    profile.save(update_fields=["photo", "updated_at"])
    transaction.on_commit(lambda: delete_stored_image(old, storage=default_storage))


# An editor image is shown at the width of the text column, at most; one size
# (WebP beside a JPEG/PNG the markdown links to) is enough.
EDITOR_IMAGE_WIDTHS = (1400,)


def store_upload_image(*, profile: Profile, upload: File) -> str:
    """An image dropped into an editor: our pipeline, then its site-relative URL for markdown.

    Images that no saved text shows any more are deleted first, so that
    uploading, removing and uploading again does not fill the site's quota.
    """
    processed = process_image(upload, widths=EDITOR_IMAGE_WIDTHS)
    prune_uploads(profile)
    media.check_quota(profile.pk, _image_bytes(processed))
    stored = store_image(
        processed, storage=default_storage, prefix=media.site_folder(profile.pk, "uploads")
    )
    return media.media_path(largest_fallback_name(stored))


# The QR code of a WeChat link is shown small, beside the icons.
QR_WIDTHS = (240, 480)


def save_social_link(
    *,
    profile: Profile,
    link: SocialLink,
    qr_upload: File | None = None,
    cv_pdf: bytes | None = None,
) -> None:
    """Save a new or edited link (from SocialLinkForm.save(commit=False)).

    Keeps only what the link's kind uses, processes a WeChat QR upload through
    the image pipeline, stores a CV already checked and re-written by
    profiles.documents (`cv_pdf`), within the site's quota (ValidationError),
    appends a new link at the end of the row, and deletes replaced files after
    commit. IntegrityError (the network is taken) leaves no new file behind.
    """
    kind = link.spec.kind
    link.profile = profile
    stored = SocialLink.objects.filter(pk=link.pk).values("image", "document").first() or {}
    if link.network != "custom":
        link.icon = ""
    if kind != "cv":
        link.document = None
    elif cv_pdf is not None:
        media.check_quota(profile.pk, len(cv_pdf), freed=_stored_size(stored.get("document")))
        # The clean copy, never the upload itself; the name is random (upload_to).
        link.document.save("cv.pdf", ContentFile(cv_pdf), save=False)
    if kind != "file":
        link.image = {}
    elif qr_upload is not None:
        processed = process_image(qr_upload, widths=QR_WIDTHS)  # before the transaction
        media.check_quota(profile.pk, _image_bytes(processed))
        link.image = store_image(
            processed, storage=default_storage, prefix=media.site_folder(profile.pk, "qr")
        )
    try:
        with transaction.atomic():
            if link.pk is None:
                last = profile.social_links.aggregate(last=Max("position"))["last"]
                link.profile = profile
                link.position = 0 if last is None else last + 1
            link.save()
            _forget_replaced(stored, link)
            _touch(profile)
    except IntegrityError:
        if link.image != stored.get("image"):
            delete_stored_image(link.image, storage=default_storage)
        if link.document and link.document.name != stored.get("document"):
            default_storage.delete(link.document.name)
        raise


def _forget_replaced(stored: dict, link: SocialLink) -> None:
    """After commit, delete the files the link no longer points at."""
    old_image, old_document = stored.get("image"), stored.get("document")
    if old_image and old_image != link.image:
        transaction.on_commit(lambda: delete_stored_image(old_image, storage=default_storage))
    if old_document and old_document != (link.document.name if link.document else ""):
        transaction.on_commit(lambda: default_storage.delete(old_document))


@transaction.atomic
def delete_social_link(*, link: SocialLink) -> None:
    image, document = link.image, link.document.name if link.document else ""
    profile = link.profile
    link.delete()
    transaction.on_commit(lambda: delete_stored_image(image, storage=default_storage))
    if document:
        transaction.on_commit(lambda: default_storage.delete(document))
    _touch(profile)


@transaction.atomic
def move_social_link(*, link: SocialLink, offset: int) -> None:
    """Move one place up (-1) or down (+1) by swapping with the neighbour there."""
    siblings = list(link.profile.social_links.select_for_update().order_by("position", "id"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == link.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    # Renumber densely: positions may have gaps or ties after deletions.
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            SocialLink.objects.filter(pk=sibling.pk).update(position=position)
    _touch(link.profile)


def _touch(profile: Profile) -> None:
    """The about page shows the links: bump updated_at so caches and sitemaps see a change."""
    profile.save(update_fields=["updated_at"])
