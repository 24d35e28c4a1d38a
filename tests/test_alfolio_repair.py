"""profiles.alfolio.repair: what real al-folio files hold, made safe for our Markdown pipeline.

Unit tests for each rule, then the two seed pages and every page, news item and
_config.yml of the real sites in ../shared (skipped, saying so, without them).
"""

# Curly quotes, fullwidth letters and mojibake are what these tests are about.
# ruff: noqa: RUF001

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from profiles.alfolio.repair import (
    Note,
    _code_lines,
    decode_text,
    emoji_shortcodes,
    kramdown_attributes,
    repair_markdown,
    translate_liquid,
    yaml_cut_values,
)
from profiles.markup.markdown import markdown_to_html

SHARED = Path(settings.BASE_DIR).parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed pages not found at {SEEDS}")
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"real al-folio sites not found at {CORPUS}"
)

SITE = {
    "title": "Neuro Lab",
    "first_name": "Kai",
    "last_name": ["da Costa"],
    "baseurl": "/lab",
    "url": "https://kai.github.io",
    "scholar": {"userid": "abc123", "nested": {"deep": "value"}},
    "news": True,
    "socials": {"x": 1},
}


def liquid(text: str, *, file: str = "_pages/about.md", site: dict | None = None, **kwargs):
    return translate_liquid(text, file=file, site=SITE if site is None else site, **kwargs)


def lines_of(notes: list[Note]) -> list[int]:
    return [note.line for note in notes]


# --------------------------------------------------------------------------- #
# decode_text
# --------------------------------------------------------------------------- #

ORDINARY = (
    "plain ASCII line\n"
    "中文 日本語 한국어 — 彭儒\n"
    "naïve café Ångström Øresund Straße São Paulo ½ ©2024 ™ • €\n"
    "“curly” ‘quotes’ … and &nbsp;&amp; entities, <b>tags</b>\n"
    "ﬁ ligature, ＡＢＣ fullwidth, e\u0301 combining\n"
    "\ttab\r\n"
    "CRLF kept\r\n"
)


def test_ordinary_text_is_left_exactly_as_written():
    text, notes = decode_text(ORDINARY.encode(), file="_pages/about.md")
    assert text == ORDINARY
    assert notes == []


def test_a_utf8_byte_order_mark_is_dropped_without_a_note():
    text, notes = decode_text(b"\xef\xbb\xbf---\ntitle: x\n---\n", file="a.md")
    assert text == "---\ntitle: x\n---\n"
    assert notes == []


def test_mojibake_is_repaired_with_one_note_giving_line_count_and_example():
    garbled = "Hello\nHey, thanks for stopping by! ðŸ‘‹\nIâ€™m here\n"
    text, notes = decode_text(garbled.encode(), file="_news/a.md")
    assert text == "Hello\nHey, thanks for stopping by! 👋\nI’m here\n"
    assert notes == [
        Note(
            "_news/a.md",
            2,
            "Repaired garbled characters (UTF-8 text once read as Windows-1252) on 2 lines, "
            "e.g. ðŸ‘‹ -> 👋.",
        )
    ]


@pytest.mark.parametrize(
    ("garbled", "meant"),
    [
        ("subtitle: <a href='#'>å½ å„’, PhD</a>.", "subtitle: <a href='#'>彭儒, PhD</a>."),
        ("å½­å„’ and æ—¥æœ¬èªž", "彭儒 and 日本語"),
        ("í•œêµ­ì–´", "한국어"),
    ],
)
def test_chinese_japanese_korean_mojibake_that_ftfy_leaves_is_repaired(garbled, meant):
    text, notes = decode_text(garbled.encode(), file="a.md")
    assert text == meant
    assert len(notes) == 1


@pytest.mark.parametrize(
    "ordinary", ["perché”… ok", "Straße“ und „Ärger“", "è «très» à €5", "Ça coûte 5 €."]
)
def test_accented_letters_before_punctuation_are_not_taken_for_mojibake(ordinary):
    assert decode_text(ordinary.encode(), file="a.md") == (ordinary, [])


def test_a_file_that_is_not_utf8_is_read_as_windows_1252_with_a_note_on_its_line():
    text, notes = decode_text(b"title: ok\ncaf\xe9 \x93quoted\x94\n", file="_pages/about.md")
    assert text == "title: ok\ncafé “quoted”\n"
    assert len(notes) == 1
    assert notes[0].line == 2
    assert "was not UTF-8" in notes[0].message
    assert "read as Windows-1252" in notes[0].message


