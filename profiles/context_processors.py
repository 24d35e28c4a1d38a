from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from profiles.links import platform_url


def platform(request: HttpRequest) -> dict[str, str]:
    """Links every template may need, built from settings (never the Host header)."""
    return {"platform_home": platform_url(), "contact_email": settings.CONTACT_EMAIL}
