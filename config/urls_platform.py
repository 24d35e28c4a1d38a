"""URLs of the platform host: landing page and admin (the dashboard comes next)."""

from django.contrib import admin
from django.urls import include, path

from profiles.views import platform

urlpatterns = [
    path("", platform.landing, name="landing"),
    path("admin/", admin.site.urls),
    path("", include("config.urls_media")),
]
