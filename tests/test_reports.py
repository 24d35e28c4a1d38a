"""Visitors report a page (issue 10, item 3): the footer link on every public
page, the form on the platform host, what it refuses, and its rate limit."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from news.models import NewsItem
from news.services import save_news_item
from profiles.models import CustomDomain, Profile, Report
from profiles.views.reports import REPORT_POSTS, REPORTS
from publications.services import import_bibtex
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

BIB = r"""
@article{lovelace1843notes,
  title = {Sketch of the Analytical Engine},
  author = {Lovelace, Ada},
  journal = {Scientific Memoirs},
  year = {1843},
}
"""

SITE = "http://ada.localhost:8000"  # test settings: PUBLIC_SCHEME http, PUBLIC_PORT 8000
# Ten minutes into a clock hour: a used-up budget has room again in 50 minutes.
NOW = 3600 * 480_000 + 600


@pytest.fixture
def site_pages(owner) -> list[str]:
    """A path of each kind of public page of ada's site."""
    import_bibtex(profile=owner, text=BIB, source="test")
    item = save_news_item(
        profile=owner,
        item=NewsItem(date=timezone.now(), title="Paper accepted", content="Yes."),
    )
    return ["/", "/publications/", "/publications/lovelace1843notes/", "/news/", item.path]


@pytest.fixture
def frozen_clock(monkeypatch) -> None:
    monkeypatch.setattr("profiles.ratelimit._now", lambda: NOW)


def form_url(page: str = f"{SITE}/news/", site: str = "ada") -> str:
    return "/report/?" + urlencode({"site": site, "page": page})


def expected_link(path: str) -> str:
    return "http://localhost:8000/report/?" + urlencode({"site": "ada", "page": SITE + path})


def report_link(page_html: str) -> str | None:
    found = re.search(r'<a href="([^"]*)" rel="nofollow">Report this page</a>', page_html)
    return html.unescape(found[1]) if found else None


GOOD = {
    "reason": Report.Reason.PRIVACY,
    "message": "This page shows my home address.",
    "contact_email": "reader@example.org",
}


def post(client: Client, data: dict | None = None, url: str | None = None, **extra):
    return client.post(url or form_url(), {**GOOD, **(data or {})}, **extra)


# --- The link on the site's pages --------------------------------------------------


def test_every_kind_of_site_page_links_to_the_report_form_for_itself(site_client, site_pages):
    for path in site_pages:
        response = site_client("ada").get(path)
        assert response.status_code == 200, path
        footer = response.content.decode().split('<footer class="site-footer">', 1)[1]
        assert report_link(footer) == expected_link(path), path
        assert not response.cookies  # the link costs the site nothing of its cookie-freedom


def test_the_link_names_the_page_by_the_sites_host_from_settings_not_the_host_header(
    site_client, owner
):
    CustomDomain.objects.create(host="www.ada-lovelace.org", profile=owner, verified=True)
    on_custom_domain = site_client("www.ada-lovelace.org").get("/news/").content.decode()
    assert report_link(on_custom_domain) == expected_link("/news/")
    odd_port = Client(HTTP_HOST="ada.localhost:9999").get("/").content.decode()
    assert report_link(odd_port) == expected_link("/")


def test_the_owners_and_the_moderators_previews_have_no_report_link(
    owner_client, moderator, owner, site_pages
):
    for path in site_pages:
        page = owner_client.get("/dashboard/preview" + path)
        assert page.status_code == 200, path
        assert "Report this page" not in page.content.decode(), path
    admin = Client(HTTP_HOST=settings.PLATFORM_HOST)
    verified_login(admin, moderator)
    page = admin.get(f"/admin/profiles/profile/{owner.pk}/preview/")
    assert page.status_code == 200
    assert "Report this page" not in page.content.decode()


# --- The form ----------------------------------------------------------------------


