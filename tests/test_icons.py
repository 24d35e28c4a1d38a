"""Inline SVG icons from Font Awesome Free (PyPI) and Academicons (npm)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from profiles.checks import check_icon_packages
from profiles.icons import (
    UnknownIcon,
    icon_exists,
    icon_ref_from_classes,
    icon_svg,
    inline_icons,
)


def svg_start_tag(markup: str) -> str:
    return markup[: markup.index(">") + 1]


@pytest.mark.parametrize("ref", ["fa-brands:github", "fa-solid:file-pdf", "ai:google-scholar"])
def test_an_icon_is_a_bare_decorative_svg_painted_in_the_text_colour(ref: str) -> None:
    svg = icon_svg(ref)
    start = svg_start_tag(svg)
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert re.search(r'viewBox="0 0 \d+ \d+"', start)
    assert 'fill="currentColor"' in start
    assert 'aria-hidden="true"' in start
    assert 'focusable="false"' in start
    assert 'class="icon"' in start
    assert 'width="1em" height="1em"' in start  # text-sized even before the CSS loads
    assert "<?xml" not in svg and "<!--" not in svg
    assert " id=" not in svg and "<title" not in svg and "role=" not in svg
    assert "<path" in svg


def test_academicons_lose_their_inkscape_editor_state() -> None:
    svg = icon_svg("ai:google-scholar")
    assert "inkscape" not in svg and "sodipodi" not in svg and "metadata" not in svg
    assert "style=" not in svg and "xmlns" not in svg


def test_hard_coded_fill_colours_give_way_to_the_text_colour() -> None:
    # isni.svg and zenodo.svg paint in #000000 in the package.
    for ref in ("ai:isni", "ai:zenodo"):
        assert "#000" not in icon_svg(ref)


def test_a_label_makes_the_icon_an_image_with_an_escaped_title() -> None:
    svg = icon_svg("fa-regular:envelope", label='Mail <me> & "you"')
    start = svg_start_tag(svg)
    assert 'role="img"' in start and "aria-hidden" not in start
    assert svg[len(start) :].startswith("<title>Mail &lt;me&gt; &amp; &quot;you&quot;</title>")


def test_the_css_class_is_configurable_and_escaped() -> None:
    assert svg_start_tag(icon_svg("fa-solid:book", css_class='big" onload="x')).startswith(
        '<svg class="big&quot; onload=&quot;x"'
    )


def test_an_emoji_ref_gives_a_span_with_the_same_aria_rules() -> None:
    assert icon_svg("emoji:🎓") == '<span class="icon icon-emoji" aria-hidden="true">🎓</span>'
    assert icon_svg("emoji:🎓", label="<cap>") == (
        '<span class="icon icon-emoji" role="img" aria-label="&lt;cap&gt;">🎓</span>'
    )


@pytest.mark.parametrize(
    "ref",
    [
        "fa-solid:no-such-icon",
        "ai:no-such-icon",
        "fa-solid:../../etc/passwd",
        "ai:../../../package",
        "fa-brands:GitHub",
        "fa-solid:book\n",
        "fa-solid:",
        "ai:",
        "nope:x",
        "github",
        "",
        "emoji:",
        "emoji:abc",
        "emoji:<script>",
    ],
)
def test_unknown_or_malformed_refs_raise_unknown_icon(ref: str) -> None:
    with pytest.raises(UnknownIcon):
        icon_svg(ref)
    assert not icon_exists(ref)


def test_unknown_icon_is_a_lookup_error() -> None:
    assert issubclass(UnknownIcon, LookupError)


def test_icon_exists_for_installed_icons() -> None:
    assert icon_exists("fa-brands:orcid")
    assert icon_exists("ai:arxiv")
    assert icon_exists("emoji:🔬")


@pytest.mark.parametrize(
    ("classes", "ref"),
    [
        ("ai ai-google-scholar", "ai:google-scholar"),
        ("ai ai-orcid ai-2x", "ai:orcid"),
        ("fa fa-twitter", "fa-brands:twitter"),
        ("fa fa-envelope", "fa-solid:envelope"),
        ("fa fa-weixin", "fa-brands:weixin"),
        ("fa fa-github", "fa-brands:github"),
        ("fa fa-envelope-o", "fa-regular:envelope"),
        ("fa fa-file-pdf-o", "fa-regular:file-pdf"),
        ("fa fa-graduation-cap fa-fw", "fa-solid:graduation-cap"),
        ("fa-solid fa-file-pdf", "fa-solid:file-pdf"),
        ("fa-brands fa-github", "fa-brands:github"),
        ("fab fa-github", "fa-brands:github"),
        ("fab fa-github fa-lg", "fa-brands:github"),
        ("fas fa-book", "fa-solid:book"),
        ("fas fa-spin fa-2x fa-book", "fa-solid:book"),
        ("far fa-envelope", "fa-regular:envelope"),
        ("fas fa-x", "fa-solid:x"),
        # Font Awesome 5 names renamed in 6
        ("fas fa-home", "fa-solid:house"),
        ("fas fa-external-link-alt", "fa-solid:up-right-from-square"),
        ("fa fa-nonexistent-icon", None),
        ("fab fa-book", None),
        ("fa-github", None),
        ("ai-google-scholar", None),
        ("ai ai-lg", None),
        ("hello world", None),
        ("fa fa-../../etc/passwd", None),
        ("", None),
    ],
)
def test_al_folio_icon_classes_map_to_refs(classes: str, ref: str | None) -> None:
    assert icon_ref_from_classes(classes) == ref


def test_inline_icons_replaces_only_empty_resolvable_icon_elements() -> None:
    html = (
        '<p><i class="ai ai-google-scholar"></i> <a href="x">Scholar</a> '
        '<i class="fa fa-nonexistent-icon"></i><i class="fa fa-twitter">text</i></p>'
    )
    assert inline_icons(html) == (
        f'<p>{icon_svg("ai:google-scholar")} <a href="x">Scholar</a> '
        '<i class="fa fa-nonexistent-icon"></i><i class="fa fa-twitter">text</i></p>'
    )


def test_inline_icons_leaves_html_without_icons_alone() -> None:
    html = "<p><i>emphasis</i> and <em>more</em></p>"
    assert inline_icons(html) == html


def test_the_system_check_passes_with_the_packages_installed() -> None:
    assert check_icon_packages(None) == []


def test_the_system_check_reports_missing_academicons(settings, tmp_path: Path) -> None:
    settings.ACADEMICONS_DIR = tmp_path
    errors = check_icon_packages(None)
    assert [error.id for error in errors] == ["profiles.E001"]
    assert "npm ci" in errors[0].hint
    assert not icon_exists("ai:arxiv")
    assert icon_ref_from_classes("ai ai-arxiv") is None
