"""Security headers of site and platform responses, and the cookies sites never set."""

from __future__ import annotations

from django.http import HttpResponse

# Sites run no inline script and embed no plugins. Images may come from any
# https source because real bios embed badges (shields.io) and photos hosted
# elsewhere; inline style attributes stay allowed for highlighted spans.
SITE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The platform (dashboard, admin) shows owners' sanitized HTML in the live
# preview; the policy is a second wall behind the sanitizer. Style attributes
# stay allowed: the admin and highlighted spans in bios use them.
PLATFORM_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def harden_platform_response(response: HttpResponse) -> HttpResponse:
    response.headers.setdefault("Content-Security-Policy", PLATFORM_CSP)
    return response


def harden_site_response(response: HttpResponse) -> HttpResponse:
    # A site is public, cacheable content: it must never set a cookie, whatever
    # a view or middleware further in tried to do.
    response.cookies.clear()
    _drop_vary_cookie(response)
    response.headers["Content-Security-Policy"] = SITE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def _drop_vary_cookie(response: HttpResponse) -> None:
    """Sites do not vary by cookie; a stray `Vary: Cookie` would defeat shared caches."""
    if "Vary" not in response.headers:
        return
    kept = [v.strip() for v in response.headers["Vary"].split(",") if v.strip().lower() != "cookie"]
    if kept:
        response.headers["Vary"] = ", ".join(kept)
    else:
        del response.headers["Vary"]
