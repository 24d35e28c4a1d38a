"""Forms of the sign-up page and the dashboard."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from profiles import accounts, botcheck
from profiles.documents import process_pdf
from profiles.former_slugs import reserved_for_another
from profiles.icons import icon_exists, icon_ref_from_classes
from profiles.models import MULTIPLE_LINK_NETWORKS, Profile, SocialLink, User
from profiles.slugs import validate_slug
from profiles.social import NETWORKS, normalize_value, refuse_invisible_characters

# A renamed site keeps its former address for 90 days (profiles.former_slugs).
RESERVED_SLUG_MESSAGE = (
    "“{slug}” is reserved: another site went by it until recently. Please choose another address."
)

# Every network is offered (the RSS icon links to the site's own /feed.xml).
NOT_YET_OFFERED: set[str] = set()


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=254,  # what the database column holds
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    slug = forms.CharField(
        label="Site address",
        max_length=63,
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "spellcheck": "false", "pattern": "[A-Za-z0-9-]+"}
        ),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # The bot check (profiles.botcheck): a trap field, and a signed stamp of
    # when the page was rendered, sent back as a hidden input (rendered_stamp).
    website = botcheck.honeypot_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        posted = self.data.get(botcheck.STAMP_FIELD) if self.is_bound else None
        self.rendered_stamp = botcheck.stamp_to_render(posted)
        self.bot_refusal = (
            botcheck.refusal(posted, self.data.get(botcheck.HONEYPOT_FIELD))
            if self.is_bound
            else None
        )
        # Plain text, built when the form is: the domain is a setting.
        self.fields["slug"].help_text = (
            f"For example, ada-lovelace gives your site the address "
            f"ada-lovelace.{settings.SITES_DOMAIN}. Lowercase letters a-z, digits and single "
            "hyphens."
        )

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            if deleted := accounts.deleted_site_of(email):  # kept for a restore until purged
                raise ValidationError(accounts.deleted_address_message(deleted))
            raise ValidationError(
                "An account with this e-mail already exists. Log in, or reset your password."
            )
        return email

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        validate_slug(slug)
        if Profile.objects.filter(slug__iexact=slug).exists():
            raise ValidationError(f"“{slug}” is taken. Please choose another address.")
        if reserved_for_another(slug):
            raise ValidationError(RESERVED_SLUG_MESSAGE.format(slug=slug))
        return slug

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.bot_refusal:
            self.add_error(None, ValidationError(self.bot_refusal, code="bot_check"))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), first_name=cleaned.get("first_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with our one policy on whether an address has an account.

    Sign-up has to say that an address is taken, so reset says it too, and
    helpfully: a typo is the usual reason a reset mail never comes (README,
    "Accounts and e-mail addresses").
    """

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if not User.objects.filter(email=email, is_active=True).exists():
            if deleted := accounts.deleted_site_of(email):  # kept for a restore until purged
                raise ValidationError(accounts.deleted_address_message(deleted))
            raise ValidationError(
                "No account uses this address. Check it for typos, or create a site."
            )
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "first_name", "middle_name", "last_name", "subtitle", "affiliation",
            "research_interests", "bio", "more_info", "photo_align", "photo_shape", "photo_alt",
            "show_announcements", "announcements_limit", "announcements_scrollable",
            "show_selected_papers", "show_social", "contact_note", "meta_description",
            "keywords", "accent_color",
        ]  # fmt: skip
        help_texts = {
            "show_announcements": "Your latest news, under the bio (write them on the News page).",
            "show_selected_papers": "Papers marked selected on the Publications page, or "
            "selected = {true} in your BibTeX.",
        }
        widgets = {
            "more_info": forms.Textarea(attrs={"rows": 3}),
            "contact_note": forms.Textarea(attrs={"rows": 2}),
            "photo_align": forms.RadioSelect,
            "photo_shape": forms.RadioSelect,
            "accent_color": forms.TextInput(attrs={"placeholder": "#B509AC", "size": 8}),
        }

    # Long texts are checked on the server, which keeps what was typed and says
    # by how much it is over; a browser's maxlength would cut a paste silently.
    MARKUP_FIELDS = ("bio", "more_info", "contact_note")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.MARKUP_FIELDS:
            field = self.fields[name]
            field.widget.attrs.pop("maxlength", None)
            field.error_messages["max_length"] = (
                f"Please shorten this to at most {field.max_length:,} characters "
                "(it has %(show_value)d)."
            )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="New photo",
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB. We remove location and camera data.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )


