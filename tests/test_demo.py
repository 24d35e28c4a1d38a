"""`manage.py load_demo` imports the demo folders (profiles/demo/sites) as al-folio sites,
giving a fresh checkout two published researchers, idempotently."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from news.models import NewsItem
from profiles import media
from profiles.alfolio.about import split_front_matter
from profiles.alfolio.archive import read_folder
from profiles.alfolio.plan import plan_import
from profiles.demo import DEMO_NEWS_DAY, DEMO_PASSWORD, DEMO_RESEARCHERS
from profiles.links import site_url
from profiles.management.commands.load_demo import demo_tree, shifted_news
from profiles.models import Profile, SiteImport, User
from publications.bibtex import parse_bibtex
from publications.models import ImportRun, Publication, PublicationSettings

pytestmark = pytest.mark.django_db

FOLDERS: dict[str, Path] = {data["slug"]: data["folder"] for data in DEMO_RESEARCHERS}
# Joint work of the two researchers: in both papers.bib, with the same key and text.
JOINT_KEYS = {"reyeslindgren2025rivers", "okafor2024samples", "reyeslindgren2022tensor"}


def bibtex(slug: str) -> str:
    return (FOLDERS[slug] / "_bibliography" / "papers.bib").read_text(encoding="utf-8")


def data_file(slug: str, name: str) -> dict:
    return yaml.safe_load((FOLDERS[slug] / "_data" / name).read_text(encoding="utf-8"))


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
    owner = profile.owner
    profile.bio = "My own words."
    profile.status = Profile.Status.SUSPENDED
    profile.save()
    profile.social_links.all().delete()
    call_command("load_demo", "--reset")
    profile = Profile.objects.get(slug="amara")
    assert profile.bio.startswith("I am an assistant professor")
    assert profile.is_published
    assert profile.social_links.count() == 7
    assert profile.owner == owner  # the account stays; only the site is rebuilt
    assert "reset amara" in capsys.readouterr().out


def test_load_demo_dry_run_changes_nothing(capsys):
    call_command("load_demo", "--dry-run")
    assert Profile.objects.count() == 0 and User.objects.count() == 0
    assert "would have created" in capsys.readouterr().out
    call_command("load_demo", stdout=StringIO())
    amara = Profile.objects.get(slug="amara")
    amara.bio = "My own words."
    amara.save()
    call_command("load_demo", "--dry-run", "--reset")
    assert Profile.objects.get(slug="amara").bio == "My own words."
    assert "would have reset amara" in capsys.readouterr().out


@pytest.mark.parametrize("debug", [True, False])
def test_the_demo_password_is_set_only_when_debug_is_on(settings, capsys, debug):
    settings.DEBUG = debug
    call_command("load_demo")
    call_command("load_demo", "--reset")
    for data in DEMO_RESEARCHERS:
        user = User.objects.get(email=data["email"])
        assert user.check_password(DEMO_PASSWORD) is debug
    assert (DEMO_PASSWORD in capsys.readouterr().out) is debug


def test_each_demo_bio_has_a_link_and_an_icon_and_renders_them(site_client):
    call_command("load_demo")
    for profile in Profile.objects.all():
        html = site_client(profile.slug).get("/").content.decode()
        assert profile.last_name in html
        assert 'rel="nofollow noopener"' in html
        assert '<svg class="icon"' in html  # an icon from the bio, inlined


# --- The demo folders ------------------------------------------------------------------------


@pytest.mark.parametrize("data", DEMO_RESEARCHERS, ids=lambda data: data["slug"])
def test_each_demo_folder_is_a_clean_alfolio_site_of_text_files(data):
    folder = read_folder(data["folder"])
    assert not any(path.startswith("assets/") for path in folder.files)
    for path in data["folder"].rglob("*"):
        if path.is_file():
            path.read_text(encoding="utf-8")  # text, and UTF-8
    plan = plan_import(folder)
    assert plan.notes == []
    # Only the drawn files are missing from the folder alone: the photo and the
    # PDFs and figures entries name, which load_demo draws and adds.
    complete = demo_tree(data)
    drawn = set(complete.files) - set(folder.files)
    assert {path for path, _ in plan.skipped} == drawn
    assert "assets/img/prof_pic.png" in drawn and len(drawn) >= 7
    complete_plan = plan_import(complete)
    assert complete_plan.notes == [] and complete_plan.skipped == []


def test_the_news_files_move_from_the_reference_day_to_the_day_they_are_loaded():
    amara = DEMO_RESEARCHERS[0]
    path = "_news/drought-memory-paper.md"
    as_written = read_folder(amara["folder"]).files[path].decode()
    assert "date: 2026-10-26 09:12:00+0000" in as_written  # DEMO_NEWS_DAY, 6 days ago
    later = demo_tree(amara, today=DEMO_NEWS_DAY + timedelta(days=100)).files[path].decode()
    assert later == as_written.replace("date: 2026-10-26", "date: 2027-02-03")
    assert demo_tree(amara, today=DEMO_NEWS_DAY).files[path].decode() == as_written
    # Only the front matter's date moves.
    text = "---\ndate: 2026-01-01\n---\n\ndate: 2026-01-01 stays\n"
    assert shifted_news(text, 31) == "---\ndate: 2026-02-01\n---\n\ndate: 2026-01-01 stays\n"


def test_the_demo_news_look_current_whenever_it_is_loaded():
    call_command("load_demo", stdout=StringIO())
    today = timezone.localdate()
    for slug in FOLDERS:
        dates = [item.date.date() for item in NewsItem.objects.filter(profile__slug=slug)]
        assert all(date < today for date in dates), slug
        assert (today - max(dates)).days <= 14, slug


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
        assert run.source == "al-folio import: _bibliography/papers.bib"
        assert run.failed == 0 and run.report == {"problems": [], "warnings": []}, slug
        assert parse_bibtex(bibtex(slug)).problems == []
        site_import = SiteImport.objects.get(profile=profile)
        assert site_import.status == SiteImport.Status.DONE
        assert site_import.report["notes"] == [] and site_import.report["skipped"] == [], slug


def test_the_joint_papers_are_written_the_same_in_both_demo_files(demo):
    amara, tomas = (
        dict(Publication.objects.filter(profile=demo[slug]).values_list("key", "raw_bibtex"))
        for slug in ("amara", "treyes")
    )
    assert amara.keys() & tomas.keys() == JOINT_KEYS
    assert all(amara[key] == tomas[key] for key in JOINT_KEYS)


def test_each_demo_publications_page_shows_badges_its_own_name_and_the_other_demo_site(
    demo, site_client
):
    for slug, profile in demo.items():
        html = page(site_client, slug)
        abbr, style = next(iter(data_file(slug, "venues.yml").items()))
        badge = (
            f'<abbr class="pub-badge" style="background-color:{style["color"]}[^"]*">'
            f'<a href="{re.escape(style["url"])}" rel="noopener">{abbr}</a></abbr>'
        )
        assert re.search(badge, html), slug
        assert f'<em class="author-self">{profile.first_name} ' in html
        other_site = site_url(demo[other(slug)].host)
        assert f'<a class="author-site" href="{other_site}"' in html, slug
        (coauthor,) = data_file(slug, "coauthors.yml").values()
        assert f'<a href="{coauthor[0]["url"]}" rel="noopener">' in html


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
    amara = Profile.objects.get(slug="amara")
    assert Publication.objects.filter(profile=amara).count() == count
    assert amara.paper_files.count() == 9  # four PDFs, five previews
    assert PublicationSettings.objects.get(profile=amara).max_author_limit == 5
    html = page(site_client, "amara")
    assert ">PDF</a>" in html and 'class="pub-preview"' in html and "4 more authors" in html


def test_load_demo_reset_leaves_no_file_behind_and_adds_no_duplicates(
    demo, django_capture_on_commit_callbacks
):
    def state(profile: Profile) -> tuple:
        return (
            sorted(profile.paper_files.values_list("name", flat=True)),
            Publication.objects.filter(profile=profile).count(),
            NewsItem.objects.filter(profile=profile).count(),
            profile.social_links.count(),
            len(media.site_files(profile.pk)),  # the photo, papers' files and their variants
        )

    before = {slug: state(profile) for slug, profile in demo.items()}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--reset", stdout=StringIO())
    for slug, old in demo.items():
        assert media.site_files(old.pk) == []  # the replaced site's files went with it
        profile = Profile.objects.get(slug=slug)
        assert state(profile) == before[slug]
        assert profile.venues.count() == len(data_file(slug, "venues.yml"))
        assert profile.coauthors.count() == 1
        run = ImportRun.objects.get(profile=profile)  # one import, not one on top of another
        assert run.added == Publication.objects.filter(profile=profile).count()
        assert run.updated == 0 and run.failed == 0
        assert SiteImport.objects.filter(profile=profile).count() == 1


def test_each_demo_researcher_has_six_to_ten_news_items_inline_and_titled(site_client):
    call_command("load_demo")
    for slug in ("amara", "treyes"):
        items = NewsItem.objects.filter(profile__slug=slug)
        assert 6 <= items.count() <= 10
        assert items.filter(inline=True).exists() and items.filter(inline=False).exists()
        for path in (FOLDERS[slug] / "_news").iterdir():  # al-folio's own front matter
            meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
            assert meta["layout"] == "post" and isinstance(meta["inline"], bool), path
            assert bool(meta.get("title")) is not meta["inline"], path
    html = "".join(NewsItem.objects.values_list("content_html", flat=True))
    assert "<math" in html and "🎉" in html
    about = site_client("amara").get("/").content.decode()
    assert 'class="announcements"' in about and "No news so far" not in about
    assert site_client("treyes").get("/feed.xml").status_code == 200
