"""The admin site: active staff who passed the second factor in this session."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from profiles.two_factor.gate import is_verified


class VerifiedAdminSite(admin.AdminSite):
    """Django's AdminSite, which also requires `request.user.is_verified()`.

    TwoFactorMiddleware sends a staff member who has not given a code to the
    code page before any admin URL runs. This is the second lock, for the day the
    admin is reached another way (another mount point, a middleware reordered):
    then an unverified staff member is a visitor without permission, as
    django-otp's own OTPAdminSite treats them.
    """

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_verified(request.user)
