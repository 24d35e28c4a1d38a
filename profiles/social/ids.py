"""Reading an ID network's value: an ID, an @handle or a whole profile address.

Each network has a rule (RULES) that knows its hosts, how to pull the ID out
of a profile address, what a valid ID looks like, and how to link to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import SplitResult, parse_qs, quote, unquote, urlsplit

from django.core.exceptions import ValidationError

from profiles.social.networks import NETWORKS, Network


def fail(message: str) -> NoReturn:
    raise ValidationError(message, code="invalid_social")


# Reads the ID out of a profile address split into parts and unquoted path
# segments; None when the address is on the network but is no profile.
_FromUrl = Callable[[SplitResult, list[str]], str | None]


@dataclass(frozen=True)
class _IdRule:
    """How an "id" network reads what the owner typed and links to it."""

    noun: str  # what the owner types, for messages: "GitHub username"
    example: str  # a canonical value, for messages
    hosts: str | None  # regex for a profile address's host minus www./m.; None: any host
    from_url: _FromUrl
    clean: Callable[[str], str]  # the canonical value, or ValidationError saying what fits
    url: Callable[[str], str]
    not_a_profile: str = ""  # message for an address on the network that is no profile


def _pattern(regex: str, message: str, *, strip_at: bool = False) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def clean(value: str) -> str:
        if strip_at:
            value = value.removeprefix("@")
        # fullmatch: `$` would let a trailing newline through.
        if not compiled.fullmatch(value):
            fail(message)
        return value

    return clean


def _link(template: str) -> Callable[[str], str]:
    # Canonical values are already plain, but quoting keeps any odd byte out of the href.
    return lambda value: template.format(quote(value, safe="/@~"))


def _only_segment(parts: SplitResult, segments: list[str]) -> str | None:
    """The NAME of example.com/NAME; anything deeper is a repository, a post, a page."""
    return segments[0] if len(segments) == 1 else None


def _segment_after(prefix: str, *, extra: int = 0) -> _FromUrl:
    """The NAME of example.com/PREFIX/NAME, allowing `extra` segments (profile tabs) after it."""

    def from_url(parts: SplitResult, segments: list[str]) -> str | None:
        if 2 <= len(segments) <= 2 + extra and segments[0] == prefix:
            return segments[1]
        return None

    return from_url


def _query(name: str) -> _FromUrl:
    def from_url(parts: SplitResult, segments: list[str]) -> str | None:
        values = parse_qs(parts.query).get(name)
        return values[0] if values else None

    return from_url


# A DNS name with at least two labels and a TLD that starts with a letter.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN_RE = re.compile(rf"(?=.{{1,253}}\Z)(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?")


# Four groups of four; people also paste it with spaces or no separator at all.
_ORCID_RE = re.compile(r"([0-9]{4})[- ]?([0-9]{4})[- ]?([0-9]{4})[- ]?([0-9]{3}[0-9X])")


def _orcid(value: str) -> str:
    match = _ORCID_RE.fullmatch(value.upper())
    if not match:
        fail(
            "An ORCID iD is 16 digits in four groups, like 0000-0002-1825-0097 "
            "(the last character may be an X)."
        )
    digits = "".join(match.groups())
    # ISO 7064 MOD 11-2, the check character ORCID itself computes.
    total = 0
    for digit in digits[:15]:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    if digits[15] != ("X" if result == 10 else str(result)):
        fail(
            "That ORCID iD looks mistyped: its last character does not match the others. "
            "Copy it from your ORCID record."
        )
    return "-".join(match.groups())


def _bluesky(value: str) -> str:
    value = value.removeprefix("@").lower()
    if "." not in value:
        name = value if re.fullmatch(r"[a-z0-9-]{1,63}", value) else "ada"
        fail(f"A Bluesky handle contains a dot, like {name}.bsky.social or your own domain.")
    if not _DOMAIN_RE.fullmatch(value):
        fail("A Bluesky handle looks like ada.bsky.social or your own domain, like ada.org.")
    return value


_MASTODON_USER_RE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])?")


def _mastodon(value: str) -> str:
    user, _, host = value.removeprefix("@").partition("@")
    host = host.lower().rstrip(".")
    if not (_MASTODON_USER_RE.fullmatch(user) and _DOMAIN_RE.fullmatch(host)):
        fail(
            "A Mastodon address is your username and your server, like ada@mastodon.social "
            "or https://mastodon.social/@ada."
        )
    other = _network_of_host(_bare_host(host))
    if other is not None:
        fail(f"{host} is {NETWORKS[other].label}, not a Mastodon server.")
    return f"{user}@{host}"


def _mastodon_from_url(parts: SplitResult, segments: list[str]) -> str | None:
    if len(segments) != 1 or not segments[0].startswith("@"):
        return None
    user = segments[0][1:]
    # A server also shows other servers' people as /@user@their.server.
    return user if "@" in user else f"{user}@{parts.hostname}"


def _mastodon_url(value: str) -> str:
    user, _, host = value.partition("@")
    return f"https://{host}/@{quote(user)}"


def _linkedin(value: str) -> str:
    # Addresses of names with accents are percent-encoded; store the readable name.
    value = unquote(value)
    if not re.fullmatch(r"[\w-]{3,100}", value):
        fail(
            "A LinkedIn profile name is the part after /in/ in your profile address, "
            "like ada-lovelace."
        )
    return value


def _semantic_scholar_from_url(parts: SplitResult, segments: list[str]) -> str | None:
    # /author/Some-Name/ID, or /author/ID
    if 2 <= len(segments) <= 3 and segments[0] == "author":
        return segments[-1]
    return None


def _dblp_from_url(parts: SplitResult, segments: list[str]) -> str | None:
    match = re.fullmatch(r"/pid/(.+?)(?:\.html)?/?", unquote(parts.path))
    return match.group(1) if match else None


def _arxiv(value: str) -> str:
    value = value.lower()
    if not re.fullmatch(r"[a-z0-9_]{1,64}", value):
        fail(
            "An arXiv author ID is lowercase letters, digits and underscores, like peng_r_1; "
            "it follows /a/ in your author page's address."
        )
    return value


def _arxiv_from_url(parts: SplitResult, segments: list[str]) -> str | None:
    if len(segments) == 2 and segments[0] == "a":
        return segments[1].removesuffix(".html")
    return None


def _openreview_from_url(parts: SplitResult, segments: list[str]) -> str | None:
    return _query("id")(parts, segments) if segments == ["profile"] else None


def _openreview(value: str) -> str:
    value = value if value.startswith("~") else f"~{value}"
    if not re.fullmatch(r"~[^\W\d_][\w.-]*[0-9]", value):
        fail(
            "An OpenReview ID is a ~, your name with underscores and a number, like ~Ru_Peng1; "
            "it ends your profile address after id=."
        )
    return value


_YOUTUBE_MESSAGE = (
    "A YouTube channel is a handle like @ada or a channel ID starting with UC; "
    "its address looks like https://www.youtube.com/@ada."
)


def _youtube(value: str) -> str:
    value = unquote(value)
    if not value.startswith("@") and re.fullmatch(r"UC[A-Za-z0-9_-]{22}", value):
        return value
    handle = value.removeprefix("@")
    if not re.fullmatch(r"[\w.-]{3,30}", handle):
        fail(_YOUTUBE_MESSAGE)
    return f"@{handle}"


def _youtube_from_url(parts: SplitResult, segments: list[str]) -> str | None:
    if segments and segments[0].startswith("@"):
        return segments[0]  # later segments are the channel's tabs (/videos, /about)
    if len(segments) >= 2 and segments[0] == "channel":
        return segments[1]
    return None


def _youtube_url(value: str) -> str:
    if value.startswith("@"):
        return f"https://www.youtube.com/{quote(value, safe='@')}"
    return f"https://www.youtube.com/channel/{quote(value)}"


def _facebook(value: str) -> str:
    numeric_id = re.fullmatch(r"[0-9]{5,20}", value)
    if numeric_id or re.fullmatch(r"(?=.*[A-Za-z])[A-Za-z0-9.]{5,50}", value):
        return value
    fail(
        "A Facebook username has at least 5 letters, digits or dots, like ada.lovelace; "
        "or use the number after profile.php?id= in your profile address."
    )


def _facebook_from_url(parts: SplitResult, segments: list[str]) -> str | None:
    if segments == ["profile.php"]:
        return _query("id")(parts, segments)
    return _only_segment(parts, segments)


def _facebook_url(value: str) -> str:
    if value.isdigit():
        return f"https://www.facebook.com/profile.php?id={value}"
    return f"https://www.facebook.com/{quote(value)}"


RULES: dict[str, _IdRule] = {
    "scholar": _IdRule(
        noun="Google Scholar ID",
        example="3udA8hkAAAAJ",
        hosts=r"scholar\.google(?:\.[a-z]{2,3}){1,2}",
        from_url=_query("user"),
        clean=_pattern(
            r"[A-Za-z0-9_-]{12}",
            "A Google Scholar ID is the 12 characters after user= in your profile address, "
            "like 3udA8hkAAAAJ.",
        ),
        url=_link("https://scholar.google.com/citations?user={}"),
        not_a_profile=(
            "That Google Scholar address has no user= in it. Open your own profile and copy "
            "its address, like https://scholar.google.com/citations?user=3udA8hkAAAAJ."
        ),
    ),
    "orcid": _IdRule(
        noun="ORCID iD",
        example="0000-0002-1825-0097",
        hosts=r"orcid\.org",
        from_url=_only_segment,
        clean=_orcid,
        url=_link("https://orcid.org/{}"),
    ),
    "github": _IdRule(
        noun="GitHub username",
        example="octocat",
        hosts=r"github\.com",
        from_url=_only_segment,
        clean=_pattern(
            r"(?=[A-Za-z0-9-]{1,39}\Z)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*",
            "A GitHub username has up to 39 letters, digits and single hyphens, and does not "
            "start or end with a hyphen, like octocat.",
            strip_at=True,
        ),
        url=_link("https://github.com/{}"),
    ),
    "gitlab": _IdRule(
        noun="GitLab username",
        example="ada.lovelace",
        hosts=r"gitlab\.com",
        from_url=_only_segment,
        clean=_pattern(
            r"[A-Za-z0-9_][A-Za-z0-9_.-]{1,254}",
            "A GitLab username has 2 to 255 letters, digits, dots, hyphens or underscores, "
            "like ada.lovelace.",
            strip_at=True,
        ),
        url=_link("https://gitlab.com/{}"),
    ),
    "x": _IdRule(
        noun="X username",
        example="ada",
        hosts=r"(?:x|twitter)\.com",
        from_url=_only_segment,
        clean=_pattern(
            r"[A-Za-z0-9_]{1,15}",
            "An X (Twitter) username has up to 15 letters, digits or underscores, like @ada.",
            strip_at=True,
        ),
        url=_link("https://x.com/{}"),
    ),
    "bluesky": _IdRule(
        noun="Bluesky handle",
        example="ada.bsky.social",
        hosts=r"bsky\.app",
        from_url=_segment_after("profile"),
        clean=_bluesky,
        url=_link("https://bsky.app/profile/{}"),
    ),
    "mastodon": _IdRule(
        noun="Mastodon address",
        example="ada@mastodon.social",
        hosts=None,  # any server
        from_url=_mastodon_from_url,
        clean=_mastodon,
        url=_mastodon_url,
    ),
    "linkedin": _IdRule(
        noun="LinkedIn profile name",
        example="ada-lovelace",
        hosts=r"(?:[a-z]{2}\.)?linkedin\.com",
        from_url=_segment_after("in", extra=2),
        clean=_linkedin,
        url=_link("https://www.linkedin.com/in/{}"),
        not_a_profile=(
            "A LinkedIn profile address has /in/ in it, like "
            "https://www.linkedin.com/in/ada-lovelace."
        ),
    ),
    "researchgate": _IdRule(
        noun="ResearchGate profile name",
        example="Ru-Peng-3",
        hosts=r"researchgate\.net",
        from_url=_segment_after("profile", extra=1),
        clean=_pattern(
            r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}",
            "A ResearchGate profile name is the part after /profile/ in your profile address, "
            "like Ru-Peng-3.",
        ),
        url=_link("https://www.researchgate.net/profile/{}"),
    ),
    "semantic_scholar": _IdRule(
        noun="Semantic Scholar author ID",
        example="1741101",
        hosts=r"semanticscholar\.org",
        from_url=_semantic_scholar_from_url,
        clean=_pattern(
            r"[0-9]{1,12}",
            "A Semantic Scholar author ID is the number at the end of your author page's "
            "address, like 1741101.",
        ),
        url=_link("https://www.semanticscholar.org/author/{}"),
    ),
    "dblp": _IdRule(
        noun="DBLP pid",
        example="12/3456",
        hosts=r"dblp\.org|dblp\.uni-trier\.de|dblp\.dagstuhl\.de",
        from_url=_dblp_from_url,
        clean=_pattern(
            r"[0-9]{1,4}/[0-9]{1,8}(?:-[0-9]{1,3})?|[a-z]/[A-Za-z0-9_=.-]{1,100}",
            "A DBLP pid is the part after /pid/ in your DBLP page's address, "
            "like 12/3456 in https://dblp.org/pid/12/3456.html.",
        ),
        url=_link("https://dblp.org/pid/{}.html"),
        not_a_profile=(
            "A DBLP page address has /pid/ in it, like https://dblp.org/pid/12/3456.html. "
            "Open your DBLP page and copy its address."
        ),
    ),
    "arxiv": _IdRule(
        noun="arXiv author ID",
        example="peng_r_1",
        hosts=r"(?:export\.)?arxiv\.org",
        from_url=_arxiv_from_url,
        clean=_arxiv,
        url=_link("https://arxiv.org/a/{}"),
    ),
    "openreview": _IdRule(
        noun="OpenReview ID",
        example="~Ru_Peng1",
        hosts=r"openreview\.net",
        from_url=_openreview_from_url,
        clean=_openreview,
        url=_link("https://openreview.net/profile?id={}"),
        not_a_profile=(
            "An OpenReview profile address ends in ?id= and your ID, like "
            "https://openreview.net/profile?id=~Ru_Peng1."
        ),
    ),
    "zotero": _IdRule(
        noun="Zotero username",
        example="ada_lovelace",
        hosts=r"zotero\.org",
        from_url=_only_segment,
        clean=_pattern(
            r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}",
            "A Zotero username has letters, digits, dots, hyphens or underscores, "
            "like ada_lovelace.",
        ),
        url=_link("https://www.zotero.org/{}"),
    ),
    "kaggle": _IdRule(
        noun="Kaggle username",
        example="adalovelace",
        hosts=r"kaggle\.com",
        from_url=_only_segment,
        clean=_pattern(
            r"[A-Za-z0-9_-]{1,100}",
            "A Kaggle username has letters, digits, hyphens or underscores, like adalovelace.",
            strip_at=True,
        ),
        url=_link("https://www.kaggle.com/{}"),
    ),
    "huggingface": _IdRule(
        noun="Hugging Face username",
        example="ada",
        hosts=r"huggingface\.co|hf\.co",
        from_url=_only_segment,
        clean=_pattern(
            r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,95}",
            "A Hugging Face username has letters, digits, dots, hyphens or underscores, like ada.",
            strip_at=True,
        ),
        url=_link("https://huggingface.co/{}"),
    ),
    "youtube": _IdRule(
        noun="YouTube handle",
        example="@ada",
        hosts=r"youtube\.com",
        from_url=_youtube_from_url,
        clean=_youtube,
        url=_youtube_url,
        not_a_profile=_YOUTUBE_MESSAGE,
    ),
    "instagram": _IdRule(
        noun="Instagram username",
        example="ada.lovelace",
        hosts=r"instagram\.com",
        from_url=_only_segment,
        clean=_pattern(
            r"[A-Za-z0-9_][A-Za-z0-9_.]{0,29}",
            "An Instagram username has up to 30 letters, digits, dots or underscores, "
            "like ada.lovelace.",
            strip_at=True,
        ),
        url=_link("https://www.instagram.com/{}"),
    ),
    "facebook": _IdRule(
        noun="Facebook username",
        example="ada.lovelace",
        hosts=r"(?:web\.)?facebook\.com|fb\.com",
        from_url=_facebook_from_url,
        clean=_facebook,
        url=_facebook_url,
    ),
    "telegram": _IdRule(
        noun="Telegram username",
        example="ada_lovelace",
        hosts=r"t\.me|telegram\.me",
        from_url=_only_segment,
        clean=_pattern(
            r"[A-Za-z0-9_]{5,32}",
            "A Telegram username has 5 to 32 letters, digits or underscores, like @ada_lovelace.",
            strip_at=True,
        ),
        url=_link("https://t.me/{}"),
    ),
}

_HOST_RES = {key: re.compile(rule.hosts) for key, rule in RULES.items() if rule.hosts}


def _bare_host(host: str) -> str:
    return re.sub(r"\A(?:www\d*\.|m\.|mobile\.)+", "", host.rstrip("."))


def _network_of_host(host: str) -> str | None:
    """The network whose profiles live on `host` (without www./m.), if any."""
    for key, host_re in _HOST_RES.items():
        if host_re.fullmatch(host):
            return key
    return None


# "github.com/ada" and "github.com:443/ada" are addresses without a scheme;
# "javascript:..." is an address with one. No ID on any network has a colon.
_HOST_START_RE = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]+)?[/?#]", re.I)
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)


def _as_address(text: str) -> SplitResult | None:
    """`text` split as a web address when it is one; None when it is an ID or handle.

    Raises ValidationError for an address that is not http(s) or has no host.
    """
    if _HOST_START_RE.match(text):
        text = f"https://{text}"
    elif not _SCHEME_RE.match(text):
        # A bare "github.com" still means the site, not a username.
        if _network_of_host(_bare_host(text.lower())) is None:
            return None
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
    except ValueError:
        fail("That web address is malformed.")
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        fail("Only web addresses starting with https:// fit here.")
    return parts


def normalize_id(network: Network, text: str) -> str:
    rule = RULES[network.key]
    example_url = rule.url(rule.example)
    what = f"Enter your {rule.noun} ({rule.example}) or your profile address ({example_url})."
    if not text:
        fail(what)
    try:
        parts = _as_address(text)
    except ValidationError as error:
        fail(f"{error.messages[0]} {what}")
    if parts is None:
        return rule.clean(text)
    owner = _network_of_host(_bare_host(parts.hostname or ""))
    if owner is not None and owner != network.key:
        fail(
            f"That is a {NETWORKS[owner].label} address, but this field is for "
            f"{network.label}. {what}"
        )
    if owner is None and rule.hosts is not None:
        fail(f"That address is not on {network.label}. {what}")
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    value = rule.from_url(parts, segments)
    if value is None:
        fail(
            rule.not_a_profile
            or f"That address points to a page on {network.label}, not to your profile. "
            f"Use your profile address, like {example_url}."
        )
    return rule.clean(value)
