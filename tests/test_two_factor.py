"""Two-factor authentication (profiles.two_factor): staff must give a code from an
authenticator app after the password before any admin, moderation or dashboard
page; researchers may turn it on and off. Codes are real TOTP codes, computed from
the device's key as an app would (django_otp.oath)."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import F
from django.test import Client, RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from profiles import ratelimit
from profiles.models import User
from profiles.two_factor import devices
from profiles.two_factor.admin_site import VerifiedAdminSite
from tests.conftest import PASSWORD, make_researcher, totp_code, verified_login

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"


@pytest.fixture(autouse=True)
def _limits(settings):
    """The documented defaults, whatever the shell exports."""
    settings.TWO_FACTOR_CODE_LIMIT = 5
    settings.TWO_FACTOR_CODE_WINDOW_MINUTES = 15
    settings.OTP_TOTP_ISSUER = "Multifolio"


@pytest.fixture
def desk(db) -> User:
    """A moderator as the platform makes them: staff, in the Moderators group."""
    user = User.objects.create_user(email="desk@example.org", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def platform() -> Client:
    return Client(HTTP_HOST="localhost")


def log_in(email: str, *, next_url: str = "", path: str = "/accounts/login/") -> Client:
    """A new browser that has given the right password (the first step only)."""
    client = platform()
    response = client.post(path, {"username": email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content
    return client


def app_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def give_app(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def a_minute_passes(user: User) -> None:
    """As if a minute had passed since the last wrong code: django-otp's back-off (1, 2,
    4 ... seconds per device) is over. The per-account limit is not touched."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user, throttling_failure_timestamp__isnull=False).update(
            throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(minutes=1)
        )


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that is none of the three the device accepts now."""
    accepted = {totp_code(device.bin_key, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def is_sent_to(response, page: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(page)


# ---------------------------------------------------------------- staff must use it


@pytest.mark.parametrize("login_path", ["/accounts/login/", "/admin/login/"])
def test_a_new_staff_member_is_sent_to_set_up_an_app_after_the_password(moderator, login_path):
    client = log_in(moderator.email, next_url="/admin/", path=login_path)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2F"


def test_setting_up_shows_a_qr_code_and_the_key_and_a_real_code_confirms_it(moderator):
    client = log_in(moderator.email)
    page = client.get(f"{SETUP}?next=/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    assert "<svg" in html and "<script" not in html  # the QR code, drawn on the server
    shown = re.search(r"<code data-totp-secret>([A-Z2-7 ]+)</code>", html)[1]
    assert b32decode(shown.replace(" ", "")) == device.bin_key  # typed in by hand, it works
    assert "issuer=Multifolio" in device.config_url
    assert "moderator%40example.org" in device.config_url

    done = client.post(SETUP, {"code": totp_code(device.bin_key), "next": "/admin/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", done.content.decode())
    assert len(set(codes)) == 10  # the recovery codes, shown this once
    assert "this is the only time they are shown" in text(done)
    assert 'href="/admin/"' in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=moderator).count() == 10
    assert client.get("/admin/").status_code == 200


def test_the_setup_page_shows_the_same_key_until_it_is_confirmed(moderator):
    client = log_in(moderator.email)
    first = client.get(SETUP).content.decode()
    again = client.get(SETUP).content.decode()
    key = re.compile(r"<code data-totp-secret>([A-Z2-7 ]+)</code>")
    assert key.search(first)[1] == key.search(again)[1]
    assert TOTPDevice.objects.filter(user=moderator).count() == 1


def test_a_wrong_code_does_not_confirm_the_app(moderator):
    client = log_in(moderator.email)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=moderator)
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not right" in text(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert is_sent_to(client.get("/admin/"), SETUP)


def test_staff_with_an_app_give_a_code_after_the_password(moderator):
    device = give_app(moderator)
    client = log_in(moderator.email, next_url="/admin/")
    response = client.get("/admin/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    half_logged_in = client.session.session_key

    done = client.post(VERIFY, {"code": totp_code(device.bin_key), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Passing the second step gives the session a new key.
    assert client.session.session_key != half_logged_in


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/profiles/report/",
        "/admin/profiles/profile/",
        "/admin/axes/accesslog/",
        "/dashboard/",
        "/dashboard/moderation/",
        "/dashboard/account/",
        "/",
        "/directory/",
    ],
)
def test_staff_reach_no_admin_moderation_or_dashboard_page_before_the_code(desk, path):
    give_app(desk)
    client = platform()
    client.force_login(desk)  # the password step, passed
    assert is_sent_to(client.get(path), VERIFY)
    assert is_sent_to(client.post(path, {}), VERIFY)


def test_a_half_logged_in_staff_member_still_reaches_the_log_out_and_password_reset(moderator):
    client = log_in(moderator.email)
    assert client.get("/accounts/password-reset/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    # Logged out: the admin asks for a log-in again, not for a code.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admin_site_itself_refuses_staff_who_gave_no_code(moderator):
    """The second lock, should the middleware ever be bypassed (admin.site's own check)."""
    site = VerifiedAdminSite()
    request = RequestFactory().get("/admin/")
    request.user = moderator
    moderator.is_verified = lambda: False
    assert not site.has_permission(request)
    moderator.is_verified = lambda: True
    assert site.has_permission(request)
    request.user = AnonymousUser()
    assert not site.has_permission(request)


def test_staff_cannot_turn_two_factor_off(moderator):
    client = platform()
    device = verified_login(client, moderator)
    response = client.post(
        "/accounts/two-factor/disable/",
        {"password": PASSWORD, "code": totp_code(device.bin_key)},
        follow=True,
    )
    assert "must keep two-factor authentication" in text(response)
    assert TOTPDevice.objects.filter(user=moderator).exists()


def test_a_staff_member_who_lost_the_app_sets_up_another_after_a_recovery_code(moderator):
    give_app(moderator)
    codes = devices.new_recovery_codes(moderator)
    TOTPDevice.objects.filter(user=moderator).delete()  # the phone is gone; the codes remain
    client = log_in(moderator.email)
    assert is_sent_to(client.get("/admin/"), VERIFY)
    response = client.post(VERIFY, {"code": codes[0], "next": "/admin/"})
    assert is_sent_to(response, SETUP)
    assert client.get(SETUP).status_code == 200  # set up the new phone, no second code asked


# ---------------------------------------------------------------- codes


def test_a_code_works_only_once(moderator):
    device = give_app(moderator)
    code = totp_code(device.bin_key)
    first = log_in(moderator.email)
    assert first.post(VERIFY, {"code": code})["Location"] == "/admin/"

    # Someone who saw the code and the password tries them in another browser.
    second = log_in(moderator.email)
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "or it was used already" in text(response)
    assert is_sent_to(second.get("/admin/"), VERIFY)

    a_minute_passes(moderator)
    later = totp_code(device.bin_key, steps_ahead=1)  # the app's next code
    assert second.post(VERIFY, {"code": later})["Location"] == "/admin/"


def test_a_recovery_code_logs_in_once(owner):
    give_app(owner.owner)
    codes = devices.new_recovery_codes(owner.owner)
    client = log_in("ada@example.org")
    assert is_sent_to(client.get("/dashboard/"), VERIFY)
    # As copied from the page, or in capitals with a space: the same code.
    response = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "You used a recovery code: 9 left." in text(response)

    again = log_in("ada@example.org")
    refused = again.post(VERIFY, {"code": codes[0]})
    assert "That recovery code is not right, or it was used already." in text(refused)
    assert StaticToken.objects.filter(device__user=owner.owner).count() == 9


def test_a_code_of_the_wrong_shape_is_explained_and_not_counted(owner):
    give_app(owner.owner)
    client = log_in("ada@example.org")
    for typo in ("12345", "1234567", "abc"):
        response = client.post(VERIFY, {"code": typo})
        assert "A code from the app has 6 digits" in text(response)
    assert ratelimit.retry_after([devices.code_budget()], str(owner.owner.pk)) == 0
    assert app_of(owner.owner).throttling_failure_count == 0


def test_right_after_a_wrong_code_the_app_waits_a_moment(owner):
    device = give_app(owner.owner)
    client = log_in("ada@example.org")
    client.post(VERIFY, {"code": wrong_code(device)})
    # django-otp's back-off: 1 s after one failure, then 2, 4, 8 ...
    response = client.post(VERIFY, {"code": totp_code(device.bin_key)})
    assert response.status_code == 429
    assert "Wait 1 second before the next code." in text(response)
    a_minute_passes(owner.owner)
    assert client.post(VERIFY, {"code": totp_code(device.bin_key)})["Location"] == "/dashboard/"


def test_five_wrong_codes_make_the_account_wait_even_after_a_new_password_log_in(
    owner, monkeypatch
):
    device = give_app(owner.owner)
    client = log_in("ada@example.org")
    statuses = []
    for _ in range(5):
        statuses.append(client.post(VERIFY, {"code": wrong_code(device)}).status_code)
        a_minute_passes(owner.owner)
    assert statuses == [200, 200, 200, 200, 429]

    # The password again does not start the count anew, and the right code waits too.
    fresh = log_in("ada@example.org")
    response = fresh.post(VERIFY, {"code": totp_code(device.bin_key)})
    assert response.status_code == 429
    assert re.search(r"Too many wrong codes\. Try again in \d+ minutes?\.", text(response))
    assert 0 < int(response["Retry-After"]) <= 15 * 60

    later = ratelimit._now() + 15 * 60
    monkeypatch.setattr(ratelimit, "_now", lambda: later)
    a_minute_passes(owner.owner)
    done = fresh.post(VERIFY, {"code": totp_code(device.bin_key)})
    assert done.status_code == 302 and done["Location"] == "/dashboard/"


def test_the_code_page_sends_only_to_pages_of_this_platform(owner):
    device = give_app(owner.owner)
    client = log_in("ada@example.org")
    response = client.post(
        VERIFY, {"code": totp_code(device.bin_key), "next": "https://x.example/"}
    )
    assert response["Location"] == "/dashboard/"


# ---------------------------------------------------------------- researchers may use it


def test_a_researcher_turns_two_factor_on_and_is_asked_for_a_code_from_then_on(owner):
    client = log_in("ada@example.org")
    assert client.get("/dashboard/").status_code == 200  # the password alone, for now
    account = text(client.get("/dashboard/account/"))
    assert "Two-factor authentication Off" in account

    setup = client.get(f"{SETUP}?next=/dashboard/account/")
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=owner.owner)
    done = client.post(SETUP, {"code": totp_code(device.bin_key), "next": "/dashboard/account/"})
    assert "Two-factor authentication is on" in text(done)
    assert "Two-factor authentication On" in text(client.get("/dashboard/account/"))

    again = log_in("ada@example.org")
    assert is_sent_to(again.get("/dashboard/"), VERIFY)
    assert is_sent_to(again.get("/dashboard/publications/"), VERIFY)
    later = totp_code(device.bin_key, steps_ahead=1)
    assert again.post(VERIFY, {"code": later})["Location"] == "/dashboard/"
    assert again.get("/dashboard/").status_code == 200


