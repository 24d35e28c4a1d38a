"""BibTeX name lists ("Last, First and First Last and others") to structured names.

Splitting on " and " and into First / von / Last / Jr follows BibTeX's own rules as
bibtexparser implements them (braces protect: `{Google DeepMind}` and `{da Costa}` stay
whole); the common plain cases take shortcuts that tests hold to bibtexparser's results.
Before that, the marks researchers put on names for equal
contribution or correspondence (`Xu*`, `Wu†`, `^*`, `$^\\dagger$`,
`\\textsuperscript{*}`) are taken off and kept apart.
"""

from __future__ import annotations

import functools
import re

from bibtexparser.middlewares.names import parse_single_name_into_parts

from .latex import latex_to_unicode

_DAGGER = r"\\(?:dagger|textdagger)(?![A-Za-z])"
_DDAGGER = r"\\(?:ddagger|textdaggerdbl)(?![A-Za-z])"
_SYMBOL = rf"(?:\*|†|‡|§|{_DDAGGER}|{_DAGGER}|\\S(?![A-Za-z]))"
_MARK = re.compile(
    # $^*$, $^{*}$, $^\dagger$, $\dagger$, $*$
    rf"\$\s*(?:\^\s*)?(?:\{{\s*{_SYMBOL}(?:\s*{_SYMBOL})*\s*\}}|{_SYMBOL}(?:\s*{_SYMBOL})*)\s*\$"
    # \textsuperscript{*}, \textsuperscript{\dagger}, \textsuperscript{*\dagger}
    rf"|\\textsuperscript\s*\{{\s*{_SYMBOL}(?:\s*,?\s*{_SYMBOL})*\s*\}}"
    # ^*, ^{*}, ^\dagger
    rf"|\^\s*(?:\{{\s*{_SYMBOL}(?:\s*{_SYMBOL})*\s*\}}|{_SYMBOL})"
    # {\dagger}, {*}
    rf"|\{{\s*{_SYMBOL}\s*\}}"
    # \dagger, \ddagger (eating the {} or space that ends the command), *, †
    rf"|(?:{_DDAGGER}|{_DAGGER}|\\S(?![A-Za-z]))(?:\s*\{{\}})?|[*†‡§]"
)
_SYMBOL_ONLY = re.compile(rf"{_DDAGGER}|{_DAGGER}|\\S(?![A-Za-z])|[*†‡§]")
_SPACES = re.compile(r"\s+")
# What the shortcut in name_parts leaves to BibTeX's full rules: braces and escapes
# other than an accent inside a word (`Bornel{\"o}v`, `Farka{\v{s}}`).
_NEEDS_FULL_RULES = re.compile(r"[{}\\]")
_ACCENT = re.compile(r"\{\\[^{}\s,]*(?:\{[^{}\s,]*\})?\}")
_MARK_CHAR = re.compile(r"[*†‡§$^\\]")
_AND = re.compile(r"[ \t\r\n]+[aA][nN][dD][ \t\r\n]+(?=\S)")
_ESCAPED_BRACE_OR_SPACE = re.compile(r"\\[{}\s]")
_AND_OR_BRACE = re.compile(r"\\.|[{}]|[ \t\r\n]+[aA][nN][dD][ \t\r\n]+(?=\S)", re.S)
# "First Last, Jr.": one comma, a generational suffix after it, two words before it.
_SUFFIXES = frozenset({"Jr", "Jr.", "jr", "jr.", "Sr", "Sr.", "sr", "sr.", "II", "III", "IV"})


def parse_names(value: str) -> list[dict]:
    """Every name of an author or editor field, in order.

    Each is {"first", "von", "last", "jr"} (decoded display text), "original" (the name
    as written), "marks" (e.g. "*", "†", "*†", taken off the name) and "others" (True
    for "and others", whose other keys are then empty).
    """
    parsed = _parse_names(value) if len(value) <= 5000 else _parse_names.__wrapped__(value)
    return [dict(zip(_KEYS, name, strict=True)) for name in parsed]


_KEYS = ("first", "von", "last", "jr", "original", "marks", "others")


