"""Entries back to BibTeX text: for export, and for the Bib box a visitor sees."""

from __future__ import annotations

import re

from .parse import ParsedEntry
from .values import FIELD_NAME, braces_balanced

_KEY = re.compile(r"\A[^\s,{}()=\"#%'\\]+\Z")
_ENTRY_TYPE = re.compile(r"\A[A-Za-z][\w-]*\Z")
# A line that starts like an entry ends the entry before it for every BibTeX reader.
_ENTRY_START_LINE = re.compile(r"^\s*@\s*\w*\s*[{(]", re.M)


def format_entry(entry_type: str, key: str, fields: dict[str, str]) -> str:
    """One entry as BibTeX, fields in the given order, each value in braces, as written.

        @article{key,
          title = {...},
          year = {2024}
        }

    Raises ValueError for what cannot be written so that it reads back the same: a key
    or field name BibTeX does not allow, a value whose braces are not balanced, or a
    value with a line that starts like an entry.
    """
    if not _ENTRY_TYPE.match(entry_type):
        raise ValueError(f'"{entry_type}" is not an entry type such as "article".')
    if not _KEY.match(key):
        raise ValueError(f'"{key}" cannot be a citation key: no spaces, commas or braces.')
    lines = [f"@{entry_type.lower()}{{{key},"]
    for name, value in fields.items():
        if not FIELD_NAME.match(name):
            raise ValueError(f'"{name}" cannot be a field name.')
        if not braces_balanced(value):
            raise ValueError(f'The braces in the value of "{name}" are not balanced.')
        if value.endswith("\\"):
            raise ValueError(
                f'The value of "{name}" ends with a backslash, which would escape its }}.'
            )
        if _ENTRY_START_LINE.search(value):
            raise ValueError(f'A line of the value of "{name}" starts like an entry ("@...{{").')
        lines.append(f"  {name} = {{{value}}},")
    if len(lines) > 1:
        lines[-1] = lines[-1][:-1]
    lines.append("}")
    return "\n".join(lines)


def display_bibtex(entry: ParsedEntry) -> str:
    """The entry as a visitor sees it in the Bib box: without al-folio's own fields."""
    # Imported here, not at the top: models need Django's app registry, and this package
    # must stay importable before it is ready (and from the models module itself).
    from publications.models import ALFOLIO_FIELDS

    shown = {name: value for name, value in entry.fields.items() if name not in ALFOLIO_FIELDS}
    return format_entry(entry.entry_type, entry.key, shown)
