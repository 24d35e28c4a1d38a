"""Failed log-ins are throttled per account and per client address (django-axes
with profiles.throttling), and a locked-out visitor is told why and for how long."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db.models import F
from django.http import HttpRequest
from django.test import Client, RequestFactory

from profiles.throttling import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.7"
ELSEWHERE = "203.0.113.20"
PROXY = "10.0.0.2"
LOCKED = "Too many failed log-ins for this account or from your network."


@pytest.fixture(autouse=True)
def _limits(settings):
    """The documented defaults, whatever the shell exports."""
    settings.LOGIN_FAILURE_LIMITS = {"username": 5, "ip_address": 20}
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_COOLOFF_MINUTES = 15
    settings.LOGIN_TRUSTS_X_FORWARDED_FOR = False


def from_address(address: str, **headers: str) -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address, **headers)


def log_in(client: Client, email: str, password: str = PASSWORD, path: str = "/accounts/login/"):
    return client.post(path, {"username": email, "password": password})


def fail(client: Client, email: str, times: int = 1, path: str = "/accounts/login/") -> list[int]:
    return [log_in(client, email, "not-the-password", path).status_code for _ in range(times)]


def alert(response) -> str:
    """The text of the lockout message, whitespace collapsed."""
    html = response.content.decode()
    box = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", box).split())


def test_the_sixth_try_at_one_account_is_refused_with_429_even_with_the_right_password(owner):
    attacker = from_address(ATTACKER)
    # The fifth failure reaches the limit and already answers with the lock.
    assert fail(attacker, "ada@example.org", 5) == [200, 200, 200, 200, 429]
    response = log_in(attacker, "ada@example.org", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in alert(response)
    assert SESSION_KEY not in attacker.session


def test_failures_at_one_account_from_many_addresses_lock_it_from_everywhere(owner):
    for n in range(5):
        fail(from_address(f"192.0.2.{n + 1}"), "ada@example.org")
    assert log_in(from_address(ELSEWHERE), "ada@example.org").status_code == 429


def test_another_account_from_another_address_is_unaffected(owner, second_researcher):
    fail(from_address(ATTACKER), "ada@example.org", 5)
    response = log_in(from_address(ELSEWHERE), "grace@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"


def test_an_address_that_guessed_at_one_account_may_still_log_in_to_another(
    owner, second_researcher
):
    attacker = from_address(ATTACKER)
    fail(attacker, "ada@example.org", 5)
    assert log_in(attacker, "grace@example.org").status_code == 302


def test_many_failures_across_accounts_lock_the_address_but_not_those_accounts_elsewhere(
    owner, second_researcher
):
    attacker = from_address(ATTACKER)
    emails = ["ada@example.org", "grace@example.org"] + [f"n{n}@example.org" for n in range(8)]
    statuses = [status for email in emails for status in fail(attacker, email, 2)]
    # Nobody's account reached 5; the address reached 20 with the last failure.
    assert statuses == [200] * 19 + [429]
    assert log_in(attacker, "ada@example.org").status_code == 429
    assert log_in(attacker, "grace@example.org").status_code == 429
    assert log_in(from_address(ELSEWHERE), "ada@example.org").status_code == 302
    assert log_in(from_address(ELSEWHERE), "grace@example.org").status_code == 302


def test_a_success_before_the_limit_resets_the_accounts_count(owner):
    owner_at_home = from_address(ATTACKER)
    assert fail(owner_at_home, "ada@example.org", 4) == [200] * 4
    assert log_in(owner_at_home, "ada@example.org").status_code == 302
    retry = from_address(ATTACKER)
    assert fail(retry, "ada@example.org", 4) == [200] * 4
    assert log_in(retry, "ada@example.org").status_code == 302


def test_logging_in_to_ones_own_account_does_not_forget_guesses_at_others(owner, outsider):
    attacker = from_address(ATTACKER)
    assert fail(attacker, "ada@example.org", 4) == [200] * 4
    assert log_in(from_address(ATTACKER), outsider.email).status_code == 302
    assert fail(attacker, "ada@example.org") == [429]


def _age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_lock_ends_when_the_cool_off_has_passed(owner):
    fail(from_address(ATTACKER), "ada@example.org", 5)
    _age_attempts(16)
    assert log_in(from_address(ATTACKER), "ada@example.org").status_code == 302


def test_failing_again_while_locked_starts_the_cool_off_again(owner):
    attacker = from_address(ATTACKER)
    fail(attacker, "ada@example.org", 5)
    _age_attempts(14)
    assert log_in(attacker, "ada@example.org", "another-guess").status_code == 429
    _age_attempts(14)  # 28 minutes after the fifth failure, 14 after the latest
    assert log_in(attacker, "ada@example.org").status_code == 429


def test_a_moderator_can_lift_a_lock_with_axes_reset(owner):
    fail(from_address(ATTACKER), "ada@example.org", 5)
    assert reset(username="ada@example.org") >= 1
    assert log_in(from_address(ELSEWHERE), "ada@example.org").status_code == 302


def test_x_forwarded_for_is_ignored_unless_behind_our_proxy(owner):
    attacker = from_address(ATTACKER)
    for n in range(20):
        # A different forged address on every try changes nothing.
        attacker.post(
            "/accounts/login/",
            {"username": f"n{n}@example.org", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    response = attacker.post(
        "/accounts/login/",
        {"username": "ada@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert response.status_code == 429


def test_behind_our_proxy_the_address_is_the_one_the_proxy_appended(settings, owner):
    settings.LOGIN_TRUSTS_X_FORWARDED_FOR = True
    proxy = from_address(PROXY)
    for n in range(20):
        # The client forges the left-most entry; the proxy appends what it saw.
        proxy.post(
            "/accounts/login/",
            {"username": f"n{n}@example.org", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}, {ATTACKER}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    locked = proxy.post(
        "/accounts/login/",
        {"username": "ada@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=ATTACKER,
    )
    assert locked.status_code == 429
    # Another client behind the same proxy is not the attacker.
    other = proxy.post(
        "/accounts/login/",
        {"username": "ada@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("trust", "remote", "forwarded", "expected"),
    [
        (False, ATTACKER, ELSEWHERE, ATTACKER),
        (True, PROXY, f"1.2.3.4, {ATTACKER}", ATTACKER),
        (True, PROXY, "", PROXY),  # no header: the proxy's own address
        (True, PROXY, "not-an-address", PROXY),
        (False, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "", "2001:db8:1:2::"),  # IPv6: per /64
        (False, "::ffff:198.51.100.7", "", ATTACKER),
        (False, "", "", None),
    ],
)
def test_the_client_address_is_read_as_configured(settings, trust, remote, forwarded, expected):
    settings.LOGIN_TRUSTS_X_FORWARDED_FOR = trust
    request = RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_admin_login_is_throttled_too(moderator):
    attacker = from_address(ATTACKER)
    statuses = fail(attacker, moderator.email, 5, path="/admin/login/?next=/admin/")
    assert statuses == [200, 200, 200, 200, 429]
    response = log_in(attacker, moderator.email, path="/admin/login/?next=/admin/")
    assert response.status_code == 429
    assert LOCKED in alert(response)
    assert SESSION_KEY not in attacker.session


def test_failures_on_the_platform_login_also_lock_the_admin_login(moderator):
    fail(from_address(ATTACKER), moderator.email, 5)
    response = log_in(from_address(ELSEWHERE), moderator.email, path="/admin/login/")
    assert response.status_code == 429


def test_the_message_names_the_cool_off_and_links_to_the_password_reset(settings, owner):
    settings.LOGIN_COOLOFF_MINUTES = 30
    attacker = from_address(ATTACKER)
    fail(attacker, "ada@example.org", 4)
    response = log_in(attacker, "ada@example.org", "wrong")
    assert response.status_code == 429
    assert alert(response) == (
        "Too many failed log-ins for this account or from your network. "
        "Try again in 30 minutes, or reset your password."
    )
    html = response.content.decode()
    assert '<a href="/accounts/password-reset/">reset your password</a>' in html
    assert response.headers["Retry-After"] == "1800"
    # The same page, the typed address kept, no "wrong password" on top.
    assert 'name="username" value="ada@example.org"' in html
    assert "correct" not in html


def test_an_unknown_account_is_locked_out_in_the_same_words(owner):
    fail(from_address(ATTACKER), "ada@example.org", 5)
    fail(from_address(ELSEWHERE), "nobody@example.org", 5)
    known = log_in(from_address(ATTACKER), "ada@example.org")
    unknown = log_in(from_address(ELSEWHERE), "nobody@example.org")
    assert known.status_code == unknown.status_code == 429
    assert alert(known) == alert(unknown)


def test_a_locked_out_response_sets_no_session_for_the_attacker(owner):
    attacker = from_address(ATTACKER)
    fail(attacker, "ada@example.org", 5)
    response = log_in(attacker, "ada@example.org")
    assert response.status_code == 429
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert SESSION_KEY not in attacker.session
    assert attacker.get("/dashboard/").status_code == 302  # back to the log-in page


def test_resetting_the_password_lifts_the_accounts_lock(owner):
    owner_client = from_address(ATTACKER)
    fail(owner_client, "ada@example.org", 5)
    owner_client.post("/accounts/password-reset/", {"email": "ada@example.org"})
    path = re.search(r"http://localhost:8000(\S+)", mail.outbox[0].body).group(1)
    form_page = owner_client.get(path, follow=True)
    new = "a-brand-new-passphrase-42"
    owner_client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert log_in(owner_client, "ada@example.org", new).status_code == 302


def test_the_test_clients_login_works_when_given_a_request(owner):
    # Axes' backend needs the request; its documentation says to pass a blank one.
    client = Client(HTTP_HOST="localhost")
    assert client.login(request=HttpRequest(), username="ada@example.org", password=PASSWORD)
    assert client.get("/dashboard/").status_code == 200


def test_a_site_host_gets_no_cookie_and_leaves_no_attempt(site_client, owner):
    response = site_client("ada").post(
        "/accounts/login/", {"username": "ada@example.org", "password": "x"}
    )
    assert response.status_code == 404
    assert not response.cookies
    assert not AccessAttempt.objects.exists()


def _settings_with(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LOGIN_FAILURE_LIMITS, s.AXES_FAILURE_LIMIT, s.LOGIN_COOLOFF_MINUTES)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_limits_and_the_cool_off_come_from_the_environment():
    result = _settings_with(
        LOGIN_FAILURE_LIMIT="7", LOGIN_ADDRESS_FAILURE_LIMIT="50", LOGIN_COOLOFF_MINUTES="30"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["{'username':", "7,", "'ip_address':", "50}", "7", "30"]


def test_a_limit_below_one_stops_the_process_with_a_clear_message():
    result = _settings_with(LOGIN_FAILURE_LIMIT="0")
    assert result.returncode != 0
    assert "must be >= 1" in result.stderr
