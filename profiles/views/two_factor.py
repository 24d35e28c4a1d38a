"""Two-factor authentication pages, under /accounts/two-factor/ (profiles.two_factor).

setup: scan a QR code (or type the key), confirm with a first code, get recovery
codes. verify: the second step of every log-in. recovery-codes: how many are
left, and a new set. disable: researchers only, with their password and a code.
The pages use the platform layout, not the dashboard's: staff have no site.
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from profiles import accounts
from profiles.account_forms import TOO_MANY_TRIES
from profiles.models import Profile
from profiles.two_factor import devices, gate
from profiles.two_factor.devices import CodeRefused


def _code_field(*, numeric: bool) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.CharField(max_length=64, widget=forms.TextInput(attrs=attrs))


class AppCodeForm(forms.Form):
    code = _code_field(numeric=True)
    code.label = "The 6-digit code the app shows"


class CodeForm(forms.Form):
    code = _code_field(numeric=False)
    code.label = "Code from your authenticator app, or a recovery code"


class TurnOffForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(numeric=False)
    code.label = "A code from your authenticator app, or a recovery code"


def _next_url(request: HttpRequest) -> str:
    """Where to go once done: a `next` on this host, else the admin (staff) or the dashboard."""
    user = request.user
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        candidate = ""
    staff = gate.is_staff_account(user)
    if staff and candidate.startswith("/dashboard/") and not _has_site(user):
        # The log-in page sends everyone to the dashboard; staff without a site
        # would find a 404 there.
        candidate = ""
    if candidate:
        return candidate
    return reverse("admin:index") if staff else resolve_url(settings.LOGIN_REDIRECT_URL)


def _to(name: str, request: HttpRequest) -> HttpResponse:
    """Another two-factor page, keeping the `next` it was given."""
    url = reverse(name)
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


def _has_site(user) -> bool:
    return Profile.objects.filter(owner=user).exists()


def _account_url(user) -> str:
    """The account page; staff without a site have the admin instead."""
    if _has_site(user):
        return reverse("dashboard_account")
    return reverse("admin:index") if gate.is_staff_account(user) else reverse("landing")


def _render_refused(
    request: HttpRequest, template: str, context: dict, refused: CodeRefused
) -> HttpResponse:
    context["form"].add_error("code", refused.message)
    response = render(request, template, context, status=429 if refused.wait else 200)
    if refused.wait:
        response["Retry-After"] = str(refused.wait)
    return response


def _logged_in_with(request: HttpRequest, device: Device) -> None:
    """This session has given a code: fully logged in, under a new session key."""
    django_otp.login(request, device)
    request.session[gate.SESSION_KEY] = True
    # The session gained rights: a key seen before this point must not carry them.
    request.session.cycle_key()


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if devices.has_two_factor(user) and not gate.is_verified(user):
        # A second app only with a code from the first: a password alone adds none.
        return _to("two_factor_verify", request)
    device = devices.pending_app(user)
    form = AppCodeForm(request.POST or None)
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "qr_code": devices.qr_code_svg(device),
        "secret_key": devices.secret_key(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "required": gate.must_use_two_factor(user),
        "replacing": devices.has_app(user),
    }
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = devices.confirm_app(request, device, form.cleaned_data["code"])
        except CodeRefused as refused:
            return _render_refused(request, "platform/two_factor/setup.html", context, refused)
        _logged_in_with(request, device)
        return render(
            request,
            "platform/two_factor/recovery_codes.html",
            {"codes": codes, "just_set_up": True, "next_url": _next_url(request)},
        )
    return render(request, "platform/two_factor/setup.html", context)


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if gate.is_verified(user):
        return redirect(_next_url(request))
    if not devices.has_two_factor(user):
        if gate.must_use_two_factor(user):
            return _to("two_factor_setup", request)
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next") or ""}
    if request.method == "POST" and form.is_valid():
        try:
            device = devices.verify(request, user, form.cleaned_data["code"])
        except CodeRefused as refused:
            return _render_refused(request, "platform/two_factor/verify.html", context, refused)
        _logged_in_with(request, device)
        if isinstance(device, StaticDevice):
            left = devices.recovery_codes_left(user)
            messages.warning(
                request,
                f"You used a recovery code: {left} left. Each works once; make a new set on "
                "the recovery codes page when you run low.",
            )
        if not devices.has_app(user):
            messages.warning(
                request, "Your account has no authenticator app any more: set one up now."
            )
            return _to("two_factor_setup", request)
        return redirect(_next_url(request))
    return render(request, "platform/two_factor/verify.html", context)


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not devices.has_two_factor(user):
        return _to("two_factor_setup", request)
    if not gate.is_verified(user):
        return redirect(gate.with_next(reverse("two_factor_verify"), request))
    codes = devices.new_recovery_codes(user) if request.method == "POST" else None
    return render(
        request,
        "platform/two_factor/recovery_codes.html",
        {
            "codes": codes,
            "left": len(codes) if codes else devices.recovery_codes_left(user),
            "next_url": _account_url(user),
        },
    )


@sensitive_post_parameters("password", "code")
@never_cache
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if gate.must_use_two_factor(user):
        messages.error(
            request,
            "Staff and moderator accounts must keep two-factor authentication. To use another "
            "phone, set up the app again.",
        )
        return redirect("two_factor_setup")
    if not devices.has_two_factor(user):
        return redirect(_account_url(user))
    if not gate.is_verified(user):
        return redirect(gate.with_next(reverse("two_factor_verify"), request))
    form = TurnOffForm(request.POST or None)
    context = {"form": form, "account_url": _account_url(user)}
    if request.method == "POST" and form.is_valid():
        try:
            right = accounts.check_password(user, form.cleaned_data["password"])
        except accounts.TooManyTries:
            form.add_error("password", TOO_MANY_TRIES)
        else:
            if not right:
                form.add_error("password", "That is not your password.")
        if form.is_valid():  # the code is checked (and counted) only after the password
            try:
                devices.verify(request, user, form.cleaned_data["code"])
            except CodeRefused as refused:
                return _render_refused(
                    request, "platform/two_factor/disable.html", context, refused
                )
            devices.turn_off(user)
            request.session.pop(gate.SESSION_KEY, None)
            messages.success(
                request,
                "Two-factor authentication is off: your password alone logs you in again.",
            )
            return redirect(_account_url(user))
    return render(request, "platform/two_factor/disable.html", context)
