"""The nh3 allowlists: what user HTML may keep, and what the stored HTML may hold.

Two cleaners guard every piece of markup (profiles.markup.render_markdown):

- the *user* cleaner runs first, on whatever Markdown and raw HTML produced. It
  keeps what real al-folio pages use (links, images, tables, details,
  highlighted spans, icon-font classes, `&nbsp;`) and removes everything that
  can run script, load a document or pose as the page's own chrome;
- the *stored* cleaner runs last, after our own trusted markup (MathML formulas,
  SVG icons) went in. Its allowlist is the user one plus exactly that markup, so
  the HTML we store and serve is, by construction, HTML this module approves:
  cleaning it again changes nothing (a test holds us to that).

Ids and in-page links that come from user markup get the `user-content-`
prefix, as on GitHub, so a bio cannot take over the page's own ids (the skip
link targets `#content`).
"""

from __future__ import annotations

import re

import nh3

from profiles.markup.mathml import MATHML_ATTRIBUTES, MATHML_TAGS

USER_CONTENT_PREFIX = "user-content-"

BLOCK_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite",
    "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section",
    "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
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

# Which schemes each URL attribute may use; a relative URL (no scheme) is
# always fine. `cite` is never followed by browsers, but scripts and
# extensions do read it, so it gets web addresses only.
URL_SCHEMES_BY_ATTRIBUTE = {
    "href": {"http", "https", "mailto", "tel"},
    "src": {"http", "https", "data"},
    "cite": {"http", "https"},
}
URL_SCHEMES = set().union(*URL_SCHEMES_BY_ATTRIBUTE.values())
ABSOLUTE_ONLY_ATTRIBUTES = {"cite"}
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)

# `data:` URLs only as inline raster images: an <img> never runs script, and
# SVG (which can) is left out anyway.
DATA_IMAGE_RE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp);base64,[a-z0-9+/=\s]*$", re.I)
# Browsers ignore ASCII tab and newline anywhere in a URL and C0 controls and
# spaces around it; "java\tscript:" is "javascript:" to them, so to us too.
URL_NOISE_RE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))

# Icon fonts (Font Awesome 4-6, Academicons) and the classes the Markdown
# renderer's own plugins emit (footnotes). Other classes could borrow the
# page's own styling to pose as site chrome, so they are dropped.
ICON_CLASS_RE = re.compile(
    r"^(fa|fas|far|fab|fal|fad|fa-(solid|regular|brands|light|duotone)|ai|"
    r"fa-[a-z0-9-]+|ai-[a-z0-9-]+)$"
)
MARKDOWN_CLASSES = {
    "footnotes", "footnotes-sep", "footnotes-list", "footnote-item", "footnote-ref",
    "footnote-backref", "math-error",
}  # fmt: skip

# What our own trusted markup adds (profiles.icons and profiles.markup.mathml).
ICON_SVG_TAGS = {"svg", "g", "path", "circle", "ellipse", "rect", "polygon", "polyline", "line"}
ICON_SVG_TAGS_WITH_TITLE = ICON_SVG_TAGS | {"title"}
ICON_DRAWING_ATTRIBUTES = frozenset(
    {
        "d", "transform", "points", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height",
        "x1", "y1", "x2", "y2", "fill-rule", "clip-rule", "opacity", "fill-opacity", "fill",
    }
)  # fmt: skip
ICON_SVG_ATTRIBUTES = {
    "svg": {"viewBox", "width", "height", "fill", "focusable", "aria-hidden", "role"},
    **{tag: set(ICON_DRAWING_ATTRIBUTES) for tag in ICON_SVG_TAGS - {"svg"}},
}
TRUSTED_CLASSES = {"icon", "icon-emoji"}
TRUSTED_SPAN_ATTRIBUTES = {"role", "aria-label", "aria-hidden"}


def _keep_class(token: str, *, trusted: bool) -> bool:
    return (
        bool(ICON_CLASS_RE.match(token))
        or token in MARKDOWN_CLASSES
        or (trusted and token in TRUSTED_CLASSES)
    )


