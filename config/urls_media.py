"""Uploaded media, served by Django only when SERVE_MEDIA is on (development).

Both URLconfs include it: a site's photo lives under its own host, so pages
need no cross-origin requests.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

urlpatterns = (
    [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
    if settings.SERVE_MEDIA
    else []
)
