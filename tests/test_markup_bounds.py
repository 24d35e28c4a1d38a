"""Markup cannot be made to cost more than a page is worth (issue 6, item 9).

Every markup field has a length limit no real page reaches, rendering is
linear whatever the input, and the HTML a field may become is bounded. Times
are measured in bench/markup.py, not here: these tests pin sizes and counts.
"""

from __future__ import annotations

import pytest

from profiles.markup import (
    BIO_MAX_CHARS,
    MAX_HTML_CHARS,
    MAX_ICONS,
    SHORT_MARKUP_MAX_CHARS,
    MarkupTooLarge,
    render_lines,
    render_markdown,
)
from profiles.markup.markdown import MAX_FORMULAS
from tests.test_dashboard import PROFILE_FORM


def hostile_at(limit: int) -> dict[str, str]:
    """The inputs that were slow or explosive before, cut to `limit` characters."""
    cases = {
        "open brackets": "[" * limit,
        "image brackets": "![" * (limit // 2),
        "links left open": "[a](" * (limit // 4),
        "emphasis": "*a **b " * (limit // 7),
        "nested lists": "".join("  " * i + "- x\n" for i in range(limit)),
        "nested quotes": ">" * limit,
        "formulas": "$x$ " * (limit // 4),
        "distinct formulas": " ".join(f"$x_{{{i}}}$" for i in range(limit // 9)),
        "nested formula": "$" + "\\frac{a}{" * (limit // 10) + "$",
        "table rows": "|a|b|\n|-|-|\n" + "|x|y|\n" * (limit // 6),
        "padded table": "|" + "a|" * 3300 + "\n|" + "-|" * 3300 + "\n" + "|\n" * limit,
        "icons": '<i class="fa fa-flask"></i>' * (limit // 27),
        "nested divs": "<div>" * (limit // 5),
        "footnotes": " ".join(f"[^{i}]" for i in range(limit // 8)),
        "repeated reference": "[a]: https://example.org/" + "y" * (limit // 2) + "\n\n",
    }
    cases["repeated reference"] += "[a]" * ((limit - len(cases["repeated reference"])) // 3)
    return {name: text[:limit] for name, text in cases.items()}


@pytest.mark.parametrize(("name", "text"), hostile_at(BIO_MAX_CHARS).items())
def test_hostile_input_within_the_limit_renders_bounded_or_is_refused(name, text):
    try:
        html = render_markdown(text)
    except MarkupTooLarge as error:
        assert error.size > MAX_HTML_CHARS
    else:
        assert len(html) <= MAX_HTML_CHARS


def test_deeply_nested_lists_do_not_overflow_the_stack():
    # Python-Markdown raised RecursionError here: a 500 on save.
    html = render_markdown("".join("  " * i + "- x\n" for i in range(3000)))
    assert html.startswith("<ul>")


def test_a_reference_link_repeated_thousands_of_times_is_refused_not_stored():
    text = "[a]: https://example.org/" + "y" * 10_000 + "\n\n" + "[a]" * 3_000
    with pytest.raises(MarkupTooLarge) as raised:
        render_markdown(text)
    assert "KB of HTML" in str(raised.value)


def test_icons_past_the_cap_stay_empty_elements():
    html = render_markdown('<i class="fa fa-flask"></i>' * (MAX_ICONS + 50))
    assert html.count("<svg") == MAX_ICONS


def test_formulas_past_the_cap_are_shown_as_their_source():
    html = render_markdown(" ".join(f"$x_{{{i}}}$" for i in range(MAX_FORMULAS + 20)))
    assert html.count("<math") == MAX_FORMULAS
    assert html.count('class="math-error"') == 20


def test_a_table_cannot_pad_itself_to_hundreds_of_thousands_of_cells():
    text = "|" + "a|" * 3300 + "\n|" + "-|" * 3300 + "\n" + "|\n" * 3000
    assert render_markdown(text).count("<td>") < 10_000


def test_a_formula_too_long_to_convert_is_shown_as_its_source():
    html = render_markdown("$" + "x+" * 1500 + "y$")
    assert "<math" not in html and 'class="math-error"' in html


# --- Field limits, in the forms ---------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "limit"),
    [("bio", BIO_MAX_CHARS), ("more_info", SHORT_MARKUP_MAX_CHARS), ("contact_note", 2000)],
)
def test_each_markup_field_has_a_length_limit_its_form_states(owner_client, owner, field, limit):
    page = owner_client.get("/dashboard/profile/").content.decode()
    assert f"{limit:,} characters" in page
    response = owner_client.post("/dashboard/profile/", {**PROFILE_FORM, field: "a" * (limit + 1)})
    assert response.status_code == 200
    assert f"at most {limit:,} characters" in response.content.decode()
    owner.refresh_from_db()
    assert getattr(owner, field) != "a" * (limit + 1)


@pytest.mark.django_db
def test_a_bio_that_would_render_too_large_gets_a_form_error_and_nothing_is_lost(
    owner_client, owner
):
    text = "[a]: https://example.org/" + "y" * 9_000 + "\n\n" + "[a]" * 3_000
    response = owner_client.post("/dashboard/profile/", {**PROFILE_FORM, "bio": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "KB of HTML" in html
    assert "[a][a][a]" in html  # what was typed is still in the editor
    owner.refresh_from_db()
    assert owner.bio == "I study **engines**."


def test_the_contact_block_renderer_is_bounded_too():
    with pytest.raises(MarkupTooLarge):
        render_lines("[a]: https://example.org/" + "y" * 10_000 + "\n\n" + "[a]" * 3_000)


# --- The live preview endpoint ------------------------------------------------------


@pytest.mark.django_db
def test_the_preview_refuses_oversize_input_without_rendering_it(owner_client, monkeypatch):
    import profiles.views.dashboard as dashboard

    def must_not_render(text):
        raise AssertionError("rendered oversize input")

    monkeypatch.setattr(dashboard, "render_markdown", must_not_render)
    response = owner_client.post(
        "/markdownx/markdownify/", {"content": "$x$ " * (BIO_MAX_CHARS // 4 + 1)}
    )
    assert response.status_code == 413
    assert "Too long to preview" in response.content.decode()


@pytest.mark.django_db
def test_the_preview_refuses_a_body_declared_too_large_before_reading_it(owner_client):
    from profiles.views.dashboard import PREVIEW_MAX_BYTES

    response = owner_client.generic(
        "POST",
        "/markdownx/markdownify/",
        b"content=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(PREVIEW_MAX_BYTES + 1),
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_the_preview_explains_output_that_would_be_too_large(owner_client):
    text = "[a]: https://example.org/" + "y" * 9_000 + "\n\n" + "[a]" * 3_000
    response = owner_client.post("/markdownx/markdownify/", {"content": text})
    assert response.status_code == 413
    assert "KB of HTML" in response.content.decode()
