"""One publication as the publications page, the paper page and the about page show it.

Built in Python rather than with a template include per entry: a 500-paper
page renders in a few milliseconds this way instead of a few hundred. Every
value is escaped here, with the standard library's html.escape (Django's
escape, lazy-aware, costs eight times as much per call and a page makes
thousands); the *_html fields were sanitized when stored. An entry is a
Publication or a row with its ENTRY_FIELDS (publications.selectors.page_entries).

A long page is assembled here too (`year_groups`) and put into the rendered
template in one replacement: through the template's nested blocks, a
megabyte of entries would be copied once per level.

Without script, everything works: the Abs, Bib and award panels open with a
checkbox and a label (pure CSS), the hidden authors with <details>. The
search box is the only part that needs publications.js.
"""

from __future__ import annotations

import calendar
import functools
import html
import itertools
import re
from collections.abc import Callable
from urllib.parse import quote

from django.utils.safestring import SafeString, mark_safe

from profiles.colors import text_on
from profiles.links import site_url
from profiles.media import media_path
from publications.models import PaperFile, Publication
from publications.names import author_form
from publications.selectors import PublicationsContext

PROCEEDINGS = {"inproceedings", "incollection", "conference"}
THESES = {"thesis", "phdthesis", "mastersthesis"}
_HTTP_RE = re.compile(r"\Ahttps?://", re.I)
_PARAGRAPH_RE = re.compile(r"</?p>")

# The order of al-folio's buttons, with HAL and DOI beside arXiv.
LINK_BUTTONS = (
    ("html", "HTML"), ("pdf", "PDF"), ("supp", "Supp"), ("video", "Video"), ("blog", "Blog"),
    ("code", "Code"), ("poster", "Poster"), ("slides", "Slides"), ("website", "Website"),
)  # fmt: skip

Href = Callable[[str], str]  # a site-relative address as this page links it (previews)


def escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def paper_path(publication: Publication) -> str:
    return f"/publications/{quote(publication.key, safe='/:@-._~')}/"


def paper_bibtex_path(publication: Publication) -> str:
    return f"{paper_path(publication)}bibtex/"


def file_url(file: PaperFile) -> str:
    """The site-relative address of an uploaded file (a document, or an image's fallback)."""
    if file.kind == PaperFile.Kind.DOCUMENT:
        return media_path(file.stored["name"])
    variants = file.stored.get("variants") or []
    return media_path(variants[-1]["fallback"]) if variants else ""


def resolve_link(value: str, context: PublicationsContext, href: Href) -> str:
    """An http(s) address as is; a file name the owner uploaded; otherwise nothing."""
    value = (value or "").strip()
    if _HTTP_RE.match(value):
        return value
    file = context.files.get(value)
    return href(file_url(file)) if file is not None else ""


def month_year(publication: Publication) -> str:
    month = calendar.month_name[publication.month] if publication.month else ""
    return " ".join(part for part in (month, str(publication.year or "")) if part)


def author_name(author: dict) -> str:
    """ "First von Last, Jr", escaped, with its marks as superscript."""
    return _name_html(
        author.get("first", ""),
        author.get("von", ""),
        author.get("last", ""),
        author.get("jr", ""),
        author.get("marks", ""),
    )


@functools.lru_cache(maxsize=16384)  # names repeat across a list and across requests
def _name_html(first: str, von: str, last: str, jr: str, marks: str) -> str:
    name = escape(" ".join(" ".join((first, von, last)).split()))
    if jr:
        name += f", {escape(jr)}"
    if marks:
        name += f"<sup>{escape(marks)}</sup>"
    return name


def author_html(author: dict, context: PublicationsContext) -> str:
    if author.get("others"):
        return "others"
    name = author_name(author)
    form = author_form(author)
    if context.owner.find(form):
        return f'<em class="author-self">{name}</em>'
    url = context.coauthors.find(form)
    if url:
        return f'<a href="{escape(url)}" rel="noopener">{name}</a>'
    person = context.people.find(form)
    if person is not None and person.profile_id != context.profile.pk:
        return (
            f'<a class="author-site" href="{escape(site_url(person.host))}" '
            f'title="Their site on this platform">{name}</a>'
        )
    return name


def _joined(names: list[str], *, complete: bool) -> str:
    """ "A", "A and B", "A, B, and C"; without the final "and" when more follow."""
    if complete and len(names) == 2:
        return f"{names[0]} and {names[1]}"
    if complete and len(names) > 2:
        return ", ".join(names[:-1]) + f", and {names[-1]}"
    return ", ".join(names)


def authors_html(publication: Publication, context: PublicationsContext) -> str:
    names = [author_html(author, context) for author in publication.authors]
    limit = context.settings.max_author_limit
    if not limit or len(names) <= limit:
        return _joined(names, complete=True)
    hidden = len(names) - limit
    label = f"{hidden} more author{'s' if hidden > 1 else ''}"
    return (
        f'{_joined(names[:limit], complete=False)}, and <details class="more-authors">'
        f"<summary>{label}</summary>{_joined(names[limit:], complete=False)}</details>"
    )


def venue_html(publication: Publication) -> str:
    # al-folio's own @string macros end in a comma ({IEEE Conference on ...,}): one is enough.
    venue = escape(publication.venue.rstrip(" ,"))
    if publication.entry_type in PROCEEDINGS and venue:
        venue = f"<em>In {venue}</em>"
    elif venue and (publication.entry_type == "article" or publication.entry_type in THESES):
        venue = f"<em>{venue}</em>"
    when = month_year(publication)
    line = ", ".join(part for part in (venue, when) if part)
    if publication.additional_info_html:
        line += _PARAGRAPH_RE.sub("", publication.additional_info_html)
    return line


