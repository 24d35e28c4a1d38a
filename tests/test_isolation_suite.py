"""Isolation: every dashboard and account URL, read from the URLconf, for every kind of visitor.

The visitors: nobody logged in, an account without a site (outsider), another
researcher, a moderator without a site (a superuser), a moderator who also has a
site (staff, in the Moderators group), and the owner. Another researcher's object
is a 404, exactly like one that does not exist, and nothing of the owner's changes
whatever anyone else posts. Then: object ids enumerated, extra POST fields that
try to change what no form offers, the public pages of unpublished sites and hidden
items, other sites' files, and the admin.

Every URL under dashboard/, markdownx/ and accounts/ must have a row in ROUTES: a
URL added without one fails test_every_dashboard_and_account_url_has_a_row.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from news.models import NewsItem
from profiles import services as profile_services
from profiles.domains import services as domain_services
from profiles.domains.verification import CheckResult
from profiles.models import CustomDomain, HiddenItem, Profile, SiteImport, SocialLink, User
from profiles.moderation.roles import MODERATORS
from profiles.moderation.services import hide_item
from profiles.preview import preview_token
from publications.models import ImportRun, PaperFile, Publication, Venue
from tests.conftest import PASSWORD, bot_check_fields, image_bytes, make_researcher, pdf_bytes
from tests.isolation import (
    NEW_PASSWORD,
    OWNER_TAG,
    Site,
    furnish,
    news_data,
    photo,
    platform_client,
    png,
    profile_data,
    publication_data,
    settings_data,
    snapshot,
)

pytestmark = pytest.mark.django_db

COVERED_PREFIXES = ("dashboard/", "markdownx/", "accounts/")


def platform_routes() -> dict[str, str]:
    """Name -> route of every platform URL under COVERED_PREFIXES, walked from the URLconf."""

    def walk(patterns, prefix: str = "") -> Iterator[tuple[str, str | None]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route, pattern.name

    routes: dict[str, str] = {}
    for route, name in walk(get_resolver(settings.ROOT_URLCONF).url_patterns):
        if route.startswith(COVERED_PREFIXES):
            assert name, f"/{route} has no name: name it, and give it a row in ROUTES"
            routes[name] = route
    return routes


@pytest.fixture
def ada(owner) -> Site:
    return furnish(owner, OWNER_TAG)


@pytest.fixture
def grace(second_researcher) -> Site:
    return furnish(second_researcher, "graceown")


@pytest.fixture(autouse=True)
def no_dns(monkeypatch) -> None:
    """ "Verify now" without DNS: every check fails, as for a domain not set up yet."""

    def verify_now(domain: CustomDomain) -> CheckResult:
        return CheckResult(False, "no_record", "No TXT record _multifolio-challenge found.")

    monkeypatch.setattr(domain_services, "verify_now", verify_now)


@pytest.fixture
def moderator_with_site(db) -> Profile:
    """A moderator (staff, in the Moderators group) who is also a researcher."""
    profile = make_researcher("mona")
    profile.owner.is_staff = True
    profile.owner.save()
    profile.owner.groups.add(Group.objects.get(name=MODERATORS))
    return profile


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Route:
    """How to call one URL, and what it answers.

    `methods`: those the view takes; the others get 405. `kwargs` names the
    owner's objects; `model` is the model whose id the URL holds (for the id
    enumeration). `data` is a valid POST of the site's owner. `moderator` is what
    a moderator without a site gets, by method, where it is not the outsider's
    404. `public`: the page needs no log-in, and why (kept out of the matrix).
    """

    methods: tuple[str, ...] = ("GET", "POST")
    kwargs: Callable[[Site], dict[str, Any]] = lambda site: {}
    model: type[Model] | None = None
    data: Callable[[Site], dict[str, Any]] = lambda site: {}
    names_an_object: bool = False  # of the owner's, though not by id (a preview path)
    needs_site: bool = True
    moderator: dict[str, int] = field(default_factory=dict)
    public: str = ""

    @property
    def has_owner_object(self) -> bool:
        return self.model is not None or self.names_an_object


POST_ONLY = ("POST",)

ROUTES: dict[str, Route] = {
    # -- the dashboard (profiles)
    "dashboard": Route(),
    "dashboard_preview": Route(methods=("GET",)),
    "dashboard_preview_page": Route(
        methods=("GET",),
        kwargs=lambda site: {"page": f"news/{site.news.slug}/"},
        names_an_object=True,
    ),
    "dashboard_profile": Route(data=profile_data),
    "dashboard_photo": Route(data=lambda site: {"photo": photo()}),
    "dashboard_photo_remove": Route(methods=POST_ONLY),
    "dashboard_links": Route(data=lambda site: {"network": "gitlab", "value": "posted.handle"}),
    "dashboard_link_edit": Route(
        kwargs=lambda site: {"pk": site.link.pk},
        model=SocialLink,
        data=lambda site: {"network": "github", "value": "posted-handle"},
    ),
    "dashboard_link_delete": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.link.pk}, model=SocialLink
    ),
    "dashboard_link_move": Route(
        methods=POST_ONLY,
        kwargs=lambda site: {"pk": site.link.pk, "direction": "up"},
        model=SocialLink,
    ),
    "dashboard_domains": Route(data=lambda site: {"domain": "www.posted-example.org"}),
    "dashboard_domain_verify": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.domain.pk}, model=CustomDomain
    ),
    "dashboard_domain_primary": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.domain.pk}, model=CustomDomain
    ),
    "dashboard_domain_slug_primary": Route(methods=POST_ONLY),
    "dashboard_domain_remove": Route(
        kwargs=lambda site: {"pk": site.domain.pk}, model=CustomDomain
    ),
    # -- moving in and out
    "dashboard_import": Route(
        data=lambda site: {
            "file": SimpleUploadedFile("about.md", b"---\nlayout: about\n---\n\nPosted.\n"),
            "dry_run": "on",
        }
    ),
    "dashboard_import_run": Route(
        kwargs=lambda site: {"pk": site.site_import.pk}, model=SiteImport
    ),
    "dashboard_import_again": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.site_import.pk}, model=SiteImport
    ),
    "dashboard_export": Route(),
    # -- publications
    "dashboard_publications": Route(),
    "dashboard_bibtex_import": Route(
        data=lambda site: {"text": "@article{posted2024, title = {Posted}, year = {2024}}"}
    ),
    "dashboard_bibtex_imports": Route(),
    "dashboard_bibtex_import_report": Route(
        kwargs=lambda site: {"pk": site.bibtex_run.pk}, model=ImportRun
    ),
    "dashboard_bibtex_export": Route(),
    # The ids are in the body here: another site's are ignored (checked by the snapshot).
    "dashboard_publications_delete": Route(
        methods=POST_ONLY, data=lambda site: {"pk": [site.publication.pk]}
    ),
    "dashboard_paper_files": Route(
        data=lambda site: {"file": SimpleUploadedFile("x.pdf", pdf_bytes()), "name": "posted.pdf"}
    ),
    "dashboard_paper_file_delete": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.paper_file.pk}, model=PaperFile
    ),
    "dashboard_publication_settings": Route(data=settings_data),
    "dashboard_publication_edit": Route(
        kwargs=lambda site: {"pk": site.hidden_publication.pk},
        model=Publication,
        data=publication_data,
    ),
    "dashboard_publication_selected": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.publication.pk}, model=Publication
    ),
    # -- news
    "dashboard_news": Route(),
    "dashboard_news_create": Route(data=news_data),
    "dashboard_news_edit": Route(
        kwargs=lambda site: {"pk": site.hidden_news.pk}, model=NewsItem, data=news_data
    ),
    "dashboard_news_delete": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.news.pk}, model=NewsItem
    ),
    # -- moderation, the owner's side
    "dashboard_moderation": Route(),
    "dashboard_ask_review": Route(
        methods=POST_ONLY, kwargs=lambda site: {"pk": site.hidden.pk}, model=HiddenItem
    ),
    # -- the account
    "dashboard_account": Route(),
    "dashboard_account_email": Route(
        methods=POST_ONLY,
        data=lambda site: {
            "new_email": f"{site.profile.slug}-new@example.org",
            "password": PASSWORD,
        },
    ),
    "dashboard_account_password": Route(
        methods=POST_ONLY,
        data=lambda site: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    "dashboard_account_address": Route(
        methods=POST_ONLY, data=lambda site: {"slug": f"{site.profile.slug}-posted"}
    ),
    "dashboard_account_logins": Route(),
    "dashboard_account_delete": Route(
        data=lambda site: {"password": PASSWORD, "confirm_slug": site.profile.slug}
    ),
    # -- the editor's endpoints; a moderator editing a profile in the admin uses them too
    "markdownx_markdownify": Route(
        methods=POST_ONLY,
        data=lambda site: {"content": "**Posted**"},
        moderator={"POST": 200},
    ),
    "markdownx_upload": Route(
        methods=POST_ONLY,
        data=lambda site: {"image": png()},
        # "Images are added from the researcher's own dashboard", for the widget to show.
        moderator={"POST": 400},
    ),
    # -- accounts: pages that need a log-in but no site; each acts on one's own account
    "confirm_email_resend": Route(methods=POST_ONLY, needs_site=False),
    "two_factor_setup": Route(needs_site=False),
    "two_factor_verify": Route(needs_site=False),
    "two_factor_recovery_codes": Route(needs_site=False),
    "two_factor_disable": Route(needs_site=False),
    # -- accounts: pages for people who are not logged in
    "signup": Route(public="the sign-up form"),
    "login": Route(public="the log-in form"),
    "logout": Route(public="logging out (a POST)"),
    "password_reset": Route(public="asking for a reset link"),
    "password_reset_done": Route(public="the page after asking for a reset link"),
    "password_reset_confirm": Route(public="the e-mailed reset link: the token is the proof"),
    "password_reset_complete": Route(public="the page after a reset"),
    "confirm_email": Route(public="the e-mailed confirmation link: the token is the proof"),
    "confirm_email_change": Route(
        public="the e-mailed address-change link: the token is the proof"
    ),
}

MATRIX_NAMES = sorted(name for name, route in ROUTES.items() if not route.public)
OBJECT_NAMES = sorted(name for name in MATRIX_NAMES if ROUTES[name].model is not None)
PUBLIC_KWARGS = {"uidb64": "MQ", "token": "set-password"}  # made up: no account's


def test_every_dashboard_and_account_url_has_a_row():
    routes = platform_routes()
    missing = sorted(set(routes) - set(ROUTES))
    assert not missing, (
        f"URLs without a row in ROUTES (tests/test_isolation_suite.py): {missing}. Add one "
        "saying how to build the URL from the owner's objects and what it takes, so that "
        "every visitor's refusal is checked."
    )
    gone = sorted(set(ROUTES) - set(routes))
    assert not gone, f"ROUTES has rows for URLs that no longer exist: {gone}"


def test_the_public_account_pages_really_need_no_log_in():
    anonymous = platform_client()
    for name, route in ROUTES.items():
        if not route.public:
            continue
        wanted = re.findall(r"<(?:\w+:)?(\w+)>", platform_routes()[name])
        url = reverse(name, kwargs={key: PUBLIC_KWARGS[key] for key in wanted})
        response = anonymous.get(url)
        assert response.status_code < 500, url
        assert not response.headers.get("Location", "").startswith("/accounts/login/"), url


# ---------------------------------------------------------------- the matrix

ANONYMOUS, OUTSIDER, MODERATOR = "anonymous", "outsider", "moderator without a site"
SECOND, MODERATOR_WITH_SITE, OWNER = "another researcher", "moderator with a site", "owner"
# The owner goes last: their posts may delete what the URL names.
ACTORS = (ANONYMOUS, OUTSIDER, MODERATOR, SECOND, MODERATOR_WITH_SITE, OWNER)
METHODS = ("GET", "POST")
DONE = {200, 302}  # shown, or done and sent on


def expected(route: Route, actor: str, method: str) -> set[int]:
    if actor == ANONYMOUS:
        return {302}  # to the log-in page (checked by the caller)
    site_less = actor in (OUTSIDER, MODERATOR) and route.needs_site
    if method not in route.methods:
        # A view that needs a site may look for it before it looks at the method.
        return {404, 405} if site_less else {405}
    if site_less:
        if actor == MODERATOR and method in route.moderator:
            return {route.moderator[method]}
        return {404}
    if actor in (SECOND, MODERATOR_WITH_SITE) and route.has_owner_object:
        return {404}
    return DONE


def request(client: Client, method: str, url: str, data: dict[str, Any]):
    return client.get(url) if method == "GET" else client.post(url, data)


@pytest.mark.parametrize("name", MATRIX_NAMES)
def test_each_visitor_gets_the_right_answer_and_nobody_else_changes_the_owners_site(
    name, ada, grace, outsider, moderator, moderator_with_site
):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(ada))
    clients = {
        ANONYMOUS: platform_client(),
        OUTSIDER: platform_client(outsider),
        MODERATOR: platform_client(moderator),
        SECOND: platform_client(grace.profile.owner),
        MODERATOR_WITH_SITE: platform_client(moderator_with_site.owner),
        OWNER: platform_client(ada.profile.owner),
    }
    before = snapshot(ada.profile)
    for actor in ACTORS:
        for method in METHODS:
            response = request(clients[actor], method, url, route.data(ada))
            where = f"{actor}, {method} {url}"
            assert response.status_code in expected(route, actor, method), where
            if actor == ANONYMOUS:
                assert response.headers["Location"].startswith("/accounts/login/?next="), where
            if actor != OWNER:
                assert OWNER_TAG.encode() not in response.content.lower(), where
                assert snapshot(ada.profile) == before, f"{where} changed the owner's site"


# ---------------------------------------------------------------- ids enumerated


def normalised(response) -> tuple[int, str, str]:
    """A refusal as a visitor sees it: status, type and page (its per-request nonces aside)."""
    page = re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode())
    return response.status_code, response.headers.get("Content-Type", ""), page


@pytest.mark.parametrize("name", OBJECT_NAMES)
def test_enumerating_ids_finds_only_ones_own_objects_and_the_same_404_for_the_rest(
    name, ada, grace
):
    """Each id as the other researcher: only theirs answer; the owner's give the very same
    404 as ids nobody has. Every test starts from an empty database, so the ids below
    the test's rows belong to nobody: 1-5 stand for them, then every id around the rows."""
    route = ROUTES[name]
    model = route.model
    assert model is not None
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    tried = sorted({*range(1, 6), *range(max(1, ids[0] - 5), ids[-1] + 6)})
    theirs = set(model.objects.filter(profile=grace.profile).values_list("pk", flat=True))
    owners = set(model.objects.filter(profile=ada.profile).values_list("pk", flat=True))
    assert theirs and owners
    intruder = platform_client(grace.profile.owner)
    sample_kwargs = route.kwargs(grace)
    before = snapshot(ada.profile)
    refusals: dict[str, set[tuple[int, str, str]]] = {method: set() for method in route.methods}
    for pk in tried:
        url = reverse(name, kwargs={**sample_kwargs, "pk": pk})
        for method in route.methods:
            response = request(intruder, method, url, route.data(grace))
            if pk in theirs:
                assert response.status_code in DONE, f"{method} {url}: their own"
                continue
            assert response.status_code == 404, f"{method} {url}: not theirs"
            refusals[method].add(normalised(response))
    for method, seen in refusals.items():
        # One look for "the owner's" and "nobody's": nothing tells them apart.
        assert len(seen) == 1, f"{method}: {len(seen)} different refusals"
    assert snapshot(ada.profile) == before


