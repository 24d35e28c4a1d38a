"""News: announcements on the about page, the news section, the Atom feed, the dashboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from news.models import NewsItem
from news.services import save_news_item
from profiles.models import Profile
from tests.conftest import make_researcher
from tests.test_markup import ways_to_run_script

pytestmark = pytest.mark.django_db


def add(profile: Profile, *, days_ago: float = 0, title: str = "", inline: bool = False,
        content: str = "", **fields) -> NewsItem:  # fmt: skip
    item = NewsItem(
        date=timezone.now() - timedelta(days=days_ago),
        title=title,
        inline=inline,
        content=content,
        **fields,
    )
    return save_news_item(profile=profile, item=item)


@pytest.fixture
def news(owner) -> list[NewsItem]:
    return [
        add(owner, days_ago=30, title="We moved to a new lab", content="The **new** lab."),
        add(owner, days_ago=20, inline=True, content="A talk at the Royal Society. :wave:"),
        add(owner, days_ago=10, title="Paper accepted", content="Energy $E=mc^2$."),
        add(owner, days_ago=5, inline=True, content="Gave a *seminar*."),
        add(owner, days_ago=1, title="New student", content="Welcome!"),
    ]


def about(site_client) -> str:
    return site_client("ada").get("/").content.decode()


def announcement_rows(html: str) -> list[str]:
    box = html.split('class="announcements"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", box, re.S)


# --- Announcements on the about page --------------------------------------------------


def test_announcements_are_newest_first_and_at_most_the_limit(site_client, owner, news):
    owner.announcements_limit = 3
    owner.save()
    rows = announcement_rows(about(site_client))
    assert len(rows) == 3
    assert "New student" in rows[0] and "seminar" in rows[1] and "Paper accepted" in rows[2]


def test_no_limit_shows_every_item(site_client, owner, news):
    owner.announcements_limit = None
    owner.save()
    assert len(announcement_rows(about(site_client))) == 5


def test_the_box_scrolls_when_scrollable_and_the_site_has_more_than_three_items(
    site_client, owner, news, django_capture_on_commit_callbacks
):
    owner.announcements_limit = 2
    owner.save()
    assert "news-box--scroll" in about(site_client)
    with django_capture_on_commit_callbacks(execute=True):  # the tenancy cache hears of it
        owner.announcements_scrollable = False
        owner.save()
    assert "news-box--scroll" not in about(site_client)


def test_the_box_does_not_scroll_with_three_items_or_fewer(site_client, owner):
    for n in range(3):
        add(owner, days_ago=n, title=f"Item {n}")
    assert "news-box--scroll" not in about(site_client)


def test_inline_items_show_their_content_without_a_paragraph_and_others_their_title(
    site_client, news
):
    html = about(site_client)
    assert "<td>Gave a <em>seminar</em>.</td>" in html
    assert '<a class="news-title" href="/news/new-student/">New student</a>' in html
    assert "A talk at the Royal Society. 👋" in html


def test_dates_read_like_al_folios(site_client, owner):
    item = add(owner, title="Old news")
    NewsItem.objects.filter(pk=item.pk).update(date=datetime(2015, 10, 22, 12, tzinfo=UTC))
    assert '<th scope="row">Oct 22, 2015</th>' in about(site_client)


def test_the_heading_links_to_the_news_page_and_no_news_says_so(site_client, owner):
    html = about(site_client)
    assert '<h2 id="news-heading"><a href="/news/">news</a></h2>' in html
    assert "No news so far..." in html
    assert site_client("ada").get("/news/").status_code == 200


def test_the_page_option_hides_the_announcements(site_client, owner, news):
    owner.show_announcements = False
    owner.save()
    assert 'class="announcements"' not in about(site_client)


def test_announcements_come_after_the_bio_and_before_selected_papers(site_client, owner, news):
    from tests.test_publications import import_text

    import_text(owner)
    html = about(site_client)
    assert (
        html.index('class="bio')
        < html.index('class="announcements"')
        < html.index('class="selected-papers"')
    )


# --- Future-dated and hidden items ------------------------------------------------------


def test_an_item_dated_in_the_future_stays_off_until_its_time(site_client, owner, news):
    future = add(owner, days_ago=-2, title="Coming soon", content="Not yet.")
    client = site_client("ada")
    assert "Coming soon" not in about(site_client)
    assert "Coming soon" not in client.get("/news/").content.decode()
    assert client.get(future.path).status_code == 404
    assert "Coming soon" not in client.get("/feed.xml").content.decode()
    assert future.path not in client.get("/sitemap.xml").content.decode()
    # Its time comes (the page cache knows when: profiles.pagecache, tested there).
    future.date = timezone.now() - timedelta(minutes=1)
    future.save()
    assert "Coming soon" in client.get("/news/").content.decode()
    assert client.get(future.path).status_code == 200


def test_a_hidden_item_is_gone_everywhere(site_client, owner, news):
    NewsItem.objects.filter(title="Paper accepted").update(is_visible=False)
    client = site_client("ada")
    assert "Paper accepted" not in about(site_client)
    assert client.get("/news/paper-accepted/").status_code == 404
    assert "Paper accepted" not in client.get("/feed.xml").content.decode()


# --- The news section -------------------------------------------------------------------


def test_the_news_page_lists_every_item_newest_first(site_client, news):
    html = site_client("ada").get("/news/").content.decode()
    assert html.index("New student") < html.index("Paper accepted") < html.index("new lab")


def test_the_news_page_is_paginated(site_client, owner):
    for n in range(45):
        add(owner, days_ago=n, title=f"Item {n:02d}")
    client = site_client("ada")
    first = client.get("/news/").content.decode()
    assert "Item 00" in first and "Item 20" not in first and "Page 1 of 3" in first
    assert "Item 44" in client.get("/news/?page=3").content.decode()


def test_an_item_page_shows_its_date_and_links_to_its_neighbours(site_client, news):
    html = site_client("ada").get("/news/paper-accepted/").content.decode()
    assert "<h1" in html and "Paper accepted" in html and "<math" in html
    assert 'href="/news/new-student/" rel="next"' in html
    assert 'href="/news/we-moved-to-a-new-lab/" rel="prev"' in html


def test_inline_items_have_no_page(site_client, news):
    assert site_client("ada").get("/news/gave-a-seminar/").status_code == 404


def test_the_navigation_and_the_head_show_news_only_when_there_is_some(site_client, owner):
    html = about(site_client)
    assert 'href="/news/">news</a></li>' not in html and "application/atom+xml" not in html
    add(owner, title="First news")
    html = about(site_client)
    assert '<li><a href="/news/">news</a></li>' in html
    assert '<link rel="alternate" type="application/atom+xml" href="/feed.xml"' in html


def test_the_sitemap_lists_the_news_pages(site_client, news):
    xml = site_client("ada").get("/sitemap.xml").content.decode()
    assert "http://ada.localhost:8000/news/</loc>" in xml
    assert "http://ada.localhost:8000/news/paper-accepted/</loc>" in xml


def test_two_items_with_one_title_get_two_addresses(owner):
    first = add(owner, title="Talk")
    second = add(owner, title="Talk")
    assert (first.slug, second.slug) == ("talk", "talk-2")


def test_an_addresss_stays_when_the_title_changes(owner):
    item = add(owner, title="Talk")
    item.title = "Talk, updated"
    save_news_item(profile=owner, item=item)
    assert item.slug == "talk"


# --- The feed --------------------------------------------------------------------------------


def test_the_feed_is_valid_atom_with_absolute_links(site_client, news):
    response = site_client("ada").get("/feed.xml")
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Ada K. Lovelace: news"
    assert feed.feed.link == "http://ada.localhost:8000/news/"
    assert len(feed.entries) == 5
    newest = feed.entries[0]
    assert newest.title == "New student"
    assert newest.link == "http://ada.localhost:8000/news/new-student/"
    assert newest.id and newest.updated_parsed and newest.published_parsed
    inline = next(e for e in feed.entries if "seminar" in e.title)
    assert inline.link.startswith("http://ada.localhost:8000/news/#news-")
    assert "<em>seminar</em>" in inline.summary


def test_a_forged_host_cannot_change_the_feeds_links(owner, news):
    forged = Client(HTTP_HOST="ada.localhost:6666")
    feed = feedparser.parse(forged.get("/feed.xml").content)
    assert all(entry.link.startswith("http://ada.localhost:8000/") for entry in feed.entries)


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_titles_and_bodies_run_no_script_on_any_page_or_in_the_feed(
    site_client, owner, payload
):
    titled = add(owner, title=f"T {payload}", content=f"Body {payload}")
    add(owner, inline=True, content=f"Inline {payload}")
    client = site_client("ada")
    for path in ("/", "/news/", titled.path):
        page = client.get(path).content.decode()
        main = page.split('<main id="content"', 1)[1].split("</main>", 1)[0].split(">", 1)[1]
        assert ways_to_run_script(main) == [], path
        assert "alert(1)</script>" not in page, path
    feed = feedparser.parse(client.get("/feed.xml").content)
    assert not feed.bozo
    for entry in feed.entries:
        assert ways_to_run_script(entry.summary) == []


# --- Query counts ----------------------------------------------------------------------------


def bulk_news(profile: Profile, n: int) -> None:
    now = timezone.now()
    NewsItem.objects.bulk_create(
        NewsItem(
            profile=profile,
            date=now - timedelta(hours=i),
            title=f"N{i}",
            slug=f"n{i}",
            content_html="<p>x</p>",
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [0, 5, 500])
def test_the_about_page_costs_the_same_queries_whatever_the_news(
    site_client, owner, django_assert_num_queries, n
):
    bulk_news(owner, n)
    client = site_client("ada")
    client.get("/")
    # The links, the selected papers, whether there are publications, the news.
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("n", [5, 500])
def test_the_news_page_and_the_feed_cost_the_same_queries_whatever_the_news(
    site_client, owner, django_assert_num_queries, n
):
    bulk_news(owner, n)
    client = site_client("ada")
    client.get("/news/")
    # The count and the page of items (the paginator), whether there are publications.
    with django_assert_num_queries(3):
        assert client.get("/news/").status_code == 200
    # The latest items.
    with django_assert_num_queries(1):
        assert client.get("/feed.xml").status_code == 200


# --- The dashboard ----------------------------------------------------------------------------


def test_writing_a_titled_item_puts_it_on_the_site(owner_client, owner, site_client):
    response = owner_client.post(
        "/dashboard/news/new/",
        {"date": "2026-01-15T10:00", "title": "Grant awarded", "content": "We got it :tada:"},
    )
    assert response.status_code == 302
    item = NewsItem.objects.get(profile=owner)
    assert item.slug == "grant-awarded" and "🎉" in item.content_html
    assert site_client("ada").get("/news/grant-awarded/").status_code == 200


def test_a_titled_item_needs_a_title_and_an_inline_one_its_text(owner_client, owner):
    response = owner_client.post(
        "/dashboard/news/new/", {"date": "2026-01-15T10:00", "content": "x"}
    )
    assert "Give the item a title, or make it inline" in response.content.decode()
    response = owner_client.post(
        "/dashboard/news/new/", {"date": "2026-01-15T10:00", "inline": "on"}
    )
    assert "An inline item is its text" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_a_future_item_says_when_it_will_show(owner_client, owner):
    future = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(
        "/dashboard/news/new/", {"date": future, "title": "Soon", "content": "x"}, follow=True
    )
    assert "shows on your site from then" in response.content.decode()


def test_the_news_editor_has_the_live_preview(owner_client):
    html = owner_client.get("/dashboard/news/new/").content.decode()
    assert 'class="markdownx-editor' in html and "markdownx-preview user-content" in html


def test_the_list_searches(owner_client, owner, news):
    html = owner_client.get("/dashboard/news/?q=student").content.decode()
    assert "New student" in html and "Paper accepted" not in html


def test_editing_and_deleting_an_item(owner_client, owner, news):
    item = news[0]
    owner_client.post(
        f"/dashboard/news/{item.pk}/",
        {"date": "2026-01-15T10:00", "title": "Moved", "slug": item.slug, "content": "y"},
    )
    item.refresh_from_db()
    assert item.title == "Moved"
    owner_client.post(f"/dashboard/news/{item.pk}/delete/")
    assert not NewsItem.objects.filter(pk=item.pk).exists()


def test_the_rss_network_is_offered_and_links_to_the_sites_feed(owner_client, owner, site_client):
    assert 'value="rss"' in owner_client.get("/dashboard/links/").content.decode()
    owner_client.post("/dashboard/links/", {"network": "rss"})
    assert 'href="/feed.xml"' in about(site_client)


def test_outsiders_get_404_or_the_login_page_on_every_news_url(owner, news, outsider):
    item = news[0]
    urls = [
        ("get", "/dashboard/news/"), ("get", "/dashboard/news/new/"),
        ("get", f"/dashboard/news/{item.pk}/"), ("post", f"/dashboard/news/{item.pk}/"),
        ("post", f"/dashboard/news/{item.pk}/delete/"),
    ]  # fmt: skip
    anonymous = Client(HTTP_HOST="localhost")
    for method, url in urls:
        assert getattr(anonymous, method)(url).headers["Location"].startswith("/accounts/login/")
    other = make_researcher("grace")
    intruder = Client(HTTP_HOST="localhost")
    intruder.force_login(other.owner)
    for method, url in urls:
        if str(item.pk) in url:
            assert getattr(intruder, method)(url, {"title": "x"}).status_code == 404, url
    assert b"new lab" not in intruder.get("/dashboard/news/").content
    nobody = Client(HTTP_HOST="localhost")
    nobody.force_login(outsider)
    for method, url in urls:
        assert getattr(nobody, method)(url).status_code == 404, url
    assert NewsItem.objects.filter(pk=item.pk).exists()
