"""The script-injection suite, server side (issue 13): every payload through every input.

Each payload of tests/xss_payloads.py goes in through the real forms and
services a researcher uses (the dashboard's forms with the test client, the
BibTeX and al-folio imports, the uploads, the Addresses page), and every page
that shows it is read back with an HTML5 parser (selectolax's Lexbor, the
WHATWG tree builder browsers use): the public about, publications, paper and
news pages, the feed, the sitemap, the favicon, the dashboard preview, the
editor's live preview, the dashboard pages themselves, the form that refused
the input, the directory and the moderators' admin lists. No page may hold
anything that can run script: a <script> that is not one of our own files or
a JSON data block, an on* attribute, a javascript:/vbscript:/data: address
where one is followed or loaded, a style that fetches or runs code, an element
that loads a document or changes how the page is parsed, or the output of
template code (`{{ 7*7 }}` as 49).

A field that holds one value gets one payload at a time (a test per payload);
what can hold many (BibTeX files, imported sites, settings rows, many sites in
the directory, a refused form's every field) gets every payload at once.

tests/test_browser_injection.py shows the same payloads to headless Chromium.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser, LexborNode

from news.models import NewsItem
from profiles.models import Profile, SiteImport
from publications.entries import paper_path
from publications.models import Publication
from tests.conftest import image_bytes, pdf_bytes
from tests.xss_payloads import (
    ALL_TEXT,
    BIBTEX_FIELDS,
    BIBTEX_SECOND_ENTRY_FIELDS,
    PAYLOADS,
    TEMPLATE_LEAKS,
    Payload,
    hostile_bibtex,
    readable_in_bibtex,
    sample,
)

pytestmark = pytest.mark.django_db

# --------------------------------------------------------------------------- the checker

# Elements that load or run another document or script, or that browsers parse
# as raw text (where a sanitizer and a browser disagree: mutation XSS). None of
# our templates has one; an icon's <svg> and a formula's <math> are checked below.
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
    "fencedframe", "noscript", "template", "xmp", "plaintext", "noembed", "noframes",
    "listing", "isindex", "style", "bgsound", "foreignobject", "animate", "animatemotion",
    "animatetransform", "set", "discard", "handler", "use", "image", "feimage", "maction",
    "annotation-xml", "mglyph", "malignmark",
}  # fmt: skip
# What an icon (profiles.icons) and a formula (latex2mathml) are made of; anything
# else inside <svg> or <math> came from somewhere else.
SVG_ELEMENTS = {"svg", "g", "path", "circle", "ellipse", "rect", "polygon", "polyline", "line",
                "title", "symbol", "defs", "use"}  # fmt: skip
# Scripts of ours: static files, and the admin's translation catalogue (a view).
OUR_SCRIPTS = (settings.STATIC_URL, "/admin/jsi18n/")
MATH_ELEMENTS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot",
    "mstyle", "merror", "mpadded", "mphantom", "msub", "msup", "msubsup", "munder", "mover",
    "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd", "menclose",
    "semantics", "annotation",
}  # fmt: skip
# Attributes whose value a browser follows, loads or submits to.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "ping", "codebase", "cite", "dynsrc", "lowsrc", "icon", "manifest", "longdesc", "usemap",
    "classid", "archive", "to", "values", "from", "by",
}  # fmt: skip
SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript", "mocha"}
LINK_RELS = {"stylesheet", "icon", "canonical", "alternate"}
# What browsers ignore in a URL: tab and newline anywhere, C0 controls and spaces around it.
URL_NOISE = re.compile(r"[\t\n\r]")
C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.I)
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)[;,]", re.I)
# CSS that fetches, runs legacy script hooks, hides an escape, or lays a box over the page.
RISKY_STYLE = re.compile(
    r"url\s*\(|image-set|expression|javascript:|behavior|binding|@import|\\|"
    r"position\s*:\s*(fixed|absolute|sticky)",
    re.I,
)


def _snippet(node: LexborNode) -> str:
    return (node.html or f"<{node.tag}>")[:160]


def _url_problem(tag: str, name: str, value: str) -> str | None:
    url = URL_NOISE.sub("", value).strip(C0_AND_SPACE)
    scheme = SCHEME.match(url)
    if scheme is None:
        return None
    scheme_name = scheme.group(1).lower()
    if scheme_name in SCRIPT_SCHEMES:
        return "a script URL"
    if scheme_name == "data" and not (
        tag in {"img", "source"} and name in {"src", "srcset"} and DATA_IMAGE.match(url)
    ):
        return "a data: URL that is not a raster image"
    return None


def _attribute_problems(node: LexborNode, tag: str) -> Iterable[str]:
    for raw_name, raw_value in node.attributes.items():
        name, value = raw_name.lower(), raw_value or ""
        if name.startswith("on"):
            yield f"event handler {name}= on {_snippet(node)}"
        elif name == "srcdoc":
            yield f"srcdoc on {_snippet(node)}"
        elif name in URL_ATTRIBUTES or name.endswith(":href"):
            problem = _url_problem(tag, name, value)
            if problem:
                yield f"{problem} in {name}= of {_snippet(node)}"
        elif name in {"srcset", "imagesrcset"}:
            for candidate in value.split(","):
                problem = _url_problem(tag, "srcset", candidate.strip().split(" ")[0])
                if problem:
                    yield f"{problem} in srcset of {_snippet(node)}"
        elif name == "style" and RISKY_STYLE.search(value):
            yield f"risky style {value!r} on {_snippet(node)}"


def _element_problems(node: LexborNode, tag: str, *, fragment: bool) -> Iterable[str]:
    attributes = {name.lower(): value or "" for name, value in node.attributes.items()}
    if tag == "use":
        # Only a reference inside the page (the admin's icons) is inert; another
        # document's content would be drawn, and run, in this one.
        reference = attributes.get("href") or attributes.get("xlink:href") or ""
        if not reference.startswith("#"):
            yield f"a <use> of another document: {_snippet(node)}"
    elif tag in FORBIDDEN_ELEMENTS:
        yield f"a <{tag}> element: {_snippet(node)}"
    elif tag == "script":
        kind = attributes.get("type", "").strip().lower()
        body = node.text(deep=True)
        if fragment:
            yield f"a script in user content: {_snippet(node)}"
        elif "src" in attributes:
            if not attributes["src"].startswith(OUR_SCRIPTS) or body.strip():
                yield f"a script that is not one of our files: {_snippet(node)}"
        elif kind in {"application/ld+json", "application/json"}:  # data, never run
            try:
                json.loads(body)
            except ValueError:
                yield f"JSON-LD that is not JSON (a value broke out?): {body[:160]!r}"
            if "<" in body:
                yield f"an unescaped '<' in JSON-LD: {body[:160]!r}"
        else:
            yield f"an inline script: {_snippet(node)}"
    elif tag == "meta" and "http-equiv" in attributes:
        equiv, content = attributes["http-equiv"].strip().lower(), attributes.get("content", "")
        if fragment or equiv != "refresh" or not content.strip().isdigit():
            yield f"a <meta http-equiv> of user content: {_snippet(node)}"
    elif tag == "link":
        rels = set(attributes.get("rel", "").lower().split())
        if fragment or not rels or not rels <= LINK_RELS:
            yield f"a <link> that is not ours: {_snippet(node)}"
        elif "stylesheet" in rels and not attributes.get("href", "").startswith(
            settings.STATIC_URL
        ):
            yield f"a stylesheet that is not ours: {_snippet(node)}"
    elif tag in {"svg", "math"}:
        allowed = SVG_ELEMENTS if tag == "svg" else MATH_ELEMENTS
        for inner in node.traverse(include_text=False):
            inner_tag = inner.tag.lower()
            if inner_tag not in allowed and inner_tag != "-comment":
                yield f"<{inner_tag}> inside <{tag}>: {_snippet(node)}"


def script_risks(page: str, *, fragment: bool = False) -> list[str]:
    """Every way `page` (a whole page, or user content alone) could run script in a browser."""
    problems: list[str] = []
    for node in LexborHTMLParser(page).root.traverse(include_text=False):
        tag = node.tag.lower()
        if tag == "-comment":
            continue
        problems += _element_problems(node, tag, fragment=fragment)
        problems += _attribute_problems(node, tag)
    return problems


def template_leaks(text: str, payloads: Iterable[Payload]) -> list[str]:
    """Output of template code where text was typed: `{{ 7*7 }}` as 49, {% debug %} and so on."""
    shown = html.unescape(text)
    markers = {marker for payload in payloads for marker in payload.evaluated}
    leaks = [marker for marker in (*markers, *TEMPLATE_LEAKS) if marker in shown]
    if settings.SECRET_KEY in shown:
        leaks.append("the SECRET_KEY")
    return leaks


def _xml(text: str) -> ET.Element:
    # Our own server's output, parsed to check its structure.
    return ET.fromstring(text.encode())


ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SVG_NS = "{http://www.w3.org/2000/svg}"


def feed_risks(text: str) -> list[str]:
    """An Atom feed: well-formed, Atom elements only, and its HTML content inert for readers."""
    problems = [] if "<?xml-stylesheet" not in text else ["an xml-stylesheet instruction"]
    try:
        root = _xml(text)
    except ET.ParseError as error:
        return [f"the feed is not well-formed XML ({error}): a value broke out"]
    for element in root.iter():
        if not element.tag.startswith(ATOM):
            problems.append(f"a non-Atom element {element.tag} in the feed")
        if element.get("type") == "xhtml":
            problems.append("XHTML content in the feed")
        href = element.get("href")
        if href is not None and _url_problem("a", "href", href):
            problems.append(f"a script URL in the feed: {href!r}")
        if element.tag in {f"{ATOM}content", f"{ATOM}summary"} and element.text:
            problems += [f"feed content: {p}" for p in script_risks(element.text, fragment=True)]
    return problems


def sitemap_risks(text: str) -> list[str]:
    try:
        root = _xml(text)
    except ET.ParseError as error:
        return [f"the sitemap is not well-formed XML ({error})"]
    problems = []
    for element in root.iter():
        if not element.tag.startswith(SITEMAP):
            problems.append(f"a foreign element {element.tag} in the sitemap")
        if element.tag == f"{SITEMAP}loc" and not (element.text or "").startswith("http"):
            problems.append(f"a sitemap address that is not http(s): {element.text!r}")
    return problems


def svg_document_risks(text: str) -> list[str]:
    """The favicon, an SVG document of its own when opened: drawing elements only."""
    try:
        root = _xml(text)
    except ET.ParseError as error:
        return [f"the favicon is not well-formed XML ({error}): a value broke out"]
    problems = []
    for element in root.iter():
        if element.tag not in {f"{SVG_NS}svg", f"{SVG_NS}rect", f"{SVG_NS}text"}:
            problems.append(f"{element.tag} in the favicon")
        problems += [f"{name} on {element.tag}" for name in element.attrib if name.startswith("on")]
    return problems


# --------------------------------------------------------------------------- visiting pages


@dataclass
class Visitor:
    """Fetches the pages that payloads reached and checks each one."""

    payloads: list[Payload]  # what these pages may show: one payload, or a batch
    dashboard: Client  # the owner, logged in on the platform host
    site: Client  # the public, on the site's own host
    pages: int = 0

    def check(self, response, where: str) -> None:
        body = response.content.decode("utf-8", errors="replace")
        kind = response.headers.get("Content-Type", "").split(";")[0]
        if kind == "text/html":
            problems = script_risks(body)
        elif kind == "application/atom+xml":
            problems = feed_risks(body)
        elif kind == "image/svg+xml":
            problems = svg_document_risks(body)
        elif kind == "application/xml":
            problems = sitemap_risks(body)
        else:
            problems = []
        location = response.headers.get("Location")
        if location and _url_problem("a", "href", location):
            problems.append(f"a redirect to {location!r}")
        problems += template_leaks(body, self.payloads)
        self.pages += 1
        which = self.payloads[0].id if len(self.payloads) == 1 else f"{len(self.payloads)} payloads"
        assert not problems, f"{which} on {where}:\n  " + "\n  ".join(problems)

    def get(self, client: Client, url: str, *, statuses=(200,)) -> str:
        response = client.get(url)
        assert response.status_code in statuses, f"{url}: {response.status_code}"
        self.check(response, url)
        return response.content.decode("utf-8", errors="replace")

    def post(self, url: str, data: dict, *, label: str = "") -> int:
        """Send a dashboard form; check the page that refused it, or where it redirects."""
        response = self.dashboard.post(url, data)
        assert response.status_code in {200, 302, 400}, f"{url}: {response.status_code}"
        self.check(response, f"POST {label or url}")
        return response.status_code

    def public_site(self, *paths: str) -> None:
        """Pages as visitors see them, and as the owner previews them on the platform."""
        for path in paths:
            self.get(self.site, path)
            self.get(self.dashboard, f"/dashboard/preview{path}")

    def site_pages(self, *paths: str) -> None:
        for path in paths:
            self.get(self.site, path)


@pytest.fixture(autouse=True)
def _no_template_contexts(monkeypatch) -> None:
    # The test client copies every template's context for `response.context`;
    # thousands of pages here never read it, and the copies cost a fifth of the time.
    monkeypatch.setattr("django.test.client.store_rendered_templates", lambda *a, **k: None)


@pytest.fixture
def visitor_for(owner, owner_client, site_client):
    def make(*payloads: Payload) -> Visitor:
        return Visitor(payloads=list(payloads), dashboard=owner_client, site=site_client("ada"))

    return make


# One test per payload takes most of this file's time. The default run (and CI's SQLite
# run) takes every payload one by one; INJECTION_PAYLOADS=sample (CI's PostgreSQL run)
# takes a sample that keeps every payload with characters databases store differently.
# The tests that carry all payloads at once run in full everywhere.
ONE_BY_ONE = sample(PAYLOADS) if os.environ.get("INJECTION_PAYLOADS") == "sample" else PAYLOADS
every_payload = pytest.mark.parametrize("payload", ONE_BY_ONE, ids=str)


def fits(text: str, max_length: int | None) -> bool:
    return max_length is None or len(text) <= max_length


def file_name(payload: Payload, suffix: str) -> str:
    """The payload as an uploaded file's name (a path separator would end it early)."""
    return re.sub(r"[/\\\x00-\x1f\x7f]", "_", payload.text)[:180] + suffix


