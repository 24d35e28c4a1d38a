"""The about page and the landing page: content, and what they cost in queries."""

from __future__ import annotations

import pytest

from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db


def test_the_about_page_shows_the_name_and_the_rendered_bio(site_client, owner):
    html = site_client("ada").get("/").content.decode()
    assert "<title>Ada K. Lovelace</title>" in html
    assert '<span class="first-name">Ada</span> K. Lovelace' in html
    assert "I study <strong>engines</strong>." in html


def test_the_bio_is_stored_rendered_and_sanitized_on_save(owner):
    owner.bio = "Hello <script>alert(1)</script>**world**"
    owner.save()
    assert owner.bio_html == "<p>Hello <strong>world</strong></p>"


def test_an_about_page_costs_five_queries_cold_and_four_when_the_tenant_is_cached(
    site_client, owner, django_assert_num_queries
):
    visitor = site_client("ada")
    # Cold: the host -> profile row, the social links, the selected papers,
    # whether the site has publications (for the navigation), the latest news.
    with django_assert_num_queries(5):
        assert visitor.get("/").status_code == 200
    # Warm: the profile comes from the cache.
    with django_assert_num_queries(4):
        assert visitor.get("/").status_code == 200


def test_the_about_page_costs_the_same_however_many_links(
    site_client, owner, django_assert_num_queries
):
    for n in range(15):
        owner.social_links.create(network="website", value=f"https://example.org/{n}", position=n)
    visitor = site_client("ada")
    visitor.get("/")
    # The links, the selected papers, whether there are publications, the news.
    with django_assert_num_queries(4):
        assert visitor.get("/").content.decode().count('rel="me noopener"') == 15


def test_unknown_hosts_are_remembered_so_repeats_cost_no_query(
    site_client, django_assert_num_queries
):
    visitor = site_client("nosuch")
    # Cold: the site by slug, then the former addresses of renamed sites (profiles.former_slugs).
    with django_assert_num_queries(2):
        assert visitor.get("/").status_code == 404
    with django_assert_num_queries(0):
        assert visitor.get("/").status_code == 404


def test_the_landing_page_costs_two_queries_however_many_sites(client, django_assert_num_queries):
    for n in range(14):
        make_researcher(f"researcher-{n}")
    # The newest published profiles and their count (no session is read for an
    # anonymous visit).
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.content.decode().count('class="card"') == 12


def test_static_files_are_served_on_site_hosts_too(site_client, owner):
    response = site_client("ada").get("/static/css/site.css")
    assert response.status_code == 200
