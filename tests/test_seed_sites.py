"""`manage.py seed_sites`: many published, routable, searchable sites through the bulk path."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from news.models import NewsItem
from profiles.bulk import PAPERS_EVERY, SeedRefused, seed_sites
from profiles.directory import search_profiles
from profiles.models import Profile, SlugHistory, User
from profiles.search import profile_search_text
from profiles.slugs import slug_problem
from publications.models import Publication
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db

COUNT = 25


@pytest.fixture(autouse=True)
def _development(settings) -> None:
    # The command seeds with DEBUG on only (or when asked to); the test runner turns it off.
    settings.DEBUG = True


def seed(count: int = COUNT, prefix: str = "bench", **options) -> str:
    out = StringIO()
    call_command("seed_sites", count=count, prefix=prefix, stdout=out, **options)
    return out.getvalue()


def test_the_command_creates_published_sites_and_says_so(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = seed()
    assert "Created 25 published sites, bench-00001 ... bench-00025" in out
    assert " s (" in out  # how long it took
    profiles = Profile.objects.filter(slug__startswith="bench-")
    assert profiles.count() == COUNT
    assert set(profiles.values_list("status", flat=True)) == {Profile.Status.PUBLISHED}
    assert all(slug_problem(slug) is None for slug in profiles.values_list("slug", flat=True))
    with_papers = len(range(0, COUNT, PAPERS_EVERY))
    assert Publication.objects.filter(profile__in=profiles).count() == 3 * with_papers
    assert NewsItem.objects.filter(profile__in=profiles).count() == 2 * with_papers
    user = User.objects.get(email="bench-00001@seed.invalid")
    assert not user.has_usable_password()


STORED_FIELDS = ("search_text", "bio_html", "subtitle_html", "more_info_html", "contact_note_html")


def test_seeded_rows_hold_what_save_would_have_stored():
    seed_sites(count=5, prefix="bench")
    for profile in Profile.objects.filter(slug__startswith="bench-"):
        stored = {f: getattr(profile, f) for f in STORED_FIELDS}
        assert stored["search_text"] == profile_search_text(profile)
        profile.save()  # renders everything again, the usual way
        profile.refresh_from_db()
        assert stored == {f: getattr(profile, f) for f in stored}
        assert "<strong>" in profile.bio_html
    for publication in Publication.objects.filter(profile__slug__startswith="bench-")[:3]:
        title_html = publication.title_html
        publication.save()
        assert publication.title_html == title_html
    for item in NewsItem.objects.filter(profile__slug__startswith="bench-")[:2]:
        content_html = item.content_html
        item.save()
        assert item.content_html == content_html


def test_seeded_sites_are_routable_and_their_pages_render(
    site_client, django_capture_on_commit_callbacks
):
    # Asked for before it existed: the tenancy cache remembers "no site here".
    assert site_client("bench-00001").get("/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    profile = Profile.objects.get(slug="bench-00001")  # has papers and news (PAPERS_EVERY)
    visitor = site_client("bench-00001")
    about = visitor.get("/")
    assert about.status_code == 200
    html = about.content.decode()
    assert profile.first_name in html and profile.last_name.replace("'", "&#x27;") in html
    assert "Measuring what matters" in html  # a selected paper
    assert "A new project starts" in html  # news on the about page
    publications = visitor.get("/publications/")
    assert publications.status_code == 200
    assert "Fast Methods for Slow Problems" in publications.content.decode()
    assert visitor.get("/news/a-new-project-starts/").status_code == 200
    assert site_client("bench-00025").get("/").status_code == 200
    assert site_client("bench-00026").get("/").status_code == 404


def test_directory_search_finds_seeded_sites(client):
    seed()
    profile = Profile.objects.get(slug="bench-00007")
    topic = profile.research_interests.split(",")[0]
    by_name = search_profiles(f"{profile.first_name} {profile.last_name}")
    assert profile in by_name
    assert profile in search_profiles(topic)
    assert profile in search_profiles(profile.affiliation)
    response = client.get("/directory/", {"q": profile.last_name})
    assert response.status_code == 200
    assert "bench-00007.localhost" in response.content.decode()


def test_a_taken_prefix_is_refused_and_nothing_is_written():
    seed(count=3)
    with pytest.raises(
        CommandError, match=r"3 site.* already have addresses starting with 'bench-'"
    ):
        seed()
    assert Profile.objects.count() == 3


def test_real_sites_under_the_prefix_are_never_touched():
    real = make_researcher("demo-lab", first_name="Real", last_name="Person")
    with pytest.raises(CommandError, match="choose another --prefix"):
        seed(prefix="demo")
    assert list(Profile.objects.all()) == [real]
    real.refresh_from_db()
    assert real.first_name == "Real"


def test_an_account_or_a_reserved_former_address_under_the_prefix_is_refused():
    User.objects.create_user(email="lab-00003@seed.invalid")
    with pytest.raises(SeedRefused, match="account"):
        seed_sites(count=5, prefix="lab")
    owner = make_researcher("renamed")
    SlugHistory.objects.create(profile=owner, slug="old-00001")
    with pytest.raises(SeedRefused, match="reserved"):
        seed_sites(count=5, prefix="old")
    assert Profile.objects.count() == 1


def test_an_ordinary_address_that_starts_like_the_prefix_is_no_obstacle():
    User.objects.create_user(email="lab-manager@example.org")
    assert seed_sites(count=1, prefix="lab").sites == 1


@pytest.mark.parametrize("prefix", ["bad_prefix", "a--b", "-x", "x" * 60, ""])
def test_prefixes_that_make_malformed_addresses_are_refused(prefix):
    with pytest.raises(SeedRefused):
        seed_sites(count=1, prefix=prefix)
    assert not Profile.objects.exists()


def test_dry_run_writes_nothing():
    out = seed(dry_run=True)
    assert "would create 25 sites, bench-00001 ... bench-00025" in out
    assert not Profile.objects.exists()


def test_production_needs_to_be_asked_for(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        seed()
    assert "Created 2 published sites" in seed(count=2, allow_production=True)


def test_count_out_of_range_is_refused():
    with pytest.raises(CommandError, match="count from 1"):
        seed(count=0)


# Within one batch of rows per table, seeding costs the same queries whatever the count:
# a savepoint, three checks (sites, accounts, reserved addresses under the prefix), one
# INSERT each for accounts, sites, papers and news items, and the savepoint's release.
# Beyond, one INSERT more per batch (BATCH_SIZE rows; SQLite takes at most 999
# parameters per statement, which Django turns into fewer rows per INSERT).
SEED_QUERIES = 9


@pytest.mark.parametrize("count", [1, 5, 15])
def test_seeding_costs_a_fixed_number_of_queries(count, django_assert_num_queries):
    with django_assert_num_queries(SEED_QUERIES):
        report = seed_sites(count=count, prefix="q")
    assert report.sites == count


def test_seeding_many_sites_costs_queries_per_batch_not_per_site(django_assert_max_num_queries):
    # 1,000 sites: 200 with papers (600 papers, 400 news items). On PostgreSQL, one
    # INSERT per table; on SQLite, as many as its parameter limit makes.
    per_table = 1 if connection.vendor == "postgresql" else 40
    with django_assert_max_num_queries(5 + 4 * per_table):
        seed_sites(count=1000, prefix="many")
    assert Profile.objects.filter(status=Profile.Status.PUBLISHED).count() == 1000


# --- The directory with many sites (migration 0008) ------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's choices are PostgreSQL's"
)


def directory_order(profiles) -> list[tuple[str, str, str]]:
    return [(p.last_name.lower(), p.first_name.lower(), p.slug) for p in profiles]


def test_search_results_come_in_name_order():
    seed_sites(count=60, prefix="bench")
    found = list(search_profiles("university"))
    assert len(found) > 10
    assert directory_order(found) == sorted(directory_order(found))


def test_the_directory_order_is_indexed():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "profiles_profile")
    assert "profile_directory_order" in indexes


@on_postgresql
def test_with_many_sites_the_directory_reads_its_indexes():
    seed_sites(count=3000, prefix="bench")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE profiles_profile")
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'profile_search_gin'")
        # No pending list for searches to read through (migration 0008).
        assert cursor.fetchone()[0] == ["fastupdate=off"]
    # The first page of everyone, and of a word most sites have: read in order, no sort.
    assert "profile_directory_order" in search_profiles("")[:24].explain()
    assert "profile_directory_order" in search_profiles("university")[:24].explain()
    # A rare word (a site's own address): its few matches through the GIN index.
    assert "profile_search_gin" in search_profiles("bench-00001")[:24].explain()
