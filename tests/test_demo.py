"""`manage.py load_demo` gives a fresh checkout two published researchers, idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from profiles.demo import DEMO_RESEARCHERS
from profiles.models import Profile, User

pytestmark = pytest.mark.django_db


def test_load_demo_creates_two_published_sites_and_can_run_again():
    call_command("load_demo")
    call_command("load_demo")
    assert Profile.objects.published().count() == len(DEMO_RESEARCHERS) == 2
    assert User.objects.count() == 2


def test_load_demo_keeps_what_a_newcomer_changed(capsys):
    call_command("load_demo")
    profile = Profile.objects.get(slug="amara")
    profile.bio = "My own words."
    profile.save()
    call_command("load_demo")
    profile.refresh_from_db()
    assert profile.bio == "My own words."
    assert "kept amara as it is (--reset restores it)" in capsys.readouterr().out


def test_load_demo_reset_restores_the_demo(capsys):
    call_command("load_demo")
    profile = Profile.objects.get(slug="amara")
    profile.bio = "My own words."
    profile.status = Profile.Status.SUSPENDED
    profile.save()
    profile.social_links.all().delete()
    call_command("load_demo", "--reset")
    profile.refresh_from_db()
    assert profile.bio.startswith("I am an assistant professor")
    assert profile.is_published
    assert profile.social_links.count() == 6
    assert "reset amara" in capsys.readouterr().out


def test_load_demo_dry_run_changes_nothing(capsys):
    call_command("load_demo", "--dry-run")
    assert Profile.objects.count() == 0
    assert "would have created" in capsys.readouterr().out


def test_each_demo_bio_has_a_link_and_an_icon_and_renders_them(site_client):
    call_command("load_demo")
    for data in DEMO_RESEARCHERS:
        html = site_client(data["slug"]).get("/").content.decode()
        assert data["last_name"] in html
        assert 'rel="nofollow noopener"' in html
        assert '<svg class="icon"' in html  # an icon from the bio, inlined
