"""Absolute links to the platform and to sites, built from settings only.

A page may be cached and shown to other visitors, so no link in it may come
from the request's Host header (which a client can forge).
"""

from __future__ import annotations

from django.conf import settings


def public_netloc(host: str) -> str:
    """`host` with the public port, as it appears in our absolute URLs."""
    return f"{host}:{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else host


def site_url(host: str, path: str = "/") -> str:
    return f"{settings.PUBLIC_SCHEME}://{public_netloc(host)}{path}"


def platform_url(path: str = "/") -> str:
    return site_url(settings.PLATFORM_HOST, path)
