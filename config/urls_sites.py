"""URLs of a researcher's site, `<slug>.<SITES_DOMAIN>` or a verified custom domain.

The tenancy middleware selects this URLconf and sets `request.tenant`.
"""

from django.urls import path
from django.views.generic import RedirectView

from news.views import site as news
from profiles.views import media, site
from publications.views import site as publications

urlpatterns = [
    path("", site.about, name="about"),
    path("email/", site.email, name="email"),
    path("robots.txt", site.robots_txt, name="robots"),
    path("sitemap.xml", site.sitemap, name="sitemap"),
    path("favicon.svg", site.favicon, name="favicon"),
    path("favicon.ico", RedirectView.as_view(url="/favicon.svg", permanent=True)),
    path("media/<path:name>", media.site_media, name="site_media"),
    # An imported al-folio site's old file addresses (profiles.views.media.moved_asset).
    path("assets/<path:path>", media.moved_asset, name="moved_asset"),
    path("publications/", publications.publications_page, name="publications"),
    path("publications.bib", publications.bibtex_download, name="publications_bibtex"),
    # Citation keys may hold "/" (DOIs as keys): a path converter, the longer route first.
    path(
        "publications/<path:key>/bibtex/",
        publications.paper_bibtex_download,
        name="paper_bibtex",
    ),
    path("publications/<path:key>/", publications.paper, name="paper"),
    path("news/", news.news_index, name="news"),
    path("news/<slug:slug>/", news.news_item, name="news_item"),
    path("feed.xml", news.feed, name="feed"),
]

# A database outage anywhere in the stack is a 503 page, not a 500 (profiles.unavailable).
handler500 = "profiles.unavailable.server_error"
