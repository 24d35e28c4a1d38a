"""One canonical address: a published site redirects every other host of its own to it,
and every absolute link it gives (canonical, Open Graph, JSON-LD, sitemap, feed,
robots, Scholar meta) names it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from news.models import NewsItem
from news.services import save_news_item
from profiles.accounts import change_slug
from profiles.domains.primary import clear_primary_if, set_primary
from profiles.models import CustomDomain, Profile
from publications.services import import_bibtex
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db

PRIMARY = "www.ada-lovelace.org"
BIB = """@article{lovelace1843notes, title = {Notes on the Engine}, author = {Lovelace, Ada},
journal = {Memoirs}, year = {1843}}"""


def get(host: str, path: str = "/", **extra):
    return Client(HTTP_HOST=host).get(path, **extra)


def verified(profile: Profile, host: str) -> CustomDomain:
    # As profiles.domains.services leaves a domain once its DNS checks pass.
    return CustomDomain.objects.create(
        profile=profile, host=host, verified=True, verified_at=timezone.now()
    )


@pytest.fixture
def primary(owner) -> CustomDomain:
    domain = verified(owner, PRIMARY)
    set_primary(owner, domain)
    return domain


# ---------------------------------------------------------------- redirects


def test_the_slug_host_redirects_to_the_primary_domain_keeping_path_and_query(primary):
    response = get("ada.localhost:8000", "/publications/?year=1843&q=a%20b")
    assert response.status_code == 301
    assert response["Location"] == f"http://{PRIMARY}:8000/publications/?year=1843&q=a%20b"
    # Browsers keep a 301 only a while: a primary moved back must not loop for good.
    assert response["Cache-Control"] == "public, max-age=600"
    assert "Set-Cookie" not in response


def test_the_primary_domain_serves_the_site_itself(primary, owner):
    response = get(PRIMARY)
    assert response.status_code == 200
    assert response.wsgi_request.tenant == owner


def test_another_verified_domain_of_the_site_redirects_to_the_primary(owner, primary):
    verified(owner, "ada.example.net")
    response = get("ada.example.net", "/news/")
    assert response.status_code == 301
    assert response["Location"] == f"http://{PRIMARY}:8000/news/"


def test_without_a_primary_every_verified_host_serves_the_site_with_the_slug_host_canonical(
    owner,
):
    verified(owner, PRIMARY)
    response = get(PRIMARY)
    assert response.status_code == 200
    assert '<link rel="canonical" href="http://ada.localhost:8000/">' in response.content.decode()
    assert get("ada.localhost").status_code == 200


def test_an_unverified_domain_is_not_served_nor_redirected(owner, primary):
    CustomDomain.objects.create(profile=owner, host="ada-pending.example.net")
    assert get("ada-pending.example.net").status_code == 400


def test_the_apex_redirects_to_the_www_primary_when_both_are_verified(owner, primary):
    verified(owner, "ada-lovelace.org")
    response = get("ada-lovelace.org", "/cv/")
    assert response.status_code == 301
    assert response["Location"] == f"http://{PRIMARY}:8000/cv/"


def test_the_other_half_of_a_www_pair_is_never_invented(owner, primary):
    # Only www. was verified: the bare name is not ours to serve or redirect.
    assert get("ada-lovelace.org").status_code == 400


def test_once_the_primary_is_removed_the_slug_host_serves_again_without_redirect(owner, primary):
    primary.delete()
    clear_primary_if(owner, PRIMARY)
    response = get("ada.localhost")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == owner
    assert get(PRIMARY).status_code == 400


def test_going_back_to_the_slug_host_stops_the_redirects(owner, primary):
    set_primary(owner, None)
    assert get("ada.localhost").status_code == 200
    assert get(PRIMARY).status_code == 200


def test_uploads_are_answered_on_every_host_without_a_redirect(owner, primary):
    # Previews fetch files from the slug host (with a token), the directory too.
    response = get("ada.localhost", "/media/sites/1/photo/none.jpg")
    assert response.status_code != 301


@pytest.mark.parametrize(("status", "code"), [("pending", 404), ("suspended", 403)])
def test_a_site_that_is_not_published_is_not_redirected_but_says_why(owner, primary, status, code):
    owner.status = status
    owner.save()
    assert get("ada.localhost").status_code == code
    assert get(PRIMARY).status_code == code


def test_a_renamed_sites_old_address_goes_straight_to_the_primary(owner, primary):
    change_slug(profile=owner, slug="ada-l")
    response = get("ada.localhost", "/news/")
    assert response.status_code == 301
    assert response["Location"] == f"http://{PRIMARY}:8000/news/"


def test_only_a_verified_domain_of_the_site_can_be_primary(owner, second_researcher):
    theirs = verified(second_researcher, "grace.example.org")
    waiting = CustomDomain.objects.create(profile=owner, host="ada.example.org")
    for domain in (theirs, waiting):
        with pytest.raises(ValueError):
            set_primary(owner, domain)
    owner.refresh_from_db()
    assert owner.primary_domain == ""


# ---------------------------------------------------------------- the page cache


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_page_cached_on_the_slug_host_is_not_served_once_a_primary_is_set(
    owner, settings, committed, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 300
    with committed():
        domain = verified(owner, PRIMARY)
    visitor = Client(HTTP_HOST="ada.localhost")
    assert visitor.get("/?q=1").status_code == 200
    with django_assert_num_queries(0):
        assert visitor.get("/?q=1").status_code == 200  # from the cache
    with committed():
        set_primary(owner, domain)  # saves the profile: every host's pages are stale
    response = visitor.get("/?q=1")
    assert response.status_code == 301
    assert response["Location"] == f"http://{PRIMARY}:8000/?q=1"
    assert visitor.get("/?q=1").status_code == 301  # a redirect is never cached as the page
    assert Client(HTTP_HOST=PRIMARY).get("/?q=1").status_code == 200
    with committed():
        set_primary(owner, None)
    assert visitor.get("/?q=1").status_code == 200
    assert Client(HTTP_HOST=PRIMARY).get("/?q=1").status_code == 200


# ---------------------------------------------------------------- links on the primary


def jsonld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def test_the_about_page_names_the_primary_in_canonical_open_graph_and_json_ld(primary):
    html = get(PRIMARY).content.decode()
    assert f'<link rel="canonical" href="http://{PRIMARY}:8000/">' in html
    assert f'<meta property="og:url" content="http://{PRIMARY}:8000/">' in html
    assert jsonld(html)["url"] == f"http://{PRIMARY}:8000/"
    assert "ada.localhost" not in html.split("</head>")[0]


def test_robots_txt_and_the_sitemap_name_the_primary(owner, primary):
    assert (
        f"Sitemap: http://{PRIMARY}:8000/sitemap.xml"
        in get(PRIMARY, "/robots.txt").content.decode()
    )
    tree = ET.fromstring(get(PRIMARY, "/sitemap.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.findall(".//sm:loc", ns)]
    assert locations and all(loc.startswith(f"http://{PRIMARY}:8000/") for loc in locations)


def test_the_news_feed_links_the_primary_but_keeps_its_item_ids(owner, primary):
    save_news_item(profile=owner, item=NewsItem(date=timezone.now(), title="Talk", content="x"))
    feed = get(PRIMARY, "/feed.xml").content.decode()
    assert f'href="http://{PRIMARY}:8000/news/"' in feed
    assert f'href="http://{PRIMARY}:8000/feed.xml"' in feed
    # An entry's id must not change with the address, or readers show it again.
    assert "<id>http://ada.localhost:8000/news/#news-" in feed
    html = get(PRIMARY, "/news/").content.decode()
    assert f'<link rel="canonical" href="http://{PRIMARY}:8000/news/">' in html


def test_publication_pages_name_the_primary(owner, primary):
    import_bibtex(profile=owner, text=BIB, source="test")
    html = get(PRIMARY, "/publications/").content.decode()
    assert f'<link rel="canonical" href="http://{PRIMARY}:8000/publications/">' in html
    paper = get(PRIMARY, "/publications/lovelace1843notes/").content.decode()
    assert f'href="http://{PRIMARY}:8000/publications/lovelace1843notes/"' in paper
    assert "ada.localhost" not in paper.split("</head>")[0]


def test_the_dashboard_opens_the_site_on_its_primary(owner, owner_client, primary):
    html = owner_client.get("/dashboard/").content.decode()
    assert f'href="http://{PRIMARY}:8000/"' in html


def test_a_site_without_a_primary_keeps_its_slug_host_everywhere(owner):
    verified(owner, PRIMARY)
    html = get("ada.localhost").content.decode()
    assert '<link rel="canonical" href="http://ada.localhost:8000/">' in html
    make_researcher("grace")
    assert PRIMARY not in html
