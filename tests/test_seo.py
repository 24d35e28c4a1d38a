"""What search engines read: title, description, canonical, cards, JSON-LD, sitemap, robots."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from profiles.models import SocialLink
from profiles.social import NETWORKS

pytestmark = pytest.mark.django_db


def jsonld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


@pytest.fixture
def linked_profile(owner):
    owner.affiliation = "University of London"
    owner.subtitle = "Countess of <a href='https://lovelace.example'>Lovelace</a>"
    owner.research_interests = "computing, poetry"
    owner.save()
    values = {
        "email": "ada@example.org",
        "scholar": "3udA8hkAAAAJ",
        "orcid": "0000-0002-1825-0097",
        "github": "adal",
        "x": "ada",
        "mastodon": "ada@mathstodon.xyz",
        "website": "https://ada.example",
    }
    for position, (network, value) in enumerate(values.items()):
        SocialLink.objects.create(profile=owner, network=network, value=value, position=position)
    return owner


def test_the_about_page_has_a_title_description_and_canonical_url(site_client, owner):
    html = site_client("ada").get("/").content.decode()
    assert "<title>Ada K. Lovelace</title>" in html
    assert '<meta name="description" content="I study engines.">' in html
    assert '<link rel="canonical" href="http://ada.localhost:8000/">' in html


def test_an_owners_own_description_wins_over_the_bio(site_client, owner):
    owner.meta_description = "Mathematician & writer."
    owner.save()
    html = site_client("ada").get("/").content.decode()
    assert '<meta name="description" content="Mathematician &amp; writer.">' in html


def test_opengraph_and_twitter_cards_are_present(site_client, owner, photo_upload):
    from profiles import services

    services.set_photo(profile=owner, upload=photo_upload)
    html = site_client("ada").get("/").content.decode()
    assert '<meta property="og:title" content="Ada K. Lovelace">' in html
    assert '<meta property="og:type" content="profile">' in html
    assert '<meta property="og:url" content="http://ada.localhost:8000/">' in html
    assert re.search(
        r'<meta property="og:image" content="http://ada\.localhost:8000/media/sites/\d+/photo/\S+\.jpg">',
        html,
    )
    assert '<meta name="twitter:card" content="summary">' in html


def test_json_ld_is_a_person_with_affiliation_and_every_profile_in_same_as(
    site_client, linked_profile
):
    data = jsonld(site_client("ada").get("/").content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Person"
    assert data["name"] == "Ada K. Lovelace"
    assert data["affiliation"] == {"@type": "Organization", "name": "University of London"}
    assert data["jobTitle"] == "Countess of Lovelace"
    assert data["knowsAbout"] == ["computing", "poetry"]
    assert data["url"] == "http://ada.localhost:8000/"
    assert data["sameAs"] == [
        "https://scholar.google.com/citations?user=3udA8hkAAAAJ",
        "https://orcid.org/0000-0002-1825-0097",
        "https://github.com/adal",
        "https://x.com/ada",
        "https://mathstodon.xyz/@ada",
        "https://ada.example",
    ]
    assert "ada@example.org" not in json.dumps(data)


def test_same_as_lists_every_profile_network_there_is(owner):
    # Every network whose value names a public profile contributes to sameAs.
    profile_kinds = {key for key, network in NETWORKS.items() if network.kind in {"id", "url"}}
    assert {"scholar", "orcid", "github", "linkedin", "website"} <= profile_kinds


def test_json_ld_cannot_be_broken_out_of_by_a_name(site_client, owner):
    owner.first_name = "</script><script>alert(1)</script>"
    owner.save()
    html = site_client("ada").get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert jsonld(html)["givenName"] == "</script><script>alert(1)</script>"


def test_robots_txt_allows_crawling_and_points_to_the_sitemap(site_client, owner):
    response = site_client("ada").get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /email/" in body
    assert "Sitemap: http://ada.localhost:8000/sitemap.xml" in body


def test_the_sitemap_lists_the_sites_pages_on_its_own_host(site_client, owner):
    response = site_client("ada").get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("sm:url/sm:loc", ns)]
    assert locations == ["http://ada.localhost:8000/"]
    assert root.find("sm:url/sm:lastmod", ns) is not None


def test_the_sitemap_ignores_a_forged_port(owner):
    from django.test import Client

    response = Client(HTTP_HOST="ada.localhost:6666").get("/sitemap.xml")
    assert b"6666" not in response.content


def test_each_site_has_a_favicon_in_its_accent_colour(site_client, owner):
    owner.accent_color = "#2255AA"
    owner.save()
    response = site_client("ada").get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert b'fill="#2255AA"' in response.content
    assert b">A</text>" in response.content
    assert site_client("ada").get("/favicon.ico").status_code == 301


def test_the_platform_has_no_sitemap_of_sites_pages(client):
    assert client.get("/sitemap.xml").status_code == 404


def test_the_platform_keeps_crawlers_out_of_accounts_and_the_dashboard(client):
    body = client.get("/robots.txt").content.decode()
    for path in ("/accounts/", "/dashboard/", "/admin/"):
        assert f"Disallow: {path}" in body
    assert "Disallow: /\n" not in body
