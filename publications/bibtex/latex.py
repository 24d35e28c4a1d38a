"""LaTeX in BibTeX values to display text (Unicode), fast enough for 4,000-entry files.

Decoding whole values with pylatexenc costs ~0.5 ms each; most values hold no LaTeX at
all, and the ones that do repeat the same few fragments (`{\\"o}`, `\\'{a}`, `--`) over
and over. So a regex walks the value, keeps math (`$...$`) and HTML tags exactly as
written, drops protective braces, and sends only the LaTeX fragments (a command with
its arguments, or a special such as `--` or `~`) through pylatexenc, with a cache.
Unknown commands stay readable: `\\LaTeX` becomes "LaTeX", `\\foo{bar}` becomes "bar".
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

_LATEX2TEXT = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=False)
_KNOWN_MACROS = get_default_latex_context_db()

# A fragment sent to pylatexenc is at most this long, and its braces this deep: a
# command whose argument is longer (`\textbf{<a whole paragraph>}`) is decoded on
# its own, and its argument is then read as ordinary text with protective braces.
_FRAGMENT_MAX_CHARS = 160
_FRAGMENT_MAX_DEPTH = 8
_MAX_ARGUMENTS = 3
_CACHED_MAX_CHARS = 2000  # longer values (abstracts) are unique: not worth keeping

# Commands that print nothing; any other command pylatexenc does not know keeps its
# name, without the backslash, so that `\LaTeX` or `\BibTeX` still reads well.
_SILENT_COMMANDS = frozenset(
    "relax protect noindent xspace nobreak null unskip hfill newblock break linebreak "
    "allowbreak sloppy frenchspacing bgroup egroup".split()
)

_TOKEN = re.compile(
    # Math, kept exactly as written (bounded, so that a stray `$` costs no rescans).
    r"(?P<math>\$\$.{1,4000}?\$\$|\$(?:[^$\\]|\\.){1,2000}?\$"
    r"|\\\(.{1,4000}?\\\)|\\\[.{1,4000}?\\\])"
    # HTML tags and comments, kept as written for the sanitizer that comes later.
    r"|(?P<tag><!--.{0,10000}?-->|</?[A-Za-z][^<>]{0,2000}>)"
    r"|(?P<cmd>\\(?:[A-Za-z]+\*?|.))"
    r"|(?P<special>---|--|~|``|''|!`|\?`)"
    r"|(?P<brace>[{}])",
    re.S,
)
_TOKEN_START = re.compile(r"[$<\\{}~`'!?-]")
# A character that makes a value need more than whitespace clean-up.
_SPECIAL_CHAR = re.compile(r"[\\{}~$<`]")
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v]+")
_UNUSUAL_SPACE = re.compile(r"[\t\r\f\v]")
_BLANK_LINE = re.compile(r"[ \t\r\f\v]*\n[ \t\r\f\v]*\n[ \t\r\n\f\v]*")
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)\*?")


def latex_to_unicode(value: str) -> str:
    """Display text for a BibTeX value: LaTeX decoded, math and HTML kept as written.

    `{\\"o}` -> ö, `\\v{s}` -> š, `\\ss` -> ß, `\\&` -> &, `--` -> en dash, `~` -> no-break
    space, `{LSTM}` -> LSTM; `$x^2$` and `<i>p</i>` stay exactly as written; an escaped
    dollar (`\\$`) stays escaped, so that a later math renderer does not take it for
    math. Runs of whitespace become one space; a blank line stays a paragraph break.
    """
    if not value:
        return ""
    if not _needs_decoding(value):
        return _squash(value).strip(" \n")
    if len(value) > _CACHED_MAX_CHARS:
        return _decode(value)
    return _decode_cached(value)


def _needs_decoding(value: str) -> bool:
    # `in` runs at C speed; one regex with these alternatives is ~5x slower on long text.
    return (
        _SPECIAL_CHAR.search(value) is not None
        or "--" in value
        or "''" in value
        or "!`" in value
        or "?`" in value
    )


def _squash(text: str) -> str:
    """LaTeX's whitespace: any run is one space, a run with a blank line is a paragraph."""
    if "\n" not in text and "  " not in text and _UNUSUAL_SPACE.search(text) is None:
        return text
    if _BLANK_LINE.search(text) is None:
        return _SPACE_RUN.sub(" ", text)
    return "\n\n".join(_SPACE_RUN.sub(" ", part).strip(" ") for part in _BLANK_LINE.split(text))


@functools.lru_cache(maxsize=4096)
def _decode_cached(value: str) -> str:
    # Names, venues and publishers repeat across a file: decode each once.
    return _decode(value)


