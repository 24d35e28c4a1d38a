"""Security headers of site and platform responses, and the cookies sites never set."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponse

from profiles.links import platform_url

# Powerful browser features no page of ours uses (platform and sites alike),
# denied to the page and to anything it embeds, so that injected markup that
# slipped past the sanitizer and the CSP still cannot ask for them.
# browsing-topics=() opts out of Chrome's Topics API (interest-cohort, FLoC,
# is gone from browsers).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera", "microphone", "geolocation", "payment", "usb", "serial", "hid",
        "browsing-topics",
    )
)  # fmt: skip

# Where browsers send CSP violation reports (profiles.views.security.csp_report).
CSP_REPORT_PATH = "/csp-report/"


@functools.cache
def _site_csp(report_uri: str) -> str:
    # Sites run no inline script and embed no plugins. Images may come from any
    # https source because real bios embed badges (shields.io) and photos hosted
    # elsewhere; inline style attributes stay allowed for highlighted spans.
    return "; ".join(
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
            f"report-uri {report_uri}",
        ]
    )


# XML responses of a site (the sitemap, the feed) hold nothing to run or load, and get
# a policy that says so. Browsers show such files as a tree, which Chromium draws with
# an inline <style> and data: images of its own: the page policy would block them and
# report a violation on every view.
XML_CONTENT_TYPES = {"application/xml", "text/xml", "application/atom+xml", "application/rss+xml"}


@functools.cache
def _xml_csp(report_uri: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            f"report-uri {report_uri}",
        ]
    )


def xml_csp() -> str:
    """The policy of a site's XML files: no script, no loads, the browser's own styling."""
    return _xml_csp(platform_url(CSP_REPORT_PATH))


def site_csp() -> str:
    """The sites' policy. Reports go to the platform, by an address built from
    settings only: a site page is cached and served to everyone (profiles.links)."""
    return _site_csp(platform_url(CSP_REPORT_PATH))


@functools.cache
def _platform_csp(scheme: str, sites_domain: str, port: str, report_uri: str) -> str:
    # Previews show a site's uploads from the site's own host (profiles.preview);
    # in production that is https:, allowed anyway, in development it is http.
    sites = f"{scheme}://*.{sites_domain}" + (f":{port}" if port else "")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' https: data: {sites}",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            f"report-uri {report_uri}",
        ]
    )


def platform_csp() -> str:
    """The platform's policy: a second wall behind the sanitizer for the previews.

    Style attributes stay allowed: the admin and highlighted spans in bios use them.
    """
    return _platform_csp(
        settings.PUBLIC_SCHEME,
        settings.SITES_DOMAIN,
        settings.PUBLIC_PORT,
        platform_url(CSP_REPORT_PATH),
    )


def harden_platform_response(response: HttpResponse) -> HttpResponse:
    response.headers.setdefault("Content-Security-Policy", platform_csp())
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response


def harden_site_response(response: HttpResponse) -> HttpResponse:
    # A site is public, cacheable content: it must never set a cookie, whatever
    # a view or middleware further in tried to do.
    response.cookies.clear()
    _drop_vary_cookie(response)
    # A view may set a stricter policy of its own (uploads are sandboxed).
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    policy = xml_csp() if content_type in XML_CONTENT_TYPES else site_csp()
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
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
