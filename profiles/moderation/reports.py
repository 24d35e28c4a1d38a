"""Visitors' reports of a page: the link every site page carries, what it may be
about, and filing one into the moderation queue (resolving it: services.resolve_report).

The form lives on the platform host (sites are cookie-free, so they cannot
carry a CSRF token); the link names the site and the page, and the form takes
only pages of that site, so no one can file reports about arbitrary addresses.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from profiles import mail
from profiles.links import platform_url, public_netloc, site_url
from profiles.models import Profile, Report

PAGE_URL_MAX_LENGTH = Report._meta.get_field("page_url").max_length


def report_url(profile: Profile, path: str) -> str:
    """The platform's report form for the page at `path` (URI-escaped) of `profile`'s site.

    The page is named by the site's own host, from settings, whichever host
    served it: a custom domain and the slug host show the same page.
    """
    form = reverse("report", urlconf=settings.ROOT_URLCONF)
    query = urlencode({"site": profile.slug, "page": site_url(profile.host, path)})
    return platform_url(f"{form}?{query}")


def reported_site(slug: str) -> Profile | None:
    """The published site `slug` names; None for any other (unknown, pending, suspended)."""
    if not slug or len(slug) > Profile._meta.get_field("slug").max_length:
        return None
    return Profile.objects.filter(slug=slug.lower(), status=Profile.Status.PUBLISHED).first()


def site_netlocs(profile: Profile) -> set[str]:
    """Every `host[:port]` that serves `profile`'s site: its slug host and verified domains."""
    hosts = [profile.host]
    hosts += profile.custom_domains.filter(verified=True).values_list("host", flat=True)
    return {public_netloc(host) for host in hosts}


def reported_page(profile: Profile, url: str) -> str | None:
    """`url` without its fragment when it is a page of `profile`'s site, else None.

    "Of the site" means our scheme, one of the site's hosts, and the port,
    exactly as settings give them: a report names a page we serve, never an
    address elsewhere that moderators would be sent to.
    """
    url = url.strip()
    if not url or len(url) > PAGE_URL_MAX_LENGTH:
        return None
    try:
        URLValidator(schemes=[settings.PUBLIC_SCHEME])(url)
        parts = urlsplit(url)
    except (ValidationError, ValueError):
        return None
    if parts.netloc.lower() not in site_netlocs(profile) or not parts.path.startswith("/"):
        return None
    return urlunsplit(parts._replace(netloc=parts.netloc.lower(), fragment=""))


def file_report(
    *, profile: Profile, page_url: str, reason: str, message: str, contact_email: str = ""
) -> Report:
    """Put a visitor's report in the moderation queue (status open), and tell the
    moderators when MODERATION_EMAIL names an address."""
    with transaction.atomic():
        report = Report.objects.create(
            profile=profile,
            page_url=page_url,
            reason=reason,
            message=message,
            contact_email=contact_email,
        )
        if settings.MODERATION_EMAIL:
            transaction.on_commit(lambda: _tell_moderators(report))
    return report


def _tell_moderators(report: Report) -> None:
    try:
        admin_path = reverse("admin:profiles_report_change", args=[report.pk])
    except NoReverseMatch:  # the report admin is not installed
        admin_path = reverse("admin:index")
    context = {
        "report": report,
        "site_url": report.profile.get_absolute_url(),
        "admin_url": platform_url(admin_path),
    }
    base = "platform/email/moderation/report_received"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMessage(
        subject,
        render_to_string(f"{base}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [settings.MODERATION_EMAIL],
        # A moderator's "reply" reaches the reporter, when they left an address.
        reply_to=[report.contact_email] if report.contact_email else None,
    )
    mail.send(message)  # a failure is retried later; the report is filed anyway
