"""The researchers' directory: who is listed, search, pages, queries, the landing page's box."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles import services
from profiles.directory import query_words, search_profiles
from profiles.models import Profile, User
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)


def names(response) -> list[str]:
    """The researchers' names on a directory page, in order."""
    html = response.content.decode()
    return re.findall(r'class="researcher-name"><a href="[^"]+">([^<]+)</a>', html)


def fake_photo(profile: Profile, widths=(480, 800, 1400)) -> dict:
    """A store_image() record (the files need not exist for the directory)."""
    folder = f"sites/{profile.pk}/photo/abc"
    return {
        "width": widths[-1],
        "height": widths[-1],
        "variants": [
            {"width": w, "height": w, "webp": f"{folder}-{w}.webp", "fallback": f"{folder}-{w}.jpg"}
            for w in widths
        ],
    }


@pytest.fixture
def tomas(db) -> Profile:
    return make_researcher(
        "tomas",
        first_name="Tomás",
        last_name="Reyes Lindgren",
        affiliation="Universität Göttingen",
        research_interests="glaciology, remote sensing",
    )


@pytest.fixture
def marie(db) -> Profile:
    return make_researcher(
        "marie",
        first_name="Marie",
        last_name="Curie",
        affiliation="Université Paris",
        research_interests="radioactivity, chemistry",
    )


# --- Who is listed -----------------------------------------------------------


def test_only_published_sites_are_listed(client, tomas, marie):
    make_researcher("waiting", first_name="Wanda", last_name="Waiting", status="pending")
    make_researcher("banned", first_name="Sam", last_name="Suspended", status="suspended")
    response = client.get("/directory/")
    assert response.status_code == 200
    assert names(response) == ["Marie Curie", "Tomás Reyes Lindgren"]
    html = response.content.decode()
    assert "Waiting" not in html and "Suspended" not in html
    assert "2 researchers" in html


def test_a_suspended_site_disappears_from_the_directory(client, tomas):
    assert names(client.get("/directory/?q=tomas")) == ["Tomás Reyes Lindgren"]
    Profile.objects.filter(pk=tomas.pk).update(status=Profile.Status.SUSPENDED)
    response = client.get("/directory/?q=tomas")
    assert names(response) == []
    assert "No researcher matches “tomas”" in response.content.decode()


def test_a_card_shows_name_affiliation_interests_and_links_to_the_site(client, tomas):
    html = client.get("/directory/").content.decode()
    assert 'href="http://tomas.localhost:8000/"' in html
    assert "Universität Göttingen" in html
    assert "glaciology, remote sensing" in html


def test_a_photo_is_a_small_variant_served_from_the_sites_own_host(client, tomas):
    tomas.photo = fake_photo(tomas)
    tomas.save(update_fields=["photo"])
    html = client.get("/directory/").content.decode()
    # Shown at 72 px: the 480 px variant is the smallest at least twice that.
    base = f"http://tomas.localhost:8000/media/sites/{tomas.pk}/photo/abc-480"
    assert f'srcset="{base}.webp"' in html
    assert f'src="{base}.jpg"' in html
    assert "-800." not in html and "-1400." not in html


def test_a_small_photo_uses_its_only_variant(client, tomas):
    tomas.photo = fake_photo(tomas, widths=(120,))
    tomas.save(update_fields=["photo"])
    html = client.get("/directory/").content.decode()
    assert f"/media/sites/{tomas.pk}/photo/abc-120.jpg" in html


def test_a_real_uploaded_photo_is_shown(client, tomas, photo_upload):
    services.set_photo(profile=tomas, upload=photo_upload)
    tomas.refresh_from_db()
    html = client.get("/directory/").content.decode()
    smallest = tomas.photo["variants"][0]
    assert f'src="http://tomas.localhost:8000/media/{smallest["fallback"]}"' in html


def test_a_hidden_photo_is_not_shown_and_initials_stand_in(client, tomas):
    tomas.photo = fake_photo(tomas)
    tomas.save(update_fields=["photo"])
    Profile.objects.filter(pk=tomas.pk).update(photo_hidden=True)
    html = client.get("/directory/").content.decode()
    assert "/media/" not in html
    assert 'class="researcher-photo researcher-initials" aria-hidden="true">TR<' in html


