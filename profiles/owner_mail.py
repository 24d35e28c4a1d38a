"""E-mail to a site's owner about something done to their site, sent after commit.

Moderation (profiles.moderation.services) and custom domains
(profiles.domains.services) both tell owners what happened; they share this.
Templates: <folder>/<template>_subject.txt, <template>.txt and, when `html`,
<template>.html under templates/platform/email/.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from profiles import mail
from profiles.links import platform_url
from profiles.models import Profile


def send(folder: str, template: str, to: str, context: dict, *, html: bool) -> None:
    context = {
        "platform_url": platform_url(),
        "dashboard_url": platform_url("/dashboard/"),
        "contact_email": settings.CONTACT_EMAIL,
        **context,
    }
    base = f"platform/email/{folder}/{template}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{base}.txt", context), settings.DEFAULT_FROM_EMAIL, [to]
    )
    if html:
        message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    mail.send(message)  # a failure is retried later, never raised (profiles.mail)


def tell_owner(profile: Profile, folder: str, template: str, *, html: bool, **context) -> None:
    """Mail `profile`'s owner once the transaction commits (a rolled-back action sends nothing)."""
    to = profile.owner.email
    context = {"profile": profile, "site_url": profile.get_absolute_url(), **context}
    transaction.on_commit(lambda: send(folder, template, to, context, html=html))
