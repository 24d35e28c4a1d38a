"""What moderators decide, and what visitors report. Imported by profiles.models."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ModerationAction(models.Model):
    """One moderation decision or event: who, when, what, why. Never edited."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", "Published the site"
        SUSPEND = "suspend", "Suspended the site"
        REINSTATE = "reinstate", "Reinstated the site"
        HIDE = "hide", "Hid an item"
        UNHIDE = "unhide", "Put an item back"
        REVIEW_REQUESTED = "review_requested", "The owner asked for a review"
        REPORT_RESOLVED = "report_resolved", "Resolved a report"
        REVOKE_DOMAIN = "revoke_domain", "Revoked a custom domain"
        DELETE = "delete", "Deleted the site"
        OWNER_DELETE = "owner_delete", "The owner deleted the site"
        RESTORE = "restore", "Restored the deleted site"

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="moderation_actions"
    )
    # Who did it; empty for the owner's own requests and for deleted moderator accounts.
    actor = models.ForeignKey(
        "profiles.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target = models.CharField(max_length=300)  # "the site", "the bio", "news item “Talk”"
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"


class HiddenItem(models.Model):
    """A piece of a site a moderator hid, and why; the row goes when the item is put back.

    The items' own flags (Publication.is_visible, NewsItem.is_visible,
    Profile.bio_hidden, Profile.photo_hidden) are what pages read; this row
    carries the reason and the owner's request for review.
    """

    class Kind(models.TextChoices):
        BIO = "bio", "Bio"
        PHOTO = "photo", "Photo"
        PUBLICATION = "publication", "Publication"
        NEWS = "news", "News item"

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="hidden_items"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    publication = models.OneToOneField(
        "publications.Publication",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hidden",
    )
    news_item = models.OneToOneField(
        "news.NewsItem", null=True, blank=True, on_delete=models.CASCADE, related_name="hidden"
    )
    reason = models.TextField()
    hidden_by = models.ForeignKey(
        "profiles.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(auto_now_add=True)
    # The owner edited the item and asked for it to be looked at again.
    review_requested_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-hidden_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind"],
                condition=Q(kind__in=["bio", "photo"]),
                name="hidden_bio_or_photo_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="publication", publication__isnull=False, news_item__isnull=True)
                    | Q(kind="news", news_item__isnull=False, publication__isnull=True)
                    | Q(kind__in=["bio", "photo"], publication__isnull=True, news_item__isnull=True)
                ),
                name="hidden_item_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.PUBLICATION and self.publication_id:
            return f"publication “{self.publication.key}”"
        if self.kind == self.Kind.NEWS and self.news_item_id:
            return f"news item “{self.news_item}”"
        return f"the {self.get_kind_display().lower()}"


class Report(models.Model):
    """A visitor's report of a page, waiting in the moderation queue until resolved."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Harassment, hate or threats"
        IMPERSONATION = "impersonation", "Pretends to be someone else"
        PRIVACY = "privacy", "Shares private information"
        COPYRIGHT = "copyright", "Infringes copyright"
        ILLEGAL = "illegal", "Illegal content"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="reports"
    )
    page_url = models.URLField("page", max_length=500)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    message = models.TextField(max_length=5000)
    contact_email = models.EmailField("reporter's e-mail", blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "profiles.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was done, in words the reporter reads (they are told when they left an address).
    action_taken = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Report #{self.pk} on {self.page_url}"


class SlugHistory(models.Model):
    """A site's former address: reserved, and redirected to the new one, for 90 days."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="former_slugs"
    )
    slug = models.CharField(max_length=63, unique=True)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name_plural = "slug history"

    def __str__(self) -> str:
        return f"{self.slug} → {self.profile.slug}"
