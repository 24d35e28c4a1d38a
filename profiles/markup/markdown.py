"""Markdown to (unsanitized) HTML with markdown-it-py, linear on hostile input.

CommonMark plus what al-folio's kramdown pages rely on: GitHub tables and
strikethrough, footnotes, definition lists, attribute lists after links and
images (`{:target="_blank"}`), smart quotes and dashes, `:emoji:` shortcodes
with GitHub's names (al-folio's jemoji uses the same), and `$...$`/`$$...$$`
formulas. Raw HTML passes through here; the sanitizer decides what stays.

Python-Markdown, which we used before, is quadratic or worse on inputs as small
as 10 KB (`"[" * 10000` took 21 s, deep lists overflow its recursion) and has no
way to bound it; markdown-it-py follows CommonMark's reference implementation,
which is linear by design. `bench/markup.py` measures both kinds of input.

Formulas do not become MathML here: each is replaced by an opaque token in a
text position, and profiles.markup puts the sanitized MathML back after the
page sanitizer ran (see `TrustedMarkup`).
"""

from __future__ import annotations

import importlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

import emoji
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from profiles.markup.mathml import formula_source, formula_to_mathml

# markdown-it pads every table row to the header's width, and stops a table
# once it has padded 65,536 empty cells: 20 KB of `|` then builds 670 KB of
# HTML in 0.6 s. No real table leaves thousands of cells empty, so stop far
# sooner. (The rule reads this module constant on every row; importlib, because
# the package exports a function of the same name as the module.)
importlib.import_module("markdown_it.rules_block.table").MAX_AUTOCOMPLETED_CELLS = 4_096

# More formulas than any real page has; past this, formulas show as source.
MAX_FORMULAS = 500

# kramdown writes attribute lists as `{:target="_blank"}`; the attrs plugin
# reads the same thing without the colon.
KRAMDOWN_ATTRIBUTE_LIST_RE = re.compile(r"\{:\s*(?=[^{}\n]*\})")
# Attributes an attribute list may set; the sanitizer still has the last word.
ATTRIBUTE_LIST_ALLOWED = ("target", "class", "id", "title", "width", "height", "lang")

MATH_TOKENS = {
    "math_inline": False,
    "math_inline_double": True,
    "math_block": True,
    "math_block_label": True,
}


# Any rendering's token; a token only counts when its nonce is this rendering's.
TOKEN_PATTERN = r"MFMATH(?P<nonce>[0-9a-f]{16})X(?P<formula>\d+)X"  # noqa: S105 (not a secret)
TOKEN_RE = re.compile(TOKEN_PATTERN)


@dataclass
class TrustedMarkup:
    """Formulas of one rendering, each behind a token only this rendering knows."""

    # A fresh nonce per rendering: text typed by the owner can never imitate a
    # token and smuggle markup past the sanitizer.
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))
    formulas: list[str] = field(default_factory=list)

    def stash(self, mathml: str) -> str:
        self.formulas.append(mathml)
        return f"MFMATH{self.nonce}X{len(self.formulas) - 1}X"


def _kramdown_attribute_lists(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and "{:" in token.content:
            token.content = KRAMDOWN_ATTRIBUTE_LIST_RE.sub("{", token.content)


def _emoji_shortcodes(state: StateCore) -> None:
    # Text tokens only: a `:name:` inside code stays as typed.
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "text" and ":" in child.content:
                child.content = emoji.emojize(child.content, language="alias")


def _render_math(
    self, tokens: Sequence[Token], idx: int, options: dict, env: dict
) -> str:  # markdown-it's renderer-rule signature
    token = tokens[idx]
    display = MATH_TOKENS[token.type]
    trusted: TrustedMarkup = env["trusted"]
    if len(trusted.formulas) >= MAX_FORMULAS:
        html = formula_source(token.content, display=display)
    else:
        html = trusted.stash(formula_to_mathml(token.content, display=display))
    return f"\n{html}\n" if token.block else html


def _build(*, hard_breaks: bool) -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True, "typographer": True, "breaks": hard_breaks})
        .enable(["table", "strikethrough", "replacements", "smartquotes"])
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(attrs_plugin, allowed=ATTRIBUTE_LIST_ALLOWED)
        # pandoc's rule for inline math: no space just inside the dollars and
        # no digit right outside them, so "$5 and $10" stays prose.
        .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    )
    md.core.ruler.before("inline", "kramdown_attribute_lists", _kramdown_attribute_lists)
    md.core.ruler.push("emoji_shortcodes", _emoji_shortcodes)
    for token_type in MATH_TOKENS:
        md.add_render_rule(token_type, _render_math)
    return md


_prose = _build(hard_breaks=False)
# The contact block is an address: one line typed, one line shown.
_lines = _build(hard_breaks=True)


# pandoc's rule, as in Markdown: no space just inside the dollars, no digit
# right after the closing one, so "$5 and $10" stays prose.
INLINE_MATH_RE = re.compile(r"(?<![\\$])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)")


def inline_math_to_tokens(text: str) -> tuple[str, TrustedMarkup]:
    """`text` with each `$formula$` swapped for a token, and the formulas' MathML."""
    trusted = TrustedMarkup()

    def swap(match: re.Match[str]) -> str:
        if len(trusted.formulas) >= MAX_FORMULAS:
            return match.group(0)
        return trusted.stash(formula_to_mathml(match.group(1), display=False))

    # An escaped dollar is a dollar sign once formulas are found.
    return INLINE_MATH_RE.sub(swap, text).replace("\\$", "$"), trusted


def markdown_to_html(text: str, *, hard_breaks: bool = False) -> tuple[str, TrustedMarkup]:
    """Unsanitized HTML for `text`, and the formulas to put back after sanitizing."""
    trusted = TrustedMarkup()
    md = _lines if hard_breaks else _prose
    return md.render(text, {"trusted": trusted}), trusted
