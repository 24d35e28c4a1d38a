"""Abuse limits on accounts: sign-up per network with a bot check, password reset
per address and per network (README "Accounts and e-mail addresses")."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from profiles import botcheck, ratelimit
from profiles.models import Profile, User
from profiles.views import accounts
from tests.conftest import PASSWORD, bot_check_fields, make_researcher

pytestmark = pytest.mark.django_db

# The middle of a clock-aligned minute and hour: no window ends during a test.
NOON = 1_750_000_000 // 3600 * 3600 + 1830


def signup_data(n: int, **changes: str) -> dict[str, str]:
    return {
        "email": f"person{n}@example.org",
        "first_name": "Person",
        "last_name": str(n),
        "slug": f"person-{n}",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **bot_check_fields(),
        **changes,
    }


def from_address(address: str = "192.0.2.7") -> Client:
    return Client(HTTP_HOST=settings.PLATFORM_HOST, REMOTE_ADDR=address)


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The rate limits' clock, fixed at NOON; tests move it by changing clock[0]."""
    now = [float(NOON)]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    return now


def sign_up(capture, data: dict[str, str], address: str = "192.0.2.7"):
    # A fresh client each time: a logged-in one is sent to its dashboard.
    with capture(execute=True):
        return from_address(address).post("/accounts/signup/", data)


# --- Sign-up throttling ------------------------------------------------------


def test_one_network_gets_five_new_accounts_an_hour_then_a_429_that_says_when(
    clock, django_capture_on_commit_callbacks
):
    for n in range(accounts.SIGNUPS_PER_HOUR.limit):
        assert sign_up(django_capture_on_commit_callbacks, signup_data(n)).status_code == 302
    response = sign_up(django_capture_on_commit_callbacks, signup_data(99))
    assert response.status_code == 429
    assert response["Retry-After"] == "1770"
    assert "Too many new accounts from your network: try again in 30 minutes." in (
        response.content.decode()
    )
    # What was typed stays, to send later.
    assert 'value="person99@example.org"' in response.content.decode()
    # Nothing created, nothing mailed beyond the limit.
    assert User.objects.count() == Profile.objects.count() == 5
    assert len(mail.outbox) == 5
    assert not User.objects.filter(email="person99@example.org").exists()
    # Another network is not held up.
    other = sign_up(django_capture_on_commit_callbacks, signup_data(99), address="198.51.100.1")
    assert other.status_code == 302


def test_the_next_hour_allows_more_until_twenty_a_day(clock, django_capture_on_commit_callbacks):
    n = 0
    for _hour in range(4):
        for _ in range(5):
            assert sign_up(django_capture_on_commit_callbacks, signup_data(n)).status_code == 302
            n += 1
        clock[0] += 3600
    response = sign_up(django_capture_on_commit_callbacks, signup_data(n))
    assert response.status_code == 429
    assert re.search(r"try again in \d+ hours\.", response.content.decode())
    assert User.objects.count() == 20


def test_a_whole_ipv6_64_counts_as_one_network(clock, django_capture_on_commit_callbacks):
    for n in range(5):
        sign_up(django_capture_on_commit_callbacks, signup_data(n), address=f"2001:db8::{n + 1}")
    response = sign_up(django_capture_on_commit_callbacks, signup_data(9), address="2001:db8::ff")
    assert response.status_code == 429


def test_typos_do_not_use_up_the_budget_of_new_accounts(clock, django_capture_on_commit_callbacks):
    for n in range(10):
        refused = sign_up(django_capture_on_commit_callbacks, signup_data(n, password2="other"))
        assert refused.status_code == 200
    assert sign_up(django_capture_on_commit_callbacks, signup_data(0)).status_code == 302


def test_endless_invalid_posts_are_cut_off_too(clock):
    client = from_address()
    for _ in range(accounts.SIGNUP_POSTS.limit):
        assert client.post("/accounts/signup/", {"slug": "www"}).status_code == 200
    response = client.post("/accounts/signup/", signup_data(1))
    assert response.status_code == 429
    assert "Too many sign-up attempts from your network: try again in 30 minutes." in (
        response.content.decode()
    )
    assert not User.objects.exists()


# --- The bot check -----------------------------------------------------------


def test_the_trap_is_out_of_reach_of_people_screen_readers_and_keyboards(client):
    html = client.get("/accounts/signup/").content.decode()
    trap = re.search(r'<div class="form-trap" aria-hidden="true">(.*?)</div>\s*<input', html, re.S)
    assert trap, html
    assert "Leave this field empty" in trap[1]
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", trap[1])[0]
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field and "value=" not in field
    css = (settings.BASE_DIR / "static/css/platform.css").read_text()
    assert re.search(r"\.form-trap \{\s*display: none;", css)


