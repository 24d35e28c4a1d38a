"""The two real about pages in ../shared/seeds render faithfully.

Each seed is read as a researcher uploads it (front matter and body, mojibake
and all: its repair comes with the importer) into a profile, and the public
page is checked for what al-folio would show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from profiles import services
from profiles.alfolio import FrontMatterError, about_page_fields, split_front_matter
from tests.conftest import image_bytes, make_researcher

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed pages not found at {SEEDS}"),
]


def publish_seed(name: str, slug: str, first: str, last: str):
    meta, body = split_front_matter((SEEDS / name).read_text(encoding="utf-8"))
    profile = make_researcher(
        slug, first_name=first, last_name=last, **about_page_fields(meta, body)
    )
    photo = SimpleUploadedFile(f"{slug}.jpg", image_bytes(size=(600, 800)))
    services.set_photo(profile=profile, upload=photo)
    return profile


@pytest.fixture
def rupeng(db):
    return publish_seed("about-rupeng.md", "rupeng", "Ru", "Peng")


@pytest.fixture
def wanru(db):
    return publish_seed("about-wanru.md", "wanru", "Wanru", "Zhao")


def test_rupengs_page_shows_name_subtitle_link_and_a_left_rounded_photo(site_client, rupeng):
    html = site_client("rupeng").get("/").content.decode()
    assert '<span class="first-name">Ru</span>  Peng' in html
    assert '<p class="post-subtitle"><a href="#" rel="nofollow noopener">' in html
    assert 'class="profile profile--left"' in html
    assert "profile-img--rounded" in html  # image_circular: false
    assert 'class="more-info"' not in html  # more_info is commented out in the seed


def test_rupengs_hand_written_icons_become_svg_icons(site_client, rupeng):
    html = site_client("rupeng").get("/").content.decode()
    bio = html.split('<div class="bio user-content">', 1)[1]
    assert bio.count('<svg class="icon"') == 5  # scholar, twitter, envelope, weixin, github
    assert "ai-google-scholar" not in html
    assert (
        '<a href="https://scholar.google.com.tw/citations?user=3udA8hkAAAAJ&amp;hl=zh-CN"' in html
    )


def test_rupengs_commented_out_html_does_not_appear(site_client, rupeng):
    html = site_client("rupeng").get("/").content.decode()
    for hidden in ("Semantic Scholar", "Zhihu", "Research Interest", "Seek truth and beauty",
                   "font-family: 'Open Sans'", "<!--"):  # fmt: skip
        assert hidden not in html


def test_rupengs_page_options_are_kept(rupeng):
    assert rupeng.show_announcements and rupeng.announcements_scrollable
    assert rupeng.announcements_limit == 5
    assert rupeng.show_selected_papers and rupeng.show_social


def test_wanrus_page_shows_the_address_block_and_a_right_rounded_photo(site_client, wanru):
    html = site_client("wanru").get("/").content.decode()
    assert 'class="profile profile--right"' in html
    assert "profile-img--rounded" in html  # the old misspelt image_cicular: false
    assert "<p>William Gates Building</p>" in html
    assert "<p>Cambridge CB3 0FD</p>" in html
    assert 'class="post-subtitle"' not in html  # subtitle is a YAML comment


def test_wanrus_external_badges_and_highlight_survive(site_client, wanru):
    html = site_client("wanru").get("/").content.decode()
    assert '<img src="https://img.shields.io/github/stars/dmlc/dgl" alt="Github stars">' in html
    assert 'src="https://img.shields.io/github/stars/dmlc/GNNLens2"' in html
    assert '<span style="background-color:#F9EAFB">' in html
    assert "Feel free to contact me by Email" in html


def test_both_seed_pages_keep_no_way_to_run_script(site_client, rupeng, wanru):
    from tests.test_markup import ways_to_run_script

    for slug in ("rupeng", "wanru"):
        html = site_client(slug).get("/").content.decode()
        body = html.split('<div class="bio user-content">', 1)[1].split("</div>", 1)[0]
        assert ways_to_run_script(body) == []


def test_broken_front_matter_is_reported_not_swallowed():
    with pytest.raises(FrontMatterError, match="not valid YAML"):
        split_front_matter("---\nprofile: [unclosed\n---\nbody")
