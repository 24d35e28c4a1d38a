"""A .bib text cut into blocks: entries, @string definitions, failures, text in between.

bibtexparser 2's splitter is the reference: it keeps each block's raw text and line,
recovers at the next entry after an error, and says why a block failed. It costs
~1.3 µs per brace, comma, quote, `=` and line break: 0.4-0.5 s for a 4,000-entry file.
So well-formed `@type{key, name = value, ...}` entries are read here with a few
regular expressions each (2-3x faster), and everything else goes to bibtexparser: a
block this fast path does not fully understand (@string, @comment, @preamble, `(...)`
delimiters, `%` lines inside an entry, `#` concatenation, escaped braces, errors) is
handed over with the text up to the next line that starts a block. bibtexparser never
lets a block run past such a line, so it gives exactly what it would on the whole file.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ImplicitComment,
    ParsingFailedBlock,
    String,
)

# The splitter logs every block it cannot read; here each becomes an EntryProblem.
logging.getLogger("bibtexparser.splitter").setLevel(logging.ERROR)

# As bibtexparser's splitter: where a block starts, anywhere outside a block.
_BLOCK_START = re.compile(r"@\w*[ \t]*(?=[{(])")
# A block start at the start of a line: bibtexparser ends any unfinished block there.
_LINE_BLOCK_START = re.compile(r"(?:(?<=\n)|\A)[^\S\n]*@\w*[ \t]*(?=[{(])")
_HEAD = re.compile(r"@(\w+)[ \t]*\{\s*([^\s,{}()=\"#%'\\]+)\s*([,}])")
_NAME = r"([^\s\"#%'(),={}\\@]+)\s*=\s*"
_SIMPLE_FIELD = re.compile(
    r"\s*"
    + _NAME
    + r"(?:\{([^{}]*)\}|\"([^\"{}\\]*)\"|([0-9]+)|([^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*))"
    r"\s*([,}])"
)
_ESCAPED_BRACE = re.compile(r"\\[{}]|\\\Z")
_BRACED_FIELD = re.compile(r"\s*" + _NAME + r"\{")
_BRACE_OR_AT = re.compile(r"(?<!\\)[{}]|@")
_AFTER_VALUE = re.compile(r"\s*([,}])")
_ENTRY_END = re.compile(r"\s*\}")
_FAST_MAX_DEPTH = 100  # deeper values are rare; bibtexparser reads them
_FAST_TYPES_EXCLUDED = frozenset({"string", "comment", "preamble"})

# No real bibliography comes near this many blocks; a text that has more is read up to
# here (a few seconds at most), and the rest is reported as not read.
MAX_BLOCKS = 50_000
TOO_MANY_BLOCKS = "too many blocks"


@dataclass
class RawEntry:
    """An entry; each field is (name as written, text, kind), in file order.

    kind is "text" (the value's text), "macro" (an @string name still to expand) or
    "raw" (the value as written, braces and `#` included, still to read).
    """

    entry_type: str
    key: str
    fields: list[tuple[str, str, str]]
    raw: str
    line: int


@dataclass
class RawString:
    name: str
    value: str  # as written after the `=`
    raw: str
    line: int


@dataclass
class FailedBlock:
    raw: str
    line: int
    reason: str  # bibtexparser's
    next_block_line: int | None  # where the next block starts, if the failure ran into it


@dataclass
class Gap:
    """Text between blocks (BibTeX ignores it), from its first non-blank line."""

    text: str
    line: int


@dataclass
class _Lines:
    """1-based line numbers of increasing positions, counted once."""

    text: str
    position: int = 0
    line: int = 1

    def at(self, position: int) -> int:
        if position < self.position:
            return self.text.count("\n", 0, position) + 1
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def split_blocks(text: str) -> list[RawEntry | RawString | FailedBlock | Gap]:
    """The blocks of a .bib text, in file order (at most MAX_BLOCKS of them, then one
    FailedBlock whose reason is TOO_MANY_BLOCKS)."""
    blocks: list[RawEntry | RawString | FailedBlock | Gap] = []
    lines = _Lines(text)
    position = 0
    read = 0
    while True:
        start = _BLOCK_START.search(text, position)
        gap_end = start.start() if start is not None else len(text)
        _add_gap(blocks, text, position, gap_end, lines)
        if start is None:
            return blocks
        line = lines.at(start.start())
        if read >= MAX_BLOCKS:
            blocks.append(FailedBlock(text[start.start() :][:200], line, TOO_MANY_BLOCKS, None))
            return blocks
        entry = _fast_entry(text, start.start(), line)
        if entry is not None:
            blocks.append(entry)
            read += 1
            position = start.start() + len(entry.raw)
            continue
        following = _LINE_BLOCK_START.search(text, start.start() + 1)
        end = following.start() if following is not None else len(text)
        # A hostile line can hold a million blocks: hand over no more than are left.
        starts = _BLOCK_START.finditer(text, start.start(), end)
        beyond = next(itertools.islice(starts, MAX_BLOCKS - read, None), None)
        if beyond is not None:
            following, end = None, beyond.start()
        next_line = lines.at(end) if following is not None else None
        slow, count = _slow_blocks(text[start.start() : end], line, next_line)
        read += count
        blocks.extend(slow)
        position = end


def _add_gap(blocks: list, text: str, start: int, end: int, lines: _Lines) -> None:
    gap = text[start:end]
    stripped = gap.lstrip()
    if not stripped.strip():
        return
    first = start + len(gap) - len(stripped)
    # The line of the first non-blank character, as bibtexparser counts it.
    blocks.append(Gap(text=stripped.rstrip(), line=lines.at(first)))


def _fast_entry(text: str, start: int, line: int) -> RawEntry | None:
    """A well-formed `@type{key, ...}` entry at `start`, or None to let bibtexparser read it."""
    head = _HEAD.match(text, start)
    if head is None or head.group(1).lower() in _FAST_TYPES_EXCLUDED:
        return None
    fields: list[tuple[str, str, str]] = []
    position = head.end()
    while head.group(3) == ",":
        simple = _SIMPLE_FIELD.match(text, position)
        if simple is not None:
            name, braced, quoted, number, macro, after = simple.groups()
            if braced is not None:
                if not _plain_braces(braced):
                    return None
                fields.append((name, braced, "text"))
            elif quoted is not None:
                if "@" in quoted and _LINE_BLOCK_START.search(quoted):
                    return None
                fields.append((name, quoted, "text"))
            elif number is not None:
                fields.append((name, number, "text"))
            else:
                fields.append((name, macro, "macro"))
            position = simple.end()
            if after == "}":
                break
            continue
        end = _ENTRY_END.match(text, position)
        if end is not None:
            position = end.end()
            break
        braced_field = _BRACED_FIELD.match(text, position)
        if braced_field is None:
            return None
        value_end = _nested_value_end(text, braced_field.end())
        if value_end is None:
            return None
        after_value = _AFTER_VALUE.match(text, value_end)
        if after_value is None:
            return None
        fields.append((braced_field.group(1), text[braced_field.end() : value_end - 1], "text"))
        position = after_value.end()
        if after_value.group(1) == "}":
            break
    return RawEntry(
        entry_type=head.group(1),
        key=head.group(2),
        fields=fields,
        raw=text[start:position],
        line=line,
    )


def _plain_braces(value: str) -> bool:
    """Whether bibtexparser reads this value's braces as a regex does."""
    if "\\" in value and _ESCAPED_BRACE.search(value):
        return False  # bibtexparser does not count `\{` or `\}` as braces
    # A line that starts a block inside a value ends the entry for bibtexparser.
    return "@" not in value or _LINE_BLOCK_START.search(value) is None


def _nested_value_end(text: str, start: int) -> int | None:
    """The end of a braced value whose { is just before `start` (None: not for here)."""
    depth = 1
    for mark in _BRACE_OR_AT.finditer(text, start):
        char = mark.group()
        if char == "{":
            depth += 1
            if depth > _FAST_MAX_DEPTH:
                return None
        elif char == "}":
            depth -= 1
            if depth == 0:
                return mark.end()
        elif _LINE_BLOCK_START.match(text, text.rfind("\n", 0, mark.start()) + 1):
            return None  # a block starts on a line inside the value: bibtexparser's call
    return None


def _slow_blocks(
    chunk: str, first_line: int, next_line: int | None
) -> tuple[list[RawEntry | RawString | FailedBlock | Gap], int]:
    """The blocks of a piece of text that starts with a block, read by bibtexparser, and
    how many blocks it read (@comment and @preamble included, text between them not)."""
    blocks: list[RawEntry | RawString | FailedBlock | Gap] = []
    read = 0
    for block in bibtexparser.parse_string(chunk, parse_stack=[]).blocks:
        read += not isinstance(block, ImplicitComment)
        line = first_line + (block.start_line or 0)
        inner = _unwrap(block)
        if isinstance(inner, Entry):
            blocks.append(
                RawEntry(
                    entry_type=inner.entry_type,
                    key=inner.key,
                    fields=[(f.key, f.value, "raw") for f in inner.fields],
                    raw=inner.raw or "",
                    line=line,
                )
            )
        elif isinstance(inner, String):
            blocks.append(RawString(name=inner.key, value=inner.value, raw=inner.raw, line=line))
        elif isinstance(inner, ParsingFailedBlock):
            reason = str(getattr(inner.error, "abort_reason", inner.error))
            blocks.append(
                FailedBlock(
                    raw=inner.raw or "", line=line, reason=reason, next_block_line=next_line
                )
            )
        elif isinstance(inner, ImplicitComment):
            blocks.append(Gap(text=inner.comment, line=line))
        # @comment and @preamble: nothing to keep.
    return blocks, read


def _unwrap(block: Block) -> Block:
    if isinstance(block, DuplicateBlockKeyBlock):
        # Duplicate keys are judged by the caller, where the first entry keeps its key.
        block = block.ignore_error_block
    if isinstance(block, DuplicateFieldKeyBlock):
        # Repeated fields are judged by the caller, where the last value wins.
        block = block.ignore_error_block
    return block
