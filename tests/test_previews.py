"""Previews: the owner's and the moderators', whatever the site's status (issue 6, items 3, 4, 6).

Every link in a preview works inside it or is plainly the live site's, and
uploads come from the site's own host with a token, never the platform host.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from profiles import services
from profiles.models import Profile, SocialLink
from tests.conftest import image_bytes, make_researcher, verified_login
from tests.test_dashboard import PROFILE_FORM

pytestmark = pytest.mark.django_db


def hrefs(html: str) -> list[str]:
    return re.findall(r'\bhref="([^"]*)"', html)


def srcs(html: str) -> list[str]:
    found = re.findall(r'\bsrc="([^"]*)"', html)
    for srcset in re.findall(r'\bsrcset="([^"]*)"', html):
        found += [part.strip().split(" ")[0] for part in srcset.split(",")]
    return found


@pytest.fixture
def pending_owner(owner, photo_upload):
    owner.status = Profile.Status.PENDING
    owner.bio = "See [my news](/news/) and ![figure](/media/sites/{pk}/uploads/x-1400.jpg)"
    owner.save()
    owner.bio = owner.bio.replace("{pk}", str(owner.pk))
    owner.save()
    services.set_photo(profile=owner, upload=photo_upload)
    SocialLink.objects.create(profile=owner, network="email", value="ada@example.org", position=0)
    return owner


def test_every_site_link_in_the_owners_preview_stays_in_the_preview(owner_client, pending_owner):
    html = owner_client.get("/dashboard/preview/").content.decode()
    site_relative = [h for h in hrefs(html) if h.startswith("/") and not h.startswith("/static/")]
    assert site_relative, "the preview has site links to check"
    for href in site_relative:
        assert href.startswith("/dashboard/"), href
    assert "/dashboard/preview/news/" in hrefs(html)  # a link written in the bio
    assert "/dashboard/preview/email/" in hrefs(html)  # the e-mail icon


def test_the_preview_name_and_about_links_lead_to_the_preview_not_the_landing_page(
    owner_client, pending_owner
):
    html = owner_client.get("/dashboard/preview/").content.decode()
    assert 'class="site-name" href="/dashboard/preview/"' in html
    assert '<a href="/dashboard/preview/" aria-current="page">about</a>' in html


def test_the_e_mail_icon_works_inside_the_preview(owner_client, pending_owner):
    response = owner_client.get("/dashboard/preview/email/")
    assert response.status_code == 302
    assert response.headers["Location"] == "mailto:ada@example.org"


def test_a_page_the_site_does_not_have_is_a_404_inside_the_preview(owner_client, pending_owner):
    assert owner_client.get("/dashboard/preview/no-such-page/").status_code == 404


def test_uploads_in_the_preview_come_from_the_sites_host_with_a_token(owner_client, pending_owner):
    html = owner_client.get("/dashboard/preview/").content.decode()
    media = [src for src in srcs(html) if "/media/" in src]
    assert media
    for src in media:
        assert src.startswith("http://ada.localhost:8000/media/sites/"), src
        assert "?preview=" in src


def test_a_preview_token_opens_an_unpublished_sites_own_files_only(
    owner_client, pending_owner, site_client
):
    html = owner_client.get("/dashboard/preview/").content.decode()
    photo = next(src for src in srcs(html) if "/photo/" in src)
    path = photo.removeprefix("http://ada.localhost:8000")
    visitor = site_client("ada")
    response = visitor.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert visitor.get(path.split("?")[0]).status_code == 404  # no token: the site is pending
    assert visitor.get("/?" + path.split("?")[1]).status_code == 404  # pages stay closed
    forged = path.split("?preview=")[0] + "?preview=1.forged"
    assert visitor.get(forged).status_code == 404


def test_the_preview_banner_tells_the_truth_for_each_status(owner_client, owner):
    expected = {
        Profile.Status.PUBLISHED: "as visitors see it.",
        Profile.Status.PENDING: "once it is published. Only you can see it now.",
        Profile.Status.SUSPENDED: "your site is suspended, so visitors cannot see this page",
    }
    for status, words in expected.items():
        owner.status = status
        owner.save()
        assert words in owner_client.get("/dashboard/preview/").content.decode()


def test_the_dashboard_offers_a_pending_owner_the_preview_and_says_the_site_is_not_public(
    owner_client, pending_owner
):
    html = owner_client.get("/dashboard/profile/").content.decode()
    assert "Preview my site" in html
    assert "(not public until a moderator publishes it)" in html


# --- Messages tell the truth for each status (item 4) --------------------------------


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Profile.Status.PUBLISHED, "Your site shows the change now."),
        (Profile.Status.PENDING, "visitors will see it once a moderator publishes your site"),
        (Profile.Status.SUSPENDED, "visitors cannot see your site while it is suspended"),
    ],
)
def test_saving_says_what_visitors_will_see(owner_client, owner, status, words):
    owner.status = status
    owner.save()
    response = owner_client.post("/dashboard/profile/", PROFILE_FORM, follow=True)
    assert words in response.content.decode()
    if status != Profile.Status.PUBLISHED:
        assert "Your site shows the change now" not in response.content.decode()


def test_a_photo_upload_on_a_pending_site_does_not_claim_it_is_on_the_site(
    owner_client, owner, photo_upload
):
    owner.status = Profile.Status.PENDING
    owner.save()
    response = owner_client.post("/dashboard/photo/", {"photo": photo_upload}, follow=True)
    html = response.content.decode()
    assert "Your new photo is saved." in html
    assert "on your site" not in html


def test_the_dashboard_photo_page_shows_the_photo_from_the_sites_host(
    owner_client, owner, photo_upload
):
    owner_client.post("/dashboard/photo/", {"photo": photo_upload})
    html = owner_client.get("/dashboard/photo/").content.decode()
    media = [src for src in srcs(html) if "/media/" in src]
    assert media and all(src.startswith("http://ada.localhost:8000/media/") for src in media)


# --- The moderators' preview (item 6) --------------------------------------------------


@pytest.fixture
def moderator_client(moderator) -> Client:
    client = Client(HTTP_HOST="localhost")
    verified_login(client, moderator)
    return client


def test_a_moderator_previews_a_pending_site_from_the_admin(moderator_client, pending_owner):
    response = moderator_client.get(f"/admin/profiles/profile/{pending_owner.pk}/preview/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Moderator preview of ada.localhost (pending review)." in html
    assert f'href="/admin/profiles/profile/{pending_owner.pk}/preview/news/"' in html
    assert '<a href="/dashboard/preview/' not in html
    for href in hrefs(html):
        if href.startswith("/") and not href.startswith("/static/"):
            assert href.startswith(f"/admin/profiles/profile/{pending_owner.pk}/"), href
    media = [src for src in srcs(html) if "/media/" in src]
    assert media and all("?preview=" in src for src in media)


def test_view_on_site_of_a_pending_profile_leads_to_the_preview(moderator_client, pending_owner):
    html = moderator_client.get(f"/admin/profiles/profile/{pending_owner.pk}/change/").content
    assert f"/admin/profiles/profile/{pending_owner.pk}/preview/".encode() in html


def test_a_researcher_cannot_open_the_admin_preview(owner_client, pending_owner):
    other = make_researcher("grace")
    client = Client(HTTP_HOST="localhost")
    client.force_login(other.owner)
    response = client.get(f"/admin/profiles/profile/{pending_owner.pk}/preview/")
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


def test_the_admins_markdown_preview_works_for_a_moderator_without_a_site(moderator_client):
    response = moderator_client.post("/markdownx/markdownify/", {"content": "**bold**"})
    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>bold</strong></p>"


def test_the_live_preview_shows_the_owners_editor_images_from_the_sites_host(owner_client, owner):
    text = f"![fig](/media/sites/{owner.pk}/uploads/abc-1400.jpg)"
    html = owner_client.post("/markdownx/markdownify/", {"content": text}).content.decode()
    assert (
        f'src="http://ada.localhost:8000/media/sites/{owner.pk}/uploads/abc-1400.jpg?preview='
        in html
    )


def test_the_live_preview_does_not_sign_another_sites_images(owner_client, owner):
    other = make_researcher("grace")
    text = f"![fig](/media/sites/{other.pk}/uploads/abc-1400.jpg)"
    html = owner_client.post("/markdownx/markdownify/", {"content": text}).content.decode()
    assert "preview=" not in html


def test_an_image_upload_in_the_admin_editor_says_where_to_add_images(moderator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.png", image_bytes("PNG", (50, 50)))
    response = moderator_client.post("/markdownx/upload/", {"image": upload})
    assert response.status_code == 400
    assert "own dashboard" in response.json()["image"][0]
