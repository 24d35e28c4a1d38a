"""Repairs for text imported from al-folio (Jekyll) repositories, before it is stored.

Real files hold things our Markdown pipeline (profiles.markup) must not see raw:
mojibake, Jekyll's Liquid template code, kramdown's own syntax, YAML values cut
short by `#`. Each function here returns the repaired text and `Note`s for the
import report: one per change, naming the file and the line of the original.

- `decode_text`: bytes to text (UTF-8, else Windows-1252), then mojibake repaired
  by ftfy, configured to fix the encoding and nothing else;
- `translate_liquid`: links, site values, figures and videos translated, the rest
  of the Liquid removed (tags only: the owner's text around them stays);
- `kramdown_attributes`: kramdown attribute lists and extensions removed, except
  the inline lists after links, images and code that our renderer applies;
- `yaml_cut_values`: notes for YAML values that `#` cut short;
- `emoji_shortcodes`: `:sparkles:` to ✨ in plain-text fields;
- `repair_markdown`: the first three in a row, for a Markdown or HTML file.

Nothing here runs template code: Liquid is read by a small scanner that only
recognises the forms al-folio pages use, never evaluated. The scanner keeps the
original line structure in view, so every note points at the line the owner
sees in their own repository.
"""

from __future__ import annotations

import bisect
import codecs
import datetime
import difflib
import html
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import emoji
import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

__all__ = [
    "Note",
    "decode_text",
    "emoji_shortcodes",
    "kramdown_attributes",
    "repair_markdown",
    "translate_liquid",
    "yaml_cut_values",
]


@dataclass(frozen=True)
class Note:
    """A warning for the import report."""

    file: str  # the path given by the caller, e.g. "_news/announcement_3.md"
    line: int  # 1-based line in that file (0 when not about a line)
    message: str  # a sentence a researcher understands


# Maps a site path ("/assets/x.pdf") to the URL to write; None keeps the site path.
AssetMapper = Callable[[str], str | None]


# --------------------------------------------------------------------------- #
# Bytes to text
# --------------------------------------------------------------------------- #

# ftfy's encoding repair only: no HTML unescaping (`&nbsp;` stays), no straight
# quotes, no ligature or width folding, no Unicode normalisation, no line-break
# or control-character changes. Ordinary text must come out exactly as it went in.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def decode_text(data: bytes, *, file: str) -> tuple[str, list[Note]]:
    """Text of a file as its owner meant it, and notes on what had to be repaired.

    UTF-8 (a byte-order mark is dropped); a file that is not UTF-8 is read as
    Windows-1252, with a note. Then mojibake (UTF-8 once read as Windows-1252,
    which turns 👋 into four odd Latin characters) is repaired line by line by
    ftfy's encoding fixer, and the Chinese, Japanese or Korean it leaves (two or
    more such characters in a row, each decoding to a letter; a space standing
    for a lost soft hyphen) by `_restore_cjk`; one note gives the first line,
    the number of lines and an example. Line endings are left as they are.
    """
    notes: list[Note] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")  # Notepad's "Unicode"
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            # The sloppy codec maps the five bytes Windows-1252 leaves undefined
            # instead of failing on them.
            text = data.decode("sloppy-windows-1252")
            notes.append(
                Note(
                    file,
                    data.count(b"\n", 0, error.start) + 1,
                    "This file was not UTF-8; it was read as Windows-1252. "
                    "Check its accented letters and symbols.",
                )
            )
    text = text.removeprefix("\ufeff")
    fixed, note = _fix_mojibake(text, file=file)
    if note:
        notes.append(note)
    return fixed, notes


def _fix_mojibake(text: str, *, file: str) -> tuple[str, Note | None]:
    lines = text.split("\n")
    changed: list[int] = []
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        repaired = _restore_cjk(ftfy.fix_encoding(line, FTFY_CONFIG))
        if repaired != line:
            lines[index] = repaired
            changed.append(index)
    if not changed:
        return text, None
    first = changed[0]
    before, after = _first_difference(text.split("\n")[first], lines[first])
    count = "1 line" if len(changed) == 1 else f"{len(changed)} lines"
    message = (
        f"Repaired garbled characters (UTF-8 text once read as Windows-1252) on {count}, "
        f"e.g. {before} -> {after}."
    )
    return "\n".join(lines), Note(file, first + 1, message)


# What ftfy leaves: Chinese, Japanese or Korean read as Windows-1252 (彭儒 shown as
# six accented letters and signs), where its badness heuristic sees too little to
# act, often with the invisible soft hyphen (byte AD) turned into a space on the
# way, as in the subtitle of ../shared/seeds/about-rupeng.md.
_HIGH = bytes(range(0x80, 0x100)).decode("sloppy-windows-1252")
_LEAD = re.escape(_HIGH[0x60:0x70])  # the first byte of a 3-byte character, E0-EF
_CONT = re.escape(_HIGH[0x00:0x40])  # a following byte, 80-BF
CJK_UNIT = rf"[{_LEAD}][{_CONT}](?:[{_CONT}]| (?=[{_LEAD}]))"
CJK_UNIT_RE = re.compile(CJK_UNIT)
# Two characters or more in a row: a lone accented letter before two punctuation
# marks ("perché”…") is left alone.
CJK_RUN_RE = re.compile(rf"{CJK_UNIT}(?: ?{CJK_UNIT})+")


def _restore_cjk(line: str) -> str:
    """Runs of 3-byte UTF-8 characters read as Windows-1252, decoded when all are letters."""
    if not re.search(f"[{_LEAD}]", line):
        return line

    def decode(run: re.Match[str]) -> str:
        out: list[str] = []
        pos = 0
        for unit in CJK_UNIT_RE.finditer(run.group()):
            out.append(run.group()[pos : unit.start()])  # a real space between characters
            data = unit.group().replace(" ", "\xad").encode("sloppy-windows-1252")
            try:
                char = data.decode("utf-8")
            except UnicodeDecodeError:
                return run.group()
            if not unicodedata.category(char).startswith("L"):
                return run.group()
            out.append(char)
            pos = unit.end()
        return "".join(out)

    return CJK_RUN_RE.sub(decode, line)


def _first_difference(old: str, new: str) -> tuple[str, str]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return old[i1:i2][:30], new[j1:j2][:30]
    return old[:30], new[:30]  # pragma: no cover (the lines differ)


# --------------------------------------------------------------------------- #
# Where code is: Liquid and kramdown stay literal there
# --------------------------------------------------------------------------- #

