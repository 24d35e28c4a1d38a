"""A site's `_bibliography/*.bib` files as one BibTeX text for publications.import_bibtex.

jekyll-scholar reads the file `scholar.bibliography` names (papers.bib) on the
publications page; others are used by other pages. All of them are a
researcher's work, so all are imported, that file first. The template's own
sample entries (Einstein's papers, left in by owners who never removed them)
are blanked out and reported. Lines keep their numbers: a problem on line N of
the joined text is reported on the line of the file it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from profiles.alfolio.repair import Note
from publications.bibtex import NotBibtex, parse_bibtex

BIB_FOLDER = "_bibliography/"
# al-folio's sample entries, by citation key (every generation of the template).
TEMPLATE_SAMPLE_KEYS = frozenset(
    {
        "einstein1950meaning",
        "einstein1905movement",
        "einstein1905electrodynamics",
        "einstein1905molekularkinetischen",
        "einstein1956investigations",
        "einstein1920relativity",
        "einstein1906new",
        "PhysRev.47.777",
        "przibram1967letters",
        "Einstein1903",
    }
)
_SAMPLE_AUTHORS = re.compile(r"einstein|przibram", re.IGNORECASE)


@dataclass
class Bibliography:
    text: str = ""
    files: list[tuple[int, str]] = field(default_factory=list)  # (first line, file), ascending
    samples: list[tuple[str, str]] = field(default_factory=list)  # (file, key)
    notes: list[Note] = field(default_factory=list)
    # Names of the files entries point at: {"pdf": {...}, "preview": {...}}
    file_fields: dict[str, set[str]] = field(default_factory=dict)

    def where(self, line: int) -> tuple[str, int]:
        """(file, line in it) of a line of the joined text."""
        current = ("", line)
        for first, file in self.files:
            if first > line:
                break
            current = (file, line - first + 1)
        return current


def bib_order(paths: list[str], main: str) -> list[str]:
    """The file _config.yml names first, then the rest by name."""
    main_path = BIB_FOLDER + main if main else ""
    return sorted(paths, key=lambda path: (path != main_path, path))


def is_template_sample(key: str, fields: dict[str, str]) -> bool:
    return key in TEMPLATE_SAMPLE_KEYS and bool(_SAMPLE_AUTHORS.search(fields.get("author", "")))


def join_bibliography(texts: dict[str, str], *, main: str) -> Bibliography:
    """One text from every .bib file (path -> decoded text), samples blanked, lines kept."""
    result = Bibliography()
    pieces: list[str] = []
    line = 1
    for path in bib_order(list(texts), main):
        text = texts[path].replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        try:
            parsed = parse_bibtex(text)
        except NotBibtex as error:
            result.notes.append(Note(path, 0, f"{error} The file was skipped."))
            continue
        for entry in parsed.entries:
            if is_template_sample(entry.key, entry.fields):
                text = _blank(text, entry.raw)
                result.samples.append((path, entry.key))
        result.files.append((line, path))
        pieces.append(text if text.endswith("\n") else text + "\n")
        line += pieces[-1].count("\n")
    result.text = "".join(pieces)
    return result


def _blank(text: str, raw: str) -> str:
    """The text with one entry's characters replaced by as many line breaks as it had."""
    at = text.find(raw)
    if at < 0:
        return text
    return text[:at] + "\n" * raw.count("\n") + text[at + len(raw) :]