def saved(status: int, payload: Payload) -> bool:
    """A form that takes any text saved it: only the NUL character is refused, by Django."""
    return status == 302 or "\x00" in payload.text


def assert_echoed(page: str, name: str, typed: str) -> None:
    """The refused form shows back exactly what was typed: no payload broke out of it."""
    tree = LexborHTMLParser(page)
    field = tree.css_first(f'[name="{name}"]')
    assert field is not None, f"no field {name} in the refused form"
    shown = field.text(deep=True) if field.tag == "textarea" else field.attributes.get("value")
    expected = typed.strip().replace("\x00", "\ufffd").replace("\r\n", "\n")
    assert (shown or "").strip() == expected.replace("\r", ""), f"{name} is not echoed as typed"


# --------------------------------------------------------------------------- dashboard forms


PROFILE_TEXT_FIELDS = {
    # field -> max_length: names, subtitle, bio, contact block, photo alt text, ...
    "first_name": 100, "middle_name": 100, "last_name": 100, "subtitle": 300,
    "affiliation": 200, "research_interests": 300, "bio": 20_000, "more_info": 2_000,
    "photo_alt": 200, "contact_note": 2_000, "meta_description": 300, "keywords": 300,
}  # fmt: skip
PROFILE_CHOICES = {
    "photo_align": "left", "photo_shape": "circular", "show_announcements": "on",
    "announcements_limit": "5", "show_selected_papers": "on", "show_social": "on",
}  # fmt: skip


