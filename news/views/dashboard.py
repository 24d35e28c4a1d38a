"""The researcher's news in the dashboard: list with search, write, edit, delete. Owner only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from news import services
from news.forms import NewsItemForm
from news.models import NewsItem
from profiles.dashboard import owned_profile
from profiles.views.dashboard import saved_message

SECTION = {"section": "news"}


def _owned_item(request: HttpRequest, pk: int) -> NewsItem:
    return get_object_or_404(NewsItem, pk=pk, profile=owned_profile(request))


@login_required
def news_list(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    query = request.GET.get("q", "").strip()
    items = NewsItem.objects.filter(profile=profile).newest_first()
    if query:
        items = items.filter(Q(title__icontains=query) | Q(content__icontains=query))
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "platform/dashboard/news/list.html",
        {**SECTION, "profile": profile, "page": page, "query": query, "now": timezone.now()},
    )


def _edit(request: HttpRequest, item: NewsItem, *, created: bool) -> HttpResponse:
    profile = owned_profile(request)
    form = NewsItemForm(request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = services.save_news_item(profile=profile, item=form.save(commit=False))
        what = "News item added." if created else "Saved."
        if saved.date > timezone.now():
            when = f"{saved.date:%b %d, %Y %H:%M}"
            messages.success(
                request, f"{what} It is dated {when} and shows on your site from then."
            )
        else:
            messages.success(request, saved_message(profile, what))
        return redirect("dashboard_news")
    return render(
        request,
        "platform/dashboard/news/edit.html",
        {**SECTION, "profile": profile, "form": form, "item": item, "created": created},
    )


@login_required
def create_item(request: HttpRequest) -> HttpResponse:
    return _edit(request, NewsItem(profile=owned_profile(request)), created=True)


@login_required
def edit_item(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _owned_item(request, pk), created=False)


@login_required
@require_POST
def delete_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _owned_item(request, pk)
    label = item.title or f"The item of {item.date:%b %d, %Y}"
    try:
        services.delete_news_item(item=item)
    except services.HiddenByModerator:
        messages.warning(
            request,
            f"{label} was not deleted: a moderator hid it, so it is not on your site. "
            "Edit it and ask for a review, or wait for a moderator's decision.",
        )
        return redirect("dashboard_news")
    messages.success(request, f"{label} deleted.")
    return redirect("dashboard_news")
