"""The tenant: a researcher's account, their site (Profile) and its domains."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from markdownx.models import MarkdownxField

from profiles.colors import accent_pair
from profiles.hosts import custom_domain_problem, normalize_host
from profiles.images import largest_fallback_name
from profiles.links import site_url
from profiles.markup import (
    BIO_MAX_CHARS,
    SHORT_MARKUP_MAX_CHARS,
    render_lines,
    render_markdown,
    sanitize_inline_html,
    validate_lines,
    validate_markdown,
)
from profiles.media import media_path, site_folder
from profiles.search import SEARCH_SOURCES, profile_search_text
from profiles.slugs import SLUG_MAX_LENGTH, SLUG_PATTERN, validate_slug
from profiles.social import NETWORK_CHOICES, NETWORKS, Network, profile_url


class EmailUserManager(UserManager):
    """Users sign in with their e-mail address, matched case-insensitively."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The one stored form of an address: NFKC, trimmed, lower-cased.

        Django lower-cases only the domain; we lower-case it all so that SQLite
        (whose lower() is ASCII-only) and PostgreSQL agree on what "the same
        address" is: NFKC turns the Kelvin sign into K, and lower() then finds
        that "Kim@…" and "kim@…" collide on both databases. Mailbox names are
        case-insensitive in practice at every provider researchers use.
        """
        return unicodedata.normalize("NFKC", email or "").strip().lower()

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
        return self.get(email=self.normalize_email(username))


class User(AbstractUser):
    """An account on the platform. Researchers own one Profile; moderators may own none."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    # Proved by a link sent to the address (sign-up, a change of address, a password
    # reset). Until then the site may be edited and previewed, but not published.
    email_confirmed = models.BooleanField("e-mail address confirmed", default=False)

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


# Source field -> (stored HTML field, renderer). Rendering happens on save only.
RENDERED_FIELDS = {
    "bio": ("bio_html", render_markdown),
    "subtitle": ("subtitle_html", sanitize_inline_html),
    "more_info": ("more_info_html", render_lines),
    "contact_note": ("contact_note_html", render_markdown),
}


# Networks an owner may list more than once (two personal sites, several custom links).
MULTIPLE_LINK_NETWORKS = ["website", "custom"]


class ProfileQuerySet(models.QuerySet):
    def published(self) -> ProfileQuerySet:
        return self.filter(status=Profile.Status.PUBLISHED)

    def deleted(self) -> ProfileQuerySet:
        """Sites deleted and awaiting their purge (accounts.purge_deleted)."""
        return self.filter(status=Profile.Status.DELETED)


