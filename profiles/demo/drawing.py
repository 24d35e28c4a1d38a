"""The demo's pictures and papers, drawn when it is loaded: stand-ins that portray nobody.

load_demo puts them in the al-folio tree it imports, at the paths the texts
name (assets/img/prof_pic.png, assets/pdf/<name>, assets/img/publication_preview/<name>).
"""

from __future__ import annotations

import functools
import itertools
import random
import unicodedata
import zlib
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from publications.models import Publication
from publications.scholar import plain


def draw_portrait(background: str, figure: str) -> bytes:
    """A head-and-shoulders silhouette as a PNG: a stand-in photo that portrays nobody."""
    width, height = 600, 750
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 470, 540, 1100), fill=figure)  # shoulders
    draw.ellipse((190, 170, 410, 420), fill=figure)  # head
    return _png(image)


@functools.cache
def _font(size: int, *, bold: bool = False) -> tuple[ImageFont.ImageFont, bool]:
    """A serif font, and whether it has accents (Pillow's own font, used without one, has not)."""
    try:
        name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
        return ImageFont.truetype(name, size), True
    except OSError:
        return ImageFont.load_default(size=size), False


# What NFKD does not take apart: dashes, quotes, and letters such as ø and ł.
_ASCII_STAND_INS = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2113": "l", "ø": "o", "Ø": "O", "ł": "l"}
)


def _drawable(text: str, has_accents: bool) -> str:
    if has_accents:
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_STAND_INS))
    return decomposed.encode("ascii", "ignore").decode()


def _write(draw, xy: tuple[int, int], text: str, size: int, width: int, **style) -> int:
    """`text` wrapped to `width` pixels from `xy`; returns the y below it."""
    font, has_accents = _font(size, bold=style.pop("bold", False))
    x, y = xy
    line = ""
    for word in _drawable(text, has_accents).split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            draw.text((x, y), line, font=font, **style)
            y += int(size * 1.35)
            candidate = word
        line = candidate
    if line:
        draw.text((x, y), line, font=font, **style)
        y += int(size * 1.35)
    return y


def authors_line(publication: Publication) -> str:
    names = [
        "others"
        if author.get("others")
        else " ".join(
            part for part in (author.get("first"), author.get("von"), author.get("last")) if part
        )
        for author in publication.authors
    ]
    return ", ".join(names)


def draw_paper_pdf(publication: Publication) -> bytes:
    """A one-page PDF: the paper's title, authors and abstract over lines of grey "text".

    `publication` need not be saved: a parsed entry's values, rendered, will do.
    """
    width, height, margin = 827, 1169, 90  # A4 at 100 dpi
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    venue = ", ".join(part for part in (publication.venue, str(publication.year or "")) if part)
    _write(draw, (margin, 50), venue, 13, width - 2 * margin, fill=110)
    title = plain(publication.title_html)
    y = _write(draw, (margin, 120), title, 30, width - 2 * margin, fill=0, bold=True)
    y = _write(draw, (margin, y + 16), authors_line(publication), 17, width - 2 * margin, fill=30)
    abstract = plain(publication.abstract_html)
    if abstract:
        y = _write(draw, (margin + 40, y + 34), "Abstract", 15, 400, fill=0, bold=True)
        y = _write(draw, (margin + 40, y + 4), abstract, 14, width - 2 * margin - 80, fill=40)
    rng = random.Random(publication.key)  # noqa: S311 (a drawing, not a secret)
    column = (width - 2 * margin - 30) // 2
    for left in (margin, margin + column + 30):
        for line_y in range(y + 40, height - 110, 22):
            length = column if rng.random() > 0.12 else int(column * rng.uniform(0.3, 0.9))
            draw.rectangle((left, line_y, left + length, line_y + 8), fill=215)
    _write(
        draw,
        (margin, height - 70),
        "A fictional paper of the multifolio demo: nothing in it is real.",
        12,
        width - 2 * margin,
        fill=120,
    )
    buffer = BytesIO()
    page.save(buffer, "PDF", resolution=100, title=title, author=authors_line(publication))
    return buffer.getvalue()


def draw_preview(name: str, palette: tuple[str, ...]) -> bytes:
    """An 800x500 figure for a paper's thumbnail: a small network, lines or bars."""
    width, height = 800, 500
    image = Image.new("RGB", (width, height), "#fbfaf7")
    draw = ImageDraw.Draw(image)
    rng = random.Random(name)  # noqa: S311 (a drawing, not a secret)
    left, bottom, right, top = 70, height - 60, width - 40, 40
    if any(word in name for word in ("web", "tensor", "entangle")):
        rows = rng.choice((3, 4))  # trophic levels, a few species each, more lower down
        levels = []
        for row in range(rows):
            count = rng.randint(1 + row, 2 + 2 * row)
            y = top + 40 + row * (bottom - top - 80) // (rows - 1)
            levels.append(
                [(left + (right - left) * (i + 1) // (count + 1), y) for i in range(count)]
            )
        for upper, lower in itertools.pairwise(levels):
            for a in upper:
                for b in lower:
                    if rng.random() < 0.7:
                        draw.line((a, b), fill="#b8b5ad", width=4)
        for level, nodes in enumerate(levels):
            for x, y in nodes:
                draw.ellipse((x - 28, y - 28, x + 28, y + 28), fill=palette[level % len(palette)])
        return _png(image)
    draw.line((left, top, left, bottom, right, bottom), fill="#55524c", width=3)
    if zlib.crc32(name.encode()) % 2:
        for series in range(3):
            value, points = rng.uniform(0.3, 0.7), []
            for step in range(25):
                value = min(0.95, max(0.05, value + rng.uniform(-0.09, 0.09)))
                x = left + 10 + step * (right - left - 20) // 24
                points.append((x, bottom - int(value * (bottom - top))))
            draw.line(points, fill=palette[series % len(palette)], width=5, joint="curve")
    else:
        bars = 7
        slot = (right - left) // bars
        for i in range(bars):
            bar_top = bottom - int(rng.uniform(0.2, 0.95) * (bottom - top))
            x = left + i * slot + slot // 5
            draw.rectangle((x, bar_top, x + slot * 3 // 5, bottom - 2), fill=palette[i % 2])
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
