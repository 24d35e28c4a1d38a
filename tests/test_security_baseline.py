"""Cookies stay on the platform; sites carry their own security headers;
production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def test_logging_in_on_the_platform_sets_host_only_cookies(client, moderator):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": moderator.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["domain"] == ""  # no Domain attribute: this host only
    assert session_cookie["httponly"]
    assert client.session[SESSION_KEY] == str(moderator.pk)


def test_a_site_response_after_a_platform_login_sets_no_cookie(client, site_client, owner):
    client.force_login(owner.owner)
    visitor = site_client("ada")
    # Even a browser that sent the platform's cookies to the site gets none back.
    visitor.cookies = client.cookies
    response = visitor.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "Cookie" not in response.headers.get("Vary", "")


def test_site_error_pages_set_no_cookie_either(site_client, owner):
    response = site_client("nosuch").get("/")
    assert response.status_code == 404
    assert not response.cookies


def test_site_pages_carry_their_security_headers(site_client, owner):
    response = site_client("ada").get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"  # no inline script, no eval
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["object-src"] == "'none'"  # no plugins
    assert "https:" in csp["img-src"]  # badges and photos hosted elsewhere
    assert csp["base-uri"] == "'none'"


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The child must see production-like settings only (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for this process, which --deploy rightly flags).
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in dropped}
    clean_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-" + "x7Qp2" * 12,
    "PLATFORM_HOST": "multifolio.org",
    "SITES_DOMAIN": "multifolio.site",
    "DATA_DIR": tempfile.mkdtemp(prefix="multifolio-check-deploy-"),
}


def test_deployment_checks_pass_with_production_settings():
    result = _run_manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_misspelt_boolean_stops_the_process_with_a_clear_message():
    result = _run_manage("check", DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_platform_pages_carry_a_policy_that_forbids_inline_script(owner_client):
    for path in ("/", "/dashboard/profile/", "/accounts/login/"):
        csp = owner_client.get(path).headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp
        assert "object-src 'none'" in csp
