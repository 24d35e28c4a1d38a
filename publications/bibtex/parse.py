"""A .bib file's text to entries and problems, losing none.

publications.bibtex.split cuts the text into blocks (bibtexparser 2's splitter, with a
fast path for well-formed entries); this module resolves values (macros, months, `#`),
checks what the splitter lets through (keys, field names, text after a value), and turns
every failure into a sentence a researcher understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .sniff import binary_kind, looks_like_html, not_bibtex_message
from .split import (
    MAX_BLOCKS,
    TOO_MANY_BLOCKS,
    FailedBlock,
    Gap,
    RawEntry,
    RawString,
    split_blocks,
)
from .values import FIELD_NAME, BadValue, expand_value, macro_text


class NotBibtex(ValueError):
    """The text is not BibTeX at all; the message says what it is instead."""


@dataclass
class ParsedEntry:
    key: str
    entry_type: str
    fields: dict[str, str]
    raw: str
    line: int
    position: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class EntryProblem:
    key: str | None
    line: int
    reason: str
    raw: str


@dataclass
class ParseResult:
    entries: list[ParsedEntry]
    problems: list[EntryProblem]
    macros: dict[str, str]


_FRONT_MATTER_START = re.compile(r"---[ \t]*\n")
_FRONT_MATTER_END = re.compile(r"^---[ \t]*$", re.M)
_BLOCK_TYPE = re.compile(r"@\s*(\w*)")
_BLOCK_KEY = re.compile(r"@\s*\w*\s*[{(]\s*([^\s,{}()=\"#%']+)\s*,")
_BAD_KEY_CHARS = re.compile(r"[\s,{}()=\"#%'\\]")
_ENTRY_SHAPE = re.compile(r"@\s*[A-Za-z][\w-]*\s*[{(]\s*[^\s,{}()=\"#%']+\s*,")
_STRAY_ENTRY_START = re.compile(r"\s*@\s*[A-Za-z]+\b[^{(\n]*[,=]")
_TEXT_AFTER_CLOSE = re.compile(r"\s*(?:[,}]|[A-Za-z][\w-]*\s*=)")
_SKIPPED_TYPES = ("comment", "preamble")
# BibTeX's and biblatex's entry types, for telling a field-less entry from CSS.
_STANDARD_TYPES = frozenset(
    "article book booklet collection conference inbook incollection inproceedings manual "
    "mastersthesis misc online patent periodical phdthesis proceedings report software "
    "techreport thesis unpublished dataset".split()
)
# Where a field's value starts; the last one is the one left open when a block ran out.
_VALUE_START = re.compile(r"[,\n][^\S\n]*[^\s=,{}\"]+\s*=\s*([{\"])")


def parse_bibtex(text: str) -> ParseResult:
    """Every entry of a .bib text, or the reason it could not be read.

    Jekyll front matter is skipped (its lines still count for line numbers), @comment and
    @preamble are skipped, @string macros and month names are expanded. Each entry ends
    up either in `entries` or in `problems`; a later entry with a key already used is a
    problem. Raises NotBibtex when the text holds no BibTeX entry at all.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    kind = binary_kind(text)
    if kind is not None:
        raise NotBibtex(f"This is not a BibTeX file: it looks like {kind}.")
    # Past the part binary_kind reads, a stray NUL is still no character of BibTeX, and
    # PostgreSQL cannot store one: it becomes the replacement character, as bad bytes do.
    text = text.replace("\x00", "\ufffd")
    text = _blank_front_matter(text)
    blocks = split_blocks(text)

    problems: list[EntryProblem] = []
    macros = _read_macros(blocks, problems)
    lookup = {name.lower(): value for name, value in macros.items()}

    entries: list[ParsedEntry] = []
    first_line_of_key: dict[str, int] = {}
    looks_like_bibtex = False
    previous: ParsedEntry | None = None
    for block in blocks:
        kept = None
        if isinstance(block, Gap):
            _check_text_between(block, previous, problems)
        elif isinstance(block, (RawEntry, FailedBlock)):
            outcome = _read_entry(block, lookup) if isinstance(block, RawEntry) else _failure(block)
            if outcome is None:  # a broken @comment or @preamble
                previous = None
                continue
            looks_like_bibtex = looks_like_bibtex or _looks_like_entry(outcome.raw)
            if isinstance(outcome, ParsedEntry) and outcome.key in first_line_of_key:
                outcome = EntryProblem(
                    key=outcome.key,
                    line=outcome.line,
                    reason=f'The citation key "{outcome.key}" is already used by the entry '
                    f"on line {first_line_of_key[outcome.key]}; this later entry is left out.",
                    raw=outcome.raw,
                )
            if isinstance(outcome, ParsedEntry):
                outcome.position = len(entries)
                first_line_of_key[outcome.key] = outcome.line
                entries.append(outcome)
                kept = outcome
            else:
                problems.append(outcome)
        previous = kept

    # CSS in an HTML page (`@supports(display:grid)`) can look like a field-less entry.
    real = any(entry.fields or entry.entry_type in _STANDARD_TYPES for entry in entries)
    if not real and (not looks_like_bibtex or looks_like_html(text)):
        raise NotBibtex(not_bibtex_message(text))
    problems.sort(key=lambda problem: problem.line)
    return ParseResult(entries=entries, problems=problems, macros=macros)