# ---------------------------------------------------------------- extra fields


def escalations(other: Site, pk: int | None) -> dict[str, Any]:
    """Fields no form offers, naming the other researcher or asking for more."""
    fields: dict[str, Any] = {
        "owner": other.profile.owner_id,
        "owner_id": other.profile.owner_id,
        "profile": other.profile.pk,
        "profile_id": other.profile.pk,
        "status": Profile.Status.PUBLISHED,
        "slug": "hijacked",
        "verified": "on",
        "verified_at": "2024-01-01 00:00",
        "is_staff": "on",
        "is_superuser": "on",
        "email_confirmed": "on",
        "hidden": "",
        "is_visible": "on",
        "bio_hidden": "",
        "photo_hidden": "",
        "revoked_at": "",
    }
    if pk is not None:
        fields["id"] = fields["pk"] = pk
    return fields


@dataclass(frozen=True)
class EditForm:
    url: Callable[[Site], str]
    data: Callable[[Site], dict[str, Any]]
    # The other researcher's object of the same kind, for id=/pk=.
    other_pk: Callable[[Site], int | None] = lambda site: None
    own_fields: tuple[str, ...] = ()  # extras that are this form's real fields
    took: Callable[[Site], bool] = lambda site: True  # the legitimate part was saved


def _latest(model: type[Model], site: Site) -> Any:
    return model.objects.filter(profile=site.profile).order_by("-pk").first()


