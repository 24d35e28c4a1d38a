"""A parsed entry to the values of the Publication model's columns (al-folio's reading)."""

from __future__ import annotations

import re

from .latex import latex_to_unicode
from .names import parse_names
from .parse import ParsedEntry
from .values import MONTH_MACROS

# The model's max_length for each capped column (publications/models.py; a test keeps
# the two in step). Title, abstract, award, annotation and additional_info are unlimited.
MAX_LENGTHS = {
    "key": 255,
    "entry_type": 40,
    "venue": 1000,
    "volume": 100,
    "number": 100,
    "pages": 100,
    "publisher": 500,
    "doi": 300,
    "url": 2000,
    "eprint": 300,
    "isbn": 100,
    "abbr": 100,
    "preview": 2000,
    "pdf": 2000,
    "supp": 2000,
    "poster": 2000,
    "slides": 2000,
    "html": 2000,
    "code": 2000,
    "blog": 2000,
    "website": 2000,
    "video": 2000,
    "arxiv": 300,
    "hal": 300,
    "award_name": 300,
    "altmetric": 300,
    "dimensions": 300,
    "google_scholar_id": 100,
    "inspirehep_id": 100,
    "pmid": 100,
}

# Columns filled from the field of the same name, decoded to display text.
TEXT_FIELDS = (
    "title", "volume", "pages", "publisher", "eprint", "isbn", "abstract", "abbr", "arxiv",
    "hal", "award", "award_name", "annotation", "additional_info", "altmetric", "dimensions",
    "google_scholar_id", "inspirehep_id", "pmid",
)  # fmt: skip
# Columns holding a link: an http(s) address, or the name of a file of the site.
LINK_FIELDS = (
    "url", "pdf", "supp", "poster", "slides", "html", "code", "blog", "website", "video",
    "preview",
)  # fmt: skip
FLAG_FIELDS = ("selected", "bibtex_show")

_THESIS = ("school", "institution")
VENUE_BY_TYPE = {
    "article": ("journal", "journaltitle"),
    "inproceedings": ("booktitle",),
    "conference": ("booktitle",),
    "incollection": ("booktitle",),
    "phdthesis": _THESIS,
    "mastersthesis": _THESIS,
    "thesis": _THESIS,
    "techreport": ("institution",),
    "report": ("institution",),
    "book": ("publisher",),
    "inbook": ("publisher",),
}
# Any other type, and any entry that lacks the field its type calls for.
VENUE_FALLBACK = (
    "journal", "journaltitle", "booktitle", "school", "institution", "howpublished",
    "publisher", "organization", "eventtitle",
)  # fmt: skip

# Fields read into a column whatever the entry says (the venue's and issue's are
# decided per entry); every other field goes to `extra` as written.
_READ = frozenset(
    {"author", "editor", "year", "month", "date", "number", "doi", *TEXT_FIELDS}
    | set(LINK_FIELDS)
    | set(FLAG_FIELDS)
)

_FOUR_DIGITS = re.compile(r"\d{4}")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T/].*)?\Z")
_MONTH_NUMBERS = {
    **{abbr: number for number, abbr in enumerate(MONTH_MACROS, start=1)},
    **{name.lower(): number for number, name in enumerate(MONTH_MACROS.values(), start=1)},
    "sept": 9,
}
_MONTH_WORD = re.compile(r"([A-Za-z]+)\.?(?:[\s,~/\-\u2013].*)?\Z", re.S)
_URL_NEEDS_WORK = re.compile(r"[\\{}\t\n\r]")
_URL_ESCAPE = re.compile(r"\\([_%&#~$])")
_URL_COMMAND = re.compile(r"\A\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{[^{}]*\})?\Z")
_WEB_ADDRESS = re.compile(r"https?://[^/\\\s?#@]", re.I)
_DOI_PREFIX = re.compile(r"\A(?:https?://(?:dx\.|www\.)?doi\.org/|doi:\s*)", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRUE = frozenset({"true", "yes", "1"})


def publication_values(entry: ParsedEntry) -> tuple[dict, list[str]]:
    """The Publication columns for an entry, and warning sentences about what was changed.

    The warnings are about the values only; the parse warnings are in entry.warnings.
    """
    fields = entry.fields
    warnings: list[str] = []
    values: dict = {
        "key": entry.key,
        "entry_type": entry.entry_type,
        "authors": parse_names(fields.get("author", "")),
        "editors": parse_names(fields.get("editor", "")),
        "raw_bibtex": entry.raw,
        "position": entry.position,
    }
    for name in TEXT_FIELDS:
        value = fields.get(name)
        values[name] = latex_to_unicode(value) if value else ""

    venue_field = _venue_field(entry)
    values["venue"] = latex_to_unicode(fields[venue_field]) if venue_field else ""
    number_field = "number" if fields.get("number", "").strip() else "issue"
    values["number"] = latex_to_unicode(fields.get(number_field, ""))
    values["year"], values["month"] = _year_and_month(fields, warnings)
    values["doi"] = _DOI_PREFIX.sub("", _url_text(fields.get("doi", "")))

    for name in LINK_FIELDS:
        value = fields.get(name)
        values[name] = _link(name, value, warnings) if value else ""
    for name in FLAG_FIELDS:
        flag = fields.get(name, "").replace("{", "").replace("}", "").strip().lower()
        values[name] = flag in _TRUE

    values["extra"] = {
        name: value
        for name, value in fields.items()
        if name not in _READ and name != venue_field and name != number_field
    }

    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) <= limit:
            continue
        if name in LINK_FIELDS:
            values[name] = ""
            warnings.append(
                f'The field "{name}" was dropped: its link is longer than {limit} characters.'
            )
        else:
            values[name] = values[name][: limit - 1] + "…"
            warnings.append(
                f'The field "{name}" is longer than {limit} characters; it was cut to fit.'
            )
    return values, warnings


