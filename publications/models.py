"""A site's publications, from BibTeX, and the settings that shape its publications page."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

# al-folio's `filtered_bibtex_keywords`: fields that drive the page (buttons,
# badges, flags) and are left out of the BibTeX a visitor sees or copies.
ALFOLIO_FIELDS = (
    "abbr", "abstract", "additional_info", "altmetric", "annotation", "arxiv", "award",
    "award_name", "bibtex_show", "blog", "code", "dimensions", "google_scholar_id", "hal",
    "html", "inspirehep_id", "pdf", "pmid", "poster", "preview", "selected", "slides",
    "supp", "video", "website",
)  # fmt: skip


# Stored HTML, rendered from the decoded text on every save (publications.rendering).
RENDERED_FIELDS = (
    "title_html", "abstract_html", "award_html", "annotation_html", "additional_info_html",
)  # fmt: skip


class PublicationQuerySet(models.QuerySet):
    def visible(self) -> PublicationQuerySet:
        return self.filter(is_visible=True)

    def selected(self) -> PublicationQuerySet:
        return self.filter(selected=True)

    def in_page_order(self) -> PublicationQuerySet:
        """al-folio's order: newest year first, the file's order within a year."""
        return self.order_by(models.F("year").desc(nulls_last=True), "position", "pk")


class Publication(models.Model):
    """One BibTeX entry of a site, parsed for the page and kept as written.

    `raw_bibtex` is the entry as it was in the file (or as the owner last
    edited it); the other fields are what the page shows, decoded from it by
    publications.bibtex. Fields the model has no column for stay in `extra`.
    """

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="publications"
    )
    key = models.CharField("citation key", max_length=255)
    entry_type = models.CharField(max_length=40)

    # --- What the page shows, decoded (LaTeX to Unicode, braces gone, $math$ kept)
    title = models.TextField(blank=True)
    # [{"first", "von", "last", "jr", "original", "marks", "others"}] in file order
    authors = models.JSONField(default=list, blank=True)
    editors = models.JSONField(default=list, blank=True)
    venue = models.CharField(max_length=1000, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    volume = models.CharField(max_length=100, blank=True)
    number = models.CharField(max_length=100, blank=True)
    pages = models.CharField(max_length=100, blank=True)
    publisher = models.CharField(max_length=500, blank=True)
    doi = models.CharField("DOI", max_length=300, blank=True)
    url = models.CharField("URL", max_length=2000, blank=True)
    eprint = models.CharField(max_length=300, blank=True)
    isbn = models.CharField("ISBN", max_length=100, blank=True)
    abstract = models.TextField(blank=True)

    # --- al-folio's own fields -------------------------------------------------
    abbr = models.CharField("venue badge", max_length=100, blank=True)
    selected = models.BooleanField(default=False, db_index=True)
    bibtex_show = models.BooleanField("show BibTeX button", default=False)
    preview = models.CharField(max_length=2000, blank=True)
    pdf = models.CharField("PDF", max_length=2000, blank=True)
    supp = models.CharField("supplementary material", max_length=2000, blank=True)
    poster = models.CharField(max_length=2000, blank=True)
    slides = models.CharField(max_length=2000, blank=True)
    html = models.CharField("HTML", max_length=2000, blank=True)
    code = models.CharField(max_length=2000, blank=True)
    blog = models.CharField(max_length=2000, blank=True)
    website = models.CharField(max_length=2000, blank=True)
    video = models.CharField(max_length=2000, blank=True)
    arxiv = models.CharField("arXiv", max_length=300, blank=True)
    hal = models.CharField("HAL", max_length=300, blank=True)
    award = models.TextField(blank=True)
    award_name = models.CharField(max_length=300, blank=True)
    annotation = models.TextField(blank=True)
    additional_info = models.TextField(blank=True)
    altmetric = models.CharField(max_length=300, blank=True)
    dimensions = models.CharField(max_length=300, blank=True)
    google_scholar_id = models.CharField(max_length=100, blank=True)
    inspirehep_id = models.CharField(max_length=100, blank=True)
    pmid = models.CharField("PMID", max_length=100, blank=True)

    # Every other field of the entry, as written (after @string expansion).
    extra = models.JSONField(default=dict, blank=True)

    # --- The entry itself -------------------------------------------------------
    raw_bibtex = models.TextField("BibTeX")
    # Its order in the file: al-folio keeps the file's order within a year.
    position = models.PositiveIntegerField(default=0)
    # Moderation hides items without deleting them.
    is_visible = models.BooleanField(default=True, db_index=True)

    # --- Rendered on save (publications.rendering) and served as is ---------------
    title_html = models.TextField(blank=True, editable=False)
    abstract_html = models.TextField(blank=True, editable=False)
    award_html = models.TextField(blank=True, editable=False)
    annotation_html = models.TextField(blank=True, editable=False)
    additional_info_html = models.TextField(blank=True, editable=False)
    # The BibTeX a visitor sees: the entry without al-folio's own fields.
    bibtex_display = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "key"], name="publication_key_per_site"),
        ]
        indexes = [models.Index(fields=["profile", "year", "position"], name="publication_page")]

    def __str__(self) -> str:
        return f"{self.key}: {self.title[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.render()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *RENDERED_FIELDS}
        super().save(*args, **kwargs)

    def render(self) -> None:
        """Fill the *_html fields from their sources (save() does; bulk imports call it)."""
        from publications.rendering import render_stored_fields

        render_stored_fields(self)


class PublicationSettings(models.Model):
    """How a site's publications page shows names and lists (al-folio's scholar settings)."""

    profile = models.OneToOneField(
        "profiles.Profile", on_delete=models.CASCADE, related_name="publication_settings"
    )
    name_variants = models.TextField(
        "your name as it appears in papers",
        blank=True,
        help_text="One form per line, e.g. Lovelace, Ada or A. K. Lovelace. Matching ignores "
        "accents and case, and initials match full first names. Your site's own name is "
        "always included.",
    )
    max_author_limit = models.PositiveSmallIntegerField(
        "authors shown before “and N more”",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Leave empty to always show every author.",
    )
    # @string macros seen in imports, so that an export can be imported again.
    string_macros = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "publication settings"

    def __str__(self) -> str:
        return f"publication settings of {self.profile_id}"


class Venue(models.Model):
    """A venue badge's colour and link (al-folio's _data/venues.yml)."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="venues")
    abbr = models.CharField("badge", max_length=100)
    color = models.CharField(
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"\A#[0-9a-fA-F]{6}\Z", "Use a colour like #00369f.")],
    )
    url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["abbr"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "abbr"], name="venue_abbr_per_site"),
        ]

    def __str__(self) -> str:
        return self.abbr