def test_windows_1252_with_utf8_pasted_in_gets_both_repairs():
    text, notes = decode_text(b"caf\xe9 \xf0\x9f\x91\x8b", file="x.md")
    assert text == "café 👋"
    assert len(notes) == 2


def test_utf16_from_notepad_is_read():
    text, _notes = decode_text("Hi 👋 café".encode("utf-16"), file="x.md")
    assert text == "Hi 👋 café"


# --------------------------------------------------------------------------- #
# translate_liquid: values and links
# --------------------------------------------------------------------------- #


def test_site_values_with_any_spacing_and_nesting():
    text, notes = liquid("{{site.title}} by {{ site.first_name }} {{-site.scholar.nested.deep-}}")
    assert text == "Neuro Lab by Kai value"
    assert len(notes) == 3
    assert "{{site.title}}" in notes[0].message


def test_site_lists_and_booleans_print_as_liquid_prints_them():
    text, _notes = liquid("{{ site.last_name }} / {{ site.news }}")
    assert text == "da Costa / true"


def test_a_missing_site_value_becomes_empty_with_a_note_naming_it():
    text, notes = liquid("Hello {{ site.nope.deeper }}!")
    assert text == "Hello !"
    assert notes[0].line == 1
    assert "site.nope.deeper" in notes[0].message
    assert "_config.yml has no value" in notes[0].message


def test_a_mapping_is_not_a_value_and_is_removed():
    text, notes = liquid("x {{ site.socials }} y")
    assert text == "x  y"
    assert "not a single value" in notes[0].message


@pytest.mark.parametrize(
    "source",
    [
        '{{ "assets/pdf/cv.pdf" | relative_url }}',
        "{{ '/assets/pdf/cv.pdf' | absolute_url }}",
        '{{ "assets/pdf/cv.pdf" | prepend: site.baseurl }}',
        '{{ "assets/pdf/cv.pdf" | prepend: site.baseurl | prepend: site.url }}',
        "{{ site.baseurl }}/assets/pdf/cv.pdf",
        "{{ site.url }}{{ site.baseurl }}/assets/pdf/cv.pdf",
        "{{site.baseurl}}/assets/pdf/../pdf/cv.pdf",
        "{% link assets/pdf/cv.pdf %}",
    ],
)
def test_site_links_become_site_relative(source):
    text, notes = liquid(f"[CV]({source})")
    assert text == "[CV](/assets/pdf/cv.pdf)"
    assert len(notes) == 1
    assert "/assets/pdf/cv.pdf" in notes[0].message


def test_url_for_asset_maps_every_site_link():
    seen = []

    def mapper(path: str) -> str:
        seen.append(path)
        return "/media/u/1" + path

    text, _notes = liquid(
        '[a]({{ "assets/a.pdf" | relative_url }}) <img src="{{ site.baseurl }}/assets/b.png"> '
        '{% include figure.liquid path="assets/img/c.jpg" %}',
        url_for_asset=mapper,
    )
    assert seen == ["/assets/a.pdf", "/assets/b.png", "/assets/img/c.jpg"]
    assert "(/media/u/1/assets/a.pdf)" in text
    assert 'src="/media/u/1/assets/b.png"' in text
    assert 'src="/media/u/1/assets/img/c.jpg"' in text


def test_a_mapper_that_returns_none_keeps_the_site_path_and_notes_show_the_path():
    def mapper(path: str) -> str | None:
        return "\ue000" + path + "\ue001" if path.startswith("/assets/") else None

    text, notes = liquid(
        '[a]({{ "assets/a.pdf" | relative_url }}) [b]({{ "cv/b.pdf" | relative_url }})'
        '{% include figure.liquid path="img/c.jpg" %}',
        url_for_asset=mapper,
    )
    assert text == '[a](\ue000/assets/a.pdf\ue001) [b](/cv/b.pdf)<img src="/img/c.jpg" alt="">'
    assert notes[0].message.endswith("with the link /assets/a.pdf.")


def test_other_sites_links_stay_as_written():
    text, _notes = liquid('{{ "https://arxiv.org/abs/1" | relative_url }}')
    assert text == "https://arxiv.org/abs/1"


def test_a_bare_baseurl_disappears_with_a_note():
    text, notes = liquid("root: {{ site.baseurl }} end")
    assert text == "root:  end"
    assert "start at the site's root" in notes[0].message


