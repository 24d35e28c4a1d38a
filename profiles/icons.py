"""Icons as small inline SVG, read from installed packages.

Font Awesome Free comes from the PyPI package `fontawesomefree`, Academicons from
the npm package `academicons` (`make install` runs `npm ci`). Nothing is copied
into the repository, and pages need no icon font and no extra request: each
icon is a few hundred bytes of `<svg>` in the HTML itself.

A reference names one icon: "fa-solid:NAME", "fa-regular:NAME", "fa-brands:NAME",
"ai:NAME" or "emoji:CHAR". Bios written for al-folio use icon-font classes
instead (`<i class="fab fa-github"></i>`); `inline_icons` turns those into SVG
after the sanitizer has run.
"""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from html import escape
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from django.conf import settings


class UnknownIcon(LookupError):
    """The reference is malformed or names an icon that is not installed."""


FA_FAMILIES = ("fa-solid", "fa-regular", "fa-brands")
FAMILIES = (*FA_FAMILIES, "ai")

# Also the only guard against path traversal: a name is a file stem and
# nothing else. fullmatch, because `$` would accept a trailing newline.
NAME_RE = re.compile(r"[a-z0-9-]+")

SVG_NS = "{http://www.w3.org/2000/svg}"
# What draws. Everything else in these files (<title>, <defs>, <metadata>,
# Inkscape's editor state) is dropped; neither set uses url(#id) references,
# so dropping <defs> and ids loses nothing.
DRAWING_TAGS = {"g", "path", "circle", "ellipse", "rect", "polygon", "polyline", "line"}
GEOMETRY_ATTRIBUTES = {
    "d", "transform", "points", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height",
    "x1", "y1", "x2", "y2", "fill-rule", "clip-rule", "opacity", "fill-opacity",
}  # fmt: skip
# Declarations of an inline style worth keeping as attributes; the rest
# (stroke widths of unstroked paths, hard-coded fill colours) would only add
# bytes or defeat fill="currentColor".
STYLE_TO_ATTRIBUTE = {"fill-rule", "clip-rule", "opacity", "fill-opacity"}
# Inkscape writes coordinates with five or six decimals; two are far below a
# pixel at any icon size and make Academicons about a third smaller. Only
# numbers that start a token are touched (the lookbehind), and the result
# always keeps its ".dd", so compact runs like "1.5.25" keep their meaning.
LONG_DECIMAL_RE = re.compile(r"(?<![\d.])\d*\.\d{3,}")

# Classes that size, animate or place an icon rather than name it.
MODIFIER_RE = re.compile(
    r"(\d{1,2}x|[23]?xs|sm|lg|[23]?xl|fw|ul|li|border|inverse|pull-left|pull-right|"
    r"spin|spin-pulse|spin-reverse|pulse|beat|beat-fade|bounce|fade|flip|shake|"
    r"flip-horizontal|flip-vertical|flip-both|rotate-90|rotate-180|rotate-270|rotate-by|"
    r"stack|stack-1x|stack-2x|layers|layers-text|layers-counter|swap-opacity|"
    r"sr-only|sr-only-focusable|width-auto|"
    r"solid|regular|brands|light|thin|duotone|sharp|classic)"
)
# Style classes of Font Awesome 5/6. Pro-only styles fall back to solid, which
# has (almost) every free name.
FA_STYLE_CLASSES = {
    "fas": "fa-solid", "fa-solid": "fa-solid",
    "far": "fa-regular", "fa-regular": "fa-regular",
    "fab": "fa-brands", "fa-brands": "fa-brands",
    "fal": "fa-solid", "fa-light": "fa-solid",
    "fat": "fa-solid", "fa-thin": "fa-solid",
    "fad": "fa-solid", "fa-duotone": "fa-solid",
}  # fmt: skip
SHIM_PREFIXES = {None: "fa-solid", "fas": "fa-solid", "far": "fa-regular", "fab": "fa-brands"}

# nh3 (html5ever) serializes every element the same way: attributes in double
# quotes with `"` escaped as &quot;, an empty element as its start tag directly
# followed by its end tag. On that normalized output a regex is exact; it is
# not a parser for arbitrary HTML, so it must only ever see sanitized markup.
EMPTY_ICON_ELEMENT_RE = re.compile(r'<i class="([^"<>]*)"></i>')

_MAX_EMOJI_CODE_POINTS = 16  # long enough for ZWJ sequences such as family emoji


# Where the icons live ------------------------------------------------------


def fontawesome_dir() -> Traversable:
    """fontawesomefree's static folder (holds svgs/ and metadata/)."""
    return files("fontawesomefree") / "static" / "fontawesomefree"


def academicons_dir() -> Path:
    """The installed npm package (holds svg/); the ACADEMICONS_DIR setting, if set."""
    default = Path(settings.BASE_DIR) / "node_modules" / "academicons"
    return Path(getattr(settings, "ACADEMICONS_DIR", default))