@every_payload
def test_no_payload_typed_into_the_dashboard_runs_on_the_site_or_the_dashboard(
    payload, visitor_for, owner
):
    """Names, subtitle, bio, contact block, photo alt text, links, news, addresses, files."""
    from profiles import services

    photo = SimpleUploadedFile("me.jpg", image_bytes(size=(90, 120)))
    services.set_photo(profile=owner, upload=photo)  # the alt text shows with it
    visit = visitor_for(payload)
    text = payload.text

    profile = {name: text if fits(text, n) else name for name, n in PROFILE_TEXT_FIELDS.items()}
    status = visit.post("/dashboard/profile/", {**profile, **PROFILE_CHOICES}, label="profile")
    assert saved(status, payload)
    response = visit.dashboard.post("/markdownx/markdownify/", {"content": text})
    # markdownx puts this fragment into the editor page as it is: user content only.
    fragment = response.content.decode()
    assert not script_risks(fragment, fragment=True) + template_leaks(fragment, [payload])

    # Links: refused ones say why (the icon's refusal quotes it); a named custom one is saved.
    refused = {"network": "custom", "value": text, "title": text, "icon": text}
    visit.post("/dashboard/links/", refused, label="link (custom)")
    visit.post("/dashboard/links/", {"network": "website", "value": text}, label="link (website)")
    named = {"network": "custom", "value": "https://example.org/", "title": text[:80]}
    visit.post("/dashboard/links/", named, label="link (named)")

    # News: an item with a page and an inline one.
    title = text if fits(text, NewsItem._meta.get_field("title").max_length) else "News"
    for data in (
        {"date": "2024-05-01 10:00", "title": title, "content": text},
        {"date": "2024-04-01 10:00", "inline": "on", "content": text},
    ):
        assert saved(visit.post("/dashboard/news/new/", data, label="news"), payload)

    # Addresses: refused (or, for a few, taken), and the refusals may quote what was typed.
    visit.post("/dashboard/domains/", {"domain": text}, label="domain")

    # File names: refused files may be named in the refusal; accepted ones get our names.
    not_a_photo = SimpleUploadedFile(file_name(payload, ".jpg"), text.encode())
    visit.post("/dashboard/photo/", {"photo": not_a_photo}, label="photo (refused)")
    pdf = SimpleUploadedFile(file_name(payload, ".pdf"), pdf_bytes())
    visit.post("/dashboard/publications/files/", {"file": pdf}, label="paper file")
    pdf = SimpleUploadedFile("paper.pdf", pdf_bytes())
    visit.post(
        "/dashboard/publications/files/", {"file": pdf, "name": text[:255]}, label="paper file"
    )
    image = SimpleUploadedFile(file_name(payload, ".png"), image_bytes("PNG", (60, 30)))
    answer = visit.dashboard.post("/markdownx/upload/", {"image": image}).content.decode()
    assert text not in answer  # markdownx inserts this JSON's markdown into the editor
    cv = SimpleUploadedFile(file_name(payload, ".pdf"), pdf_bytes(), "application/pdf")
    visit.post("/dashboard/links/", {"network": "cv", "document": cv}, label="CV upload")
    bib = SimpleUploadedFile(file_name(payload, ".bib"), b"@misc{named, title = {Named}}")
    visit.post("/dashboard/publications/import/", {"file": bib}, label="BibTeX upload")

    visit.public_site("/")
    items = NewsItem.objects.filter(profile=owner)
    visit.site_pages("/news/", *(item.path for item in items if item.has_page))
    visit.site_pages("/feed.xml", "/favicon.svg")
    for page in (
        "/dashboard/", "/dashboard/links/", "/dashboard/photo/", "/dashboard/news/",
        "/dashboard/publications/imports/",
    ):  # fmt: skip
        visit.get(visit.dashboard, page)
    # Addresses that carry the payload: echoed in a search box or a hidden field, a
    # redirect after logging in, a page that does not exist (a path holding a NUL is a
    # 400 at the door: profiles.address_guard).
    visit.get(visit.dashboard, f"/directory/?{urlencode({'q': text})}")
    visit.get(visit.site, f"/publications/{quote(text, safe='')}/", statuses=(400, 404))
    report = urlencode({"site": "ada", "page": text})
    visit.get(visit.dashboard, f"/report/?{report}", statuses=(200, 400))
    login = f"/accounts/login/?{urlencode({'next': text})}"
    visit.get(Client(HTTP_HOST=settings.PLATFORM_HOST), login)
    visit.get(visit.dashboard, login, statuses=(302,))  # already logged in: sent on, safely
    # Last: a payload that is a valid address moves the site to it.
    visit.post(reverse("dashboard_account_address"), {"slug": text}, label="site address")