# --------------------------------------------------------------------------- #
# translate_liquid: includes
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    "source",
    [
        '{% include figure.liquid path="assets/img/x.jpg" class="img-fluid rounded" alt="A & B" %}',
        "{%- include figure.liquid alt='A & B' class='img-fluid rounded'"
        " path='assets/img/x.jpg' -%}",
        '{%include figure.html path=assets/img/x.jpg alt="A & B" class="img-fluid rounded"%}',
        '{% include figure.liquid path="assets/img/x.jpg" | relative_url class="img-fluid rounded"'
        ' alt="A & B" zoomable=true %}',
        '{% include figure.liquid\n   loading="eager"\n   path="/assets/img/x.jpg"\n'
        '   class="img-fluid rounded"\n   alt="A & B" %}',
    ],
)
def test_figures_become_images(source):
    text, notes = liquid(source)
    assert text == '<img src="/assets/img/x.jpg" alt="A &amp; B" class="img-fluid rounded">'
    assert len(notes) == 1
    assert notes[0].line == 1
    assert "into an image" in notes[0].message


def test_a_figure_with_a_caption_is_a_figure():
    text, _notes = liquid(
        '{% include figure.liquid path="assets/img/x.jpg" caption="Our <em>lab</em>" title="t" %}'
    )
    assert text == (
        '<figure><img src="/assets/img/x.jpg" alt="" title="t">'
        "<figcaption>Our <em>lab</em></figcaption></figure>"
    )


def test_a_figure_on_its_own_line_is_followed_by_a_blank_line_before_markdown():
    text, _notes = liquid('{% include figure.liquid path="a.jpg" %}\n*Caption* text')
    assert text == '<img src="/a.jpg" alt="">\n\n*Caption* text'
    assert "<em>Caption</em>" in markdown_to_html(text)[0]


def test_figures_inside_an_indented_html_block_are_translated_not_taken_for_code():
    page = (
        '<div class="row">\n'
        '    <div class="col-sm">\n'
        '        {% include figure.liquid path="assets/img/1.jpg" %}\n'
        "    </div>\n"
        "\n"
        '    <div class="col-sm">\n'
        '        {% include figure.liquid path="assets/img/2.jpg" %}\n'
        "    </div>\n"
        "</div>\n"
    )
    text, notes = liquid(page)
    assert "{%" not in text
    assert lines_of(notes) == [3, 7]
    assert '        <img src="/assets/img/2.jpg" alt="">\n    </div>' in text


@pytest.mark.parametrize(
    ("source", "link"),
    [
        (
            '{% include video.liquid path="https://www.youtube.com/embed/x" class="v" %}',
            '<a href="https://www.youtube.com/embed/x">Video</a>',
        ),
        (
            '{% include video.html path="assets/video/talk.mp4" caption="My talk" %}',
            '<a href="/assets/video/talk.mp4">My talk</a>',
        ),
    ],
)
def test_videos_become_links(source, link):
    text, notes = liquid(source)
    assert text == link
    assert "link to the video" in notes[0].message


@pytest.mark.parametrize(
    "name", ["news.liquid", "selected_papers.liquid", "latest_posts.liquid", "news.html"]
)
def test_about_page_includes_are_removed_with_a_note_about_the_switches(name):
    text, notes = liquid(f"Hello\n{{% include {name} %}}\nBye")
    assert text == "Hello\nBye"
    assert notes[0].line == 2
    assert "about page's own switches" in notes[0].message


def test_an_include_of_any_other_file_is_removed_and_never_read():
    text, notes = liquid("a {% include ../../../etc/passwd %} b {% include_relative x.md %} c")
    assert text == "a  b  c"
    assert "{% include ../../../etc/passwd %}" in notes[0].message
    assert len(notes) == 2


def test_a_figure_without_a_path_is_removed():
    text, notes = liquid('{% include figure.liquid alt="nothing" %}')
    assert text == ""
    assert "no file" in notes[0].message


