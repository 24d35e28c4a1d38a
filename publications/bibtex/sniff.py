"""What a text that holds no BibTeX entry is, said plainly, for NotBibtex's message."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_HTML = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml)\b", re.I | re.S
)
_HTML_INSIDE = re.compile(r"<(?:html|head|body|script|div|p|meta|title)\b[^>]*>", re.I)

# Signatures of files people upload by mistake, as text decoded from their bytes.
_SIGNATURES = (
    ("%PDF-", "a PDF document"),
    ("PK\x03\x04", "a Word document or another ZIP archive"),
    ("\xd0\xcf\x11\xe0", "an old Word (.doc) document"),
    ("{\\rtf", "an RTF document"),
    ("\x89PNG", "a PNG image"),
    ("\xff\xd8\xff", "a JPEG image"),
    ("GIF8", "a GIF image"),
)


def binary_kind(text: str) -> str | None:
    """A description of the binary file this text was decoded from, or None for text."""
    head = text[:65536]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature) and (kind == "an RTF document" or _looks_binary(head)):
            return kind
    if _looks_binary(head):
        return "binary data (a document, an image or an archive?)"
    return None


def _looks_binary(head: str) -> bool:
    if "\x00" in head:
        return True
    control = len(_CONTROL.findall(head))
    return control > max(8, len(head) // 100)


def looks_like_html(text: str) -> bool:
    """Whether the text is an HTML (or XML) document rather than a .bib file."""
    head = text[:4096]
    return _HTML.match(head) is not None or len(_HTML_INSIDE.findall(head)) >= 3


def not_bibtex_message(text: str) -> str:
    """Why a text with no entry is not BibTeX, in a sentence."""
    if not text.strip():
        return "The file is empty: there is no BibTeX entry in it."
    if looks_like_html(text):
        return (
            "This is an HTML page, not a BibTeX file: it has no entry such as "
            "@article{key, ...}. Save or export the .bib file itself."
        )
    return (
        "This is not a BibTeX file: it has no entry such as @article{key, title = {...}}. "
        "Export your publications as BibTeX (.bib) and try again."
    )
