"""BibTeX out: the whole list, and one paper. Importing an export again changes nothing."""

from __future__ import annotations

from django.utils import timezone

from profiles.models import Profile
from publications.models import Publication, PublicationSettings


def _macro(name: str, value: str) -> str:
    return f"@string{{{name} = {{{value}}}}}"


def export_bibtex(profile: Profile, *, include_hidden: bool = False, dated: bool = True) -> str:
    """Every entry as it was written (or last edited), in the file's order.

    The @string macros the site's imports defined come first, so that entries
    using them (`booktitle = cvpr`) read the same when imported again. Without
    `dated`, the header names no day: the same list gives the same file.
    """
    publications = Publication.objects.filter(profile=profile).order_by("position", "pk")
    if not include_hidden:
        publications = publications.visible()
    settings = PublicationSettings.objects.filter(profile=profile).first()
    macros = settings.string_macros if settings else {}
    day = f" on {timezone.now():%Y-%m-%d}" if dated else ""
    header = f"% {profile.full_name}'s publications, exported from Multifolio{day}.\n"
    parts = [header]
    if macros:
        parts.append("\n".join(_macro(name, value) for name, value in macros.items()) + "\n")
    parts += [publication.raw_bibtex.strip() + "\n" for publication in publications]
    return "\n".join(parts)


def paper_bibtex(publication: Publication) -> str:
    """One paper as a visitor cites it: without al-folio's own fields, macros expanded."""
    return publication.bibtex_display.strip() + "\n"
