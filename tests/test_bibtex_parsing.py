"""publications.bibtex: .bib files to entries, names, display text and Publication values.

The corpus tests read the nine real al-folio sites in ../shared/corpus (skipped where
that folder is absent); the others build their input here.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from django.conf import settings

from publications.bibtex import (
    NotBibtex,
    ParsedEntry,
    display_bibtex,
    format_entry,
    latex_to_unicode,
    parse_bibtex,
    parse_names,
    publication_values,
)
from publications.bibtex import split as split_module
from publications.bibtex.fields import MAX_LENGTHS
from publications.bibtex.names import name_parts, split_names
from publications.models import ALFOLIO_FIELDS, Publication

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
BIB_FILES = sorted(CORPUS.glob("*/_bibliography/*.bib")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not BIB_FILES, reason=f"the real al-folio sites are not at {CORPUS} (../shared/corpus)"
)

# What each corpus file gives: (entries, problems). None of them has a broken entry.
CORPUS_RESULTS = {
    "NeoNeuron__neoneuron.github.io/papers.bib": (2, 0),
    "Ryan0v0__Ryan0v0.github.io-original/papers.bib": (1, 0),
    "ellisbrown__ellisbrown.github.io/_example.bib": (7, 0),
    "ellisbrown__ellisbrown.github.io/papers.bib": (16, 0),
    "ellisbrown__ellisbrown.github.io/reports.bib": (4, 0),
    "ellisbrown__ellisbrown.github.io/talks.bib": (3, 0),
    "jiaye-wu__jiaye-wu.github.io/papers.bib": (56, 0),
    "jiaye-wu__jiaye-wu.github.io/papers_thesis_en.bib": (2, 0),
    "joahannes__joahannes.github.io/papers.bib": (34, 0),
    "pengr__pengr.github.io/papers.bib": (18, 0),
    "rodosingh__rodosingh.github.io/papers.bib": (5, 0),
    "sdaza__sdaza.github.io/sdaza.bib": (20, 0),
    "tirtharajdash__tirtharajdash.github.io/papers.bib": (62, 0),
}
EN_DASH = "\u2013"
ENTRY_START = re.compile(r"^[^\S\n]*@\s*(\w+)\s*[{(]", re.M)


def corpus_name(path: Path) -> str:
    return f"{path.parents[1].name}/{path.name}"


def read_corpus(site: str, name: str = "papers.bib") -> str:
    return (CORPUS / site / "_bibliography" / name).read_text(encoding="utf-8")


def corpus_entry(site: str, key: str, name: str = "papers.bib") -> ParsedEntry:
    result = parse_bibtex(read_corpus(site, name))
    return next(entry for entry in result.entries if entry.key == key)


def only_entry(text: str) -> ParsedEntry:
    result = parse_bibtex(text)
    assert result.problems == []
    assert len(result.entries) == 1
    return result.entries[0]


def values_of(text: str) -> tuple[dict, list[str]]:
    return publication_values(only_entry(text))


# --- The real sites ----------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("path", BIB_FILES, ids=corpus_name)
def test_every_corpus_file_gives_each_of_its_entries_once(path):
    text = path.read_text(encoding="utf-8")
    written = [
        kind
        for kind in ENTRY_START.findall(text)
        if kind.lower() not in ("string", "comment", "preamble")
    ]

    result = parse_bibtex(text)

    assert len(result.entries) + len(result.problems) == len(written)
    reasons = [f"line {problem.line}: {problem.reason}" for problem in result.problems]
    assert (len(result.entries), len(result.problems)) == CORPUS_RESULTS[corpus_name(path)], reasons
    assert [entry.position for entry in result.entries] == list(range(len(result.entries)))


@needs_corpus
def test_the_corpus_table_names_every_corpus_file():
    assert sorted(CORPUS_RESULTS) == sorted(corpus_name(path) for path in BIB_FILES)


@needs_corpus
def test_latex_accents_in_a_corpus_name_are_decoded():
    entry = corpus_entry("tirtharajdash__tirtharajdash.github.io", "10.1093/bioadv/vbaf130")
    values, _ = publication_values(entry)

    assert [author["last"] for author in values["authors"]] == ["Dash", "Bornelöv"]
    assert values["authors"][1]["original"] == 'Bornel{\\"o}v, Susanne'
    assert values["month"] == 6  # month = {06}


@needs_corpus
def test_a_braced_da_costa_is_a_last_name_and_a_bare_da_is_a_von_part():
    # The file braces his name, {da Costa}: BibTeX reads that as one last-name word.
    entry = corpus_entry("joahannes__joahannes.github.io", "da2026multiobjective")
    da_costa = publication_values(entry)[0]["authors"][0]
    assert (da_costa["first"], da_costa["von"], da_costa["last"]) == (
        "Joahannes B D",
        "",
        "da Costa",
    )

    # Elsewhere in the same file, "da Silva, Marco AC" is written without braces.
    result = parse_bibtex(read_corpus("joahannes__joahannes.github.io"))
    names = [name for entry in result.entries for name in parse_names(entry.fields["author"])]
    da_silva = next(name for name in names if name["original"] == "da Silva, Marco AC")
    assert (da_silva["von"], da_silva["first"]) == ("da", "Marco AC")


@needs_corpus
def test_a_braced_chinese_name_stays_whole():
    entry = corpus_entry("jiaye-wu__jiaye-wu.github.io", "WuJiaYe2015")
    authors = publication_values(entry)[0]["authors"]

    assert [author["last"] for author in authors] == ["吴嘉野", "刘晓纯", "黄倩莹", "张倩苇"]
    assert all(author["first"] == author["von"] == "" for author in authors)
    assert authors[0]["original"] == "{吴嘉野}"


@needs_corpus
def test_marks_on_corpus_names_are_taken_off():
    entry = corpus_entry("jiaye-wu__jiaye-wu.github.io", "Jia-YeWu2019")
    authors = publication_values(entry)[0]["authors"]

    assert [(author["last"], author["marks"]) for author in authors] == [
        ("Wu", "†"),
        ("Wu", "†"),
        ("Yang", "*"),
        ("Li", ""),
    ]
    assert publication_values(entry)[0]["month"] == 10  # month = oct


@needs_corpus
def test_a_biblatex_date_without_year_gives_the_year():
    entry = corpus_entry("sdaza__sdaza.github.io", "aldea2026", "sdaza.bib")
    values, warnings = publication_values(entry)

    assert "year" not in entry.fields
    assert (values["year"], values["month"]) == (2026, None)
    assert values["venue"] == "Mathematical Population Studies"  # journaltitle
    assert warnings == []


@needs_corpus
def test_a_string_macro_used_as_booktitle_expands_to_its_text():
    result = parse_bibtex(read_corpus("rodosingh__rodosingh.github.io"))
    entry = next(entry for entry in result.entries if entry.key == "singh2024previously")

    cvpr = "IEEE Conference on Computer Vision and Pattern Recognition,"
    assert result.macros["cvpr"] == cvpr
    assert entry.fields["booktitle"] == cvpr
    assert publication_values(entry)[0]["venue"] == cvpr
    assert entry.warnings == []
    assert len(result.macros) == 18


@needs_corpus
def test_a_repeated_year_in_a_corpus_entry_gives_a_warning_and_the_last_value():
    entry = corpus_entry("ellisbrown__ellisbrown.github.io", "li2023diffusion")

    assert entry.fields["year"] == "2023"
    assert entry.warnings == ['The field "year" appears twice; the last value is kept.']
    assert publication_values(entry)[0]["year"] == 2023


@needs_corpus
def test_a_site_root_link_in_the_corpus_is_dropped_with_a_warning():
    entry = corpus_entry("ellisbrown__ellisbrown.github.io", "brown2021separableopt", "talks.bib")
    values, warnings = publication_values(entry)

    assert values["blog"] == ""
    assert warnings == [
        'The field "blog" was dropped: "/blog/2021/julia-first-order/" is neither a web '
        "address (http:// or https://) nor the name of a file of this site."
    ]


@needs_corpus
@pytest.mark.parametrize("path", BIB_FILES, ids=corpus_name)
def test_format_entry_round_trips_every_corpus_entry(path):
    for entry in parse_bibtex(path.read_text(encoding="utf-8")).entries:
        written = format_entry(entry.entry_type, entry.key, entry.fields)
        again = only_entry(written)
        assert (again.entry_type, again.key, again.fields) == (
            entry.entry_type,
            entry.key,
            entry.fields,
        )


@needs_corpus
@pytest.mark.parametrize("path", BIB_FILES, ids=corpus_name)
def test_the_fast_path_reads_corpus_files_exactly_as_bibtexparser_does(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    fast = parse_bibtex(text)
    monkeypatch.setattr(split_module, "_fast_entry", lambda *args: None)
    slow = parse_bibtex(text)

    assert fast == slow


@needs_corpus
def test_name_shortcuts_agree_with_bibtexparser_on_every_corpus_name():
    lists = [
        entry.fields[field]
        for path in BIB_FILES
        for entry in parse_bibtex(path.read_text(encoding="utf-8")).entries
        for field in ("author", "editor")
        if field in entry.fields
    ]
    assert len(lists) > 200
    for names in lists:
        assert split_names(names) == split_multiple_persons_names(names)
        for name in split_multiple_persons_names(names):
            parts = parse_single_name_into_parts(name, strict=False)
            assert name_parts(name) == (parts.first, parts.von, parts.last, parts.jr)


@needs_corpus
def test_every_corpus_entry_gives_values_that_fit_the_model():
    columns = {
        field.name
        for field in Publication._meta.get_fields()
        if field.concrete and not field.auto_created and field.editable
    } - {"profile", "is_visible", "created_at", "updated_at"}
    for path in BIB_FILES:
        for entry in parse_bibtex(path.read_text(encoding="utf-8")).entries:
            values, _ = publication_values(entry)
            assert set(values) == columns
            for name, limit in MAX_LENGTHS.items():
                assert len(values[name]) <= limit


def test_the_length_caps_are_the_models():
    for name, limit in MAX_LENGTHS.items():
        assert Publication._meta.get_field(name).max_length == limit, name
    capped = {
        field.name
        for field in Publication._meta.get_fields()
        if getattr(field, "max_length", None) and field.name not in ("profile",)
    }
    assert capped == set(MAX_LENGTHS)


# --- Reading files -------------------------------------------------------------------

GOOD = """@article{first,
  title = {First},
  year = {2020}
}
"""


def test_front_matter_is_skipped_and_its_lines_still_count():
    result = parse_bibtex("---\nlayout: none\n---\n\n" + GOOD)

    assert [(entry.key, entry.line) for entry in result.entries] == [("first", 5)]
    assert result.entries[0].raw == GOOD.strip()


def test_a_broken_entry_between_two_good_ones_is_a_problem_and_both_come_through():
    text = (
        "% my papers\n"
        "@article{good1,\n  title = {One},\n  year = {2020}\n}\n\n"
        "@article{broken,\n  title = {Never {closed},\n  year = {2021}\n}\n\n"
        "@inproceedings{good2,\n  title = {Two},\n  year = 2022,\n}\n"
    )
    result = parse_bibtex(text)

    assert [(entry.key, entry.line, entry.position) for entry in result.entries] == [
        ("good1", 2, 0),
        ("good2", 12, 1),
    ]
    [problem] = result.problems
    assert (problem.key, problem.line) == ("broken", 7)
    assert problem.reason == (
        "The braces are not balanced: a { is never closed before the next entry, on line 12."
    )
    assert problem.raw.startswith("@article{broken,")


def test_unbalanced_braces_at_the_end_of_the_file_are_a_problem():
    result = parse_bibtex(GOOD + "\n@misc{last,\n  title = {Unclosed\n")

    assert [entry.key for entry in result.entries] == ["first"]
    [problem] = result.problems
    assert (problem.key, problem.line) == ("last", 6)
    assert problem.reason.startswith("The braces are not balanced: a { is never closed")


def test_ten_thousand_unclosed_braces_are_a_problem_not_a_crash():
    result = parse_bibtex(GOOD + "@misc{deep,\n  title = " + "{" * 10_000 + "x\n}\n")

    assert [entry.key for entry in result.entries] == ["first"]
    assert [problem.key for problem in result.problems] == ["deep"]


def test_ten_thousand_nested_braces_are_read_and_decoded_without_recursion():
    nested = "{" * 10_000 + "x" + "}" * 10_000
    entry = only_entry(f"@misc{{deep,\n  title = {nested},\n  author = {nested}\n}}\n")
    values, _ = publication_values(entry)

    assert values["title"] == "x"
    assert [author["last"] for author in values["authors"]] == ["x"]
    assert latex_to_unicode("\\textbf" + nested) == "x"


def test_an_unclosed_quote_is_a_problem():
    result = parse_bibtex('@misc{q,\n  title = "Never closed,\n}\n\n' + GOOD)

    assert [entry.key for entry in result.entries] == ["first"]
    [problem] = result.problems
    assert (
        problem.reason
        == 'A value opens a quote (") that is never closed before the next entry, on line 5.'
    )


@pytest.mark.parametrize(
    "text",
    [
        "@article{title = {No key}, year = {2020}}\n",
        "@article{, title = {No key}, year = {2020}}\n",
    ],
)
def test_an_entry_without_a_key_is_a_problem(text):
    result = parse_bibtex(text + "\n" + GOOD)

    assert [entry.key for entry in result.entries] == ["first"]
    [problem] = result.problems
    assert problem.key is None
    assert problem.line == 1
    assert problem.reason.startswith("The entry has no citation key")


def test_a_missing_comma_between_fields_is_a_problem():
    result = parse_bibtex("@article{x,\n  title = {A}\n  year = {2020}\n}\n")

    [problem] = result.problems
    assert problem.key == "x"
    assert "a comma is probably missing" in problem.reason


def test_a_duplicate_citation_key_keeps_the_first_entry():
    result = parse_bibtex(GOOD + "\n@article{first,\n  title = {Again}\n}\n")

    assert [entry.fields["title"] for entry in result.entries] == ["First"]
    [problem] = result.problems
    assert (problem.key, problem.line) == ("first", 6)
    assert problem.reason == (
        'The citation key "first" is already used by the entry on line 1; '
        "this later entry is left out."
    )


def test_a_repeated_field_keeps_the_last_value_with_a_warning():
    entry = only_entry("@article{x,\n  year = {2019},\n  title = {T},\n  Year = 2021\n}\n")

    assert entry.fields == {"year": "2021", "title": "T"}
    assert entry.warnings == ['The field "year" appears twice; the last value is kept.']


def test_string_macros_concatenation_and_month_names_are_expanded():
    text = (
        "@string{proc = {Proceedings of the }}\n"
        '@STRING{conf = proc # "International Conference"}\n'
        "@comment{anything {at all}}\n"
        '@preamble{"\\newcommand{\\noop}[1]{}"}\n'
        "@inproceedings{x,\n  booktitle = conf # { on Things},\n  month = oct,\n"
        "  note = nov # {~1},\n  year = 2024\n}\n"
    )
    result = parse_bibtex(text)
    [entry] = result.entries

    assert result.macros == {
        "proc": "Proceedings of the ",
        "conf": "Proceedings of the International Conference",
    }
    assert entry.fields == {
        "booktitle": "Proceedings of the International Conference on Things",
        "month": "October",
        "note": "November~1",
        "year": "2024",
    }
    assert entry.line == 5


def test_an_undefined_macro_keeps_its_name_with_a_warning():
    entry = only_entry("@inproceedings{x,\n  booktitle = cvpr,\n}\n")

    assert entry.fields == {"booktitle": "cvpr"}
    assert entry.warnings == [
        'The field "booktitle" uses the abbreviation "cvpr", which no @string in the file '
        "defines; its name is kept as the value."
    ]


def test_a_field_commented_out_with_a_percent_sign_is_ignored_with_a_warning():
    entry = only_entry("@article{x,\n  title = {T},\n% pdf = {old.pdf},\n  year = {2020}\n}\n")

    assert entry.fields == {"title": "T", "year": "2020"}
    assert entry.warnings == ['A field commented out with % was ignored: "% pdf = {old.pdf}".']


def test_text_after_an_entry_closed_too_early_gives_a_warning():
    result = parse_bibtex("@article{x,\n  title = {T}},\n  year = {2020}\n}\n")

    [entry] = result.entries
    assert entry.fields == {"title": "T"}
    assert entry.warnings == [
        'Some text after the end of this entry was not read (line 2: ", year = {2020} }"): '
        "a } probably closes the entry too early."
    ]


def test_an_entry_start_without_a_brace_is_reported():
    result = parse_bibtex(GOOD + "\n@article key2,\n  title = {Lost}\n")

    assert [entry.key for entry in result.entries] == ["first"]
    [problem] = result.problems
    assert problem.line == 6
    assert "the type is not followed by {" in problem.reason


def test_html_in_a_title_is_kept_as_text_for_the_sanitizer():
    title = '<script>alert("x")</script> Robust <i>p</i>-adic <img src=x onerror=alert(1)>'
    values, _ = values_of("@article{x,\n  title = {" + title + "}\n}\n")

    assert values["title"] == title


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "The file is empty"),
        ("   \n\n  ", "The file is empty"),
        ("% only a comment\n@comment{nothing}\n", "This is not a BibTeX file"),
        ("Dear colleague, my papers are at https://example.org.", "This is not a BibTeX file"),
    ],
)
def test_text_without_entries_is_not_bibtex(text, says):
    with pytest.raises(NotBibtex) as raised:
        parse_bibtex(text)
    assert str(raised.value).startswith(says)


def test_an_html_page_is_not_bibtex():
    page = (
        "<!DOCTYPE html>\n<html><head><title>Papers</title>\n"
        "<style>@media (max-width: 600px) { body { margin: 0 } }\n"
        "@supports(display:grid) { main { display: grid } }</style></head>\n"
        '<body><p>Mail me at someone@example.org</p><a href="x.bib">@article{</a></body></html>\n'
    )
    with pytest.raises(NotBibtex) as raised:
        parse_bibtex(page)
    assert str(raised.value).startswith("This is an HTML page, not a BibTeX file")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (random.Random(7).randbytes(20_000), "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 20, "a Word document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 20, "a PDF document"),
    ],
)
def test_binary_files_are_not_bibtex(data, kind):
    with pytest.raises(NotBibtex) as raised:
        parse_bibtex(data.decode("latin-1"))
    assert str(raised.value).startswith(f"This is not a BibTeX file: it looks like {kind}")


def test_a_five_megabyte_file_parses():
    rng = random.Random(5)
    words = "graph neural causal vision model robust data learning".split()
    parts = []
    for i in range(2_700):
        abstract = " ".join(rng.choice(words) for _ in range(250))
        parts.append(
            f'@article{{k{i},\n  title = {{{{LSTM}} {rng.choice(words)} --- Bornel{{\\"o}}v}},\n'
            f'  author = {{M{{\\"u}}ller*, Ann and Smith, Bo and others}},\n'
            f"  journal = {{J}},\n  year = {{{2000 + i % 25}}},\n  month = oct,\n"
            f"  abstract = {{{abstract}}}\n}}\n"
        )
    text = "\n".join(parts)
    assert len(text) > 5_000_000

    result = parse_bibtex(text)

    assert len(result.entries) == 2_700
    assert result.problems == []
    assert result.entries[-1].line == text.count("\n", 0, text.rindex("@article")) + 1
    values, _ = publication_values(result.entries[-1])
    assert values["title"].startswith("LSTM")
    assert values["month"] == 10


# --- Links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "java\nscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x.pdf",
        "/blog/post/",
        "../../secret.pdf",
        "papers/../../secret.pdf",
        "papers\\\\x.pdf",
        "ftp://example.org/x.pdf",
    ],
)
@pytest.mark.parametrize("field", ["pdf", "url", "code", "preview"])
def test_a_link_that_is_neither_a_web_address_nor_a_file_name_is_dropped(field, link):
    values, warnings = values_of(f"@article{{x,\n  {field} = {{{link}}}\n}}\n")

    assert values[field] == ""
    [warning] = warnings
    assert warning.startswith(f'The field "{field}" was dropped: ')


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("https://arxiv.org/pdf/2405.11487", "https://arxiv.org/pdf/2405.11487"),
        ("HTTP://example.org/a?b=1#c", "HTTP://example.org/a?b=1#c"),
        (
            "https://doi.org/10.1007/978-3-030-30484-3\\_3",
            "https://doi.org/10.1007/978-3-030-30484-3_3",
        ),
        ("\\url{https://example.org/~me}", "https://example.org/~me"),
        ("paper.pdf", "paper.pdf"),
        ("2019_posters/bnn poster.pdf", "2019_posters/bnn poster.pdf"),
    ],
)
def test_web_addresses_and_file_names_are_kept(written, kept):
    values, warnings = values_of(f"@article{{x,\n  pdf = {{{written}}}\n}}\n")

    assert (values["pdf"], warnings) == (kept, [])


# --- Publication values --------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry_type", "fields", "venue"),
    [
        ("article", "journal = {J}, booktitle = {B}", "J"),
        ("article", "journaltitle = {JT}, publisher = {P}", "JT"),
        ("article", "booktitle = {B}", "B"),
        ("inproceedings", "journal = {J}, booktitle = {B}", "B"),
        ("conference", "booktitle = {B}, organization = {O}", "B"),
        ("incollection", "booktitle = {B}, publisher = {P}", "B"),
        ("phdthesis", "school = {S}, institution = {I}", "S"),
        ("mastersthesis", "institution = {I}", "I"),
        ("thesis", "school = {Universit{\\'e} Laval}", "Université Laval"),
        ("techreport", "institution = {I}, publisher = {P}", "I"),
        ("report", "institution = {I}", "I"),
        ("book", "publisher = {P}, organization = {O}", "P"),
        ("inbook", "publisher = {P}", "P"),
        ("misc", "howpublished = {H}, publisher = {P}", "H"),
        ("misc", "organization = {O}", "O"),
        ("unpublished", "note = {N}", ""),
    ],
)
def test_the_venue_is_the_field_the_type_calls_for(entry_type, fields, venue):
    values, _ = values_of(f"@{entry_type}{{x, {fields}}}")

    assert values["venue"] == venue


def test_the_venue_field_used_is_not_repeated_in_extra_but_the_others_are():
    values, _ = values_of(
        "@inproceedings{x, booktitle = {B}, journal = {J}, note = {A {Note}}, timestamp = {T}}"
    )

    assert values["venue"] == "B"
    assert values["extra"] == {"journal": "J", "note": "A {Note}", "timestamp": "T"}


@pytest.mark.parametrize(
    ("month", "number"),
    [
        ("oct", 10),
        ("{oct}", 10),
        ("{October}", 10),
        ("{january}", 1),
        ("{Jan.}", 1),
        ("{{Mar.}}", 3),
        ("{Sept.}", 9),
        ("{06}", 6),
        ("{6}", 6),
        ("{11}", 11),
        ("{}", None),
        ("aug # {~1}", 8),
    ],
)
def test_months_in_every_form_people_write_them(month, number):
    values, warnings = values_of(f"@article{{x, year = {{2020}}, month = {month}}}")

    assert (values["month"], warnings) == (number, [])


@pytest.mark.parametrize("month", ["{Spring}", "{13}", "{0}", "{Fall 2020}"])
def test_a_month_that_is_not_a_month_is_left_out_with_a_warning(month):
    values, warnings = values_of(f"@article{{x, year = {{2020}}, month = {month}}}")

    assert values["month"] is None
    [warning] = warnings
    assert "is not a month; it was left out." in warning


@pytest.mark.parametrize(
    ("fields", "year", "month"),
    [
        ("year = {2024}", 2024, None),
        ("year = 2024", 2024, None),
        ("year = {2024a}", 2024, None),
        ("year = {Forthcoming 2025}", 2025, None),
        ("date = {2025}", 2025, None),
        ("date = {2025-06}", 2025, 6),
        ("date = {2025-06-01}", 2025, 6),
        ("date = {2022-4-6}", 2022, 4),
        ("date = {2025-06-01/2025-06-03}", 2025, 6),
        ("year = {2024}, date = {2025-06-01}", 2024, 6),
        ("year = {2024}, month = {may}, date = {2025-06-01}", 2024, 5),
    ],
)
def test_years_and_months_from_year_month_and_date(fields, year, month):
    values, warnings = values_of(f"@article{{x, {fields}}}")

    assert (values["year"], values["month"], warnings) == (year, month, [])


@pytest.mark.parametrize(
    ("fields", "warning"),
    [
        ("year = {in press}", 'The year "in press" is not a year; it was left out.'),
        ("year = {0999}", 'The year "0999" is not a year; it was left out.'),
        (
            "date = {June 2025}",
            'The date "June 2025" is not a date such as 2025, 2025-06 or 2025-06-01; '
            "it was left out.",
        ),
        ("date = {2025-13-01}", 'The date "2025-13-01" has no month 13.'),
    ],
)
def test_years_and_dates_that_make_no_sense_are_left_out_with_a_warning(fields, warning):
    values, warnings = values_of(f"@article{{x, {fields}}}")

    assert values["month"] is None
    assert warnings == [warning]


def test_number_comes_from_issue_when_there_is_no_number():
    assert values_of("@article{x, issue = {4}}")[0]["number"] == "4"
    values, _ = values_of("@article{x, number = {3}, issue = {4}}")
    assert (values["number"], values["extra"]) == ("3", {"issue": "4"})


@pytest.mark.parametrize(
    "doi",
    [
        "10.1007/978-3-030-30484-3_3",
        "10.1007/978-3-030-30484-3\\_3",
        "https://doi.org/10.1007/978-3-030-30484-3_3",
        "http://dx.doi.org/10.1007/978-3-030-30484-3_3",
        "doi:10.1007/978-3-030-30484-3_3",
        "DOI: 10.1007/978-3-030-30484-3_3",
    ],
)
def test_a_doi_loses_its_prefix(doi):
    assert values_of(f"@article{{x, doi = {{{doi}}}}}")[0]["doi"] == "10.1007/978-3-030-30484-3_3"


@pytest.mark.parametrize(
    ("written", "flag"),
    [
        ("{true}", True),
        ("{True}", True),
        ("{{yes}}", True),
        ("{ 1 }", True),
        ("1", True),
        ("{false}", False),
        ("{no}", False),
        ("{}", False),
        ("{maybe}", False),
    ],
)
def test_selected_and_bibtex_show_are_flags(written, flag):
    values, _ = values_of(f"@article{{x, selected = {written}, bibtex_show = {written}}}")

    assert (values["selected"], values["bibtex_show"]) == (flag, flag)


def test_text_fields_are_decoded_and_extra_fields_kept_as_written():
    values, warnings = values_of(
        "@article{x,\n"
        '  title = {{LSTM}s for Bornel{\\"o}v -- a {$\\mu$}m study},\n'
        '  abstract = {We reach 91\\% --- na{\\"\\i}ve.<br>\n\n  Second paragraph.},\n'
        "  award = {Best \\& brightest},\n  award_name = {Oral <strong>(1.8%)</strong>},\n"
        "  pages = {47--57},\n  publisher = {Springer},\n  abbr = {ICML},\n"
        "  arxiv = {2405.11487},\n  google_scholar_id = {WF5omc3nYNoC},\n"
        '  keywords = {Bornel{\\"o}v, C02},\n  include = {true}\n}\n'
    )

    assert values["title"] == f"LSTMs for Bornelöv {EN_DASH} a $\\mu$m study"
    assert values["abstract"] == "We reach 91% — naïve.<br>\n\nSecond paragraph."
    assert values["award"] == "Best & brightest"
    assert values["award_name"] == "Oral <strong>(1.8%)</strong>"
    assert values["pages"] == f"47{EN_DASH}57"
    assert (values["publisher"], values["abbr"], values["arxiv"]) == (
        "Springer",
        "ICML",
        "2405.11487",
    )
    assert values["google_scholar_id"] == "WF5omc3nYNoC"
    assert values["extra"] == {"keywords": 'Bornel{\\"o}v, C02', "include": "true"}
    assert warnings == []


def test_the_entry_itself_is_kept_in_raw_bibtex_with_its_position():
    result = parse_bibtex(GOOD + "\n@misc{second, title = {S}}\n")
    values, _ = publication_values(result.entries[1])

    assert values["raw_bibtex"] == "@misc{second, title = {S}}"
    assert (values["position"], values["key"], values["entry_type"]) == (1, "second", "misc")


def test_values_longer_than_their_column_are_cut_with_a_warning():
    long_link = "https://example.org/" + "a" * 2_000
    values, warnings = values_of(
        "@article{x,\n  volume = {" + "9" * 150 + "},\n  pdf = {" + long_link + "}\n}\n"
    )

    assert values["volume"] == "9" * 99 + "…"
    assert values["pdf"] == ""
    assert warnings == [
        'The field "volume" is longer than 100 characters; it was cut to fit.',
        'The field "pdf" was dropped: its link is longer than 2000 characters.',
    ]


# --- Names ---------------------------------------------------------------------------


def name(first="", von="", last="", jr="", *, original, marks="", others=False) -> dict:
    return {
        "first": first,
        "von": von,
        "last": last,
        "jr": jr,
        "original": original,
        "marks": marks,
        "others": others,
    }


def test_names_in_the_three_bibtex_forms():
    assert parse_names(
        "Knuth, Donald E. and Ludwig van Beethoven and de la Fontaine, Jr, Jean and "
        "Brinch Hansen, Per"
    ) == [
        name("Donald E.", "", "Knuth", original="Knuth, Donald E."),
        name("Ludwig", "van", "Beethoven", original="Ludwig van Beethoven"),
        name("Jean", "de la", "Fontaine", "Jr", original="de la Fontaine, Jr, Jean"),
        name("Per", "", "Brinch Hansen", original="Brinch Hansen, Per"),
    ]


def test_a_jr_after_a_first_last_name_is_a_jr():
    assert parse_names("Martin Luther King, Jr. and King, Jr., Martin Luther") == [
        name("Martin Luther", "", "King", "Jr.", original="Martin Luther King, Jr."),
        name("Martin Luther", "", "King", "Jr.", original="King, Jr., Martin Luther"),
    ]


@pytest.mark.parametrize(
    ("written", "marks"),
    [
        ("Xu*, Kai", "*"),
        ("Xu†, Kai", "†"),
        ("Xu*†, Kai", "*†"),
        ("Kai Xu*", "*"),
        ("Xu^*, Kai", "*"),
        ("Xu^{*}, Kai", "*"),
        ("Xu$^*$, Kai", "*"),
        ("Xu$^{*\\dagger}$, Kai", "*†"),
        ("Xu\\textsuperscript{*}, Kai", "*"),
        ("Xu\\textsuperscript{\\dagger}, Kai", "†"),
        ("Xu\\dagger, Kai", "†"),
        ("Xu$^\\ddagger$, Kai", "‡"),
        ("Xu, Kai", ""),
    ],
)
def test_equal_contribution_and_corresponding_marks_are_taken_off_names(written, marks):
    [parsed] = parse_names(written)

    assert (parsed["first"], parsed["last"], parsed["marks"]) == ("Kai", "Xu", marks)
    assert parsed["original"] == written


def test_and_others_becomes_others():
    names = parse_names("Yang, An and Yang, Baosong and others")

    assert names[-1] == name(original="others", others=True)
    assert [n["others"] for n in names] == [False, False, True]


def test_braced_corporate_and_cjk_names_stay_whole():
    assert parse_names(
        "{Google DeepMind} and {The ATLAS Collaboration} and {吴嘉野 (Jiaye Wu)}"
    ) == [
        name(last="Google DeepMind", original="{Google DeepMind}"),
        name(last="The ATLAS Collaboration", original="{The ATLAS Collaboration}"),
        name(last="吴嘉野 (Jiaye Wu)", original="{吴嘉野 (Jiaye Wu)}"),
    ]


def test_names_are_decoded_and_split_over_lines():
    assert parse_names(
        "Petersen, Jens\n\tand San Jos{\\'e} Est{\\'e}par, Ra{\\'u}l\n\tAND Farka{\\v{s}}, Igor"
    ) == [
        name("Jens", "", "Petersen", original="Petersen, Jens"),
        name("Raúl", "", "San José Estépar", original="San Jos{\\'e} Est{\\'e}par, Ra{\\'u}l"),
        name("Igor", "", "Farkaš", original="Farka{\\v{s}}, Igor"),
    ]


def test_odd_name_lists_do_not_break():
    assert parse_names("") == []
    assert parse_names("Efros, Alexei A., and Pathak, Deepak")[0]["first"] == "Alexei A."
    assert parse_names("{Unbalanced, Name")[0]["original"] == "{Unbalanced, Name"
    assert len(parse_names(" and ".join(["Doe, J"] * 5_000))) == 5_000


# --- LaTeX ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ('Bornel{\\"o}v', "Bornelöv"),
        ("Farka{\\v{s}}", "Farkaš"),
        ("{\\v{S}}koda", "Škoda"),
        ("Jos\\'{e}", "José"),
        ("Jos\\'e", "José"),
        ("Kurkov{\\'{a}}", "Kurková"),
        ("Ji{\\v{r}}{\\'\\i}", "Jiří"),
        ("Stra\\ss e and {\\ss}", "Straße and ß"),
        ("Erd{\\H{o}}s", "Erdős"),
        ("{\\L}ukasz", "Łukasz"),
        ("Fran\\c{c}ois", "François"),
        ("Laser \\& Photonics", "Laser & Photonics"),
        ("91\\%", "91%"),
        ("10\\_3", "10_3"),
        ("47--57", f"47{EN_DASH}57"),
        ("yes --- no", "yes — no"),
        ("A.~Turing", "A.\u00a0Turing"),
        ("``quoted''", "“quoted”"),
        ("{LSTM} models", "LSTM models"),
        ("{{PT-symmetric}} networks", "PT-symmetric networks"),
        ("$O(n \\log n)$ -- {fast}", f"$O(n \\log n)$ {EN_DASH} fast"),
        ("2 {$\\mu$}m", "2 $\\mu$m"),
        ("$$E = mc^2$$", "$$E = mc^2$$"),
        ("{\\$}e.g.{\\$}", "\\$e.g.\\$"),
        ("<i>p</i>-adic", "<i>p</i>-adic"),
        (
            '<a href="https://x.org/~me--you">a -- b</a>',
            f'<a href="https://x.org/~me--you">a {EN_DASH} b</a>',
        ),
        ("line one<br>line two", "line one<br>line two"),
        ("\\emph{really} \\textbf{bold}", "really bold"),
        ("\\LaTeX\\ and \\BibTeX", "LaTeX and BibTeX"),
        ("\\unknowncommand{argument}", "argument"),
        ("\\href{https://x.org}{the site}", "the site"),
        ("\\url{https://x.org/~me}", "https://x.org/~me"),
        ("\\~{}user", "~user"),
        ("trailing backslash \\", "trailing backslash \\"),
        ("  many   spaces\n  and lines  ", "many spaces and lines"),
        ("one\n\n  two", "one\n\ntwo"),
        ("广东科学中心", "广东科学中心"),
        ("", ""),
    ],
)
def test_latex_to_unicode(latex, text):
    assert latex_to_unicode(latex) == text


def test_odd_latex_is_readable_not_a_crash():
    for value in ["\\", "{", "}", "\\'", '\\"{', "$unclosed", "\\href{x}", "<!-- x", "\\" * 5_001]:
        assert isinstance(latex_to_unicode(value), str)


# --- Writing ---------------------------------------------------------------------------


def test_format_entry_writes_fields_in_order_with_braced_values():
    written = format_entry(
        "article", "smith2020", {"title": "The {LSTM}", "year": "2020", "month": "October"}
    )

    assert written == (
        "@article{smith2020,\n  title = {The {LSTM}},\n  year = {2020},\n  month = {October}\n}"
    )
    assert only_entry(written).fields == {"title": "The {LSTM}", "year": "2020", "month": "October"}


@pytest.mark.parametrize(
    ("entry_type", "key", "fields"),
    [
        ("article", "two words", {}),
        ("article", "", {}),
        ("art icle", "k", {}),
        ("article", "k", {"bad name": "x"}),
        ("article", "k", {"title": "unbalanced {"}),
        ("article", "k", {"title": "closes } more"}),
        ("article", "k", {"title": "ends with \\"}),
        ("article", "k", {"abstract": "text\n@article{other,"}),
    ],
)
def test_format_entry_refuses_what_would_not_read_back(entry_type, key, fields):
    with pytest.raises(ValueError, match=r"\w"):
        format_entry(entry_type, key, fields)


def test_display_bibtex_leaves_out_al_folios_own_fields():
    entry = only_entry(
        "@article{x,\n  title = {T},\n  abbr = {ICML},\n  selected = {true},\n"
        "  pdf = {x.pdf},\n  author = {Doe, J},\n  google_scholar_id = {abc},\n  year = 2020\n}\n"
    )

    shown = display_bibtex(entry)

    assert shown == "@article{x,\n  title = {T},\n  author = {Doe, J},\n  year = {2020}\n}"
    assert not any(f"  {field} = " in shown for field in ALFOLIO_FIELDS)


TRICKY = [
    GOOD,
    "@article{a,\n  title = {Set $\\{x\\}$ and \\} brace},\n  note = {ends \\\\}\n}\n" + GOOD,
    '@article{a,\n  title = "Quoted {Braces} and \\"escaped\\" quotes",\n  year = 2020\n}\n',
    '@article{a,\n  title = "A {"} quote",\n}\n',
    "@article(a,\n  title = {Parens}\n)\n@article{b, title={x}} @misc{c, title={y}}\n",
    "@article{a,\n  % a comment line\n  title = {T},\n%  pdf = {x.pdf},\n}\n",
    "@string{v = {Venue}}\n@article{a,\n  booktitle = v # { 2020},\n  month = jan # {~2}\n}\n",
    "@article{a,\n  abstract = {first line\n@article{inside, title = {x}}\n  more}\n}\n" + GOOD,
    "@article{a,\n  abstract = {line\n  @home (not an entry)\n}\n}\n",
    "@article{a,\n  title = {A}}\n  , year = {2020}\n}\n@misc{b}\n@misc{c,}\n",
    "@article{a, title = {x} year = {2020}}\n@article{b, title = {y},, year = 1}\n" + GOOD,
    "@article{a, title = {" + "{" * 500 + "x" + "}" * 500 + "}}\n",
    "@article{a, title = {x}\n" + GOOD,
    '@article{a, title = "never closed\n' + GOOD,
    "@{nokey, title = {x}}\n@article{ spaced key , title = {x}}\n" + GOOD,
    "@ARTICLE{Up,\n\tAUTHOR = {Doe, J},\n\tTitle = {T},\n\tYEAR = 2020\n}\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_fast_path_reads_odd_entries_exactly_as_bibtexparser_does(text, monkeypatch):
    fast = parse_bibtex(text)
    monkeypatch.setattr(split_module, "_fast_entry", lambda *args: None)

    assert fast == parse_bibtex(text)


def test_reading_stops_with_a_problem_after_the_most_blocks_a_file_may_hold(monkeypatch):
    monkeypatch.setattr(split_module, "MAX_BLOCKS", 3)
    text = "".join(f"@misc{{k{i}, title = {{T}}}}\n" for i in range(5))

    result = parse_bibtex(text)

    assert [entry.key for entry in result.entries] == ["k0", "k1", "k2"]
    [problem] = result.problems
    assert problem.line == 4
    assert "reading stopped here" in problem.reason


def test_a_line_of_a_thousand_broken_blocks_stops_at_the_limit(monkeypatch):
    monkeypatch.setattr(split_module, "MAX_BLOCKS", 50)

    result = parse_bibtex("@article{k, title = {x" + "@a{k," * 1_000 + "\n")

    assert result.entries == []
    assert len(result.problems) <= 51
    assert "reading stopped here" in result.problems[-1].reason
