"""Request bodies over what their page accepts are refused before they are read.

Django reads an upload whole (to memory, then a temporary file) before any
form checks its size: a 60 MB body sent to a page that accepts 10 MB was
received in full before the 10 MB check refused it. Here the declared
Content-Length is compared first, and an oversized request gets a 413 page
without a byte of its body read. (A body without a Content-Length is not read
by Django at all: WSGI treats it as empty.) The TLS front refuses anything
over its own limit (deploy/Caddyfile, request_body) before it reaches us.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from profiles.alfolio.archive import MAX_ARCHIVE_BYTES
from profiles.images import MAX_UPLOAD_BYTES
from profiles.links import platform_url
from profiles.site_headers import harden_platform_response
from publications.services import MAX_BIBTEX_BYTES

# Room for the form around the file (other fields, multipart boundaries).
FORM_SLACK = 1024 * 1024

# The largest body each page takes, by path prefix; the first match counts.
LIMITS: tuple[tuple[str, int], ...] = (
    ("/dashboard/import/", MAX_ARCHIVE_BYTES + FORM_SLACK),
    ("/dashboard/publications/", MAX_BIBTEX_BYTES + FORM_SLACK),
)
# Photos, editor images and CVs: 10 MB each, one per form.
DEFAULT_LIMIT = MAX_UPLOAD_BYTES + FORM_SLACK


def body_limit(path: str) -> int:
    return next((limit for prefix, limit in LIMITS if path.startswith(prefix)), DEFAULT_LIMIT)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = body_limit(request.path_info)
        if declared.isdigit() and int(declared) > limit:
            return too_large(request, limit)
        return self.get_response(request)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    context = {"limit": _megabytes(limit - FORM_SLACK), "platform_home": platform_url()}
    html = render_to_string("413.html", context)
    response = harden_platform_response(HttpResponse(html, status=413))
    # The client is told we stop here: it need not send the rest of the body.
    response["Connection"] = "close"
    return response
