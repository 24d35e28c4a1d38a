"""What a moderator hid stays hidden: the owner cannot bring it back on the site by
deleting it and importing (or posting) it again."""

from __future__ import annotations

import pytest

from news.models import NewsItem
from news.services import save_news_item
from profiles.moderation.services import hide_item, unhide_item
from publications.models import Publication
from publications.services import import_bibtex

pytestmark = pytest.mark.django_db

HIDDEN = """@article{lovelace1843notes, title = {Notes on the Engine}, author = {Lovelace, Ada},
journal = {Memoirs}, year = {1843}}"""
OTHER = """@article{lovelace1842sketch, title = {Sketch of the Engine}, author = {Lovelace, Ada},
journal = {Taylor's Scientific Memoirs}, year = {1842}}"""


@pytest.fixture
def hidden_paper(owner, moderator) -> Publication:
    import_bibtex(profile=owner, text=f"{HIDDEN}\n{OTHER}", source="test")
    paper = Publication.objects.get(profile=owner, key="lovelace1843notes")
    hide_item(
        profile=owner, kind="publication", publication=paper, actor=moderator, reason="Not hers."
    )
    return paper


def test_deleting_a_hidden_paper_from_the_dashboard_keeps_it_and_says_why(
    owner, owner_client, hidden_paper
):
    other = Publication.objects.get(profile=owner, key="lovelace1842sketch")
    response = owner_client.post(
        "/dashboard/publications/delete/", {"pk": [hidden_paper.pk, other.pk]}, follow=True
    )

    page = response.content.decode()
    assert "1 paper deleted." in page
    assert "1 paper was not deleted: a moderator hid it" in page
    assert list(Publication.objects.filter(profile=owner).values_list("key", flat=True)) == [
        "lovelace1843notes"
    ]
    hidden_paper.refresh_from_db()
    assert not hidden_paper.is_visible


def test_importing_the_hidden_paper_again_leaves_it_hidden(
    owner, owner_client, hidden_paper, site_client
):
    owner_client.post("/dashboard/publications/delete/", {"pk": [hidden_paper.pk]})
    import_bibtex(profile=owner, text=HIDDEN, source="test")

    hidden_paper.refresh_from_db()
    assert not hidden_paper.is_visible
    assert "Notes on the Engine" not in site_client("ada").get("/publications/").content.decode()


def test_a_replacing_import_without_the_hidden_paper_keeps_it_and_reports_it(owner, hidden_paper):
    report = import_bibtex(profile=owner, text=OTHER, source="test", replace=True)

    assert report.removed == []
    assert report.kept_hidden == ["lovelace1843notes"]
    assert "1 kept (hidden by a moderator)" in report.summary()
    assert Publication.objects.filter(profile=owner, key="lovelace1843notes").exists()


def test_once_put_back_the_paper_can_be_deleted(owner, owner_client, moderator, hidden_paper):
    unhide_item(hidden=hidden_paper.hidden, actor=moderator, reason="Checked: hers.")
    owner_client.post("/dashboard/publications/delete/", {"pk": [hidden_paper.pk]})
    assert not Publication.objects.filter(pk=hidden_paper.pk).exists()


def test_the_deleted_count_is_of_papers_not_of_their_files_and_rows(owner, owner_client):
    import_bibtex(profile=owner, text=f"{HIDDEN}\n{OTHER}", source="test")
    pks = list(Publication.objects.filter(profile=owner).values_list("pk", flat=True))
    page = owner_client.post(
        "/dashboard/publications/delete/", {"pk": pks}, follow=True
    ).content.decode()
    assert "2 papers deleted." in page


def test_a_hidden_news_item_cannot_be_deleted_and_the_owner_is_told_why(
    owner, owner_client, moderator
):
    item = save_news_item(profile=owner, item=NewsItem(title="A talk", content="Slides."))
    hide_item(profile=owner, kind="news", news_item=item, actor=moderator, reason="Spam.")

    page = owner_client.post(f"/dashboard/news/{item.pk}/delete/", follow=True).content.decode()

    assert "A talk was not deleted: a moderator hid it" in page
    item.refresh_from_db()
    assert not item.is_visible