def test_a_half_logged_in_session_cannot_set_up_a_second_app(owner):
    give_app(owner.owner)
    client = log_in("ada@example.org")
    assert is_sent_to(client.get(SETUP), VERIFY)
    assert TOTPDevice.objects.filter(user=owner.owner).count() == 1


def test_turning_two_factor_off_takes_the_password_and_a_code(owner):
    client = platform()
    device = verified_login(client, owner.owner)
    devices.new_recovery_codes(owner.owner)
    disable = "/accounts/two-factor/disable/"
    assert client.get(disable).status_code == 200

    wrong_password = client.post(disable, {"password": "nope", "code": totp_code(device.bin_key)})
    assert "That is not your password." in text(wrong_password)
    no_code = client.post(disable, {"password": PASSWORD, "code": wrong_code(device)})
    assert "That code is not right" in text(no_code)
    assert TOTPDevice.objects.filter(user=owner.owner).exists()

    a_minute_passes(owner.owner)
    done = client.post(disable, {"password": PASSWORD, "code": totp_code(device.bin_key)})
    assert done["Location"] == "/dashboard/account/"
    assert not TOTPDevice.objects.filter(user=owner.owner).exists()
    assert not StaticDevice.objects.filter(user=owner.owner).exists()
    assert log_in("ada@example.org").get("/dashboard/").status_code == 200


