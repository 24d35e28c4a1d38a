"""Tenancy: the first middleware. One look at the Host header decides everything.

- the platform host (and its aliases) -> the platform URLconf;
- `<slug>.<SITES_DOMAIN>` or a verified custom domain -> that researcher's site
  (`request.tenant`, the sites URLconf), if it is published, else a 404 page;
- anything else -> a 400 page. Nothing after this middleware ever sees a host
  we did not recognise, which is why ALLOWED_HOSTS can be "*".
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from profiles.hosts import HostKind, classify_host, is_ip_address, parse_host_header
from profiles.links import platform_url
from profiles.site_headers import harden_platform_response, harden_site_response
from profiles.tenancy import resolve_site


class TenancyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.get_host() would trust ALLOWED_HOSTS ("*"); read the raw value.
        host = parse_host_header(request._get_raw_host())
        if host is None:
            return _error_page(request, 400)
        host_class = classify_host(host)
        request.tenant = None

        if host_class.kind is HostKind.PLATFORM:
            return harden_platform_response(self.get_response(request))

        if host_class.kind is HostKind.OTHER and is_ip_address(host):
            return _error_page(request, 400)  # an IP is never a custom domain
        profile = resolve_site(host_class)
        if profile is None:
            # Under our sites domain the visitor asked for a site that does not
            # exist; any other host is simply not ours.
            status = 404 if host_class.kind is HostKind.SITE_SLUG else 400
            return harden_site_response(_error_page(request, status))
        if not profile.is_published:
            return harden_site_response(_error_page(request, 404))

        request.tenant = profile
        request.urlconf = settings.SITES_URLCONF
        return harden_site_response(self.get_response(request))


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    """A rendered error page that needs nothing from the (unknown) host."""
    html = render_to_string(f"{status}.html", {"platform_home": platform_url()})
    return HttpResponse(html, status=status)