# The block rules of profiles.markup's renderer (tables, footnotes, definition
# lists, $$math$$), so a code block here is a code block on the page.
_BLOCKS = (
    MarkdownIt("commonmark", {"html": True})
    .enable("table")
    .use(footnote_plugin)
    .use(deflist_plugin)
    .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
)

YAML_SUFFIXES = (".yml", ".yaml")
HTML_SUFFIXES = (".html", ".htm", ".liquid", ".xml")
FRONT_MATTER_END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$")


def _front_matter_lines(lines: list[str]) -> int:
    """How many lines the front matter takes (0 without one)."""
    if not lines or lines[0].rstrip("\r").rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if FRONT_MATTER_END_RE.match(lines[index]):
            return index + 1
    return 0


def _code_lines(text: str, file: str) -> set[int]:
    """0-based numbers of the lines inside Markdown code blocks (fences included).

    Only Markdown has code blocks: YAML and HTML files have none, and neither has
    a page's front matter. An indented block inside an HTML element left open
    (al-folio's `<div class="row">` with indented figures after a blank line) is
    not code either: kramdown reads an HTML block to its closing tag, so the
    owner saw HTML there, not a code sample.
    """
    name = file.lower()
    if name.endswith(YAML_SUFFIXES + HTML_SUFFIXES):
        return set()
    lines = text.split("\n")
    offset = _front_matter_lines(lines)
    body = "\n".join(lines[offset:])
    if "```" not in body and "~~~" not in body and "    " not in body and "\t" not in body:
        return set()
    code: set[int] = set()
    depth = 0  # block-level HTML elements open at this point
    for token in _BLOCKS.parse(body):
        if token.type == "code_block" and depth > 0:
            depth = _html_depth(depth, token.content)
            continue
        if token.type == "html_block":
            depth = _html_depth(depth, token.content)
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(token.map[0] + offset, token.map[1] + offset))
    return code


HTML_BLOCK_ELEMENTS = (
    "div|section|article|aside|header|footer|main|nav|table|thead|tbody|tr|td|th|"
    "ul|ol|li|dl|figure|details|blockquote|center|form"
)
HTML_OPEN_RE = re.compile(rf"<(?:{HTML_BLOCK_ELEMENTS})\b[^>]*(?<!/)>", re.I)
HTML_CLOSE_RE = re.compile(rf"</(?:{HTML_BLOCK_ELEMENTS})\s*>", re.I)


def _html_depth(depth: int, html_text: str) -> int:
    opened = len(HTML_OPEN_RE.findall(html_text))
    closed = len(HTML_CLOSE_RE.findall(html_text))
    return max(0, depth + opened - closed)


