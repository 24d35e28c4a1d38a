"""NUL characters in a request's address never reach a view.

No path or query of ours has a use for one, and PostgreSQL cannot compare or store
text holding one: `/publications/a%00b/` reached the paper lookup and failed with a
server error there, and a search or report parameter could do the same. One rule
at the door beats a check in every view that reads the address:

- a path holding one names nothing we serve: a plain 400 page;
- a query holding one is read without it (`?q=tomas%00gottingen` searches for
  "tomasgottingen"), as a search box should: the visitor still gets a page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from profiles.links import platform_url
from profiles.site_headers import harden_platform_response


class NulInAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            html = render_to_string("400_address.html", {"platform_home": platform_url()})
            return harden_platform_response(HttpResponse(html, status=400))
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            # request.GET is parsed from this on first use, which comes after us.
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        return self.get_response(request)
