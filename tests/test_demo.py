"""`manage.py load_demo` gives a fresh checkout two published researchers, idempotently."""

from __future__ import annotations

import re
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from profiles.demo import DEMO_RESEARCHERS
from profiles.demo_papers import DEMO_PAPERS, JOINT_KEYS
from profiles.links import site_url
from profiles.models import Profile, User
from publications.bibtex import parse_bibtex
from publications.models import ImportRun, Publication, PublicationSettings

pytestmark = pytest.mark.django_db


def test_load_demo_creates_two_published_sites_and_can_run_again():
    call_command("load_demo")
    call_command("load_demo")
    assert Profile.objects.published().count() == len(DEMO_RESEARCHERS) == 2
    assert User.objects.count() == 2


def test_load_demo_keeps_what_a_newcomer_changed(capsys):
    call_command("load_demo")
    profile = Profile.objects.get(slug="amara")
    profile.bio = "My own words."
    profile.save()
    call_command("load_demo")
    profile.refresh_from_db()
    assert profile.bio == "My own words."
    assert "kept amara as it is (--reset restores it)" in capsys.readouterr().out


def test_load_demo_reset_restores_the_demo(capsys):
    call_command("load_demo")
    profile = Profile.objects.get(slug="amara")
    profile.bio = "My own words."
    profile.status = Profile.Status.SUSPENDED
    profile.save()
    profile.social_links.all().delete()
    call_command("load_demo", "--reset")
    profile.refresh_from_db()
    assert profile.bio.startswith("I am an assistant professor")
    assert profile.is_published
    assert profile.social_links.count() == 7
    assert "reset amara" in capsys.readouterr().out


def test_load_demo_dry_run_changes_nothing(capsys):
    call_command("load_demo", "--dry-run")
    assert Profile.objects.count() == 0
    assert "would have created" in capsys.readouterr().out


def test_each_demo_bio_has_a_link_and_an_icon_and_renders_them(site_client):
    call_command("load_demo")
    for data in DEMO_RESEARCHERS:
        html = site_client(data["slug"]).get("/").content.decode()
        assert data["last_name"] in html
        assert 'rel="nofollow noopener"' in html
        assert '<svg class="icon"' in html  # an icon from the bio, inlined


# --- The demo researchers' publications ---------------------------------------------------


@pytest.fixture
def demo(db) -> dict[str, Profile]:
    call_command("load_demo", stdout=StringIO())
    return {profile.slug: profile for profile in Profile.objects.all()}


def other(slug: str) -> str:
    return next(data["slug"] for data in DEMO_RESEARCHERS if data["slug"] != slug)


def page(site_client, slug: str, path: str = "/publications/") -> str:
    response = site_client(slug).get(path)
    assert response.status_code == 200, (slug, path)
    return response.content.decode()


def test_each_demo_researcher_gets_between_20_and_40_papers_and_no_import_problem(demo):
    for slug, profile in demo.items():
        assert 20 <= Publication.objects.filter(profile=profile).count() <= 40, slug
        run = ImportRun.objects.get(profile=profile)
        assert run.source == "demo data"
        assert run.failed == 0 and run.report == {"problems": [], "warnings": []}, slug
        assert parse_bibtex(DEMO_PAPERS[slug].bibtex).problems == []


def test_the_joint_papers_are_written_the_same_in_both_demo_files(demo):
    amara, tomas = (
        dict(Publication.objects.filter(profile=demo[slug]).values_list("key", "raw_bibtex"))
        for slug in ("amara", "treyes")
    )
    assert set(JOINT_KEYS) == amara.keys() & tomas.keys()
    assert all(amara[key] == tomas[key] for key in JOINT_KEYS)


def test_each_demo_publications_page_shows_badges_its_own_name_and_the_other_demo_site(
    demo, site_client
):
    for slug, profile in demo.items():
        html = page(site_client, slug)
        abbr, color, url = DEMO_PAPERS[slug].venues[0]
        badge = (
            f'<abbr class="pub-badge" style="background-color:{color}[^"]*">'
            f'<a href="{re.escape(url)}" rel="noopener">{abbr}</a></abbr>'
        )
        assert re.search(badge, html), slug
        assert f'<em class="author-self">{profile.first_name} ' in html
        other_site = site_url(demo[other(slug)].host)
        assert f'<a class="author-site" href="{other_site}"' in html, slug
        coauthor_url = DEMO_PAPERS[slug].coauthors[0][1]
        assert f'<a href="{coauthor_url}" rel="noopener">' in html