def _venue_field(entry: ParsedEntry) -> str | None:
    for name in (*VENUE_BY_TYPE.get(entry.entry_type, ()), *VENUE_FALLBACK):
        if entry.fields.get(name, "").strip():
            return name
    return None


def _year_and_month(fields: dict[str, str], warnings: list[str]) -> tuple[int | None, int | None]:
    year = month = None
    written_year = latex_to_unicode(fields.get("year", ""))
    if written_year:
        found = _FOUR_DIGITS.search(written_year)
        if found is not None and 1000 <= int(found.group()) <= 2999:
            year = int(found.group())
        else:
            warnings.append(f'The year "{written_year[:40]}" is not a year; it was left out.')

    written_month = latex_to_unicode(fields.get("month", "")).strip().rstrip(".").strip()
    if written_month:
        month = _month_number(written_month)
        if month is None:
            warnings.append(f'The month "{written_month[:40]}" is not a month; it was left out.')

    written_date = latex_to_unicode(fields.get("date", "")).strip()
    if written_date and (year is None or month is None):
        date = _DATE.match(written_date)
        date_month = int(date.group(2)) if date is not None and date.group(2) else None
        if date is None or not 1000 <= int(date.group(1)) <= 2999:
            warnings.append(
                f'The date "{written_date[:40]}" is not a date such as 2025, 2025-06 or '
                "2025-06-01; it was left out."
            )
        elif date_month is not None and not 1 <= date_month <= 12:
            warnings.append(f'The date "{written_date[:40]}" has no month {date_month}.')
            year = year or int(date.group(1))
        else:
            year = year or int(date.group(1))
            month = month or date_month
    return year, month


def _month_number(text: str) -> int | None:
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    # "October", "Oct", and a month with a day or a range after it ("Aug.~1", "June--July").
    word = _MONTH_WORD.match(text)
    return _MONTH_NUMBERS.get(word.group(1).lower()) if word is not None else None


def _url_text(value: str) -> str:
    """A link as written in BibTeX to the link itself: `\\url{}` and `\\_` undone."""
    text = value.strip()
    if _URL_NEEDS_WORK.search(text) is None:
        return text
    command = _URL_COMMAND.match(text)
    if command is not None:
        text = command.group(1)
    text = _URL_ESCAPE.sub(_unescaped, text).replace("{", "").replace("}", "")
    # Browsers drop tabs and line breaks inside a URL; look at it as they will.
    return re.sub(r"[\t\n\r]+", "", text).strip()


def _unescaped(match: re.Match[str]) -> str:
    return match.group(1)


def _link(name: str, value: str, warnings: list[str]) -> str:
    text = _url_text(value)
    if not text:
        return ""
    if _CONTROL.search(text) is None and "\\" not in text:
        if _WEB_ADDRESS.match(text):
            return text
        is_file_name = (
            not text.startswith("/")
            and ":" not in text
            and ".." not in text.replace("\\", "/").split("/")
        )
        if is_file_name:
            return text
    shown = text[:60] + ("…" if len(text) > 60 else "")
    warnings.append(
        f'The field "{name}" was dropped: "{shown}" is neither a web address (http:// or '
        "https://) nor the name of a file of this site."
    )
    return ""