EDIT_FORMS: dict[str, EditForm] = {
    "about page": EditForm(
        url=lambda site: reverse("dashboard_profile"),
        data=profile_data,
        took=lambda site: Profile.objects.get(pk=site.profile.pk).first_name == "Posted",
    ),
    "photo": EditForm(
        url=lambda site: reverse("dashboard_photo"),
        data=lambda site: {"photo": photo()},
        took=lambda site: bool(Profile.objects.get(pk=site.profile.pk).photo),
    ),
    "new link": EditForm(
        url=lambda site: reverse("dashboard_links"),
        data=lambda site: {"network": "gitlab", "value": "posted.handle"},
        other_pk=lambda site: site.link.pk,
        took=lambda site: _latest(SocialLink, site).value == "posted.handle",
    ),
    "link": EditForm(
        url=lambda site: reverse("dashboard_link_edit", args=[site.link.pk]),
        data=lambda site: {"network": "github", "value": "posted-handle"},
        other_pk=lambda site: site.link.pk,
        took=lambda site: SocialLink.objects.get(pk=site.link.pk).value == "posted-handle",
    ),
    "publication (hidden by a moderator)": EditForm(
        url=lambda site: reverse("dashboard_publication_edit", args=[site.hidden_publication.pk]),
        data=publication_data,
        other_pk=lambda site: site.hidden_publication.pk,
        took=lambda site: (
            Publication.objects.get(pk=site.hidden_publication.pk).title == "Posted title"
        ),
    ),
    "publication settings": EditForm(
        url=lambda site: reverse("dashboard_publication_settings"),
        data=settings_data,
        took=lambda site: site.profile.publication_settings.max_author_limit == 3,
    ),
    "BibTeX import": EditForm(
        url=lambda site: reverse("dashboard_bibtex_import"),
        data=lambda site: {"text": "@article{posted2024, title = {Posted}, year = {2024}}"},
        other_pk=lambda site: site.publication.pk,
        took=lambda site: site.profile.publications.filter(key="posted2024").exists(),
    ),
    "paper file": EditForm(
        url=lambda site: reverse("dashboard_paper_files"),
        data=lambda site: {"file": SimpleUploadedFile("x.pdf", pdf_bytes()), "name": "posted.pdf"},
        other_pk=lambda site: site.paper_file.pk,
        took=lambda site: site.profile.paper_files.filter(name="posted.pdf").exists(),
    ),
    "new news item": EditForm(
        url=lambda site: reverse("dashboard_news_create"),
        data=news_data,
        other_pk=lambda site: site.news.pk,
        own_fields=("slug",),
        took=lambda site: site.profile.news.filter(title="Posted news").exists(),
    ),
    "news item (hidden by a moderator)": EditForm(
        url=lambda site: reverse("dashboard_news_edit", args=[site.hidden_news.pk]),
        data=news_data,
        other_pk=lambda site: site.hidden_news.pk,
        own_fields=("slug",),
        took=lambda site: NewsItem.objects.get(pk=site.hidden_news.pk).title == "Posted news",
    ),
    "domain": EditForm(
        url=lambda site: reverse("dashboard_domains"),
        data=lambda site: {"domain": "www.posted-example.org"},
        other_pk=lambda site: site.domain.pk,
        took=lambda site: site.profile.custom_domains.filter(
            host="www.posted-example.org"
        ).exists(),
    ),
    "editor image": EditForm(
        url=lambda site: reverse("markdownx_upload"),
        data=lambda site: {"image": png()},
        took=lambda site: (
            Path(settings.MEDIA_ROOT) / "sites" / str(site.profile.pk) / "uploads"
        ).exists(),
    ),
    "al-folio import": EditForm(
        url=lambda site: reverse("dashboard_import"),
        data=lambda site: {
            "file": SimpleUploadedFile("about.md", b"---\nlayout: about\n---\n\nPosted.\n")
        },
        other_pk=lambda site: site.site_import.pk,
        took=lambda site: site.profile.site_imports.filter(source="about.md").exists(),
    ),
    "e-mail address": EditForm(
        url=lambda site: reverse("dashboard_account_email"),
        data=lambda site: {"new_email": "ada-new@example.org", "password": PASSWORD},
        # A link is mailed; the address changes only when it is followed.
        took=lambda site: any("ada-new@example.org" in sent.to for sent in mail.outbox),
    ),
    "password": EditForm(
        url=lambda site: reverse("dashboard_account_password"),
        data=lambda site: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        took=lambda site: User.objects.get(pk=site.profile.owner_id).check_password(NEW_PASSWORD),
    ),
    "site address": EditForm(
        url=lambda site: reverse("dashboard_account_address"),
        data=lambda site: {"slug": "ada-posted"},
        own_fields=("slug",),
        took=lambda site: Profile.objects.get(pk=site.profile.pk).slug == "ada-posted",
    ),
}


