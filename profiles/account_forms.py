"""Forms of the account page: e-mail address, password, site address, deleting the account."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from profiles import accounts
from profiles.former_slugs import RESERVATION, reserved_for_another
from profiles.forms import RESERVED_SLUG_MESSAGE
from profiles.models import Profile, User
from profiles.slugs import validate_slug

TOO_MANY_TRIES = (
    f"Too many wrong passwords: wait {accounts.PASSWORD_WAIT_SECONDS // 60} minutes and try "
    "again, or log out and reset your password."
)


def _current_password_field(label: str = "Your current password") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _check_current_password(user: User, password: str) -> None:
    try:
        right = accounts.check_password(user, password)
    except accounts.TooManyTries:
        raise ValidationError(TOO_MANY_TRIES, code="too_many_tries") from None
    if not right:
        raise ValidationError("That is not your password.", code="wrong_password")


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send a link there; your address changes when you follow it.",
    )
    password = _current_password_field()

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["new_email"])
        if email == self.user.email:
            raise ValidationError("That is already your address.")
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise ValidationError("Another account uses this address.")
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        _check_current_password(self.user, password)
        return password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form; wrong current passwords are counted as in the other account forms."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One of several forms on the page: focusing it would scroll past the others.
        self.fields["old_password"].widget.attrs.pop("autofocus", None)

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        _check_current_password(self.user, password)
        return password


class SiteAddressForm(forms.Form):
    slug = forms.CharField(
        label="New site address",
        max_length=63,
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "spellcheck": "false", "pattern": "[A-Za-z0-9-]+"}
        ),
    )

    def __init__(self, *args, profile: Profile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["slug"].help_text = (
            f"Lowercase letters a-z, digits and single hyphens; your site then answers at "
            f"<new-address>.{settings.SITES_DOMAIN}. The current address, {profile.slug}, "
            f"sends visitors on to the new one for {RESERVATION.days} days and stays yours "
            "meanwhile; after that anyone may take it."
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        validate_slug(slug)
        if slug == self.profile.slug:
            raise ValidationError("That is your address already.")
        if Profile.objects.filter(slug__iexact=slug).exclude(pk=self.profile.pk).exists():
            raise ValidationError(f"“{slug}” is taken. Please choose another address.")
        if reserved_for_another(slug, self.profile):
            raise ValidationError(RESERVED_SLUG_MESSAGE.format(slug=slug))
        held = accounts.slugs_held(self.profile)
        taking_one_back = self.profile.former_slugs.filter(slug=slug).exists()
        if held >= accounts.MAX_RESERVED_SLUGS and not taking_one_back:
            raise ValidationError(
                f"Your site already keeps {held} former addresses for their {RESERVATION.days} "
                "days, the most it may hold: take one of them back, or wait until the oldest is "
                "released."
            )
        return slug


class DeleteAccountForm(forms.Form):
    password = _current_password_field("Your password")
    confirm_slug = forms.CharField(
        label="Your site address",
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"}
        ),
    )

    def __init__(self, *args, user: User, profile: Profile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.profile = profile
        self.fields["confirm_slug"].help_text = f"Type {profile.slug} to confirm."

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        _check_current_password(self.user, password)
        return password

    def clean_confirm_slug(self) -> str:
        typed = self.cleaned_data["confirm_slug"].strip().lower()
        if typed != self.profile.slug:
            raise ValidationError(f"Type your site's address, {self.profile.slug}, exactly.")
        return typed


class LoginForm(auth_forms.AuthenticationForm):
    """Django's log-in form, which tells the owner of a deleted account what happened.

    A deleted account is inactive, so its right password is refused like a wrong
    one. Only to whoever gives that right password, the refusal says the site was
    deleted, until when it can come back, and how: "wrong password" would send
    them to a reset that cannot help.
    """

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            deleted = accounts.deleted_site_of(
                User.objects.normalize_email(self.data.get("username", ""))
            )
            if deleted is not None and deleted.owner.check_password(self.data.get("password", "")):
                raise ValidationError(
                    f"Your account and your site were deleted. They are kept until "
                    f"{accounts.purge_day(deleted)} and erased after then. "
                    f"{accounts.undo_sentence()}",
                    code="deleted",
                ) from None
            raise