def _family_dir(family: str) -> Traversable:
    if family == "ai":
        return academicons_dir() / "svg"
    if family in FA_FAMILIES:
        return fontawesome_dir() / "svgs" / family.removeprefix("fa-")
    raise UnknownIcon(f"unknown icon family {family!r}")


def _icon_file(family: str, name: str) -> Traversable:
    if not NAME_RE.fullmatch(name):
        raise UnknownIcon(f"malformed icon name {name!r}")
    return _family_dir(family) / f"{name}.svg"


def _exists(family: str, name: str) -> bool:
    try:
        return _icon_file(family, name).is_file()
    except UnknownIcon:
        return False


# Reading and cleaning an SVG file ------------------------------------------


@functools.cache
def _svg_parts(file: Traversable) -> tuple[str, str]:
    """(viewBox, inner drawing markup) of one file. Cached: package files never change,
    and only files that exist get here, so the cache is bounded by what is installed."""
    root = _parse(file.read_bytes())
    view_box = root.get("viewBox")
    if root.tag != f"{SVG_NS}svg" or not view_box:
        raise UnknownIcon(f"{file} is not an icon SVG")
    return " ".join(view_box.split()), "".join(_serialize(child) for child in root)


def _parse(data: bytes) -> ET.Element:
    # The parser drops the XML prolog and comments by itself. Only files shipped
    # by installed packages are parsed, never user input, so the stdlib parser
    # (no external entities anyway) is fine without defusedxml.
    try:
        return ET.fromstring(data)  # noqa: S314
    except ET.ParseError as error:
        raise UnknownIcon(f"unreadable icon file: {error}") from error


def _serialize(element: ET.Element) -> str:
    if not element.tag.startswith(SVG_NS):
        return ""  # Inkscape/Sodipodi/RDF editor state
    tag = element.tag.removeprefix(SVG_NS)
    if tag not in DRAWING_TAGS:
        return ""
    attributes = _drawing_attributes(element)
    children = "".join(_serialize(child) for child in element)
    if tag == "g" and not attributes:
        return children  # Inkscape's layer groups carry nothing once ids are gone
    attrs = "".join(f' {key}="{escape(value)}"' for key, value in attributes.items())
    if children:
        return f"<{tag}{attrs}>{children}</{tag}>"
    # Self-closing is valid for SVG inside HTML (foreign content).
    return f"<{tag}{attrs}/>"


def _drawing_attributes(element: ET.Element) -> dict[str, str]:
    kept: dict[str, str] = {}
    for declaration in element.get("style", "").split(";"):
        key, _, value = declaration.partition(":")
        key, value = key.strip(), value.strip()
        if key in STYLE_TO_ATTRIBUTE and value:
            kept[key] = value
    for key, value in element.attrib.items():
        if key in {"d", "points"}:
            kept[key] = LONG_DECIMAL_RE.sub(_two_decimals, " ".join(value.split()))
        elif key in GEOMETRY_ATTRIBUTES:
            kept[key] = " ".join(value.split())
        elif key == "fill" and value.strip() == "none":
            kept[key] = "none"  # a hole, not a colour
    return kept


def _two_decimals(match: re.Match[str]) -> str:
    return f"{float(match.group()):.2f}"


# Public API ----------------------------------------------------------------


def _split_ref(ref: str) -> tuple[str, str]:
    family, sep, name = ref.partition(":")
    if not sep or not name:
        raise UnknownIcon(f"malformed icon reference {ref!r}")
    return family, name


def _emoji_span(char: str, *, label: str | None, css_class: str) -> str:
    # An emoji is text, not a file: accept a short run of non-space characters
    # that includes at least one non-ASCII one, so "emoji:abc" is still an error.
    if (
        len(char) > _MAX_EMOJI_CODE_POINTS
        or any(c.isspace() or not c.isprintable() for c in char)
        or char.isascii()
    ):
        raise UnknownIcon(f"not an emoji: {char!r}")
    # A <span> cannot hold a <title>; aria-label is its equivalent.
    aria = ' aria-hidden="true"' if label is None else f' role="img" aria-label="{escape(label)}"'
    return f'<span class="{escape(css_class)} icon-emoji"{aria}>{escape(char)}</span>'


