"""`check --deploy` warns (profiles.W001) when production would run on a cache that
each process keeps alone: web workers and the task worker would serve one
another's stale pages (a suspended site shown on every other request)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parent.parent
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
FILES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": "/nonexistent/multifolio-cache",  # never touched: checks only look
    }
}
REDIS = {
    "default": {
        "BACKEND": "profiles.resilient_cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # never connected to: checks only look
    }
}


def _deploy_warnings() -> list[str]:
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "profiles.W001"]


@pytest.mark.parametrize(("caches", "kind"), [(LOCMEM, "LocMemCache"), (DUMMY, "DummyCache")])
def test_a_per_process_cache_with_debug_off_is_a_deploy_warning(settings, caches, kind):
    settings.DEBUG = False
    settings.CACHES = caches
    messages = [m for m in run_checks(include_deployment_checks=True) if m.id == "profiles.W001"]
    assert len(messages) == 1
    assert kind in messages[0].msg
    assert "REDIS_URL" in messages[0].hint


@pytest.mark.parametrize("caches", [FILES, REDIS], ids=["file cache", "redis"])
def test_a_shared_cache_is_no_warning(settings, caches):
    settings.DEBUG = False
    settings.CACHES = caches
    assert _deploy_warnings() == []


def test_development_may_use_memory(settings):
    settings.DEBUG = True
    settings.CACHES = LOCMEM
    assert _deploy_warnings() == []


def test_plain_check_does_not_warn(settings):
    # Only `check --deploy` speaks of production; runserver's checks stay quiet.
    settings.DEBUG = False
    settings.CACHES = LOCMEM
    assert [m for m in run_checks() if m.id == "profiles.W001"] == []


def test_check_deploy_command_prints_the_warning(tmp_path):
    # The settings the suite runs on keep the cache in memory (without REDIS_URL):
    # with DEBUG off, that is exactly what the warning is for.
    dropped = {"REDIS_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        DEBUG="0",
        SECRET_KEY="a-production-secret-" + "x7Qp2" * 12,
        DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "caches"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr  # a warning, not an error
    assert "profiles.W001" in result.stderr
    assert "LocMemCache" in result.stderr