class Coauthor(models.Model):
    """A co-author's link (al-folio's _data/coauthors.yml), matched on their name forms."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="coauthors"
    )
    name_variants = models.TextField(
        help_text="One form per line, e.g. Hopper, Grace or G. M. Hopper.",
    )
    url = models.URLField(max_length=2000)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name_variants.splitlines()[0] if self.name_variants else self.url


class ImportRun(models.Model):
    """One BibTeX import and its report, for the dashboard's history."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="bibtex_imports"
    )
    source = models.CharField(max_length=300)  # "upload papers.bib", "pasted text", ...
    replace = models.BooleanField(default=False)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # {"problems": [{"key", "line", "reason"}], "warnings": [{"key", "line", "message"}]}
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.created_at:%Y-%m-%d %H:%M})"


class PaperFile(models.Model):
    """A file an entry names (`pdf = {paper.pdf}`, `preview = {fig.png}`), uploaded by the owner.

    al-folio keeps them in assets/pdf/ and assets/img/publication_preview/;
    here they live in the site's folder (profiles.media) under random names,
    found by the name the BibTeX uses.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", "PDF"
        IMAGE = "image", "Image"

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="paper_files"
    )
    name = models.CharField(
        max_length=255,
        validators=[
            RegexValidator(
                r"\A[A-Za-z0-9][A-Za-z0-9._ ()+-]*\Z",
                "Use a plain file name such as paper.pdf (letters, digits, . _ - and spaces).",
            )
        ],
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A document: its storage name. An image: what profiles.images.store_image returned.
    stored = models.JSONField(default=dict)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "name"], name="paper_file_name_per_site"),
            models.CheckConstraint(
                condition=Q(kind__in=["document", "image"]), name="paper_file_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name