class SocialLinkForm(forms.ModelForm):
    """One form for every network; which fields matter depends on the network's kind."""

    image_upload = forms.FileField(
        label="QR code image",
        required=False,
        help_text="WeChat only: a picture of your QR code (JPEG, PNG, WebP or GIF).",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    class Meta:
        model = SocialLink
        fields = ["network", "value", "title", "icon", "document"]
        labels = {"value": "ID or address", "document": "CV (PDF)"}
        help_texts = {
            "document": "CV only: upload a PDF (up to 10 MB), or give its address above.",
            "title": "Custom links only: the name shown when hovering the icon.",
            "icon": "Custom links only: e.g. fa-solid:flask, fa-brands:discord, ai:ieee, or the "
            "class form used in bios, fa-solid fa-flask.",
        }
        widgets = {"document": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}

    def __init__(self, *args, profile: Profile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.cleaned_pdf: bytes | None = None  # a new CV, checked and re-written
        self.fields["network"].choices = [
            choice for choice in self.fields["network"].choices if choice[0] not in NOT_YET_OFFERED
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        network = cleaned.get("network")
        if not network:
            return cleaned
        if network not in MULTIPLE_LINK_NETWORKS:
            taken = self.profile.social_links.filter(network=network).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("network", "You already have this one; edit it in the list instead.")
        kind = NETWORKS[network].kind
        try:
            cleaned["value"] = normalize_value(network, cleaned.get("value", "") or "")
        except ValidationError as error:
            self.add_error("value", error)
        self._check_kind(kind, cleaned)
        return cleaned

    def _check_kind(self, kind: str, cleaned: dict) -> None:
        value = cleaned.get("value")
        if kind in {"id", "url", "email", "custom"} and not value and "value" not in self.errors:
            self.add_error("value", "Please fill this in.")
        if kind == "custom":
            if not cleaned.get("title"):
                self.add_error("title", "Give your custom link a name.")
            else:
                try:
                    refuse_invisible_characters(cleaned["title"])
                except ValidationError as error:
                    self.add_error("title", error)
            icon = (cleaned.get("icon") or "").strip()
            # Accept the icon-font class form that bios use ("fa-solid fa-flask",
            # "ai ai-ieee") as well as our own reference ("fa-solid:flask").
            ref = icon if ":" in icon else icon_ref_from_classes(icon)
            if icon and not (ref and icon_exists(ref)):
                self.add_error(
                    "icon",
                    f"There is no icon “{icon}”. Write it as fa-solid:flask or as "
                    "fa-solid fa-flask; fa-solid:link always works.",
                )
            elif icon:
                cleaned["icon"] = ref
        if kind == "file" and not (cleaned.get("image_upload") or self.instance.image):
            self.add_error("image_upload", "Upload the picture of your QR code.")
        if kind == "cv":
            document = cleaned.get("document")
            if not (document or value):
                self.add_error("document", "Upload your CV as a PDF, or give its address.")
            if document and hasattr(document, "read"):
                self._check_pdf(document)

    def _check_pdf(self, document) -> None:
        """Validate and re-write the PDF now; the service stores the clean copy."""
        try:
            self.cleaned_pdf = process_pdf(document)
        except ValidationError as error:
            self.add_error("document", error)


class AlfolioImportForm(forms.Form):
    """An al-folio repository as a .zip, or its about page alone."""

    file = forms.FileField(
        label="Your al-folio site",
        help_text="A .zip of the repository (on GitHub: Code, then Download ZIP), or only its "
        "_pages/about.md. Up to 50 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.md,.markdown"}),
    )
    dry_run = forms.BooleanField(
        label="Check first: show what would change, and save nothing",
        required=False,
    )

    def clean_file(self):
        from profiles.alfolio.archive import MAX_ARCHIVE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_ARCHIVE_BYTES:
            raise ValidationError(
                f"This file is {upload.size / 1024 / 1024:.0f} MB; the limit is "
                f"{MAX_ARCHIVE_BYTES // 1024 // 1024} MB. Zip only what the import reads: "
                "_config.yml and the folders _pages, _data, _news, _bibliography, assets/img "
                "and assets/pdf."
            )
        return upload