def test_the_form_shows_the_site_and_the_page_and_asks_why(client, owner):
    response = client.get(form_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada K. Lovelace" in page
    assert f'<a href="{SITE}/news/" rel="nofollow noopener">{SITE}/news/</a>' in page
    for value, label in Report.Reason.choices:
        assert f'type="radio" name="reason" value="{value}"' in page
        assert label in page
    assert '<textarea name="message"' in page and 'maxlength="5000"' in page
    assert "Only to tell you what was done about your report." in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<meta name="robots" content="noindex">' in page
    # The form posts back to the same site and page.
    assert (
        f'action="/report/?{html.escape(urlencode({"site": "ada", "page": SITE + "/news/"}))}"'
        in page
    )


def test_without_a_page_the_report_is_about_the_sites_home_page(client, owner):
    response = client.get("/report/?site=ada")
    assert response.status_code == 200
    assert f"{SITE}/</a>" in response.content.decode()


def test_a_valid_report_is_saved_with_everything_and_the_visitor_thanked(client, owner):
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == "/report/sent/?site=ada"
    report = Report.objects.get()
    assert report.profile == owner
    assert report.page_url == f"{SITE}/news/"
    assert report.reason == Report.Reason.PRIVACY
    assert report.message == GOOD["message"]
    assert report.contact_email == "reader@example.org"
    assert report.status == Report.Status.OPEN
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in thanks
    assert "A moderator will look at the page" in thanks
    assert "If you left your e-mail address, they will write to you" in thanks
    assert f'<a href="{SITE}/">Back to Ada K. Lovelace\'s site</a>' in thanks


def test_the_contact_address_is_optional_and_logged_in_visitors_report_too(owner_client, owner):
    assert post(owner_client, {"contact_email": ""}).status_code == 302
    assert Report.objects.get().contact_email == ""


def test_a_page_on_a_verified_custom_domain_may_be_reported(client, owner):
    CustomDomain.objects.create(host="www.ada-lovelace.org", profile=owner, verified=True)
    page = "http://www.ada-lovelace.org:8000/publications/#top"
    assert post(client, url=form_url(page)).status_code == 302
    assert Report.objects.get().page_url == "http://www.ada-lovelace.org:8000/publications/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": ""}, "Say what is wrong with the page"),
        ({"message": "   "}, "Say what is wrong with the page"),
        ({"message": "x" * 5001}, "Please keep it to 5,000 characters or fewer (this is 5001)."),
        ({"contact_email": "not an address"}, "Enter an e-mail address such as name@example.org"),
        ({"reason": "boring"}, "Choose one of the reasons listed."),
        ({"reason": ""}, "Choose the reason that fits best."),
    ],
)
def test_an_invalid_report_is_refused_with_a_message_and_nothing_saved(
    client, owner, data, message
):
    response = post(client, data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Report.objects.exists()


def test_what_was_typed_stays_in_a_refused_form(client, owner):
    page = post(client, {"contact_email": "nope"}).content.decode()
    assert GOOD["message"] in page
    assert 'value="privacy" id="id_reason_3" required checked>' in page


@pytest.mark.parametrize(
    "page",
    [
        "http://grace.localhost:8000/news/",  # another site
        "https://ada.localhost:8000/news/",  # not our scheme
        "http://ada.localhost:9000/news/",  # not our port
        "http://ada.localhost/news/",
        "http://evil@ada.localhost:8000/news/",
        "http://www.ada-lovelace.org:8000/",  # a domain that is not verified
        "http://localhost:8000/dashboard/",  # the platform itself
        "javascript:alert(1)//ada.localhost:8000/",
        "Call +1 555 0100 now",
        SITE + "/" + "x" * 500,
    ],
)
def test_a_page_that_is_not_of_the_site_is_refused(client, owner, second_researcher, page):
    CustomDomain.objects.create(host="www.ada-lovelace.org", profile=owner, verified=False)
    shown = client.get(form_url(page))
    assert shown.status_code == 400
    text = shown.content.decode()
    assert "This is not a page of that site" in text
    assert "Reports are only about pages of Ada K. Lovelace's site" in text
    assert html.escape(page) not in text  # nobody gets to put words on our page
    assert post(client, url=form_url(page)).status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("status", [Profile.Status.PENDING, Profile.Status.SUSPENDED, None])
def test_an_unknown_or_unpublished_site_is_a_404_that_says_so(client, owner, status):
    if status is None:
        url = form_url("http://nobody.localhost:8000/", site="nobody")
    else:
        owner.status = status
        owner.save()
        url = form_url()
    for response in (client.get(url), post(client, url=url)):
        assert response.status_code == 404
        assert "There is no such site" in response.content.decode()
    assert client.get("/report/").status_code == 404
    assert not Report.objects.exists()


def test_the_form_is_csrf_protected(owner):
    browser = Client(HTTP_HOST=settings.PLATFORM_HOST, enforce_csrf_checks=True)
    assert post(browser).status_code == 403
    assert not Report.objects.exists()
    # With the token the form carries, the same post goes through.
    page = browser.get(form_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert post(browser, {"csrfmiddlewaretoken": token}).status_code == 302
    assert Report.objects.count() == 1


# --- The rate limit ----------------------------------------------------------------


def test_a_client_is_limited_after_five_reports_an_hour_with_the_wait_named(
    client, owner, frozen_clock
):
    for _ in range(REPORTS.limit):
        assert post(client).status_code == 302
    response = post(client, {"message": "One more, carefully typed."})
    assert response.status_code == 429
    assert response["Retry-After"] == "3000"
    page = response.content.decode()
    assert "Please try again in 50 minutes" in page
    assert "One more, carefully typed." in page  # kept for later
    assert Report.objects.count() == REPORTS.limit
    # The form itself says so before anything is typed.
    assert client.get(form_url()).status_code == 429
    # Another address is not affected.
    assert post(client, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_ipv6_addresses_count_per_64(client, owner, frozen_clock):
    for n in range(REPORTS.limit):
        assert post(client, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}").status_code == 302
    assert post(client, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert post(client, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_invalid_posts_count_too_so_a_script_cannot_spam_errors(client, owner, frozen_clock):
    for _ in range(REPORT_POSTS.limit):
        assert post(client, {"message": ""}).status_code == 200
    assert post(client).status_code == 429
    assert not Report.objects.exists()


def test_posts_for_a_page_of_another_site_count_too(client, owner, frozen_clock):
    elsewhere = form_url("http://elsewhere.example/")
    for _ in range(REPORT_POSTS.limit):
        assert post(client, url=elsewhere).status_code == 400
    assert post(client).status_code == 429


def test_the_limit_lifts_when_the_hour_is_over(client, owner, monkeypatch, frozen_clock):
    for _ in range(REPORTS.limit):
        post(client)
    assert post(client).status_code == 429
    monkeypatch.setattr("profiles.ratelimit._now", lambda: NOW + 3000)
    assert post(client).status_code == 302


def test_behind_our_proxy_the_address_it_appended_is_counted(client, owner, settings, frozen_clock):
    settings.LOGIN_TRUSTS_X_FORWARDED_FOR = True  # BEHIND_TLS_PROXY=1
    for _ in range(REPORTS.limit):
        assert post(client, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1").status_code == 302
    assert post(client, HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.1").status_code == 429
    assert post(client, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


# --- The moderators' e-mail --------------------------------------------------------


def test_moderators_hear_of_a_report_when_an_address_is_set(
    client, owner, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_EMAIL = "moderators@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        post(client)
    report = Report.objects.get()
    [message] = mail.outbox
    assert message.to == ["moderators@example.org"]
    assert message.reply_to == ["reader@example.org"]
    assert message.subject == f"Report #{report.pk} on ada.localhost: Shares private information"
    assert GOOD["message"] in message.body
    assert f"{SITE}/news/" in message.body
    assert f"http://localhost:8000/admin/profiles/report/{report.pk}/change/" in message.body


def test_no_moderation_address_no_e_mail(client, owner, django_capture_on_commit_callbacks):
    assert settings.MODERATION_EMAIL == ""
    with django_capture_on_commit_callbacks(execute=True):
        post(client)
    assert Report.objects.count() == 1
    assert mail.outbox == []
