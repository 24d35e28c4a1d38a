"""Django's admin app, with our admin site as `admin.site` (Django's documented way)."""

from django.contrib.admin.apps import AdminConfig


class VerifiedAdminConfig(AdminConfig):
    """django.contrib.admin, whose default site also asks for the second factor."""

    default_site = "profiles.two_factor.admin_site.VerifiedAdminSite"
