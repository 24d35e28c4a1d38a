"""What an al-folio site's _config.yml and _data/*.yml say: names, socials, co-authors, venues.

Both generations of social accounts are read: the oldest keep them in
_config.yml (`github_username: ...`), newer ones in _data/socials.yml, with
the same keys. Each key maps to one of our networks (profiles.social), or,
for networks we do not list, to a custom link with al-folio's own address
pattern and icon (_includes/social.liquid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from profiles.alfolio.repair import Note
from profiles.icons import icon_exists
from profiles.social import normalize_value

# al-folio key -> our network key (the value is the ID or address al-folio takes).
NETWORK_KEYS = {
    "email": "email",
    "scholar_userid": "scholar",
    "orcid_id": "orcid",
    "github_username": "github",
    "gitlab_username": "gitlab",
    "x_username": "x",
    "twitter_username": "x",
    "bluesky_url": "bluesky",
    "mastodon_username": "mastodon",
    "linkedin_username": "linkedin",
    "research_gate_profile": "researchgate",
    "semanticscholar_id": "semantic_scholar",
    "dblp_url": "dblp",
    "arxiv_id": "arxiv",
    "openreview_id": "openreview",
    "zotero_username": "zotero",
    "kaggle_id": "kaggle",
    "huggingface_id": "huggingface",
    "youtube_id": "youtube",
    "instagram_id": "instagram",
    "facebook_id": "facebook",
    "telegram_username": "telegram",
}
# al-folio key -> (title, address pattern, icon) for networks we show as custom links.
CUSTOM_KEYS = {
    "publons_id": ("Publons", "https://publons.com/a/{}/", "ai:publons"),
    "lattes_id": ("Lattes", "http://lattes.cnpq.br/{}", "ai:lattes"),
    "osf_id": ("Open Science Framework", "https://osf.io/{}/", "ai:osf"),
    "scopus_id": ("Scopus", "https://www.scopus.com/authid/detail.uri?authorId={}", "ai:scopus"),
    "ieee_id": ("IEEE Xplore", "https://ieeexplore.ieee.org/author/{}", "ai:ieee"),
    "acm_id": ("ACM Digital Library", "https://dl.acm.org/profile/{}", "ai:acm"),
    "inspirehep_id": ("INSPIRE", "https://inspirehep.net/authors/{}", "ai:inspire"),
    "medium_username": ("Medium", "https://medium.com/@{}", "fa-brands:medium"),
    "quora_username": ("Quora", "https://www.quora.com/profile/{}", "fa-brands:quora"),
    "flickr_id": ("Flickr", "https://www.flickr.com/{}", "fa-brands:flickr"),
    "blogger_url": ("Blogger", "{}", "fa-brands:blogger-b"),
    "work_url": ("Work", "{}", "fa-solid:briefcase"),
    "wikidata_id": ("Wikidata", "https://www.wikidata.org/wiki/{}", "fa-solid:barcode"),
    "wikipedia_id": ("Wikipedia", "https://wikipedia.org/wiki/User:{}", "fa-brands:wikipedia-w"),
    "strava_userid": ("Strava", "https://www.strava.com/athletes/{}", "fa-brands:strava"),
    "keybase_username": ("Keybase", "https://keybase.io/{}", "fa-brands:keybase"),
    "stackoverflow_id": (
        "Stack Overflow", "https://stackoverflow.com/users/{}", "fa-brands:stack-overflow"
    ),
    "lastfm_id": ("Last.fm", "https://www.last.fm/user/{}", "fa-brands:lastfm"),
    "spotify_id": ("Spotify", "https://open.spotify.com/user/{}", "fa-brands:spotify"),
    "pinterest_id": ("Pinterest", "https://www.pinterest.com/{}", "fa-brands:pinterest"),
    "unsplash_id": ("Unsplash", "https://unsplash.com/@{}", "fa-brands:unsplash"),
    "discord_id": ("Discord", "https://discord.com/users/{}", "fa-brands:discord"),
    "whatsapp_number": ("WhatsApp", "https://wa.me/{}", "fa-brands:whatsapp"),
    "leetcode_id": ("LeetCode", "https://leetcode.com/{}", "fa-solid:code"),
}  # fmt: skip
# Profile fields al-folio has no key for, in our exports' `multifolio:` block of _config.yml.
MULTIFOLIO_KEYS = ("affiliation", "research_interests", "accent_color", "photo_alt")
# Keys that name a file or a switch rather than an account.
FILE_KEYS = {"wechat_qr": "wechat", "cv_pdf": "cv", "rss_icon": "rss"}


@dataclass
class SocialAccount:
    network: str
    value: str = ""  # normalized by profiles.social.normalize_value
    title: str = ""  # custom links
    icon: str = ""  # custom links
    file: str = ""  # wechat_qr, cv_pdf: a path under assets/
    key: str = ""  # the al-folio key it came from, for the report


@dataclass
class SiteConfig:
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    description: str = ""
    keywords: str = ""
    contact_note: str = ""
    max_author_limit: int | None = None
    name_variants: list[str] = field(default_factory=list)
    # Our own fields, kept by our exports in a `multifolio:` block that al-folio ignores.
    extra: dict[str, str] = field(default_factory=dict)
    accounts: list[SocialAccount] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def without_nul(value: Any) -> Any:
    """A YAML value with NUL characters (a `"\0"` escape) made replacement characters.

    No text of a page holds one, and PostgreSQL cannot store one: unchanged, it
    failed the whole import.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value


