"""Log-ins and failed log-ins (profiles.login_audit): each account's own on its
"Recent log-ins" page, every account's in the admin, pruned after LOGIN_RECORD_DAYS,
and gone with the account."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from profiles import accounts, login_audit
from profiles.login_audit import browser_summary
from profiles.models import User
from profiles.two_factor import devices
from tests.conftest import PASSWORD, totp_code, verified_login

pytestmark = pytest.mark.django_db

LOG_INS = "/dashboard/account/log-ins/"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87"
)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.LOGIN_RECORD_DAYS = 30
    settings.LOGIN_FAILURE_LIMITS = {"username": 5, "ip_address": 20}
    settings.AXES_FAILURE_LIMIT = 5


def browser(address: str, agent: str) -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password})


def rows(response) -> list[list[str]]:
    """The log-ins table as text: [when, what, address, browser] per row."""
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    if body is None:
        return []
    return [
        [" ".join(unescape(re.sub(r"<[^>]+>", "", cell)).split()) for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body[1], re.S)
        )
    ]


def age(model, days: int) -> None:
    """Make every row of `model` `days` old (attempt_time is set on insert only)."""
    model.objects.update(attempt_time=timezone.now() - timedelta(days=days))


# ---------------------------------------------------------------- the owner's page


def test_the_owner_sees_log_ins_and_failed_log_ins_newest_first(owner):
    attacker = browser("203.0.113.7", FIREFOX)
    assert log_in(attacker, "ada@example.org", "guess-one").status_code == 200
    phone = browser("198.51.100.23", CHROME_ANDROID)
    assert log_in(phone, "ada@example.org").status_code == 302

    shown = rows(phone.get(LOG_INS))
    assert [row[1:] for row in shown] == [
        ["Password accepted", "198.51.100.23", "Chrome 126 on Android"],
        ["Wrong password", "203.0.113.7", "Firefox 128 on Windows"],
    ]
    # The full User-Agent is there on hover.
    assert f'title="{FIREFOX}"' in phone.get(LOG_INS).content.decode()


def test_failed_log_ins_show_for_the_account_they_aimed_at(owner):
    """Whoever failed never knew the password, and still the owner sees it."""
    own = browser("198.51.100.23", CHROME_ANDROID)
    log_in(own, "ada@example.org")
    attacker = browser("203.0.113.7", FIREFOX)
    for attempt in range(5):
        log_in(attacker, "Ada@Example.org ", f"guess-{attempt}")  # typed any old way
    shown = rows(own.get(LOG_INS))
    assert [row[1] for row in shown] == [
        "Refused: too many failures",
        *["Wrong password"] * 4,
        "Password accepted",
    ]
    assert {row[2] for row in shown[:5]} == {"203.0.113.7"}


def test_no_one_sees_another_accounts_log_ins(owner, second_researcher, owner_client):
    AccessLog.objects.all().delete()  # owner_client's own log-in, from no address
    grace = browser("192.0.2.44", SAFARI_IPHONE)
    log_in(grace, "grace@example.org", "not-it")
    log_in(grace, "grace@example.org")
    page = owner_client.get(LOG_INS)
    assert rows(page) == []
    assert "192.0.2.44" not in page.content.decode()
    assert "No log-ins or failed attempts in the last 30 days." in page.content.decode()
    assert [row[1] for row in rows(grace.get(LOG_INS))] == ["Password accepted", "Wrong password"]


def test_two_factor_codes_right_and_wrong_show_too(owner):
    device = TOTPDevice.objects.create(user=owner.owner, name="Phone", confirmed=True)
    client = browser("198.51.100.23", SAFARI_IPHONE)
    log_in(client, "ada@example.org")
    verify = "/accounts/two-factor/verify/"
    wrong = "000000" if totp_code(device.bin_key) != "000000" else "111111"
    client.post(verify, {"code": wrong})
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert client.post(verify, {"code": totp_code(device.bin_key)}).status_code == 302

    shown = rows(client.get(LOG_INS))
    assert [row[1:] for row in shown] == [
        ["Code accepted", "198.51.100.23", "Safari 17 on iPhone"],
        ["Wrong code", "198.51.100.23", "Safari 17 on iPhone"],
        ["Password accepted", "198.51.100.23", "Safari 17 on iPhone"],
    ]


def test_the_page_shows_the_last_30_days_and_at_most_50_rows(
    owner, owner_client, django_assert_num_queries
):
    AccessLog.objects.create(username="ada@example.org", ip_address="192.0.2.1", user_agent="")
    age(AccessLog, 31)
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username="ada@example.org", ip_address="192.0.2.2", user_agent="x")
        for _ in range(60)
    )
    # The session, the user, the profile, the log-ins, the failures.
    with django_assert_num_queries(5):
        page = owner_client.get(LOG_INS)
    shown = rows(page)
    assert len(shown) == 50
    assert "192.0.2.1" not in page.content.decode()
    assert "(the latest 50)" in page.content.decode()


def test_the_page_needs_a_log_in_and_a_site(outsider):
    anonymous = Client(HTTP_HOST="localhost")
    assert anonymous.get(LOG_INS)["Location"].startswith("/accounts/login/")
    siteless = Client(HTTP_HOST="localhost")
    siteless.force_login(outsider)
    assert siteless.get(LOG_INS).status_code == 404


def test_the_account_page_links_to_recent_log_ins(owner_client):
    assert f'href="{LOG_INS}"' in owner_client.get("/dashboard/account/").content.decode()


@pytest.mark.parametrize(
    ("agent", "summary"),
    [
        (FIREFOX, "Firefox 128 on Windows"),
        (CHROME_ANDROID, "Chrome 126 on Android"),
        (SAFARI_IPHONE, "Safari 17 on iPhone"),
        (EDGE, "Edge 126 on Windows"),
        ("curl/8.5.0", "curl"),
        ("python-requests/2.32.3", "python-requests"),
        ("", "Unknown browser"),
        ("<unknown>", "Unknown browser"),
    ],
)
def test_browsers_are_named_as_people_know_them(agent, summary):
    assert browser_summary(agent) == summary


# ---------------------------------------------------------------- admins


def test_admins_find_an_accounts_log_ins_by_its_address(owner, second_researcher, moderator):
    log_in(browser("203.0.113.7", FIREFOX), "ada@example.org", "guess")
    log_in(browser("198.51.100.23", FIREFOX), "ada@example.org")
    log_in(browser("192.0.2.44", SAFARI_IPHONE), "grace@example.org", "guess")
    log_in(browser("192.0.2.44", SAFARI_IPHONE), "grace@example.org")
    admin = Client(HTTP_HOST="localhost")
    verified_login(admin, moderator)

    for listing, address in [
        ("/admin/axes/accesslog/", "198.51.100.23"),
        ("/admin/axes/accessfailurelog/", "203.0.113.7"),
    ]:
        page = admin.get(listing, {"q": "ada@example.org"})
        assert page.status_code == 200
        html = page.content.decode()
        assert address in html and "192.0.2.44" not in html
        assert "192.0.2.44" in admin.get(listing, {"q": "grace@example.org"}).content.decode()


def test_moderators_do_not_see_log_in_records(owner):
    desk = User.objects.create_user(email="desk@example.org", password=PASSWORD, is_staff=True)
    desk.groups.add(Group.objects.get(name="Moderators"))
    client = Client(HTTP_HOST="localhost")
    verified_login(client, desk)
    assert client.get("/admin/axes/accesslog/").status_code == 403
    assert client.get("/admin/axes/accessfailurelog/").status_code == 403


# ---------------------------------------------------------------- keeping and deleting


def test_records_older_than_the_kept_days_are_pruned_at_most_once_an_hour(owner):
    log_in(browser("192.0.2.1", FIREFOX), "ada@example.org")
    age(AccessLog, 31)
    cache.clear()
    log_in(browser("192.0.2.2", FIREFOX), "ada@example.org", "guess")  # writes, and prunes
    assert not AccessLog.objects.exists()

    log_in(browser("192.0.2.3", FIREFOX), "ada@example.org")
    age(AccessFailureLog, 31)
    log_in(browser("192.0.2.4", FIREFOX), "ada@example.org", "guess")
    assert AccessFailureLog.objects.count() == 2  # pruned less than an hour ago
    assert login_audit.prune_login_records() == 1
    assert AccessFailureLog.objects.count() == 1


def test_erasing_an_account_erases_its_log_ins_and_two_factor_devices(owner, second_researcher):
    log_in(browser("203.0.113.7", FIREFOX), "ada@example.org", "guess")
    log_in(browser("198.51.100.23", FIREFOX), "ada@example.org")
    log_in(browser("192.0.2.44", FIREFOX), "grace@example.org")
    TOTPDevice.objects.create(user=owner.owner, name="Phone", confirmed=True)
    devices.new_recovery_codes(owner.owner)

    accounts.erase_account(user=owner.owner)

    assert not AccessLog.objects.filter(username="ada@example.org").exists()
    assert not AccessFailureLog.objects.filter(username="ada@example.org").exists()
    assert AccessLog.objects.filter(username="grace@example.org").count() == 1
    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
