"""The "Report this page" link of the public site's footer (profiles.moderation.reports)."""

from __future__ import annotations

from django import template
from django.utils.encoding import escape_uri_path

from profiles.moderation.reports import report_url

register = template.Library()


@register.simple_tag(takes_context=True)
def report_page_url(context: template.Context) -> str:
    """The report form for the page being rendered; empty in previews, which are not public.

    The page is the site's host (from settings) and the request's path, never
    the Host header, so a cached page links the same for everyone.
    """
    request = context.get("request")
    profile = context.get("profile")
    if request is None or profile is None:
        return ""
    if context.get("site_preview") is not None or getattr(request, "site_preview", None):
        return ""
    return report_url(profile, escape_uri_path(request.path))