def read_yaml(text: str, *, file: str) -> tuple[Any, list[Note]]:
    try:
        return without_nul(yaml.safe_load(text.replace("\x00", "\ufffd")) or {}), []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(error, "problem", None) or "it is not valid YAML"
        return {}, [Note(file, line, f"This file could not be read ({problem}); it was skipped.")]


def _text(value: Any) -> str:
    """A YAML value as one line of text: lists joined (`last_name: [da Costa]`), None empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(item) for item in value).strip()
    return " ".join(str(value).split())


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [_text(item) for item in value if _text(item)]
    return [_text(value)] if _text(value) else []


def read_config(config: dict[str, Any], socials: dict[str, Any]) -> tuple[SiteConfig, list[Note]]:
    """The site's names, texts and accounts from _config.yml and _data/socials.yml."""
    notes: list[Note] = []
    site = SiteConfig(raw=config)
    if any(key in config for key in ("first_name", "last_name")):
        site.first_name = _text(config.get("first_name"))
        site.middle_name = _text(config.get("middle_name"))
        site.last_name = _text(config.get("last_name"))
    elif config.get("name"):  # the oldest al-folio: one name
        words = _text(config.get("name")).split(" ")
        site.first_name, site.last_name = (
            " ".join(words[:-1]) or words[0],
            words[-1] if len(words) > 1 else "",
        )
    site.description = _text(config.get("description"))
    site.keywords = _text(config.get("keywords"))
    site.contact_note = str(config.get("contact_note") or "").strip()
    limit = config.get("max_author_limit")
    if isinstance(limit, int) and limit > 0:
        site.max_author_limit = limit
    ours = config.get("multifolio") if isinstance(config.get("multifolio"), dict) else {}
    site.extra = {key: _text(ours[key]) for key in MULTIFOLIO_KEYS if ours.get(key)}
    scholar = config.get("scholar") if isinstance(config.get("scholar"), dict) else {}
    for last in _as_list(scholar.get("last_name")):
        for first in _as_list(scholar.get("first_name")) or [""]:
            site.name_variants.append(f"{last}, {first}".strip(", "))
    site.accounts, account_notes = _accounts(socials, config)
    notes += account_notes
    return site, notes


def _accounts(
    socials: dict[str, Any], config: dict[str, Any]
) -> tuple[list[SocialAccount], list[Note]]:
    """Accounts from socials.yml first (newer sites order their icons there), then _config.yml;
    each network once (an address once for repeatable ones), in that order."""
    notes: list[Note] = []
    accounts: list[SocialAccount] = []
    seen: set[tuple[str, str]] = set()
    for file, source in (("_data/socials.yml", socials), ("_config.yml", config)):
        if not isinstance(source, dict):
            continue
        for key, raw in source.items():
            account, note = _account(key, raw, file)
            if note:
                notes.append(note)
            if account is None:
                continue
            identity = (
                account.network,
                account.value if account.network in {"custom", "website"} else "",
            )
            if identity in seen:
                continue
            seen.add(identity)
            accounts.append(account)
    return accounts, notes


