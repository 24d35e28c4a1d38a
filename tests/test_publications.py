"""Publications from BibTeX: the import, the publications page, a page per paper, export."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import CommandError, call_command

from profiles.models import Profile
from publications.models import Coauthor, ImportRun, Publication, PublicationSettings, Venue
from publications.services import ImportRefused, import_bibtex
from tests.conftest import make_researcher
from tests.test_markup import ways_to_run_script

pytestmark = pytest.mark.django_db

BIB = r"""
@string{icml = {International Conference on Machine Learning}}

@inproceedings{lovelace2024engines,
  title = {Notes on the {Analytical Engine}},
  author = {Lovelace, Ada and Babbage, Charles and Somerville, Mary},
  booktitle = icml,
  year = {2024},
  month = jul,
  abbr = {ICML},
  selected = {true},
  bibtex_show = {true},
  abstract = {We describe an engine that computes $x^2$.},
  pdf = {engines.pdf},
  code = {https://example.org/code},
}

@article{lovelace2023poetical,
  title = {A Poetical Science},
  author = {Lovelace, Ada},
  journal = {Journal of Imaginary Results},
  volume = {12},
  number = {3},
  pages = {101--115},
  year = {2023},
  doi = {10.1000/jir.2023.12},
}

@article{lovelace2024second,
  title = {Second in 2024},
  author = {Lovelace, Ada and Hopper, Grace},
  journal = {Journal of Imaginary Results},
  year = {2024},
}
"""


def import_text(profile: Profile, text: str = BIB, **options):
    return import_bibtex(profile=profile, text=text, source="test", **options)


# --- The import ------------------------------------------------------------------


def test_an_import_adds_every_entry_with_its_fields_decoded(owner):
    report = import_text(owner)
    assert sorted(report.added) == [
        "lovelace2023poetical",
        "lovelace2024engines",
        "lovelace2024second",
    ]
    paper = Publication.objects.get(profile=owner, key="lovelace2024engines")
    assert paper.title == "Notes on the Analytical Engine"
    assert paper.venue == "International Conference on Machine Learning"  # @string expanded
    assert (paper.year, paper.month) == (2024, 7)
    assert [a["last"] for a in paper.authors] == ["Lovelace", "Babbage", "Somerville"]
    assert paper.selected and paper.bibtex_show
    assert "<math" in paper.abstract_html
    assert "selected" not in paper.bibtex_display and "lovelace2024engines" in paper.bibtex_display
    assert paper.raw_bibtex.startswith("@inproceedings{lovelace2024engines,")


def test_importing_again_merges_by_key(owner):
    import_text(owner)
    changed = BIB.replace("A Poetical Science", "A Poetical Science, revised")
    report = import_text(owner, changed)
    assert report.updated == ["lovelace2023poetical"]
    assert sorted(report.unchanged) == ["lovelace2024engines", "lovelace2024second"]
    assert report.added == [] and report.removed == []
    assert Publication.objects.get(key="lovelace2023poetical").title.endswith("revised")


def test_papers_missing_from_the_file_are_removed_only_with_replace(owner):
    import_text(owner)
    only_one = BIB.split("@article{lovelace2023poetical")[0]
    assert import_text(owner, only_one).removed == []
    assert Publication.objects.filter(profile=owner).count() == 3
    report = import_text(owner, only_one, replace=True)
    assert sorted(report.removed) == ["lovelace2023poetical", "lovelace2024second"]
    assert list(Publication.objects.filter(profile=owner).values_list("key", flat=True)) == [
        "lovelace2024engines"
    ]


def test_a_dry_run_reports_and_changes_nothing(owner):
    report = import_text(owner, dry_run=True)
    assert len(report.added) == 3
    assert not Publication.objects.exists() and not ImportRun.objects.exists()


def test_a_broken_entry_is_reported_and_the_others_come_in(owner):
    text = BIB.replace(
        "@article{lovelace2023poetical,", "@article{lovelace2023poetical,\n  title = {Unclosed,"
    )
    report = import_text(owner, text)
    assert report.imported >= 2
    assert report.problems, "the broken entry is reported"
    problem = report.problems[0]
    assert problem["line"] > 1 and problem["reason"]
    run = ImportRun.objects.get()
    assert run.failed == len(report.problems)


def test_a_text_that_is_not_bibtex_changes_nothing(owner):
    import_text(owner)
    with pytest.raises(ImportRefused):
        import_text(owner, "<html><body>Not a bibliography</body></html>", replace=True)
    assert Publication.objects.filter(profile=owner).count() == 3


def test_binary_garbage_is_refused(owner):
    with pytest.raises(ImportRefused):
        import_text(owner, bytes(range(256)).decode("latin-1") * 20)


def test_a_file_of_fifty_megabytes_is_refused_by_size(owner):
    with pytest.raises(ImportRefused, match="larger than"):
        import_text(owner, "%" * (50 * 1024 * 1024))


def test_the_import_remembers_string_macros_for_export(owner):
    import_text(owner)
    assert PublicationSettings.objects.get(profile=owner).string_macros == {
        "icml": "International Conference on Machine Learning"
    }


# --- The command ----------------------------------------------------------------------


def test_the_command_imports_a_file_and_prints_the_report(owner, tmp_path, capsys):
    path = tmp_path / "papers.bib"
    path.write_text(BIB, encoding="utf-8")
    call_command("import_bibtex", str(path), "--site", "ada")
    assert "3 added" in capsys.readouterr().out
    call_command("import_bibtex", str(path), "--site", "ada", "--dry-run")
    assert "3 would be unchanged" in capsys.readouterr().out


def test_the_command_fails_when_nothing_could_be_imported(owner, tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text("@article{broken,\n  title = {Unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_bibtex", str(path), "--site", "ada")


def test_the_command_names_a_site_that_does_not_exist(tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(BIB, encoding="utf-8")
    with pytest.raises(CommandError, match="no site"):
        call_command("import_bibtex", str(path), "--site", "nobody")


# --- The publications page ------------------------------------------------------------


@pytest.fixture
def with_papers(owner):
    import_text(owner)
    return owner


def test_the_page_groups_by_year_newest_first_in_file_order(site_client, with_papers):
    html = site_client("ada").get("/publications/").content.decode()
    years = re.findall(r'<h2 class="pub-year"[^>]*>(\d+)</h2>', html)
    assert years == ["2024", "2023"]
    assert html.index('id="lovelace2024engines"') < html.index('id="lovelace2024second"')


def test_the_navigation_shows_publications_only_when_there_are_some(site_client, owner):
    assert "/publications/" not in site_client("ada").get("/").content.decode()
    assert site_client("ada").get("/publications/").status_code == 404
    import_text(owner)
    assert 'href="/publications/"' in site_client("ada").get("/").content.decode()


def test_the_owners_name_is_highlighted(site_client, with_papers):
    html = site_client("ada").get("/publications/").content.decode()
    assert '<em class="author-self">Ada Lovelace</em>' in html


def test_name_variants_match_initials_and_accents(site_client, owner):
    PublicationSettings.objects.create(profile=owner, name_variants="Lovelace, A. K.")
    import_text(
        owner, "@article{x, title={T}, author={Lov{\\'e}lace, A. and Other, B.}, year={2020}}"
    )
    owner.last_name = "Lovélace"
    owner.save()
    html = site_client("ada").get("/publications/").content.decode()
    assert '<em class="author-self">A. Lovélace</em>' in html


def test_a_coauthor_from_the_sites_map_is_linked(site_client, with_papers):
    Coauthor.objects.create(
        profile=with_papers, name_variants="Babbage, C.", url="https://babbage.example/"
    )
    html = site_client("ada").get("/publications/").content.decode()
    assert '<a href="https://babbage.example/" rel="noopener">Charles Babbage</a>' in html


def test_a_coauthor_with_a_published_site_here_is_linked_automatically(site_client, with_papers):
    make_researcher("grace", first_name="Grace", last_name="Hopper")
    html = site_client("ada").get("/publications/").content.decode()
    assert 'class="author-site" href="http://grace.localhost:8000/"' in html


def test_an_unpublished_coauthor_is_not_linked(site_client, with_papers):
    make_researcher("grace", first_name="Grace", last_name="Hopper", status=Profile.Status.PENDING)
    html = site_client("ada").get("/publications/").content.decode()
    assert "grace.localhost" not in html


def test_authors_beyond_the_limit_fold_into_and_n_more_without_script(site_client, with_papers):
    PublicationSettings.objects.update_or_create(
        profile=with_papers, defaults={"max_author_limit": 1}
    )
    html = site_client("ada").get("/publications/").content.decode()
    assert '<details class="more-authors"><summary>2 more authors</summary>' in html


def test_a_venue_badge_takes_its_colour_and_link_from_the_sites_venues(site_client, with_papers):
    Venue.objects.create(profile=with_papers, abbr="ICML", color="#00369f", url="https://icml.cc/")
    html = site_client("ada").get("/publications/").content.decode()
    assert (
        '<abbr class="pub-badge" style="background-color:#00369f;color:#ffffff"><a href="https://icml.cc/"'
        in html
    )


def test_buttons_and_panels_show_without_script(site_client, with_papers):
    html = site_client("ada").get("/publications/").content.decode()
    assert 'class="pub-toggle pub-toggle--abs"' in html and ">Abs</label>" in html
    assert ">Bib</label>" in html
    assert 'href="https://example.org/code"' in html
    assert 'href="https://doi.org/10.1000/jir.2023.12"' in html
    assert "engines.pdf" not in html  # a file name nobody uploaded shows no button
    assert "data-pub-search" in html and "hidden" in html


HOSTILE_BIB = r"""
@article{evil,
  title = {<script>alert(1)</script><img src=x onerror=alert(1)>Safe title},
  author = {Mallory, Eve},
  journal = {J},
  year = {2024},
  pdf = {javascript:alert(1)},
  url = {javascript:alert(1)},
  code = {vbscript:msgbox(1)},
  html = {data:text/html,<script>alert(1)</script>},
  annotation = {<a href="javascript:alert(1)">click</a> <svg onload=alert(1)>},
  abstract = {<iframe src="javascript:alert(1)"></iframe>},
  award = {<img src=x onerror=alert(1)>},
  award_name = {<b onmouseover=alert(1)>x</b>},
  abbr = {<script>x</script>},
  bibtex_show = {true},
}
"""


def script_in_main(page: str) -> list[str]:
    """Ways to run script in a page's <main>, beside our own form controls."""
    main = page.split('<main id="content"', 1)[1].split("</main>", 1)[0]
    ours = re.compile(r'<input type="(checkbox|search)" class="pub-(toggle|search)[^>]*>')
    return ways_to_run_script(ours.sub("", main.split(">", 1)[1]))


def test_hostile_bibtex_keeps_no_way_to_run_script_on_the_pages(site_client, owner):
    report = import_text(owner, HOSTILE_BIB)
    assert report.added == ["evil"]
    assert any(
        "javascript" in w["message"].lower() or "pdf" in w["message"] for w in report.warnings
    )
    for path in ("/publications/", "/publications/evil/", "/publications.bib"):
        response = site_client("ada").get(path)
        assert response.status_code == 200, path
        if path != "/publications.bib":
            page = response.content.decode()
            assert script_in_main(page) == [], path
            assert "alert(1)" not in page.split("<main", 1)[0], path  # nor in the head


# --- The paper page --------------------------------------------------------------------


class MetaTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("citation_"):
            self.tags.append((attrs["name"], attrs.get("content", "")))
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag):
        self._in_jsonld = False


