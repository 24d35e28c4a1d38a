from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from profiles.models import CustomDomain, Profile, SocialLink, User
from profiles.preview import SitePreview
from profiles.views.preview import render_site_page


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    extra = 0
    fields = ["position", "network", "value", "title"]
    ordering = ["position", "id"]


class CustomDomainInline(admin.TabularInline):
    model = CustomDomain
    extra = 0
    fields = ["host", "verified"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "full_name",
        "owner",
        "status",
        "site_link",
        "preview_link",
        "updated_at",
    ]
    list_filter = ["status"]
    list_select_related = ["owner"]
    search_fields = ["slug", "first_name", "last_name", "owner__email"]
    readonly_fields = ["created_at", "updated_at"]
    raw_id_fields = ["owner"]
    inlines = [SocialLinkInline, CustomDomainInline]
    actions = ["publish", "suspend"]
    fieldsets = [
        (None, {"fields": ["owner", "slug", "status", "created_at", "updated_at"]}),
        (
            "About page",
            {
                "fields": [
                    "first_name", "middle_name", "last_name", "subtitle", "affiliation",
                    "research_interests", "bio", "more_info", "contact_note",
                ]
            },
        ),
        (
            "Photo and options",
            {
                "classes": ["collapse"],
                "fields": [
                    "photo_align", "photo_shape", "photo_alt", "show_announcements",
                    "announcements_limit", "announcements_scrollable", "show_selected_papers",
                    "show_social", "meta_description", "keywords", "accent_color",
                ],
            },
        ),
    ]  # fmt: skip

    class Media:
        # The bio editor's live preview styled as the site shows it.
        css = {"all": ["css/content.css"]}
        js = ["js/editor.js"]

    @admin.display(description="site")
    def site_link(self, profile: Profile) -> str:
        if not profile.is_published:
            return format_html('<span title="not public">{}</span>', profile.host)
        return format_html('<a href="{}">{}</a>', profile.get_absolute_url(), profile.host)

    @admin.display(description="preview")
    def preview_link(self, profile: Profile) -> str:
        return format_html('<a href="{}">Preview</a>', self.preview_url(profile))

    def view_on_site(self, profile: Profile) -> str:
        """The public site once published; until then (or while suspended) the preview."""
        return profile.get_absolute_url() if profile.is_published else self.preview_url(profile)

    @staticmethod
    def preview_url(profile: Profile) -> str:
        return reverse("admin:profiles_profile_preview", args=[profile.pk])

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:object_id>/preview/", preview, name="profiles_profile_preview"),
            path(
                "<int:object_id>/preview/<path:page>",
                preview,
                name="profiles_profile_preview_page",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id: int, page: str = "") -> HttpResponse:
        """Any site as its owner's preview shows it, whatever its status, for moderators."""
        profile = get_object_or_404(Profile, pk=object_id)
        if not self.has_view_permission(request, profile):
            raise PermissionDenied
        preview = SitePreview(
            profile=profile,
            root=self.preview_url(profile),
            back_url=reverse("admin:profiles_profile_change", args=[profile.pk]),
            back_label="Back to the admin",
            banner=f"Moderator preview of {profile.host} ({profile.get_status_display().lower()}).",
        )
        return render_site_page(request, preview, page)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str) -> int:
        # Save one by one (not queryset.update) so the tenancy cache hears of it.
        changed = 0
        for profile in queryset.exclude(status=status):
            profile.status = status
            profile.save(update_fields=["status", "updated_at"])
            changed += 1
        return changed

    @admin.action(description="Publish selected sites")
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = self._set_status(request, queryset, Profile.Status.PUBLISHED)
        self.message_user(request, f"{n} site(s) published.", messages.SUCCESS)

    @admin.action(description="Suspend selected sites")
    def suspend(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = self._set_status(request, queryset, Profile.Status.SUSPENDED)
        self.message_user(request, f"{n} site(s) suspended.", messages.WARNING)


@admin.register(CustomDomain)
class CustomDomainAdmin(admin.ModelAdmin):
    list_display = ["host", "profile", "verified", "created_at"]
    list_filter = ["verified"]
    list_select_related = ["profile"]
    search_fields = ["host", "profile__slug"]
    raw_id_fields = ["profile"]
