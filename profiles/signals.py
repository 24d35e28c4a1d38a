"""Keep the tenancy cache true to the database, whoever changes a site.

Profiles and domains change from the dashboard, the admin, imports and the
shell; receivers here catch them all. The cache is touched only once the
transaction commits, so a rolled-back change never empties it for nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from profiles import tenancy
from profiles.models import CustomDomain, Profile


@receiver([post_save, post_delete], sender=Profile)
def forget_profile_on_change(sender, instance: Profile, **kwargs) -> None:
    old_slug = getattr(instance, "_stored_slug", None)
    transaction.on_commit(lambda: tenancy.forget_profile(instance, old_slug=old_slug))
    instance._stored_slug = instance.slug


@receiver([post_save, post_delete], sender=CustomDomain)
def forget_domain_on_change(sender, instance: CustomDomain, **kwargs) -> None:
    old_host = getattr(instance, "_stored_host", None)
    hosts = {instance.host, old_host} - {None}
    transaction.on_commit(lambda: tenancy.forget_hosts(hosts))
    instance._stored_host = instance.host