# --------------------------------------------------------------------------- #
# translate_liquid: everything else goes, never evaluated
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    "source",
    [
        "{{ 7*7 }}",
        "{{7*7}}",
        "{{ page.title }}",
        "{{ content }}",
        '{{ "now" | date: "%Y" }}',
        "{{ site.title | upcase | bogus_filter }}",
        "{{ ''.__class__ }}",
        "{% assign x = 7 | times: 7 %}",
        "{% cycle 'a', 'b' %}",
        "{% unknown_tag a b %}",
        "{% %}",
        "{% # inline comment %}",
    ],
)
def test_other_liquid_is_removed_with_a_note_never_evaluated(source):
    text, notes = liquid(f"before {source} after")
    assert text == "before  after"
    assert "49" not in text
    assert len(notes) == 1
    assert notes[0].file == "_pages/about.md"
    assert notes[0].line == 1
    assert _flat(source)[:40] in notes[0].message


def _flat(source: str) -> str:
    return " ".join(source.split())


def test_if_and_for_lose_their_tags_but_keep_their_text():
    page = (
        "Intro\n"
        "{% if site.news %}\n"
        "Shown when news is on.\n"
        "{% else %}\n"
        "Shown when it is off.\n"
        "{% endif %}\n"
        "{% for p in site.people %}- {{ p.name }}{% endfor %}\n"
        "End\n"
    )
    text, notes = liquid(page)
    assert text == "Intro\nShown when news is on.\nShown when it is off.\n- \nEnd\n"
    assert lines_of(notes) == [2, 4, 6, 7, 7, 7]
    assert "{% if site.news %}" in notes[0].message
    assert "kept" in notes[0].message
    assert "{% endfor %}" in notes[5].message


def test_tags_on_their_own_lines_take_the_line_so_html_blocks_hold_together():
    page = "<ul>\n  {% for x in site.list %}\n  <li>{{ site.title }}</li>\n  {% endfor %}\n</ul>\n"
    text, _notes = liquid(page)
    assert text == "<ul>\n  <li>Neuro Lab</li>\n</ul>\n"


def test_comments_go_with_their_content():
    text, notes = liquid("Intro\n{% comment %}\nold bio {{ site.title }}\n{% endcomment %}\nEnd")
    assert text == "Intro\nEnd"
    assert lines_of(notes) == [2]


def test_nested_comments_and_an_unclosed_comment():
    text, _notes = liquid("a{% comment %}x{% comment %}y{% endcomment %}z{% endcomment %}b")
    assert text == "ab"
    text, notes = liquid("a {% comment %} rest of page")
    assert text == "a  rest of page"
    assert "never closed" in notes[0].message


def test_raw_keeps_its_content_literally():
    text, notes = liquid("{% raw %}{{ site.title }} {% if %}{% endraw %} done")
    assert text == "{{ site.title }} {% if %} done"
    assert "as written" in notes[0].message


def test_liquid_in_code_blocks_is_kept_literally():
    page = (
        "Text {{ site.title }}\n"
        "\n"
        "```liquid\n"
        "{{ site.title }} {% include news.liquid %} {{ 7*7 }}\n"
        "```\n"
        "\n"
        "~~~\n"
        "{%- if x -%}\n"
        "~~~\n"
        "\n"
        "    {{ indented.code }} {% for %}\n"
        "\n"
        "- list\n"
        "\n"
        "      ```\n"
        "      {{ in.list.fence }}\n"
        "      ```\n"
    )
    text, notes = liquid(page)
    assert text == page.replace("Text {{ site.title }}", "Text Neuro Lab")
    assert lines_of(notes) == [1]


def test_raw_markers_inside_a_code_block_are_dropped_as_jekyll_showed_it():
    page = "```\n{% raw %}\n{{ site.title }}\n{% endraw %}\n```\n"
    text, notes = liquid(page)
    assert text == "```\n{{ site.title }}\n```\n"
    assert lines_of(notes) == [2, 4]


def test_highlight_blocks_become_fenced_code():
    text, _notes = liquid('{% highlight python linenos %}\nprint("{{ x }}")\n{% endhighlight %}')
    assert text == '```python\nprint("{{ x }}")\n```'


def test_links_to_pages_and_posts_are_removed_with_a_note():
    text, notes = liquid("[a]({% link _pages/cv.md %}) [b]({% post_url 2020-01-01-x %})")
    assert text == "[a]() [b]()"
    assert "page of the old site" in notes[0].message
    assert "blog posts" in notes[1].message


def test_site_values_cannot_inject_liquid_kramdown_or_lines():
    site = {"title": "{{ 7*7 }} {% include x %} {:toc}\n# Heading"}
    text, _notes = liquid("T: {{ site.title }}", site=site)
    assert "{{" not in text
    assert "{%" not in text
    assert "{:" not in text
    assert "\n" not in text
    assert "49" not in text
    assert text.endswith("# Heading")