class _Lines:
    """Offsets of the line starts of a text: line of a position, line starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        """0-based line of a position."""
        return bisect.bisect_right(self.starts, pos) - 1

    def start(self, line: int) -> int:
        return self.starts[line]

    def end(self, line: int) -> int:
        """Position of the newline ending this line (or of the text's end)."""
        nxt = line + 1
        return self.starts[nxt] - 1 if nxt < len(self.starts) else len(self.text)


@dataclass
class _Edit:
    start: int
    end: int
    new: str
    removal: bool  # a removal that leaves its line blank drops the line
    block_after: bool = False  # block HTML on its own line: a blank line follows


def _apply(text: str, edits: list[_Edit]) -> tuple[str, list[int]]:
    """The text with its edits, and the original 1-based line of each output line.

    A line left holding only whitespace by removals alone is dropped, as Jekyll's
    `{%- -%}` would: a blank line where a tag was would end an HTML block or split
    a list in CommonMark, which kramdown never did.
    """
    if not edits:
        return text, list(range(1, text.count("\n") + 2))
    lines = _Lines(text)
    edits = sorted(edits, key=lambda edit: edit.start)
    edits = _drop_emptied_lines(text, lines, edits)
    out: list[str] = []
    origin: list[int] = [1]
    at_line_start = True
    pos = 0

    def put(chunk: str, source: int, *, copied: bool) -> None:
        # Copied text keeps its lines; the lines of a replacement are its tag's line.
        nonlocal at_line_start
        if at_line_start:
            origin[-1] = lines.line(source) + 1
            at_line_start = False
        newline = chunk.find("\n")
        while newline >= 0:
            origin.append(lines.line(source + newline) + 2 if copied else lines.line(source) + 1)
            at_line_start = newline == len(chunk) - 1
            newline = chunk.find("\n", newline + 1)
        out.append(chunk)

    for edit in edits:
        if edit.start > pos:
            put(text[pos : edit.start], pos, copied=True)
        if edit.new:
            put(edit.new, edit.start, copied=False)
        pos = max(pos, edit.end)
    if pos < len(text):
        put(text[pos:], pos, copied=True)
    return "".join(out), origin


def _drop_emptied_lines(text: str, lines: _Lines, edits: list[_Edit]) -> list[_Edit]:
    """Removals that leave their lines blank take the whole lines with them."""
    removals = sorted((edit.start, edit.end) for edit in edits if edit.removal)
    others = [edit for edit in edits if not edit.removal]

    def numbers(start: int, end: int) -> range:
        return range(lines.line(start), lines.line(max(end - 1, start)) + 1)

    replaced: set[int] = set()
    for edit in others:
        replaced.update(numbers(edit.start, edit.end))
    touched: set[int] = set()
    for start, end in removals:
        touched.update(numbers(start, end))
    ends = [end for _start, end in removals]  # sorted too: removals never overlap
    spans = list(removals)
    for number in sorted(touched - replaced):
        line_start, line_end = lines.start(number), lines.end(number)
        left: list[str] = []
        pos = line_start
        index = bisect.bisect_right(ends, line_start)
        while index < len(removals) and removals[index][0] < line_end:
            start, end = removals[index]
            left.append(text[pos : max(start, pos)])
            pos = max(pos, min(end, line_end))
            index += 1
        left.append(text[pos:line_end])
        if "".join(left).strip():
            continue
        if line_end < len(text):
            spans.append((line_start, line_end + 1))  # with its newline
        elif line_start > 0:
            spans.append((line_start - 1, line_end))  # the last line: the newline before
        else:
            spans.append((line_start, line_end))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    result = [_Edit(start, end, "", removal=True) for start, end in merged]
    for edit in others:
        result.append(_with_blank_line_after(text, lines, edit) if edit.block_after else edit)
    return sorted(result, key=lambda edit: edit.start)


def _with_blank_line_after(text: str, lines: _Lines, edit: _Edit) -> _Edit:
    """A figure on its own line before a Markdown line: a blank line between them.

    An HTML block in CommonMark runs to the next blank line, so without one the
    Markdown after a `<figure>` would be shown as raw text. Not before another
    HTML line: a blank line inside a `<div>` would end that HTML block instead.
    """
    line = lines.line(edit.start)
    last = lines.line(max(edit.end - 1, edit.start))
    if text[lines.start(line) : edit.start].strip() or text[edit.end : lines.end(last)].strip():
        return edit
    following = text[lines.end(last) + 1 :].split("\n", 1)[0] if lines.end(last) < len(text) else ""
    if not following.strip() or following.lstrip().startswith("<"):
        return edit
    return _Edit(edit.start, edit.end, edit.new + "\n", removal=False)


def _snippet(source: str, limit: int = 80) -> str:
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --------------------------------------------------------------------------- #
# Liquid
# --------------------------------------------------------------------------- #

# Liquid's own lexer takes the first closing delimiter, quotes or not; so do we.
# A tag never spans a blank line here, and never runs past 2,000 characters, so an
# opener without a closer costs a bounded look-ahead, not the rest of the file.
OPENER_RE = re.compile(r"\{\{|\{%")
TAG_LIMIT = 2000
OUTPUT_RE = re.compile(r"\{\{-?(?P<body>.*?)-?\}\}", re.S)
TAG_RE = re.compile(r"\{%-?[ \t\r\n]*(?P<name>#|[A-Za-z_]\w*)?(?P<args>.*?)-?%\}", re.S)
COMMENT_MARK_RE = re.compile(r"\{%-?\s*(?P<end>end)?comment(?:\s[^%]*)?-?%\}")
ENDRAW_RE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
ENDHIGHLIGHT_RE = re.compile(r"\{%-?\s*endhighlight\s*-?%\}")
BLANK_LINE_RE = re.compile(r"\n[ \t\r]*\n")
RAW_MARKER_RE = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")

# Tags whose text is kept when the tag goes: the owner's words stay on the page.
BLOCK_TAGS = {
    "if": "endif",
    "unless": "endunless",
    "case": "endcase",
    "for": "endfor",
    "tablerow": "endtablerow",
    "capture": "endcapture",
}
# al-folio includes that the about page's own switches replace on Multifolio.
ABOUT_PAGE_INCLUDES = {
    "news",
    "selected_papers",
    "latest_posts",
    "social",
    "socials",
    "announcements",
}
FIGURE_INCLUDES = {"figure.liquid", "figure.html"}
VIDEO_INCLUDES = {"video.liquid", "video.html"}

EXPRESSION_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<string>"[^"]*"|'[^']*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<path>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[(?:"[^"]*"|'[^']*'|\d+)\])*)
      | (?P<op>[|:,])
    )\s*""",
    re.X,
)
PATH_PART_RE = re.compile(r"\.([A-Za-z_][\w-]*)|\[(?:\"([^\"]*)\"|'([^']*)'|(\d+))\]")
INCLUDE_PARAM_RE = re.compile(
    r"""\s*(?P<key>[\w-]+)\s*=\s*
        (?P<value>"[^"]*"|'[^']*'|[^\s"'|=]+)
        (?P<filters>(?:\s*\|\s*[\w-]+(?:\s*:\s*(?:"[^"]*"|'[^']*'|[^\s|"',]+)
                    (?:\s*,\s*(?:"[^"]*"|'[^']*'|[^\s|"',]+))*)?)*)""",
    re.X,
)
URL_PATH_AFTER_RE = re.compile(r"/[^\s\"'()<>\[\]{}|\\^`]*")
SITE_BASE_RE = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
OPENER_IN_VALUE_RE = re.compile(r"\{(?=[{%:])")
VARIABLE_ROOTS = {"page", "include", "layout", "paginator", "forloop", "post", "content", "jekyll"}

SIMPLE_FILTERS: dict[str, Callable[[str], str]] = {
    "strip": str.strip,
    "escape": html.escape,
    "xml_escape": html.escape,
    "upcase": str.upper,
    "downcase": str.lower,
    "capitalize": lambda value: value[:1].upper() + value[1:],
}
URL_FILTERS = {"relative_url", "absolute_url"}


class _Unsupported(Exception):
    """An expression this translator does not know: the whole tag goes."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Value:
    text: str
    is_url: bool = False  # a site path: made site-relative and mapped at the end
    missing: str = ""  # the name of a site value _config.yml does not have


class _Liquid:
    """One pass over one text: edits, notes, never any evaluation."""

    def __init__(self, text: str, *, file: str, site: dict, url_for_asset: AssetMapper | None):
        self.text = text
        self.file = file
        self.site = site if isinstance(site, dict) else {}
        self.url_for_asset = url_for_asset or (lambda path: path)
        self.lines = _Lines(text)
        self.code = _code_lines(text, file)
        self.edits: list[_Edit] = []
        self.notes: list[Note] = []
        self.found: dict[re.Pattern[str], tuple[list[int], list[re.Match[str]]]] = {}
        self.comment_ends: dict[int, int] | None = None

    # -- bookkeeping ---------------------------------------------------------

    def line_of(self, pos: int) -> int:
        return self.lines.line(pos) + 1

    def in_code(self, pos: int) -> bool:
        return self.lines.line(pos) in self.code

    def note(self, pos: int, message: str) -> None:
        self.notes.append(Note(self.file, self.line_of(pos), message))

    def remove(self, start: int, end: int, message: str) -> None:
        self.edits.append(_Edit(start, end, "", removal=True))
        self.note(start, message)

    def replace(self, start: int, end: int, new: str, message: str, *, block: bool = False):
        self.edits.append(_Edit(start, end, new, removal=False, block_after=block))
        self.note(start, message)

    # -- the scan ------------------------------------------------------------

    def run(self) -> None:
        text = self.text
        pos = 0
        while True:
            opener = OPENER_RE.search(text, pos)
            if not opener:
                return
            start = opener.start()
            if self.in_code(start):
                pos = self.code_opener(start)
            elif opener.group() == "{{":
                pos = self.output(start)
            else:
                pos = self.tag(start)

    def code_opener(self, start: int) -> int:
        """In code Liquid stays, but for `{% raw %}` markers, as Jekyll showed it."""
        marker = RAW_MARKER_RE.match(self.text, start)
        if not marker:
            return start + 2
        source = marker.group()
        self.remove(
            start,
            marker.end(),
            f"Removed {source} in a code block: the code is shown as written.",
        )
        return marker.end()

    def unterminated(self, start: int) -> int:
        opener = self.text[start : start + 2]
        self.replace(
            start,
            start + 2,
            "&#123;" + opener[1],
            f"Kept '{opener}' as text: it starts no complete Jekyll template tag.",
        )
        return start + 2

    def match_tag(self, regex: re.Pattern[str], start: int) -> tuple[re.Match[str], int] | None:
        """The tag at `start` up to its first closer, and where it ends; None if unclosed."""
        closer = "}}" if regex is OUTPUT_RE else "%}"
        close = self.text.find(closer, start + 2, start + 4 + TAG_LIMIT)
        if close < 0:
            return None
        source = self.text[start : close + 2]
        match = regex.fullmatch(source)
        if not match or BLANK_LINE_RE.search(source):
            return None
        return match, close + 2

    def next_match(self, regex: re.Pattern[str], pos: int) -> re.Match[str] | None:
        """The first match of `regex` at or after `pos`, from one scan of the text."""
        if regex not in self.found:
            matches = list(regex.finditer(self.text))
            self.found[regex] = ([m.start() for m in matches], matches)
        starts, matches = self.found[regex]
        index = bisect.bisect_left(starts, pos)
        return matches[index] if index < len(matches) else None

    # -- {{ output }} ----------------------------------------------------------

    def output(self, start: int) -> int:
        found = self.match_tag(OUTPUT_RE, start)
        if not found:
            return self.unterminated(start)
        match, end = found
        shown = _snippet(match.group())
        try:
            value = self.evaluate(match.group("body").strip())
        except _Unsupported as unsupported:
            self.remove(
                start,
                end,
                f"Removed the Jekyll template code {shown} ({unsupported.reason}).",
            )
            return end
        if value.missing:
            self.remove(
                start,
                end,
                f"Removed {shown}: _config.yml has no value for {value.missing}.",
            )
            return end
        if value.is_url and not value.text:
            # `{{ site.baseurl }}/assets/x.pdf`: the path after the tag is the link.
            run_end = end
            while nxt := SITE_BASE_RE.match(self.text, run_end):
                run_end = nxt.end()
            path = URL_PATH_AFTER_RE.match(self.text, run_end)
            if path and not self.in_code(run_end):
                source = self.text[start : path.end()]
                self.replace(
                    start,
                    path.end(),
                    self.asset_url(path.group()),
                    f"Replaced {_snippet(source)} with the link {_shown_path(path.group())}.",
                )
                return path.end()
            self.remove(
                start,
                end,
                f"Removed {shown}: links on Multifolio start at the site's root.",
            )
            return end
        new = self.asset_url(value.text) if value.is_url else _plain(value.text)
        what = f"the link {_shown_path(value.text)}" if value.is_url else f"'{_snippet(new, 60)}'"
        if not new:
            self.remove(start, end, f"Removed {shown}: its value is empty.")
        else:
            self.replace(start, end, new, f"Replaced {shown} with {what}.")
        return end

    def evaluate(self, body: str) -> _Value:
        """The value of `primary | filter: args | ...`, or _Unsupported."""
        tokens = _expression_tokens(body)
        if not tokens:
            raise _Unsupported("not an expression Multifolio can translate")
        value = self.operand(tokens.pop(0))
        while tokens:
            kind, pipe = tokens.pop(0)
            if kind != "op" or pipe != "|" or not tokens or tokens[0][0] != "path":
                raise _Unsupported("not an expression Multifolio can translate")
            name = tokens.pop(0)[1]
            args: list[_Value] = []
            if tokens and tokens[0] == ("op", ":"):
                tokens.pop(0)
                while True:
                    if not tokens or tokens[0][0] == "op":
                        raise _Unsupported("not an expression Multifolio can translate")
                    args.append(self.operand(tokens.pop(0)))
                    if tokens and tokens[0] == ("op", ","):
                        tokens.pop(0)
                        continue
                    break
            value = self.filter(value, name, args)
        return value

    def operand(self, token: tuple[str, str]) -> _Value:
        kind, source = token
        if kind == "string":
            return _Value(source[1:-1])
        if kind == "number":
            return _Value(source)
        if kind != "path":
            raise _Unsupported("not an expression Multifolio can translate")
        parts = _path_parts(source)
        root = parts[0]
        if root in ("true", "false", "nil", "null", "empty", "blank"):
            return _Value("true" if root == "true" else "")
        if root != "site":
            raise _Unsupported(f"Multifolio has no value for {source}")
        if parts[1:] in (["baseurl"], ["url"]):
            return _Value("", is_url=True)
        value: object = self.site
        for part in parts[1:]:
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return _Value("", missing=source)
        if value is None:
            return _Value("", missing=source)
        if isinstance(value, bool):
            return _Value("true" if value else "false")
        if isinstance(value, str | int | float | datetime.date):
            return _Value(str(value))
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            return _Value("".join(str(v) for v in value))  # Liquid prints a list joined
        raise _Unsupported(f"{source} in _config.yml is not a single value")

    def filter(self, value: _Value, name: str, args: list[_Value]) -> _Value:
        if name in URL_FILTERS:
            if value.missing:
                return value
            return _Value(value.text or "/", is_url=True)
        if name == "default":
            if (value.missing or not value.text) and args:
                return args[0]
            return value
        if value.missing:
            return value
        if name in ("prepend", "append") and len(args) == 1:
            arg = args[0]
            if arg.missing:
                return arg
            if arg.is_url and not arg.text:  # `| prepend: site.baseurl`
                return _Value(value.text, is_url=True)
            joined = arg.text + value.text if name == "prepend" else value.text + arg.text
            return _Value(joined, is_url=value.is_url)
        if name in SIMPLE_FILTERS and not args:
            return _Value(SIMPLE_FILTERS[name](value.text), is_url=value.is_url)
        raise _Unsupported(f"the filter '{name}' is not one Multifolio translates")

    def asset_url(self, path: str) -> str:
        """A site path made site-relative ("/assets/x.pdf"), then `url_for_asset`."""
        clean, tail = _site_path(path)
        if tail is None:
            return clean  # someone else's site, or an address: as written
        return (self.url_for_asset(clean) or clean) + tail

    # -- {% tags %} --------------------------------------------------------------

    def tag(self, start: int) -> int:
        found = self.match_tag(TAG_RE, start)
        if not found:
            return self.unterminated(start)
        match, end = found
        name = match.group("name") or ""
        args = match.group("args").strip()
        shown = _snippet(match.group())
        if name == "comment":
            return self.comment(start, end, shown)
        if name == "raw":
            return self.raw(start, end, shown)
        if name == "highlight":
            return self.highlight(start, end, args)
        if name in ("include", "include_cached"):
            self.include(start, end, args, shown)
            return end
        if name == "link":
            self.link(start, end, args, shown)
            return end
        if name == "post_url":
            self.remove(
                start,
                end,
                f"Removed {shown}: blog posts are not imported, so there is no post to link to.",
            )
            return end
        if name == "#":
            self.remove(start, end, f"Removed the Liquid comment {shown}.")
            return end
        if name in BLOCK_TAGS or name in BLOCK_TAGS.values() or name in ("else", "elsif", "when"):
            self.remove(
                start,
                end,
                f"Removed the Jekyll template tag {shown}; the text around it was kept "
                "as written, so check that this part still reads well.",
            )
            return end
        self.remove(
            start,
            end,
            f"Removed the Jekyll template tag {shown}: Multifolio does not run Jekyll's templates.",
        )
        return end

    def comment(self, start: int, end: int, shown: str) -> int:
        if self.comment_ends is None:
            self.comment_ends = _pair_comments(self.text)
        close = self.comment_ends.get(start)
        if close is not None:
            self.remove(
                start,
                close,
                "Removed a Liquid comment ({% comment %} … {% endcomment %}); "
                "Jekyll never showed it either.",
            )
            return close
        self.remove(
            start,
            end,
            f"Removed {shown}, which is never closed by {{% endcomment %}}: the text "
            "after it was kept, check whether it should show.",
        )
        return end

    def raw(self, start: int, end: int, shown: str) -> int:
        close = self.next_match(ENDRAW_RE, end)
        if not close:
            self.remove(start, end, f"Removed {shown}, which is never closed by {{% endraw %}}.")
            return end
        self.edits.append(_Edit(start, end, "", removal=True))
        self.edits.append(_Edit(close.start(), close.end(), "", removal=True))
        self.note(
            start,
            "Kept the text between {% raw %} and {% endraw %} as written, without the tags.",
        )
        return close.end()

    def highlight(self, start: int, end: int, args: str) -> int:
        close = self.next_match(ENDHIGHLIGHT_RE, end)
        if not close:
            self.remove(start, end, "Removed {% highlight %}, which is never closed.")
            return end
        own_lines = not self.text[self.lines.start(self.lines.line(start)) : start].strip() and (
            not self.text[close.end() : self.lines.end(self.lines.line(close.end()))].strip()
        )
        if not own_lines:
            self.edits.append(_Edit(start, end, "", removal=True))
            self.edits.append(_Edit(close.start(), close.end(), "", removal=True))
            self.note(start, "Removed {% highlight %} and {% endhighlight %}; the code was kept.")
            return close.end()
        language = (args.split() or [""])[0]
        language = language if re.fullmatch(r"[\w+#.-]+", language) else ""
        code = self.text[end : close.start()].strip("\n")
        fence = "`" * max(3, max((len(r) for r in re.findall("`+", code)), default=0) + 1)
        self.replace(
            start,
            close.end(),
            f"{fence}{language}\n{code}\n{fence}",
            "Turned {% highlight %} … {% endhighlight %} into a Markdown code block.",
        )
        return close.end()

    def include(self, start: int, end: int, args: str, shown: str) -> None:
        parts = args.split(None, 1)
        name = parts[0].strip("\"'") if parts else ""
        params_source = parts[1] if len(parts) > 1 else ""
        stem = name.rsplit(".", 1)[0] if name.endswith((".liquid", ".html")) else name
        if name in FIGURE_INCLUDES | VIDEO_INCLUDES:
            params = self.include_params(params_source)
            path = params.get("path")
            if not path or path.missing or not path.text:
                self.remove(start, end, f"Removed {shown}: it names no file to show.")
                return
            if name in FIGURE_INCLUDES:
                new = self.figure(path, params)
                what = "an image"
            else:
                new = self.video(path, params)
                what = "a link to the video"
            self.replace(
                start,
                end,
                new,
                f"Turned {shown} into {what}.",
                block=True,
            )
            return
        if stem in ABOUT_PAGE_INCLUDES and "/" not in name:
            self.remove(
                start,
                end,
                f"Removed {shown}: on Multifolio the about page's own switches (news, "
                "selected papers, latest posts, social icons) show these.",
            )
            return
        self.remove(
            start,
            end,
            f"Removed {shown}: Multifolio does not have al-folio's include files, "
            "so this part of the page was left out.",
        )

    def include_params(self, source: str) -> dict[str, _Value]:
        source = SITE_BASE_RE.sub("", source)
        params: dict[str, _Value] = {}
        pos = 0
        while pos < len(source):
            match = INCLUDE_PARAM_RE.match(source, pos)
            if not match or match.end() == pos:
                break
            pos = match.end()
            raw = match.group("value")
            try:
                if raw[0] in "\"'":
                    value = _Value(raw[1:-1])
                elif raw.split(".", 1)[0] == "site" or raw.split(".", 1)[0] in VARIABLE_ROOTS:
                    value = self.operand(("path", raw))
                else:
                    value = _Value(raw)  # unquoted: al-folio pages mean the text
                for piece in _split_filters(match.group("filters")):
                    tokens = _expression_tokens(piece)
                    name = tokens.pop(0)[1] if tokens and tokens[0][0] == "path" else ""
                    args = [
                        self.operand(t) for t in tokens if t[0] != "op"
                    ]  # `: a, b` after the name
                    value = self.filter(value, name, args)
            except _Unsupported:
                value = _Value("", missing=raw)
            params[match.group("key").lower()] = value
        return params

    def figure(self, path: _Value, params: dict[str, _Value]) -> str:
        src = self.asset_url(path.text)
        attrs = [f'src="{html.escape(src)}"']
        alt = params.get("alt")
        attrs.append(f'alt="{html.escape(alt.text if alt else "")}"')
        for key in ("class", "title", "width", "height"):
            value = params.get(key)
            if value and value.text and not value.missing:
                attrs.append(f'{key}="{html.escape(_plain(value.text))}"')
        img = f"<img {' '.join(attrs)}>"
        caption = params.get("caption")
        if caption and caption.text and not caption.missing:
            return f"<figure>{img}<figcaption>{_plain(caption.text)}</figcaption></figure>"
        return img

    def video(self, path: _Value, params: dict[str, _Value]) -> str:
        href = self.asset_url(path.text)
        label = next(
            (
                params[key].text
                for key in ("title", "caption", "alt")
                if key in params and params[key].text and not params[key].missing
            ),
            "Video",
        )
        return f'<a href="{html.escape(href)}">{_plain(label)}</a>'

    def link(self, start: int, end: int, args: str, shown: str) -> None:
        target = SITE_BASE_RE.sub("", args).strip().strip("\"'")
        if not target or "{{" in target:
            self.remove(start, end, f"Removed {shown}: it names no file.")
            return
        page = target.startswith("_") or target.lower().endswith((".md", ".markdown", ".html"))
        if page:
            self.remove(
                start,
                end,
                f"Removed {shown}: Multifolio cannot tell where that page of the old "
                "site is now; add the link again if you need it.",
            )
            return
        self.replace(
            start,
            end,
            self.asset_url(target),
            f"Replaced {shown} with the link {_shown_path(target)}.",
        )


def _site_path(path: str) -> tuple[str, str | None]:
    """("/assets/x.pdf", "#page=2") for a path of the site; (url, None) for another's."""
    path = path.strip()
    if re.match(r"(?i)(?:https?:)?//|mailto:", path):
        return path, None
    cut = min((i for i in (path.find("?"), path.find("#")) if i >= 0), default=len(path))
    clean = "/" + posixpath.normpath("/" + path[:cut].lstrip("/")).lstrip("/")
    if path[:cut].endswith("/") and clean != "/":
        clean += "/"
    return clean, path[cut:]


def _shown_path(path: str) -> str:
    """A link as a note shows it: the site path, before `url_for_asset`."""
    clean, tail = _site_path(path)
    return clean + (tail or "")


def _pair_comments(text: str) -> dict[int, int]:
    """Where each `{% comment %}` ends, with its `{% endcomment %}` (nesting counted)."""
    ends: dict[int, int] = {}
    open_at: list[int] = []
    for mark in COMMENT_MARK_RE.finditer(text):
        if not mark.group("end"):
            open_at.append(mark.start())
        elif open_at:
            ends[open_at.pop()] = mark.end()
    return ends


def _expression_tokens(body: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(body):
        match = EXPRESSION_TOKEN_RE.match(body, pos)
        if not match or match.end() == pos:
            raise _Unsupported("not an expression Multifolio can translate")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _path_parts(source: str) -> list[str]:
    head = re.match(r"[A-Za-z_][\w-]*", source)
    parts = [head.group()] if head else [source]
    for match in PATH_PART_RE.finditer(source, head.end() if head else len(source)):
        parts.append(next(group for group in match.groups() if group is not None))
    return parts


def _split_filters(source: str) -> list[str]:
    """`| a: 1 | b` into ["a: 1", "b"], quotes respected."""
    pieces = re.findall(r"""\|((?:"[^"]*"|'[^']*'|[^|"'])*)""", source)
    return [piece.strip() for piece in pieces if piece.strip()]


def _plain(value: str) -> str:
    """A value as text of the page: one line, and no Liquid or kramdown openers."""
    one_line = " ".join(value.split())
    return OPENER_IN_VALUE_RE.sub("&#123;", one_line)


def _translate_liquid(
    text: str, *, file: str, site: dict, url_for_asset: AssetMapper | None
) -> tuple[str, list[Note], list[int]]:
    if "{{" not in text and "{%" not in text:
        return text, [], list(range(1, text.count("\n") + 2))
    scan = _Liquid(text, file=file, site=site, url_for_asset=url_for_asset)
    scan.run()
    new, origin = _apply(text, scan.edits)
    return new, scan.notes, origin


def translate_liquid(
    text: str,
    *,
    file: str,
    site: dict,
    url_for_asset: AssetMapper | None = None,
) -> tuple[str, list[Note]]:
    """Jekyll's Liquid in a page translated or removed, one note per tag.

    Translated: `{{ "x" | relative_url }}` (absolute_url, `prepend: site.baseurl`,
    `{{ site.baseurl }}/x`) to the site-relative link "/x" (normalised, no `..`),
    passed through `url_for_asset` (identity by default); other sites' links stay
    as written. `{{ site.x.y }}` becomes that value of `site` (the parsed
    _config.yml), or nothing with a note when missing: inserted once and never
    read again, on one line, with any `{{`, `{%` or `{:` in it written `&#123;`
    so a value cannot turn into template or kramdown code (HTML in it stays, as
    Jekyll showed it: the sanitizer has the last word). A few filters are
    understood (default, prepend, append, strip, escape, upcase, downcase,
    capitalize); any other filter removes the output with a note.
    `{% include figure.liquid path=... %}` (or figure.html; keys in any order,
    quoted or not, `path` may carry `| relative_url`) becomes an `<img>`, in a
    `<figure>` with a `<figcaption>` when it has a caption, followed by a blank
    line when Markdown follows; `video.liquid`/`video.html` a link to the video;
    `{% link assets/x.pdf %}` the link "/assets/x.pdf"; `{% highlight python %}`
    blocks fenced code; `{% raw %}` text is kept as written.

    Removed: `{% comment %}` blocks with their content; includes of the about
    page's pieces (news, selected papers, ...) and all other includes; links to
    pages and posts; any output that is not a plain value or link (`{{ 7*7 }}`,
    `{{ page.title }}`); and every other tag. For `if`/`unless`/`case`/`for`/
    `capture` only the tags go: the text between them stays, since dropping it
    would silently lose the owner's words, and guessing a condition from a
    partial `site` would be evaluating templates. A line left blank by removals
    is dropped, as Jekyll's `{%- -%}` does, so HTML blocks and lists hold together.

    Code blocks (fenced, or indented outside an open HTML element) keep their
    Liquid as written, but for `{% raw %}` markers. A `{{` or `{%` that opens no tag
    (no closer before a blank line) is kept as text, written `&#123;`.
    """
    new, notes, _origin = _translate_liquid(text, file=file, site=site, url_for_asset=url_for_asset)
    return new, notes


# --------------------------------------------------------------------------- #
# kramdown
# --------------------------------------------------------------------------- #

IAL_LINE_RE = re.compile(r"^[ \t>]*\{:(?![:/])[^{}\n]*\}[ \t\r]*$")
TOC_ITEM_RE = re.compile(r"^[ \t]*(?:[*+-]|\d+\.)[ \t]+TOC[ \t\r]*$", re.I)
ABBREVIATION_RE = re.compile(r"^[ \t]{0,3}\*\[[^\]\n]+\]:.*$")
EXTENSION_MARK_RE = re.compile(
    r"\{::(?P<open>comment|nomarkdown)\b[^{}\n]*\}|\{:/(?P<close>comment|nomarkdown)?\}"
)
EXTENSION_RE = re.compile(r"\{::[A-Za-z_]\w*[^{}\n]*?/?\}|\{:/[A-Za-z_]*\}")
INLINE_IAL_RE = re.compile(r"\{:(?![:/])[^{}\n]*\}")
LINK_TAIL = 4000  # a link's destination and title fit in this
HEADER_ID_RE = re.compile(r"^(?P<head>[ \t]{0,3}#{1,6}[ \t].*?)[ \t]*\{#[\w-]+\}[ \t\r]*$")
CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
LINK_END_RE = re.compile(
    r"""(?:
        \]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)  # ](url "t")
      | \]\(<[^<>\n]*>(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)                          # ](<url>)
      | <[A-Za-z][\w+.-]{1,31}:[^\s<>]*>                                      # <https://x>
      | <[^\s<>@]+@[^\s<>@]+>                                                 # <a@b.c>
    )$""",
    re.X,
)
REFERENCE_END_RE = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\[(?P<ref>[^\[\]]*)\])?$")
DEFINITION_RE = re.compile(r"^[ \t]{0,3}\[(?P<label>[^\[\]]+)\]:[ \t]*\S", re.M)


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


class _Kramdown:
    def __init__(self, text: str, *, file: str) -> None:
        self.text = text
        self.file = file
        self.lines = _Lines(text)
        self.code = _code_lines(text, file)
        self.edits: list[_Edit] = []
        self.notes: list[Note] = []
        self.references = {_label(m.group("label")) for m in DEFINITION_RE.finditer(text)}
        self.block_lines: set[int] = set()

    def remove(self, start: int, end: int, message: str) -> None:
        self.edits.append(_Edit(start, end, "", removal=True))
        self.notes.append(Note(self.file, self.lines.line(start) + 1, message))

    def run(self) -> None:
        self.blocks()
        for index, line in enumerate(self.text.split("\n")):
            if index in self.code or index in self.block_lines:
                continue
            start = self.lines.start(index)
            if IAL_LINE_RE.match(line):
                self.block_ial(index, line, start, start + len(line))
            elif ABBREVIATION_RE.match(line):
                self.remove(
                    start,
                    start + len(line),
                    "Removed a kramdown abbreviation definition "
                    f"({_snippet(line.strip(), 60)}): Multifolio pages do not use them.",
                )
            elif "{" in line:
                self.inline(line, start)

    def blocks(self) -> None:
        """`{::comment}` and `{::nomarkdown}` blocks, each paired with its closer."""
        opened: re.Match[str] | None = None
        for mark in EXTENSION_MARK_RE.finditer(self.text):
            if opened is None:
                if mark.group("open") and self.lines.line(mark.start()) not in self.code:
                    opened = mark
                continue
            if mark.group("open") or mark.group("close") not in (None, opened.group("open")):
                continue
            first, last = self.lines.line(opened.start()), self.lines.line(mark.end())
            self.block_lines.update(range(first, last + 1))
            if opened.group("open") == "comment":
                self.remove(
                    opened.start(),
                    mark.end(),
                    "Removed a kramdown comment ({::comment} … {:/comment}); "
                    "kramdown never showed it either.",
                )
            else:
                self.remove(
                    opened.start(),
                    opened.end(),
                    "Removed the kramdown markers {::nomarkdown} … {:/nomarkdown}; "
                    "the text between them was kept.",
                )
                self.edits.append(_Edit(mark.start(), mark.end(), "", removal=True))
            opened = None

    def block_ial(self, index: int, line: str, start: int, end: int) -> None:
        body = line.strip()
        if index > 0 and index - 1 not in self.code and "toc" in body.lower():
            previous = self.lines.start(index - 1)
            if TOC_ITEM_RE.match(self.text[previous : start - 1]):
                self.remove(
                    previous,
                    end,
                    "Removed kramdown's table of contents marker (* TOC / {:toc}): "
                    "Multifolio pages have no automatic table of contents.",
                )
                return
        self.remove(
            start,
            end,
            f"Removed the kramdown attribute list {_snippet(body, 60)}: Multifolio "
            "only applies attribute lists written right after a link or image.",
        )

    def inline(self, line: str, start: int) -> None:
        spans = [m.span() for m in CODE_SPAN_RE.finditer(line)] if "`" in line else []
        span_starts = [s for s, _e in spans]
        span_ends = {e for _s, e in spans}

        def in_code_span(pos: int) -> bool:
            index = bisect.bisect_right(span_starts, pos) - 1
            return index >= 0 and pos < spans[index][1]

        header = HEADER_ID_RE.match(line)
        if header:
            cut = len(header.group("head"))
            self.remove(
                start + cut,
                start + len(line.rstrip("\r")),
                f"Removed the kramdown heading id {line[cut:].strip()}.",
            )
        for match in EXTENSION_RE.finditer(line):
            if not in_code_span(match.start()):
                self.remove(
                    start + match.start(),
                    start + match.end(),
                    f"Removed the kramdown extension {_snippet(match.group(), 60)}.",
                )
        for match in INLINE_IAL_RE.finditer(line):
            at = match.start()
            if in_code_span(at) or at in span_ends or self.after_link(line[:at]):
                continue  # code, or `code`{:.x} and [link](url){:x}, which the renderer applies
            self.remove(
                start + at,
                start + match.end(),
                f"Removed the kramdown attribute list {_snippet(match.group(), 60)}: "
                "Multifolio only applies attribute lists written right after a link or image.",
            )

    def after_link(self, before: str) -> bool:
        """Does `before` end with a link or image our renderer makes?"""
        if not before or before[-1] not in ")]>":
            return False
        tail = before[-LINK_TAIL:]
        if LINK_END_RE.search(tail):
            return True
        reference = REFERENCE_END_RE.search(tail)
        if reference:
            label = reference.group("ref") or reference.group("text")
            return _label(label) in self.references
        return False


def _kramdown_attributes(text: str, *, file: str) -> tuple[str, list[Note], list[int]]:
    if "{:" not in text and "*[" not in text and "{#" not in text:
        return text, [], list(range(1, text.count("\n") + 2))
    scan = _Kramdown(text, file=file)
    scan.run()
    new, origin = _apply(text, scan.edits)
    notes = sorted(scan.notes, key=lambda note: note.line)
    return new, notes, origin


def kramdown_attributes(text: str, *, file: str) -> tuple[str, list[Note]]:
    """kramdown's own syntax removed, with a note each, but what our renderer applies.

    Kept: an inline attribute list right after a link, an image, an autolink, a
    reference link whose label is defined, or inline code (`[x](u){:target="_blank"}`):
    the renderer turns it into attributes. Removed: block attribute lists on their
    own line (`{: .class}`, `{:.no_toc}`), `* TOC` + `{:toc}`, any other inline
    `{:...}`, `{::options .../}` and other extensions, `{::comment}` blocks with
    their content, the `{::nomarkdown}` markers (their content stays), heading ids
    (`## Title {#id}`) and abbreviation definitions (`*[HTML]: ...`). A line left
    blank is dropped. Code blocks and code spans keep everything.
    """
    new, notes, _origin = _kramdown_attributes(text, file=file)
    return new, notes


# --------------------------------------------------------------------------- #
# YAML values cut by `#`
# --------------------------------------------------------------------------- #

YAML_KEY_RE = re.compile(
    r"""^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?
        (?P<key>"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_$][^:#\n]*?)
        :(?:[ \t]+(?P<value>.*?))?[ \t\r]*$""",
    re.X,
)
YAML_ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)-[ \t]+(?P<value>[^\s#].*?)[ \t\r]*$")
BLOCK_SCALAR_RE = re.compile(r"^[|>][0-9+-]*(?:[ \t]+#.*)?$")
COMMENT_START_RE = re.compile(r"(?:^|[ \t])#")
# A tag with attributes, a closing tag, or a bare tag of the kind subtitles use.
HTML_MARKUP_RE = re.compile(
    r"<[A-Za-z][\w-]*\s+[\w-]+\s*=|</[A-Za-z][\w-]*\s*>|<(?:a|b|i|em|strong|br|sup|sub|span|p)\s*/?>"
)


def yaml_cut_values(text: str, *, file: str) -> list[Note]:
    """A note for each YAML value that an unquoted `#` cut short.

    Read: a .yml/.yaml file whole, any other file's front matter only. In YAML a
    `#` after a space starts a comment, so `title: Room #3` gives "Room" and
    `subtitle: #<a href=...>` gives nothing. But most such comments are meant:
    al-folio's own `baseurl: # the subpath of your site`, and owners' comments
    without a space (`ga4_analytics: G-XXXX #GA-4 measurement ID`, `stackoverflow_id:
    #your id`, a commented-out `icon: me.jpg #⚛️`). So a plain (unquoted) value is
    reported only when what follows its `#` is a value no comment looks like:
    a number glued to the `#` (`Room #3`), a colour (`#fff`, `#B509AC`), or HTML
    markup (`#<a href=...>`, `# <b>SJTU</b>`; a placeholder like `<your-repo>` is
    not markup). Full-line comments, quoted values, block scalars (`|`, `>`) and
    flow collections are never reported, and each report is confirmed by YAML
    itself: the line alone must load to less than what was written.
    """
    lines = text.split("\n")
    if file.lower().endswith(YAML_SUFFIXES):
        first, last = 0, len(lines)
    else:
        size = _front_matter_lines(lines)
        if not size:
            return []
        first, last = 1, size - 1
    notes: list[Note] = []
    keys: list[tuple[int, str]] = []  # (indent, key) of the enclosing mappings
    block_indent: int | None = None  # inside a `|` or `>` block scalar
    for index in range(first, last):
        line = lines[index].rstrip("\r")
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        match = YAML_KEY_RE.match(line)
        if match:
            key = match.group("key").strip().strip("\"'")
            key_indent = indent + (len(match.group("dash")) if match.group("dash") else 0)
            while keys and keys[-1][0] >= key_indent:
                keys.pop()
            path = ".".join([k for _depth, k in keys] + [key])
            keys.append((key_indent, key))
            value = match.group("value") or ""
            if BLOCK_SCALAR_RE.match(value):
                block_indent = indent
                continue
            subject = f"The value of {path}"
        else:
            item = YAML_ITEM_RE.match(line)
            if not item:
                continue
            value = item.group("value")
            parent = ".".join(k for depth, k in keys if depth < indent) or "a list"
            subject = f"An item of {parent}"
        if _cut_by_hash(value):
            notes.append(Note(file, index + 1, f"{subject} was cut at '#': quote it to keep it."))
    return notes


def _cut_by_hash(value: str) -> bool:
    """Is this plain value cut short by a `#` its writer meant as text?"""
    if not value or value[0] in "\"'[{|>&*!%@`":
        return False
    comment = COMMENT_START_RE.search(value)
    if not comment:
        return False
    after = value[comment.end() :]
    if not (
        re.match(r"\d", after)
        or re.match(r"(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})\b", after)
        or HTML_MARKUP_RE.search(after)
    ):
        return False
    try:
        loaded = yaml.safe_load(f"k: {value}")
    except yaml.YAMLError:
        return False
    if not isinstance(loaded, dict):
        return False
    shown = "" if loaded.get("k") is None else str(loaded.get("k"))
    return shown.strip() != value.strip()


# --------------------------------------------------------------------------- #
# Emoji, and all of it for a page
# --------------------------------------------------------------------------- #


def emoji_shortcodes(text: str) -> str:
    """`:sparkles: :smile:` to ✨ 😄, with GitHub's names (al-folio's jemoji uses them).

    For plain-text fields such as news titles; Markdown bodies get this from the
    renderer. Unknown names stay as typed.
    """
    if ":" not in text:
        return text
    return emoji.emojize(text, language="alias")


def repair_markdown(
    data: bytes,
    *,
    file: str,
    site: dict,
    url_for_asset: AssetMapper | None = None,
) -> tuple[str, list[Note]]:
    """decode_text, translate_liquid, kramdown_attributes in that order; notes in order.

    Every note's line is a line of the original file, even after Liquid removal
    dropped lines before it.
    """
    text, notes = decode_text(data, file=file)
    text, liquid_notes, origin = _translate_liquid(
        text, file=file, site=site, url_for_asset=url_for_asset
    )
    text, kramdown_notes, _origin = _kramdown_attributes(text, file=file)
    for note in kramdown_notes:
        line = origin[note.line - 1] if 0 < note.line <= len(origin) else note.line
        liquid_notes.append(Note(note.file, line, note.message))
    return text, notes + liquid_notes
