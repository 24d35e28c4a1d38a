"""BibTeX for al-folio sites: parse .bib files, decode LaTeX, map entries to Publication.

Pure Python, no database: the import service calls `parse_bibtex` on a file's text,
then `publication_values` on each entry, and stores what it gets.
"""

from .fields import publication_values
from .latex import latex_to_unicode
from .names import parse_names
from .parse import EntryProblem, NotBibtex, ParsedEntry, ParseResult, parse_bibtex
from .writer import display_bibtex, format_entry

__all__ = [
    "EntryProblem",
    "NotBibtex",
    "ParseResult",
    "ParsedEntry",
    "display_bibtex",
    "format_entry",
    "latex_to_unicode",
    "parse_bibtex",
    "parse_names",
    "publication_values",
]
