"""Keep the platform's index of researchers' names (co-author links) true to the database."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from profiles import pagecache
from profiles.models import Profile
from publications.models import Coauthor, PaperFile, Publication, PublicationSettings, Venue
from publications.selectors import bump_people_version

# A profile's fields that the index reads.
PEOPLE_FIELDS = set(Profile.NAME_INDEX_FIELDS)


@receiver(post_save, sender=Profile)
def forget_people_on_profile_change(
    sender, instance: Profile, created: bool = False, update_fields=None, **kwargs
):
    # Only when what the index reads changed: a new version makes every site's
    # cached pages with papers stale, and a bio edit must not do that to 10,000 sites.
    loaded = getattr(instance, "_stored_people", None)
    changed = created or loaded is None or loaded != instance.people_values()
    if changed and (update_fields is None or PEOPLE_FIELDS & set(update_fields)):
        transaction.on_commit(bump_people_version)
    instance._stored_people = instance.people_values()


@receiver(post_delete, sender=Profile)
@receiver([post_save, post_delete], sender=PublicationSettings)
def forget_people(sender, **kwargs) -> None:
    transaction.on_commit(bump_people_version)


@receiver([post_save, post_delete], sender=Publication)
@receiver([post_save, post_delete], sender=PublicationSettings)
@receiver([post_save, post_delete], sender=Venue)
@receiver([post_save, post_delete], sender=Coauthor)
@receiver([post_save, post_delete], sender=PaperFile)
def forget_pages(sender, instance, **kwargs) -> None:
    """A site's publications changed: its cached pages go (bulk writes call site_changed)."""
    pagecache.site_changed(instance.profile_id)
