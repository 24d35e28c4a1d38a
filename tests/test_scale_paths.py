"""What keeps pages, routing and the landing page flat as sites grow (bench/scale.py).

The benchmark measures the time; these tests pin the behaviour behind it: the
co-author index is read once per process and rebuilt only when a name changes,
routing finds a slug through its index, the landing page lists a few sites.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection

from profiles.models import Profile
from publications import selectors
from publications.names import NameForm
from publications.selectors import PEOPLE_VERSION_KEY, platform_people
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db


def test_the_people_index_is_read_from_the_shared_cache_only_when_its_version_changed(
    owner, django_assert_num_queries, monkeypatch
):
    first = platform_people()
    reads = []
    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k)
    )
    with django_assert_num_queries(0):
        assert platform_people() is first
    assert not [key for key in reads if key.startswith("publications:people:")]
    # Another process renamed someone: a new version, so this process rebuilds.
    cache.set(PEOPLE_VERSION_KEY, "another-process", None)
    make_researcher("grace", first_name="Grace", last_name="Hopper")
    rebuilt = platform_people()
    assert rebuilt is not first and rebuilt.find(NameForm.from_text("Hopper, Grace"))


def test_an_emptied_cache_never_revives_a_version_a_process_built_at(owner):
    platform_people()
    built_at = selectors._built.version
    cache.clear()  # a Redis restart
    make_researcher("grace", first_name="Grace", last_name="Hopper")
    assert platform_people().find(NameForm.from_text("Hopper, Grace"))
    assert selectors._built.version != built_at


@pytest.fixture
def people_version(django_capture_on_commit_callbacks):
    """people_version(write) -> whether the write gave the index a new version."""

    def changed_by(write) -> bool:
        before = cache.get_or_set(PEOPLE_VERSION_KEY, "before", None)
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return cache.get(PEOPLE_VERSION_KEY) != before

    return changed_by


def test_a_bio_edit_leaves_every_sites_co_author_links_and_cached_pages_alone(
    owner, people_version
):
    profile = Profile.objects.get(pk=owner.pk)

    def edit_bio():
        profile.bio = "New bio."
        profile.save()

    assert not people_version(edit_bio)


@pytest.mark.parametrize(
    ("field", "value"),
    [("last_name", "Byron"), ("first_name", "Augusta"), ("slug", "augusta"),
     ("status", Profile.Status.SUSPENDED)],
)  # fmt: skip
def test_a_change_to_what_the_index_reads_gives_it_a_new_version(
    owner, people_version, field, value
):
    profile = Profile.objects.get(pk=owner.pk)

    def change():
        setattr(profile, field, value)
        profile.save()

    assert people_version(change)


def test_a_new_site_gives_the_index_a_new_version(people_version):
    assert people_version(lambda: make_researcher("grace"))


def test_the_landing_page_lists_the_newest_sites_and_counts_them_all(client):
    for n in range(15):
        make_researcher(f"r{n:02d}")
    make_researcher("hidden", status=Profile.Status.PENDING)
    html = client.get("/").content.decode()
    listed = re.findall(r'class="card-host">([^<]+)<', html)
    assert listed == [f"r{n:02d}.localhost" for n in range(14, 2, -1)]
    assert "The newest of 15 sites." in html
    assert 'href="/directory/"' in html


def test_the_landing_page_with_few_sites_lists_them_all_without_a_count(client, owner):
    html = client.get("/").content.decode()
    assert "ada.localhost" in html and "The newest of" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_routing_finds_a_slug_through_its_unique_index(owner):
    from profiles.hosts import classify_host
    from profiles.tenancy import _query_by_host

    queryset_sql = []

    def capture(execute, sql, params, many, context):
        queryset_sql.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert _query_by_host(classify_host("ada.localhost")) == owner
    sql, params = queryset_sql[0]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "profile_slug_ci_unique" in plan, plan


def test_a_custom_domain_host_resolves_with_one_query_cold_and_none_warm(
    owner, django_assert_num_queries
):
    from profiles.hosts import classify_host
    from profiles.models import CustomDomain
    from profiles.tenancy import resolve_site

    CustomDomain.objects.create(profile=owner, host="www.ada-lovelace.org", verified=True)
    cache.clear()
    with django_assert_num_queries(1):
        assert resolve_site(classify_host("www.ada-lovelace.org")) == owner
    with django_assert_num_queries(0):
        assert resolve_site(classify_host("www.ada-lovelace.org")) == owner
