"""The dashboard's "Addresses" page: the site's custom domains, their DNS, the main address.

DNS work (adding, the records to create, checking them, removing) is
profiles.domains.services'; which address is canonical is
profiles.domains.primary's. Every domain is fetched scoped to the signed-in
owner's site: another site's domain is a 404, like a domain that does not exist.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from profiles import ratelimit
from profiles.dashboard import owned_profile
from profiles.domains import services as domain_services
from profiles.domains.primary import set_primary
from profiles.models import CustomDomain, Profile

# "Verify now" asks DNS servers: a few presses a minute per site, not a button mash.
VERIFY_BUDGET = ratelimit.Budget("domain-verify", limit=6, seconds=60)


class AddDomainForm(forms.Form):
    domain = forms.CharField(
        label="Domain",
        max_length=300,
        help_text="A domain you own, such as www.jane-doe.org or jane-doe.org.",
        widget=forms.TextInput(
            attrs={
                "placeholder": "www.jane-doe.org",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


def owned_domain(request: HttpRequest, pk: int) -> CustomDomain:
    profile = owned_profile(request)
    domain = get_object_or_404(CustomDomain, pk=pk, profile=profile)
    domain.profile = profile  # the signed-in user's, already loaded
    return domain


@login_required
def domains(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form = AddDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain = domain_services.add_domain(profile=profile, raw=form.cleaned_data["domain"])
        except ValidationError as error:
            form.add_error("domain", error.messages)
        else:
            messages.success(
                request,
                f"{domain.host} added. Create the DNS records shown for it, then press Verify now.",
            )
            return redirect("dashboard_domains")
    rows = [
        {
            "domain": domain,
            "is_primary": domain.verified and domain.host == profile.primary_domain,
            "records": (
                []
                if domain.verified or domain.revoked_at
                else domain_services.dns_records(domain=domain)
            ),
        }
        for domain in profile.custom_domains.all()
    ]
    return render(
        request,
        "platform/dashboard/domains.html",
        {
            "profile": profile,
            "form": form,
            "rows": rows,
            "slug_is_primary": not profile.primary_domain,
            "section": "domains",
        },
    )


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    domain = owned_domain(request, pk)
    if ratelimit.spend(VERIFY_BUDGET, f"site:{domain.profile_id}") > VERIFY_BUDGET.limit:
        wait = ratelimit.retry_after([VERIFY_BUDGET], f"site:{domain.profile_id}")
        messages.error(request, f"That was a lot of checks at once: try again in {wait} seconds.")
        return redirect("dashboard_domains")
    result = domain_services.verify_now(domain=domain)
    if result.ok:
        text = f"{domain.host}: {result.message}"
        if not domain.profile.primary_domain:
            text += (
                " It shows your site now; make it your main address to send visitors"
                " from your other addresses there."
            )
        messages.success(request, text)
    else:
        messages.error(request, f"{domain.host}: {result.message}")
    return redirect("dashboard_domains")


@login_required
@require_POST
def make_primary(request: HttpRequest, pk: int) -> HttpResponse:
    domain = owned_domain(request, pk)
    try:
        set_primary(domain.profile, domain)
    except ValueError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _primary_message(domain.profile, domain.host))
    return redirect("dashboard_domains")


@login_required
@require_POST
def use_slug_host(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    set_primary(profile, None)
    messages.success(request, _primary_message(profile, profile.host))
    return redirect("dashboard_domains")


@login_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: are you sure (works without JavaScript); POST: remove it."""
    domain = owned_domain(request, pk)
    if domain.revoked_at is not None:
        messages.error(request, domain_services.REVOKED_MESSAGE)
        return redirect("dashboard_domains")
    if request.method != "POST":
        return render(
            request,
            "platform/dashboard/domain_remove.html",
            {"profile": domain.profile, "domain": domain, "section": "domains"},
        )
    host = domain.host
    domain_services.remove_domain(domain=domain)  # back to the slug host if it was the main one
    messages.success(request, f"{host} removed. It no longer shows your site.")
    return redirect("dashboard_domains")


def _primary_message(profile: Profile, host: str) -> str:
    if profile.is_published:
        return f"{host} is now your site's main address: its other addresses send visitors there."
    return f"{host} will be your site's main address once your site is published."
