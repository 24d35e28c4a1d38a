"""Which site a host serves, cached.

Two cache entries make a resolution free when warm:

- ``tenancy:host:<host>`` -> profile id (or NO_SITE), for slug hosts and
  custom domains alike; it changes only when a slug or a domain changes;
- ``tenancy:profile:<id>`` -> the Profile row itself, dropped whenever the
  profile is saved, so a status change (suspension) takes effect at once.

A cold resolution costs one query. Invalidation is wired in profiles.signals.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from profiles.hosts import HostClass, HostKind
from profiles.models import Profile

NO_SITE = 0  # cached "this host serves no site", so unknown hosts cost no query


def host_key(host: str) -> str:
    return f"tenancy:host:{host}"


def profile_key(profile_id: int) -> str:
    return f"tenancy:profile:{profile_id}"


def resolve_site(host_class: HostClass) -> Profile | None:
    """The profile that `host_class` serves (whatever its status), or None."""
    timeout = settings.TENANT_CACHE_SECONDS
    profile_id = cache.get(host_key(host_class.host))
    if profile_id == NO_SITE:
        return None
    if profile_id is not None:
        profile = cache.get(profile_key(profile_id))
        if profile is not None:
            return profile
        profile = Profile.objects.filter(pk=profile_id).first()
    else:
        profile = _query_by_host(host_class)
    if profile is None:
        cache.set(host_key(host_class.host), NO_SITE, timeout)
        return None
    cache.set_many(
        {host_key(host_class.host): profile.pk, profile_key(profile.pk): profile}, timeout
    )
    return profile


def _query_by_host(host_class: HostClass) -> Profile | None:
    if host_class.kind is HostKind.SITE_SLUG:
        return Profile.objects.filter(slug=host_class.slug).first()
    return Profile.objects.filter(
        custom_domains__host=host_class.host, custom_domains__verified=True
    ).first()


def forget_profile(profile: Profile, *, old_slug: str | None = None) -> None:
    """Drop what the cache knows about `profile` (call after its changes commit)."""
    keys = [profile_key(profile.pk), host_key(profile.host)]
    if old_slug and old_slug != profile.slug:
        keys.append(host_key(f"{old_slug}.{settings.SITES_DOMAIN}"))
    cache.delete_many(keys)


def forget_hosts(hosts: set[str]) -> None:
    cache.delete_many([host_key(host) for host in hosts])
