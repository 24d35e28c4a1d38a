"""Addresses in templates: a site's canonical one (profiles.domains.primary), readable hosts."""

from __future__ import annotations

import idna
from django import template

from profiles.links import site_url
from profiles.models import Profile

register = template.Library()


@register.filter
def public_url(profile: Profile, path: str = "/") -> str:
    """`{{ profile|public_url }}`: the site's home on its canonical host (primary or slug)."""
    return site_url(profile.public_host, path)


@register.filter
def readable_host(host: str) -> str:
    """An internationalised host as people write it (`bücher.example`); others unchanged.

    Hosts are stored in their `xn--` form, which is what DNS records must use.
    """
    if "xn--" not in host:
        return host
    try:
        return idna.decode(host)
    except idna.IDNAError:
        return host
