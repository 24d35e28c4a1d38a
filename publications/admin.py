from __future__ import annotations

from django.contrib import admin

from profiles.moderation.admin import HideAndPutBack
from publications.models import (
    Coauthor,
    ImportRun,
    PaperFile,
    Publication,
    PublicationSettings,
    Venue,
)


@admin.register(Publication)
class PublicationAdmin(HideAndPutBack, admin.ModelAdmin):
    hidden_kind = "publication"
    list_display = ["key", "title", "profile", "year", "selected", "is_visible", "updated_at"]
    list_filter = ["is_visible", "selected", "entry_type"]
    list_select_related = ["profile", "hidden"]
    search_fields = ["key", "title", "profile__slug"]
    raw_id_fields = ["profile"]
    readonly_fields = ["title_html", "abstract_html", "bibtex_display", "created_at", "updated_at"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "profile",
        "source",
        "added",
        "updated",
        "unchanged",
        "removed",
        "failed",
        "created_at",
    ]
    list_select_related = ["profile"]
    search_fields = ["profile__slug", "source"]
    raw_id_fields = ["profile"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a record of what happened


@admin.register(PaperFile)
class PaperFileAdmin(admin.ModelAdmin):
    list_display = ["name", "profile", "kind", "size", "created_at"]
    list_select_related = ["profile"]
    search_fields = ["name", "profile__slug"]
    raw_id_fields = ["profile"]


@admin.register(PublicationSettings)
class PublicationSettingsAdmin(admin.ModelAdmin):
    list_display = ["profile", "max_author_limit"]
    list_select_related = ["profile"]
    raw_id_fields = ["profile"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["abbr", "profile", "color", "url"]
    list_select_related = ["profile"]
    raw_id_fields = ["profile"]


@admin.register(Coauthor)
class CoauthorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "profile", "url"]
    list_select_related = ["profile"]
    raw_id_fields = ["profile"]
