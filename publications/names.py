"""Whose name is this? Matching authors of papers to people.

Three questions use the same matching: is this author the site's owner (to
highlight), a co-author the owner linked (al-folio's _data/coauthors.yml),
or a researcher with a published site on this platform (a link no static
theme can make)? A name matches a known form when the last names (with any
"von" part) are equal ignoring accents, case and punctuation, and the first
names agree as far as both go, an initial matching any first name that
starts with it: "A. K. Lovelace", "Ada Lovelace" and "Lovelace, Ada King"
are one person; "B. Lovelace" is not.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

_NOT_LETTER_RE = re.compile(r"[^\w\s]|_", re.UNICODE)
# Equal-contribution and corresponding-author marks (asterisks, daggers, §, ¶,
# ‖, ^) are not part of a name.
_MARKS_RE = re.compile("[*\u2217\u2020\u2021\u00a7\u00b6\u2016^]+")

T = TypeVar("T")


@functools.lru_cache(maxsize=16384)  # names repeat across a list and across requests
def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "Bornelöv" -> "bornelov"."""
    decomposed = unicodedata.normalize("NFKD", _MARKS_RE.sub("", text or ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("-", " ").replace(".", " ")
    return " ".join(_NOT_LETTER_RE.sub(" ", plain).casefold().split())


@dataclass(frozen=True)
class NameForm:
    last: str  # folded, with any von part: "da costa"
    first: tuple[str, ...]  # folded first-name words: ("ada", "k")

    @classmethod
    def from_parts(cls, *, first: str = "", von: str = "", last: str = "") -> NameForm | None:
        folded_last = fold(f"{von} {last}")
        if not folded_last:
            return None
        return cls(folded_last, tuple(fold(first).split()))

    @classmethod
    def from_text(cls, text: str) -> NameForm | None:
        """A name as a person types it: "Lovelace, Ada", "Ada Lovelace" or "A. K. Lovelace"."""
        text = " ".join((text or "").split())
        if not text:
            return None
        if "," in text:
            last, _, first = text.partition(",")
            return cls.from_parts(first=first, last=last)
        words = text.split(" ")
        return cls.from_parts(first=" ".join(words[:-1]), last=words[-1])

    def agrees_with(self, other: NameForm) -> bool:
        if self.last != other.last:
            return False
        if not self.first or not other.first:
            return not self.first and not other.first
        return all(_same_word(a, b) for a, b in zip(self.first, other.first, strict=False))


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    return False


def author_form(author: dict) -> NameForm | None:
    """The form of an author as publications.bibtex.parse_names gives it."""
    if author.get("others"):
        return None
    return _form_of_parts(author.get("first", ""), author.get("von", ""), author.get("last", ""))


@functools.lru_cache(maxsize=16384)
def _form_of_parts(first: str, von: str, last: str) -> NameForm | None:
    return NameForm.from_parts(first=first, von=von, last=last)


def forms_of(texts: Iterable[str]) -> list[NameForm]:
    """The forms in `texts` (one name per item; blank or unreadable items skipped)."""
    return [form for text in texts if (form := NameForm.from_text(text)) is not None]


class NameIndex(Generic[T]):
    """Known people by last name: who, if anyone, an author is."""

    def __init__(self) -> None:
        self._by_last: dict[str, list[tuple[NameForm, T]]] = {}

    def add(self, form: NameForm, value: T) -> None:
        self._by_last.setdefault(form.last, []).append((form, value))

    def add_all(self, forms: Iterable[NameForm], value: T) -> None:
        for form in forms:
            self.add(form, value)

    def find(self, form: NameForm | None) -> T | None:
        if form is None:
            return None
        for known, value in self._by_last.get(form.last, ()):
            if known.agrees_with(form):
                return value
        return None

    def __bool__(self) -> bool:
        return bool(self._by_last)
