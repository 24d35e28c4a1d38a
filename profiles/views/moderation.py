"""The owner's side of moderation: what was hidden and why, and asking for a review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from profiles.dashboard import owned_profile
from profiles.models import HiddenItem
from profiles.moderation.services import request_review

SECTION = {"section": "moderation"}


def edit_url(hidden: HiddenItem) -> str:
    """Where the owner changes a hidden item."""
    if hidden.kind == HiddenItem.Kind.PUBLICATION:
        return reverse("dashboard_publication_edit", args=[hidden.publication_id])
    if hidden.kind == HiddenItem.Kind.NEWS:
        return reverse("dashboard_news_edit", args=[hidden.news_item_id])
    if hidden.kind == HiddenItem.Kind.PHOTO:
        return reverse("dashboard_photo")
    return reverse("dashboard_profile")


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    hidden = list(
        HiddenItem.objects.filter(profile=profile).select_related("publication", "news_item")
    )
    for item in hidden:
        item.edit_url = edit_url(item)
    return render(
        request,
        "platform/dashboard/moderation.html",
        {**SECTION, "profile": profile, "hidden": hidden},
    )


@login_required
@require_POST
def ask_for_review(request: HttpRequest, pk: int) -> HttpResponse:
    hidden = get_object_or_404(HiddenItem, pk=pk, profile=owned_profile(request))
    request_review(hidden=hidden)
    messages.success(
        request,
        f"Thank you: {hidden.label} is back in front of a moderator. You will get an e-mail "
        "when they have looked at it.",
    )
    return redirect("dashboard_moderation")
