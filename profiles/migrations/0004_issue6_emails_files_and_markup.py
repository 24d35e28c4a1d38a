"""Data for issue 6: one stored form per e-mail address, one folder per site, markup re-rendered.

- E-mail addresses take the form User.objects.normalize_email gives new ones
  (NFKC, lower-case), so SQLite and PostgreSQL agree on duplicates.
- Uploads move from `photos/<id>/`, `uploads/<id>/`, `documents/<id>/` and
  `qr/` to `sites/<id>/<kind>/` (profiles.media), and the texts that link to
  editor images follow them.
- Every stored HTML field is rendered again by the current pipeline (ids
  prefixed, formulas in text positions only, bounded output). The renderer is
  imported as it is when this runs; that is the point: the stored HTML must be
  what the running sanitizer approves.

Files that are missing are skipped; nothing here deletes a file it did not copy.
"""

import contextlib
import logging
import unicodedata

from django.core.files.storage import default_storage
from django.db import migrations

logger = logging.getLogger(__name__)

MARKUP_FIELDS = {"bio": "bio_html", "more_info": "more_info_html", "contact_note": "contact_note_html"}


def _normalized(email):
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def normalize_emails(apps, schema_editor):
    User = apps.get_model("profiles", "User")
    taken = set()
    for user in User.objects.order_by("pk"):
        email = _normalized(user.email)
        if email in taken:
            # Two accounts differing only in case: keep the later one as it is,
            # for an administrator to merge; never lose an account.
            logger.warning("Two accounts share the address %s; left as is", email)
            continue
        taken.add(email)
        if email != user.email:
            User.objects.filter(pk=user.pk).update(email=email)


def _move(name, folder):
    """Copy `name` into `folder` under the same file name, delete the old one; the new name."""
    if not name or name.startswith(folder):
        return name
    if not default_storage.exists(name):
        return name
    with default_storage.open(name) as source:
        new = default_storage.save(folder + name.rsplit("/", 1)[-1], source)
    with contextlib.suppress(FileNotFoundError):
        default_storage.delete(name)
    return new


def _move_image(data, folder):
    for variant in (data or {}).get("variants") or []:
        for key in ("webp", "fallback"):
            if variant.get(key):
                variant[key] = _move(variant[key], folder)
    return data


def move_files_and_render(apps, schema_editor):
    from profiles.markup import MarkupTooLarge, render_lines, render_markdown

    renderers = {"bio": render_markdown, "more_info": render_lines, "contact_note": render_markdown}
    Profile = apps.get_model("profiles", "Profile")
    SocialLink = apps.get_model("profiles", "SocialLink")
    for profile in Profile.objects.all():
        root = f"sites/{profile.pk}/"
        profile.photo = _move_image(profile.photo, root + "photo/")
        with contextlib.suppress(FileNotFoundError):
            for file in default_storage.listdir(f"uploads/{profile.pk}/")[1]:
                _move(f"uploads/{profile.pk}/{file}", root + "uploads/")
        for source, target in MARKUP_FIELDS.items():
            text = getattr(profile, source).replace(
                f"/media/uploads/{profile.pk}/", f"/media/{root}uploads/"
            )
            setattr(profile, source, text)
            try:
                setattr(profile, target, renderers[source](text))
            except MarkupTooLarge:
                # Kept as written; the owner's next save says what is too large.
                setattr(profile, target, "")
        profile.save(update_fields=["photo", *MARKUP_FIELDS, *MARKUP_FIELDS.values()])
    for link in SocialLink.objects.all():
        root = f"sites/{link.profile_id}/"
        if link.document:
            link.document = _move(link.document.name, root + "documents/")
        link.image = _move_image(link.image, root + "qr/")
        link.save(update_fields=["document", "image"])


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0003_issue6_limits_and_lookalikes"),
    ]

    operations = [
        migrations.RunPython(normalize_emails, migrations.RunPython.noop),
        migrations.RunPython(move_files_and_render, migrations.RunPython.noop),
    ]
