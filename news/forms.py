"""The news editor of the dashboard."""

from __future__ import annotations

from django import forms

from news.models import NewsItem


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = ["date", "inline", "title", "slug", "content"]
        widgets = {
            "date": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        # Long texts are checked on the server, which keeps what was typed.
        self.fields["content"].widget.attrs.pop("maxlength", None)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("inline") and not (cleaned.get("title") or "").strip():
            self.add_error("title", "Give the item a title, or make it inline (one line, no page).")
        if cleaned.get("inline") and not (cleaned.get("content") or "").strip():
            self.add_error("content", "An inline item is its text: write it here.")
        return cleaned
