"""Sign-up, and Django's own log-in, log-out and password reset, on the platform host."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from profiles.accounts import confirm_address
from profiles.forms import PasswordResetForm, SignupForm
from profiles.links import public_netloc
from profiles.services import register_researcher
from profiles.throttling import account_key


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = register_researcher(
                email=data["email"],
                password=data["password1"],
                slug=data["slug"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except IntegrityError:
            # Someone took the address or e-mail between validation and saving.
            form.add_error(None, "That address or e-mail was just taken. Please try another.")
        else:
            login(request, profile.owner, backend="django.contrib.auth.backends.ModelBackend")
            if settings.SIGNUP_PUBLISHES_SITE:
                then = "your site goes live as soon as you follow it"
            else:
                then = "once you have, a moderator can publish your site"
            messages.success(
                request,
                f"Welcome! We sent a link to {profile.owner.email} to confirm your address: "
                f"{then}. Meanwhile, make it yours.",
            )
            return redirect("dashboard")
    return render(request, "platform/signup.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Reset links are built from settings, not from the request's Host header."""

    success_url = reverse_lazy("password_reset_done")
    form_class = PasswordResetForm

    def form_valid(self, form):
        form.save(
            domain_override=public_netloc(settings.PLATFORM_HOST),
            use_https=settings.PUBLIC_SCHEME == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password chosen through the e-mailed link also lifts the account's
    log-in lock (the lockout message offers exactly this way out). The lock on
    the client's address stays: the link proves the mailbox, not the network.
    Proving the mailbox also confirms the address (profiles.accounts)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        username = account_key(self.user.get_username())
        if username:  # reset() without a username would forget every failure
            reset_login_failures(username=username)
        confirm_address(user=self.user)
        return response


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the log-in page again, with 429 and the way out.

    Used for /accounts/login/ and /admin/login/ alike. The words are the same
    whether the lock is on the account or on the address, and whether the
    account exists or not. The form keeps the typed e-mail, without the errors
    of the refused attempt (the password may well have been right).
    """
    cool_off = get_cool_off(request)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {
        "form": AuthenticationForm(request, initial={"username": request.POST.get("username")}),
        "next": next_url,
        "locked_out": True,
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    response = render(
        request, "platform/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response
