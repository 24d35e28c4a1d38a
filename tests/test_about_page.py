"""The public about page: al-folio's sections, in al-folio's order."""

from __future__ import annotations

import pytest

from profiles import services
from profiles.models import SocialLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_profile(owner, photo_upload):
    owner.subtitle = "<a href='https://uni.example'>Analytical Engine Lab</a>, <em>London</em>"
    owner.more_info = "<p>12 St James's Square</p>\n<p>London</p>"
    owner.contact_note = "E-mail is best."
    owner.photo_align = "left"
    owner.photo_shape = "circular"
    owner.save()
    services.set_photo(profile=owner, upload=photo_upload)
    for position, (network, value) in enumerate(
        [("email", "ada@example.org"), ("scholar", "3udA8hkAAAAJ"), ("github", "adal")]
    ):
        SocialLink.objects.create(profile=owner, network=network, value=value, position=position)
    return owner


def test_sections_come_in_al_folios_order(site_client, full_profile):
    html = site_client("ada").get("/").content.decode()
    order = [
        html.index('class="post-title"'),
        html.index('class="post-subtitle"'),
        html.index('class="profile profile--left"'),
        html.index('class="more-info"'),
        html.index('class="bio user-content"'),
        html.index('class="social-icons"'),
        html.index('class="contact-note"'),
    ]
    assert order == sorted(order)


def test_the_photo_is_circular_left_aligned_and_described(site_client, full_profile):
    html = site_client("ada").get("/").content.decode()
    assert 'class="profile-img profile-img--circular"' in html
    assert 'alt="Ada K. Lovelace"' in html


def test_social_icons_link_to_each_network_in_the_owners_order(site_client, full_profile):
    html = site_client("ada").get("/").content.decode()
    scholar = html.index('href="https://scholar.google.com/citations?user=3udA8hkAAAAJ"')
    github = html.index('href="https://github.com/adal"')
    assert scholar < github
    assert 'title="Google Scholar"' in html
    assert html.count('<svg class="icon"') >= 3


def test_the_email_address_never_appears_in_the_page(site_client, full_profile):
    html = site_client("ada").get("/").content.decode()
    assert "ada@example.org" not in html
    assert "mailto:" not in html
    assert 'href="/email/"' in html


def test_the_email_link_redirects_to_the_address(site_client, full_profile):
    response = site_client("ada").get("/email/")
    assert response.status_code == 302
    assert response.headers["Location"] == "mailto:ada@example.org"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_a_site_without_email_has_no_email_redirect(site_client, owner):
    assert site_client("ada").get("/email/").status_code == 404


def test_page_options_hide_the_social_icons(site_client, full_profile):
    full_profile.show_social = False
    full_profile.save()
    html = site_client("ada").get("/").content.decode()
    assert 'class="social-icons"' not in html


def test_a_scholar_icon_written_in_the_bio_shows_the_academicons_svg(site_client, owner):
    owner.bio = '<i class="ai ai-google-scholar"></i> [Scholar](https://scholar.google.com)'
    owner.save()
    html = site_client("ada").get("/").content.decode()
    assert '<svg class="icon"' in html
    assert 'class="ai ai-google-scholar"' not in html


def test_math_and_emoji_shortcodes_render_in_the_bio(site_client, owner):
    owner.bio = "Hi :wave: I like $e^{i\\pi} + 1 = 0$ and\n\n$$\\int_0^1 x\\,dx$$"
    owner.save()
    html = site_client("ada").get("/").content.decode()
    assert "👋" in html
    assert '<math display="inline">' in html
    assert '<math display="block">' in html


def test_the_theme_toggle_and_its_script_ship_without_inline_script(site_client, owner):
    html = site_client("ada").get("/").content.decode()
    assert "data-theme-toggle" in html
    assert '<script src="/static/js/theme.js"></script>' in html
    scripts = html.split("<script")[1:]
    assert all(
        s.startswith(' src="') or s.startswith(' type="application/ld+json"') for s in scripts
    )


def test_an_accent_colour_is_made_readable_on_light_and_dark_pages(site_client, owner):
    owner.accent_color = "#FFEE00"  # yellow: unreadable on white as it is
    owner.save()
    html = site_client("ada").get("/").content.decode()
    assert "--accent-light: #" in html and "--accent-light: #ffee00" not in html.lower()
    assert "--accent-dark: #ffee00" in html.lower()


def test_the_page_has_landmarks_and_a_skip_link(site_client, owner):
    html = site_client("ada").get("/").content.decode()
    for landmark in (
        '<header class="site-header">',
        '<nav class="site-nav"',
        '<main id="content"',
        "<footer",
    ):
        assert landmark in html
    assert 'href="#content"' in html