def test_a_filled_trap_is_refused_with_words_and_comes_back_empty(client):
    response = client.post("/accounts/signup/", signup_data(1, website="http://spam.example"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A field people never see came back filled in" in html
    assert "spam.example" not in html
    assert not User.objects.exists()


def test_a_form_sent_quicker_than_a_person_types_is_refused(client):
    response = client.post("/accounts/signup/", signup_data(1, **bot_check_fields(seconds_ago=1)))
    assert botcheck.TOO_FAST in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("stamp", "message"),
    [
        (lambda: bot_check_fields(seconds_ago=7 * 3600)["rendered"], botcheck.TOO_OLD),
        (lambda: bot_check_fields()["rendered"][:-1] + "x", botcheck.TAMPERED),
        (lambda: "1000000000:forged", botcheck.TAMPERED),
        (lambda: "", botcheck.TAMPERED),
    ],
    ids=["expired", "bad-signature", "forged", "missing"],
)
def test_an_expired_altered_or_missing_stamp_is_refused_and_replaced(client, stamp, message):
    posted = stamp()
    response = client.post("/accounts/signup/", signup_data(1, rendered=posted))
    html = response.content.decode()
    assert message in html
    assert not User.objects.exists()
    # The page comes back with a good stamp, so the person can send it again.
    fresh = re.search(r'name="rendered" value="([^"]+)"', html)[1]
    assert fresh != posted and botcheck.stamp_age(fresh) is not None


def test_a_person_who_takes_a_few_seconds_signs_up(client, monkeypatch):
    html = client.get("/accounts/signup/").content.decode()
    stamp = re.search(r'name="rendered" value="([^"]+)"', html)[1]
    data = signup_data(1, rendered=stamp)
    assert botcheck.TOO_FAST in client.post("/accounts/signup/", data).content.decode()
    later = botcheck._now() + botcheck.MIN_SECONDS + 1
    monkeypatch.setattr(botcheck, "_now", lambda: later)
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 302
    assert User.objects.filter(email="person1@example.org").exists()


def test_bot_check_refusals_do_not_use_up_the_budget_of_new_accounts(
    clock, django_capture_on_commit_callbacks
):
    for n in range(8):
        bot = signup_data(n, website="x")
        assert sign_up(django_capture_on_commit_callbacks, bot).status_code == 200
    assert sign_up(django_capture_on_commit_callbacks, signup_data(0)).status_code == 302


# --- Password-reset throttling -----------------------------------------------


def reset(client: Client, email: str = "ada@example.org"):
    return client.post("/accounts/password-reset/", {"email": email})


def test_three_resets_in_a_second_send_one_mail_and_say_one_just_went(clock):
    make_researcher("ada")
    client = from_address()
    assert reset(client).status_code == 302
    for _ in range(2):
        response = reset(client)
        assert response.status_code == 429
        assert response["Retry-After"] == "30"
        assert (
            "We just sent a link to this address; check your inbox (and spam) before asking "
            "again, or try in 1 minute."
        ) in response.content.decode()
    assert len(mail.outbox) == 1
    # Another client asking for the same address gets the same answer: the
    # budget is the mailbox's.
    assert reset(from_address("198.51.100.1")).status_code == 429
    assert len(mail.outbox) == 1


def test_an_address_gets_at_most_three_reset_mails_an_hour(clock):
    make_researcher("ada")
    client = from_address()
    for _ in range(3):
        assert reset(client).status_code == 302
        clock[0] += 61
    response = reset(client)
    assert response.status_code == 429
    assert "We just sent a link to this address" in response.content.decode()
    assert len(mail.outbox) == 3


def test_one_client_gets_ten_reset_requests_an_hour_whatever_the_addresses(clock):
    for slug in ("ada", "grace"):
        make_researcher(slug)
    client = from_address()
    for n in range(accounts.RESET_REQUESTS.limit - 1):
        assert reset(client, f"nobody{n}@example.org").status_code == 200  # "No account uses…"
    assert reset(client, "ada@example.org").status_code == 302
    response = reset(client, "grace@example.org")
    assert response.status_code == 429
    assert (
        "Too many password-reset requests from your network: try again in 30 minutes."
        in response.content.decode()
    )
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    # Another network may still ask for a link to grace.
    assert reset(from_address("198.51.100.1"), "grace@example.org").status_code == 302
