"""The form visitors report a page with (profiles.views.reports)."""

from __future__ import annotations

from django import forms

from profiles.models import Report

MESSAGE_MAX_LENGTH = Report._meta.get_field("message").max_length


class ReportForm(forms.ModelForm):
    """What the visitor says; which site and page it is about comes from the link."""

    # Declared, not generated: a generated field would offer a blank "---------" radio.
    reason = forms.ChoiceField(
        label="What is wrong with this page?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the reason that fits best.",
            "invalid_choice": "Choose one of the reasons listed.",
        },
    )

    class Meta:
        model = Report
        fields = ["reason", "message", "contact_email"]
        labels = {
            "message": "What should the moderators know?",
            "contact_email": "Your e-mail address (optional)",
        }
        help_texts = {
            "message": (
                f"What on the page is wrong, and why. At most {MESSAGE_MAX_LENGTH:,} characters."
            ),
            "contact_email": "Only to tell you what was done about your report.",
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 7}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "message": {
                "required": "Say what is wrong with the page: the moderators read this first.",
                "max_length": (
                    f"Please keep it to {MESSAGE_MAX_LENGTH:,} characters or fewer "
                    "(this is %(show_value)s)."
                ),
            },
            "contact_email": {
                "invalid": "Enter an e-mail address such as name@example.org, or leave it empty.",
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        # The labels are questions and a parenthesis; a colon after them reads oddly.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
