"""Every dashboard object is fetched through these, scoped to the signed-in owner.

Another researcher's object is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from profiles.models import Profile, SocialLink


def owned_profile(request: HttpRequest) -> Profile:
    try:
        return request.user.profile
    except Profile.DoesNotExist:
        raise Http404("This account has no site.") from None


def owned_link(request: HttpRequest, pk: int) -> SocialLink:
    return get_object_or_404(SocialLink, pk=pk, profile=owned_profile(request))