def test_without_a_photo_initials_stand_in_and_nothing_is_requested(client, marie):
    html = client.get("/directory/").content.decode()
    assert ">MC</span>" in html
    assert "<img" not in html


def test_a_damaged_photo_record_costs_the_photo_not_the_page(client, tomas):
    Profile.objects.filter(pk=tomas.pk).update(photo={"variants": [{"width": "x"}]})
    response = client.get("/directory/")
    assert response.status_code == 200
    assert names(response) == ["Tomás Reyes Lindgren"]


# --- Search -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["tomas", "TOMÁS", "reyes", "gottingen", "Göttingen", "universitat", "glaciology", "remote"],
)
def test_search_ignores_accents_and_case(client, tomas, marie, query):
    assert names(client.get("/directory/", {"q": query})) == ["Tomás Reyes Lindgren"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("curie", ["Marie Curie"]),  # last name
        ("marie", ["Marie Curie"]),  # first name
        ("paris", ["Marie Curie"]),  # affiliation
        ("chemistry", ["Marie Curie"]),  # interest
        ("universit", ["Marie Curie", "Tomás Reyes Lindgren"]),  # both affiliations
    ],
)
def test_search_by_name_affiliation_and_interest(client, tomas, marie, query, expected):
    assert names(client.get("/directory/", {"q": query})) == expected


def test_words_are_prefixes(client, tomas, marie):
    assert names(client.get("/directory/?q=glacio")) == ["Tomás Reyes Lindgren"]
    assert names(client.get("/directory/?q=radio")) == ["Marie Curie"]


def test_every_word_must_match(client, tomas, marie):
    assert names(client.get("/directory/?q=tomas+gottingen")) == ["Tomás Reyes Lindgren"]
    assert names(client.get("/directory/?q=tomas+paris")) == []
    assert names(client.get("/directory/?q=universit+chemistry")) == ["Marie Curie"]


def test_no_match_says_so(client, tomas):
    response = client.get("/directory/?q=nobody")
    assert response.status_code == 200
    assert "No researcher matches “nobody”" in response.content.decode()


def test_the_count_says_how_many_match(client, tomas, marie):
    assert "1 researcher matches “curie”" in client.get("/directory/?q=curie").content.decode()
    html = client.get("/directory/?q=universit").content.decode()
    assert "2 researchers match “universit”" in html