def badge_html(publication: Publication, context: PublicationsContext) -> str:
    if not publication.abbr:
        return ""
    venue = context.venues.get(publication.abbr)
    style = ""
    if venue and venue.color:  # validated as #rrggbb
        style = f' style="background-color:{venue.color};color:{text_on(venue.color)}"'

    text = escape(publication.abbr)
    if venue and venue.url:
        text = f'<a href="{escape(venue.url)}" rel="noopener">{text}</a>'
    return f'<abbr class="pub-badge"{style}>{text}</abbr>'


def preview_html(publication: Publication, context: PublicationsContext, href: Href) -> str:
    value = publication.preview.strip()
    if not value:
        return ""
    if _HTTP_RE.match(value):
        src, size = value, ""
    else:
        file = context.files.get(value)
        if file is None or file.kind != PaperFile.Kind.IMAGE or not file.stored.get("variants"):
            return ""
        variant = file.stored["variants"][0]
        src = href(media_path(variant["fallback"]))
        size = f' width="{variant["width"]}" height="{variant["height"]}"'
    return f'<img class="pub-preview" src="{escape(src)}" alt=""{size} loading="lazy">'


def _toggle(n: int, kind: str, label: str) -> tuple[str, str]:
    """A CSS-only toggle: (the checkbox, placed before the panels; its button label)."""
    box = f'<input type="checkbox" class="pub-toggle pub-toggle--{kind}" id="pub{n}-{kind}">'
    button = f'<label class="pub-button" for="pub{n}-{kind}">{label}</label>'
    return box, button


def buttons_and_panels(
    publication: Publication,
    context: PublicationsContext,
    href: Href,
    n: int,
    *,
    with_text_panels: bool = True,
) -> str:
    boxes, buttons, panels = [], [], []
    if publication.award_html:
        box, button = _toggle(n, "award", escape(publication.award_name or "Awarded"))
        boxes.append(box)
        buttons.append(button)
        panels.append(f'<div class="pub-panel pub-panel--award">{publication.award_html}</div>')
    if publication.abstract_html and with_text_panels:
        box, button = _toggle(n, "abs", "Abs")
        boxes.append(box)
        buttons.append(button)
        panels.append(
            f'<div class="pub-panel pub-panel--abs"><p>{publication.abstract_html}</p></div>'
        )
    if publication.arxiv:
        buttons.append(
            _link(f"https://arxiv.org/abs/{quote(publication.arxiv, safe='/.')}", "arXiv")
        )
    if publication.hal:
        buttons.append(_link(f"https://hal.science/{quote(publication.hal, safe='/.')}", "HAL"))
    if publication.doi:
        buttons.append(_link(f"https://doi.org/{quote(publication.doi, safe='/:;()._-')}", "DOI"))
    if publication.bibtex_show and publication.bibtex_display and with_text_panels:
        box, button = _toggle(n, "bib", "Bib")
        boxes.append(box)
        buttons.append(button)
        panels.append(
            f'<div class="pub-panel pub-panel--bib"><pre>{escape(publication.bibtex_display)}'
            "</pre></div>"
        )
    for field, label in LINK_BUTTONS:
        url = resolve_link(getattr(publication, field), context, href)
        if url:
            buttons.append(_link(url, label))
    if not buttons:
        return ""
    return "".join(boxes) + f'<div class="pub-links">{"".join(buttons)}</div>' + "".join(panels)


def _link(url: str, label: str) -> str:
    return f'<a class="pub-button" href="{escape(url)}" rel="noopener">{label}</a>'


def entry_html(
    publication: Publication,
    context: PublicationsContext,
    *,
    n: int,
    href: Href = lambda url: url,
    on_paper_page: bool = False,
) -> SafeString:
    """One entry: badge and preview, title, authors, venue, annotation, buttons, panels.

    On the paper's own page the title is the page's heading and the abstract
    and BibTeX are shown in full, so the entry leaves them out.
    """
    title = ""
    if not on_paper_page:
        link = escape(href(paper_path(publication)))
        title = f'<p class="pub-title"><a href="{link}">{publication.title_html}</a></p>'
    annotation = (
        f'<div class="pub-annotation">{publication.annotation_html}</div>'
        if publication.annotation_html
        else ""
    )
    aside = badge_html(publication, context) + preview_html(publication, context, href)
    return mark_safe(  # noqa: S308 (every value above is escaped or stored sanitized)
        f'<li class="pub" id="{escape(publication.key)}">'
        f'<div class="pub-aside">{aside}</div>'
        f'<div class="pub-body">'
        f"{title}"
        f'<div class="pub-authors">{authors_html(publication, context)}</div>'
        f'<p class="pub-venue">{venue_html(publication)}</p>'
        f"{annotation}"
        f"{buttons_and_panels(publication, context, href, n, with_text_panels=not on_paper_page)}"
        "</div></li>"
    )


def year_groups(entries, context: PublicationsContext, *, href: Href) -> str:
    """Every entry of the page, under a heading per year (newest first, as given)."""
    parts = []
    counter = 0
    for number, (year, group) in enumerate(
        itertools.groupby(entries, key=lambda entry: entry.year), start=1
    ):
        rendered = []
        for entry in group:
            rendered.append(entry_html(entry, context, n=counter, href=href))
            counter += 1
        parts.append(
            f'<section class="pub-year-group" aria-labelledby="year-{number}">'
            f'<h2 class="pub-year" id="year-{number}">{year or "Undated"}</h2>'
            f'<ol class="pubs">{"".join(rendered)}</ol></section>'
        )
    return "".join(parts)
