"""Keep the tenancy cache and the storage true to the database, whoever changes a site.

Profiles and domains change from the dashboard, the admin, imports and the
shell; receivers here catch them all. The cache is touched only once the
transaction commits, so a rolled-back change never empties it for nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from profiles import media, pagecache, tenancy
from profiles.models import CustomDomain, Profile, SiteImport, SocialLink


@receiver([post_save, post_delete], sender=Profile)
def forget_profile_on_change(sender, instance: Profile, **kwargs) -> None:
    # The keys now, not after commit: by then a deleted instance's pk is None.
    old_slug = getattr(instance, "_stored_slug", None)
    keys = tenancy.profile_keys(instance, old_slug=old_slug)
    transaction.on_commit(lambda: tenancy.forget_keys(keys))
    old_hosts = {f"{old_slug}.{settings.SITES_DOMAIN}"} if old_slug else set()
    if kwargs.get("signal") is post_delete:
        pagecache.hosts_changed({instance.host, *old_hosts})
    else:
        pagecache.site_changed(instance.pk, extra_hosts=old_hosts - {instance.host})
    instance._stored_slug = instance.slug


@receiver([post_save, post_delete], sender=SocialLink)
def forget_pages_on_link_change(sender, instance: SocialLink, **kwargs) -> None:
    pagecache.site_changed(instance.profile_id)


@receiver(post_delete, sender=Profile)
def delete_files_with_their_site(sender, instance: Profile, **kwargs) -> None:
    # Deleting an account deletes its profile (CASCADE); its uploads must not
    # stay on disk and public. After commit: a rolled-back delete keeps them.
    # Every kind of file (profiles.media.KINDS) lives under sites/<id>/.
    profile_id = instance.pk
    transaction.on_commit(lambda: media.delete_site_files(profile_id))


@receiver(post_delete, sender=SiteImport)
def delete_kept_import_upload(sender, instance: SiteImport, **kwargs) -> None:
    # An upload kept after a dry run lives outside the site's folder (imports/),
    # so delete_site_files does not see it; it goes with its row.
    name = instance.upload
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@receiver([post_save, post_delete], sender=CustomDomain)
def forget_domain_on_change(sender, instance: CustomDomain, **kwargs) -> None:
    old_host = getattr(instance, "_stored_host", None)
    hosts = {instance.host, old_host} - {None}
    transaction.on_commit(lambda: tenancy.forget_hosts(hosts))
    pagecache.hosts_changed(hosts)  # a domain that goes, or moves, stops serving pages
    pagecache.site_changed(instance.profile_id)
    instance._stored_host = instance.host
