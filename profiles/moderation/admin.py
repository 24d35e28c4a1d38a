"""The moderation desk in the admin: decisions with a reason, the queues, the audit trail.

Every decision goes through profiles.moderation.services (audit entry, e-mail).
Lists open on what needs a moderator (open reports, items awaiting review,
pending sites) and select what they show in one query. Moderators are staff
in the "Moderators" group (migration 0007): they may view sites and content,
moderate (`profiles.moderate_profile`) and resolve reports, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from profiles.models import HiddenItem, ModerationAction, Report
from profiles.moderation.services import (
    ModerationRefused,
    hide_item,
    keep_hidden,
    resolve_report,
    unhide_item,
)

MODERATE = "profiles.moderate_profile"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text="The owner reads this in an e-mail and in their dashboard.",
    )

    def __init__(self, *args, required: bool = True, label: str = "Reason", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].label = label


def can_moderate(request: HttpRequest) -> bool:
    return request.user.has_perm(MODERATE)


def run_with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable[Model],
    *,
    title: str,
    done: str,
    apply: Callable[[Any, str], None],
    required: bool = True,
    label: str = "Reason",
    help_text: str = "",
    action: str = "",
    back_url: str = "",
) -> HttpResponse | None:
    """Ask for a reason, then apply the decision to each object and say what happened.

    An admin action returns this (None sends the moderator back to the list);
    a custom view (`back_url`) gets a redirect. `done` is "{n} site(s) published".
    """
    objects = list(objects)
    form = ReasonForm(
        request.POST if "confirmed" in request.POST else None, required=required, label=label
    )
    if help_text:
        form.fields["reason"].help_text = help_text
    if form.is_bound and form.is_valid():
        count, skipped = 0, []
        for obj in objects:
            try:
                apply(obj, form.cleaned_data["reason"])
                count += 1
            except ModerationRefused as refusal:
                skipped.append(str(refusal))
        text = done.format(n=count)
        if skipped:
            text += f"; {len(skipped)} skipped: " + " ".join(skipped)
        modeladmin.message_user(request, text, messages.WARNING if skipped else messages.SUCCESS)
        return HttpResponseRedirect(back_url) if back_url else None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "objects": objects,
        "form": form,
        "action": action,
        "opts": modeladmin.model._meta,
        "back_url": back_url,
    }
    return TemplateResponse(request, "admin/moderation_reason.html", context)


class _ReadOnlyAdmin(admin.ModelAdmin):
    """A record: nobody edits or adds it by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class _OpensOn:
    """A changelist that, opened without filters, shows one filter's value (the queue)."""

    default_filter: tuple[str, str] = ("", "")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        name, value = self.default_filter
        if name and not request.GET and request.method == "GET":
            return HttpResponseRedirect(f"{request.path}?{name}={value}")
        return super().changelist_view(request, extra_context)  # type: ignore[misc]


