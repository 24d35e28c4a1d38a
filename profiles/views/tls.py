"""Caddy's on-demand TLS "ask": may it get a certificate for this name?

Caddy asks before requesting a certificate for a name it has none for
(deploy/Caddyfile): GET /tls/ask?domain=NAME on the platform host, from
loopback. A yes only for names we serve, so nobody can make us spend Let's
Encrypt's rate limits (or fill the disk) with names of their choosing:

- 200: the platform host; a published site's slug host or verified custom
  domain; a suspended site's (it answers a page saying it is unavailable,
  which deserves https like any other); a renamed site's former slug host
  while it redirects (profiles.former_slugs);
- 404: anything else, including a site waiting for review (it gets its
  certificate on its first visit once published) and a domain not verified;
- 400: no name, or not a host name.

Fast: the tenancy cache answers (profiles.tenancy): one query when cold, none
when warm. Sets no cookie and reads no session.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from profiles.hosts import HOSTNAME_RE, HostKind, classify_host, is_ip_address, normalize_host
from profiles.models import Profile
from profiles.tenancy import former_site, resolve_site

# A site in these states answers on its hosts over https (a page, or a 403 page).
_SERVED = {Profile.Status.PUBLISHED, Profile.Status.SUSPENDED}


@never_cache
@require_safe
def ask(request: HttpRequest) -> HttpResponse:
    name = normalize_host(request.GET.get("domain", ""))
    if not HOSTNAME_RE.fullmatch(name):
        return _answer(400, "not a host name")
    if is_ip_address(name):
        return _answer(404, "an IP address: never one of ours")
    host_class = classify_host(name)
    if host_class.kind is HostKind.PLATFORM:
        return _answer(200, "the platform")
    profile = resolve_site(host_class)
    if profile is not None:
        if profile.status in _SERVED:
            return _answer(200, f"site {profile.slug}")
        return _answer(404, "a site that is not published yet")
    moved_to = former_site(host_class)
    if moved_to is not None and moved_to.status in _SERVED:
        return _answer(200, f"former address of {moved_to.slug}")
    return _answer(404, "not ours")


def _answer(status: int, why: str) -> HttpResponse:
    # The body is for a person reading Caddy's logs or running curl; Caddy reads the status.
    return HttpResponse(why + "\n", status=status, content_type="text/plain; charset=utf-8")