@pytest.mark.parametrize(
    "query",
    [
        "'",
        '"',
        "tomas'",
        "tomas & | ! ( ) : *",
        "&|!():*",
        "!tomas",
        "tomas:*",
        "a:* | b",
        "(((",
        "\\",
        "%_%",
        "tomas\x00gottingen",
        "\x00",
        "x" * 10_000,
        "tomas " * 2_000,
        "<script>alert(1)</script>",
        "  ",
    ],
)
def test_hostile_queries_give_a_normal_page(client, tomas, query):
    response = client.get("/directory/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "\x00" not in html


def test_punctuation_alone_matches_nobody(client, tomas):
    response = client.get("/directory/", {"q": "&|!():*"})
    assert names(response) == []
    assert "No researcher matches “&amp;|!():*”" in response.content.decode()
    assert names(client.get("/directory/", {"q": "   "})) == ["Tomás Reyes Lindgren"]


def test_punctuation_inside_a_query_separates_words(client, tomas):
    assert query_words("Tomás:* & (Göttingen)!") == ["tomas", "gottingen"]
    assert names(client.get("/directory/", {"q": "tomas:*&gottingen"})) == ["Tomás Reyes Lindgren"]


def test_a_query_keeps_a_bounded_number_of_words(tomas):
    assert len(query_words(" ".join(f"w{n}" for n in range(100)))) == 8
    assert list(search_profiles("tomas " * 2_000)) == [tomas]


# --- Pages and queries ---------------------------------------------------------------


def many(count: int, **fields) -> None:
    for n in range(count):
        make_researcher(f"r{n:03d}", first_name=f"First{n:03d}", last_name=f"Last{n:03d}", **fields)


def test_results_come_24_to_a_page_in_name_order(client):
    many(30)
    first = client.get("/directory/")
    assert names(first) == [f"First{n:03d} Last{n:03d}" for n in range(24)]
    html = first.content.decode()
    assert "30 researchers" in html
    assert "Page 1 of 2" in html
    assert 'href="?page=2"' in html
    second = client.get("/directory/?page=2")
    assert names(second) == [f"First{n:03d} Last{n:03d}" for n in range(24, 30)]


def test_pages_keep_the_query(client):
    many(30, affiliation="Göttingen")
    html = client.get("/directory/?q=gottingen").content.decode()
    assert 'href="?q=gottingen&amp;page=2"' in html
    assert len(names(client.get("/directory/?q=gottingen&page=2"))) == 6


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1e9", "\x00"])
def test_odd_page_numbers_give_a_normal_page(client, page):
    many(3)
    response = client.get("/directory/", {"page": page})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_a_search_page_is_not_indexed_the_directory_is(client, tomas):
    assert 'name="robots"' not in client.get("/directory/").content.decode()
    assert 'content="noindex' in client.get("/directory/?q=tomas").content.decode()


@pytest.mark.parametrize(("cards", "queries"), [(0, 1), (3, 2), (30, 2)])
def test_a_directory_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, cards, queries
):
    many(cards)
    for profile in Profile.objects.all()[:2]:
        profile.photo = fake_photo(profile)
        profile.save(update_fields=["photo"])
    # The count, then the page's profiles (none when the count is 0); an
    # anonymous visit reads no session, and a card needs nothing more.
    with django_assert_num_queries(queries):
        response = client.get("/directory/")
    assert len(names(response)) == min(cards, 24)
    with django_assert_num_queries(queries):
        response = client.get("/directory/?q=first+last")
    assert len(names(response)) == min(cards, 24)


# --- The landing page ----------------------------------------------------------------


def test_the_landing_page_links_to_the_directory_and_has_a_search_box(client, tomas):
    html = client.get("/").content.decode()
    assert 'href="/directory/"' in html
    form = re.search(r'<form method="get" action="/directory/"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    assert re.search(r'<input type="search" id="landing-q" name="q"', form[1])
    assert '<label for="landing-q">' in form[1]
    # What the landing page showed before is still there.
    assert "Researchers on Multifolio" in html
    assert 'href="http://tomas.localhost:8000/"' in html


def test_the_directory_has_a_labelled_search_box(client):
    html = client.get("/directory/?q=ada").content.decode()
    assert '<label for="directory-q">' in html
    assert '<input type="search" id="directory-q" name="q" value="ada"' in html


# --- PostgreSQL: the index stays usable ---------------------------------------------------


@on_postgresql
def test_the_search_uses_the_indexed_expression(tomas):
    with CaptureQueriesContext(connection) as captured:
        assert list(search_profiles("tomas gott")) == [tomas]
    sql = captured.captured_queries[-1]["sql"]
    # Exactly the expression profile_search_gin indexes (migration 0007): no COALESCE.
    assert """to_tsvector('simple', "profiles_profile"."search_text") @@""" in sql
    assert "COALESCE" not in sql.upper()
    assert "'tomas:* & gott:*'" in sql


@on_postgresql
def test_the_planner_uses_the_gin_index(tomas):
    # Enough published sites that the status index no longer narrows anything
    # down, with statistics, as a real directory has them.
    users = User.objects.bulk_create(User(email=f"f{n}@example.org") for n in range(400))
    Profile.objects.bulk_create(
        Profile(owner=user, slug=f"f{n}", first_name="Filler", last_name=f"Person{n}",
                status=Profile.Status.PUBLISHED, search_text=f"filler person{n} f{n}")
        for n, user in enumerate(users)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE profiles_profile")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search_profiles("tomas").explain()
    assert "Bitmap Index Scan on profile_search_gin" in plan
