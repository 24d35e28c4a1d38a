"""Absolute links to the platform and to sites, built from settings only.

A page may be cached and shown to other visitors, so no link in it may come
from the request's Host header (which a client can forge).
"""

from __future__ import annotations

from django.conf import settings


def _origin(host: str) -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{host}{port}"


def site_url(host: str, path: str = "/") -> str:
    return _origin(host) + path


def platform_url(path: str = "/") -> str:
    return _origin(settings.PLATFORM_HOST) + path
