"""The one markup pipeline: Markdown -> HTML -> nh3 sanitizer.

Every piece of user-written text (bios, news, contact blocks, the editor's live
preview) goes through here, and the result is what gets stored and shown. The
allowlist keeps what real al-folio pages use (links, images, tables, details,
highlighted spans, Font Awesome and Academicons icons, `&nbsp;`) and removes
everything that can run script.
"""

from __future__ import annotations

import re

import markdown
import nh3
import pymdownx.emoji

from profiles.icons import inline_icons
from profiles.mathml import MathExtension

# kramdown (al-folio's renderer) features that real pages rely on: tables,
# footnotes, attribute lists such as {:target="_blank"}, definition lists,
# smart quotes and dashes; plus GitHub's emoji shortcodes (:wave:), which
# al-folio gets from jemoji and which use the same gemoji names.
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty", "pymdownx.emoji"]
MARKDOWN_EXTENSION_CONFIGS = {
    "pymdownx.emoji": {
        "emoji_index": pymdownx.emoji.gemoji,
        "emoji_generator": pymdownx.emoji.to_alt,  # the Unicode character itself
    }
}

BLOCK_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite",
    "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small",
    "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
INLINE_TAGS = {
    "a", "abbr", "b", "br", "cite", "code", "em", "i", "mark", "s", "small", "span",
    "strong", "sub", "sup", "u",
}  # fmt: skip

# Removed together with their content: their text is code or chrome, never prose.
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "textarea", "select", "title", "iframe",
    "object", "embed", "applet", "svg", "math", "frameset", "noembed", "noframes",
}  # fmt: skip

BLOCK_ATTRIBUTES = {
    "*": {"class", "dir", "id", "lang", "style", "title"},
    "a": {"href", "hreflang", "name"},
    "img": {"alt", "height", "loading", "src", "width"},
    "ol": {"reversed", "start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
INLINE_ATTRIBUTES = {
    "*": {"class", "lang", "style", "title"},
    "a": {"href", "hreflang"},
}
# `target` may only open a new tab; anything else (a named frame) is dropped.
TAG_ATTRIBUTE_VALUES = {"a": {"target": {"_blank"}}}

# Presentational CSS that bios really use; nothing that positions or overlays
# (position, z-index, display) and no shorthand that could carry url().
STYLE_PROPERTIES = {
    "background-color", "border", "border-bottom", "border-color", "border-left",
    "border-radius", "border-right", "border-style", "border-top", "border-width", "color",
    "font-family", "font-size", "font-style", "font-variant", "font-weight", "height",
    "letter-spacing", "line-height", "margin", "margin-bottom", "margin-left", "margin-right",
    "margin-top", "max-height", "max-width", "min-width", "padding", "padding-bottom",
    "padding-left", "padding-right", "padding-top", "text-align", "text-decoration",
    "text-transform", "vertical-align", "white-space", "width",
}  # fmt: skip

# Legacy script hooks in CSS values (old IE's expression(), Firefox's binding),
# and anything that fetches: none has a place in a bio.
UNSAFE_CSS_RE = re.compile(r"expression|url\(|javascript:|behavior|binding|@import|\\", re.I)

URL_SCHEMES = {"http", "https", "mailto", "tel", "data"}
URL_ATTRIBUTES = {"href", "src", "cite"}

# `data:` URLs only as inline raster images: an <img> never runs script, and
# SVG (which can) is left out anyway.
DATA_IMAGE_RE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp);base64,[a-z0-9+/=\s]*$", re.I)
# Browsers ignore ASCII tab and newline anywhere in a URL and C0 controls and
# spaces around it; "java\tscript:" is "javascript:" to them, so to us too.
URL_NOISE_RE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))

# Icon fonts (Font Awesome 4-6, Academicons) and the classes Python-Markdown's
# own extensions emit. Other classes could borrow the page's own styling to
# pose as site chrome, so they are dropped.
ICON_CLASS_RE = re.compile(
    r"^(fa|fas|far|fab|fal|fad|fa-(solid|regular|brands|light|duotone)|ai|"
    r"fa-[a-z0-9-]+|ai-[a-z0-9-]+)$"
)
MARKDOWN_CLASSES = {"footnote", "footnote-ref", "footnote-backref"}


def _keep_class(token: str) -> bool:
    return bool(ICON_CLASS_RE.match(token)) or token in MARKDOWN_CLASSES


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Final say on each attribute that the allowlist let through."""
    if attribute == "class":
        kept = [token for token in value.split() if _keep_class(token)]
        return " ".join(kept) or None
    if attribute == "style":
        kept = [rule for rule in value.split(";") if not UNSAFE_CSS_RE.search(rule)]
        return ";".join(kept) or None
    if attribute in URL_ATTRIBUTES:
        url = URL_NOISE_RE.sub("", value).strip(_C0_AND_SPACE)
        if url.lower().startswith("data:"):
            if element == "img" and attribute == "src" and DATA_IMAGE_RE.match(url):
                return url
            return None
        return value
    return value


_block_cleaner = nh3.Cleaner(
    tags=BLOCK_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=BLOCK_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    tag_attribute_values=TAG_ATTRIBUTE_VALUES,
    filter_style_properties=STYLE_PROPERTIES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener",
    strip_comments=True,
)
_inline_cleaner = nh3.Cleaner(
    tags=INLINE_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=INLINE_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    tag_attribute_values=TAG_ATTRIBUTE_VALUES,
    filter_style_properties=STYLE_PROPERTIES,
    url_schemes=URL_SCHEMES - {"data"},
    link_rel="nofollow noopener",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Clean an HTML fragment for a page body (bios, news, contact blocks)."""
    return _block_cleaner.clean(html)


def sanitize_inline_html(html: str) -> str:
    """Clean a one-line fragment (subtitle): links and emphasis, no blocks or images."""
    return _inline_cleaner.clean(html)


def render_markdown(text: str) -> str:
    """Markdown with embedded HTML -> sanitized HTML.

    This is also django-markdownx's MARKDOWNIFY function, so the editor's live
    preview is exactly what the public page will show.
    """
    math = MathExtension()
    converter = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, math],
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    html = sanitize_html(converter.convert(text or ""))
    # Trusted markup goes in only after sanitizing: icons as SVG from the
    # installed icon packages, and MathML from our converter.
    return math.restore(inline_icons(html))
