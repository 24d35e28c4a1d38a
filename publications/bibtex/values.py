"""A field's value as written in the file to its text: enclosing and macros resolved.

BibTeX values are `{braced}`, `"quoted"`, a number, or a macro name (`cvpr`, `oct`),
and may be joined with `#`. Braces are counted as bibtexparser's splitter counts them
(a brace right after a backslash is escaped), so that both agree on where a value ends.
"""

from __future__ import annotations

import re

# BibTeX's standard month macros (plain.bst and every style derived from it).
MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

# Characters BibTeX does not allow in a macro or field name.
_NAME = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*")
_NUMBER = re.compile(r"[0-9]+")
# A brace (or quote) right after a backslash is escaped, as in bibtexparser's splitter.
_BRACE = re.compile(r"(?<!\\)[{}]")
_QUOTED_MARK = re.compile(r"(?<!\\)[{}\"]")
FIELD_NAME = re.compile(r"\A[^\s\"#%'(),={}0-9@\\][^\s\"#%'(),={}@\\]*\Z")


class BadValue(Exception):
    """A value that cannot be read; the message is a sentence for the researcher."""


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def braces_balanced(text: str) -> bool:
    """Whether every { has its } (escaped braces aside), never closing more than opened."""
    depth = 0
    for brace in _BRACE.finditer(text):
        depth += 1 if brace.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _braced_end(raw: str, start: int, field: str) -> int:
    depth = 0
    for brace in _BRACE.finditer(raw, start):
        if brace.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return brace.end()
    raise BadValue(f'The braces are not balanced in the field "{field}": a {{ is never closed.')


def _quoted_end(raw: str, start: int, field: str) -> int:
    depth = 0
    for mark in _QUOTED_MARK.finditer(raw, start + 1):
        char = mark.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise BadValue(
                    f'The braces are not balanced in the field "{field}": a }} closes nothing.'
                )
        elif depth == 0:
            return mark.end()
    if depth > 0:
        raise BadValue(f'The braces are not balanced in the field "{field}": a {{ is never closed.')
    raise BadValue(f'The value of the field "{field}" opens a quote (") that is never closed.')


def macro_text(name: str, field: str, macros: dict[str, str], warnings: list[str]) -> str:
    """An @string name's text (`macros` maps lower-case names), else a month's, else itself."""
    text = macros.get(name.lower())
    if text is None:
        text = MONTH_MACROS.get(name.lower())
    if text is None:
        warnings.append(
            f'The field "{field}" uses the abbreviation "{name}", which no @string in the '
            "file defines; its name is kept as the value."
        )
        text = name
    return text


def expand_value(raw: str, field: str, macros: dict[str, str]) -> tuple[str, list[str]]:
    """The text of a value as written between `=` and the next field.

    `macros` maps lower-case @string names to their text. Returns the text (outer
    braces or quotes removed, LaTeX kept) and warning sentences; raises BadValue.
    """
    warnings: list[str] = []
    parts: list[str] = []
    pos = 0
    length = len(raw)
    while True:
        while pos < length and raw[pos].isspace():
            pos += 1
        if pos >= length:
            if parts:
                raise BadValue(
                    f'The value of the field "{field}" ends with "#" and nothing after it.'
                )
            warnings.append(f'The field "{field}" has no value.')
            return "", warnings
        char = raw[pos]
        if char == "{":
            end = _braced_end(raw, pos, field)
            parts.append(raw[pos + 1 : end - 1])
        elif char == '"':
            end = _quoted_end(raw, pos, field)
            parts.append(raw[pos + 1 : end - 1])
        elif (number := _NUMBER.match(raw, pos)) is not None:
            end = number.end()
            parts.append(number.group())
        elif (name := _NAME.match(raw, pos)) is not None:
            end = name.end()
            parts.append(macro_text(name.group(), field, macros, warnings))
        else:
            raise BadValue(
                f'The value of the field "{field}" starts with "{_quote(raw[pos:], 20)}": a '
                'value is written in braces ({...}), in quotes ("..."), or is a number or an '
                "@string name."
            )
        pos = end
        while pos < length and raw[pos].isspace():
            pos += 1
        if pos >= length:
            return "".join(parts), warnings
        if raw[pos] != "#":
            raise BadValue(
                f'After the value of the field "{field}" comes "{_quote(raw[pos:])}": '
                "a comma is probably missing between two fields."
            )
        pos += 1