def _decode(value: str) -> str:
    pieces: list[str] = []  # finished output
    text: list[str] = []  # decoded text not yet whitespace-squashed
    pos = 0
    length = len(value)
    while pos < length:
        # Jump to a character that can start a token, then try the token there: one
        # search with all the alternatives is ~25x slower on long text.
        start = _TOKEN_START.search(value, pos)
        if start is None:
            text.append(value[pos:])
            break
        m = _TOKEN.match(value, start.start())
        if m is None:
            text.append(value[pos : start.end()])
            pos = start.end()
            continue
        if m.start() > pos:
            text.append(value[pos : m.start()])
        kind = m.lastgroup
        if kind == "brace":
            pos = m.end()
        elif kind == "special":
            text.append(_fragment(m.group()))
            pos = m.end()
        elif kind == "cmd":
            decoded, pos, verbatim = _command(value, m)
            if verbatim:
                pieces.append(_squash("".join(text)))
                text = []
                pieces.append(decoded)
            else:
                text.append(decoded)
        else:  # math or tag: exactly as written
            pieces.append(_squash("".join(text)))
            text = []
            pieces.append(m.group())
            pos = m.end()
    pieces.append(_squash("".join(text)))
    return "".join(pieces).strip(" \n")


def _group_end(value: str, start: int) -> int | None:
    """End of the balanced `{...}` group opening at `start`, if it is short and shallow.

    A brace right after a backslash is escaped (`\\{`), as in the BibTeX splitter.
    """
    if start >= len(value) or value[start] != "{":
        return None
    depth = 0
    limit = min(len(value), start + _FRAGMENT_MAX_CHARS)
    for i in range(start, limit):
        char = value[i]
        if char == "{" and (i == 0 or value[i - 1] != "\\"):
            depth += 1
            if depth > _FRAGMENT_MAX_DEPTH:
                return None
        elif char == "}" and value[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _skip_spaces(value: str, pos: int) -> int:
    while pos < len(value) and value[pos] in " \t":
        pos += 1
    return pos


def _command(value: str, m: re.Match[str]) -> tuple[str, int, bool]:
    """Decode the command at `m` with its arguments: (text, end, kept verbatim)."""
    command = m.group()
    end = m.end()
    if command == "\\$":
        return "\\$", end, True
    name = command[1:].rstrip("*")
    if name in ("url", "doi", "href"):
        first_end = _group_end(value, _skip_spaces(value, end))
        if first_end is not None:
            first = value[_skip_spaces(value, end) + 1 : first_end - 1]
            if name != "href":
                return first, first_end, True
            second_start = _skip_spaces(value, first_end)
            second_end = _group_end(value, second_start)
            if second_end is not None:
                return latex_to_unicode(value[second_start + 1 : second_end - 1]), second_end, False
            return first, first_end, True
    args_end = end
    if name.isalpha():
        # A control word takes its braced arguments (`\v{s}`, `\textbf{x}`).
        for _ in range(_MAX_ARGUMENTS):
            group_end = _group_end(value, _skip_spaces(value, args_end))
            if group_end is None or group_end - m.start() > _FRAGMENT_MAX_CHARS:
                break
            args_end = group_end
        if args_end == end:
            # No argument: `\ss`, `\o`, `\LaTeX`, or an accent before a bare letter.
            decoded = _fragment(command)
            after = _skip_spaces(value, end)
            known = _KNOWN_MACROS.get_macro_spec(name) is not None
            if known and len(decoded) == 1 and decoded.isalpha():
                # TeX eats the spaces after a control word: `Stra\ss e` is Straße.
                return decoded, after, False
            if decoded and unicodedata.combining(decoded[-1]):
                if after < len(value) and value[after].isalpha():  # `\v s`, `\c c`
                    return _fragment(value[m.start() : after + 1]), after + 1, False
                return decoded.strip(), end, False
            return decoded, end, False
    else:
        # A control symbol: `\&`, `\%`, or an accent (`\'a`, `\"{o}`, `\'\i`).
        group_end = _group_end(value, end)
        if group_end is not None:
            args_end = group_end
        elif end < len(value) and value[end].isalpha():
            args_end = end + 1
        else:
            word = _CONTROL_WORD.match(value, end)
            if word is not None and len(word.group(1)) == 1:  # \i, \j, \o, \l
                args_end = word.end()
    return _fragment(value[m.start() : args_end]), args_end, False


@functools.lru_cache(maxsize=8192)
def _fragment(fragment: str) -> str:
    """One LaTeX fragment through pylatexenc, readable whatever it does with it."""
    try:
        text = _LATEX2TEXT.latex_to_text(fragment)
    except Exception:  # pylatexenc raises IndexError, LatexWalkerError, ... on odd input
        text = None
    word = _CONTROL_WORD.match(fragment)
    if word is not None and _KNOWN_MACROS.get_macro_spec(word.group(1)) is None:
        name = word.group(1)
        if word.end() == len(fragment):
            return "" if name in _SILENT_COMMANDS else name
        if text is None:
            return latex_to_unicode(fragment[word.end() :])
        return text
    if text is None:
        return fragment.replace("\\", "").replace("{", "").replace("}", "")
    if word is None and all(c.isspace() or unicodedata.combining(c) for c in text):
        # An accent with nothing to sit on: `\~{}` and `\^{}` are how people write a
        # literal ~ or ^; a lone `\'` is an apostrophe.
        bare = fragment.replace("{", "").replace("}", "")
        if len(bare) == 2:
            return bare[1]
    return text
