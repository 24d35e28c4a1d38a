"""Slugs are DNS labels, unique case-insensitively, with a reserved list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from profiles.models import Profile, User
from profiles.slugs import RESERVED_SLUGS, slug_problem, validate_slug
from tests.conftest import bot_check_fields, make_researcher


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


# --- Look-alike and infrastructure names (issue 6, item 13) ----------------------


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("xn--80ak6aa92e", "xn--"),  # Cyrillic look-alike of "apple"
        ("xn--mara-43d", "xn--"),  # a look-alike of the demo site "amara"
        ("a--b", "single hyphens"),
        ("ab--cd", "single hyphens"),  # "--" in the third and fourth places
        ("jean--luc", "single hyphens"),
    ],
)
def test_punycode_and_double_hyphen_slugs_are_refused(slug, message):
    assert message in slug_problem(slug)


@pytest.mark.parametrize(
    "slug",
    [
        "mta-sts", "webmaster", "hostmaster", "postmaster", "cpanel", "whm", "localhost",
        "autoconfig", "autodiscover", "wpad", "openpgpkey", "smtp", "imap", "mail", "ftp",
    ],
)  # fmt: skip
def test_names_that_mail_certificate_and_autoconfiguration_services_look_for_are_reserved(
    slug,
):
    assert "reserved" in slug_problem(slug)


@pytest.mark.django_db
def test_the_database_refuses_a_double_hyphen_slug_written_past_the_form():
    user = User.objects.create_user(email="lookalike@example.org", password="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(owner=user, slug="xn--mara-43d", first_name="M")


@pytest.mark.django_db
def test_signing_up_with_a_look_alike_slug_says_why(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "m@example.org",
            "first_name": "M",
            "slug": "xn--mara-43d",
            "password1": "a-long-password-42",
            "password2": "a-long-password-42",
            **bot_check_fields(),
        },
    )
    assert "are not allowed: use plain letters a-z" in response.content.decode()
