"""A site's news: al-folio's `_news/` items, each dated, inline or with a page of its own."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from markdownx.models import MarkdownxField

from profiles.markup import BIO_MAX_CHARS, render_markdown, validate_markdown

NEWS_MAX_CHARS = BIO_MAX_CHARS


class NewsItemQuerySet(models.QuerySet):
    def visible(self) -> NewsItemQuerySet:
        return self.filter(is_visible=True)

    def published(self) -> NewsItemQuerySet:
        """Visible and dated now or earlier: a future date publishes itself, no cron needed."""
        return self.visible().filter(date__lte=timezone.now())

    def newest_first(self) -> NewsItemQuerySet:
        return self.order_by("-date", "-pk")


class NewsItem(models.Model):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="news")
    date = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="Shown beside the item. A date in the future keeps the item off your site "
        "until then.",
    )
    title = models.CharField(
        max_length=300,
        blank=True,
        help_text="Needed unless the item is inline; the title links to the item's own page.",
    )
    inline = models.BooleanField(
        "inline",
        default=False,
        help_text="A one-line item shown whole in the list, with no page of its own "
        "(al-folio's inline news).",
    )
    content = MarkdownxField(
        blank=True,
        max_length=NEWS_MAX_CHARS,
        validators=[validate_markdown],
        help_text=f"Markdown, with math and :emoji: as on the about page; up to "
        f"{NEWS_MAX_CHARS:,} characters.",
    )
    slug = models.SlugField(
        "address",
        max_length=120,
        blank=True,
        help_text="The item's page is /news/<address>/. Made from the title when left empty.",
    )
    is_visible = models.BooleanField(default=True, db_index=True)  # moderation hides items
    # The item as it was written in an imported _news/ file: kept, never lost.
    original_text = models.TextField(blank=True, editable=False)
    # That file's path in the repository ("_news/announcement_1.md"): importing
    # the repository again updates this item instead of adding another.
    source_path = models.CharField(max_length=300, blank=True, editable=False)

    content_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "slug"],
                condition=~Q(slug=""),
                name="news_slug_per_site",
                violation_error_message="Another of your news items uses this address.",
            ),
            models.CheckConstraint(
                condition=Q(inline=True) | ~Q(title=""), name="news_title_unless_inline"
            ),
        ]
        indexes = [models.Index(fields=["profile", "is_visible", "date"], name="news_listing")]

    def __str__(self) -> str:
        return self.title or self.content[:60]

    def save(self, *args, **kwargs) -> None:
        self.content_html = render_markdown(self.content)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "content_html"}
        super().save(*args, **kwargs)

    @property
    def has_page(self) -> bool:
        return not self.inline and bool(self.slug)

    @property
    def path(self) -> str:
        return f"/news/{self.slug}/" if self.has_page else f"/news/#news-{self.pk}"
