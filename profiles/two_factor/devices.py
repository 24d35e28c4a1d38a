"""Authenticator apps and recovery codes: setting one up, checking a code, turning off.

An account has at most one confirmed authenticator app (a django-otp TOTPDevice)
and one set of recovery codes (a StaticDevice holding 10 single-use tokens).
While an app is being set up it is an unconfirmed TOTPDevice, which logs no one
in (django-otp ignores unconfirmed devices); the first right code confirms it.

Every code is checked under two limits: TWO_FACTOR_CODE_LIMIT wrong codes per
account per window (profiles.ratelimit; a clear "try again in N minutes"), and
django-otp's own back-off per device (1, 2, 4, 8 ... seconds after each wrong
code, reset only by a right one), which makes a patient guesser's next window
ever later. A new password log-in resets neither. TOTP codes are single-use:
django-otp accepts only a time step later than the last one accepted.
"""

from __future__ import annotations

import math
from base64 import b32encode

import qrcode
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from profiles import login_audit
from profiles.ratelimit import Budget, retry_after, spend, wait_words

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
APP_CODE_LENGTH = 6  # TOTPDevice's default digits
RECOVERY_CODE_LENGTH = 8  # StaticToken.random_token(): 5 random bytes in base32

EMPTY = "Enter the 6-digit code your authenticator app shows, or one of your recovery codes."
MALFORMED = (
    "A code from the app has 6 digits; a recovery code has 8 letters and digits. "
    "Check what you typed."
)
WRONG_APP_CODE = (
    "That code is not right, or it was used already. Enter the code your app shows now "
    "(it changes every 30 seconds)."
)
WRONG_RECOVERY_CODE = "That recovery code is not right, or it was used already."


class CodeRefused(Exception):
    """A code that logs no one in, with what to tell the person; `wait` in seconds if any."""

    def __init__(self, message: str, *, wait: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


def code_budget() -> Budget:
    return Budget(
        "two-factor-codes",
        settings.TWO_FACTOR_CODE_LIMIT,
        settings.TWO_FACTOR_CODE_WINDOW_MINUTES * 60,
    )


# ---------------------------------------------------------------- what an account has


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_two_factor(user) -> bool:
    """An app, or recovery codes left: either way a code is asked for at log-in."""
    return (
        has_app(user)
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# ---------------------------------------------------------------- setting up


def pending_app(user) -> TOTPDevice:
    """The app being set up: the same secret until it is confirmed (a reload shows the same QR)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code (white background, for dark mode too)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, border=2)
    return image.to_string(encoding="unicode")


def secret_key(device: TOTPDevice) -> str:
    """The secret as apps take it typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[start : start + 4] for start in range(0, len(text), 4))


def confirm_app(
    request: HttpRequest, device: TOTPDevice, code: str
) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app being set up; right, it becomes the account's app.

    Any earlier app stops working and a new set of recovery codes replaces the
    old: the confirmed device and the codes (to show once) are returned.
    """
    user = device.user
    token = _normalize(code)
    if not token:
        raise CodeRefused("Enter the 6-digit code your authenticator app shows.")
    if len(token) != APP_CODE_LENGTH or not token.isdigit():
        raise CodeRefused("The code from the app has 6 digits. Check what you typed.")
    pending = TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False)
    matched = _check(request, user, token, pending, wrong=WRONG_APP_CODE)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=matched.pk).delete()
        TOTPDevice.objects.filter(pk=matched.pk).update(confirmed=True)
        matched.confirmed = True
        codes = new_recovery_codes(user)
    return matched, codes


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """A new set of single-use recovery codes, as shown to the person; the old set stops working."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def turn_off(user) -> None:
    """No app, no recovery codes: the password alone logs in again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# ---------------------------------------------------------------- checking a code


def verify(request: HttpRequest, user, code: str) -> Device:
    """The device that accepts `code` (app or recovery code), or CodeRefused."""
    token = _normalize(code)
    if not token:
        raise CodeRefused(EMPTY)
    if len(token) == APP_CODE_LENGTH and token.isdigit():
        devices: QuerySet = TOTPDevice.objects.filter(user=user, confirmed=True)
        wrong = WRONG_APP_CODE
    elif len(token) == RECOVERY_CODE_LENGTH:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
        wrong = WRONG_RECOVERY_CODE
    else:
        raise CodeRefused(MALFORMED)  # a typo, not a guess: not counted
    return _check(request, user, token, devices, wrong=wrong)


def _normalize(code: str) -> str:
    """People copy codes with spaces and hyphens (we show recovery codes as abcd-efgh)."""
    return "".join((code or "").split()).replace("-", "").lower()


def _check(request: HttpRequest, user, token: str, devices: QuerySet, *, wrong: str) -> Device:
    budget = code_budget()
    who = str(user.pk)
    wait = retry_after([budget], who)
    if wait:
        raise CodeRefused(_too_many(wait), wait=wait)
    matched = None
    tried = False
    held_until = []
    # Locked rows: two requests with the same code cannot both pass (replay).
    # Raising inside would roll back django-otp's failure count, so no raise here.
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                held_until.append((details or {}).get("locked_until") or timezone.now())
                continue
            tried = True
            if device.verify_token(token):
                matched = device
                break
    if matched is not None:
        login_audit.record_code_accepted(request, user)
        return matched
    if held_until and not tried:
        # django-otp's back-off after a wrong code: this code was not even checked.
        seconds = max(1, math.ceil((min(held_until) - timezone.now()).total_seconds()))
        raise CodeRefused(f"Wait {_seconds_in_words(seconds)} before the next code.", wait=seconds)
    used = spend(budget, who)
    login_audit.record_code_refused(request, user, locked_out=used >= budget.limit)
    left = budget.limit - used
    if left <= 0:
        wait = retry_after([budget], who)
        raise CodeRefused(_too_many(wait), wait=wait)
    if left <= 2:
        wrong += f" {left} more {'try' if left == 1 else 'tries'} before a wait."
    raise CodeRefused(wrong)


def _too_many(wait: int) -> str:
    return f"Too many wrong codes. Try again in {wait_words(wait)}."


def _seconds_in_words(seconds: int) -> str:
    if seconds <= 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return wait_words(seconds)