class Profile(models.Model):
    """One researcher's site, served at `<slug>.<SITES_DOMAIN>`.

    Field names follow al-folio's about page front matter where one exists
    (subtitle, more_info, announcements, selected_papers, social).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        SUSPENDED = "suspended", "Suspended"
        # Off the web, kept for DELETED_SITE_RETENTION_DAYS so that a moderator
        # can restore it, then erased (manage.py purge_deleted).
        DELETED = "deleted", "Deleted, awaiting purge"

    class PhotoAlign(models.TextChoices):
        RIGHT = "right", "Right of the text"
        LEFT = "left", "Left of the text"

    class PhotoShape(models.TextChoices):
        ROUNDED = "rounded", "Rounded corners"
        CIRCULAR = "circular", "Circle"

    owner = models.OneToOneField("profiles.User", on_delete=models.CASCADE, related_name="profile")
    slug = models.CharField(
        "site address",
        max_length=SLUG_MAX_LENGTH,
        validators=[validate_slug],
        help_text="The part of the site's address before the sites domain, e.g. "
        "ada-lovelace. Lowercase letters a-z, digits and single hyphens.",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # One of the site's verified custom domains, chosen by the owner as its one
    # canonical address (the others redirect there); empty: the slug host.
    # Set and cleared only by profiles.domains, which keeps it verified.
    primary_domain = models.CharField(max_length=253, blank=True, editable=False)

    # --- Who ---------------------------------------------------------------
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    subtitle = models.CharField(
        max_length=300,
        blank=True,
        help_text="One line under your name, such as your position and institution. HTML "
        "links and emphasis are allowed; up to 300 characters.",
    )
    affiliation = models.CharField(
        max_length=200,
        blank=True,
        help_text="Your institution, for search engines and the directory.",
    )
    research_interests = models.CharField(
        max_length=300,
        blank=True,
        help_text="Comma-separated, e.g. machine learning, ecology, NLP.",
    )
    bio = MarkdownxField(
        blank=True,
        max_length=BIO_MAX_CHARS,
        validators=[validate_markdown],
        help_text=f"Markdown. Links, images, tables and some HTML are allowed; up to "
        f"{BIO_MAX_CHARS:,} characters, several times the longest about page we have seen.",
    )

    # --- Photo and contact block (al-folio's profile.image and more_info) --
    # What profiles.images.store_image returned: sizes and storage names.
    photo = models.JSONField(default=dict, blank=True, editable=False)
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text="Read aloud by screen readers; defaults to your name.",
    )
    photo_align = models.CharField(
        max_length=8, choices=PhotoAlign.choices, default=PhotoAlign.RIGHT
    )
    photo_shape = models.CharField(
        max_length=10, choices=PhotoShape.choices, default=PhotoShape.ROUNDED
    )
    more_info = models.TextField(
        "contact block",
        blank=True,
        max_length=SHORT_MARKUP_MAX_CHARS,
        validators=[validate_lines],
        help_text="Shown under your photo: office, address. Each line you type stays a line. "
        f"Markdown or simple HTML, up to {SHORT_MARKUP_MAX_CHARS:,} characters.",
    )

    # --- Page options (al-folio's about page switches) ---------------------
    show_announcements = models.BooleanField("show news on the about page", default=True)
    announcements_limit = models.PositiveSmallIntegerField(
        "how many news items",
        null=True,
        blank=True,
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Leave empty to show all.",
    )
    announcements_scrollable = models.BooleanField(
        "scroll news when there are more than three", default=True
    )
    show_selected_papers = models.BooleanField("show selected publications", default=True)
    show_social = models.BooleanField("show social icons", default=True)
    contact_note = models.TextField(
        blank=True,
        max_length=SHORT_MARKUP_MAX_CHARS,
        validators=[validate_markdown],
        help_text="A sentence under your icons, e.g. the best way to reach you. Markdown, up "
        f"to {SHORT_MARKUP_MAX_CHARS:,} characters.",
    )

    # --- Search engines and look ---------------------------------------------
    meta_description = models.CharField(
        "description for search engines",
        max_length=300,
        blank=True,
        help_text="About 150 characters. Defaults to the start of your bio.",
    )
    keywords = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    accent_color = models.CharField(
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(r"\A#[0-9a-fA-F]{6}\Z", "Use a colour like #B509AC.", "invalid_color")
        ],
        help_text="Colour of links and highlights, like #B509AC. Empty: al-folio's purple.",
    )

    # --- Rendered on save (profiles.markup) and served as is -----------------
    # Moderation (profiles.moderation): why the status is what it is, and hidden pieces.
    status_reason = models.TextField(blank=True, editable=False)
    bio_hidden = models.BooleanField(default=False, editable=False)
    photo_hidden = models.BooleanField(default=False, editable=False)
    # Names, affiliation and interests, lower-cased and without accents, for the directory.
    search_text = models.TextField(blank=True, editable=False)
    # Deletion (profiles.moderation.services.delete_site): when, by whom (the owner
    # or a moderator), why, and the status a restore gives back.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        "profiles.User", null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    deletion_reason = models.TextField(blank=True, editable=False)
    status_before_deletion = models.CharField(max_length=16, blank=True, editable=False)

    bio_html = models.TextField(blank=True, editable=False)
    subtitle_html = models.TextField(blank=True, editable=False)
    more_info_html = models.TextField(blank=True, editable=False)
    contact_note_html = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "slug"]
        permissions = [
            ("moderate_profile", "Can publish, suspend and hide parts of sites"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="profile_slug_ci_unique"),
            models.CheckConstraint(
                condition=Q(slug__regex=SLUG_PATTERN), name="profile_slug_dns_label"
            ),
            # No punycode and no look-alike double hyphens (profiles.slugs). A regex,
            # not `contains`: on SQLite that is LIKE ... ESCAPE '\', whose backslash
            # makes Django's SQLite introspection (sqlparse) misread every later
            # constraint of the table, and migrations that look at them fail.
            models.CheckConstraint(
                condition=~Q(slug__regex="--"), name="profile_slug_single_hyphens"
            ),
            # A deleted site always knows when (its purge date counts from it), and
            # only a deleted one has a date: nothing can publish a deleted site
            # without restoring it (an import's save, a stray update).
            models.CheckConstraint(
                condition=Q(status="deleted", deleted_at__isnull=False)
                | (~Q(status="deleted") & Q(deleted_at__isnull=True)),
                name="profile_deleted_when",
            ),
        ]
        indexes = [
            # The directory's order (profiles.directory): its first page reads 24
            # sites in order instead of sorting them all (migration 0008). Declared
            # here, not as SQL, so that SQLite's table rebuilds keep it.
            models.Index(
                Lower("last_name"), Lower("first_name"), "slug", name="profile_directory_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.slug})"

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug.lower()
        update_fields = kwargs.get("update_fields")
        rendered = set()
        if update_fields is None or SEARCH_SOURCES & set(update_fields):
            self.search_text = profile_search_text(self)
            rendered.add("search_text")
        for source, (target, render) in RENDERED_FIELDS.items():
            if update_fields is None or source in update_fields:
                setattr(self, target, render(getattr(self, source)))
                rendered.add(target)
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *rendered}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The public address of the site, built from settings (never the request)."""
        return site_url(self.host)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored slug so a rename can forget the old host's cache entry,
        # and what co-author links read, so that only a change there rebuilds them.
        instance._stored_slug = instance.__dict__.get("slug")
        instance._stored_people = instance.people_values()
        return instance

    # What the platform's index of names (co-author links, publications.selectors) reads.
    NAME_INDEX_FIELDS = ("first_name", "middle_name", "last_name", "slug", "status")

    def people_values(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in self.NAME_INDEX_FIELDS)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def public_photo(self) -> dict:
        """The photo visitors see: none while a moderator has it hidden."""
        return {} if self.photo_hidden else (self.photo or {})

    @property
    def public_bio_html(self) -> str:
        """The bio visitors see: none while a moderator has it hidden."""
        return "" if self.bio_hidden else self.bio_html

    @property
    def accent_light(self) -> str:
        return accent_pair(self.accent_color)[0] if self.accent_color else ""

    @property
    def accent_dark(self) -> str:
        return accent_pair(self.accent_color)[1] if self.accent_color else ""

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_deleted(self) -> bool:
        return self.status == self.Status.DELETED

    @property
    def purge_after(self) -> datetime | None:
        """When a deleted site may be erased for good; until then a moderator can restore it."""
        if self.deleted_at is None:
            return None
        return self.deleted_at + timedelta(days=settings.DELETED_SITE_RETENTION_DAYS)

    @property
    def host(self) -> str:
        """The slug host, `<slug>.<SITES_DOMAIN>`: always served, never moves elsewhere."""
        return f"{self.slug}.{settings.SITES_DOMAIN}"

    @property
    def public_host(self) -> str:
        """The site's canonical host: its primary custom domain, else the slug host."""
        return self.primary_domain or self.host


