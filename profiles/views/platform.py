"""Platform pages that anyone may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from profiles.models import Profile


def landing(request: HttpRequest) -> HttpResponse:
    sites = Profile.objects.published().only("slug", "first_name", "middle_name", "last_name")
    return render(request, "platform/landing.html", {"sites": sites})