def icon_svg(ref: str, *, label: str | None = None, css_class: str = "icon") -> str:
    """Markup for the icon `ref`, which is "fa-solid:NAME", "fa-regular:NAME",
    "fa-brands:NAME", "ai:NAME" or "emoji:CHAR".

    An <svg> with the file's viewBox and drawing only (no prolog, comments,
    ids or <title>), class=css_class, fill="currentColor", focusable="false"
    and width/height of 1em, so an icon stays text-sized even before (or
    without) the stylesheet: an SVG with no size fills its container. Without
    a label it is decorative (aria-hidden); with one it is role="img" with the
    escaped label as its <title>. "emoji:X" gives a <span> with the same rules.
    Raises UnknownIcon for a malformed reference or an icon that is not installed.
    """
    family, name = _split_ref(ref)
    if family == "emoji":
        return _emoji_span(name, label=label, css_class=css_class)
    file = _icon_file(family, name)
    if not file.is_file():
        raise UnknownIcon(f"no icon {ref!r}")
    view_box, drawing = _svg_parts(file)
    if label is None:
        aria, title = ' aria-hidden="true"', ""
    else:
        aria, title = ' role="img"', f"<title>{escape(label)}</title>"
    return (
        f'<svg class="{escape(css_class)}" viewBox="{escape(view_box)}" width="1em" '
        f'height="1em" fill="currentColor" focusable="false"{aria}>{title}{drawing}</svg>'
    )


def icon_exists(ref: str) -> bool:
    """Whether icon_svg(ref) would succeed."""
    try:
        icon_svg(ref)
    except UnknownIcon:
        return False
    return True


@functools.cache
def _fa_shims() -> dict[str, tuple[str, str]]:
    """Font Awesome 4 name -> (family, Font Awesome 6 name), from fontawesomefree's metadata."""
    raw = json.loads((fontawesome_dir() / "metadata" / "shims.json").read_text("utf-8"))
    # Each entry is [old name, style prefix or null (solid), new name or null (same)].
    return {old: (SHIM_PREFIXES.get(prefix, "fa-solid"), new or old) for old, prefix, new in raw}


@functools.cache
def _fa_aliases() -> dict[str, str]:
    """Font Awesome 5 name -> Font Awesome 6 name ("external-link-alt" -> "up-right-from-square").

    icons.json is 4 MB; it is only read when a name does not resolve directly,
    and only the alias table is kept.
    """
    raw = json.loads((fontawesome_dir() / "metadata" / "icons.json").read_text("utf-8"))
    return {
        alias: name
        for name, meta in raw.items()
        for alias in (meta.get("aliases") or {}).get("names", [])
    }


def _resolve_fa(family: str | None, name: str) -> str | None:
    """Ref for a Font Awesome name; family None means the version 4 `fa` class."""
    if family is not None:
        candidates = [(family, name)]
    else:
        shim = _fa_shims().get(name)
        candidates = [shim] if shim else []
        # No shim: the name kept its meaning; solid has most icons, then brands.
        candidates += [(fam, name) for fam in ("fa-solid", "fa-brands", "fa-regular")]
    for fam, candidate in candidates:
        if _exists(fam, candidate):
            return f"{fam}:{candidate}"
    renamed = _fa_aliases().get(name)
    if renamed:
        for fam, _ in candidates:
            if _exists(fam, renamed):
                return f"{fam}:{renamed}"
    return None


@functools.lru_cache(maxsize=1024)
def _resolve_classes(tokens: tuple[str, ...], ai_dir: Path) -> str | None:
    # ai_dir is part of the key only so that a changed setting is not served stale.
    del ai_dir
    if "ai" in tokens:
        names = [t[3:] for t in tokens if t.startswith("ai-") and not MODIFIER_RE.fullmatch(t[3:])]
        for name in names:
            if _exists("ai", name):
                return f"ai:{name}"
        return None
    styles = [FA_STYLE_CLASSES[t] for t in tokens if t in FA_STYLE_CLASSES]
    if not styles and "fa" not in tokens:
        return None  # no icon-font class at all: not an icon
    family = styles[0] if styles else None
    names = [t[3:] for t in tokens if t.startswith("fa-") and not MODIFIER_RE.fullmatch(t[3:])]
    for name in names:
        ref = _resolve_fa(family, name)
        if ref:
            return ref
    return None


def icon_ref_from_classes(classes: str) -> str | None:
    """Map the icon-font classes of al-folio bios to a ref, or None.

    "ai ai-google-scholar" -> "ai:google-scholar"; "fab fa-github" or
    "fa-brands fa-github" -> "fa-brands:github"; "fas"/"far" likewise. Font
    Awesome 4's "fa fa-NAME" goes through fontawesomefree's shims.json, or else
    tries solid, brands, regular; Font Awesome 5 names renamed in 6 resolve
    through icons.json's aliases. Modifiers (fa-lg, fa-2x, fa-fw, fa-spin...) are
    ignored.
    """
    tokens = tuple(classes.lower().split())
    if not tokens:
        return None
    return _resolve_classes(tokens, academicons_dir())


def inline_icons(html: str) -> str:
    """Replace each empty `<i class="...">` of ALREADY-SANITIZED html whose classes
    resolve with the decorative inline SVG; leave every other <i> alone."""

    def replace(match: re.Match[str]) -> str:
        ref = icon_ref_from_classes(match.group(1))
        try:
            return icon_svg(ref) if ref else match.group(0)
        except UnknownIcon:  # a damaged package file must not break the page
            return match.group(0)

    return EMPTY_ICON_ELEMENT_RE.sub(replace, html)
