"""URLs of a researcher's site, `<slug>.<SITES_DOMAIN>` or a verified custom domain.

The tenancy middleware selects this URLconf and sets `request.tenant`.
"""

from django.urls import include, path

from profiles.views import site

urlpatterns = [
    path("", site.about, name="about"),
    path("", include("config.urls_media")),
]
