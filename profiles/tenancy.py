"""Which site a host serves, cached.

Two cache entries make a resolution free when warm:

- ``tenancy:host:<host>`` -> profile id (or NO_SITE), for slug hosts and
  custom domains alike; it changes only when a slug or a domain changes;
- ``tenancy:profile:<id>`` -> the Profile row itself, dropped whenever the
  profile is saved, so a status change (suspension) takes effect at once.

A third, ``tenancy:moved:<host>`` -> profile id (or NO_SITE), is read only for
a slug host that serves no site: a renamed site's former address redirects
for 90 days (profiles.former_slugs), and known sites never pay for it.

A cold resolution costs one query. Invalidation is wired in profiles.signals.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models.functions import Lower

from profiles import former_slugs
from profiles.hosts import HostClass, HostKind
from profiles.models import Profile

NO_SITE = 0  # cached "this host serves no site", so unknown hosts cost no query


def host_key(host: str) -> str:
    return f"tenancy:host:{host}"


def profile_key(profile_id: int) -> str:
    return f"tenancy:profile:{profile_id}"


def moved_key(host: str) -> str:
    return f"tenancy:moved:{host}"


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
        # Through lower(slug), the expression the unique index is on: a plain
        # slug = %s scanned the table (bench/scale.py: it grew with the site count).
        return Profile.objects.alias(slug_ci=Lower("slug")).filter(slug_ci=host_class.slug).first()
    return Profile.objects.filter(
        custom_domains__host=host_class.host, custom_domains__verified=True
    ).first()


def former_site(host_class: HostClass) -> Profile | None:
    """The site a slug host that serves no site named within the last 90 days, or None.

    Only for hosts resolve_site() found nothing for. The answer is cached like
    a host's, but never past the end of the reservation.
    """
    if host_class.kind is not HostKind.SITE_SLUG:
        return None
    timeout = settings.TENANT_CACHE_SECONDS
    key = moved_key(host_class.host)
    profile_id = cache.get(key)
    if profile_id == NO_SITE:
        return None
    if profile_id is None:
        record = former_slugs.reservation(host_class.slug)
        if record is None:
            cache.set(key, NO_SITE, timeout)
            return None
        profile_id = record.profile_id
        cache.set(key, profile_id, max(1, min(timeout, former_slugs.seconds_left(record))))
    profile = cache.get(profile_key(profile_id))
    if profile is None:
        profile = Profile.objects.filter(pk=profile_id).first()
        if profile is None:  # deleted since: its former addresses went with it
            cache.set(key, NO_SITE, timeout)
        else:
            cache.set(profile_key(profile.pk), profile, timeout)
    return profile


def profile_keys(profile: Profile, *, old_slug: str | None = None) -> list[str]:
    """The cache keys that know about `profile`.

    Take them when the change happens: once deleted, a row's pk is None.
    """
    keys = [profile_key(profile.pk), host_key(profile.host)]
    if old_slug and old_slug != profile.slug:
        old_host = f"{old_slug}.{settings.SITES_DOMAIN}"
        # The old address may have been remembered as "no site, never was" (NO_SITE).
        keys += [host_key(old_host), moved_key(old_host)]
    return keys


def forget_profile(profile: Profile, *, old_slug: str | None = None) -> None:
    """Drop what the cache knows about `profile` (call after its changes commit)."""
    forget_keys(profile_keys(profile, old_slug=old_slug))


def forget_keys(keys: list[str]) -> None:
    cache.delete_many(keys)


def forget_hosts(hosts: set[str]) -> None:
    cache.delete_many([host_key(host) for host in hosts])