def test_a_session_logged_in_before_two_factor_was_turned_off_is_let_through(owner):
    give_app(owner.owner)
    client = log_in("ada@example.org")
    assert is_sent_to(client.get("/dashboard/"), VERIFY)
    devices.turn_off(owner.owner)  # from another browser
    assert client.get("/dashboard/").status_code == 200


def test_new_recovery_codes_replace_the_old_and_need_a_verified_session(owner):
    client = platform()
    verified_login(client, owner.owner)
    old = devices.new_recovery_codes(owner.owner)
    page = client.get("/accounts/two-factor/recovery-codes/")
    assert "You have 10 unused recovery codes." in text(page)
    made = client.post("/accounts/two-factor/recovery-codes/")
    new = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", made.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=owner.owner).count() == 10

    half = log_in("ada@example.org")
    assert is_sent_to(half.get("/accounts/two-factor/recovery-codes/"), VERIFY)
    assert is_sent_to(half.post("/accounts/two-factor/recovery-codes/"), VERIFY)


def test_researchers_without_two_factor_cost_no_query_for_it(
    owner, owner_client, django_assert_num_queries
):
    make_researcher("grace")
    # The session, the user, the profile, the former addresses: as before two-factor.
    with django_assert_num_queries(4):
        assert owner_client.get("/dashboard/account/").status_code == 200
    assert DEVICE_ID_SESSION_KEY not in owner_client.session


def test_admins_delete_a_lost_device_but_never_see_its_key_or_codes(moderator, owner):
    device = give_app(owner.owner)
    devices.new_recovery_codes(owner.owner)
    token = StaticToken.objects.filter(device__user=owner.owner).first().token
    admin = platform()
    verified_login(admin, moderator)

    page = admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200 and device.key not in page.content.decode()
    assert admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    static = StaticDevice.objects.get(user=owner.owner)
    assert (
        token
        not in admin.get(f"/admin/otp_static/staticdevice/{static.pk}/change/").content.decode()
    )

    admin.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    admin.post(f"/admin/otp_static/staticdevice/{static.pk}/delete/", {"post": "yes"})
    assert not devices.has_two_factor(owner.owner)
    assert log_in("ada@example.org").get("/dashboard/").status_code == 200


def test_staff_without_a_site_go_on_to_the_admin_from_the_log_in_page(moderator):
    device = give_app(moderator)
    client = log_in(moderator.email)  # /accounts/login/ sends everyone to /dashboard/
    assert client.get("/dashboard/")["Location"] == f"{VERIFY}?next=%2Fdashboard%2F"
    done = client.post(VERIFY, {"code": totp_code(device.bin_key), "next": "/dashboard/"})
    assert done["Location"] == "/admin/"
