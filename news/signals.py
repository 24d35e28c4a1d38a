"""A site's news changed: its cached pages go (profiles.pagecache)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from news.models import NewsItem
from profiles import pagecache


@receiver([post_save, post_delete], sender=NewsItem)
def forget_pages(sender, instance: NewsItem, **kwargs) -> None:
    pagecache.site_changed(instance.profile_id)
