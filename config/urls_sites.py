"""URLs of a researcher's site, `<slug>.<SITES_DOMAIN>` or a verified custom domain.

The tenancy middleware selects this URLconf and sets `request.tenant`.
"""

from django.urls import path
from django.views.generic import RedirectView

from profiles.views import media, site

urlpatterns = [
    path("", site.about, name="about"),
    path("email/", site.email, name="email"),
    path("robots.txt", site.robots_txt, name="robots"),
    path("sitemap.xml", site.sitemap, name="sitemap"),
    path("favicon.svg", site.favicon, name="favicon"),
    path("favicon.ico", RedirectView.as_view(url="/favicon.svg", permanent=True)),
    path("media/<path:name>", media.site_media, name="site_media"),
]
