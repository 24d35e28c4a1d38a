"""In a real browser, the moderation loop: a visitor reports a news item, a moderator hides it,
the site no longer shows it, the owner reads why, edits it and asks for a review, and the
moderator puts it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from news.models import NewsItem
from news.services import save_news_item
from profiles.models import Report, User
from tests.conftest import PASSWORD, make_researcher, set_up_two_factor_in_browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url: str, email: str, *, admin: bool = False) -> None:
    page.goto(url)
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]" if admin else "button[type=submit]")


def test_a_reported_news_item_is_hidden_fixed_by_its_owner_and_put_back(
    browser, live_server, settings
):
    port = live_server.url.rsplit(":", 1)[1]
    settings.PUBLIC_PORT = port
    ARTIFACTS.mkdir(exist_ok=True)
    owner = make_researcher("ada", first_name="Ada", last_name="Lovelace")
    item = save_news_item(
        profile=owner,
        item=NewsItem(title="Casino night", content="Win big at [the casino](https://x.example)."),
    )
    moderator = User.objects.create_user(email="desk@example.org", password=PASSWORD, is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    site = f"http://ada.localhost:{port}"
    platform = f"http://localhost:{port}"

    # A visitor reports the item from its own page.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    visitor.goto(f"{site}{item.path}")
    visitor.click("text=Report this page")
    visitor.wait_for_url(f"{platform}/report/**")
    visitor.check("input[name=reason][value=spam]")
    visitor.fill("textarea[name=message]", "This advertises a casino.")
    visitor.click("button[type=submit]")
    visitor.wait_for_url(f"{platform}/report/sent/**")
    report = Report.objects.get()
    assert report.page_url == f"{site}{item.path}"

    # A moderator sees it in the queue and hides the item from the news list.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, f"{platform}/admin/login/", "desk@example.org", admin=True)
    set_up_two_factor_in_browser(desk)  # staff set up their second step at the first log-in
    desk.goto(f"{platform}/admin/profiles/report/")
    assert "This advertises a casino." in desk.inner_text("#result_list")
    desk.goto(f"{platform}/admin/news/newsitem/?q=Casino")
    desk.check("input[name=_selected_action]")
    desk.select_option("select[name=action]", "hide")
    desk.click("button[name=index]")
    desk.fill("textarea[name=reason]", "Advertising a casino is not allowed here.")
    desk.click("input[type=submit]")
    assert "1 item(s) hidden" in desk.inner_text(".messagelist")

    visitor.goto(f"{site}/news/")
    assert "Casino night" not in visitor.inner_text("main")
    assert visitor.goto(f"{site}{item.path}").status == 404

    # The owner reads why, edits the item, and asks for a review.
    own = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(own, f"{platform}/accounts/login/", "ada@example.org")
    own.click("text=See what, and why")
    assert "Advertising a casino is not allowed here." in own.inner_text("main")
    own.click("text=Edit it")
    own.fill("input[name=title]", "Games night")
    own.fill("textarea[name=content]", "Board games at the department, Friday.")
    own.click("button:has-text('Save')")
    own.goto(f"{platform}/dashboard/moderation/")
    own.click("button:has-text('Ask for a review')")
    assert "back in front of a moderator" in own.inner_text(".messages")
    own.screenshot(path=ARTIFACTS / "moderation-owner.png", full_page=True)

    # The moderator finds it among the review requests and puts it back.
    desk.goto(f"{platform}/admin/profiles/hiddenitem/")
    assert "Games night" in desk.inner_text("#result_list")
    desk.check("input[name=_selected_action]")
    desk.select_option("select[name=action]", "put_back")
    desk.click("button[name=index]")
    desk.fill("textarea[name=reason]", "Thank you for changing it.")
    desk.click("input[type=submit]")
    assert "1 item(s) put back" in desk.inner_text(".messagelist")
    desk.screenshot(path=ARTIFACTS / "moderation-desk.png", full_page=True)

    assert visitor.goto(f"{site}{item.path}").status == 200
    assert "Games night" in visitor.inner_text("main")
    for page in (visitor, desk, own):
        # Open pages keep talking to the live server after the test, whose
        # threads then fail on the test's database connection.
        page.context.close()