@pytest.mark.parametrize("form_name", sorted(EDIT_FORMS))
def test_extra_post_fields_change_nothing_a_form_does_not_offer(form_name, ada, grace):
    form = EDIT_FORMS[form_name]
    owner = ada.profile
    # A site waiting for a moderator, with its bio hidden: "published" and "not
    # hidden" would be escalations.
    Profile.objects.filter(pk=owner.pk).update(status=Profile.Status.PENDING)
    hide_item(profile=owner, kind=HiddenItem.Kind.BIO, actor=None, reason="Spam.")
    owner.refresh_from_db()
    before = Profile.objects.filter(pk=owner.pk).values().get()
    others = snapshot(grace.profile)

    extras = escalations(grace, form.other_pk(grace))
    for name in form.own_fields:
        extras.pop(name)
    response = platform_client(owner.owner).post(form.url(ada), {**form.data(ada), **extras})

    assert response.status_code in DONE
    assert form.took(ada), "the form's own fields were not saved: the test proves nothing"
    after = Profile.objects.filter(pk=owner.pk).values().get()
    for name in ("status", "owner_id", "bio_hidden", "photo_hidden", "primary_domain"):
        assert after[name] == before[name], name
    if "slug" not in form.own_fields:
        assert after["slug"] == before["slug"]
    account = User.objects.get(pk=owner.owner_id)
    assert not account.is_staff
    assert not account.is_superuser
    assert not account.email_confirmed
    assert account.email == "ada@example.org"
    assert not owner.custom_domains.filter(verified=True).exists()
    assert not owner.custom_domains.exclude(verified_at=None).exists()
    assert not Publication.objects.get(pk=ada.hidden_publication.pk).is_visible
    assert not NewsItem.objects.get(pk=ada.hidden_news.pk).is_visible
    # Nothing moved to, or changed at, the other researcher's site.
    assert snapshot(grace.profile) == others


