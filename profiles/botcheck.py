"""A bot check for the sign-up form that needs no third-party service.

Two hurdles that cost a person nothing:

- a honeypot: a text field people never see (hidden by the platform's
  stylesheet, which form-filling scripts rarely apply, aria-hidden and out of
  the tab order, so neither screen readers nor keyboards reach it), labelled
  "leave this empty" for the rare reader who meets it anyway. A script that
  fills every input fills it;
- a signed stamp of when the page was rendered: a form sent back sooner than
  a person can type it, later than a few hours, or with a stamp we did not
  sign, is refused.

Neither stops a determined script (it can wait, and skip the trap); together
with the per-network sign-up budget (profiles.views.accounts) they stop the
cheap ones. Every refusal says what to do, never a silent drop.
"""

from __future__ import annotations

import time

from django import forms
from django.core import signing

# Tunables (module constants, not settings: tests may monkeypatch them).
# Typing an e-mail, a name, an address and a password twice takes a person
# well over this; a script posting straight after GET takes milliseconds.
MIN_SECONDS = 3
# Long enough for a tab left open over lunch; a stamp older than this was
# probably harvested once and replayed.
MAX_SECONDS = 6 * 3600

STAMP_FIELD = "rendered"
HONEYPOT_FIELD = "website"
_SALT = "profiles.botcheck.rendered"

TOO_FAST = "That was quicker than a person types: please fill in the form again."
TOO_OLD = "This form was open for hours, so it has expired: please send it again."
TAMPERED = "This form came back altered, or without part of it: please send it again."
HONEYPOT_FILLED = (
    "A field people never see came back filled in, as robots fill it: please send the "
    "form again. If this repeats, turn off your browser's autofill for this page."
)


def _now() -> float:
    return time.time()


def stamp(now: float | None = None) -> str:
    """A signed stamp of `now` (default: this moment), for the form's hidden field."""
    return signing.Signer(salt=_SALT).sign(str(int(_now() if now is None else now)))


def stamp_age(value: str | None) -> float | None:
    """Seconds since the stamp `value` was made; None when we did not sign it."""
    try:
        rendered = int(signing.Signer(salt=_SALT).unsign(value or ""))
    except (signing.BadSignature, ValueError):
        return None
    return _now() - rendered


def refusal(posted_stamp: str | None, honeypot: str | None) -> str | None:
    """Why this submission looks like a script's, in words for a person; None if it does not."""
    if honeypot:
        return HONEYPOT_FILLED
    age = stamp_age(posted_stamp)
    if age is None or age < -60:  # a stamp from the future was not ours (clock skew aside)
        return TAMPERED
    if age < MIN_SECONDS:
        return TOO_FAST
    if age > MAX_SECONDS:
        return TOO_OLD
    return None


def stamp_to_render(posted_stamp: str | None) -> str:
    """The stamp for a re-rendered form: the posted one while it is still good, else a fresh one.

    Keeping a good stamp means a person who fixes a typo is not asked to wait
    again; replacing a bad one means a refused form can be sent again at all.
    """
    age = stamp_age(posted_stamp)
    if age is not None and -60 <= age <= MAX_SECONDS:
        return posted_stamp  # type: ignore[return-value]
    return stamp()


class HoneypotInput(forms.TextInput):
    """The trap's input: never rendered with a value, so a refused form comes back clean."""

    def __init__(self) -> None:
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off"})

    def format_value(self, value) -> None:
        return None


def honeypot_field() -> forms.CharField:
    return forms.CharField(
        label="Leave this field empty (it is a trap for robots)",
        required=False,
        widget=HoneypotInput(),
    )
