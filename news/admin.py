from __future__ import annotations

from django.contrib import admin

from news.models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "profile", "date", "inline", "is_visible"]
    list_filter = ["is_visible", "inline"]
    list_select_related = ["profile"]
    search_fields = ["title", "content", "profile__slug"]
    raw_id_fields = ["profile"]
    readonly_fields = ["content_html", "original_text", "created_at", "updated_at"]