def test_a_formset_row_naming_another_sites_venue_does_not_touch_it(ada, grace):
    """The venues and co-authors tables are inline formsets: their rows carry ids."""
    others = snapshot(grace.profile)
    data = {
        **settings_data(ada),
        "venues-TOTAL_FORMS": "1",
        "venues-INITIAL_FORMS": "1",
        "venues-0-id": str(grace.venue.pk),
        "venues-0-profile": str(grace.profile.pk),
        "venues-0-abbr": "Hijacked",
        "venues-0-color": "#000000",
        "venues-0-url": "",
        "coauthors-TOTAL_FORMS": "1",
        "coauthors-INITIAL_FORMS": "1",
        "coauthors-0-id": str(grace.coauthor.pk),
        "coauthors-0-DELETE": "on",
        "coauthors-0-name_variants": "X",
        "coauthors-0-url": "https://example.org/",
    }
    response = platform_client(ada.profile.owner).post(
        reverse("dashboard_publication_settings"), data
    )
    assert response.status_code in DONE
    assert snapshot(grace.profile) == others
    assert not Venue.objects.filter(abbr="Hijacked").exclude(profile=ada.profile).exists()


def test_deleting_ones_account_with_extra_fields_deletes_only_ones_own(ada, grace):
    others = snapshot(grace.profile)
    data = {"password": PASSWORD, "confirm_slug": "ada", **escalations(grace, grace.profile.pk)}
    response = platform_client(ada.profile.owner).post(reverse("dashboard_account_delete"), data)
    assert response.status_code == 302
    # Gone from the web (kept a while for a moderator to restore, where deletes are soft).
    assert not Profile.objects.filter(pk=ada.profile.pk).exclude(status="deleted").exists()
    assert snapshot(grace.profile) == others