def test_an_opener_without_a_closer_is_kept_as_text():
    text, notes = liquid("price {{ oops\n\nnext {{ site.title }} and {% nope")
    assert text == "price &#123;{ oops\n\nnext Neuro Lab and &#123;% nope"
    assert lines_of(notes) == [1, 3, 3]
    assert "starts no complete" in notes[0].message


def test_hostile_input_stays_linear():
    start = time.perf_counter()
    liquid("{{ " * 20_000)
    liquid("{% " * 20_000)
    liquid("{% comment %}" * 5_000 + "{% raw %}" * 5_000 + "{% highlight %}" * 5_000)
    liquid("{{ site.title }}\n" * 20_000)
    kramdown("{::comment}" * 10_000 + "{:a}" * 20_000 + "[a](b){:x}" * 5_000)
    kramdown("`c`{:x}" * 10_000 + "\n{: .a}" * 10_000)
    assert time.perf_counter() - start < 5


def test_text_without_liquid_is_returned_as_is():
    text, notes = liquid(ORDINARY)
    assert text == ORDINARY
    assert notes == []


# --------------------------------------------------------------------------- #
# kramdown_attributes
# --------------------------------------------------------------------------- #


def kramdown(text: str) -> tuple[str, list[Note]]:
    return kramdown_attributes(text, file="_pages/about.md")


def test_inline_attribute_lists_after_links_images_and_code_are_kept_and_applied():
    source = (
        '[site](https://x.org){:target="_blank"} ![me](a.png){: .img-fluid} `c`{:.x} '
        '<https://y.org>{:target="_blank"} [ref][r]{:target="_blank"}\n\n[r]: https://r.org\n'
    )
    text, notes = kramdown(source)
    assert text == source
    assert notes == []
    html, _trusted = markdown_to_html(text)
    assert html.count('target="_blank"') == 3
    assert "{" not in html


@pytest.mark.parametrize(
    ("source", "expected", "line"),
    [
        ("A paragraph.\n{: .lead}\n\nNext\n", "A paragraph.\n\nNext\n", 2),
        ("* TOC\n{:toc}\n\n## One\n", "\n## One\n", 1),
        ("## One\n{:.no_toc}\n", "## One\n", 2),
        ("## One {#custom-id}\n", "## One\n", 1),
        ('{::options parse_block_html="true" /}\nText\n', "Text\n", 1),
        ("A\n{::comment}\nhidden\n{:/comment}\nB\n", "A\nB\n", 2),
        ("{::nomarkdown}<b>x</b>{:/nomarkdown}\n", "<b>x</b>\n", 1),
        ('text (plain){:target="_blank"} more {: .x}\n', "text (plain) more \n", 1),
        ('[undefined]{:target="_blank"}\n', "[undefined]\n", 1),
        ("*[HTML]: Hyper Text Markup Language\nHTML\n", "HTML\n", 1),
        ("- item {: .x}\n", "- item \n", 1),
    ],
)
def test_other_kramdown_syntax_is_removed_with_a_note(source, expected, line):
    text, notes = kramdown(source)
    assert text == expected
    assert notes
    assert notes[0].line == line
    assert notes[0].file == "_pages/about.md"
    html, _trusted = markdown_to_html(text)
    assert "{:" not in html
    assert "{." not in html
    assert "{#" not in html


def test_kramdown_in_code_is_kept():
    source = "```\n{: .keep}\n[a](b){:x}\n```\n\nUse `{:toc}` for that.\n"
    text, notes = kramdown(source)
    assert text == source
    assert notes == []


# --------------------------------------------------------------------------- #
# yaml_cut_values
# --------------------------------------------------------------------------- #


def test_values_cut_by_hash_are_reported():
    front = (
        "---\n"
        "title: Room #3\n"
        "subtitle: #<a href='https://ins.sjtu.edu.cn'>INS</a>\n"
        "color: #B509AC\n"
        "profile:\n"
        "  more_info: # <p>Office 3</p>\n"
        "tags:\n"
        "  - Lab #5\n"
        "---\n"
        "Body: not #3 YAML\n"
    )
    notes = yaml_cut_values(front, file="_pages/about.md")
    assert notes == [
        Note("_pages/about.md", 2, "The value of title was cut at '#': quote it to keep it."),
        Note("_pages/about.md", 3, "The value of subtitle was cut at '#': quote it to keep it."),
        Note("_pages/about.md", 4, "The value of color was cut at '#': quote it to keep it."),
        Note(
            "_pages/about.md",
            6,
            "The value of profile.more_info was cut at '#': quote it to keep it.",
        ),
        Note("_pages/about.md", 8, "An item of tags was cut at '#': quote it to keep it."),
    ]


