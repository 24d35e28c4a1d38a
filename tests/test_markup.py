"""The markup pipeline keeps what real bios use and nothing that can run script."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from profiles.markup import render_markdown, sanitize_html, sanitize_inline_html

# Elements that can run script, load a document, or submit data anywhere. (The
# pipeline itself emits <svg> icons and <math> formulas; their attributes are
# checked like any other, and their script-capable children are listed here.)
DANGEROUS_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "base", "meta", "link", "template", "noscript",
    "video", "audio", "source", "isindex", "xss", "body", "html", "foreignobject",
    "annotation-xml", "maction", "animate", "set", "use", "image",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "cite"}
CONTROL_AND_SPACE = "".join(chr(c) for c in range(0x21))


class ScriptFinder(HTMLParser):
    """Collects every way the HTML could run script in a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES:
                url = "".join(ch for ch in value if ch not in "\t\n\r").strip(CONTROL_AND_SPACE)
                scheme = url.split(":", 1)[0].lower() if ":" in url else ""
                if scheme in {"javascript", "vbscript", "livescript"}:
                    self.problems.append(f"{tag}[{name}]={value!r}")
                if scheme == "data" and not (tag == "img" and name == "src"):
                    self.problems.append(f"{tag}[{name}]={value!r}")
                if scheme == "data" and "svg" in url.lower():
                    self.problems.append(f"{tag}[{name}]={value!r}")
            if name == "style" and any(
                bad in value.lower() for bad in ("expression", "url(", "javascript", "position")
            ):
                self.problems.append(f"{tag}[style]={value!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"<!--{data}-->")


def ways_to_run_script(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"//',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background-image:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    '<a href="/x" style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</a>',
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="//evil.example/">',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<a href="#" onclick="alert(1)">x</a>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<xss onmouseover=alert(1)>x</xss>",
    '<i class="fa fa-github" onclick="alert(1)"></i>',
    '<span data-x="1" onmouseover="alert(1)">x</span>',
    "<img src=`javascript:alert(1)`>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '[x](  javascript:alert(1)  "title")',
    "<javascript:alert(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    '[x](https://example.org){: onclick="alert(1)"}',
    'A paragraph.\n{: onmouseover="alert(1)"}',
    '<div markdown="1">[x](javascript:alert(1))</div>',
    "```html\n<script>alert(1)</script>\n```",
    "$\\text{<script>alert(1)</script>}$",
    "$$\\text{<img src=x onerror=alert(1)>}$$",
    "$\\href{javascript:alert(1)}{x}$",
    '<math><maction actiontype="statusline">x</maction></math>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "MFMATH0000000000000000X0X",
    "`<img src=x onerror=alert(1)>`",
]


def test_there_are_at_least_thirty_hostile_inputs():
    assert len(HOSTILE_INPUTS) >= 30


@pytest.mark.parametrize("hostile", HOSTILE_INPUTS)
def test_a_hostile_bio_keeps_no_way_to_run_script(hostile):
    assert ways_to_run_script(render_markdown(hostile)) == []


@pytest.mark.parametrize("hostile", HOSTILE_INPUTS)
def test_hostile_html_keeps_no_way_to_run_script_in_a_subtitle(hostile):
    assert ways_to_run_script(sanitize_inline_html(hostile)) == []


def test_the_checker_itself_spots_script():
    # Guards the guard: if this fails, the tests above prove nothing.
    assert ways_to_run_script('<a href="javascript:alert(1)">x</a>')
    assert ways_to_run_script("<img src=x onerror=alert(1)>")
    assert ways_to_run_script("<script>alert(1)</script>")
    assert ways_to_run_script("<!-- hi -->")


def test_code_blocks_show_markup_as_text():
    html = render_markdown("```html\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_links_keep_their_address_and_gain_nofollow_noopener():
    html = render_markdown("[DiLab](https://dilab-zju.github.io)")
    assert '<a href="https://dilab-zju.github.io" rel="nofollow noopener">DiLab</a>' in html


def test_a_kramdown_target_blank_attribute_list_is_kept():
    html = render_markdown('[site](https://example.org){:target="_blank"}')
    assert 'target="_blank"' in html


def test_a_target_other_than_blank_is_dropped():
    assert "target" not in sanitize_html('<a href="/" target="evil">x</a>')


def test_images_tables_and_details_survive():
    html = render_markdown(
        "![Github stars](https://img.shields.io/github/stars/dmlc/dgl)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "<details><summary>More</summary>Hidden text</details>"
    )
    assert '<img src="https://img.shields.io/github/stars/dmlc/dgl" alt="Github stars">' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<details><summary>More</summary>Hidden text</details>" in html


def test_a_highlighted_span_keeps_its_background_colour():
    html = render_markdown('<span style="background-color: #F9EAFB">open to collaborations</span>')
    assert '<span style="background-color:#F9EAFB">open to collaborations</span>' in html


def test_unsafe_css_properties_are_dropped_and_safe_ones_kept():
    html = sanitize_html('<p style="color: red; position: absolute; z-index: 9">x</p>')
    assert html == '<p style="color:red">x</p>'


def test_icon_classes_are_kept_and_other_classes_dropped():
    html = sanitize_html(
        '<i class="ai ai-google-scholar"></i><i class="fa fa-twitter"></i>'
        '<i class="fa-solid fa-file-pdf"></i><div class="navbar fixed-top">x</div>'
    )
    assert '<i class="ai ai-google-scholar"></i>' in html
    assert '<i class="fa fa-twitter"></i>' in html
    assert '<i class="fa-solid fa-file-pdf"></i>' in html
    assert "<div>x</div>" in html


def test_non_breaking_spaces_survive():
    assert "&nbsp;&nbsp;" in render_markdown("a &nbsp;&nbsp; b")


def test_html_comments_and_what_they_hide_disappear():
    html = render_markdown(
        'Visible.\n\n<!-- <i class="fas fa-book"></i> [**Semantic Scholar**](https://x.org) -->\n\n'
        "Inline <!-- [hidden](https://x.org) --> text."
    )
    assert "Semantic Scholar" not in html
    assert "hidden" not in html
    assert "Visible." in html and "text." in html


def test_a_raster_data_image_may_stay():
    html = sanitize_html('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">')
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html


def test_the_subtitle_keeps_links_and_emphasis_but_no_blocks_or_images():
    html = sanitize_inline_html(
        "<a href='#'>Ru Peng, PhD</a>, <em>Zhejiang</em> <div>block</div><img src='x.png'>"
    )
    assert html == '<a href="#" rel="nofollow noopener">Ru Peng, PhD</a>, <em>Zhejiang</em> block'


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""


# --- What the stored HTML may be (issue 6, items 10 and 15) ---------------------

STORED_CORPUS = [
    *HOSTILE_INPUTS,
    "[x](https://example.org/$y$)",
    '<img alt="$\\text{x" onerror="alert(1)}$">',
    '<a title="$x$" href="#$y$">$z$</a>',
    "![$x$]($y$)",
    '<span title="<i class=&quot;fa fa-github&quot;></i>">t</span>',
    '<i class="fa fa-github"></i> and $x^2$ and :wave: and $$\\frac{a}{b}$$',
    "Footnote[^1].\n\n[^1]: The note, with $\\alpha$.",
    '<a id="content" name="top" href="#content">hijack</a>',
]


@pytest.mark.parametrize("text", STORED_CORPUS)
def test_the_stored_html_is_exactly_what_the_sanitizer_approves(text):
    from profiles.markup import sanitize_stored_html

    html = render_markdown(text)
    assert sanitize_stored_html(html) == html
    assert ways_to_run_script(html) == []


def test_a_formula_inside_a_link_address_is_not_expanded_into_the_attribute():
    html = render_markdown("[x](https://example.org/$y$)")
    assert "<math" not in html
    assert 'href="https://example.org/$y$"' in html


def test_a_formula_cannot_close_an_attribute_it_was_written_in():
    html = render_markdown('<img alt="$\\text{x" onerror="alert(1)}$">')
    assert "onerror" not in html and "<math" not in html


def test_a_formula_token_smuggled_into_an_attribute_is_removed():
    from profiles.markup import _insert_trusted
    from profiles.markup.markdown import TrustedMarkup

    trusted = TrustedMarkup()
    token = trusted.stash("<math><mi>x</mi></math>")
    html = _insert_trusted(f'<a title="{token}" href="/">{token}</a>', trusted)
    assert html == '<a title="" href="/"><math><mi>x</mi></math></a>'


def test_formulas_in_text_still_become_mathml():
    html = render_markdown("Energy $E = mc^2$ and\n\n$$\\int_0^1 x\\,dx$$")
    assert html.count("<math") == 2
    assert 'display="block"' in html


def test_ids_and_in_page_links_from_user_markup_get_a_prefix():
    html = render_markdown('<a id="content" name="top" href="#content">jump</a> [m](#methods)')
    assert 'id="user-content-content"' in html
    assert 'name="user-content-top"' in html
    assert 'href="#user-content-content"' in html
    assert 'href="#user-content-methods"' in html
    assert 'id="content"' not in html


def test_footnote_links_still_point_at_their_notes():
    html = render_markdown("Claim[^1].\n\n[^1]: Source.")
    assert 'href="#user-content-fn1"' in html and 'id="user-content-fn1"' in html
    assert 'href="#user-content-fnref1"' in html and 'id="user-content-fnref1"' in html


def test_a_bare_hash_link_stays_a_bare_hash():
    assert 'href="#"' in render_markdown('<a href="#">top</a>')


@pytest.mark.parametrize(
    "cite", ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,x", "/relative"]
)
def test_cite_attributes_keep_web_addresses_only(cite):
    html = render_markdown(f'<q cite="{cite}">x</q><blockquote cite="{cite}">y</blockquote>')
    assert "cite=" not in html


def test_a_web_cite_attribute_is_kept():
    assert 'cite="https://example.org/src"' in render_markdown(
        '<blockquote cite="https://example.org/src">y</blockquote>'
    )


# --- The contact block keeps its lines (issue 6, item 5) -----------------------


def test_an_address_typed_on_three_lines_shows_on_three_lines():
    from profiles.markup import render_lines

    html = render_lines("Office 3.14\n12 rue Example\nParis")
    assert html == "<p>Office 3.14<br>\n12 rue Example<br>\nParis</p>"


def test_al_folio_paragraph_lines_in_the_contact_block_still_work():
    from profiles.markup import render_lines

    html = render_lines("<p>555 your office number</p>\n<p>123 your address street</p>")
    assert html == "<p>555 your office number</p>\n<p>123 your address street</p>"


def test_the_bio_keeps_markdowns_soft_line_breaks():
    assert render_markdown("one\ntwo") == "<p>one\ntwo</p>"


# --- Markdown features real al-folio pages use ------------------------------------


def test_emoji_shortcodes_become_emoji_outside_code_only():
    html = render_markdown("Hi :wave: `:wave:`")
    assert "Hi 👋" in html and "<code>:wave:</code>" in html


def test_dollar_amounts_stay_prose():
    assert "<math" not in render_markdown("It costs $5 and $10.")


def test_definition_lists_and_strikethrough_render():
    html = render_markdown("Term\n: Definition\n\n~~old~~")
    assert "<dl>" in html and "<dd>Definition</dd>" in html and "<s>old</s>" in html