def test_signing_up_with_extra_fields_gives_a_plain_account_and_a_site_of_its_own(
    client, second_researcher
):
    data = {
        "email": "newcomer@example.org",
        "first_name": "New",
        "last_name": "Comer",
        "slug": "newcomer",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **bot_check_fields(),
        "owner": second_researcher.owner_id,
        "profile": second_researcher.pk,
        "status": Profile.Status.PUBLISHED,
        "is_staff": "on",
        "is_superuser": "on",
        "email_confirmed": "on",
        "verified": "on",
        "groups": Group.objects.get(name=MODERATORS).pk,
    }
    assert client.post(reverse("signup"), data).status_code == 302
    account = User.objects.get(email="newcomer@example.org")
    assert not (account.is_staff or account.is_superuser or account.email_confirmed)
    assert not account.groups.exists()
    site = Profile.objects.get(owner=account)
    assert site.slug == "newcomer"
    # Every new site waits for its owner's confirmed address (and, unless
    # SIGNUP_PUBLISHES_SITE, a moderator), whatever was posted.
    assert site.status == Profile.Status.PENDING
    assert Profile.objects.get(pk=second_researcher.pk).owner_id == second_researcher.owner_id


# ---------------------------------------------------------------- public pages


@pytest.mark.parametrize(
    ("status", "code"), [(Profile.Status.PENDING, 404), (Profile.Status.SUSPENDED, 403)]
)
def test_a_pending_or_suspended_site_shows_other_researchers_nothing(
    status, code, ada, grace, site_client
):
    ada.profile.status = status
    ada.profile.save()
    visitor = site_client("ada")
    visitor.force_login(grace.profile.owner)  # were a session ever to reach a site's host
    paths = [
        "/",
        "/publications/",
        f"/publications/{ada.publication.key}/",
        "/news/",
        f"/news/{ada.news.slug}/",
        "/feed.xml",
        "/publications.bib",
        "/sitemap.xml",
    ]
    for path in paths:
        response = visitor.get(path)
        assert response.status_code == code, path
        assert OWNER_TAG.encode() not in response.content.lower(), path
    # The other researcher's preview is their own site, whatever path they ask for.
    preview = platform_client(grace.profile.owner)
    assert preview.get(f"/dashboard/preview/news/{ada.news.slug}/").status_code == 404
    own = preview.get("/dashboard/preview/").content.decode()
    assert "graceown bio" in own
    assert OWNER_TAG not in own.lower()


