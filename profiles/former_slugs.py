"""A renamed site's former addresses: kept for it, and redirected to its new one, for 90 days.

Links to the old address (in papers, e-mail signatures, search results) keep
working while the world catches up, and nobody can take over the old name to
pose as the site meanwhile. After the reservation the name is free again and
its record is deleted the next time it is met (sign-up, a rename, a visit).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from profiles.models import Profile, SlugHistory

RESERVATION = timedelta(days=90)


def cutoff() -> datetime:
    """Records changed at or before this moment have expired."""
    return timezone.now() - RESERVATION


def reservation(slug: str) -> SlugHistory | None:
    """The running reservation of `slug` (lower-cased), or None; an expired one is deleted."""
    record = SlugHistory.objects.filter(slug=slug).first()
    if record is None:
        return None
    if record.changed_at <= cutoff():
        # Filtered again on the date: a rename that just re-reserved it keeps its record.
        SlugHistory.objects.filter(pk=record.pk, changed_at__lte=cutoff()).delete()
        return None
    return record


def reserved_for_another(slug: str, profile: Profile | None = None) -> bool:
    """Whether `slug` is another site's former address within its 90 days."""
    record = reservation(slug)
    return record is not None and (profile is None or record.profile_id != profile.pk)


def seconds_left(record: SlugHistory) -> int:
    return max(0, int((record.changed_at + RESERVATION - timezone.now()).total_seconds()))