def _looks_like_entry(raw: str) -> bool:
    """An entry's shape (`@type{key,` or a `name = value`), not CSS's `@media (...)`."""
    return _ENTRY_SHAPE.match(raw) is not None or "=" in raw[:4000]


def _blank_front_matter(text: str) -> str:
    """Jekyll front matter (a first line `---` up to the next `---`) as empty lines."""
    start = _FRONT_MATTER_START.match(text)
    if start is None:
        return text
    end = _FRONT_MATTER_END.search(text, start.end())
    if end is None:
        return text
    return "\n" * text.count("\n", 0, end.end()) + text[end.end() :]


def _read_macros(blocks: list, problems: list[EntryProblem]) -> dict[str, str]:
    """The @string macros, in file order, each resolved with the ones before it."""
    macros: dict[str, str] = {}
    lookup: dict[str, str] = {}
    for block in blocks:
        if not isinstance(block, RawString):
            continue
        name = block.name.strip()
        try:
            value, _ = expand_value(block.value, name, lookup)
        except BadValue as error:
            problems.append(
                EntryProblem(
                    key=name or None,
                    line=block.line,
                    reason=f'The @string "{name}" could not be read: {error}',
                    raw=block.raw,
                )
            )
            continue
        macros[name] = value
        lookup[name.lower()] = value
    return macros


def _failure(block: FailedBlock) -> EntryProblem | None:
    if block.reason == TOO_MANY_BLOCKS:
        return EntryProblem(
            key=None,
            line=block.line,
            reason=f"The file holds more than {MAX_BLOCKS:,} entries: reading stopped here, "
            "and nothing from this line on was read.",
            raw=block.raw,
        )
    kind = _BLOCK_TYPE.match(block.raw)
    entry_type = kind.group(1).lower() if kind else ""
    if entry_type in _SKIPPED_TYPES:
        return None
    key = _BLOCK_KEY.match(block.raw)
    return EntryProblem(
        key=key.group(1) if key else None,
        line=block.line,
        reason=_failure_reason(block, entry_type),
        raw=block.raw,
    )


def _failure_reason(block: FailedBlock, entry_type: str) -> str:
    """bibtexparser's reason for giving up on a block, as a sentence for a researcher."""
    reason = block.reason
    stopped_at = block.line + block.raw.rstrip("\n").count("\n")
    if entry_type == "string":
        return (
            "This @string definition could not be read: its braces or quotes are not "
            "balanced, or its closing } is missing."
        )
    if "reached end of file" in reason:
        # The splitter was handed the text up to the next block; it ran out there.
        if block.next_block_line is None:
            where = "so the entry runs to the end of the file"
        else:
            where = f"before the next entry, on line {block.next_block_line}"
        opened = [value.group(1) for value in _VALUE_START.finditer(block.raw)]
        if opened and opened[-1] == '"':
            return f'A value opens a quote (") that is never closed {where}.'
        return f"The braces are not balanced: a {{ is never closed {where}."
    if "Expected comma after entry key" in reason:
        if reason.rstrip().endswith("="):
            return (
                "The entry has no citation key: after the opening { comes a field, where a "
                "key and a comma belong, as in @article{smith2020, title = {...}}."
            )
        return "The citation key is not followed by a comma, as in @article{smith2020, ...}."
    if "Expected a `=`" in reason:
        return (
            f'A field name is not followed by "=" and a value (near line {stopped_at}); '
            "perhaps a comma or an = is missing."
        )
    if "Expected either a `,` or" in reason:
        return f"A comma is missing after a field's value (near line {stopped_at})."
    if not entry_type:
        return 'An "@" is followed by "{" without an entry type, as in @article{key, ...}.'
    return f"The entry could not be read: {reason.strip()}"


