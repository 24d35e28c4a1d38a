"""TeX formulas (`$...$`, `$$...$$`) rendered to MathML on the server.

MathML renders natively in Chromium, Firefox and Safari, so pages need no math
JavaScript or fonts. latex2mathml does not escape `\\text{}`, so its output
goes through a MathML-only allowlist before it is used; user-written raw
`<math>` never survives the page sanitizer: only what this module produced does.
"""

from __future__ import annotations

import functools

import nh3
from django.utils.html import escape
from latex2mathml.converter import convert as latex_to_mathml

# MathML Core elements a formula needs. Deliberately absent: `maction` and
# `annotation-xml` (HTML integration points used in mutation XSS), and any
# `href` attribute (old Firefox followed links on MathML elements).
MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot",
    "mstyle", "merror", "mpadded", "mphantom", "msub", "msup", "msubsup", "munder", "mover",
    "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd", "menclose",
    "semantics", "annotation",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "*": {
        "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "depth",
        "display", "displaystyle", "fence", "form", "height", "largeop", "linethickness",
        "lspace", "mathsize", "mathvariant", "maxsize", "minsize", "movablelimits", "notation",
        "rowalign", "rowlines", "rowspacing", "rspace", "scriptlevel", "separator", "stretchy",
        "symmetric", "voffset", "width", "encoding",
    }
}  # fmt: skip

# The longest formula we convert. Real display equations are a few hundred
# characters; the converter costs about 10 µs per character, and its output is
# ten to fifteen times the input, so longer "formulas" are shown as source.
MAX_FORMULA_CHARS = 2_000

_mathml_cleaner = nh3.Cleaner(
    tags=MATHML_TAGS,
    attributes=MATHML_ATTRIBUTES,
    url_schemes=set(),
    link_rel=None,
    strip_comments=True,
)


def formula_source(tex: str, *, display: bool) -> str:
    """The formula as the owner typed it, escaped: shown when it cannot be rendered."""
    delimiter = "$$" if display else "$"
    return f'<code class="math-error">{escape(delimiter + tex + delimiter)}</code>'


# The live preview re-renders the whole text on every pause in typing, with
# the same formulas each time; a bounded cache makes that nearly free.
@functools.lru_cache(maxsize=2048)
def formula_to_mathml(tex: str, *, display: bool) -> str:
    """Sanitized MathML for one formula; the TeX itself, escaped, if it does not parse."""
    if len(tex) > MAX_FORMULA_CHARS:
        return formula_source(tex, display=display)
    try:
        mathml = latex_to_mathml(tex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises a zoo of types (RecursionError included)
        return formula_source(tex, display=display)
    return _mathml_cleaner.clean(mathml)
