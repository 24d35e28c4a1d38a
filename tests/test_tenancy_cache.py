"""The host -> site cache never serves what the database no longer says."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

from profiles.models import CustomDomain, Profile
from tests.conftest import make_researcher

pytestmark = pytest.mark.django_db


def test_the_cache_backend_is_redis_when_redis_url_is_set():
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.REDIS_URL:
        assert backend == "profiles.resilient_cache.ResilientRedisCache"
        cache.set("ping", "pong")
        assert cache.get("ping") == "pong"
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_suspending_a_cached_site_takes_it_down_at_once(
    site_client, owner, django_capture_on_commit_callbacks
):
    visitor = site_client("ada")
    assert visitor.get("/").status_code == 200  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        owner.status = Profile.Status.SUSPENDED
        owner.save(update_fields=["status"])
    assert visitor.get("/").status_code == 403


def test_an_edit_is_live_on_the_next_request(
    site_client, owner, django_capture_on_commit_callbacks
):
    visitor = site_client("ada")
    assert b"engines" in visitor.get("/").content
    with django_capture_on_commit_callbacks(execute=True):
        owner.bio = "Now I study *looms*."
        owner.save()
    assert b"<em>looms</em>" in visitor.get("/").content


def test_renaming_a_site_frees_the_old_address_at_once(
    site_client, owner, django_capture_on_commit_callbacks
):
    assert site_client("ada").get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        owner.slug = "countess"
        owner.save()
    assert site_client("ada").get("/").status_code == 404
    assert site_client("countess").get("/").status_code == 200


def test_a_new_site_appears_even_after_its_address_was_remembered_as_unknown(
    site_client, django_capture_on_commit_callbacks
):
    assert site_client("newcomer").get("/").status_code == 404  # remembered as no site
    with django_capture_on_commit_callbacks(execute=True):
        make_researcher("newcomer")
    assert site_client("newcomer").get("/").status_code == 200


def test_verifying_a_custom_domain_takes_effect_at_once(
    site_client, owner, django_capture_on_commit_callbacks
):
    domain = CustomDomain.objects.create(host="ada.example.net", profile=owner, verified=False)
    assert site_client("ada.example.net").get("/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        domain.verified = True
        domain.save()
    assert site_client("ada.example.net").get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        domain.delete()
    assert site_client("ada.example.net").get("/").status_code == 400


def test_deleting_a_site_takes_it_down_at_once(
    site_client, owner, django_capture_on_commit_callbacks
):
    assert site_client("ada").get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        owner.owner.delete()
    assert site_client("ada").get("/").status_code == 404


def test_without_redis_the_web_server_worker_and_commands_share_one_cache(tmp_path):
    """A dashboard import runs in the task worker: the web server must see its changes."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("REDIS_URL", None)
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    backend = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip

    assert backend == "profiles.file_cache.FileCache"
