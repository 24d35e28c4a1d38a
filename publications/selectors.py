"""Reads for the publications pages: a fixed, small number of queries whatever the list's size."""

from __future__ import annotations

import secrets
from collections import namedtuple
from dataclasses import dataclass, field

from django.core.cache import cache

from profiles.models import Profile
from publications.models import Coauthor, PaperFile, Publication, PublicationSettings, Venue
from publications.names import NameIndex, forms_of

PEOPLE_VERSION_KEY = "publications:people-version"
PEOPLE_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Person:
    """A researcher with a published site here, as co-author links need them."""

    profile_id: int
    host: str


def profile_name_texts(profile: Profile) -> list[str]:
    """The names a profile always answers to: "First Middle Last" and "First Last"."""
    first = profile.first_name
    names = [f"{profile.last_name}, {first} {profile.middle_name}".strip()]
    if profile.middle_name:
        names.append(f"{profile.last_name}, {first}")
    return [name for name in names if name.strip(", ")]


def variant_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _new_people_version() -> str:
    # A random token, never a counter: a cache that was emptied (a Redis restart)
    # must not hand out a version a process already built its copy at.
    return secrets.token_hex(8)


def bump_people_version() -> None:
    """Someone's name, status or name forms changed: rebuild the index on next use."""
    cache.set(PEOPLE_VERSION_KEY, _new_people_version(), None)


class _BuiltIndex:
    """This process's copy of the index, with the version it was built at.

    The index of 10,000 researchers is a few MB: reading and unpickling it from
    the shared cache took 150-250 ms, on every page with papers (bench/scale.py).
    A process now reads only the version, and the index only when it changed.
    """

    version: object = None
    index: NameIndex[Person] | None = None


_built = _BuiltIndex()


def platform_people() -> NameIndex[Person]:
    """Every researcher with a published site, by name: one query when cold, none when warm."""
    version = cache.get_or_set(PEOPLE_VERSION_KEY, _new_people_version, None)
    if _built.index is not None and _built.version == version:
        return _built.index
    key = f"publications:people:{version}"
    index = cache.get(key)
    if index is None:
        index = NameIndex()
        profiles = Profile.objects.published().select_related("publication_settings")
        for profile in profiles.only(
            "pk", "slug", "first_name", "middle_name", "last_name",
            "publication_settings__name_variants",
        ):  # fmt: skip
            settings = getattr(profile, "publication_settings", None)
            texts = profile_name_texts(profile)
            if settings is not None:
                texts += variant_lines(settings.name_variants)
            index.add_all(forms_of(texts), Person(profile.pk, profile.host))
        cache.set(key, index, PEOPLE_CACHE_SECONDS)
    _built.version, _built.index = version, index
    return index


@dataclass
class PublicationsContext:
    """Everything the entries of one site need, besides the entries themselves."""

    profile: Profile
    settings: PublicationSettings
    venues: dict[str, Venue] = field(default_factory=dict)
    files: dict[str, PaperFile] = field(default_factory=dict)
    owner: NameIndex[bool] = field(default_factory=NameIndex)
    coauthors: NameIndex[str] = field(default_factory=NameIndex)
    people: NameIndex[Person] = field(default_factory=NameIndex)


def settings_of(profile: Profile) -> PublicationSettings:
    """The site's settings, unsaved defaults when it never had any (no query then)."""
    try:
        return profile.publication_settings
    except PublicationSettings.DoesNotExist:
        return PublicationSettings(profile=profile)


def publications_context(profile: Profile) -> PublicationsContext:
    """Four queries (settings, venues, co-authors, files) and the cached platform index.

    The profile comes from the tenancy cache, so its relations are fetched here
    in one query each rather than through a prefetch on a fresh profile.
    """
    settings = PublicationSettings.objects.filter(profile=profile).first() or PublicationSettings(
        profile=profile
    )
    context = PublicationsContext(profile=profile, settings=settings)
    context.venues = {venue.abbr: venue for venue in Venue.objects.filter(profile=profile)}
    context.files = {file.name: file for file in PaperFile.objects.filter(profile=profile)}
    context.owner.add_all(
        forms_of(profile_name_texts(profile) + variant_lines(settings.name_variants)), True
    )
    for coauthor in Coauthor.objects.filter(profile=profile):
        context.coauthors.add_all(forms_of(variant_lines(coauthor.name_variants)), coauthor.url)
    context.people = platform_people()
    return context


# What an entry shows (publications.entries): the rest stays in the database.
ENTRY_FIELDS = (
    "pk", "key", "entry_type", "title_html", "authors", "venue", "year", "month", "abbr",
    "preview", "pdf", "supp", "poster", "slides", "html", "code", "blog", "website", "video",
    "arxiv", "hal", "doi", "award_name", "award_html", "abstract_html", "annotation_html",
    "additional_info_html", "bibtex_show", "bibtex_display",
)  # fmt: skip


def visible_publications(profile: Profile):
    return Publication.objects.filter(profile=profile).visible().in_page_order()


EntryRow = namedtuple("EntryRow", ENTRY_FIELDS)


def page_entries(profile: Profile) -> list[EntryRow]:
    """The publications page's rows, as plain tuples with ENTRY_FIELDS: one query.

    Plain rows, not model instances: building 500 model objects (more so with
    deferred fields) took longer than rendering the page's HTML.
    """
    rows = visible_publications(profile).values_list(*ENTRY_FIELDS)
    return [EntryRow._make(row) for row in rows]


def selected_publications(profile: Profile):
    """The about page's selected papers, in the file's order (al-folio's)."""
    return Publication.objects.filter(profile=profile).visible().selected().order_by("position")


def paper_pages(profile: Profile) -> list[tuple[str, object]]:
    """(path, last modified) of every visible paper's page, for the sitemap."""
    from publications.entries import paper_path  # entries builds on this module

    papers = visible_publications(profile).only("key", "updated_at", "year", "position")
    return [(paper_path(paper), paper.updated_at) for paper in papers]


def paper_file_name(profile: Profile, stored_name: str) -> str | None:
    """The name a site's BibTeX gives an uploaded PDF (for its download), or None."""
    return (
        PaperFile.objects.filter(profile=profile, stored__name=stored_name)
        .values_list("name", flat=True)
        .first()
    )


def publication_count(profile: Profile) -> int:
    """Every paper of the site, hidden ones included (the owner's own count)."""
    return Publication.objects.filter(profile=profile).count()


def has_publications(profile: Profile) -> bool:
    return Publication.objects.filter(profile=profile).visible().exists()


def selected_entries(profile: Profile, *, href=lambda url: url) -> list:
    """The about page's selected papers, rendered: one query when there are none, five else."""
    from publications.entries import entry_html  # entries builds on this module

    # Plain rows, as the publications page reads them: half the time of model instances.
    selected = [
        EntryRow._make(row) for row in selected_publications(profile).values_list(*ENTRY_FIELDS)
    ]
    if not selected:
        return []
    context = publications_context(profile)
    return [
        entry_html(publication, context, n=n, href=href) for n, publication in enumerate(selected)
    ]


__all__ = [
    "Person",
    "PublicationsContext",
    "bump_people_version",
    "has_publications",
    "page_entries",
    "paper_file_name",
    "paper_pages",
    "platform_people",
    "publication_count",
    "publications_context",
    "selected_entries",
    "selected_publications",
    "settings_of",
    "visible_publications",
]
