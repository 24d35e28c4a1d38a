"""Every real al-folio site in ../shared/corpus, and both seeds, import whole and read right.

For each site: the names, a sentence of the bio, the news Jekyll would
publish, every BibTeX entry that is the owner's, the social links, and no
Liquid, kramdown or mojibake left on any page a visitor can open.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from news.models import NewsItem
from profiles.alfolio import import_site, read_source
from profiles.models import Profile
from publications.models import Publication

SHARED = Path(settings.BASE_DIR).parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}"),
]

# folder -> (first, middle, last, a sentence of the bio, news, entries, networks in order)
EXPECTED = {
    "NeoNeuron__neoneuron.github.io": (
        "Kai", "", "Chen", "I'm interested in studying the brain.", 4, 2,
        ["email", "rss", "github", "x", "linkedin"],
    ),
    "Ryan0v0__Ryan0v0.github.io-original": (
        "Wanru", "", "Zhao", "I am Wanru Zhao(赵婉如), a senior undergraduate", 1, 1,
        ["email", "github", "linkedin"],
    ),
    "ellisbrown__ellisbrown.github.io": (
        "Ellis", "L.", "Brown", "I am a CS PhD Student at", 11, 23,
        ["github", "linkedin", "scholar", "x"],
    ),
    "jiaye-wu__jiaye-wu.github.io": (
        "Jiaye", "", "Wu", "Welcome to the lab website!", 14, 58,
        ["custom", "email", "orcid", "scholar", "custom", "researchgate", "zotero", "custom",
         "custom", "github", "linkedin", "facebook", "x"],
    ),
    "joahannes__joahannes.github.io": (
        "Joahannes", "B. D.", "da Costa", "I am an Assistant Professor at the", 31, 34,
        ["github", "linkedin", "orcid", "scholar"],
    ),
    "pengr__pengr.github.io": (
        "Ru", "", "Peng (Perry)", "on data management and synthesis", 17, 18, ["email"],
    ),
    "rodosingh__rodosingh.github.io": (
        "Aditya", "Kumar", "Singh", "Research Enginner", 17, 5,
        ["github", "linkedin", "scholar", "x", "custom", "rss", "email"],
    ),
    "sdaza__sdaza.github.io": (
        "Sebastian", "", "Daza", "I'm a data scientist, demographer, and sociologist", 0, 20,
        ["email", "rss", "github", "linkedin", "scholar"],
    ),
    "tirtharajdash__tirtharajdash.github.io": (
        "Tirtharaj", "", "Dash", "I am an Assistant Professor in the Department", 76, 62,
        ["email", "github", "scholar", "orcid", "dblp"],
    ),
}  # fmt: skip

LEFTOVERS = re.compile(r"\{%|%\}|\{\{|\}\}|\{:|ðŸ|Ã©|â€|\ue000")
# Latin-1 letters and Windows-1252 punctuation in a row: UTF-8 read as Windows-1252.
MOJIBAKE = re.compile(r"[ÃÂâåäæçèéðñ][\x80-\xbf\u2010-\u203a\u0152-\u0178\u02c6\u02dc\u20ac\u2122]")
PRE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.S)  # BibTeX shown as written keeps its braces


def jekyll_news_count(folder: Path) -> int:
    """What `jekyll build` publishes from _news/, by its own rules (independent of ours)."""
    news = folder / "_news"
    if not news.is_dir():
        return 0
    config = yaml.safe_load((folder / "_config.yml").read_text(encoding="utf-8")) or {}
    language = str(config.get("default_lang") or "")
    if language and (news / language).is_dir():
        news = news / language
    count = 0
    for path in news.rglob("*"):
        relative = path.relative_to(news).as_posix()
        if not path.is_file() or relative.startswith("_") or path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        front = yaml.safe_load(text.split("---", 2)[1]) or {}
        if front.get("published") is not False:
            count += 1
    return count


def visible_text(html: str) -> str:
    return PRE_BLOCK.sub("", html)


def pages_of(profile: Profile) -> list[str]:
    paths = ["/", "/publications/", "/news/"]
    paths += [item.path for item in NewsItem.objects.filter(profile=profile) if item.has_page]
    return paths


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_a_corpus_site_imports_whole(folder, site_client):
    first, middle, last, sentence, news, entries, networks = EXPECTED[folder]
    report = import_site(
        read_source(CORPUS / folder), slug="imported", owner_email="owner@example.org", publish=True
    )

    profile = Profile.objects.get(slug="imported")
    assert report.created
    assert (profile.first_name, profile.middle_name, profile.last_name) == (first, middle, last)
    assert sentence in profile.bio
    assert NewsItem.objects.filter(profile=profile).count() == news
    samples = sum(1 for _, why in report.skipped if "template's sample news" in why)
    assert news + samples == jekyll_news_count(CORPUS / folder)
    assert Publication.objects.filter(profile=profile).count() == entries
    assert [link.network for link in profile.social_links.all()] == networks

    client = site_client("imported")
    for path in pages_of(profile):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        leftovers = LEFTOVERS.findall(visible_text(html)) + MOJIBAKE.findall(html)
        assert not leftovers, f"{path}: {leftovers}"


def test_the_template_sample_entries_are_skipped_and_reported():
    report = import_site(
        read_source(CORPUS / "ellisbrown__ellisbrown.github.io"),
        slug="ellis",
        owner_email="ellis@example.org",
    )

    assert not Publication.objects.filter(key__startswith="einstein").exists()
    samples = [file for file, why in report.skipped if "template's sample entry" in why]
    assert samples == ["_bibliography/_example.bib"] * 7


def test_other_languages_are_reported_and_the_default_one_imported():
    report = import_site(
        read_source(CORPUS / "jiaye-wu__jiaye-wu.github.io"), slug="wu", owner_email="w@example.org"
    )

    skipped = dict(report.skipped)
    assert "_pages/zh-cn/about.md" in skipped
    assert "14 news file(s) in zh-hk" in skipped["_news/zh-hk/"]
    assert "en-us" in skipped["_news/zh-hk/"]


@pytest.mark.parametrize(
    ("seed", "emoji", "sentence", "shown"),
    [
        # Ru Peng's emoji is in an HTML comment; his name in Chinese is in the subtitle, with
        # one of its bytes turned into a space on the way.
        ("about-rupeng.md", "🦄", "Hi, I'm Ru Peng", "彭儒"),
        ("about-wanru.md", "👋", "Hey, thanks for stopping by! 👋", "👋"),
    ],
)
def test_a_seed_about_page_imports_with_its_mojibake_repaired(
    seed, emoji, sentence, shown, owner, site_client
):
    report = import_site(read_source(SEEDS / seed), slug="ada")

    owner.refresh_from_db()
    assert (owner.first_name, owner.last_name) == ("Ada", "Lovelace")  # no _config.yml: kept
    assert sentence in owner.bio
    assert emoji in owner.bio
    assert any("garbled" in note.message for note in report.notes)
    page = site_client("ada").get("/").content.decode()
    assert shown in page
    assert not MOJIBAKE.findall(page)
    assert not LEFTOVERS.findall(visible_text(page))
