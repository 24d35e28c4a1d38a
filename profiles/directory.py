"""The researchers' directory: which published sites a search finds, in what order.

Both sides of a search are folded the same way (profiles.search.folded), so
"tomas" finds "Tomás" and "gottingen" finds "Göttingen" on every database.

- PostgreSQL: full-text search on `to_tsvector('simple', search_text)`, the very
  expression migration 0007 indexes with GIN (written out by hand: Django's
  SearchVector wraps the column in COALESCE, and the index would not match).
  Each word of the query is a prefix (`word:*`), all of them required.
- Other databases (SQLite): each word must occur somewhere in search_text.
  That also finds words inside words ("ova" finds "Lovelace"), which the
  full-text search does not; on a few hundred sites it costs nothing.

Results come in name order, as the unfiltered directory does, never by rank:
every result has every word, and a rank must be computed for every match
before the first page can be shown, re-parsing each one's text (a word most
sites have took 280 ms to 860 ms with 10,000 sites, bench/scale.py). In name
order the planner picks, by the term's frequency, the GIN index (rare terms:
sort the few matches) or profile_directory_order (migration 0008; common
terms: read sites in order and stop at the page's 24), both fast.
"""

from __future__ import annotations

import unicodedata

from django.db import connections, router
from django.db.models import F, Func, QuerySet, Value
from django.db.models.functions import Lower

from profiles.models import Profile
from profiles.search import folded

# A search box needs no more; the rest of a longer query is dropped unread.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# What a card shows: names, address, affiliation, interests and the photo.
CARD_FIELDS = (
    "slug",
    "first_name",
    "middle_name",
    "last_name",
    "affiliation",
    "research_interests",
    "photo",
    "photo_hidden",
)


def clean_query(raw: str) -> str:
    """The query as the page shows it back: bounded, without control characters."""
    text = raw[:MAX_QUERY_LENGTH]
    return " ".join(
        "".join(c for c in text if unicodedata.category(c) != "Cc" or c.isspace()).split()
    )


def query_words(query: str) -> list[str]:
    """The folded words of a query, letters and digits only.

    Anything else separates words, as it does in the text searched ("o'brien"
    is "o" and "brien" on both sides), and no character of a query can reach
    tsquery syntax (`&|!():*'\\`) or a LIKE pattern.
    """
    text = "".join(c if c.isalnum() else " " for c in folded(clean_query(query)))
    words = list(dict.fromkeys(text.split()))  # unique, in order
    return words[:MAX_WORDS]


def search_profiles(query: str) -> QuerySet[Profile]:
    """Published sites matching every word of `query`; all of them for an empty query."""
    profiles = Profile.objects.published().only(*CARD_FIELDS)
    # Exactly the expressions profile_directory_order indexes (migration 0008).
    by_name = (Lower("last_name"), Lower("first_name"), "slug")
    words = query_words(query)
    if not words:
        # Punctuation alone ("&|!") searches for nothing, so it finds nothing.
        return profiles.none() if clean_query(query) else profiles.order_by(*by_name)
    if connections[router.db_for_read(Profile)].vendor == "postgresql":
        return _full_text_search(profiles, words, by_name)
    for word in words:
        profiles = profiles.filter(search_text__icontains=word)
    return profiles.order_by(*by_name)


def _full_text_search(profiles: QuerySet[Profile], words: list[str], by_name) -> QuerySet[Profile]:
    from django.contrib.postgres.search import SearchQuery, SearchVectorField

    # Exactly the indexed expression, so the planner can use profile_search_gin.
    document = Func(
        Value("simple"), F("search_text"), function="to_tsvector", output_field=SearchVectorField()
    )
    # Safe as raw tsquery: every word is letters and digits only (query_words).
    terms = SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )
    return profiles.alias(document=document).filter(document=terms).order_by(*by_name)