def test_a_paper_page_carries_highwire_tags_for_google_scholar(site_client, with_papers):
    response = site_client("ada").get("/publications/lovelace2023poetical/")
    assert response.status_code == 200
    parser = MetaTags()
    parser.feed(response.content.decode())
    tags = dict(parser.tags)
    assert tags["citation_title"] == "A Poetical Science"
    assert ("citation_author", "Lovelace, Ada") in parser.tags
    assert tags["citation_publication_date"] == "2023"
    assert tags["citation_journal_title"] == "Journal of Imaginary Results"
    assert tags["citation_volume"] == "12" and tags["citation_issue"] == "3"
    assert tags["citation_firstpage"] == "101" and tags["citation_lastpage"] == "115"
    assert tags["citation_doi"] == "10.1000/jir.2023.12"


def test_a_paper_page_has_scholarly_article_json_ld(site_client, with_papers):
    parser = MetaTags()
    parser.feed(site_client("ada").get("/publications/lovelace2024engines/").content.decode())
    data = json.loads(parser.jsonld[0])
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == "Notes on the Analytical Engine"
    assert [a["name"] for a in data["author"]] == [
        "Ada Lovelace",
        "Charles Babbage",
        "Mary Somerville",
    ]
    assert data["datePublished"] == "2024-07"
    assert "x" in data["abstract"]


