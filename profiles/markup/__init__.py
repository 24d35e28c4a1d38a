"""The one markup pipeline: Markdown -> HTML -> sanitizer -> trusted markup -> sanitizer.

Every piece of user-written text (bios, contact blocks, news, the editor's live
preview) goes through `render_markdown`, and its result is what gets stored
and shown:

1. Markdown becomes HTML (profiles.markup.markdown, linear on any input);
   formulas become opaque tokens in text positions;
2. the user allowlist cleans it (profiles.markup.sanitizer);
3. our own trusted markup goes in, in text positions only: MathML for the
   formula tokens and inline SVG for icon-font `<i>` elements;
4. the stored allowlist (the user one plus exactly that markup) cleans it
   again, so what we store is what the sanitizer approved.

Input and output are bounded: each field has a length limit no real page
reaches (its form says so), and a rendering that would exceed MAX_HTML_CHARS
raises MarkupTooLarge before the sanitizer ever sees it.
"""

from __future__ import annotations

import functools
import re

from django.core.exceptions import ValidationError

from profiles.icons import UnknownIcon, icon_ref_from_classes, icon_svg
from profiles.markup.markdown import (
    TOKEN_PATTERN,
    TOKEN_RE,
    TrustedMarkup,
    inline_math_to_tokens,
    markdown_to_html,
)
from profiles.markup.sanitizer import (
    USER_CONTENT_PREFIX,
    sanitize_html,
    sanitize_inline_html,
    sanitize_stored_html,
    sanitize_stored_inline_html,
)

__all__ = [
    "BIO_MAX_CHARS",
    "MAX_HTML_CHARS",
    "SHORT_MARKUP_MAX_CHARS",
    "USER_CONTENT_PREFIX",
    "MarkupTooLarge",
    "render_inline",
    "render_lines",
    "render_markdown",
    "sanitize_html",
    "sanitize_inline_html",
    "sanitize_stored_html",
    "validate_lines",
    "validate_markdown",
]

# Field limits, in characters. The longest real about page we have seen (the
# corpus and seeds) is 7,600 characters, front matter and comments included.
BIO_MAX_CHARS = 20_000
SHORT_MARKUP_MAX_CHARS = 2_000  # contact block, contact note

# What one field may become. A real bio renders to 10-30 KB; repeated
# reference links, icons or formulas can multiply input a hundredfold.
MAX_HTML_CHARS = 300_000
# More icons than any real bio shows; past this, icon elements stay empty.
MAX_ICONS = 200


class MarkupTooLarge(ValueError):
    """The text would render to more HTML than a page should carry."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(
            f"This text would become {size // 1000:,} KB of HTML, more than the "
            f"{MAX_HTML_CHARS // 1000:,} KB a page can carry (repeated links, icons or "
            "formulas add up). Please shorten it."
        )


# Sanitized HTML is serialized in one normal form (html5ever): text has `<`
# escaped, attribute values are double-quoted with `"` escaped, comments are
# gone. So every `<` starts a tag, and this regex can tell tags from text.
_TAG = r'<(?:[^"<>]|"[^"]*")*>'
_ICON_ELEMENT = r'<i class="(?P<icon>[^"<>]*)"></i>'
_SCANNER = re.compile(rf"{_ICON_ELEMENT}|(?P<tag>{_TAG})|{TOKEN_PATTERN}", re.DOTALL)


def _insert_trusted(html: str, trusted: TrustedMarkup) -> str:
    """Put formulas and icons into text positions of sanitized `html`.

    A formula token inside an attribute value (a link's address, an alt text)
    is removed, never expanded: markup belongs in text only. A token with
    another rendering's nonce is text the owner typed, and stays text.
    """
    if not trusted.formulas and "<i " not in html:
        return html  # nothing to put in: most titles and many bios
    icons_left = MAX_ICONS

    def replace(match: re.Match[str]) -> str:
        nonlocal icons_left
        if match.group("icon") is not None:
            ref = icon_ref_from_classes(match.group("icon"))
            if ref is None or icons_left <= 0:
                return match.group(0)
            try:
                svg = icon_svg(ref)
            except UnknownIcon:  # a damaged package file must not break the page
                return match.group(0)
            icons_left -= 1
            return svg
        if match.group("tag") is not None:
            return TOKEN_RE.sub("", match.group(0))
        if match.group("nonce") != trusted.nonce:
            return match.group(0)
        return trusted.formulas[int(match.group("formula"))]

    return _SCANNER.sub(replace, html)


# A form's validator renders each text, then Model.save renders it again to
# store it: remember the last few results so that a save renders once.
@functools.lru_cache(maxsize=16)
def _render(text: str, *, hard_breaks: bool) -> str:
    html, trusted = markdown_to_html(text or "", hard_breaks=hard_breaks)
    if len(html) > MAX_HTML_CHARS:  # before spending time sanitizing it
        raise MarkupTooLarge(len(html))
    html = sanitize_stored_html(_insert_trusted(sanitize_html(html), trusted)).strip()
    if len(html) > MAX_HTML_CHARS:
        raise MarkupTooLarge(len(html))
    return html


def render_markdown(text: str) -> str:
    """Markdown with embedded HTML -> sanitized HTML (raises MarkupTooLarge).

    This is also the editor's live preview, so the preview is exactly what
    the public page will show.
    """
    return _render(text, hard_breaks=False)


def render_lines(text: str) -> str:
    """Like render_markdown, but each line break typed stays a line break (addresses)."""
    return _render(text, hard_breaks=True)


def _validate_with(renderer, text: str) -> None:
    try:
        renderer(text)
    except MarkupTooLarge as error:
        raise ValidationError(str(error), code="markup_too_large") from error


@functools.lru_cache(maxsize=256)
def render_inline(text: str) -> str:
    """One line of user HTML with `$math$` (a paper's title): inline tags only, formulas as MathML.

    Not Markdown: BibTeX titles are written in LaTeX and HTML, where `*` and
    `_` are literal. Cached: a co-author's name or a venue repeats across a list.
    """
    tokens, trusted = inline_math_to_tokens(text or "")
    html = sanitize_stored_inline_html(_insert_trusted(sanitize_inline_html(tokens), trusted))
    if len(html) > MAX_HTML_CHARS:
        raise MarkupTooLarge(len(html))
    return html.strip()


def validate_markdown(text: str) -> None:
    """A field validator: the text must render within MAX_HTML_CHARS."""
    _validate_with(render_markdown, text)


def validate_lines(text: str) -> None:
    """validate_markdown, for fields rendered with render_lines."""
    _validate_with(render_lines, text)