def _read_entry(entry: RawEntry, macros: dict[str, str]) -> ParsedEntry | EntryProblem:
    raw = entry.raw
    line = entry.line
    key = entry.key.strip()

    def problem(reason: str) -> EntryProblem:
        return EntryProblem(key=key or None, line=line, reason=reason, raw=raw)

    entry_type = entry.entry_type.strip().lower()
    if not entry_type:
        return problem('The entry has no type: the "@" must be followed by one, as in @article.')
    if not key:
        return problem(
            "The entry has no citation key: it must come right after the opening {, "
            "followed by a comma, as in @article{smith2020, title = {...}}."
        )
    if _BAD_KEY_CHARS.search(key):
        return problem(
            f'The citation key "{key}" contains a space or a character that keys cannot '
            "hold ({ } ( ) , = \" # % ' \\); perhaps the comma after the key is missing."
        )

    fields: dict[str, str] = {}
    counts: dict[str, int] = {}
    warnings: list[str] = []
    for written_name, written_value, kind in entry.fields:
        name = _field_name(written_name)
        if name is None:
            warnings.append(
                "A field commented out with % was ignored: "
                f'"{written_name.strip()} = {written_value.strip()[:60]}".'
            )
            continue
        if not FIELD_NAME.match(name):
            return problem(
                f'"{name}" is not a valid field name: a field is written name = {{value}}, '
                "and fields are separated by commas; perhaps a comma or a closing brace is "
                "missing before it."
            )
        if kind == "text":
            value = written_value
        elif kind == "macro":
            value = macro_text(written_value, name, macros, warnings)
        else:
            try:
                value, value_warnings = expand_value(written_value, name, macros)
            except BadValue as error:
                return problem(str(error))
            warnings.extend(value_warnings)
        counts[name] = counts.get(name, 0) + 1
        fields[name] = value
    for name, count in counts.items():
        if count > 1:
            times = "twice" if count == 2 else f"{count} times"
            warnings.append(f'The field "{name}" appears {times}; the last value is kept.')
    if not fields:
        warnings.append("The entry has no fields.")
    return ParsedEntry(
        key=key,
        entry_type=entry_type,
        fields=fields,
        raw=raw,
        line=line,
        position=0,
        warnings=warnings,
    )


def _field_name(written: str) -> str | None:
    """The field name, without lines commented out with % before it; None if all are."""
    if FIELD_NAME.match(written):
        return written.lower()
    if "%" not in written:
        return " ".join(written.split()).lower()
    lines = [part for part in written.split("\n") if not part.strip().startswith("%")]
    if not lines and written.strip():
        return None
    return " ".join(" ".join(lines).split()).lower()


def _check_text_between(
    gap: Gap, previous: ParsedEntry | None, problems: list[EntryProblem]
) -> None:
    """Text between entries: report what looks like a lost entry or a cut-off one."""
    text = gap.text
    first_line = gap.line
    lines = text.split("\n")
    content = [(i, line) for i, line in enumerate(lines) if line.strip()]
    if previous is not None and content:
        index, line = content[0]
        if not line.lstrip().startswith("%") and _TEXT_AFTER_CLOSE.match(line):
            shown = " ".join(text[:200].split())[:60]
            previous.warnings.append(
                f"Some text after the end of this entry was not read (line {first_line + index}: "
                f'"{shown}"): a }} probably closes the entry too early.'
            )
    for index, line in content:
        if _STRAY_ENTRY_START.match(line):
            problems.append(
                EntryProblem(
                    key=None,
                    line=first_line + index,
                    reason=(
                        "This line starts like an entry, but the type is not followed by { "
                        "or (, as in @article{key, ...}, so the entry cannot be read."
                    ),
                    raw=line,
                )
            )
