from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from profiles.models import (
    CspReport,
    CustomDomain,
    HiddenItem,
    ModerationAction,
    Profile,
    Report,
    SocialLink,
    User,
)
from profiles.moderation.admin import _OpensOn, can_moderate, run_with_reason
from profiles.moderation.services import (
    delete_site,
    hide_item,
    publish_site,
    reinstate_site,
    restore_site,
    revoke_domain,
    suspend_site,
)
from profiles.preview import SitePreview
from profiles.views.preview import render_site_page


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email", "email_confirmed", "first_name", "last_name", "is_staff", "is_active",
        "date_joined",
    ]  # fmt: skip
    list_filter = ["email_confirmed", "is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "email_confirmed", "password"]}),
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


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on a site's page that are changed elsewhere, never here."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CustomDomainInline(ReadOnlyInline):
    """The site's domains, as its owner manages them; revoke one from the domains list."""

    model = CustomDomain
    fields = ["host", "verified", "verified_at", "last_checked_at", "last_check_message"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = "custom domains (owner-managed; revoke from the custom domains list)"


class ModerationActionInline(ReadOnlyInline):
    """The site's audit trail, newest first, on its admin page."""

    model = ModerationAction
    fields = ["created_at", "kind", "target", "reason", "actor"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = "moderation history"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")


class HiddenItemInline(ModerationActionInline):
    model = HiddenItem
    fields = ["kind", "label", "reason", "hidden_at", "review_requested_at"]
    readonly_fields = fields
    ordering = ["-hidden_at"]
    verbose_name_plural = "hidden items"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return admin.TabularInline.get_queryset(self, request).select_related(
            "publication", "news_item"
        )


class ReportInline(ModerationActionInline):
    model = Report
    fields = ["created_at", "page_url", "reason", "message", "status", "action_taken"]
    readonly_fields = fields
    ordering = ["-created_at"]
    verbose_name_plural = "reports"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return admin.TabularInline.get_queryset(self, request)


def _count(model, **filters) -> Subquery:
    """A per-row count as a subquery: one query for the whole list, no join blow-up."""
    rows = model.objects.filter(profile=OuterRef("pk"), **filters).order_by()
    return Subquery(
        rows.values("profile").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
    )


# What a moderator can decide about a site from its page, and what each asks for.
SITE_DECISIONS = {
    "publish": ("Publish", "published", False, publish_site),
    "suspend": ("Suspend", "suspended", True, suspend_site),
    "reinstate": ("Reinstate", "reinstated", False, reinstate_site),
    "delete": ("Delete", "deleted", True, delete_site),
    "restore": ("Restore", "restored", False, restore_site),
}
# What the reason form says under each decision that needs more than the default.
DECISION_HELP = {
    "delete": "The owner reads this in an e-mail. The site leaves the web at once and the "
    "account is closed; everything is kept, and can be restored, for {days} days, then "
    "erased for good (manage.py purge_deleted).",
    "restore": "Everything comes back as it was before the deletion, and the owner can log "
    "in again with their old password. They read this note in an e-mail.",
}


def _decision_help(decision: str) -> str:
    return DECISION_HELP.get(decision, "").format(days=settings.DELETED_SITE_RETENTION_DAYS)


@admin.register(Profile)
class ProfileAdmin(_OpensOn, admin.ModelAdmin):
    """Sites; opens on those waiting for review. Decisions are actions with a reason."""

    default_filter = ("status__exact", Profile.Status.PENDING)
    change_form_template = "admin/profiles/profile/change_form.html"
    list_display = [
        "slug",
        "full_name",
        "owner",
        "owner_confirmed",
        "status",
        "open_reports",
        "hidden",
        "site_link",
        "preview_link",
        "updated_at",
        "purge_on",
    ]
    # status: "Deleted, awaiting purge" lists deleted sites, with their purge dates.
    list_filter = ["status", "owner__email_confirmed"]
    list_select_related = ["owner"]
    search_fields = ["slug", "first_name", "last_name", "owner__email"]
    # The status changes only by a decision (with its audit entry and e-mail), the address
    # only from the owner's dashboard (which reserves and redirects the old one).
    readonly_fields = [
        "slug", "status", "status_reason", "bio_hidden", "photo_hidden", "created_at",
        "updated_at", "deleted_at", "deleted_by", "deletion_reason", "purge_on",
    ]  # fmt: skip
    raw_id_fields = ["owner"]
    inlines = [
        HiddenItemInline, ReportInline, ModerationActionInline, SocialLinkInline,
        CustomDomainInline,
    ]  # fmt: skip
    actions = ["publish", "suspend", "reinstate", "delete_sites", "restore"]
    fieldsets = [
        (
            None,
            {"fields": ["owner", "slug", "status", "status_reason", "created_at", "updated_at"]},
        ),
        (
            "Deletion",
            {"fields": ["deleted_at", "deleted_by", "deletion_reason", "purge_on"]},
        ),
        (
            "About page",
            {
                "fields": [
                    "first_name", "middle_name", "last_name", "subtitle", "affiliation",
                    "research_interests", "bio", "bio_hidden", "more_info", "contact_note",
                ]
            },
        ),
        (
            "Photo and options",
            {
                "classes": ["collapse"],
                "fields": [
                    "photo_hidden", "photo_align", "photo_shape", "photo_alt",
                    "show_announcements", "announcements_limit", "announcements_scrollable",
                    "show_selected_papers", "show_social", "meta_description", "keywords",
                    "accent_color",
                ],
            },
        ),
    ]  # fmt: skip

    class Media:
        # The bio editor's live preview styled as the site shows it.
        css = {"all": ["css/content.css"]}
        js = ["js/editor.js"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_report_count=_count(Report, status=Report.Status.OPEN),
                hidden_count=_count(HiddenItem),
            )
        )

    def get_fieldsets(self, request: HttpRequest, obj: Profile | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.is_deleted:
            return [fieldset for fieldset in fieldsets if fieldset[0] != "Deletion"]
        return fieldsets

    def has_delete_permission(self, request: HttpRequest, obj: Profile | None = None) -> bool:
        # Nothing erases a site from the admin at once, nor its account (the user
        # admin's delete lists the profile, and is refused for it): deleting is the
        # recoverable "Delete" decision, and only the purge erases, days later.
        return False

    @admin.display(description="erased on", ordering="deleted_at")
    def purge_on(self, profile: Profile) -> str:
        """For a deleted site, the day the purge may erase it; a restore is possible until then."""
        if profile.purge_after is None:
            return "-"
        return date_format(timezone.localtime(profile.purge_after), "j M Y")

    @admin.display(description="confirmed", boolean=True, ordering="owner__email_confirmed")
    def owner_confirmed(self, profile: Profile) -> bool:
        return profile.owner.email_confirmed

    @admin.display(description="open reports", ordering="open_report_count")
    def open_reports(self, profile: Profile) -> int:
        return profile.open_report_count or 0

    @admin.display(description="hidden items", ordering="hidden_count")
    def hidden(self, profile: Profile) -> int:
        return profile.hidden_count or 0

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
            path(
                "<int:object_id>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="profiles_profile_decide",
            ),
            path(
                "<int:object_id>/hide/<str:kind>/",
                self.admin_site.admin_view(self.hide_view),
                name="profiles_profile_hide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        profile = self.get_object(request, object_id)
        extra = {"can_moderate": can_moderate(request), "decisions": []}
        if profile is not None and extra["can_moderate"]:
            extra["decisions"] = [
                (decision, f"{SITE_DECISIONS[decision][0]} the site")
                for decision in _decisions_for(profile)
            ]
            extra["can_hide_bio"] = bool(profile.bio) and not profile.bio_hidden
            extra["can_hide_photo"] = bool(profile.photo) and not profile.photo_hidden
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

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

    def _moderated(self, request: HttpRequest, object_id: int) -> Profile:
        if not can_moderate(request):
            raise PermissionDenied
        return get_object_or_404(Profile, pk=object_id)

    def decide_view(self, request: HttpRequest, object_id: int, decision: str) -> HttpResponse:
        """Publish, suspend or reinstate one site from its page, with a reason."""
        profile = self._moderated(request, object_id)
        if decision not in SITE_DECISIONS:
            raise Http404
        verb, done, required, apply = SITE_DECISIONS[decision]
        return run_with_reason(
            self, request, [profile], title=f"{verb} {profile.slug}",
            done=f"{{n}} site(s) {done}", required=required,
            label="Reason" if required else "Note to the owner (optional)",
            help_text=_decision_help(decision),
            apply=lambda site, reason: apply(profile=site, actor=request.user, reason=reason),
            back_url=reverse("admin:profiles_profile_change", args=[profile.pk]),
        )  # fmt: skip

    def hide_view(self, request: HttpRequest, object_id: int, kind: str) -> HttpResponse:
        """Hide the bio or the photo of one site, with a reason."""
        profile = self._moderated(request, object_id)
        if kind not in (HiddenItem.Kind.BIO, HiddenItem.Kind.PHOTO):
            raise Http404
        return run_with_reason(
            self, request, [profile], title=f"Hide the {kind} of {profile.slug}",
            done=f"{{n}} {kind} hidden",
            apply=lambda site, reason: hide_item(
                profile=site, kind=kind, actor=request.user, reason=reason
            ),
            back_url=reverse("admin:profiles_profile_change", args=[profile.pk]),
        )  # fmt: skip

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return can_moderate(request)

    def _decide_many(self, request: HttpRequest, queryset: QuerySet, decision: str):
        verb, done, required, apply = SITE_DECISIONS[decision]
        return run_with_reason(
            self, request, queryset.select_related("owner"),
            title=f"{verb} these sites", done=f"{{n}} site(s) {done}",
            required=required, label="Reason" if required else "Note to the owners (optional)",
            help_text=_decision_help(decision),
            apply=lambda site, reason: apply(profile=site, actor=request.user, reason=reason),
            action=ACTION_OF.get(decision, decision),
        )  # fmt: skip

    @admin.action(description="Publish selected sites", permissions=["moderate"])
    def publish(self, request: HttpRequest, queryset: QuerySet):
        return self._decide_many(request, queryset, "publish")

    @admin.action(description="Suspend selected sites", permissions=["moderate"])
    def suspend(self, request: HttpRequest, queryset: QuerySet):
        return self._decide_many(request, queryset, "suspend")

    @admin.action(description="Reinstate selected sites", permissions=["moderate"])
    def reinstate(self, request: HttpRequest, queryset: QuerySet):
        return self._decide_many(request, queryset, "reinstate")

    @admin.action(description="Delete selected sites (restorable until purged)",
                  permissions=["moderate"])  # fmt: skip
    def delete_sites(self, request: HttpRequest, queryset: QuerySet):
        return self._decide_many(request, queryset, "delete")

    @admin.action(description="Restore selected deleted sites", permissions=["moderate"])
    def restore(self, request: HttpRequest, queryset: QuerySet):
        return self._decide_many(request, queryset, "restore")


# The admin action's name where it is not the decision's ("delete" would shadow
# ModelAdmin.delete_* names, and reads like Django's own immediate delete).
ACTION_OF = {"delete": "delete_sites"}


def _decisions_for(profile: Profile) -> list[str]:
    if profile.status == Profile.Status.PENDING:
        return ["publish", "suspend", "delete"]
    if profile.status == Profile.Status.PUBLISHED:
        return ["suspend", "delete"]
    if profile.status == Profile.Status.DELETED:
        return ["restore"]
    return ["reinstate", "delete"]


@admin.register(CustomDomain)
class CustomDomainAdmin(admin.ModelAdmin):
    """Every site's domains. Owners add and verify them; moderators revoke, with a reason."""

    list_display = [
        "host", "site", "verified", "is_primary", "last_checked_at", "failed_checks",
        "last_check_message", "created_at",
    ]  # fmt: skip
    list_filter = ["verified"]
    list_select_related = ["profile"]
    search_fields = ["host", "profile__slug"]
    raw_id_fields = ["profile"]
    actions = ["revoke"]
    SHOWN = [
        "host", "profile", "verified", "verified_at", "last_checked_at", "failed_checks",
        "last_check_message", "created_at",
    ]  # fmt: skip

    # An admin may add a domain for a site, unverified (its owner then verifies it
    # from the dashboard); nobody edits one by hand: verifying is DNS's proof, and
    # taking it away is a revoke, with its reason, audit entry and e-mail.
    def get_fields(self, request: HttpRequest, obj: CustomDomain | None = None) -> list[str]:
        return ["host", "profile"] if obj is None else self.SHOWN

    def get_readonly_fields(self, request: HttpRequest, obj: CustomDomain | None = None):
        return [] if obj is None else self.SHOWN

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return can_moderate(request)

    @admin.display(description="site", ordering="profile__slug")
    def site(self, domain: CustomDomain) -> str:
        url = reverse("admin:profiles_profile_change", args=[domain.profile_id])
        return format_html('<a href="{}">{}</a>', url, domain.profile.slug)

    @admin.display(description="main address", boolean=True)
    def is_primary(self, domain: CustomDomain) -> bool:
        return domain.verified and domain.profile.primary_domain == domain.host

    @admin.action(description="Revoke selected domains", permissions=["moderate"])
    def revoke(self, request: HttpRequest, queryset: QuerySet):
        return run_with_reason(
            self, request, queryset.select_related("profile"),
            title="Revoke these domains", done="{n} domain(s) revoked",
            help_text="The owner reads this in an e-mail. The domain stops serving at once.",
            apply=lambda domain, reason: revoke_domain(
                domain=domain, actor=request.user, reason=reason
            ),
            action="revoke",
        )  # fmt: skip


@admin.register(CspReport)
class CspReportAdmin(admin.ModelAdmin):
    """What browsers reported our policies blocked: read-only (deleting clears noise)."""

    list_display = ["received_at", "violated_directive", "blocked_uri", "document_uri"]
    list_filter = ["violated_directive"]
    search_fields = ["document_uri", "blocked_uri", "source_file"]
    date_hierarchy = "received_at"
    readonly_fields = [
        "received_at", "document_uri", "violated_directive", "blocked_uri", "source_file",
        "line", "sample", "user_agent",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CspReport | None = None) -> bool:
        return False


admin.site.site_header = "Multifolio administration"
admin.site.site_title = "Multifolio admin"
admin.site.index_title = "Moderation and sites"