def _document_upload_to(link: SocialLink, filename: str) -> str:
    # A random name: the owner's file name may carry personal data, and a new
    # upload must not be served from an old, cached URL.
    return f"{site_folder(link.profile_id, 'documents')}{secrets.token_hex(8)}.pdf"


class SocialLink(models.Model):
    """One icon in the row under the about page, in the owner's order."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="social_links")
    network = models.CharField(max_length=32, choices=NETWORK_CHOICES)
    # The canonical value from profiles.social.normalize_value: an ID or a URL.
    value = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=80, blank=True, help_text="For custom links: its name.")
    icon = models.CharField(
        max_length=80, blank=True, help_text='For custom links: an icon such as "fa-solid:flask".'
    )
    document = models.FileField(upload_to=_document_upload_to, blank=True)  # a CV as PDF
    image = models.JSONField(default=dict, blank=True)  # a WeChat QR code (profiles.images)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "network"],
                condition=~Q(network__in=MULTIPLE_LINK_NETWORKS),
                name="social_link_one_per_network",
                violation_error_message="You already have a link for this network.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile.slug}: {self.network}"

    @property
    def spec(self) -> Network:
        return NETWORKS[self.network]

    @property
    def label(self) -> str:
        return self.title or self.spec.label

    @property
    def icon_ref(self) -> str:
        return self.icon or self.spec.icon

    @cached_property
    def url(self) -> str:
        """Where the icon links. Site-relative paths work on every host of the site."""
        kind = self.spec.kind
        if kind == "email":
            return "/email/"  # a redirect: the address never appears in the page
        if kind == "feed":
            return "/feed.xml"
        if kind == "file":
            name = largest_fallback_name(self.image)
            return media_path(name) if name else ""
        if kind == "cv" and self.document:
            return media_path(self.document.name)
        return profile_url(self.network, self.value)

    @property
    def url_if_valid(self) -> str | None:
        """`url`, or None when the stored value cannot make one (for the owner's list)."""
        try:
            return self.url
        except ValueError:
            return None

    @cached_property
    def same_as_url(self) -> str | None:
        """The public profile this link names, for schema.org `sameAs`; None for others."""
        if self.spec.kind in {"id", "url"}:
            return profile_url(self.network, self.value)
        return None


def new_domain_token() -> str:
    """The value an owner puts in the TXT record that proves they control a domain."""
    return secrets.token_urlsafe(24)


class CustomDomain(models.Model):
    """A host name of the researcher's own that serves their site once verified.

    The owner adds it from the dashboard and proves control with a TXT record
    `_multifolio-challenge.<host>` holding `token`; verification (profiles.domains)
    also checks that the host points at us. Several sites may have added the same
    host, but only one can have it verified: proving control moves it.
    """

    host = models.CharField(
        max_length=253,
        help_text="The full host name, e.g. www.jane-doe.org (lowercase, no port; "
        "an internationalised name is stored in its xn-- form).",
    )
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="custom_domains")
    verified = models.BooleanField(default=False)
    token = models.CharField(max_length=64, default=new_domain_token, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # Consecutive checks that failed; past a few, a verified domain is unverified.
    failed_checks = models.PositiveSmallIntegerField(default=0)
    last_check_message = models.CharField(max_length=300, blank=True)
    # Set when a moderator revokes the domain: it is never checked or verified
    # for this site again, and the owner cannot remove and re-add it.
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["host"]
        constraints = [
            models.CheckConstraint(condition=Q(host=Lower("host")), name="custom_domain_lowercase"),
            models.UniqueConstraint(
                fields=["host"], condition=Q(verified=True), name="custom_domain_verified_once"
            ),
            models.UniqueConstraint(fields=["profile", "host"], name="custom_domain_once_per_site"),
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


class ExportedImage(models.Model):
    """The SHA-256 of every image an al-folio export wrote (profiles.alfolio.exporter).

    Those bytes are our own pipeline's output, already clean, so when they
    come back (the export imported again) the import keeps them byte for
    byte instead of re-encoding them: JPEG is lossy, and a round trip must
    give the same files. Only bytes identical to our own output match, so
    this opens nothing to an attacker.
    """

    sha256 = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.sha256


class SiteImport(models.Model):
    """One al-folio import into a site (profiles.alfolio): queued, running, done or failed.

    Dashboard imports run as a background task (profiles.tasks) and the page
    shows `progress` until the report is in; the command's imports are
    recorded here once done, so the dashboard's history has them all.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="site_imports")
    source = models.CharField(max_length=300)  # what was given: "pengr.github.io-main.zip"
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(max_length=200, blank=True)  # "Re-encoding images: 3 of 16"
    error = models.TextField(blank=True)  # why it failed, for the researcher
    # The uploaded file in private storage (never served), until the import is done with it.
    upload = models.CharField(max_length=300, blank=True)
    # profiles.alfolio.report.ImportReport.as_dict(): counts, warnings, skipped files.
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class CspReport(models.Model):
    """One Content-Security-Policy violation a browser reported (profiles.views.security).

    Whatever a browser sends is the sender's word: stored truncated, shown read-only.
    """

    # Lengths the view truncates to; URLs are kept long enough to tell pages apart.
    URL_MAX_LENGTH = 1000
    SAMPLE_MAX_LENGTH = 200
    USER_AGENT_MAX_LENGTH = 300
    DIRECTIVE_MAX_LENGTH = 100

    received_at = models.DateTimeField(default=timezone.now, db_index=True)  # pruned by age
    document_uri = models.CharField(max_length=URL_MAX_LENGTH, blank=True)
    violated_directive = models.CharField(max_length=DIRECTIVE_MAX_LENGTH, blank=True)
    blocked_uri = models.CharField(max_length=URL_MAX_LENGTH, blank=True)
    source_file = models.CharField(max_length=URL_MAX_LENGTH, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    sample = models.CharField(max_length=SAMPLE_MAX_LENGTH, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "CSP report"

    def __str__(self) -> str:
        return f"{self.violated_directive or '?'} on {self.document_uri or '?'}"


# Moderation's models live in their own module; imported here so that Django finds them.
from profiles.moderation.models import (  # noqa: E402
    HiddenItem,
    ModerationAction,
    Report,
    SlugHistory,
)

__all__ = [
    "CspReport", "CustomDomain", "ExportedImage", "HiddenItem", "ModerationAction", "Profile",
    "Report", "SiteImport", "SlugHistory", "SocialLink", "User",
]  # fmt: skip