def test_amaras_page_folds_the_long_author_list_into_and_n_more_authors(demo, site_client):
    assert '<details class="more-authors"><summary>4 more authors</summary>' in page(
        site_client, "amara"
    )
    assert "more-authors" not in page(site_client, "treyes")  # no limit set


def test_a_demo_pdf_button_serves_a_real_pdf_from_the_sites_own_host(demo, site_client):
    for slug in demo:
        links = re.findall(
            r'<a class="pub-button" href="([^"]+)" rel="noopener">PDF</a>', page(site_client, slug)
        )
        assert len(links) >= 3, slug
        assert links[0].startswith("/media/sites/")  # relative: on the site's own host
        response = site_client(slug).get(links[0])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        data = b"".join(response.streaming_content)
        assert data.startswith(b"%PDF-")
        assert len(PdfReader(BytesIO(data)).pages) == 1
        assert site_client(other(slug)).get(links[0]).status_code == 404


def test_a_demo_preview_image_shows_and_is_served(demo, site_client):
    for slug in demo:
        sources = re.findall(r'<img class="pub-preview" src="([^"]+)"', page(site_client, slug))
        assert len(sources) >= 3, slug
        response = site_client(slug).get(sources[0])
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/")


def test_selected_demo_papers_show_on_both_about_pages(demo, site_client):
    for slug, profile in demo.items():
        html = page(site_client, slug, "/")
        assert 'class="selected-papers"' in html
        selected = Publication.objects.filter(profile=profile, selected=True)
        assert 3 <= selected.count() <= 5
        assert all(f'id="{paper.key}"' in html for paper in selected)
        assert 'id="reyeslindgren2022tensor"' in html  # joint, selected in both files


def test_load_demo_reset_restores_the_papers_after_they_were_deleted(demo, site_client):
    amara = demo["amara"]
    count = Publication.objects.filter(profile=amara).count()
    Publication.objects.filter(profile=amara).delete()
    amara.paper_files.all().delete()
    amara.venues.all().delete()
    PublicationSettings.objects.filter(profile=amara).delete()
    call_command("load_demo", stdout=StringIO())  # kept as the newcomer left it
    assert not Publication.objects.filter(profile=amara).exists()

    call_command("load_demo", "--reset", stdout=StringIO())
    assert Publication.objects.filter(profile=amara).count() == count
    assert amara.paper_files.count() == 9  # four PDFs, five previews
    assert PublicationSettings.objects.get(profile=amara).max_author_limit == 5
    html = page(site_client, "amara")
    assert ">PDF</a>" in html and 'class="pub-preview"' in html and "4 more authors" in html


def test_load_demo_reset_leaves_no_file_behind_and_adds_no_duplicates(demo):
    before = {
        slug: sorted(p.paper_files.values_list("name", flat=True)) for slug, p in demo.items()
    }
    call_command("load_demo", "--reset", stdout=StringIO())
    for slug, profile in demo.items():
        assert sorted(profile.paper_files.values_list("name", flat=True)) == before[slug]
        assert profile.venues.count() == len(DEMO_PAPERS[slug].venues)
        assert profile.coauthors.count() == 1
        run = ImportRun.objects.filter(profile=profile).first()
        assert run.replace and run.added == 0 and run.updated == 0 and run.failed == 0


def test_each_demo_researcher_has_six_to_ten_news_items_inline_and_titled(site_client):
    from news.models import NewsItem

    call_command("load_demo")
    for slug in ("amara", "treyes"):
        items = NewsItem.objects.filter(profile__slug=slug)
        assert 6 <= items.count() <= 10
        assert items.filter(inline=True).exists() and items.filter(inline=False).exists()
    html = "".join(NewsItem.objects.values_list("content_html", flat=True))
    assert "<math" in html and "🎉" in html
    about = site_client("amara").get("/").content.decode()
    assert 'class="announcements"' in about and "No news so far" not in about
    assert site_client("treyes").get("/feed.xml").status_code == 200