def test_hidden_items_are_on_no_public_page(ada, site_client):
    visitor = site_client("ada")
    hidden_key, hidden_slug = ada.hidden_publication.key, ada.hidden_news.slug
    assert visitor.get(f"/publications/{hidden_key}/").status_code == 404
    assert visitor.get(f"/publications/{hidden_key}/bibtex/").status_code == 404
    assert visitor.get(f"/news/{hidden_slug}/").status_code == 404
    for path in ("/", "/publications/", "/publications.bib", "/news/", "/feed.xml", "/sitemap.xml"):
        page = visitor.get(path).content.decode()
        assert hidden_key not in page, path
        assert hidden_slug not in page, path
        assert f"{OWNER_TAG} hidden" not in page, path
    # The visible ones are there: the page is not simply empty.
    assert ada.publication.key in visitor.get("/publications/").content.decode()


# ---------------------------------------------------------------- files


@pytest.fixture
def private_files(ada) -> dict[str, str]:
    """The owner's editor image and CV, named as their pages link to them."""
    # Bytes of their own (three pages, an orange picture): no other file has them.
    picture = SimpleUploadedFile("p.png", image_bytes("PNG", (64, 48), "#ff8800"))
    image_url = profile_services.store_upload_image(profile=ada.profile, upload=picture)
    cv = SimpleUploadedFile("cv.pdf", pdf_bytes(3), content_type="application/pdf")
    platform_client(ada.profile.owner).post("/dashboard/links/", {"network": "cv", "document": cv})
    cv_url = SocialLink.objects.get(profile=ada.profile, network="cv").url
    return {"image": image_url, "cv": cv_url}


def test_a_sites_files_are_served_on_no_other_sites_host(ada, grace, private_files, site_client):
    """Published, the owner's files are on the owner's host only; elsewhere they get
    the same 404 as a file nobody has, with or without a preview token."""
    missing = f"/media/sites/{ada.profile.pk}/uploads/{'0' * 32}.webp"
    other_host = site_client("grace")
    for url in private_files.values():
        assert site_client("ada").get(url).status_code == 200, url
        for token in ("", preview_token(grace.profile.pk), preview_token(ada.profile.pk)):
            query = f"?preview={token}" if token else ""
            response = other_host.get(url + query)
            assert response.status_code == 404, (url, token)
            assert normalised(response) == normalised(other_host.get(missing + query)), url
        # The platform host never serves an upload, to anyone.
        assert platform_client(grace.profile.owner).get(url).status_code == 404
        assert platform_client(ada.profile.owner).get(url).status_code == 404