def test_an_uploaded_pdf_becomes_the_citation_pdf_url(site_client, with_papers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from publications.services import store_paper_file
    from tests.conftest import pdf_bytes

    store_paper_file(
        profile=with_papers,
        upload=SimpleUploadedFile("engines.pdf", pdf_bytes()),
        name="engines.pdf",
    )
    parser = MetaTags()
    html = site_client("ada").get("/publications/lovelace2024engines/").content.decode()
    parser.feed(html)
    pdf = dict(parser.tags)["citation_pdf_url"]
    assert re.fullmatch(r"http://ada\.localhost:8000/media/sites/\d+/files/[0-9a-f]+\.pdf", pdf)
    download = site_client("ada").get(pdf.removeprefix("http://ada.localhost:8000"))
    assert download.status_code == 200
    assert 'filename="engines.pdf"' in download.headers["Content-Disposition"]
    list_html = site_client("ada").get("/publications/").content.decode()
    assert ">PDF</a>" in list_html


def test_a_paper_with_a_slash_in_its_key_has_a_page(site_client, owner):
    import_text(owner, "@article{10.1093/bioadv/vbaf130, title={T}, author={A, B}, year={2025}}")
    assert site_client("ada").get("/publications/10.1093/bioadv/vbaf130/").status_code == 200
    bib = site_client("ada").get("/publications/10.1093/bioadv/vbaf130/bibtex/")
    assert bib.status_code == 200 and b"@article{10.1093/bioadv/vbaf130" in bib.content


def test_a_hidden_paper_is_gone_from_every_page(site_client, with_papers):
    Publication.objects.filter(key="lovelace2023poetical").update(is_visible=False)
    assert site_client("ada").get("/publications/lovelace2023poetical/").status_code == 404
    assert "lovelace2023poetical" not in site_client("ada").get("/publications/").content.decode()
    assert b"lovelace2023poetical" not in site_client("ada").get("/publications.bib").content


def test_the_sitemap_lists_the_paper_pages(site_client, with_papers):
    xml = site_client("ada").get("/sitemap.xml").content.decode()
    assert "http://ada.localhost:8000/publications/</loc>" in xml
    assert "http://ada.localhost:8000/publications/lovelace2024engines/</loc>" in xml


# --- Selected papers on the about page ------------------------------------------------------


def test_selected_papers_show_on_the_about_page_after_the_bio(site_client, with_papers):
    html = site_client("ada").get("/").content.decode()
    assert "selected publications" in html
    assert html.index('class="bio') < html.index('class="selected-papers"')
    assert 'id="lovelace2024engines"' in html and 'id="lovelace2023poetical"' not in html


def test_the_page_option_hides_selected_papers(site_client, with_papers):
    with_papers.show_selected_papers = False
    with_papers.save()
    assert "selected publications" not in site_client("ada").get("/").content.decode()


# --- Export ------------------------------------------------------------------------------


def test_importing_an_export_changes_nothing(site_client, with_papers, second_researcher):
    exported = site_client("ada").get("/publications.bib").content.decode()
    report = import_text(with_papers, exported)
    assert report.added == [] and report.updated == [] and len(report.unchanged) == 3
    report = import_text(second_researcher, exported)
    assert len(report.added) == 3


# --- Query counts ----------------------------------------------------------------------------


def many_papers(n: int) -> str:
    return "\n".join(
        f"@article{{p{i}, title={{Paper {i}}}, author={{Lovelace, Ada and Author{i}, A.}}, "
        f"journal={{J}}, year={{{2000 + i % 20}}}, abbr={{J}}, abstract={{About {i}.}}, "
        f"bibtex_show={{true}}, pdf={{p{i}.pdf}}}}"
        for i in range(n)
    )


@pytest.mark.parametrize("n", [5, 500])
def test_the_publications_page_costs_the_same_queries_for_5_and_500_papers(
    site_client, owner, django_assert_num_queries, n
):
    import_text(owner, many_papers(n))
    client = site_client("ada")
    client.get("/publications/")  # warm the tenancy cache and the people index
    # The papers, the settings, the venues, the files, the co-authors, and
    # whether the site has news (the navigation and the feed link).
    with django_assert_num_queries(6):
        assert client.get("/publications/").status_code == 200


@pytest.mark.parametrize("n", [5, 500])
def test_a_paper_page_costs_the_same_queries_for_5_and_500_papers(
    site_client, owner, django_assert_num_queries, n
):
    import_text(owner, many_papers(n))
    client = site_client("ada")
    client.get("/publications/p1/")
    # The paper, the settings, the venues, the files, the co-authors, and
    # whether the site has news.
    with django_assert_num_queries(6):
        assert client.get("/publications/p1/").status_code == 200


# --- Previews ---------------------------------------------------------------------------


def test_the_owners_preview_shows_the_publications_of_a_pending_site(owner_client, owner):
    import_text(owner)
    owner.status = Profile.Status.PENDING
    owner.save()
    html = owner_client.get("/dashboard/preview/publications/").content.decode()
    assert 'href="/dashboard/preview/publications/lovelace2024engines/"' in html
    assert 'href="/dashboard/preview/publications/" aria-current="page"' in html
    paper = owner_client.get("/dashboard/preview/publications/lovelace2024engines/")
    assert paper.status_code == 200 and b"Notes on the" in paper.content


def test_a_venue_macro_ending_in_a_comma_is_not_followed_by_a_second_one(owner, site_client):
    text = (
        "@string{cvpr = {IEEE Conference on Computer Vision and Pattern Recognition,}}\n"
        "@inproceedings{a2024, title = {T}, author = {Lovelace, Ada}, booktitle = cvpr, "
        "year = {2024}}\n"
    )
    import_bibtex(profile=owner, text=text, source="test")

    html = site_client("ada").get("/publications/").content.decode()

    assert "Pattern Recognition</em>, 2024" in html
