"""Requests whose address holds a NUL character are refused before any view reads it.

No path or query of ours has a use for one, and PostgreSQL cannot compare or store
text holding one: `/publications/a%00b/` reached the paper lookup and failed with a
server error there, and any form field or search parameter could do the same. One
check at the door beats one in every view that reads the address.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from profiles.links import platform_url
from profiles.site_headers import harden_platform_response


def holds_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path_info or "%00" in query or "\x00" in query


class NulInAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if holds_nul(request):
            html = render_to_string("400_address.html", {"platform_home": platform_url()})
            return harden_platform_response(HttpResponse(html, status=400))
        return self.get_response(request)
