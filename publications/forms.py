"""Forms of the publications dashboard."""

from __future__ import annotations

import re
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import inlineformset_factory

from profiles.models import Profile
from publications.models import Coauthor, PaperFile, PublicationSettings, Venue


class ImportForm(forms.Form):
    """A .bib file, or text pasted from a reference manager."""

    file = forms.FileField(
        label="BibTeX file",
        required=False,
        help_text="A .bib file, as exported by Zotero, Mendeley, JabRef or Google Scholar, or "
        "an al-folio site's _bibliography/papers.bib.",
        widget=forms.ClearableFileInput(attrs={"accept": ".bib,.bibtex,.txt,text/plain"}),
    )
    text = forms.CharField(
        label="Or paste BibTeX",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    replace = forms.BooleanField(
        label="Also remove papers that are not in this file",
        required=False,
        help_text="Without this, papers already on your site stay; those in the file are added "
        "or updated by their citation key.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise ValidationError("Choose a .bib file, or paste BibTeX into the box.")
        return cleaned


class PublicationForm(forms.Form):
    """One entry: a few fields as written in BibTeX, and the entry's whole text.

    They are kept in step: a changed field is written into the entry's text;
    a changed text wins over the fields (the help text says so).
    """

    FIELDS = ("title", "author", "year", "abbr", "pdf", "code", "html", "abstract")

    title = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 60}))
    author = forms.CharField(
        label="Authors",
        required=False,
        help_text="As in BibTeX: Lovelace, Ada and Babbage, Charles.",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    year = forms.CharField(required=False, max_length=20)
    abbr = forms.CharField(label="Venue badge", required=False, max_length=100)
    pdf = forms.CharField(
        label="PDF",
        required=False,
        help_text="A web address, or the name of a file you uploaded on the Files page.",
    )
    code = forms.CharField(label="Code", required=False)
    html = forms.CharField(label="Web page", required=False)
    abstract = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    selected = forms.BooleanField(label="Selected: show it on the about page", required=False)
    bibtex_show = forms.BooleanField(label="Show the Bib button", required=False)
    raw_bibtex = forms.CharField(
        label="BibTeX",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "code"}),
        help_text="The entry as it will be exported. If you change it here, it wins over the "
        "fields above.",
    )


class PaperFileForm(forms.Form):
    file = forms.FileField(
        help_text="A PDF (paper, slides, poster, supplement; up to 10 MB) or a preview image "
        "(JPEG, PNG, WebP or GIF).",
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    name = forms.CharField(
        required=False,
        max_length=255,
        help_text="The name your BibTeX uses, as in pdf = {paper.pdf} or preview = {fig.png}. "
        "Empty: the uploaded file's own name.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        upload = cleaned.get("file")
        name = (cleaned.get("name") or "").strip() or (PurePath(upload.name).name if upload else "")
        name = re.sub(r"\s+", " ", name)
        field = PaperFile._meta.get_field("name")
        try:
            field.run_validators(name)
        except ValidationError as error:
            self.add_error("name" if cleaned.get("name") else "file", error)
        cleaned["name"] = name
        return cleaned


class PublicationSettingsForm(forms.ModelForm):
    class Meta:
        model = PublicationSettings
        fields = ["name_variants", "max_author_limit"]
        widgets = {"name_variants": forms.Textarea(attrs={"rows": 4})}


def _https_by_default(field, **kwargs):
    # A typed "icml.cc" means https://icml.cc (Django 6's default, chosen now).
    if isinstance(field, models.URLField):
        return field.formfield(assume_scheme="https", **kwargs)
    return field.formfield(**kwargs)


VenueFormSet = inlineformset_factory(
    Profile,
    Venue,
    fields=["abbr", "color", "url"],
    extra=1,
    can_delete=True,
    formfield_callback=_https_by_default,
    widgets={"color": forms.TextInput(attrs={"placeholder": "#00369f", "size": 8})},
)
CoauthorFormSet = inlineformset_factory(
    Profile,
    Coauthor,
    fields=["name_variants", "url"],
    extra=1,
    can_delete=True,
    formfield_callback=_https_by_default,
    widgets={"name_variants": forms.Textarea(attrs={"rows": 2})},
)
