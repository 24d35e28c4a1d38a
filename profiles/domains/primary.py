"""Which of a site's addresses is canonical: its primary custom domain, or the slug host.

Profile.primary_domain names it (empty: the slug host). It is only ever one of
the site's own verified domains: set here, and cleared here when that domain
stops being verified or goes (services.remove_domain, check_domain, the
moderators' revoke). Saving the Profile is what makes it take effect: the
signals drop the tenancy cache's copy and bump every host's page version
(profiles.signals), so the next request on any other host reaches
TenancyMiddleware and is redirected there.
"""

from __future__ import annotations

from django.db import transaction

from profiles.models import CustomDomain, Profile

# The fields a change of address saves: the sitemap's lastmod moves with the URLs.
_FIELDS = ["primary_domain", "updated_at"]


@transaction.atomic
def set_primary(profile: Profile, domain: CustomDomain | None) -> None:
    """Make `domain` (a verified domain of this site) its canonical address; None: the slug host.

    Raises ValueError for a domain of another site or one not verified (now,
    in the database: the instance may be older than a check that failed).
    """
    if domain is None:
        host = ""
    else:
        still_ours = (
            CustomDomain.objects.select_for_update()
            .filter(pk=domain.pk, profile_id=profile.pk, verified=True)
            .values_list("host", flat=True)
            .first()
        )
        if still_ours is None:
            raise ValueError("Only a verified domain of this site can be its main address.")
        host = still_ours
    if profile.primary_domain != host:
        profile.primary_domain = host
        profile.save(update_fields=_FIELDS)


@transaction.atomic
def clear_primary_if(profile: Profile, host: str) -> bool:
    """Back to the slug host when `host` was the primary (it is going or no longer verified).

    True when it was. Reads the stored value, not the instance's, which may be stale.
    """
    stored = (
        Profile.objects.select_for_update()
        .filter(pk=profile.pk)
        .values_list("primary_domain", flat=True)
        .first()
    )
    if not host or stored != host:
        return False
    profile.primary_domain = ""
    profile.save(update_fields=_FIELDS)
    return True