def _safe_url(element: str, attribute: str, value: str) -> str | None:
    url = URL_NOISE_RE.sub("", value).strip(_C0_AND_SPACE)
    scheme_match = SCHEME_RE.match(url)
    if not scheme_match:
        return None if attribute in ABSOLUTE_ONLY_ATTRIBUTES else _prefix_fragment(value)
    scheme = scheme_match.group(1).lower()
    if scheme not in URL_SCHEMES_BY_ATTRIBUTE[attribute]:
        return None
    if scheme == "data":
        return url if element == "img" and DATA_IMAGE_RE.match(url) else None
    return value


def _prefix_fragment(url: str) -> str:
    """`#methods` -> `#user-content-methods`, matching the prefixed ids."""
    if url.startswith("#") and len(url) > 1 and not url.startswith("#" + USER_CONTENT_PREFIX):
        return "#" + USER_CONTENT_PREFIX + url[1:]
    return url


def _attribute_filter(*, trusted: bool):
    def filter_attribute(element: str, attribute: str, value: str) -> str | None:
        """Final say on each attribute that the allowlist let through."""
        if attribute == "class":
            kept = [token for token in value.split() if _keep_class(token, trusted=trusted)]
            return " ".join(kept) or None
        if attribute == "style":
            kept = [rule for rule in value.split(";") if not UNSAFE_CSS_RE.search(rule)]
            return ";".join(kept) or None
        if attribute in URL_SCHEMES_BY_ATTRIBUTE:
            return _safe_url(element, attribute, value)
        if attribute == "name" and element == "a" and not value.startswith(USER_CONTENT_PREFIX):
            return USER_CONTENT_PREFIX + value  # an old-style anchor is an id too
        return value

    return filter_attribute


def _cleaner(*, tags: set[str], attributes: dict[str, set[str]], trusted: bool) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=DROPPED_WITH_CONTENT - tags,
        attributes=attributes,
        attribute_filter=_attribute_filter(trusted=trusted),
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        filter_style_properties=STYLE_PROPERTIES,
        url_schemes=URL_SCHEMES if "img" in tags else URL_SCHEMES - {"data"},
        link_rel="nofollow noopener",
        strip_comments=True,
        id_prefix=USER_CONTENT_PREFIX,
    )


def _merged(*maps: dict[str, set[str]]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for mapping in maps:
        for tag, names in mapping.items():
            merged[tag] = merged.get(tag, set()) | names
    return merged


_user_cleaner = _cleaner(tags=BLOCK_TAGS, attributes=BLOCK_ATTRIBUTES, trusted=False)
_inline_cleaner = _cleaner(tags=INLINE_TAGS, attributes=INLINE_ATTRIBUTES, trusted=False)
_stored_cleaner = _cleaner(
    tags=BLOCK_TAGS | MATHML_TAGS | ICON_SVG_TAGS_WITH_TITLE,
    attributes=_merged(
        BLOCK_ATTRIBUTES,
        {tag: MATHML_ATTRIBUTES["*"] for tag in MATHML_TAGS},
        ICON_SVG_ATTRIBUTES,
        {"span": TRUSTED_SPAN_ATTRIBUTES},
    ),
    trusted=True,
)


def sanitize_html(html: str) -> str:
    """Clean a user HTML fragment for a page body (bios, news, contact blocks)."""
    return _user_cleaner.clean(html)


def sanitize_inline_html(html: str) -> str:
    """Clean a one-line fragment (subtitle): links and emphasis, no blocks or images."""
    return _inline_cleaner.clean(html)


_stored_inline_cleaner = _cleaner(
    tags=INLINE_TAGS | MATHML_TAGS,
    attributes=_merged(INLINE_ATTRIBUTES, {tag: MATHML_ATTRIBUTES["*"] for tag in MATHML_TAGS}),
    trusted=True,
)


def sanitize_stored_inline_html(html: str) -> str:
    """The last pass of one-line markup: the inline allowlist plus our own MathML."""
    return _stored_inline_cleaner.clean(html)


def sanitize_stored_html(html: str) -> str:
    """The last pass: user allowlist plus our own MathML and SVG icons."""
    return _stored_cleaner.clean(html)
