"""al-folio's `_news/` files, read with Jekyll's own publishing rules.

Jekyll publishes a file of a collection only when it has front matter, when
neither its path nor its name starts with `_` or `.`, and when its front
matter does not say `published: false`. The date comes from the front
matter, else from a `YYYY-MM-DD-` file name; the title, when there is none,
is the file name made into words ("announcement_1" -> "Announcement 1"),
as Jekyll does. Multi-language sites keep one folder per language
(`_news/en-us/...`): the default language is read and the others reported.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.utils.text import slugify

from profiles.alfolio.about import FrontMatterError, split_front_matter

NEWS_FOLDER = "_news/"
NEWS_SUFFIXES = (".md", ".markdown", ".html")
_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_DATED_NAME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})-(.+)$")
# The al-folio template's own sample news, by the words they start with: an owner
# who never deleted them did not mean to publish them.
TEMPLATE_SAMPLES = (
    "a simple inline announcement",
    "a long announcement with details",
    "announcements and news can be much longer than just quick inline posts",
)


@dataclass
class NewsFile:
    path: str
    date: dt.datetime
    title: str
    inline: bool
    content: str
    original_text: str
    slug: str


@dataclass
class NewsReading:
    items: list[NewsFile]
    skipped: list[tuple[str, str]]  # (file, why)


def parse_date(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """A Jekyll date: YAML's own (date, datetime) or text such as `2022-4-6` and
    `2024-09-25 12:00:00-0400`, which YAML leaves as strings. Naive dates are in `tz`."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    zone: dt.tzinfo = tz
    if offset == "Z":
        zone = dt.UTC
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return dt.datetime(
            int(year), int(month), int(day),
            int(hour or 0), int(minute or 0), int(second or 0), tzinfo=zone,
        )  # fmt: skip
    except ValueError:
        return None


def site_timezone(config: dict[str, Any]) -> dt.tzinfo:
    """_config.yml's `timezone` (Jekyll dates without an offset are in it), else UTC."""
    name = str(config.get("timezone") or "").strip()
    try:
        return zoneinfo.ZoneInfo(name) if name else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def is_published_path(relative: str) -> bool:
    """Jekyll skips entries whose path or name starts with `_`, `.`, `#` or ends with `~`."""
    name = PurePosixPath(relative).name
    return not (relative[:1] in "_.#" or name[:1] in "_.#" or name.endswith("~"))


def language_folder(paths: list[str], languages: list[str], default: str) -> tuple[str, list[str]]:
    """("en-us/", ["zh-cn", "zh-hk"]) on a site with a news folder per language, else ("", [])."""
    folders = {
        path[len(NEWS_FOLDER) :].split("/", 1)[0]
        for path in paths
        if path[len(NEWS_FOLDER) :].count("/") >= 1
    }
    present = [lang for lang in languages if lang in folders]
    if not present:
        return "", []
    chosen = default if default in present else present[0]
    return chosen + "/", [lang for lang in present if lang != chosen]


def _words(name: str) -> str:
    """Jekyll's titleize_slug: "announcement_1" -> "Announcement 1"."""
    return " ".join(word.capitalize() for word in re.split(r"[-_\s]+", name) if word)


def is_template_sample(title: str, body: str) -> bool:
    text = " ".join(f"{title} {body}".split()).lower()
    return text.startswith(TEMPLATE_SAMPLES)


def read_news(
    files: dict[str, tuple[str, str]],
    *,
    config: dict[str, Any],
    repair_title: Callable[[str], str],
) -> NewsReading:
    """The news Jekyll would publish from `files`: path under _news/ -> (text as written,
    text repaired by profiles.alfolio.repair). Notes come from the repair, not from here."""
    skipped: list[tuple[str, str]] = []
    items: list[NewsFile] = []
    tz = site_timezone(config)
    paths = sorted(path for path in files if path.startswith(NEWS_FOLDER))
    languages = [str(lang) for lang in config.get("languages") or [] if lang]
    chosen, others = language_folder(paths, languages, str(config.get("default_lang") or ""))
    for lang in others:
        count = sum(1 for path in paths if path.startswith(f"{NEWS_FOLDER}{lang}/"))
        skipped.append(
            (
                f"{NEWS_FOLDER}{lang}/",
                f"{count} news file(s) in {lang}: a site here has one language, and "
                f"{chosen.rstrip('/')} (the site's default) was imported.",
            )
        )
    for path in paths:
        relative = path[len(NEWS_FOLDER) :]
        if chosen:
            if not relative.startswith(chosen):
                continue
            relative = relative[len(chosen) :]
        original, repaired = files[path]
        item, why = _read_one(path, relative, original, repaired, tz, repair_title)
        if why:
            skipped.append((path, why))
        elif item:
            items.append(item)
    _unique_slugs(items)
    return NewsReading(items, skipped)


def _read_one(
    path: str,
    relative: str,
    original: str,
    text: str,
    tz: dt.tzinfo,
    repair_title: Callable[[str], str],
) -> tuple[NewsFile | None, str]:
    """(item, ""), or (None, why Jekyll does not publish it)."""
    name = PurePosixPath(relative)
    if name.suffix.lower() not in NEWS_SUFFIXES:
        return None, "not a Markdown or HTML file; Jekyll copies it as a file, not news."
    if not is_published_path(relative):
        return None, "its name starts with “_”, so Jekyll does not publish it."
    if not text.lstrip("\ufeff").startswith("---"):
        return None, "it has no front matter (the --- lines), so Jekyll does not publish it."
    try:
        meta, body = split_front_matter(text)
    except FrontMatterError as error:
        return None, f"{error} Fix it and import again."
    if meta.get("published") is False:
        return None, "its front matter says published: false."

    stem = name.stem
    dated = _DATED_NAME.match(stem)
    if dated:  # Jekyll's address leaves the date out: 2024-05-01-talk.md is /news/talk/
        stem = dated.group(2)
    date = parse_date(meta.get("date"), tz) if meta.get("date") else None
    if date is None and dated:
        date = parse_date(dated.group(1), tz)
    if date is None:
        if meta.get("date"):
            return None, f"its date “{meta['date']}” is not a date Jekyll reads."
        return None, "it has no date, in its front matter or its name."

    title = repair_title(str(meta.get("title") or "").strip())
    inline = meta.get("inline") is True
    if is_template_sample(title, body):
        return None, "it is the al-folio template's sample news, not yours."
    content = body.strip("\n")
    if not inline and not title:
        title = _words(stem)  # as Jekyll titles a document with none
    return (
        NewsFile(
            path=path,
            date=date,
            title=title[:300],
            inline=inline,
            content=content,
            original_text=original,
            slug="" if inline else (slugify(stem)[:100].strip("-") or "news"),
        ),
        "",
    )


def _unique_slugs(items: list[NewsFile]) -> None:
    """Two files can make one address ("a b.md", "a-b.md"): the later gets "-2"."""
    taken: set[str] = set()
    for item in items:
        if not item.slug:
            continue
        base, slug, n = item.slug, item.slug, 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        item.slug = slug
        taken.add(slug)
