"""Public site pages. `request.tenant` is the published profile being served."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html", {"profile": request.tenant})