def test_refused_dashboard_forms_show_every_payload_back_as_typed_and_inert(visitor_for, owner):
    """Profile, news and publication settings, refused, with every payload in every field."""
    from publications.services import import_bibtex

    visit = visitor_for(*PAYLOADS)
    everything = dict.fromkeys(PROFILE_TEXT_FIELDS, ALL_TEXT)
    page = visit.dashboard.post(
        "/dashboard/profile/", {**everything, **PROFILE_CHOICES, "accent_color": ALL_TEXT}
    )
    visit.check(page, "the refused profile form")
    for name in [*PROFILE_TEXT_FIELDS, "accent_color"]:
        assert_echoed(page.content.decode(), name, ALL_TEXT)

    news = {"date": ALL_TEXT, "title": ALL_TEXT, "slug": ALL_TEXT, "content": ALL_TEXT}
    page = visit.dashboard.post("/dashboard/news/new/", news)
    visit.check(page, "the refused news form")
    for name in news:
        assert_echoed(page.content.decode(), name, ALL_TEXT)

    settings_form = {
        "name_variants": ALL_TEXT,
        "max_author_limit": ALL_TEXT,
        **formset("venues", [{"abbr": ALL_TEXT, "color": ALL_TEXT, "url": ALL_TEXT}]),
        **formset("coauthors", [{"name_variants": ALL_TEXT, "url": ALL_TEXT}]),
    }
    page = visit.dashboard.post("/dashboard/publications/settings/", settings_form)
    visit.check(page, "the refused settings form")
    for name in settings_form:
        if not name.endswith("_FORMS"):
            assert_echoed(page.content.decode(), name, ALL_TEXT)

    import_bibtex(profile=owner, text="@article{plain, title = {Plain}}", source="test")
    paper = Publication.objects.get(profile=owner)
    editor = {**dict.fromkeys(EDITOR_FIELDS, ALL_TEXT), "raw_bibtex": ALL_TEXT}
    page = visit.dashboard.post(f"/dashboard/publications/{paper.pk}/", editor)
    visit.check(page, "the refused paper editor")
    for name in editor:
        assert_echoed(page.content.decode(), name, ALL_TEXT)