def test_an_unpublished_sites_files_need_its_own_preview_token(
    ada, grace, private_files, site_client
):
    ada.profile.status = Profile.Status.PENDING
    ada.profile.save()
    own_host = site_client("ada")
    for url in private_files.values():
        assert own_host.get(f"{url}?preview={preview_token(ada.profile.pk)}").status_code == 200
        for query in ("", f"?preview={preview_token(grace.profile.pk)}", "?preview=1.forged"):
            assert own_host.get(url + query).status_code == 404, (url, query)


def test_the_live_preview_signs_only_the_viewers_own_images(ada, grace, private_files):
    markdown = {"content": f"![x]({private_files['image']})"}
    theirs = platform_client(grace.profile.owner).post("/markdownx/markdownify/", markdown)
    assert "?preview=" not in theirs.content.decode()
    own = platform_client(ada.profile.owner).post("/markdownx/markdownify/", markdown)
    assert f"?preview={preview_token(ada.profile.pk)}" in own.content.decode()


# ---------------------------------------------------------------- the admin


def admin_urls(ada: Site) -> list[str]:
    """The admin's home, every model's list, and the owner's site's page."""
    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    urls.append(reverse("admin:profiles_profile_change", args=[ada.profile.pk]))
    return urls


def test_the_admin_is_for_staff_only(ada, grace, outsider, moderator, moderator_with_site):
    ada.profile.status = Profile.Status.PENDING
    ada.profile.save()
    before = snapshot(ada.profile)
    urls = admin_urls(ada)
    escalation = {"status": Profile.Status.PUBLISHED, "is_staff": "on", "is_superuser": "on"}
    for user in (None, outsider, grace.profile.owner, ada.profile.owner):
        client = platform_client(user)
        for url in urls:
            for method in METHODS:
                response = request(client, method, url, escalation)
                assert response.status_code == 302, (user, method, url)
                assert response.headers["Location"].startswith("/admin/login/"), (user, url)
    assert snapshot(ada.profile) == before
    assert (
        not User.objects.filter(is_staff=True)
        .exclude(pk__in=[moderator.pk, moderator_with_site.owner_id])
        .exists()
    )
    for user in (moderator, moderator_with_site.owner):
        client = platform_client(user)
        assert client.get(reverse("admin:index")).status_code == 200
        site_page = reverse("admin:profiles_profile_change", args=[ada.profile.pk])
        assert client.get(site_page).status_code == 200


def test_a_moderator_cannot_make_themselves_an_administrator(moderator_with_site):
    """Moderators see accounts in the admin; changing one (their own included) is refused."""
    account = moderator_with_site.owner
    url = reverse("admin:profiles_user_change", args=[account.pk])
    client = platform_client(account)
    assert client.get(url).status_code == 200  # read-only
    response = client.post(url, {"email": account.email, "is_staff": "on", "is_superuser": "on"})
    assert response.status_code == 403
    account.refresh_from_db()
    assert not account.is_superuser


def test_the_export_packs_no_other_sites_file_even_by_a_path_that_climbs_out(
    ada, grace, private_files
):
    """Texts name files by address; the export copies those of the site's own. A path
    that starts in one's own folder and climbs into another site's is not one of them."""
    own_folder = f"/media/sites/{grace.profile.pk}/uploads"
    climbs = {
        kind: f"{own_folder}/../../{ada.profile.pk}/{url.split(f'/{ada.profile.pk}/', 1)[1]}"
        for kind, url in private_files.items()
    }
    grace.profile.bio = " ".join(f"![x]({path})" for path in climbs.values())
    grace.profile.save()
    zipped = platform_client(grace.profile.owner).get(reverse("dashboard_export"))
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        packed = {archive.read(name) for name in archive.namelist()}
    for url in private_files.values():
        ada_bytes = (Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")).read_bytes()
        assert ada_bytes not in packed, url


def test_the_log_in_records_page_shows_no_one_elses_log_ins(ada, grace):
    ada_browser = Client(
        HTTP_HOST=settings.PLATFORM_HOST, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="AdaBrowser/1"
    )
    wrong = ada_browser.post(reverse("login"), {"username": "ada@example.org", "password": "no"})
    assert wrong.status_code == 200
    right = ada_browser.post(
        reverse("login"), {"username": "ada@example.org", "password": PASSWORD}
    )
    assert right.status_code == 302
    url = reverse("dashboard_account_logins")
    assert "203.0.113.77" in ada_browser.get(url).content.decode()  # recorded, and shown
    theirs = platform_client(grace.profile.owner).get(url).content.decode()
    assert "203.0.113.77" not in theirs
    assert "AdaBrowser" not in theirs
