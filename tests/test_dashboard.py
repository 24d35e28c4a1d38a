"""The dashboard: a researcher edits their own site, and only their own."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from profiles.models import SocialLink
from tests.conftest import image_bytes, make_researcher, pdf_bytes

pytestmark = pytest.mark.django_db


PROFILE_FORM = {
    "first_name": "Ada",
    "middle_name": "",
    "last_name": "Lovelace",
    "subtitle": "<a href='https://uni.example'>Analytical Engine Lab</a>",
    "affiliation": "University of London",
    "research_interests": "computing, poetry",
    "bio": "I wrote the **first program**. $E=mc^2$ :wave:",
    "more_info": "<p>12 St James's Square</p>",
    "photo_align": "left",
    "photo_shape": "circular",
    "photo_alt": "Ada at her desk",
    "show_announcements": "on",
    "announcements_limit": "5",
    "announcements_scrollable": "on",
    "show_selected_papers": "on",
    "show_social": "on",
    "contact_note": "Write to me by *e-mail*.",
    "meta_description": "Ada Lovelace, mathematician.",
    "keywords": "computing",
    "accent_color": "#2255aa",
}


def test_the_dashboard_shows_the_sites_status_and_address(owner_client):
    html = owner_client.get("/dashboard/").content.decode()
    assert "Published" in html
    assert "http://ada.localhost:8000/" in html


def test_saving_the_profile_form_is_live_on_the_site_at_once(
    owner_client, site_client, django_capture_on_commit_callbacks
):
    site_client("ada").get("/")  # warm the tenant cache
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/dashboard/profile/", PROFILE_FORM)
    assert response.status_code == 302
    html = site_client("ada").get("/").content.decode()
    assert "<strong>first program</strong>" in html
    assert 'class="post-subtitle"><a href="https://uni.example" rel="nofollow noopener">' in html
    assert "<p>12 St James's Square</p>" in html or "12 St James" in html
    assert "profile--left" in html
    assert "<math" in html and "👋" in html
    assert "--accent-light: #2255aa" in html


def test_the_profile_form_reports_bad_input_and_keeps_what_was_typed(owner_client, owner):
    response = owner_client.post(
        "/dashboard/profile/",
        {**PROFILE_FORM, "accent_color": "purple", "announcements_limit": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Use a colour like #B509AC." in html
    assert "I wrote the **first program**." in html  # nothing typed is lost
    owner.refresh_from_db()
    assert owner.bio == "I study **engines**."


def test_the_profile_page_uses_the_markdownx_editor_with_its_live_preview(owner_client):
    html = owner_client.get("/dashboard/profile/").content.decode()
    assert 'class="markdownx-editor' in html
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert "markdownx/js/markdownx" in html


def test_the_live_preview_is_the_same_sanitized_html_as_the_site(owner_client):
    response = owner_client.post(
        "/markdownx/markdownify/",
        {"content": "**Hi** <script>alert(1)</script><img src=x onerror=alert(1)>"},
    )
    assert response.status_code == 200
    assert response.content.decode() == '<p><strong>Hi</strong> <img src="x"></p>'


def test_the_live_preview_is_closed_to_anonymous_visitors(client):
    response = client.post("/markdownx/markdownify/", {"content": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


def test_uploading_a_photo_shows_it_with_responsive_sizes(
    owner_client, owner, site_client, photo_upload
):
    response = owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    assert response.status_code == 302
    html = site_client("ada").get("/").content.decode()
    assert f'<source type="image/webp" srcset="/media/sites/{owner.pk}/photo/' in html
    assert " 480w, " in html and " 800w" in html
    assert 'width="800" height="1067"' in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "photo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "JPEG, PNG, WebP or GIF",
        ),
        ("photo.jpg", b"%PDF-1.4 not an image", "JPEG, PNG, WebP or GIF"),
        ("photo.jpg", image_bytes()[:2000], "damaged"),
        ("photo.bmp", image_bytes("BMP", (20, 20)), "JPEG, PNG, WebP or GIF"),
    ],
)
def test_a_bad_photo_gets_a_clear_form_error_and_changes_nothing(
    owner_client, owner, name, content, message
):
    response = owner_client.post("/dashboard/photo/", {"photo": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    owner.refresh_from_db()
    assert owner.photo == {}


def test_removing_the_photo_deletes_its_files(
    owner_client, owner, photo_upload, django_capture_on_commit_callbacks
):
    owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    owner.refresh_from_db()
    names = [v["webp"] for v in owner.photo["variants"]]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/dashboard/photo/remove/")
    owner.refresh_from_db()
    assert owner.photo == {}
    assert not any(default_storage.exists(name) for name in names)


def test_adding_links_normalises_ids_and_keeps_the_owners_order(owner_client, owner):
    owner_client.post(
        "/dashboard/links/", {"network": "github", "value": "https://github.com/adal"}
    )
    owner_client.post("/dashboard/links/", {"network": "email", "value": "ada@example.org"})
    owner_client.post(
        "/dashboard/links/",
        {
            "network": "scholar",
            "value": "https://scholar.google.com/citations?user=3udA8hkAAAAJ&hl=en",
        },
    )
    links = list(owner.social_links.all())
    assert [link.network for link in links] == ["github", "email", "scholar"]
    assert links[0].value == "adal"
    assert links[2].value == "3udA8hkAAAAJ"


def test_a_link_that_does_not_fit_its_network_is_refused_with_a_message(owner_client, owner):
    response = owner_client.post(
        "/dashboard/links/", {"network": "orcid", "value": "0000-0002-1825-0097"}
    )
    assert response.status_code == 302  # a valid ORCID
    response = owner_client.post("/dashboard/links/", {"network": "github", "value": "not a name!"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert owner.social_links.count() == 1


def test_the_same_network_cannot_be_added_twice(owner_client, owner):
    owner_client.post("/dashboard/links/", {"network": "github", "value": "adal"})
    response = owner_client.post("/dashboard/links/", {"network": "github", "value": "other"})
    assert "You already have this one" in response.content.decode()
    assert owner.social_links.count() == 1


def test_links_move_up_and_down(owner_client, owner):
    for network, value in [("github", "adal"), ("x", "ada"), ("gitlab", "ada")]:
        owner_client.post("/dashboard/links/", {"network": network, "value": value})
    gitlab = owner.social_links.get(network="gitlab")
    owner_client.post(f"/dashboard/links/{gitlab.pk}/move/up/")
    owner_client.post(f"/dashboard/links/{gitlab.pk}/move/up/")
    assert [link.network for link in owner.social_links.all()] == ["gitlab", "github", "x"]
    owner_client.post(f"/dashboard/links/{gitlab.pk}/move/down/")
    assert [link.network for link in owner.social_links.all()] == ["github", "gitlab", "x"]


def test_editing_and_deleting_a_link(owner_client, owner):
    owner_client.post("/dashboard/links/", {"network": "github", "value": "adal"})
    link = owner.social_links.get()
    owner_client.post(
        f"/dashboard/links/{link.pk}/", {"network": "github", "value": "ada-lovelace"}
    )
    link.refresh_from_db()
    assert link.value == "ada-lovelace"
    owner_client.post(f"/dashboard/links/{link.pk}/delete/")
    assert not owner.social_links.exists()


def test_a_cv_can_be_an_uploaded_pdf_but_not_a_fake_one(owner_client, owner):
    fake = SimpleUploadedFile("cv.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = owner_client.post("/dashboard/links/", {"network": "cv", "document": fake})
    assert "not a PDF" in response.content.decode()
    disguised = SimpleUploadedFile(
        "cv.pdf",
        b"%PDF-1.7\n<html><script>alert(1)</script></html>",
        content_type="application/pdf",
    )
    response = owner_client.post("/dashboard/links/", {"network": "cv", "document": disguised})
    assert "damaged or incomplete" in response.content.decode()
    assert not owner.social_links.exists()
    real = SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf")
    assert (
        owner_client.post("/dashboard/links/", {"network": "cv", "document": real}).status_code
        == 302
    )
    link = owner.social_links.get(network="cv")
    assert link.url.startswith(f"/media/sites/{owner.pk}/documents/")
    assert "cv.pdf" not in link.document.name  # the owner's file name is not kept


def test_a_wechat_link_is_a_processed_qr_image(owner_client, owner):
    qr = SimpleUploadedFile("qr.png", image_bytes("PNG", (300, 300)))
    response = owner_client.post("/dashboard/links/", {"network": "wechat", "image_upload": qr})
    assert response.status_code == 302
    link = owner.social_links.get(network="wechat")
    assert link.url.startswith(f"/media/sites/{owner.pk}/qr/")


def test_a_custom_link_needs_a_title_and_a_known_icon(owner_client, owner):
    response = owner_client.post(
        "/dashboard/links/",
        {"network": "custom", "value": "https://lab.example", "title": "", "icon": "fa-solid:nope"},
    )
    html = response.content.decode()
    assert "Give your custom link a name." in html
    assert "There is no icon" in html
    response = owner_client.post(
        "/dashboard/links/",
        {
            "network": "custom",
            "value": "https://lab.example",
            "title": "My lab",
            "icon": "fa-solid:flask",
        },
    )
    assert response.status_code == 302


# --- Outsiders -------------------------------------------------------------


def dashboard_urls(link: SocialLink) -> list[tuple[str, str]]:
    return [
        ("get", "/dashboard/"),
        ("get", "/dashboard/preview/"),
        ("get", "/dashboard/profile/"),
        ("post", "/dashboard/profile/"),
        ("get", "/dashboard/photo/"),
        ("post", "/dashboard/photo/remove/"),
        ("get", "/dashboard/links/"),
        ("get", f"/dashboard/links/{link.pk}/"),
        ("post", f"/dashboard/links/{link.pk}/"),
        ("post", f"/dashboard/links/{link.pk}/delete/"),
        ("post", f"/dashboard/links/{link.pk}/move/up/"),
        ("post", "/markdownx/markdownify/"),
        ("post", "/markdownx/upload/"),
    ]


@pytest.fixture
def victims_link(owner) -> SocialLink:
    return SocialLink.objects.create(profile=owner, network="github", value="ada-secret-handle")


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_dashboard_url(victims_link):
    anonymous = Client(HTTP_HOST="localhost")
    for method, url in dashboard_urls(victims_link):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/accounts/login/"), url


def test_another_researcher_gets_404_for_the_owners_objects_and_sees_only_their_own(
    victims_link, owner
):
    other = make_researcher("grace")
    intruder = Client(HTTP_HOST="localhost")
    intruder.force_login(other.owner)
    for method, url in dashboard_urls(victims_link):
        response = getattr(intruder, method)(url, {"network": "github", "value": "hijacked"})
        assert b"ada-secret-handle" not in response.content, url
        if f"/links/{victims_link.pk}/" in url:
            assert response.status_code == 404, url
    victims_link.refresh_from_db()
    assert victims_link.value == "ada-secret-handle"
    assert owner.social_links.count() == 1


def test_an_account_without_a_site_gets_404_on_the_dashboard(outsider, victims_link):
    intruder = Client(HTTP_HOST="localhost")
    intruder.force_login(outsider)
    for method, url in dashboard_urls(victims_link):
        assert getattr(intruder, method)(url).status_code == 404, url


def test_the_dashboard_is_not_served_on_site_hosts(owner, site_client):
    visitor = site_client("ada")
    visitor.force_login(owner.owner)
    assert visitor.get("/dashboard/").status_code == 404
    assert visitor.post("/markdownx/markdownify/", {"content": "x"}).status_code == 404


def test_a_pending_site_can_be_previewed_by_its_owner_only(client, owner_client, owner):
    owner.status = "pending"
    owner.save()
    response = owner_client.get("/dashboard/preview/")
    assert response.status_code == 200
    assert "Preview: this is your page as visitors will see it once it is published." in (
        response.content.decode()
    )
    assert "I study <strong>engines</strong>." in response.content.decode()
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert client.get("/dashboard/preview/").status_code == 302


def test_an_image_dropped_into_the_editor_goes_through_the_photo_pipeline(owner_client):
    upload = SimpleUploadedFile("drop.png", image_bytes("PNG", (640, 480)))
    response = owner_client.post("/markdownx/upload/", {"image": upload})
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/sites/") and "/uploads/" in code and code.endswith(".jpg)")
    svg = SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>")
    response = owner_client.post("/markdownx/upload/", {"image": svg})
    assert response.status_code == 400
    assert "JPEG, PNG, WebP or GIF" in response.json()["image"][0]


def test_the_links_page_costs_the_same_queries_however_many_links(
    owner_client, owner, django_assert_num_queries
):
    for n in range(12):
        SocialLink.objects.create(
            profile=owner, network="website", value=f"https://x.org/{n}", position=n
        )
    # The session, the user, the user's profile, the links.
    with django_assert_num_queries(4):
        response = owner_client.get("/dashboard/links/")
    assert response.content.decode().count('class="link-actions"') == 12


def test_replacing_a_cv_pdf_deletes_the_old_file(
    owner_client, owner, django_capture_on_commit_callbacks
):
    def pdf():
        return SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf")

    owner_client.post("/dashboard/links/", {"network": "cv", "document": pdf()})
    link = owner.social_links.get(network="cv")
    old = link.document.name
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/dashboard/links/{link.pk}/", {"network": "cv", "document": pdf()})
    link.refresh_from_db()
    assert link.document.name != old
    assert default_storage.exists(link.document.name)
    assert not default_storage.exists(old)


# --- Custom icons in either form (issue 6, item 8) ----------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("fa-solid:flask", "fa-solid:flask"),
        ("fa-solid fa-flask", "fa-solid:flask"),
        ("fas fa-flask", "fa-solid:flask"),
        ("ai ai-ieee", "ai:ieee"),
    ],
)
def test_a_custom_icon_may_be_written_as_a_reference_or_as_bio_classes(
    owner_client, owner, typed, stored
):
    response = owner_client.post(
        "/dashboard/links/",
        {"network": "custom", "value": "https://lab.example", "title": "Lab", "icon": typed},
    )
    assert response.status_code == 302
    assert owner.social_links.get().icon == stored


def test_a_custom_link_title_with_a_direction_override_is_refused(owner_client, owner):
    response = owner_client.post(
        "/dashboard/links/",
        {"network": "custom", "value": "https://lab.example", "title": "La\u202eb"},
    )
    assert "invisible or direction-changing" in response.content.decode()
    assert not owner.social_links.exists()


# --- One bad row never breaks a page (issue 6, item 14) ------------------------------


def test_a_stored_link_that_cannot_make_an_address_is_skipped_not_a_500(
    owner, site_client, owner_client, caplog
):
    SocialLink.objects.create(profile=owner, network="website", value="javascript:alert(1)")
    SocialLink.objects.create(profile=owner, network="github", value="octocat", position=1)
    response = site_client("ada").get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "javascript:" not in html
    assert 'href="https://github.com/octocat"' in html
    assert "Skipping social link" in caplog.text
    links_page = owner_client.get("/dashboard/links/").content.decode()
    assert "cannot be shown on your site: edit or remove it" in links_page


def test_a_damaged_photo_record_costs_the_photo_not_the_page(owner, site_client):
    owner.photo = {"variants": [{"width": 10}]}  # written outside our pipeline
    owner.save()
    response = site_client("ada").get("/")
    assert response.status_code == 200
    assert "profile-img" not in response.content.decode()


def _dashboard_routes():
    """Every route the platform serves under /dashboard/, with made-up arguments."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    for route in walk(get_resolver("config.urls_platform").url_patterns):
        if not route.startswith("dashboard/"):
            continue
        for converter, value in (("<int:pk>", "999999"), ("<int:object_id>", "999999"),
                                 ("<str:direction>", "up"), ("<path:page>", "news/")):  # fmt: skip
            route = route.replace(converter, value)
        if "<" not in route:
            yield "/" + route


@pytest.mark.parametrize("url", sorted(set(_dashboard_routes())))
def test_no_dashboard_route_answers_a_visitor_who_is_not_logged_in(url):
    anonymous = Client(HTTP_HOST="localhost")
    for method in ("get", "post"):
        response = getattr(anonymous, method)(url)
        assert response.status_code in (302, 405), (method, url)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/accounts/login/"), (method, url)