def test_comments_meant_as_comments_are_not_reported():
    config = (
        "# a full-line comment: #3 <b>x</b>\n"
        "baseurl: # the subpath of your site, e.g. /blog/\n"
        "image_circular: false # crops the image to make it circular\n"
        "ga4_analytics: G-EVCWWZEN3F #GA-4 Google Analytics measurement ID\n"
        "stackoverflow_id: #your stackoverflow id\n"
        "icon: prof_pic3.jpg #⚛️  # the emoji used as the favicon\n"
        "repo: # <your-github-user-name>/<your-github-repo-name>\n"
        'quoted: "Room #3"\n'
        "url: https://x.org/#section\n"
        "title: C# and F#\n"
        "description: >\n"
        "  Lab #3, with <b>bold</b> # text\n"
        "list: [a, b]\n"
    )
    assert yaml_cut_values(config, file="_config.yml") == []


def test_only_front_matter_is_read_in_a_page():
    assert yaml_cut_values("title: Room #3\n", file="_pages/about.md") == []
    assert len(yaml_cut_values("title: Room #3\n", file="_config.yml")) == 1


# --------------------------------------------------------------------------- #
# emoji_shortcodes, repair_markdown
# --------------------------------------------------------------------------- #


def test_emoji_shortcodes_in_plain_text():
    assert emoji_shortcodes("New poster :sparkles: :smile:") == "New poster ✨ 😄"
    assert emoji_shortcodes("at 10:30:00 :not_an_emoji:") == "at 10:30:00 :not_an_emoji:"


def test_repair_markdown_runs_all_three_and_keeps_original_line_numbers():
    page = (
        "---\ntitle: news\n---\n"  # 1-3
        "{% comment %}\nold\n{% endcomment %}\n"  # 4-6: dropped
        "Hey ðŸ‘‹ see [pdf]({{ 'assets/p.pdf' | relative_url }}){:target=\"_blank\"}\n"  # 7
        "{: .lead}\n"  # 8
    ).encode()
    text, notes = repair_markdown(page, file="_news/a.md", site=SITE)
    assert text == '---\ntitle: news\n---\nHey 👋 see [pdf](/assets/p.pdf){:target="_blank"}\n'
    assert [(note.line, note.message.split(" ", 1)[0]) for note in notes] == [
        (7, "Repaired"),
        (4, "Removed"),
        (7, "Replaced"),
        (8, "Removed"),
    ]
    assert all(note.file == "_news/a.md" for note in notes)


# --------------------------------------------------------------------------- #
# The real files
# --------------------------------------------------------------------------- #

SEED_EMOJI = {"about-wanru.md": "👋", "about-rupeng.md": "🦄"}
SEED_GARBLED = ("ðŸ", "â€", "å½", "å„’")


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_EMOJI))
def test_seed_mojibake_is_repaired_and_nothing_else_changes(name):
    raw = (SEEDS / name).read_bytes()
    original = raw.decode("utf-8")
    text, notes = decode_text(raw, file=f"_pages/{name}")
    assert SEED_EMOJI[name] in text
    assert not any(garbled in text for garbled in SEED_GARBLED)
    assert len(notes) == 1
    assert notes[0].file == f"_pages/{name}"
    first = original.split("\n")[notes[0].line - 1]
    assert any(garbled in first for garbled in SEED_GARBLED)
    before, after = original.split("\n"), text.split("\n")
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        if old != new:
            assert any(garbled in old for garbled in SEED_GARBLED), old
    # The plain lines, word for word.
    plain = [n for n, line in enumerate(before) if len(line) > 20 and line.isascii()]
    assert len(plain) >= 5
    for number in plain:
        assert after[number] == before[number]


@needs_seeds
def test_wanrus_greeting_and_rupengs_name():
    text, _notes = decode_text((SEEDS / "about-wanru.md").read_bytes(), file="about.md")
    assert "Hey, thanks for stopping by! 👋" in text
    text, notes = decode_text((SEEDS / "about-rupeng.md").read_bytes(), file="about.md")
    assert "subtitle: <a href='#'>彭儒, PhD, Zhejiang University</a>." in text
    assert notes[0].line == 5


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    found: list[Path] = []
    for site in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        found.append(site / "_config.yml")
        found += sorted(site.glob("_pages/**/*.md")) + sorted(site.glob("_news/**/*.md"))
    return [path for path in found if path.is_file()]


