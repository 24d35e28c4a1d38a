"""Tenancy: one look at the Host header decides everything.

- the platform host (and its aliases) -> the platform URLconf;
- `<slug>.<SITES_DOMAIN>` or a verified custom domain -> that researcher's site
  (`request.tenant`, the sites URLconf), if it is published, else a 404, 403
  or 410 page that says, politely and to everyone, why there is nothing to
  see; a renamed site's former slug -> a 301 to the same path on the new one,
  for 90 days (a 410 once the site is deleted);
- a published site whose owner chose a primary domain, on any of its other
  hosts -> a 301 to the same path and query there, so search engines and
  visitors see one address; uploads excepted. Without a primary, every verified
  host serves the site, with canonical links to the slug host;
- anything else -> a 400 page. Nothing after this middleware ever sees a host
  we did not recognise, which is why ALLOWED_HOSTS can be "*".

Static files are answered before this middleware, on every host
(config/settings.py, MIDDLEWARE). One narrow way past the 404 of an
unpublished site: its own uploaded files, with a preview token, for the
owner's and moderators' previews (profiles.preview).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string

from profiles.hosts import HostKind, classify_host, is_ip_address, parse_host_header
from profiles.links import platform_url, site_url
from profiles.media import SITE_MEDIA_PATH
from profiles.models import Profile
from profiles.preview import preview_token_is_valid
from profiles.site_headers import harden_platform_response, harden_site_response
from profiles.tenancy import former_site, resolve_site

# What a site that is not published answers, by status; pending ones a 404.
ERROR_STATUS = {Profile.Status.SUSPENDED: 403, Profile.Status.DELETED: 410}


class TenancyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = None
        request.site_preview = None  # set by the preview views (profiles.views.preview)
        request.is_media_preview = False
        # request.get_host() would trust ALLOWED_HOSTS ("*"); read the raw value.
        host = parse_host_header(request._get_raw_host())
        if host is None:
            return _error_page(request, 400)
        host_class = classify_host(host)

        if host_class.kind is HostKind.PLATFORM:
            return harden_platform_response(self.get_response(request))

        if host_class.kind is HostKind.OTHER and is_ip_address(host):
            return _error_page(request, 400)  # an IP is never a custom domain
        profile = resolve_site(host_class)
        if profile is None:
            # Under our sites domain the visitor asked for a site that does not
            # exist; any other host is simply not ours.
            if host_class.kind is HostKind.SITE_SLUG:
                moved_to = former_site(host_class)
                if moved_to is not None and moved_to.is_deleted:
                    return harden_site_response(_error_page(request, 410, reason="deleted"))
                if moved_to is not None:
                    return harden_site_response(_moved(request, moved_to))
                return harden_site_response(_error_page(request, 404, reason="no_site"))
            return harden_site_response(_error_page(request, 400))
        if not profile.is_published:
            if not _is_preview_media(request, profile):
                # Pending: a 404, as for a site that is not there yet. Suspended: a 403,
                # "exists, but not shown": not a 503, which tells search engines to keep
                # the pages and retry (a suspension is often for content that should go),
                # nor a 410, which says "for good" when a reinstatement may follow.
                # Deleted: a 410, since its owner (or a moderator) wants it off the web
                # and out of search engines now; a restore is the exception.
                status = ERROR_STATUS.get(profile.status, 404)
                return harden_site_response(_error_page(request, status, reason=profile.status))
            request.is_media_preview = True
        elif (
            profile.primary_domain
            and host != profile.primary_domain
            and not request.path_info.startswith(SITE_MEDIA_PATH)
        ):
            return harden_site_response(_to_canonical(request, profile))

        request.tenant = profile
        request.urlconf = settings.SITES_URLCONF
        return harden_site_response(self.get_response(request))


def _moved(request: HttpRequest, profile: Profile) -> HttpResponse:
    """A renamed site's former address (profiles.former_slugs): the same page at the new one.

    Browsers keep a 301 as long as they are allowed to, and the old name may be
    someone else's after its 90 days: a day's keep is enough.
    """
    response = HttpResponsePermanentRedirect(site_url(profile.public_host, request.get_full_path()))
    response["Cache-Control"] = "public, max-age=86400"
    return response


# A 301 without Cache-Control is kept by browsers for good; an owner who moves
# the primary back to the slug host would then send visitors round in a loop
# (slug host -> old primary, remembered; old primary -> slug host). Ten minutes.
CANONICAL_REDIRECT_CACHE_CONTROL = "public, max-age=600"


def _to_canonical(request: HttpRequest, profile: Profile) -> HttpResponse:
    """A published site asked for on one of its other hosts: the same page at its canonical one.

    Uploads (/media/) are answered wherever asked: a file is the same on every
    host, and previews fetch them from the slug host with a token
    (profiles.preview), which the platform's CSP allows.
    """
    response = HttpResponsePermanentRedirect(site_url(profile.public_host, request.get_full_path()))
    response["Cache-Control"] = CANONICAL_REDIRECT_CACHE_CONTROL
    return response


def _is_preview_media(request: HttpRequest, profile: Profile) -> bool:
    return request.path_info.startswith(SITE_MEDIA_PATH) and preview_token_is_valid(
        profile.pk, request.GET.get("preview", "")
    )


def _error_page(request: HttpRequest, status: int, *, reason: str = "") -> HttpResponse:
    """A rendered error page that needs nothing from the (unknown) host.

    `reason` picks the words: "no_site", or the status of a site that is not
    published ("pending": 404, "suspended": 403, "deleted": 410); empty for a page
    that is missing.
    """
    context = {
        "platform_home": platform_url(),
        "reason": reason,
        "dashboard_preview": platform_url("/dashboard/preview/"),
    }
    return HttpResponse(render_to_string(f"{status}.html", context), status=status)
