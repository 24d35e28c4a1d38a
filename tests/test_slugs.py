"""Slugs are DNS labels, unique case-insensitively, with a reserved list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from profiles.models import Profile, User
from profiles.slugs import RESERVED_SLUGS, slug_problem, validate_slug
from tests.conftest import make_researcher


@pytest.mark.parametrize(
    "slug",
    ["a", "ada", "ada-lovelace", "x1", "1x", "a" * 63, "jean-luc-2", "0"],
)
def test_a_dns_label_is_a_valid_slug(slug):
    assert slug_problem(slug) is None
    validate_slug(slug)


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("", "Choose an address"),
        ("a" * 64, "at most 63"),
        ("-ada", "start or end with a hyphen"),
        ("ada-", "start or end with a hyphen"),
        ("Ada", "lowercase"),
        ("ada_lovelace", "lowercase"),
        ("ada.lovelace", "lowercase"),
        ("ada lovelace", "lowercase"),
        ("adá", "lowercase"),
        ("ada\n", "lowercase"),
        ("www", "reserved"),
        ("admin", "reserved"),
        ("static", "reserved"),
    ],
)
def test_an_invalid_slug_is_refused_with_a_message_saying_why(slug, message):
    assert message in slug_problem(slug)
    with pytest.raises(ValidationError):
        validate_slug(slug)


@pytest.mark.parametrize(
    "slug",
    ["www", "admin", "api", "static", "media", "mail", "ftp", "dashboard", "help",
     "support", "status", "blog", "docs"],
)  # fmt: skip
def test_the_names_the_platform_needs_are_reserved(slug):
    assert slug in RESERVED_SLUGS


@pytest.mark.django_db
def test_slugs_are_stored_in_lowercase():
    profile = make_researcher("mixed")
    profile.slug = "MiXeD"
    profile.save()
    profile.refresh_from_db()
    assert profile.slug == "mixed"


@pytest.mark.django_db
def test_the_database_refuses_a_slug_that_differs_only_in_case():
    make_researcher("ada")
    user = User.objects.create_user(email="other@example.org", password="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypass save() (which lower-cases) to prove the constraint itself holds.
        Profile.objects.bulk_create([Profile(owner=user, slug="ADA", first_name="Other")])


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["-bad", "bad-", "under_score", "dot.ted", "Caps", "ada\n"])
def test_the_database_refuses_a_slug_that_is_not_a_dns_label(slug):
    user = User.objects.create_user(email="other@example.org", password="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.bulk_create([Profile(owner=user, slug=slug, first_name="Other")])


@pytest.mark.django_db
def test_model_validation_reports_reserved_and_duplicate_slugs():
    make_researcher("ada")
    user = User.objects.create_user(email="other@example.org", password="x")
    for slug in ("www", "ADA"):
        profile = Profile(owner=user, slug=slug, first_name="Other")
        with pytest.raises(ValidationError) as excinfo:
            profile.full_clean()
        assert "slug" in excinfo.value.message_dict or "__all__" in excinfo.value.message_dict
