"""Sign-up, and Django's own log-in, log-out and password reset, on the platform host."""

from __future__ import annotations

import hashlib
import math

from axes.helpers import get_cool_off
from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from profiles import mail
from profiles.accounts import confirm_address
from profiles.forms import PasswordResetForm, SignupForm
from profiles.links import public_netloc
from profiles.ratelimit import Budget, retry_after, spend, wait_words
from profiles.services import register_researcher
from profiles.throttling import account_key, client_address

# Abuse limits (README "Accounts and e-mail addresses"); tunables, not settings.
# Windows are clock-aligned (profiles.ratelimit); "who" is the client address,
# IPv6 by /64. New accounts, counted when a form passes every check and the
# account is about to be created: one client once made about 45 in a day. A
# person makes one; a lab or a workshop behind one NAT address a few.
SIGNUPS_PER_HOUR = Budget("signups-hour", limit=5, seconds=3600)
SIGNUPS_PER_DAY = Budget("signups-day", limit=20, seconds=86400)
SIGNUP_BUDGETS = (SIGNUPS_PER_HOUR, SIGNUPS_PER_DAY)
# Every sign-up POST, refused or not, so that a script cannot keep the form
# (and its database look-ups) busy with invalid ones; typos never reach it.
SIGNUP_POSTS = Budget("signup-posts", limit=30, seconds=3600)
# Password-reset requests from one client, whatever address they name.
RESET_REQUESTS = Budget("password-reset-requests", limit=10, seconds=3600)
# Reset mails to one address, from any client: one a minute (three requests
# in a second used to send three mails), at most three an hour.
RESET_MAILS_PER_MINUTE = Budget("password-reset-mails-minute", limit=1, seconds=60)
RESET_MAILS_PER_HOUR = Budget("password-reset-mails-hour", limit=3, seconds=3600)
RESET_MAIL_BUDGETS = (RESET_MAILS_PER_MINUTE, RESET_MAILS_PER_HOUR)

TOO_MANY_SIGNUPS = "Too many new accounts from your network: try again in {wait}."
TOO_MANY_SIGNUP_POSTS = "Too many sign-up attempts from your network: try again in {wait}."
TOO_MANY_RESETS = "Too many password-reset requests from your network: try again in {wait}."
RESET_JUST_SENT = (
    "We just sent a link to this address; check your inbox (and spam) before asking again, "
    "or try in {wait}."
)


def _throttled(response: HttpResponse, wait: int) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    who = client_address(request) or "unknown"
    if wait := retry_after(SIGNUP_BUDGETS, who):
        refusal = TOO_MANY_SIGNUPS.format(wait=wait_words(wait))
    elif wait := retry_after([SIGNUP_POSTS], who):
        refusal = TOO_MANY_SIGNUP_POSTS.format(wait=wait_words(wait))
    else:
        refusal = None
    if wait:
        # What was typed stays (passwords aside), to send once the wait is over.
        typed = {name: request.POST.get(name) for name in ("email", "first_name", "last_name")}
        form = SignupForm(initial={**typed, "slug": request.POST.get("slug")})
        context = {"form": form, "refusal": refusal}
        return _throttled(render(request, "platform/signup.html", context), wait)
    if request.method == "POST":
        spend(SIGNUP_POSTS, who)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Counted before creating, and compared after counting (one atomic
        # INCR each): parallel requests cannot all slip under the limit.
        over = [budget for budget in SIGNUP_BUDGETS if spend(budget, who) > budget.limit]
        if over:
            wait = retry_after(over, who)
            context = {"form": form, "refusal": TOO_MANY_SIGNUPS.format(wait=wait_words(wait))}
            return _throttled(render(request, "platform/signup.html", context), wait)
        data = form.cleaned_data
        try:
            # The confirmation goes out as the account commits, inside this block.
            with mail.watch() as mails:
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
            email = profile.owner.email
            if mails.all_sent:
                if settings.SIGNUP_PUBLISHES_SITE:
                    then = "your site goes live as soon as you follow it"
                else:
                    then = "once you have, a moderator can publish your site"
                messages.success(
                    request,
                    f"Welcome! We sent a link to {email} to confirm your address: {then}. "
                    "Meanwhile, make it yours.",
                )
            else:  # the mail server failed (profiles.mail): the truth, and what happens next
                problem = mail.not_sent(mails, email, "the link that confirms your address")
                messages.warning(request, f"Welcome! {problem} Meanwhile, make it yours.")
            return redirect("dashboard")
    return render(request, "platform/signup.html", {"form": form})


class RetriedPasswordResetForm(PasswordResetForm):
    """Django's form logs a reset mail that fails, and drops it; this one hands it
    to profiles.mail, which tries again later."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        mail.send(message)


class PasswordResetView(auth_views.PasswordResetView):
    """Reset links are built from settings, not from the request's Host header.

    Throttled per client (RESET_REQUESTS) and per address asked for
    (RESET_MAIL_BUDGETS). Over the address's budget the page says plainly that
    a link just went there: whether an address has an account is no secret
    here (README, "Accounts and e-mail addresses"), and "check your inbox" is
    what the person needs to hear.
    """

    success_url = reverse_lazy("password_reset_done")
    form_class = RetriedPasswordResetForm

    def post(self, request, *args, **kwargs):
        who = client_address(request) or "unknown"
        if wait := retry_after([RESET_REQUESTS], who):
            form = self.form_class(initial={"email": request.POST.get("email")})
            return self._refused(form, TOO_MANY_RESETS, wait)
        spend(RESET_REQUESTS, who)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Hashed: the cache need not hold anyone's address.
        mailbox = hashlib.sha256(form.cleaned_data["email"].encode()).hexdigest()
        if wait := retry_after(RESET_MAIL_BUDGETS, mailbox):
            return self._refused(form, RESET_JUST_SENT, wait)
        # Compared after the atomic count, so that requests in the same instant
        # cannot all pass; the hour is counted only for mails the minute allows.
        for budget in RESET_MAIL_BUDGETS:
            if spend(budget, mailbox) > budget.limit:
                return self._refused(form, RESET_JUST_SENT, retry_after([budget], mailbox))
        with mail.watch() as mails:
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
        problem = mail.not_sent(mails, form.cleaned_data["email"], "the link")
        if mails.lost:  # "on its way" would be false: the form again, saying so
            context = self.get_context_data(form=form, refusal=problem)
            return self.render_to_response(context, status=503)
        if problem:
            messages.warning(self.request, problem)
        return redirect(self.get_success_url())

    def _refused(self, form, message: str, wait: int) -> HttpResponse:
        refusal = message.format(wait=wait_words(wait))
        response = self.render_to_response(self.get_context_data(form=form, refusal=refusal))
        return _throttled(response, wait)


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
