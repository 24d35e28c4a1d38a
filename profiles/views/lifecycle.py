"""The account page (address, password, site address, deleting) and the e-mailed links.

Every dashboard view acts on the signed-in user's own account and site only;
there is no id in these URLs to point at anyone else's.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from profiles import accounts, former_slugs, mail
from profiles.account_forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    SiteAddressForm,
)
from profiles.dashboard import owned_profile
from profiles.former_slugs import RESERVATION
from profiles.links import site_url
from profiles.models import Profile

LINK_PROBLEMS = {
    accounts.LinkProblem.BAD: (
        "This link does not work",
        "It may have been cut short when it was copied, or its account was deleted. Copy the "
        "whole link from the e-mail, or ask for a new one.",
    ),
    accounts.LinkProblem.EXPIRED: (
        "This link has expired",
        "Links in our e-mails work for a limited time. Ask for a new one.",
    ),
    accounts.LinkProblem.STALE: (
        "This link no longer applies",
        "The account's e-mail address or password changed after it was sent. If you still "
        "want what it was for, ask for a new link.",
    ),
}


def _account_page(request: HttpRequest, **forms: Form) -> HttpResponse:
    """The account page; `forms` replaces the blank form that was just sent with errors."""
    profile = owned_profile(request)
    user = request.user
    for form in forms.values():
        _focus_first_error(form)
    held = profile.former_slugs.filter(changed_at__gt=former_slugs.cutoff())
    context = {
        "profile": profile,
        "section": "account",
        "email_form": EmailChangeForm(user=user),
        "password_form": PasswordChangeForm(user),
        "address_form": SiteAddressForm(profile=profile),
        # (former slug, the day it is released)
        "former_slugs": [(record.slug, record.changed_at + RESERVATION) for record in held],
        "reservation_days": RESERVATION.days,
        "retention_days": settings.DELETED_SITE_RETENTION_DAYS,
        "sites_domain": settings.SITES_DOMAIN,
        **forms,
    }
    return render(request, "platform/dashboard/account.html", context)


def _focus_first_error(form: Form) -> None:
    """The page holds several forms: bring the one sent back with errors into view."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["autofocus"] = True
            return


@login_required
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@login_required
@require_POST
def change_email(request: HttpRequest) -> HttpResponse:
    owned_profile(request)
    form = EmailChangeForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, email_form=form)
    new_email = form.cleaned_data["new_email"]
    with mail.watch() as mails:
        asked = accounts.request_email_change(user=request.user, new_email=new_email)
    if asked and (problem := mail.not_sent(mails, new_email, "the link")):
        messages.warning(request, f"{problem} You keep using {request.user.email} until then.")
    elif asked:
        messages.success(
            request,
            f"We sent a link to {new_email}: your address changes when you follow it (within "
            f"a day). Until then you keep using {request.user.email}.",
        )
    else:
        messages.error(
            request, "We sent a link less than a minute ago: wait a minute and ask again."
        )
    return redirect("dashboard_account")


@login_required
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    owned_profile(request)
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, password_form=form)
    form.save()
    update_session_auth_hash(request, form.user)  # stay logged in here; other devices are not
    messages.success(
        request,
        "Your password is changed. Other browsers logged in to your account are logged out.",
    )
    return redirect("dashboard_account")