# --------------------------------------------------------------------------- BibTeX


# The editor's fields and their limits.
EDITOR_FIELDS = {"title": None, "author": None, "year": 20, "abbr": 100, "pdf": None,
                 "code": None, "html": None, "abstract": None}  # fmt: skip


def paper_pages(visit: Visitor, papers) -> None:
    """The about page (selected papers), the list, and each paper's own page but for the
    third entry of each payload (its title and authors are on the list already)."""
    visit.public_site("/", "/publications/")
    paths = [paper_path(paper) for paper in papers if not paper.key.startswith("m")]
    visit.site_pages("/feed.xml", "/sitemap.xml", *paths)


def test_no_payload_in_any_bibtex_field_runs_on_the_publication_pages(visitor_for, owner):
    """Every payload in every field, imported through the dashboard in one file."""
    visit = visitor_for(*PAYLOADS)
    bibtex = "".join(hostile_bibtex(payload) for payload in PAYLOADS)
    upload = SimpleUploadedFile("papers.bib", bibtex.encode())
    assert visit.post("/dashboard/publications/import/", {"file": upload}) == 302
    # Pasted entries that cannot be read: the report quotes them.
    broken = "".join(
        f"@article{{b{p.number},\n  title = {{{p.text}}}\n  year = {{2020}}\n}}\n\n"
        for p in PAYLOADS
    )
    visit.post("/dashboard/publications/import/", {"text": broken}, label="pasted BibTeX")

    papers = list(Publication.objects.filter(profile=owner))
    keys = {paper.key for paper in papers}
    assert {f"p{p.number}" for p in PAYLOADS if readable_in_bibtex(p)} <= keys
    paper_pages(visit, papers)
    for run in owner.bibtex_imports.all():
        visit.get(visit.dashboard, f"/dashboard/publications/imports/{run.pk}/")
    visit.get(visit.dashboard, "/dashboard/publications/imports/")
    for number in range(1, len(papers) // 50 + 2):
        visit.get(visit.dashboard, f"/dashboard/publications/?page={number}")
    for paper in papers:
        if paper.key.startswith("p"):
            visit.get(visit.dashboard, f"/dashboard/publications/{paper.pk}/")


def test_no_payload_typed_into_the_paper_editor_runs(visitor_for, owner):
    """Each payload in every field of the editor, written into an entry's BibTeX."""
    from publications.services import import_bibtex

    visit = visitor_for(*PAYLOADS)
    plain = "".join(
        f"@article{{e{p.number}, title = {{Plain}}, author = {{Lovelace, Ada}}, year = {{2020}}}}\n"
        for p in PAYLOADS
    )
    import_bibtex(profile=owner, text=plain, source="test")
    papers = {paper.key: paper for paper in Publication.objects.filter(profile=owner)}
    for payload in PAYLOADS:
        paper = papers[f"e{payload.number}"]
        fields = {
            name: payload.text if fits(payload.text, limit) else ""
            for name, limit in EDITOR_FIELDS.items()
        }
        status = visit.post(
            f"/dashboard/publications/{paper.pk}/",
            {**fields, "raw_bibtex": paper.raw_bibtex},
            label=f"the editor of {paper.key}",
        )
        assert saved(status, payload) or not readable_in_bibtex(payload)
    paper_pages(visit, Publication.objects.filter(profile=owner))


# --------------------------------------------------------------------------- settings


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data |= {f"{prefix}-{number}-{name}": value for name, value in row.items()}
    return data


def web_address(text: str) -> bool:
    """Whether the settings' address fields take `text` (they refuse anything else)."""
    from django import forms
    from django.core.exceptions import ValidationError

    try:
        forms.URLField(assume_scheme="https").clean(text)
    except ValidationError:
        return False
    return True


def test_no_payload_in_the_venue_and_coauthor_settings_runs(visitor_for, owner):
    """Venue badges named and linked by payloads, co-authors named and linked by them."""
    from publications.services import import_bibtex

    takes_text = [p for p in PAYLOADS if "\x00" not in p.text]
    abbrs = {p.number: re.sub(r"[{}]", "", p.text)[:100] for p in takes_text}
    abbrs = {n: abbr for n, abbr in abbrs.items() if abbr.strip()}
    import_bibtex(
        profile=owner,
        text="".join(
            f"@article{{v{n}, title = {{Paper {n}}}, journal = {{J}}, abbr = {{{abbr}}}, "
            "author = {Lovelace, Ada and Babbage, Charles and Menabrea, Luigi}, year = {2021}}\n"
            for n, abbr in abbrs.items()
        ),
        source="test",
    )
    visit = visitor_for(*PAYLOADS)
    stored = dict(Publication.objects.filter(profile=owner).values_list("key", "abbr"))
    venues = [{"abbr": abbr, "color": "#00369f", "url": ""} for abbr in set(stored.values())]
    coauthors = [{"name_variants": p.text, "url": "https://example.org/"} for p in takes_text]
    linked = [p.text for p in takes_text if web_address(p.text)]
    coauthors += [{"name_variants": "Babbage, Charles", "url": url} for url in linked[:1]]
    coauthors += [{"name_variants": "Menabrea, Luigi", "url": url} for url in linked[1:2]]
    # A form takes at most DATA_UPLOAD_MAX_NUMBER_FIELDS fields: rows go in a few posts.
    for start in range(0, max(len(venues), len(coauthors)), 150):
        data = {
            "name_variants": ALL_TEXT.replace("\x00", ""),
            "max_author_limit": "2",
            **formset("venues", venues[start : start + 150]),
            **formset("coauthors", coauthors[start : start + 150]),
        }
        assert visit.post("/dashboard/publications/settings/", data, label="settings") == 302
    assert owner.venues.count() == len(venues)
    paper_pages(visit, Publication.objects.filter(profile=owner)[:20])
    visit.get(visit.dashboard, "/dashboard/publications/settings/")
    # Each web address a payload makes, as a badge's link and a co-author's.
    for url in linked:
        owner.venues.update(url=url)
        owner.coauthors.filter(name_variants="Babbage, Charles").update(url=url)
        visit.site_pages("/publications/")


# --------------------------------------------------------------------------- al-folio import


def hostile_alfolio_zip(payloads: list[Payload], *, single: Payload) -> bytes:
    """An al-folio repository: `single` in every one-value setting (names, front matter,
    socials), and each of `payloads` in a news file, a BibTeX entry, a co-author, a venue."""
    text = single.text
    dump = yaml.safe_dump

    def fitting(value: str, max_length: int) -> str:
        return value if len(value) <= max_length else "Lovelace"

    config = {
        "first_name": fitting(text, 100), "middle_name": fitting(text, 100),
        "last_name": fitting(text, 100), "description": fitting(text, 300),
        "keywords": fitting(text, 300), "contact_note": text, "max_author_limit": 3,
        "scholar": {"last_name": [text, "Lovelace"], "first_name": [text, "Ada"]},
        "multifolio": {"affiliation": fitting(text, 200), "research_interests": fitting(text, 300),
                       "accent_color": "#123456", "photo_alt": fitting(text, 200)},
        "github_username": text, "work_url": text, "blogger_url": text,
    }  # fmt: skip
    socials = {
        "email": text, "orcid_id": text, "x_username": text, "wechat_qr": text, "cv_pdf": text,
        "custom_link": {"title": text, "url": text, "icon": text},
        "website": {"url": text},
        **{f"lab{p.number}": {"title": p.text, "url": "https://example.org/"} for p in payloads},
    }  # fmt: skip
    about = {
        "layout": "about", "title": text, "permalink": "/", "subtitle": fitting(text, 300),
        "profile": {"align": "left", "image": text, "image_circular": True, "more_info": text},
        "announcements": {"enabled": True, "limit": 5}, "selected_papers": True, "social": True,
    }  # fmt: skip
    members = {
        "_config.yml": dump(config, allow_unicode=True),
        "_data/socials.yml": dump(socials, allow_unicode=True),
        "_data/coauthors.yml": dump(
            {
                p.text: [{"firstname": [p.text], "url": f"https://example.org/{p.number}"}]
                for p in payloads
            }
            | {"Babbage": [{"firstname": ["Charles"], "url": text}]},
            allow_unicode=True,
        ),
        "_data/venues.yml": dump(
            {p.text: {"color": p.text, "url": p.text} for p in payloads}, allow_unicode=True
        ),
        "_pages/about.md": f"---\n{dump(about, allow_unicode=True)}---\n\n{text}\n",
        "_bibliography/papers.bib": "---\n---\n" + "".join(map(hostile_bibtex, payloads)),
    }
    for p in payloads:
        page = {"layout": "post", "title": p.text, "date": "2024-05-01 10:00:00"}
        members[f"_news/2024-05-01-n{p.number}.md"] = f"---\n{dump(page)}---\n{p.text}\n"
        members[f"_news/announcement_{p.number}.md"] = f"---\ninline: true\n---\n{p.text}\n"
        members[f"_news/2024-03-01-{file_name(p, '.md')}"] = f"---\ntitle: x{p.number}\n---\nx\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(f"site-main/{name}", content)
    return buffer.getvalue()


def import_zip(visit: Visitor, data: bytes, name: str, capture):
    with capture(execute=True):
        status = visit.post(
            reverse("dashboard_import"), {"file": SimpleUploadedFile(name, data)}, label="import"
        )
    assert status == 302
    run = SiteImport.objects.filter(profile__slug="ada").order_by("-pk").first()
    visit.get(visit.dashboard, reverse("dashboard_import_run", args=[run.pk]))
    return run


@every_payload
def test_no_payload_in_an_imported_config_or_front_matter_runs(
    payload, visitor_for, owner, django_capture_on_commit_callbacks
):
    """_config.yml, _data/socials.yml and the about page's front matter, one payload each."""
    visit = visitor_for(payload)
    data = hostile_alfolio_zip([], single=payload)
    run = import_zip(visit, data, file_name(payload, ".zip"), django_capture_on_commit_callbacks)
    assert run.status == SiteImport.Status.DONE, run.error  # NUL escapes too (replaced)
    visit.public_site("/")
    visit.site_pages("/feed.xml", "/favicon.svg")
    visit.get(visit.dashboard, "/dashboard/links/")


def test_no_payload_in_an_imported_sites_news_bibtex_coauthors_or_venues_runs(
    visitor_for, owner, django_capture_on_commit_callbacks
):
    """Every payload in a news file, a file name, a BibTeX entry, a co-author and a venue."""
    visit = visitor_for(*PAYLOADS)
    takes_text = [p for p in PAYLOADS if "\x00" not in p.text]
    data = hostile_alfolio_zip(takes_text, single=PAYLOADS[0])
    run = import_zip(visit, data, "site.zip", django_capture_on_commit_callbacks)
    assert run.status == SiteImport.Status.DONE, run.error
    items = NewsItem.objects.filter(profile=owner)
    assert items.count() >= 2 * len(takes_text)
    visit.public_site("/", "/news/")
    pages = (len(items) + 19) // 20
    visit.site_pages(*(f"/news/?page={n}" for n in range(2, pages + 1)))
    visit.site_pages(*(item.path for item in items if item.has_page and item.title[:1] != "x"))
    paper_pages(visit, Publication.objects.filter(profile=owner))
    visit.get(visit.dashboard, "/dashboard/news/")
    visit.get(visit.dashboard, "/dashboard/links/")


# --------------------------------------------------------------------------- many researchers


def test_no_payload_in_researchers_names_runs_on_the_directory_landing_or_admin_pages(
    visitor_for, owner, moderator
):
    """Names and affiliations of many sites at once, where visitors and moderators list them."""
    from tests.conftest import make_researcher, verified_login

    for payload in PAYLOADS:
        if "\x00" in payload.text:
            continue
        names = {
            "first_name": payload.text[:100],
            "last_name": payload.text[100:200],
            "affiliation": payload.text[:200],
            "research_interests": payload.text[:300],
            "bio": payload.text,
        }
        status = Profile.Status.PENDING if payload.number % 2 else Profile.Status.PUBLISHED
        make_researcher(f"r{payload.number}", status=status, **names)
    visit = visitor_for(*PAYLOADS)
    visit.get(visit.dashboard, "/")
    for number in range(1, len(PAYLOADS) // 24 + 2):
        visit.get(visit.dashboard, f"/directory/?page={number}")
    admin = Client(HTTP_HOST=settings.PLATFORM_HOST)
    verified_login(admin, moderator)
    for query in ("?status__exact=pending", "?status__exact=published&p=2", "?q=script"):
        visit.get(admin, f"/admin/profiles/profile/{query}")
    for profile in Profile.objects.filter(slug__in=["r1", "r2", "r3", "r4"]):
        visit.get(admin, f"/admin/profiles/profile/{profile.pk}/change/")
        visit.get(admin, f"/admin/profiles/profile/{profile.pk}/preview/")


# --------------------------------------------------------------------------- what the suite found
# Each of these was a server error (or a CSP violation on every view) before the suite
# ran into it; they stay here as plain examples.


def test_a_lone_brace_typed_into_the_paper_editor_is_refused_with_the_reason(owner_client, owner):
    from publications.services import import_bibtex

    import_bibtex(profile=owner, text="@article{plain, title = {Plain}}", source="test")
    paper = Publication.objects.get(profile=owner)
    fields = dict.fromkeys(EDITOR_FIELDS, "")
    response = owner_client.post(
        f"/dashboard/publications/{paper.pk}/",
        {**fields, "title": "A {lone brace", "raw_bibtex": paper.raw_bibtex},
    )
    assert response.status_code == 200
    assert "The braces in the value of &quot;title&quot; are not balanced." in response.text


def test_an_entry_with_a_run_of_control_characters_still_opens_in_the_editor(owner_client, owner):
    from publications.services import import_bibtex

    # Fine in a long file, but more control characters than text in the entry alone.
    padding = "".join(f"@misc{{pad{n}, title = {{Padding {n}}}}}\n" for n in range(400))
    import_bibtex(
        profile=owner, text=padding + "@misc{odd, title = {" + "\x01" * 20 + "}}", source="test"
    )
    paper = Publication.objects.get(profile=owner, key="odd")
    response = owner_client.get(f"/dashboard/publications/{paper.pk}/")
    assert response.status_code == 200
    assert "@misc{odd," in response.text


def test_a_nul_past_the_start_of_a_bib_file_is_kept_as_a_replacement_character(owner):
    from publications.services import import_bibtex

    padding = "".join(f"@misc{{pad{n}, title = {{Padding {n}}}}}\n" for n in range(4000))
    import_bibtex(profile=owner, text=padding + "@misc{nul, title = {A\x00B}}", source="test")
    assert Publication.objects.get(profile=owner, key="nul").title == "A\ufffdB"


def test_a_control_character_in_a_news_title_leaves_the_feed_readable(owner, site_client):
    from news.services import save_news_item

    item = NewsItem(title="Tab\x0bbed", content="Form\x0cfeed \x01", date=timezone.now())
    save_news_item(profile=owner, item=item)
    response = site_client("ada").get("/feed.xml")
    assert response.status_code == 200
    assert feed_risks(response.content.decode()) == []
    assert "<title>Tabbed</title>" in response.content.decode()


def test_a_sites_xml_files_run_nothing_and_let_browsers_draw_them_without_violations(
    owner, site_client
):
    visitor = site_client("ada")
    for path in ("/sitemap.xml", "/feed.xml"):
        csp = visitor.get(path)["Content-Security-Policy"]
        assert csp.startswith("default-src 'none'; style-src 'unsafe-inline'; img-src data:;")
        assert "script-src" not in csp
    assert "script-src 'self'" in visitor.get("/")["Content-Security-Policy"]


# --------------------------------------------------------------------------- the checker itself


CAUGHT = [
    '<p><img src="x" onerror="alert(1)"></p>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" JAVASCRIPT:alert(1)">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<script>alert(1)</script>",
    '<script src="https://evil.example/x.js"></script>',
    '<script type="application/ld+json">{"a":"</script><script>alert(1)</script>"}</script>',
    '<p style="background:url(/x)">x</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><mglyph><style><img src=x></style></mglyph></mtext></math>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="//evil.example/x.css">',
    '<iframe srcdoc="x"></iframe>',
    '<form action="vbscript:msgbox(1)"></form>',
    '<svg><use href="//evil.example/icons.svg#a"></use></svg>',
]
PASSED = [
    '<p><a href="https://example.org/javascript:alert(1)" rel="nofollow">javascript:alert(1)</a>'
    "</p>",
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="&lt;script&gt;">',
    '<script src="/static/js/theme.js"></script>',
    '<script type="application/ld+json">{"name":"\\u003Cscript\\u003E"}</script>',
    '<p title="&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)</p>',
    '<span style="background-color:#F9EAFB">x</span>',
    '<svg aria-hidden="true"><use xlink:href="#icon-moon"></use></svg>',
]


@pytest.mark.parametrize("page", CAUGHT)
def test_the_checker_spots_each_way_to_run_script(page):
    # Guards the guard: if the checker missed these, the suite would prove nothing.
    assert script_risks(page)


@pytest.mark.parametrize("page", PASSED)
def test_the_checker_lets_inert_markup_pass(page):
    assert script_risks(page) == []


def test_the_checker_spots_template_output_and_broken_feeds():
    payload = next(p for p in PAYLOADS if p.text == "tpl:{{ 7*7 }}:tpl")
    assert template_leaks("<p>tpl:49:tpl</p>", [payload])
    assert template_leaks("<pre>{&#x27;True&#x27;: True}</pre>", [payload])
    assert not template_leaks("<p>tpl:{{ 7*7 }}:tpl</p>", [payload])
    assert feed_risks('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>')
    summary = "&lt;img src=x onerror=alert(1)&gt;"
    feed = f'<feed xmlns="http://www.w3.org/2005/Atom"><summary type="html">{summary}</summary>'
    assert feed_risks(feed + "</feed>")


def test_the_corpus_has_at_least_150_payloads_in_every_family_the_issue_names():
    families = {payload.family for payload in PAYLOADS}
    assert len(PAYLOADS) >= 150
    assert families >= {"script", "handler", "url", "svg", "mathml", "css", "mutation",
                        "unclosed", "comment", "unicode", "template"}  # fmt: skip
    assert len({payload.text for payload in PAYLOADS}) == len(PAYLOADS)


def test_every_field_the_bibtex_import_reads_is_in_the_suite():
    from publications.bibtex.fields import FLAG_FIELDS, LINK_FIELDS, TEXT_FIELDS

    covered = set(BIBTEX_FIELDS) | set(BIBTEX_SECOND_ENTRY_FIELDS)
    read = {*TEXT_FIELDS, *LINK_FIELDS, *FLAG_FIELDS, "author", "editor", "year", "month",
            "date", "number", "issue", "doi", "journal", "booktitle"}  # fmt: skip
    assert read <= covered, f"not in the suite: {sorted(read - covered)}"
