"""What an al-folio repository says, read into an ImportPlan: no database, no storage.

Every file is decoded and repaired here (mojibake, Liquid, kramdown, emoji
shortcodes), and everything a researcher should know about is noted with its
file and line. The plan names the files to bring along (the photo, the files
BibTeX entries point at, images and PDFs the texts show) but does not read
them: profiles.alfolio.apply does, and writes it all in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from profiles.alfolio.about import FrontMatterError, about_page_fields, split_front_matter
from profiles.alfolio.archive import SourceTree, find_about_pages
from profiles.alfolio.bibliography import BIB_FOLDER, Bibliography, join_bibliography
from profiles.alfolio.config import (
    SiteConfig,
    SocialAccount,
    coauthor_links,
    read_config,
    read_yaml,
    venue_styles,
)
from profiles.alfolio.news import NewsFile, read_news
from profiles.alfolio.repair import (
    Note,
    decode_text,
    emoji_shortcodes,
    repair_markdown,
    translate_liquid,
    yaml_cut_values,
)

# Private-use characters around an asset's path: the text's address for it once stored.
ASSET_MARK = "\ue000{}\ue001"
ASSET_MARK_RE = re.compile("\ue000([^\ue001]*)\ue001")
# Links to the repository's files that no Liquid wrapped: "/assets/img/x.jpg", "assets/pdf/y.pdf".
_PLAIN_ASSET_RE = re.compile(r"""(?<=["'(=])\s*\.?/?(assets/(?:img|pdf)/[^"'()\s<>?#]+)""")
# What the template ships as its description; a site that kept it did not write it.
TEMPLATE_DESCRIPTIONS = (
    "a simple, whitespace theme for academics",
    "a beautiful, simple, clean, and responsive jekyll theme for academics",
)
PAPER_FILE_FIELDS = {
    **dict.fromkeys(("pdf", "supp", "poster", "slides"), "assets/pdf/"),
    "preview": "assets/img/publication_preview/",
}


class ImportRefused(ValueError):
    """Nothing can be imported; the message says why and what to do."""


@dataclass
class ImportPlan:
    source: str
    tree: SourceTree = field(repr=False)
    about_path: str = ""
    profile: dict[str, Any] = field(default_factory=dict)  # Profile field -> value
    has_config: bool = False
    photo: str = ""  # a path in the tree
    photo_named: str = ""  # what the about page names, for the report
    accounts: list[SocialAccount] = field(default_factory=list)
    news: list[NewsFile] = field(default_factory=list)
    has_news_folder: bool = False
    bibliography: Bibliography | None = None
    name_variants: list[str] = field(default_factory=list)
    max_author_limit: int | None = None
    coauthors: list[tuple[list[str], str]] | None = None  # None: no _data/coauthors.yml
    venues: list[tuple[str, str, str]] | None = None
    paper_files: dict[str, str] = field(default_factory=dict)  # name in BibTeX -> tree path
    assets: set[str] = field(default_factory=set)  # tree paths the texts show
    notes: list[Note] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


class _Reader:
    def __init__(self, tree: SourceTree) -> None:
        self.tree = tree
        self.plan = ImportPlan(source=tree.name, tree=tree, skipped=list(tree.skipped))
        self.site: dict[str, Any] = {}

    def text(self, path: str, *, noted: bool = True) -> str | None:
        """A file decoded (mojibake repaired); None when the tree does not hold it."""
        data = self.tree.get(path)
        if data is None:
            return None
        text, notes = decode_text(data, file=path)
        if noted:
            self.plan.notes += notes
        return text

    def page(self, path: str) -> str:
        """A Markdown or HTML page decoded and repaired (Liquid, kramdown), with notes."""
        text, notes = repair_markdown(
            self.tree.get(path) or b"", file=path, site=self.site, url_for_asset=self.asset_url
        )
        self.plan.notes += notes
        return self._plain_assets(text)

    def value(self, text: str, file: str) -> str:
        """A front-matter or _config.yml value that may hold Liquid (a subtitle, a note)."""
        if "{" in text:
            text, notes = translate_liquid(
                text, file=file, site=self.site, url_for_asset=self.asset_url
            )
            self.plan.notes += [Note(note.file, 0, note.message) for note in notes]
        return self._plain_assets(text)

    def asset_url(self, path: str) -> str | None:
        """The text's address for a file of the repository (Liquid's relative_url and friends)."""
        path = path.strip().lstrip("./").lstrip("/")
        if not path.startswith("assets/"):
            return None
        self.plan.assets.add(path)
        return ASSET_MARK.format(path)

    def _plain_assets(self, text: str) -> str:
        def swap(match: re.Match[str]) -> str:
            return self.asset_url(match.group(1)) or match.group(0)

        return _PLAIN_ASSET_RE.sub(swap, text)


def plan_import(tree: SourceTree) -> ImportPlan:
    """Read a repository (profiles.alfolio.archive) into a plan; ImportRefused if it cannot be."""
    reader = _Reader(tree)
    plan = reader.plan
    config = _read_config(reader)
    _read_about(reader, config)
    _read_news(reader)
    _read_bibliography(reader)
    _read_data(reader)
    return plan


def _read_config(reader: _Reader) -> SiteConfig:
    plan = reader.plan
    config_text = reader.text("_config.yml")
    config: dict[str, Any] = {}
    if config_text is not None:
        plan.has_config = True
        plan.notes += yaml_cut_values(config_text, file="_config.yml")
        loaded, notes = read_yaml(config_text, file="_config.yml")
        plan.notes += notes
        config = loaded if isinstance(loaded, dict) else {}
    socials: dict[str, Any] = {}
    socials_text = reader.text("_data/socials.yml")
    if socials_text is not None:
        plan.notes += yaml_cut_values(socials_text, file="_data/socials.yml")
        loaded, notes = read_yaml(socials_text, file="_data/socials.yml")
        plan.notes += notes
        socials = loaded if isinstance(loaded, dict) else {}
    site, notes = read_config(config, socials)
    plan.notes += notes
    reader.site = config
    if site.first_name or site.last_name:
        plan.profile.update(
            first_name=site.first_name[:100],
            middle_name=site.middle_name[:100],
            last_name=site.last_name[:100],
        )
    description = site.description
    if description and not description.lower().startswith(TEMPLATE_DESCRIPTIONS):
        plan.profile["meta_description"] = _plain(description)[:300]
    if site.keywords:
        plan.profile["keywords"] = site.keywords[:300]
    if site.contact_note:
        plan.profile["contact_note"] = reader.value(site.contact_note, "_config.yml")
    plan.profile.update(site.extra)
    plan.accounts = site.accounts
    plan.max_author_limit = site.max_author_limit
    if [v for v in site.name_variants if v.lower().startswith("einstein")]:
        plan.notes.append(
            Note("_config.yml", 0, "scholar.last_name is still the template's Einstein; left out.")
        )
    else:
        plan.name_variants = site.name_variants
    return site


def _plain(text: str) -> str:
    """A description may hold Markdown links: keep their words."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)


def _read_about(reader: _Reader, config: SiteConfig) -> None:
    plan = reader.plan
    candidates = find_about_pages(reader.tree)
    by_language = [path for path in candidates if path.count("/") == 2]  # _pages/<lang>/about.md
    default = f"_pages/{config.raw.get('default_lang') or ''}/about.md"
    chosen = next(
        (path for path in candidates if path not in by_language and _is_about(reader, path)), ""
    )
    if not chosen and by_language:
        chosen = default if default in by_language else by_language[0]
    for path in by_language:
        if path != chosen:
            plan.skipped.append(
                (
                    path,
                    f"another language's about page; {chosen} (the site's default) was imported.",
                )
            )
    if not chosen:
        raise ImportRefused(
            "No about page with layout: about was found (looked for _pages/about.md, about.md, "
            "index.md and _pages/<language>/about.md)."
        )
    plan.about_path = chosen
    text = reader.page(chosen)
    try:
        meta, body = split_front_matter(text)
    except FrontMatterError as error:
        raise ImportRefused(f"{chosen}: {error} Fix it and import again.") from None
    plan.notes += yaml_cut_values(text[: len(text) - len(body)], file=chosen)
    fields = about_page_fields(meta, body)
    for name in ("subtitle", "more_info"):
        if fields.get(name):
            fields[name] = reader.value(fields[name], chosen).strip()
    if fields.get("meta_description"):
        fields["meta_description"] = emoji_shortcodes(_plain(fields["meta_description"]))
    plan.profile.update(fields)
    image = str((meta.get("profile") or {}).get("image") or "").strip()
    if image:
        plan.photo_named = image
        path = image.lstrip("/")
        path = path if path.startswith("assets/") else f"assets/img/{path}"
        if reader.tree.get(path) is not None:
            plan.photo = path
        else:
            plan.skipped.append(
                (
                    path,
                    "the about page's photo is not in what was imported; "
                    "add it from the dashboard.",
                )
            )


def _is_about(reader: _Reader, path: str) -> bool:
    """An index.md is the about page only with `layout: about` (it is often a README)."""
    if not PurePosixPath(path).name.startswith("index."):
        return True
    try:
        meta, _ = split_front_matter(reader.text(path) or "")
    except FrontMatterError:
        return False
    return meta.get("layout") == "about"


def _read_news(reader: _Reader) -> None:
    plan = reader.plan
    paths = reader.tree.text_paths("_news")
    plan.has_news_folder = bool(paths)
    pages = {path: (reader.text(path, noted=False) or "", reader.page(path)) for path in paths}
    reading = read_news(pages, config=reader.site, repair_title=emoji_shortcodes)
    plan.news = reading.items
    plan.skipped += reading.skipped


def _read_bibliography(reader: _Reader) -> None:
    plan = reader.plan
    paths = [path for path in reader.tree.text_paths(BIB_FOLDER) if path.endswith(".bib")]
    if not paths:
        return
    texts = {path: text for path in paths if (text := reader.text(path)) is not None}
    scholar = reader.site.get("scholar") if isinstance(reader.site.get("scholar"), dict) else {}
    bibliography = join_bibliography(texts, main=str(scholar.get("bibliography") or "papers.bib"))
    plan.bibliography = bibliography
    plan.notes += bibliography.notes
    for file, key in bibliography.samples:
        plan.skipped.append((file, f"{key}: the al-folio template's sample entry, not yours."))
    for name, folder in _file_fields(bibliography.text).items():
        path = folder + name
        if reader.tree.get(path) is not None:
            plan.paper_files[name] = path
        else:
            plan.skipped.append(
                (path, "an entry names this file, but it is not in the repository.")
            )


def _file_fields(text: str) -> dict[str, str]:
    """Names of the repository's files entries point at -> the folder al-folio keeps them in."""
    from publications.bibtex import NotBibtex, parse_bibtex

    try:
        parsed = parse_bibtex(text)
    except NotBibtex:
        return {}
    names: dict[str, str] = {}
    for entry in parsed.entries:
        for field_name, folder in PAPER_FILE_FIELDS.items():
            value = entry.fields.get(field_name, "").strip()
            if value and "://" not in value and "/" not in value and not value.startswith("."):
                names.setdefault(value, folder)
    return names


def _read_data(reader: _Reader) -> None:
    plan = reader.plan
    for name, reader_function, attribute in (
        ("_data/coauthors.yml", coauthor_links, "coauthors"),
        ("_data/venues.yml", venue_styles, "venues"),
    ):
        text = reader.text(name)
        if text is None:
            continue
        plan.notes += yaml_cut_values(text, file=name)
        data, notes = read_yaml(text, file=name)
        plan.notes += notes
        values, notes = reader_function(data, file=name)
        plan.notes += notes
        setattr(plan, attribute, values)