def root_of(path: Path) -> Path:
    return next(parent for parent in path.parents if parent.parent == CORPUS)


@functools.cache
def config_of(root: Path) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


LIQUID_RE = re.compile(r"\{\{|\{%")
KRAMDOWN_RE = re.compile(r"\{::|\{:")
KEPT_INLINE_LIST_RE = re.compile(r"(?<=[)\]`>])\{:[^{}\n]*\}")


@needs_corpus
@pytest.mark.parametrize(
    "path",
    corpus_files() or [CORPUS],  # without the corpus: one case, skipped with the reason
    ids=lambda path: str(path.relative_to(CORPUS)),
)
def test_no_liquid_or_kramdown_is_left_in_a_real_file_and_each_change_has_a_note(path):
    root = root_of(path)
    file = str(path.relative_to(root))
    site = config_of(root)
    data = path.read_bytes()
    original = data.decode("utf-8")
    text, notes = repair_markdown(data, file=file, site=site)
    code = _code_lines(text, file)
    for number, line in enumerate(text.split("\n")):
        if number in code:
            continue
        assert not LIQUID_RE.search(line), (file, line)
        assert not KRAMDOWN_RE.search(KEPT_INLINE_LIST_RE.sub("", line)), (file, line)
    assert all(note.file == file for note in notes)
    noted = {note.line for note in notes}
    original_code = _code_lines(original, file)
    for number, line in enumerate(original.split("\n")):
        if number not in original_code and LIQUID_RE.search(line):
            assert number + 1 in noted, (file, number + 1, line)


@needs_corpus
def test_neoneurons_pdf_link_is_translated_with_a_note_on_its_line():
    root = CORPUS / "NeoNeuron__neoneuron.github.io"
    path = root / "_news" / "new_poster_2022.md"
    site = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    text, notes = repair_markdown(path.read_bytes(), file="_news/new_poster_2022.md", site=site)
    assert "[link](/assets/pdf/2022-06-24_poster_causal.pdf)" in text
    assert [(note.line, note.file) for note in notes] == [(13, "_news/new_poster_2022.md")]
    assert '{{ "assets/pdf/2022-06-24_poster_causal.pdf" | relative_url }}' in notes[0].message


@needs_corpus
def test_config_placeholders_are_removed_with_notes_on_their_lines():
    root = CORPUS / "joahannes__joahannes.github.io"
    raw = (root / "_config.yml").read_bytes()
    text, notes = repair_markdown(raw, file="_config.yml", site={})
    original = raw.decode("utf-8").split("\n")
    assert "{{version}}" in original[459]  # line 460
    assert any(note.line == 460 and "{{version}}" in note.message for note in notes)
    assert len(notes) == sum(line.count("{{version}}") for line in original)
    assert yaml.safe_load(text)  # still valid YAML


@needs_corpus
def test_the_only_cut_yaml_value_in_the_corpus_is_neoneurons_subtitle():
    found = []
    for path in corpus_files():
        root = root_of(path)
        file = f"{root.name}/{path.relative_to(root)}"
        found += yaml_cut_values(path.read_text(encoding="utf-8"), file=file)
    assert found == [
        Note(
            "NeoNeuron__neoneuron.github.io/_pages/about.md",
            5,
            "The value of subtitle was cut at '#': quote it to keep it.",
        )
    ]


def test_dates_and_numbers_from_config_print_as_text():
    text, _notes = liquid(
        "{{ site.updated }} {{ site.year }}",
        site=yaml.safe_load("updated: 2024-05-01\nyear: 2024\n"),
    )
    assert text == "2024-05-01 2024"


@needs_corpus
def test_real_sites_text_files_decode_unchanged():
    """Chinese, Portuguese, Spanish, LaTeX accents: nothing there is mojibake."""
    checked = 0
    for site in (p for p in CORPUS.iterdir() if p.is_dir()):
        for path in site.rglob("*"):
            if path.suffix in (".md", ".yml", ".bib") and path.is_file():
                data = path.read_bytes()
                assert decode_text(data, file=path.name) == (data.decode("utf-8"), []), path
                checked += 1
    assert checked > 250
