"""The whole-page cache: hits cost no query, every write shows on the next request, 304s.

The test settings turn the cache off (a test's writes commit only when it
ends); here it is on, and each write runs with its after-commit work done.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from news.models import NewsItem
from news.services import save_news_item
from profiles import pagecache
from profiles.alfolio import import_site, read_source
from profiles.models import CustomDomain, HiddenItem, Profile, SocialLink
from profiles.moderation.services import hide_item, suspend_site, unhide_item
from publications.models import Publication, PublicationSettings, Venue
from publications.services import import_bibtex
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db

BIB = """@article{lovelace1843notes, title = {Notes on the Engine}, author = {Lovelace, Ada and
Hopper, Grace}, journal = {Memoirs}, year = {1843}, abbr = {MEM}, selected = {true}}"""


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs a write's after-commit work, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def visitor(site_client) -> Client:
    return site_client("ada")


def page(client: Client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_second_visit_is_served_from_the_cache_without_a_query(
    owner, visitor, django_assert_num_queries
):
    first = visitor.get("/")
    with django_assert_num_queries(0):
        second = visitor.get("/")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["ETag"].startswith('"')


def test_a_miss_costs_the_queries_of_the_page_and_no_more(
    owner, visitor, settings, django_assert_num_queries
):
    # The pinned count of an about page with the tenant cached (tests/test_pages.py): 4.
    visitor.get("/nothing-here-warms-the-tenant/")
    with django_assert_num_queries(4):
        visitor.get("/")
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(4):
        visitor.get("/?uncached")


def test_a_cached_page_has_headers_fit_for_a_cdn_and_no_vary(owner, visitor):
    visitor.get("/")
    response = visitor.get("/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=10, stale-while-revalidate=10"
    assert response["Last-Modified"].endswith("GMT")
    assert "Vary" not in response and "Set-Cookie" not in response
    assert response["Content-Security-Policy"]  # the site's security headers are kept
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_client_that_has_the_page_gets_a_304(owner, visitor):
    etag = visitor.get("/")["ETag"]
    response = visitor.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert visitor.get("/", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    modified = visitor.get("/")["Last-Modified"]
    assert visitor.get("/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert (
        visitor.get("/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200
    )


def test_the_first_visit_also_answers_304_to_a_client_that_has_the_page(owner, visitor):
    etag = visitor.get("/")["ETag"]
    caches["default"].clear()  # the page is rendered again: same bytes, same ETag
    assert visitor.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_head_request_gets_the_headers_without_the_page(owner, visitor):
    visitor.get("/")
    response = visitor.head("/")
    assert response.status_code == 200 and response.content == b""
    assert int(response["Content-Length"]) > 1000


def test_uploads_previews_errors_and_the_platform_are_never_cached(
    owner, owner_client, photo_upload, visitor, client, django_assert_num_queries
):
    owner_client.post(reverse("dashboard_photo"), {"photo": photo_upload})
    owner.refresh_from_db()
    photo = owner.photo["variants"][0]["fallback"]
    for path in (f"/media/{photo}", "/nothing/"):
        visitor.get(path)
        assert "ETag" not in visitor.get(path), path
    client.get("/")
    assert "ETag" not in client.get("/")  # the platform's landing page
    assert "ETag" not in owner_client.get(reverse("dashboard_preview"))


# ---------------------------------------------------------------- every write path


def test_an_edit_in_the_dashboard_shows_on_the_next_request(
    owner, owner_client, visitor, committed
):
    assert "I study" in page(visitor)
    data = {"first_name": "Ada", "last_name": "Lovelace", "bio": "I write **programs**.",
            "photo_align": "right", "photo_shape": "rounded"}  # fmt: skip
    with committed():
        owner_client.post(reverse("dashboard_profile"), data)
    assert "I write" in page(visitor)


def test_links_added_moved_and_removed_show_at_once(owner, owner_client, visitor, committed):
    page(visitor)
    with committed():
        owner_client.post(reverse("dashboard_links"), {"network": "github", "value": "ada-l"})
    assert "github.com/ada-l" in page(visitor)
    link = SocialLink.objects.get(profile=owner)
    with committed():
        owner_client.post(reverse("dashboard_link_delete", args=[link.pk]))
    assert "github.com/ada-l" not in page(visitor)


def test_publications_imported_edited_and_deleted_show_at_once(
    owner, owner_client, visitor, committed
):
    assert "Notes on the Engine" not in page(visitor, "/")
    assert visitor.get("/publications/").status_code == 404  # none yet
    with committed():
        import_bibtex(profile=owner, text=BIB, source="test")  # bulk writes: no signals
    assert "Notes on the Engine" in page(visitor, "/publications/")
    assert "Notes on the Engine" in page(visitor, "/")  # selected
    publication = Publication.objects.get()
    with committed():
        owner_client.post(reverse("dashboard_publication_selected", args=[publication.pk]))
    assert "Notes on the Engine" not in page(visitor, "/")
    with committed():
        Venue.objects.create(profile=owner, abbr="MEM", color="#123456")
    assert "#123456" in page(visitor, "/publications/")
    with committed():
        PublicationSettings.objects.update_or_create(
            profile=owner, defaults={"name_variants": "Lovelace, A."}
        )
    assert "author-self" in page(visitor, "/publications/")
    with committed():
        owner_client.post(reverse("dashboard_publications_delete"), {"pk": [publication.pk]})
    assert visitor.get("/publications/").status_code == 404  # the cached page is not served


def test_news_written_edited_and_deleted_show_at_once(owner, owner_client, visitor, committed):
    page(visitor, "/")
    with committed():
        item = save_news_item(profile=owner, item=NewsItem(title="A talk", content="Slides."))
    assert "A talk" in page(visitor, "/") and "A talk" in page(visitor, "/feed.xml")
    with committed():
        item.delete()
    assert "A talk" not in page(visitor, "/")


def test_a_news_item_dated_in_the_future_appears_when_its_time_comes(
    owner, visitor, committed, monkeypatch
):
    with committed():
        save_news_item(
            profile=owner,
            item=NewsItem(
                title="Coming soon", content="x", date=timezone.now() + timedelta(hours=1)
            ),
        )
    assert "Coming soon" not in page(visitor, "/news/")
    later = pagecache.time.time() + 2 * 3600
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    monkeypatch.setattr(timezone, "now", lambda: datetime.fromtimestamp(later, UTC))
    assert "Coming soon" in page(visitor, "/news/")


def test_an_edit_in_the_admin_shows_at_once(owner, moderator, visitor, committed):
    page(visitor)
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(moderator)
    with committed():
        owner.bio = "Edited by the **admin**."
        owner.save()
    assert "Edited by the" in page(visitor)


def test_an_al_folio_import_shows_at_once(owner, alfolio_site, visitor, committed):
    page(visitor)
    with committed():
        import_site(read_source(alfolio_site), slug="ada")
    html = page(visitor)
    assert "Countess of Lovelace" in html and "Ada King Lovelace" in html


def test_moderation_shows_at_once(owner, moderator, visitor, committed):
    page(visitor)
    with committed():
        hidden = hide_item(profile=owner, kind="bio", actor=moderator, reason="Spam.")
    assert "I study" not in page(visitor)
    with committed():
        unhide_item(hidden=HiddenItem.objects.get(pk=hidden.pk), actor=moderator)
    assert "I study" in page(visitor)
    with committed():
        suspend_site(profile=owner, actor=moderator, reason="Spam.")
    assert visitor.get("/").status_code == 403


def test_a_new_site_address_stops_the_old_one_serving_its_pages(owner, owner_client, committed):
    old = Client(HTTP_HOST="ada.localhost")
    page(old)
    with committed():
        owner.slug = "countess"
        owner.save()
    assert old.get("/").status_code in (301, 404)
    assert "I study" in page(Client(HTTP_HOST="countess.localhost"))


def test_a_deleted_account_stops_its_pages_at_once(owner, visitor, committed):
    page(visitor)
    with committed():
        owner.owner.delete()
    assert visitor.get("/").status_code == 404


def test_a_custom_domain_removed_stops_serving_its_pages(owner, committed):
    with committed():
        domain = CustomDomain.objects.create(host="ada.example.net", profile=owner, verified=True)
    own = Client(HTTP_HOST="ada.example.net")
    page(own)
    with committed():
        domain.delete()
    assert own.get("/").status_code == 400


def test_a_coauthor_suspended_or_renamed_changes_the_links_on_other_sites(
    owner, second_researcher, moderator, visitor, committed
):
    with committed():
        import_bibtex(profile=owner, text=BIB, source="test")
    assert "http://grace.localhost:8000/" in page(visitor, "/publications/")
    with committed():
        second_researcher.slug = "admiral"
        second_researcher.save()
    assert "http://admiral.localhost:8000/" in page(visitor, "/publications/")
    with committed():
        suspend_site(profile=second_researcher, actor=moderator, reason="Spam.")
    assert "admiral.localhost" not in page(visitor, "/publications/")


def test_a_write_that_rolls_back_changes_nothing_and_a_late_render_is_never_served(
    owner, visitor, committed
):
    """A page rendered from data a write then replaced is stored where nothing looks."""
    version = pagecache.current_version("ada.localhost", None)
    with committed():
        owner.bio = "New words."
        owner.save()
    stale = visitor.get("/")  # rendered now, from the new data
    pagecache.store("ada.localhost", "/", version, None, stale)  # as if rendered before
    assert "New words." in page(visitor)


# ---------------------------------------------------------------- Redis down


@pytest.fixture
def dead_redis(settings):
    from profiles.resilient_cache import ResilientRedisCache

    ResilientRedisCache._down = False
    ResilientRedisCache._down_until = 0.0
    settings.CACHES = {
        "default": {
            "BACKEND": "profiles.resilient_cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    yield
    ResilientRedisCache._down = False
    ResilientRedisCache._down_until = 0.0


def test_with_redis_down_sites_keep_serving_and_the_error_is_logged_once(owner, dead_redis, caplog):
    visitor = Client(HTTP_HOST="ada.localhost")
    with caplog.at_level(logging.ERROR, logger="profiles.resilient_cache"):
        for _ in range(5):
            assert "I study" in page(visitor)
        assert visitor.get("/publications/").status_code in (200, 404)
    errors = [r for r in caplog.records if r.name == "profiles.resilient_cache"]
    assert len(errors) == 1
    assert "cannot be reached" in errors[0].getMessage()


@override_settings(PAGE_CACHE_SECONDS=0)
def test_with_the_page_cache_off_nothing_is_stored(owner, visitor, django_assert_num_queries):
    visitor.get("/")
    with django_assert_num_queries(4):
        response = visitor.get("/")
    assert "ETag" not in response


def test_only_published_sites_are_cached(visitor, committed):
    pending = make_researcher("ada", status=Profile.Status.PENDING)
    assert visitor.get("/").status_code == 404
    with committed():
        pending.status = Profile.Status.PUBLISHED
        pending.save()
    assert visitor.get("/").status_code == 200
