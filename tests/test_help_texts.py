"""Every help text of every form comes out as written (issue 6, item 1).

Help texts are plain text, or HTML we escaped or built on purpose (Django's
password rules). A literal "<address>" once became an element in the browser:
the sign-up page showed "Your site will live at" and an italic fragment.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from profiles.forms import PasswordResetForm, PhotoForm, ProfileForm, SignupForm, SocialLinkForm
from profiles.models import CustomDomain, Profile, SocialLink, User
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


class TextById(HTMLParser):
    """The text content of every element whose id ends in "_helptext"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id") or ""
        self._open.append((tag, element_id if element_id.endswith("_helptext") else None))
        for _, key in self._open:
            if key:
                self.texts.setdefault(key, "")

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, key in self._open:
            if key:
                self.texts[key] = self.texts.get(key, "") + data


def help_texts_in(html: str) -> dict[str, str]:
    parser = TextById()
    parser.feed(html)
    return {key: " ".join(text.split()) for key, text in parser.texts.items()}


def as_shown(help_text: str) -> str:
    """What a reader should see: the text itself, or the text of deliberate HTML."""
    text = str(help_text)  # a lazy string (Django's password rules) becomes what it holds
    if hasattr(text, "__html__"):  # SafeString: HTML built on purpose
        return help_texts_in(f'<div id="x_helptext">{text}</div>')["x_helptext"]
    return " ".join(text.split())


def assert_every_help_text_shows_as_written(html: str, form) -> None:
    shown = help_texts_in(html)
    checked = 0
    for name, field in form.fields.items():
        if not field.help_text:
            continue
        key = f"{form[name].auto_id}_helptext"
        if key not in shown:
            continue  # a field the page does not show (or shows without its help)
        assert shown[key] == as_shown(field.help_text), name
        checked += 1
    assert checked, "no help text was found on the page: the test proves nothing"


@pytest.fixture
def owner_link(owner) -> SocialLink:
    return SocialLink.objects.create(profile=owner, network="custom", value="https://x.org",
                                     title="Lab", icon="fa-solid:flask")  # fmt: skip


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/accounts/signup/", lambda owner: SignupForm()),
        ("/dashboard/profile/", lambda owner: ProfileForm(instance=owner)),
        ("/dashboard/photo/", lambda owner: PhotoForm()),
        ("/dashboard/links/", lambda owner: SocialLinkForm(profile=owner)),
    ],
)
def test_every_help_text_of_our_forms_shows_as_written(client, owner, url, form):
    if url.startswith("/dashboard/"):
        client.force_login(owner.owner)
    assert_every_help_text_shows_as_written(client.get(url).content.decode(), form(owner))


def test_the_sign_up_address_help_names_the_sites_domain_in_plain_words(client):
    html = client.get("/accounts/signup/").content.decode()
    assert help_texts_in(html)["id_slug_helptext"] == (
        "For example, ada-lovelace gives your site the address ada-lovelace.localhost. "
        "Lowercase letters a-z, digits and single hyphens."
    )


def test_an_error_under_the_address_is_not_swallowed_by_its_help_text(client):
    html = client.post("/accounts/signup/", {"slug": "www"}).content.decode()
    assert "<address" not in html and "“www” is reserved" in html


def test_the_password_reset_form_has_no_stray_markup(client):
    html = client.get("/accounts/password-reset/").content.decode()
    form = PasswordResetForm()
    for field in form.fields.values():
        assert "<" not in str(field.help_text)
    assert "<address" not in html


@pytest.mark.parametrize(
    ("model", "url"),
    [
        (Profile, "/admin/profiles/profile/{profile}/change/"),
        (User, "/admin/profiles/user/{user}/change/"),
        (CustomDomain, "/admin/profiles/customdomain/add/"),
    ],
)
def test_the_admin_shows_every_model_help_text_as_written(client, moderator, owner, model, url):
    verified_login(client, moderator)
    html = client.get(url.format(profile=owner.pk, user=owner.owner.pk)).content.decode()
    shown = help_texts_in(html)
    checked = 0
    for field in model._meta.get_fields():
        help_text = getattr(field, "help_text", "")
        key = f"id_{field.name}_helptext"
        if help_text and key in shown:
            # The admin may add its own sentence after ours (multiple selects).
            assert shown[key].startswith(as_shown(help_text)), field.name
            checked += 1
    assert checked
    # The admin treats help texts as HTML: ours must have none to swallow.
    for field in Profile._meta.get_fields():
        assert "<" not in str(getattr(field, "help_text", "")), field.name
