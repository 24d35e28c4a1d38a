"""The social networks a researcher can list on their site, and what each stores.

NETWORKS holds them in the order al-folio shows the icons. For each one,
normalize_value() turns whatever the owner pasted (an ID, an @handle, a whole
profile address copied from the browser) into one canonical stored value, and
profile_url() turns that value back into the public link, following al-folio's
`_includes/social.liquid`. Forms, models and templates all go through these two
functions; nothing here touches the database.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from profiles.social.ids import RULES, fail, normalize_id
from profiles.social.networks import (
    FILE_TEXT_MAX_LENGTH,
    KINDS,
    NETWORK_CHOICES,
    NETWORKS,
    WEB_KINDS,
    Network,
)

__all__ = [
    "FILE_TEXT_MAX_LENGTH",
    "KINDS",
    "NETWORKS",
    "NETWORK_CHOICES",
    "WEB_KINDS",
    "Network",
    "normalize_value",
    "profile_url",
    "refuse_invisible_characters",
]

_url_validator = URLValidator(schemes=["http", "https"])


def normalize_value(key: str, raw: str) -> str:
    """Check what the owner typed for network `key`; return the canonical stored value.

    Raises ValidationError with a message saying what the network expects, and
    KeyError for an unknown key (a programming error, not the owner's). A "cv"
    may be empty: the uploaded PDF is then the link.
    """
    network = NETWORKS[key]
    text = (raw or "").strip()
    refuse_invisible_characters(text)
    if network.kind == "feed":
        return ""
    if network.kind == "file":
        if len(text) > FILE_TEXT_MAX_LENGTH:
            fail(f"Use at most {FILE_TEXT_MAX_LENGTH} characters.")
        return text
    if network.kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            fail("Enter an email address, like ada@example.org.")
        return text
    if network.kind in WEB_KINDS:
        if network.kind == "cv" and not text:
            return ""
        try:
            _url_validator(text)
        except ValidationError:
            fail(f"Enter a full web address starting with https://, like {network.placeholder}.")
        if urlsplit(text).username is not None:
            # https://user:pass@host leaks a password, or poses as another host
            # (https://google.com@evil.example goes to evil.example).
            fail("Leave out any user name or password: give the address as https://host/path.")
        return text
    return normalize_id(network, text)


# The zero-width joiner is a formatting character too, but it is what glues
# emoji sequences together (👩‍🔬), and the WeChat field's note may hold them.
ZWJ = "\u200d"


def refuse_invisible_characters(text: str) -> None:
    """Refuse control and formatting characters (Unicode Cc and Cf).

    They never belong in an ID, an address or a link title, and some of them
    disguise one: a right-to-left override makes "moc.elgoog//:sptth" read
    backwards as another address, zero-width characters make two handles look alike.
    """
    if any(unicodedata.category(char) in {"Cc", "Cf"} and char != ZWJ for char in text):
        fail(
            "This contains invisible or direction-changing characters (often from a copy "
            "and paste); please type it in again."
        )


def profile_url(key: str, value: str) -> str:
    """The public link for a canonical value stored for network `key`.

    Raises ValueError for kinds whose link is not made from the value (email,
    feed, file), and for a "url"/"cv"/"custom" value that is not http(s).
    """
    network = NETWORKS[key]
    if network.kind == "id":
        return RULES[key].url(value)
    if network.kind in WEB_KINDS:
        # normalize_value let only http(s) in, but a row written another way
        # (admin, fixtures, SQL) must still never become a javascript: link.
        if not re.match(r"https?://", value, re.I):
            raise ValueError(f"{network.label}: {value!r} is not an http(s) address")
        return value
    raise ValueError(f"{network.label} links are not made from the stored value")
