"""TeX math in bios and news (`$...$`, `$$...$$`) rendered to MathML on the server.

MathML renders natively in Chromium, Firefox and Safari, so pages need no math
JavaScript or fonts. The markdown extension swaps each formula for an opaque
token; the caller sanitizes the whole page and only then puts the formulas
back, each cleaned by a MathML-only allowlist. User-written raw `<math>` never
survives the page sanitizer: only what our converter produced does.
"""

from __future__ import annotations

import re
import secrets

import nh3
from django.utils.html import escape
from latex2mathml.converter import convert as latex_to_mathml
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

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

_mathml_cleaner = nh3.Cleaner(
    tags=MATHML_TAGS,
    attributes=MATHML_ATTRIBUTES,
    url_schemes=set(),
    link_rel=None,
    strip_comments=True,
)

# $$ display $$ may span lines; $inline$ follows pandoc's rule (no space just
# inside the dollars, no digit right after the closing one) so "$5 and $10"
# stays prose.
BLOCK_MATH_RE = r"(?<!\\)\$\$(.+?)\$\$"
INLINE_MATH_RE = r"(?<![\\$])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)"


def formula_to_mathml(tex: str, *, display: bool) -> str:
    """Sanitized MathML for one formula; the TeX itself, escaped, if it does not parse."""
    try:
        mathml = latex_to_mathml(tex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises a zoo of types on bad input
        delimiter = "$$" if display else "$"
        return f'<code class="math-error">{escape(delimiter + tex + delimiter)}</code>'
    return _mathml_cleaner.clean(mathml)


class _MathPattern(InlineProcessor):
    def __init__(self, pattern: str, extension: MathExtension, *, display: bool) -> None:
        super().__init__(pattern)
        self.extension = extension
        self.display = display

    def handleMatch(self, m: re.Match, data: str) -> tuple[str, int, int]:
        token = self.extension.stash(formula_to_mathml(m.group(1), display=self.display))
        return AtomicString(token), m.start(0), m.end(0)


class MathExtension(Extension):
    """Collects formulas during one markdown conversion; see `restore`."""

    def __init__(self) -> None:
        super().__init__()
        # A fresh nonce per conversion: text typed by the owner can never
        # imitate a token and smuggle markup past the sanitizer.
        self.nonce = secrets.token_hex(8)
        self.formulas: list[str] = []

    def stash(self, mathml: str) -> str:
        self.formulas.append(mathml)
        return f"MFMATH{self.nonce}X{len(self.formulas) - 1}X"

    def restore(self, html: str) -> str:
        if not self.formulas:
            return html
        pattern = re.compile(rf"MFMATH{self.nonce}X(\d+)X")
        return pattern.sub(lambda m: self.formulas[int(m.group(1))], html)

    def extendMarkdown(self, md: Markdown) -> None:
        md.ESCAPED_CHARS.append("$")
        # Above emphasis (so "_" inside a formula is not italics), below code
        # spans (so `$x$` in backticks stays code).
        md.inlinePatterns.register(
            _MathPattern(BLOCK_MATH_RE, self, display=True), "math-block", 186
        )
        md.inlinePatterns.register(_MathPattern(INLINE_MATH_RE, self, display=False), "math", 185)
