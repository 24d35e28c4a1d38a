"""Text as the directory searches it: lower-case, without accents, one space between words.

"Tomás Reyes Lindgren" and "tomas reyes" meet on both databases: the folded
text is stored on the profile (Profile.search_text), and queries are folded
the same way. On PostgreSQL a GIN index on to_tsvector('simple', search_text)
(migration 0007) makes the search a full-text one; SQLite compares words.
"""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not take apart into a base letter and an accent.
_STAND_INS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def folded(text: str) -> str:
    """Lower-case, accents removed, whitespace squeezed: the form searches compare."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_STAND_INS))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def profile_search_text(profile) -> str:
    parts = (profile.full_name, profile.slug, profile.affiliation, profile.research_interests)
    return folded(" ".join(part for part in parts if part))


# The Profile fields search_text is made from.
SEARCH_SOURCES = frozenset(
    {"first_name", "middle_name", "last_name", "slug", "affiliation", "research_interests"}
)