@admin.register(ModerationAction)
class ModerationActionAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "site", "kind", "target", "reason", "actor"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["profile", "actor"]
    search_fields = ["profile__slug", "target", "reason", "actor__email"]
    date_hierarchy = "created_at"

    @admin.display(description="site", ordering="profile__slug")
    def site(self, action: ModerationAction) -> str:
        url = reverse("admin:profiles_profile_change", args=[action.profile_id])
        return format_html('<a href="{}">{}</a>', url, action.profile.slug)


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [("asked", "Review asked by the owner"), ("not_asked", "No review asked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "asked":
            return queryset.filter(review_requested_at__isnull=False)
        if self.value() == "not_asked":
            return queryset.filter(review_requested_at__isnull=True)
        return queryset


@admin.register(HiddenItem)
class HiddenItemAdmin(_OpensOn, _ReadOnlyAdmin):
    """Hidden items; opens on those whose owner asked for a review."""

    default_filter = ("review", "asked")
    list_display = ["label_with_site", "kind", "reason", "hidden_at", "review_requested_at"]
    list_filter = [AwaitingReviewFilter, "kind"]
    list_select_related = ["profile", "publication", "news_item", "hidden_by"]
    search_fields = ["profile__slug", "reason", "publication__key", "news_item__title"]
    actions = ["put_back", "keep_hidden"]
    ordering = ["review_requested_at", "-hidden_at"]

    @admin.display(description="item")
    def label_with_site(self, hidden: HiddenItem) -> str:
        url = reverse("admin:profiles_profile_change", args=[hidden.profile_id])
        return format_html('{} of <a href="{}">{}</a>', hidden.label, url, hidden.profile.slug)

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return can_moderate(request)

    @admin.action(description="Put back on the site", permissions=["moderate"])
    def put_back(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return run_with_reason(
            self, request, queryset, title="Put these items back on their sites",
            done="{n} item(s) put back", required=False, label="Note to the owner (optional)",
            apply=lambda hidden, reason: unhide_item(
                hidden=hidden, actor=request.user, reason=reason
            ),
            action="put_back",
        )  # fmt: skip

    @admin.action(description="Keep hidden (answer the review)", permissions=["moderate"])
    def keep_hidden(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return run_with_reason(
            self, request, queryset, title="Keep these items hidden",
            done="{n} item(s) kept hidden",
            apply=lambda hidden, reason: keep_hidden(
                hidden=hidden, actor=request.user, reason=reason
            ),
            action="keep_hidden",
        )  # fmt: skip


class OpenReportsFirst(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return Report.Status.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Report)
class ReportAdmin(_OpensOn, admin.ModelAdmin):
    """Visitors' reports; opens on the open ones."""

    default_filter = ("status", Report.Status.OPEN)
    list_display = ["created_at", "site", "page", "reason", "excerpt", "contact_email", "status"]
    list_filter = [OpenReportsFirst, "reason"]
    list_select_related = ["profile"]
    search_fields = ["profile__slug", "page_url", "message", "contact_email"]
    actions = ["resolve"]
    readonly_fields = [
        "profile", "page_url", "reason", "message", "contact_email", "status", "created_at",
        "resolved_at", "resolved_by", "action_taken",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # visitors file them, on the report form

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return can_moderate(request) and request.user.has_perm("profiles.change_report")

    @admin.display(description="site", ordering="profile__slug")
    def site(self, report: Report) -> str:
        url = reverse("admin:profiles_profile_change", args=[report.profile_id])
        return format_html('<a href="{}">{}</a>', url, report.profile.slug)

    @admin.display(description="page")
    def page(self, report: Report) -> str:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', report.page_url,
                           report.page_url)  # fmt: skip

    @admin.display(description="message")
    def excerpt(self, report: Report) -> str:
        return report.message if len(report.message) <= 120 else report.message[:119] + "…"

    @admin.action(description="Resolve (say what was done)", permissions=["moderate"])
    def resolve(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return run_with_reason(
            self, request, queryset.filter(status=Report.Status.OPEN),
            title="Resolve these reports", done="{n} report(s) resolved",
            label="What was done",
            help_text="Reporters who left an address get this in an e-mail.",
            apply=lambda report, text: resolve_report(
                report=report, actor=request.user, action_taken=text
            ),
            action="resolve",
        )  # fmt: skip


class HideAndPutBack:
    """Admin actions for a site's items (publications, news): hide with a reason, put back."""

    hidden_kind = ""  # HiddenItem.Kind: "publication" or "news"
    actions = ["hide", "put_back"]

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return can_moderate(request)

    def _hide_one(self, request: HttpRequest, item: Model, reason: str) -> None:
        target = {"publication": item} if self.hidden_kind == "publication" else {"news_item": item}
        hide_item(
            profile=item.profile, kind=self.hidden_kind, actor=request.user, reason=reason, **target
        )

    @admin.action(description="Hide from the site (with a reason)", permissions=["moderate"])
    def hide(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return run_with_reason(
            self, request, queryset.select_related("profile"),
            title="Hide these items from their sites", done="{n} item(s) hidden",
            apply=lambda item, reason: self._hide_one(request, item, reason), action="hide",
        )  # fmt: skip

    @admin.action(description="Put back on the site", permissions=["moderate"])
    def put_back(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        def apply(item: Model, reason: str) -> None:
            hidden = HiddenItem.objects.filter(**{self._field(): item}).first()
            if hidden is None:
                raise ModerationRefused(f"“{item}” is not hidden.")
            unhide_item(hidden=hidden, actor=request.user, reason=reason)

        return run_with_reason(
            self, request, queryset.select_related("profile"),
            title="Put these items back on their sites", done="{n} item(s) put back",
            required=False, label="Note to the owner (optional)", apply=apply, action="put_back",
        )  # fmt: skip

    def _field(self) -> str:
        return "publication" if self.hidden_kind == "publication" else "news_item"