def _account(key: str, raw: Any, file: str) -> tuple[SocialAccount | None, Note | None]:
    if key in FILE_KEYS:
        if not raw or raw is False:
            return None, None
        network = FILE_KEYS[key]
        if network == "rss":
            return SocialAccount("rss", key=key), None
        path = _text(raw)
        if network == "cv" and path.startswith(("http://", "https://")):
            return _checked(SocialAccount("cv", value=path, key=key), file)
        # cv_pdf: a path from the site's top (/assets/pdf/cv.pdf); wechat_qr: a name in assets/img/
        path = path.lstrip("/")
        if not path.startswith("assets/"):
            path = ("assets/img/" if network == "wechat" else "assets/pdf/") + path
        return SocialAccount(network, file=path, key=key), None
    if isinstance(raw, dict):  # newer al-folio's own links: {title, url, logo}; ours add icon
        return _custom_link(key, raw, file)
    value = _text(raw)
    if not value or (key not in NETWORK_KEYS and key not in CUSTOM_KEYS):
        return None, None
    if key in NETWORK_KEYS:
        return _checked(SocialAccount(NETWORK_KEYS[key], value=value, key=key), file)
    title, pattern, icon = CUSTOM_KEYS[key]
    url = pattern.format(value)
    return _checked(SocialAccount("custom", value=url, title=title, icon=icon, key=key), file)


def _custom_link(key: str, raw: dict, file: str) -> tuple[SocialAccount | None, Note | None]:
    url = _text(raw.get("url"))
    if not url:
        return None, None
    if re.fullmatch(r"website(_\d+)?", str(key)):  # how our exports write a plain website
        return _checked(SocialAccount("website", value=url, key=key), file)
    icon = _text(raw.get("icon"))
    title = _text(raw.get("title")) or str(key).replace("_", " ").capitalize()
    account = SocialAccount(
        "custom", value=url, title=title[:80], icon=icon if icon_exists(icon) else "", key=key
    )
    return _checked(account, file)


def _checked(account: SocialAccount, file: str) -> tuple[SocialAccount | None, Note | None]:
    try:
        account.value = normalize_value(account.network, account.value)
    except ValidationError as error:
        return None, Note(
            file, 0, f"{account.key}: “{account.value}” was left out. {error.messages[0]}"
        )
    return account, None


def coauthor_links(data: Any, *, file: str) -> tuple[list[tuple[list[str], str]], list[Note]]:
    """_data/coauthors.yml: last name -> [{firstname: [...], url}] as (name forms, url) pairs."""
    links: list[tuple[list[str], str]] = []
    notes: list[Note] = []
    if not isinstance(data, dict):
        return links, notes
    for last, people in data.items():
        for person in people if isinstance(people, list) else []:
            if not isinstance(person, dict):
                continue
            url = _text(person.get("url"))
            if not url.startswith(("http://", "https://")):
                notes.append(Note(file, 0, f"The co-author {last} has no web address; left out."))
                continue
            last_name = str(last).rstrip("*†").strip()
            firsts = _as_list(person.get("firstname")) or [""]
            links.append(([f"{last_name}, {first}".strip(", ") for first in firsts], url))
    return links, notes


def venue_styles(data: Any, *, file: str) -> tuple[list[tuple[str, str, str]], list[Note]]:
    """_data/venues.yml: abbr -> {color, url} as (abbr, #rrggbb or "", url or "")."""
    venues: list[tuple[str, str, str]] = []
    notes: list[Note] = []
    if not isinstance(data, dict):
        return venues, notes
    for abbr, style in data.items():
        style = style if isinstance(style, dict) else {}
        color = _hex_colour(_text(style.get("color")))
        if style.get("color") and not color:
            notes.append(
                Note(file, 0, f"The colour of {abbr} is not #rrggbb; the badge keeps the site's.")
            )
        url = _text(style.get("url"))
        if url and not url.startswith(("http://", "https://")):
            url = ""
        venues.append((str(abbr)[:100], color, url))
    return venues, notes


def _hex_colour(value: str) -> str:
    value = value.strip()
    if len(value) == 4 and value.startswith("#"):  # #759 -> #775599
        value = "#" + "".join(c * 2 for c in value[1:])
    if (
        len(value) == 7
        and value.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    ):
        return value.lower()
    return ""
