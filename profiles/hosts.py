"""Host names: parsing the Host header and telling which part of the product it names.

Pure functions over settings; the database side (which site a host serves)
lives in profiles.tenancy.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.http.request import split_domain_port

# RFC 1123 host name, lower-cased: dot-separated DNS labels, 253 characters at most.
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class HostKind(enum.Enum):
    PLATFORM = "platform"
    SITE_SLUG = "site_slug"  # <label>.<SITES_DOMAIN>
    OTHER = "other"  # possibly a verified custom domain


@dataclass(frozen=True)
class HostClass:
    kind: HostKind
    host: str
    slug: str = ""


def normalize_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


def parse_host_header(raw: str) -> str | None:
    """The host name in a Host header, without port; None when malformed.

    Ports are ignored when matching: `alice.localhost:8000` is `alice.localhost`.
    """
    if not raw:
        return None
    domain, _port = split_domain_port(raw)  # lower-cases, drops the trailing dot
    if not domain:
        return None
    if domain.startswith("["):  # an IPv6 literal, kept in brackets
        return domain if is_ip_address(domain) else None
    if HOSTNAME_RE.fullmatch(domain) or is_ip_address(domain):
        return domain
    return None


def classify_host(host: str) -> HostClass:
    if host == settings.PLATFORM_HOST or host in settings.PLATFORM_HOST_ALIASES:
        return HostClass(HostKind.PLATFORM, host)
    suffix = "." + settings.SITES_DOMAIN
    if host.endswith(suffix):
        label = host[: -len(suffix)]
        if label and "." not in label:
            return HostClass(HostKind.SITE_SLUG, host, slug=label)
    return HostClass(HostKind.OTHER, host)


def custom_domain_problem(host: str) -> str | None:
    """Why `host` cannot be a researcher's custom domain, or None when it can."""
    if is_ip_address(host):
        return "Use a host name, not an IP address."
    own = {settings.PLATFORM_HOST, settings.SITES_DOMAIN, *settings.PLATFORM_HOST_ALIASES}
    if host in own or any(host.endswith("." + name) for name in own):
        return "This host belongs to the platform itself."
    if not HOSTNAME_RE.fullmatch(host) or "." not in host:
        return "Enter a full host name such as www.jane-doe.org (no scheme, path or port)."
    return None


def is_ip_address(value: str) -> bool:
    """True for "127.0.0.1", "::1" and the bracketed "[::1]" of a Host header."""
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
