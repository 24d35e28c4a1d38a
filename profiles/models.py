"""The tenant: a researcher's account, their site (Profile) and its domains."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from markdownx.models import MarkdownxField

from profiles.hosts import custom_domain_problem, normalize_host
from profiles.links import site_url
from profiles.markup import render_markdown
from profiles.slugs import SLUG_MAX_LENGTH, SLUG_PATTERN, validate_slug


class EmailUserManager(UserManager):
    """Users sign in with their e-mail address, matched case-insensitively."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        # UserManager's signature takes the username first; for us that is the e-mail.
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """An account on the platform. Researchers own one Profile; moderators may own none."""

    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class ProfileQuerySet(models.QuerySet):
    def published(self) -> ProfileQuerySet:
        return self.filter(status=Profile.Status.PUBLISHED)


class Profile(models.Model):
    """One researcher's site, served at `<slug>.<SITES_DOMAIN>`."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        SUSPENDED = "suspended", "Suspended"

    owner = models.OneToOneField("profiles.User", on_delete=models.CASCADE, related_name="profile")
    slug = models.CharField(
        "site address",
        max_length=SLUG_MAX_LENGTH,
        validators=[validate_slug],
        help_text="Your site lives at <address>.<domain>: lowercase letters, digits, hyphens.",
    )
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    bio = MarkdownxField(blank=True, help_text="Markdown; HTML is allowed and sanitized.")
    # Rendered once on save (profiles.markup) and served as is.
    bio_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "slug"]
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="profile_slug_ci_unique"),
            models.CheckConstraint(
                condition=Q(slug__regex=SLUG_PATTERN), name="profile_slug_dns_label"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.slug})"

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug.lower()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "bio" in update_fields:
            self.bio_html = render_markdown(self.bio)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "bio_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The public address of the site, built from settings (never the request)."""
        return site_url(self.host)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored slug so a rename can forget the old host's cache entry.
        instance._stored_slug = instance.__dict__.get("slug")
        return instance

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def host(self) -> str:
        return f"{self.slug}.{settings.SITES_DOMAIN}"


class CustomDomain(models.Model):
    """A host name of the researcher's own that serves their site once verified.

    Admin-managed for now; verification (a DNS TXT check) comes later.
    """

    host = models.CharField(
        max_length=253,
        unique=True,
        help_text="The full host name, e.g. www.jane-doe.org (lowercase, no port).",
    )
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="custom_domains")
    verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["host"]
        constraints = [
            models.CheckConstraint(condition=Q(host=Lower("host")), name="custom_domain_lowercase"),
        ]

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs) -> None:
        self.host = normalize_host(self.host)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.host = normalize_host(self.host)
        problem = custom_domain_problem(self.host)
        if problem:
            raise ValidationError({"host": problem})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored host so a change can forget the old host's cache entry.
        instance._stored_host = instance.__dict__.get("host")
        return instance
