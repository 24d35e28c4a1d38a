"""A site out as an al-folio repository's content, zipped: leaving is as easy as moving in.

The files are the ones the importer reads, so exporting, importing the zip
into a new site and exporting again gives the same files: texts are written
from the same fields in the same order, images are the bytes we serve (and
their SHA-256 is remembered in ExportedImage so that importing them does not
re-encode them), PDFs are the cleaned copies (cleaning a clean copy changes
nothing). Images and PDFs the texts show are written under assets/ and the
texts link them with `relative_url`, as al-folio pages do.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml
from django.core.files.storage import Storage, default_storage
from django.utils.text import slugify

from news.models import NewsItem
from profiles.alfolio.config import CUSTOM_KEYS, MULTIFOLIO_KEYS, NETWORK_KEYS
from profiles.images import largest_fallback_name
from profiles.media import owner_id
from profiles.models import ExportedImage, Profile
from publications.exports import export_bibtex
from publications.models import Coauthor, PaperFile, PublicationSettings, Venue

# A fixed time for every member: the same site gives the same zip.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
# Our network -> the al-folio key that names it (the newer key where there are two).
_ALFOLIO_KEYS = {network: key for key, network in reversed(list(NETWORK_KEYS.items()))}
_MEDIA_LINK_RE = re.compile(
    r"/media/(sites/(?P<pk>\d+)/(?P<kind>uploads|files|photo|qr|documents)/[^\s\"'()<>\]]+)"
)

README = """\
# {name}: your site, exported from Multifolio