@login_required
@require_POST
def change_address(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form = SiteAddressForm(request.POST, profile=profile)
    if form.is_valid():
        try:
            old = accounts.change_slug(profile=profile, slug=form.cleaned_data["slug"])
        except IntegrityError:  # taken between the check and the save
            form.add_error("slug", "That address was just taken. Please choose another.")
        else:
            messages.success(
                request,
                f"Your site's address is now {profile.host}. Visitors to "
                f"{old}.{settings.SITES_DOMAIN} are sent there for {RESERVATION.days} days.",
            )
            return redirect("dashboard_account")
    profile.refresh_from_db(fields=["slug"])
    return _account_page(request, address_form=form)


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form = DeleteAccountForm(request.POST or None, user=request.user, profile=profile)
    if request.method == "POST" and form.is_valid():
        email = request.user.email
        with mail.watch() as mails:
            deleted = accounts.delete_account(user=request.user)
        logout(request)
        messages.success(request, deleted_message(deleted, mail.not_sent(mails, email, "it")))
        return redirect("landing")
    retention = timedelta(days=settings.DELETED_SITE_RETENTION_DAYS)
    context = {
        "profile": profile,
        "form": form,
        "section": "account",
        "retention_days": settings.DELETED_SITE_RETENTION_DAYS,
        # The date the purge may erase it, were it deleted now.
        "purge_after": timezone.now() + retention,
    }
    return render(request, "platform/dashboard/account_delete.html", context)


def deleted_message(profile: Profile, mail_problem: str = "") -> str:
    """What the owner reads once they deleted: what is gone, what is kept, until when."""
    return (
        f"Your site {profile.host} is gone from the web now, and you can no longer log in. "
        f"We keep a copy until {accounts.purge_day(profile)}, then erase your account, your "
        f"site and all their files for good. {accounts.undo_sentence()} "
        + (mail_problem or f"We have e-mailed this to {profile.owner.email} as well.")
    )


# ---------------------------------------------------------------- e-mailed links


def _link_refused(request: HttpRequest, problem: accounts.LinkProblem) -> HttpResponse:
    title, text = LINK_PROBLEMS[problem]
    return render(
        request,
        "platform/account_link.html",
        {"title": title, "text": text, "refused": True},
        status=400,
    )


@never_cache
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        result = accounts.confirm_by_link(token)
    except accounts.LinkRefused as refused:
        return _link_refused(request, refused.problem)
    if result.already:
        return _link_page(
            request, "Already confirmed", f"{result.email} was confirmed before: all is well."
        )
    if result.published is not None:
        return _link_page(
            request,
            "Your address is confirmed",
            f"Thank you: {result.email} is confirmed, and your site is live.",
            site=result.published,
        )
    text = f"Thank you: {result.email} is confirmed."
    if result.waiting:
        text += " A moderator can now publish your site; we will e-mail you when it is live."
    return _link_page(request, "Your address is confirmed", text)


def _link_page(request: HttpRequest, title: str, text: str, *, site=None) -> HttpResponse:
    context = {"title": title, "text": text, "site_url": site_url(site.host) if site else ""}
    return render(request, "platform/account_link.html", context)


@never_cache
def confirm_email_change(request: HttpRequest, token: str) -> HttpResponse:
    try:
        result = accounts.change_by_link(token)
    except accounts.LinkRefused as refused:
        return _link_refused(request, refused.problem)
    except (accounts.AddressTaken, IntegrityError):
        return render(
            request,
            "platform/account_link.html",
            {
                "title": "That address is taken",
                "text": "Another account started using this address after the link was sent, "
                "so your address stays as it was.",
                "refused": True,
            },
            status=409,
        )
    if result.already:
        return _link_page(
            request, "Already changed", f"Your account uses {result.new_email} already."
        )
    return _link_page(
        request,
        "Your address is changed",
        f"Your account uses {result.new_email} from now on: log in with it, and our e-mails "
        "go there.",
    )


@login_required
@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.email_confirmed:
        messages.success(request, f"{user.email} is confirmed already.")
    else:
        with mail.watch() as mails:
            sent = accounts.send_confirmation(user)
        if sent and (problem := mail.not_sent(mails, user.email, "the link")):
            messages.warning(request, problem)
        elif sent:
            messages.success(request, f"We sent a new link to {user.email}.")
        else:
            messages.error(
                request,
                "We sent a link less than a minute ago: check your inbox and spam folder, or "
                "ask again in a minute.",
            )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={settings.PLATFORM_HOST}, require_https=request.is_secure()
    ):
        next_url = "dashboard_account"
    return redirect(next_url)