@functools.lru_cache(maxsize=4096)
def _parse_names(value: str) -> tuple[tuple, ...]:
    return tuple(_parse_name(name.strip()) for name in split_names(value) if name.strip())


def split_names(value: str) -> list[str]:
    """The names of a name list, split on " and " outside braces, as BibTeX does.

    The same rule as bibtexparser's split_multiple_persons_names (a test holds them
    together), with Python code run only at each " and ", not at each character.
    """
    value = value.strip(" \r\n\t")
    if not value:
        return []
    exact = "\\" in value and _ESCAPED_BRACE_OR_SPACE.search(value) is not None
    if exact or value.count("{") != value.count("}"):
        return _split_names_exactly(value)
    names = []
    start = 0
    depth = 0
    counted_to = 0
    for separator in _AND.finditer(value):
        depth += value.count("{", counted_to, separator.start())
        depth -= value.count("}", counted_to, separator.start())
        counted_to = separator.start()
        if depth == 0:
            names.append(value[start : separator.start()])
            start = separator.end()
    names.append(value[start:])
    return names


def _split_names_exactly(value: str) -> list[str]:
    """split_names for lists with escaped braces or spaces, or unbalanced braces."""
    names = []
    depth = 0
    start = 0
    for mark in _AND_OR_BRACE.finditer(value):
        found = mark.group()
        if found == "{":
            depth += 1
        elif found == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and found[0] != "\\":
            names.append(value[start : mark.start()])
            start = mark.end()
    names.append(value[start:])
    return names


@functools.lru_cache(maxsize=16384)
def _parse_name(original: str) -> tuple:
    if original.lower() == "others":
        return ("", "", "", "", original, "", True)
    if _MARK_CHAR.search(original) is None:
        marks, bare = "", original
    else:
        marks = "".join(_mark_symbols(m.group()) for m in _MARK.finditer(original))
        bare = _SPACES.sub(" ", _MARK.sub("", original)).strip(" ,")
    before, _, after = bare.partition(",")
    if after.strip() in _SUFFIXES and " " in before.strip() and "{" not in before:
        # "Martin Luther King, Jr.": BibTeX would take "Jr." for the first name.
        first, von, last, _ = name_parts(before)
        jr = [after.strip()]
    else:
        first, von, last, jr = name_parts(bare)
    return (
        _decoded(first),
        _decoded(von),
        _decoded(last),
        _decoded(jr),
        original,
        marks,
        False,
    )


def name_parts(name: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """First, von, Last and Jr words of one name, by BibTeX's rules.

    bibtexparser's parse_single_name_into_parts reads a name character by character;
    the plain "Last, First" and "First Last" names that make up most lists take a
    shortcut that gives the same words (a test holds the two together).
    """
    if name.count(",") <= 1 and "~" not in name:
        if "{" in name or "\\" in name:
            plain = not _NEEDS_FULL_RULES.search(_ACCENT.sub("", name))
        else:
            plain = True
        before, comma, after = name.partition(",")
        words = before.split()
        # BibTeX tells "von" words by the case of their first letter; here each word
        # starts with a letter (no brace, no accent command), so that case is plain.
        if plain and words and all(word[0].isalpha() and word[0].isupper() for word in words):
            if comma:
                return after.split(), [], words, []
            if len(words) == 1:
                return [], [], words, []
            return words[:-1], [], words[-1:], []
    parts = parse_single_name_into_parts(name, strict=False)
    return parts.first, parts.von, parts.last, parts.jr


def _mark_symbols(mark: str) -> str:
    symbols = []
    for symbol in _SYMBOL_ONLY.findall(mark):
        if symbol in ("*", "†", "‡", "§"):
            symbols.append(symbol)
        elif "ddagger" in symbol or "daggerdbl" in symbol:
            symbols.append("‡")
        elif "dagger" in symbol:
            symbols.append("†")
        else:
            symbols.append("§")
    return "".join(symbols)


def _decoded(words: list[str]) -> str:
    return latex_to_unicode(" ".join(words)) if words else ""