These are the files of an al-folio site (https://github.com/alshedivat/al-folio)
holding everything your Multifolio site shows:

- `_config.yml`: your name, description, keywords and name highlighting;
- `_pages/about.md`: your about page (bio, photo, contact block);
- `_news/`: your news, one file per item;
- `_bibliography/papers.bib`: your publications, as you wrote them;
- `_data/socials.yml`, `_data/coauthors.yml`, `_data/venues.yml`;
- `assets/img/` and `assets/pdf/`: your photo, images and PDFs.

To publish them with al-folio, copy them over a fresh copy of the al-folio
repository (keep its other files) and merge `_config.yml` by hand: this one
holds only the keys your site sets. To move to another Multifolio site, upload
this zip as it is on the dashboard's Import page.
"""


@dataclass
class _Export:
    profile: Profile
    storage: Storage
    files: dict[str, bytes] = field(default_factory=dict)
    exported_images: set[str] = field(default_factory=set)

    def add(self, path: str, data: bytes | str) -> None:
        self.files[path] = data.encode("utf-8") if isinstance(data, str) else data

    def read(self, name: str) -> bytes | None:
        try:
            with self.storage.open(name, "rb") as file:
                return file.read()
        except (FileNotFoundError, OSError):
            return None

    def add_image(self, path: str, stored_name: str | None) -> str | None:
        """A stored image (the bytes we serve) at `path`; None when it is gone."""
        data = self.read(stored_name) if stored_name else None
        if data is None:
            return None
        self.add(path, data)
        self.exported_images.add(hashlib.sha256(data).hexdigest())
        return path


def export_site(profile: Profile, *, storage: Storage = default_storage) -> bytes:
    """The site as a zip of an al-folio repository's content."""
    export = _Export(profile, storage)
    paper_files = {file.name: file for file in PaperFile.objects.filter(profile=profile)}
    links = _MediaLinks(export, paper_files)
    export.add("README.md", README.format(name=profile.full_name))
    export.add("_config.yml", _config(profile))
    export.add("_pages/about.md", _about_page(export, links))
    export.add("_data/socials.yml", _socials(export))
    for path, text in _news(profile, links):
        export.add(path, text)
    export.add("_bibliography/papers.bib", export_bibtex(profile, include_hidden=True, dated=False))
    export.add("_data/coauthors.yml", _coauthors(profile))
    export.add("_data/venues.yml", _venues(profile))
    for name, file in paper_files.items():
        if file.kind == PaperFile.Kind.DOCUMENT:
            data = export.read(file.stored.get("name", ""))
            if data is not None:
                export.add(f"assets/pdf/{name}", data)
        else:
            export.add_image(
                f"assets/img/publication_preview/{name}", largest_fallback_name(file.stored)
            )
    ExportedImage.objects.bulk_create(
        [ExportedImage(sha256=sha) for sha in sorted(export.exported_images)],
        ignore_conflicts=True,
    )
    return _zip(profile.slug, export.files)


def _zip(slug: str, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{slug}/{path}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return buffer.getvalue()


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- texts


class _MediaLinks:
    """Our /media/ addresses in texts, as al-folio links to files written under assets/."""

    def __init__(self, export: _Export, paper_files: dict[str, PaperFile]) -> None:
        self.export = export
        self.by_stored_name: dict[str, str] = {}
        for name, file in paper_files.items():
            folder = (
                "assets/pdf/"
                if file.kind == PaperFile.Kind.DOCUMENT
                else ("assets/img/publication_preview/")
            )
            for stored in _stored_names(file.stored):
                self.by_stored_name[stored] = folder + name

    def __call__(self, text: str) -> str:
        return _MEDIA_LINK_RE.sub(self._link, text) if "/media/" in text else text

    def _link(self, match: re.Match[str]) -> str:
        name = match.group(1)
        # A name of the site's own folder, checked whole: the link's text may climb
        # out of it ("sites/<own>/uploads/../../<other>/...") into another site's.
        if owner_id(name) != self.export.profile.pk:
            return match.group(0)
        path = self.by_stored_name.get(name)
        if path is None:
            data = self.export.read(name)
            if data is None:
                return match.group(0)
            suffix = PurePosixPath(name).suffix.lower()
            folder = "assets/pdf/" if suffix == ".pdf" else "assets/img/"
            path = f"{folder}{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
            self.export.add(path, data)
            if folder == "assets/img/":
                self.export.exported_images.add(hashlib.sha256(data).hexdigest())
        return f"{{{{ '{path}' | relative_url }}}}"


def _stored_names(stored: dict) -> Iterable[str]:
    if stored.get("name"):
        yield stored["name"]
    for variant in stored.get("variants") or []:
        for key in ("webp", "fallback"):
            if variant.get(key):
                yield variant[key]


def _config(profile: Profile) -> str:
    config: dict[str, object] = {"first_name": profile.first_name}
    if profile.middle_name:
        config["middle_name"] = profile.middle_name
    config["last_name"] = profile.last_name
    if profile.meta_description:
        config["description"] = profile.meta_description
    if profile.keywords:
        config["keywords"] = profile.keywords
    if profile.contact_note:
        config["contact_note"] = profile.contact_note
    settings = PublicationSettings.objects.filter(profile=profile).first()
    if settings and settings.max_author_limit:
        config["max_author_limit"] = settings.max_author_limit
    lasts, firsts = _scholar_names(_lines(settings.name_variants) if settings else [])
    if lasts:
        config["scholar"] = {"last_name": lasts, "first_name": firsts}
    ours = {key: str(getattr(profile, key)) for key in MULTIFOLIO_KEYS if getattr(profile, key)}
    if ours:
        config["multifolio"] = ours  # al-folio ignores it; our import reads it back
    return _yaml(config)


def _scholar_names(variants: list[str]) -> tuple[list[str], list[str]]:
    """al-folio's scholar.last_name and first_name lists from "Last, First" lines."""
    lasts: list[str] = []
    firsts: list[str] = []
    for variant in variants:
        last, _, first = variant.partition(",")
        if not _:
            *first_words, last = variant.split()
            first = " ".join(first_words)
        for value, into in ((last.strip(), lasts), (first.strip(), firsts)):
            if value and value not in into:
                into.append(value)
    return lasts, firsts


def _about_page(export: _Export, links: _MediaLinks) -> str:
    profile = export.profile
    photo: dict[str, object] = {"align": str(profile.photo_align)}
    fallback = largest_fallback_name(profile.photo)
    if fallback:
        name = f"prof_pic{PurePosixPath(fallback).suffix}"
        if export.add_image(f"assets/img/{name}", fallback):
            photo["image"] = name
    photo["image_circular"] = profile.photo_shape == Profile.PhotoShape.CIRCULAR
    if profile.more_info:
        photo["more_info"] = links(profile.more_info)
    meta: dict[str, object] = {"layout": "about", "title": "about", "permalink": "/"}
    if profile.subtitle:
        meta["subtitle"] = links(profile.subtitle)
    meta["profile"] = photo
    announcements: dict[str, object] = {
        "enabled": profile.show_announcements,
        "scrollable": profile.announcements_scrollable,
    }
    if profile.announcements_limit:
        announcements["limit"] = profile.announcements_limit
    meta["announcements"] = announcements
    meta["selected_papers"] = profile.show_selected_papers
    meta["social"] = profile.show_social
    return f"---\n{_yaml(meta)}---\n\n{links(profile.bio).strip()}\n"


def _socials(export: _Export) -> str:
    socials: dict[str, object] = {}
    custom = websites = 0
    for link in export.profile.social_links.order_by("position", "pk"):
        kind = link.spec.kind
        if kind == "feed":
            socials["rss_icon"] = True
        elif kind == "file":
            fallback = largest_fallback_name(link.image)
            if fallback:
                name = f"wechat-qr{PurePosixPath(fallback).suffix}"
                if export.add_image(f"assets/img/{name}", fallback):
                    socials["wechat_qr"] = name
        elif kind == "cv":
            if link.document:
                data = export.read(link.document.name)
                if data is not None:
                    export.add("assets/pdf/cv.pdf", data)
                    socials["cv_pdf"] = "/assets/pdf/cv.pdf"
            elif link.value:
                socials["cv_pdf"] = link.value
        elif link.network in _ALFOLIO_KEYS and link.network != "custom":
            socials[_ALFOLIO_KEYS[link.network]] = link.value
        elif link.network == "website":
            websites += 1
            key = "website" if websites == 1 else f"website_{websites}"
            socials[key] = {"title": link.label, "url": link.value}
        else:
            key = _custom_key(link.title, link.icon, link.value)
            if key and key not in socials:
                socials[key] = _custom_id(key, link.value)
                continue
            custom += 1
            socials[f"custom_social_{custom}"] = {
                "title": link.label,
                "url": link.url_if_valid or link.value,
                "icon": link.icon_ref,
            }
    return _yaml(socials) if socials else "{}\n"


def _custom_key(title: str, icon: str, url: str) -> str | None:
    """The al-folio key a custom link was imported from (publons_id, ...), by its address."""
    for key, (key_title, pattern, key_icon) in CUSTOM_KEYS.items():
        if (title, icon) != (key_title, key_icon):
            continue
        prefix, _, suffix = pattern.partition("{}")
        if url.startswith(prefix) and url.endswith(suffix) and len(url) > len(prefix + suffix):
            return key
    return None


def _custom_id(key: str, url: str) -> str:
    prefix, _, suffix = CUSTOM_KEYS[key][1].partition("{}")
    return url[len(prefix) : len(url) - len(suffix)] if suffix else url[len(prefix) :]


def _news(profile: Profile, links: _MediaLinks) -> list[tuple[str, str]]:
    files: list[tuple[str, str]] = []
    taken: set[str] = set()
    for item in NewsItem.objects.filter(profile=profile).order_by("date", "pk"):
        name = PurePosixPath(item.source_path).name if item.source_path else ""
        if not name or name in taken:
            base = f"{item.date:%Y-%m-%d}-{item.slug or slugify(item.title)[:60] or 'news'}"
            name, n = f"{base}.md", 2
            while name in taken:
                name, n = f"{base}-{n}.md", n + 1
        taken.add(name)
        meta: dict[str, object] = {"layout": "post"}
        if item.title:
            meta["title"] = item.title
        meta["date"] = f"{item.date:%Y-%m-%d %H:%M:%S%z}"
        meta["inline"] = item.inline
        if not item.is_visible:
            meta["published"] = False  # hidden by a moderator: kept, not published
        files.append((f"_news/{name}", f"---\n{_yaml(meta)}---\n\n{links(item.content).strip()}\n"))
    return files


def _coauthors(profile: Profile) -> str:
    people: dict[str, list[dict[str, object]]] = {}
    for coauthor in Coauthor.objects.filter(profile=profile).order_by("pk"):
        lasts, firsts = _scholar_names(_lines(coauthor.name_variants))
        if not lasts:
            continue
        people.setdefault(lasts[0], []).append({"firstname": firsts, "url": coauthor.url})
    return _yaml(people) if people else "{}\n"


def _venues(profile: Profile) -> str:
    venues: dict[str, dict[str, str]] = {}
    for venue in Venue.objects.filter(profile=profile).order_by("abbr"):
        style: dict[str, str] = {}
        if venue.url:
            style["url"] = venue.url
        if venue.color:
            style["color"] = venue.color
        venues[venue.abbr] = style
    return _yaml(venues) if venues else "{}\n"
