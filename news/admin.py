from __future__ import annotations

from django.contrib import admin

from news.models import NewsItem
from profiles.moderation.admin import HideAndPutBack


@admin.register(NewsItem)
class NewsItemAdmin(HideAndPutBack, admin.ModelAdmin):
    hidden_kind = "news"
    list_display = ["__str__", "profile", "date", "inline", "is_visible"]
    list_filter = ["is_visible", "inline"]
    list_select_related = ["profile", "hidden"]
    search_fields = ["title", "content", "profile__slug"]
    raw_id_fields = ["profile"]
    readonly_fields = ["content_html", "original_text", "created_at", "updated_at"]
