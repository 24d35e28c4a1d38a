"""HTML of publications: stored fields rendered on save, and each entry of the page.

Titles are one line of LaTeX-and-HTML (`<i>p</i>-adic`, `$\\mu$`): inline tags
and MathML only. Abstracts are plain text with formulas. Award, annotation and
additional info are Markdown, as al-folio's `markdownify` reads them. All of
it goes through profiles.markup, the one sanitizing pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from profiles.markup import MarkupTooLarge, render_inline, render_markdown

if TYPE_CHECKING:
    from publications.models import Publication


def _safe(render, text: str) -> str:
    # A field too large to render shows as nothing rather than failing an
    # import of thousands of entries; the text itself is kept.
    try:
        return render(text) if text else ""
    except MarkupTooLarge:
        return ""


def render_stored_fields(publication: Publication) -> None:
    publication.title_html = _safe(render_inline, publication.title)
    publication.abstract_html = _safe(render_inline, publication.abstract)
    publication.award_html = _safe(render_markdown, publication.award)
    publication.annotation_html = _safe(render_markdown, publication.annotation)
    publication.additional_info_html = _safe(render_markdown, publication.additional_info)
