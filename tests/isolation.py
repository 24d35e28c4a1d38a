"""The isolation suite's world: two researchers' sites with one of everything, clients for
each kind of visitor, valid posts for the dashboard's forms, and a snapshot of everything
of one site's (tests/test_isolation_suite.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ForeignKey, Model
from django.test import Client
from django.utils import timezone

from news.models import NewsItem
from news.services import save_news_item
from profiles.forms import ProfileForm
from profiles.models import CustomDomain, HiddenItem, Profile, SiteImport, SocialLink, User
from profiles.moderation.services import hide_item
from publications.models import Coauthor, ImportRun, PaperFile, Publication, Venue
from publications.services import import_bibtex, store_paper_file
from tests.conftest import image_bytes, pdf_bytes

# ---------------------------------------------------------------- each site's things


@dataclass
class Site:
    """A researcher's site with one of everything the dashboard edits, each named with `tag`."""

    profile: Profile
    tag: str
    link: SocialLink
    domain: CustomDomain
    publication: Publication
    hidden_publication: Publication
    bibtex_run: ImportRun
    paper_file: PaperFile
    news: NewsItem
    hidden_news: NewsItem
    site_import: SiteImport
    hidden: HiddenItem
    venue: Venue
    coauthor: Coauthor


def furnish(profile: Profile, tag: str) -> Site:
    profile.bio = f"{tag} bio"
    profile.save()
    bibtex = "\n".join(
        f"@article{{{tag}{n}, title = {{{tag} paper {n}}}, author = {{Lovelace, Ada}}, "
        f"year = {{2024}}}}"
        for n in (1, 2)
    )
    import_bibtex(profile=profile, text=bibtex, source=f"upload: {tag}.bib")
    publication, hidden_publication = Publication.objects.filter(profile=profile).order_by("key")
    day = timezone.now() - timedelta(days=1)
    news = save_news_item(
        profile=profile, item=NewsItem(date=day, title=f"{tag} news", content="Hello.")
    )
    hidden_news = save_news_item(
        profile=profile, item=NewsItem(date=day, title=f"{tag} hidden", content="Hidden.")
    )
    hidden = hide_item(
        profile=profile,
        kind=HiddenItem.Kind.PUBLICATION,
        actor=None,
        reason=f"{tag} reason",
        publication=hidden_publication,
    )
    hide_item(
        profile=profile, kind=HiddenItem.Kind.NEWS, actor=None, reason="No.", news_item=hidden_news
    )
    return Site(
        profile=profile,
        tag=tag,
        link=SocialLink.objects.create(profile=profile, network="github", value=f"{tag}-handle"),
        domain=CustomDomain.objects.create(profile=profile, host=f"www.{tag}.example.org"),
        publication=publication,
        hidden_publication=Publication.objects.get(pk=hidden_publication.pk),
        bibtex_run=ImportRun.objects.get(profile=profile),
        paper_file=store_paper_file(
            profile=profile, upload=SimpleUploadedFile("p.pdf", pdf_bytes()), name=f"{tag}.pdf"
        ),
        news=news,
        hidden_news=NewsItem.objects.get(pk=hidden_news.pk),
        # A finished check (dry run) whose upload is no longer kept: "import it for
        # real" answers with a message, and no worker is needed.
        site_import=SiteImport.objects.create(
            profile=profile, source=f"{tag}.zip", dry_run=True, status=SiteImport.Status.DONE
        ),
        hidden=hidden,
        venue=Venue.objects.create(profile=profile, abbr=f"{tag}V", color="#00369f"),
        coauthor=Coauthor.objects.create(
            profile=profile, name_variants=f"{tag} Coauthor", url="https://example.org/"
        ),
    )


# What the owner's things are called: it must never appear in anyone else's page.
OWNER_TAG = "adasecret"


def platform_client(user: User | None = None) -> Client:
    """A client on the platform host; logged in as `user`, all the way for staff."""
    client = Client(HTTP_HOST=settings.PLATFORM_HOST)
    if user is not None:
        client.force_login(user)
        if user.is_staff or user.is_superuser:
            pass_second_factor(client, user)
    return client


def pass_second_factor(client: Client, user: User) -> None:
    """Staff give a code after their password (profiles.two_factor): as if they had.

    What a moderator may do once fully logged in is the question here; the second
    step itself is tested with the two-factor pages.
    """
    if not apps.is_installed("django_otp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


# ---------------------------------------------------------------- posts the forms take


def png() -> SimpleUploadedFile:
    return SimpleUploadedFile("figure.png", image_bytes("PNG", (120, 90)), content_type="image/png")


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("me.jpg", image_bytes(size=(300, 400)), content_type="image/jpeg")


def profile_data(site: Site) -> dict[str, Any]:
    """The about-page form as its page shows it, with a new first name."""
    data: dict[str, Any] = {}
    for name, value in ProfileForm(instance=site.profile).initial.items():
        if value is True:
            data[name] = "on"
        elif value not in (False, None):
            data[name] = value
    return {**data, "first_name": "Posted"}


def publication_data(site: Site) -> dict[str, Any]:
    key = site.hidden_publication.key
    return {"raw_bibtex": f"@article{{{key}, title = {{Posted title}}, year = {{2024}}}}"}


def settings_data(site: Site) -> dict[str, Any]:
    return {
        "name_variants": "Lovelace, A.",
        "max_author_limit": "3",
        **{f"{prefix}-{count}": "0" for prefix in ("venues", "coauthors")
           for count in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }  # fmt: skip


def news_data(site: Site) -> dict[str, Any]:
    return {"date": "2024-05-01 10:00", "title": "Posted news", "slug": "", "content": "Posted."}


NEW_PASSWORD = "another-horse-battery-9"


# ---------------------------------------------------------------- what must not change


def models_with_a(name: str, target: type[Model]) -> list[type[Model]]:
    """Every model with a foreign key `name` to `target`: whose rows are one site's or one
    account's. Found, not listed, so that a model added later is watched too."""
    return [
        model
        for model in apps.get_models()
        if any(
            isinstance(each, ForeignKey) and each.name == name and each.related_model is target
            for each in model._meta.get_fields()
        )
    ]


ACCOUNT_COLUMNS = [
    each.attname for each in User._meta.concrete_fields if each.attname != "last_login"
]


def snapshot(profile: Profile) -> dict[str, Any]:
    """Everything of one site's: its rows in every table, its account's, its files."""
    folder = Path(settings.MEDIA_ROOT) / "sites" / str(profile.pk)
    site_rows = {
        model._meta.label: list(model.objects.filter(profile=profile).order_by("pk").values())
        for model in models_with_a("profile", Profile)
    }
    # Rows that hang on the account rather than the site (two-factor devices, ...).
    account_rows = {
        model._meta.label: list(model.objects.filter(user=profile.owner).order_by("pk").values())
        for model in models_with_a("user", User)
    }
    return {
        "profile": Profile.objects.filter(pk=profile.pk).values().first(),
        # Every column but last_login: logging in changes nobody's site.
        "account": User.objects.filter(pk=profile.owner_id).values(*ACCOUNT_COLUMNS).first(),
        **site_rows,
        **account_rows,
        "files": sorted(str(path) for path in folder.rglob("*")) if folder.exists() else [],
    }
