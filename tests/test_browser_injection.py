"""The script-injection suite in a real browser (issue 13): no payload runs in Chromium.

Every payload of tests/xss_payloads.py is stored the way the dashboard and the
imports store it (the services behind them; the server-side suite goes through
the forms), then headless Chromium loads the pages that show it. Many payloads
share a page, so that the whole run stays within a minute or two:

- small sites whose every field (names, subtitle, bio, contact block, photo alt
  text, description, keywords, a link's name, an announcement) holds another
  payload, dealt out so that each payload is in two fields of two sites;
- one large site with every payload in its bio, in every field of its own
  BibTeX entry (each entry's paper page is loaded), and as a news item: its
  about, publications, news and item pages, the Atom feed, the sitemap and the
  favicon; its owner's dashboard preview and dashboard pages; and the editor's
  live preview with all payloads typed in.

A payload has run if a dialog opened (its message is the payload's number),
`window.__xss` is set, the browser asked for an `xss-beacon` address or for
anything but an image from another host, the page went elsewhere, a script
threw, or the Content-Security-Policy stopped something (the listener below,
and the reports our own /csp-report/ endpoint stores). Every element is also
sent the events a handler could wait for, and the live DOM is read for what
could run later (handlers, script URLs, frames): Chromium's own parser has the
last word on mutation XSS.

tests/test_injection_suite.py is the fast, server-side layer of the same suite.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from news.models import NewsItem
from news.services import save_news_item
from profiles import services
from profiles.models import CspReport, Profile, SocialLink
from publications.entries import paper_path
from publications.models import Publication
from publications.services import import_bibtex
from tests.conftest import PASSWORD, image_bytes, make_researcher
from tests.xss_payloads import (
    ALL_TEXT,
    BY_NUMBER,
    PAYLOADS,
    Payload,
    hostile_bibtex,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # CI's PostgreSQL run (INJECTION_PAYLOADS=sample, .ci/run) leaves the browser to the
    # SQLite run before it: the pages are rendered from the same rows either way, and
    # the server-side suite checks every page on both databases.
    pytest.mark.skipif(
        os.environ.get("INJECTION_PAYLOADS") == "sample",
        reason="the browser part runs on CI's SQLite pass (INJECTION_PAYLOADS=sample)",
    ),
]

# Installed before any script of a page runs (also in XML documents): records
# every CSP violation the page causes.
WATCH_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI} (${event.sample || ""})`
  );
}, true);
"""

# Fires every event an injected handler could wait for, then lets two frames
# pass (autofocus and other deferred work run there), so that anything that
# would run on a visitor's click or hover runs now.
PROVOKE = """
async () => {
  const events = ["mouseover", "mouseenter", "pointerenter", "pointerover", "focus", "focusin",
                  "blur", "error", "load", "toggle", "animationstart", "begin", "input", "change",
                  "beforeinput", "scroll", "wheel", "keydown"];
  for (const element of document.querySelectorAll("*")) {
    for (const name of events) element.dispatchEvent(new Event(name));
  }
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}
"""

# The live DOM as Chromium built it: whatever could still run script later.
DOM_RISKS = """
() => {
  const problems = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "poster", "background", "ping", "codebase", "cite", "icon", "manifest", "longdesc",
    "to", "values", "from", "by"]);
  const forbidden = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "portal", "fencedframe", "noscript", "template", "xmp", "plaintext", "noembed", "noframes",
    "listing", "style", "foreignobject", "animate", "animatemotion", "animatetransform", "set",
    "discard", "handler", "use", "image", "feimage", "maction", "annotation-xml", "mglyph"]);
  const dataImage = /^data:image\\/(png|jpeg|jpg|gif|webp)[;,]/i;
  const snippet = (element) => element.outerHTML.slice(0, 160);
  const isHtml = document.documentElement.namespaceURI === "http://www.w3.org/1999/xhtml";
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName.toLowerCase();
    if (isHtml && forbidden.has(tag)) problems.push(`<${tag}>: ${snippet(element)}`);
    if (tag === "script") {
      const src = element.getAttribute("src");
      const ours = src !== null && new URL(src, document.baseURI).pathname.startsWith("/static/")
        && new URL(src, document.baseURI).host === location.host;
      if (!ours && element.type !== "application/ld+json") {
        problems.push(`a script that is not ours: ${snippet(element)}`);
      }
    }
    if (tag === "meta" && element.httpEquiv && !/^\\s*\\d+\\s*$/.test(element.content)) {
      problems.push(`a meta http-equiv: ${snippet(element)}`);
    }
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\t\\n\\r]/g, "")
        .replace(/^[\\x00-\\x20]+|[\\x00-\\x20]+$/g, "");
      if (name.startsWith("on")) problems.push(`${name}= on ${snippet(element)}`);
      if (name === "srcdoc") problems.push(`srcdoc on ${snippet(element)}`);
      if (urlAttributes.has(name) || name.endsWith(":href")) {
        const scheme = (/^([a-z][a-z0-9+.-]*):/i.exec(value) || [, ""])[1].toLowerCase();
        if (["javascript", "vbscript", "livescript"].includes(scheme)) {
          problems.push(`a script URL in ${name}= of ${snippet(element)}`);
        }
        if (scheme === "data" && !(tag === "img" && name === "src" && dataImage.test(value))) {
          problems.push(`a data URL in ${name}= of ${snippet(element)}`);
        }
      }
      if (name === "style" && /url\\s*\\(|expression|javascript:|behavior|binding|@import/i.test(
        attribute.value)) {
        problems.push(`risky style on ${snippet(element)}`);
      }
    }
  }
  return problems;
}
"""


@dataclass
class Watch:
    """What the browser saw that a payload could have caused, page by page."""

    port: str
    seen: list[str] = field(default_factory=list)
    pages: int = 0
    current: str = ""

    def note(self, what: str) -> None:
        self.seen.append(f"{self.current}: {what}")


def watched_page(browser, watch: Watch):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_SCRIPT)

    def refuse(request_route) -> None:
        request = request_route.request
        # Images from anywhere are allowed by design (badges, photos hosted elsewhere);
        # this machine has no network, so they are only not fetched.
        if request.resource_type != "image" or "/xss-beacon" in request.url:
            watch.note(f"asked for {request.url} ({request.resource_type})")
        request_route.abort()

    # Matched inside the browser driver, so our own requests pass without a detour:
    # a beacon anywhere, and any host other than the live server's.
    local = rf"(?:[a-z0-9-]+\.)?localhost:{watch.port}"
    context.route(re.compile(r"/xss-beacon"), refuse)
    context.route(re.compile(rf"^(?!(?:https?://{local}/|data:|about:|blob:))"), refuse)
    page = context.new_page()

    def on_dialog(dialog) -> None:
        # The message is the number of the payload that ran (tests/xss_payloads.py).
        payload = BY_NUMBER.get(int(dialog.message)) if dialog.message.isdigit() else None
        watch.note(f"a {dialog.type} dialog said {dialog.message!r} ({payload or 'unknown'})")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.note(f"a script error: {error}"))
    return context, page


def visit(page, watch: Watch, url: str, *, dom: bool = True) -> None:
    watch.current = url
    for _attempt in range(3):
        try:
            response = page.goto(url, wait_until="load")
            break
        except PlaywrightError as error:
            # A page started a navigation of its own (a refresh, a script): note it,
            # and try this one again.
            watch.note(f"a navigation nobody asked for: {error.message.splitlines()[0]}")
    else:
        return
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    look(page, watch, dom=dom)
    if page.url != url:
        watch.note(f"the page went to {page.url}")
    watch.pages += 1


def look(page, watch: Watch, *, dom: bool = True) -> None:
    """Provoke the page, then note what ran, what the policy stopped and what could run."""
    try:
        found = page.evaluate(
            f"""async () => {{
                await ({PROVOKE})();
                return {{
                    marker: window.__xss,
                    violations: window.__cspViolations || [],
                    risks: {"(" + DOM_RISKS + ")()" if dom else "[]"},
                }};
            }}"""
        )
    except PlaywrightError as error:  # something made the page go elsewhere while read
        watch.note(f"the page changed while it was read: {error.message.splitlines()[0]}")
        return
    if found["marker"] is not None:
        watch.note(f"window.__xss = {found['marker']}")
    for violation in found["violations"]:
        watch.note(f"a CSP violation: {violation}")
    for problem in found["risks"]:
        watch.note(problem)


# --------------------------------------------------------------------------- the sites


def dealt(payloads: list[Payload], slots: int) -> list[list[Payload]]:
    """The payloads dealt out `slots` at a time, each at least once (the last hand wraps)."""
    hands = -(-len(payloads) // slots)
    return [[payloads[(hand * slots + slot) % len(payloads)] for slot in range(slots)]
            for hand in range(hands)]  # fmt: skip


def clean(payload: Payload) -> str:
    return payload.text.replace("\x00", "")  # the one character the forms refuse outright


def fitting(payload: Payload, max_length: int) -> str:
    text = clean(payload)
    return text if len(text) <= max_length else ""


# The one-value fields of a small site, with their limits: a payload in each.
SHORT_FIELDS = {
    "first_name": 100, "middle_name": 100, "last_name": 100, "subtitle": 300,
    "affiliation": 200, "research_interests": 300, "photo_alt": 200, "meta_description": 300,
    "keywords": 300, "more_info": 2000, "contact_note": 2000, "bio": 20_000,
}  # fmt: skip


def small_site(number: int, hand: list[Payload], photo: dict) -> Profile:
    """A site with a different payload in each of its fields, its link and its announcement."""
    fields = {name: fitting(payload, limit) for (name, limit), payload in zip(
        SHORT_FIELDS.items(), hand, strict=False)}  # fmt: skip
    fields["first_name"] = fields["first_name"] or "Ada"
    profile = make_researcher(f"s{number}", **fields)
    profile.photo = photo
    profile.save(update_fields=["photo"])
    link, announcement = hand[len(SHORT_FIELDS)], hand[len(SHORT_FIELDS) + 1]
    SocialLink.objects.create(
        profile=profile, network="custom", value="https://example.org/", title=clean(link)[:80]
    )
    item = NewsItem(date=timezone.now(), inline=True, content=clean(announcement))
    save_news_item(profile=profile, item=item)
    return profile


def hostile_site() -> Profile:
    """Every payload at once: in the bio, in every field of its own BibTeX entries, as a
    news item's title and text, and in inline news."""
    bio = ALL_TEXT.replace("\x00", "")  # forms refuse NUL, and PostgreSQL cannot store it
    profile = make_researcher("hostile", first_name="Hostile", last_name="Input", bio=bio)
    profile.announcements_limit = None
    profile.save()
    text = "".join(hostile_bibtex(payload) for payload in PAYLOADS)
    import_bibtex(profile=profile, text=text, source="hostile.bib")
    for payload in PAYLOADS:
        title = fitting(payload, 300) or f"News {payload.number}"
        item = NewsItem(date=timezone.now(), title=title, content=clean(payload))
        save_news_item(profile=profile, item=item)
    for hand in dealt(PAYLOADS, 10):
        content = "\n\n".join(clean(payload) for payload in hand)
        save_news_item(profile=profile, item=NewsItem(inline=True, content=content))
    return profile


@pytest.fixture
def port(settings, live_server, monkeypatch) -> str:
    port = live_server.url.rsplit(":", 1)[1]
    settings.PUBLIC_PORT = port
    # The feed lists the 20 newest items; here it lists them all, so each payload is in it.
    monkeypatch.setattr("news.views.site.FEED_SIZE", 10_000)
    return port


def log_in(page, port: str, email: str) -> None:
    page.goto(f"http://localhost:{port}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"http://localhost:{port}/dashboard/")


# --------------------------------------------------------------------------- the tests


def test_no_payload_runs_in_chromium_on_any_public_page_preview_or_dashboard_page(browser, port):
    donor = make_researcher("donor")
    upload = SimpleUploadedFile("me.jpg", image_bytes(size=(90, 120)))
    services.set_photo(profile=donor, upload=upload)
    photo = Profile.objects.get(pk=donor.pk).photo  # every small site shows it, with its alt
    # Dealt twice, so each payload is in two different fields of two small sites.
    slots = len(SHORT_FIELDS) + 2
    hands = dealt(PAYLOADS, slots) + dealt(PAYLOADS[slots // 2 :] + PAYLOADS[: slots // 2], slots)
    small_sites = [small_site(n, hand, photo).slug for n, hand in enumerate(hands)]
    site = hostile_site()
    # Read now: the live server writes (CSP reports) while pages load, and SQLite's
    # shared in-memory test database locks a table that an open cursor still reads.
    news = list(NewsItem.objects.filter(profile=site).order_by("pk"))
    # Each payload's entry with the payload in every field (the others are on the list).
    papers = list(Publication.objects.filter(profile=site, key__regex=r"^p[0-9]+$"))
    first_paper = Publication.objects.get(profile=site, key="p1")
    watch = Watch(port=port)
    context, page = watched_page(browser, watch)

    for slug in small_sites:
        visit(page, watch, f"http://{slug}.localhost:{port}/")
    base = f"http://hostile.localhost:{port}"
    for path in ("/", "/publications/"):
        visit(page, watch, base + path)
    for number in range(1, (len(news) + 19) // 20 + 1):
        visit(page, watch, f"{base}/news/?page={number}")
    for item in news[:: max(1, len(news) // 30)]:
        if item.has_page:
            visit(page, watch, base + item.path)
    for paper in papers:
        visit(page, watch, base + paper_path(paper))
    # Chromium shows XML as a tree of its own making (with its own <style>), so their
    # DOM is not read here: the server-side suite checks what these files hold.
    for path in ("/feed.xml", "/sitemap.xml", "/favicon.svg"):
        visit(page, watch, base + path, dom=False)

    # The owner's preview and dashboard, then the live preview with every payload typed.
    log_in(page, port, site.owner.email)
    dashboard = f"http://localhost:{port}/dashboard"
    for path in (
        "/preview/", "/preview/publications/", "/preview/news/",
        f"/preview{paper_path(first_paper)}", f"/preview{news[0].path}",
        "/", "/publications/", "/publications/imports/", "/news/", "/links/",
        f"/publications/{first_paper.pk}/", "/profile/",
    ):  # fmt: skip
        visit(page, watch, dashboard + path)
    watch.current = "the editor's live preview"
    # The sentinel goes first: an unclosed comment among the payloads hides what follows it.
    editor = page.locator("textarea.markdownx-editor")
    if editor.count() == 1:
        editor.fill("Start of the payloads.\n\n" + ALL_TEXT)
        page.locator(".markdownx-preview p", has_text="Start of the payloads.").wait_for()
        look(page, watch)
    else:
        watch.note("the editor is missing from its page")
    context.close()

    assert not watch.seen, f"{len(watch.seen)} signs of script:\n" + "\n".join(watch.seen[:40])
    # Browsers send their own violation reports to our endpoint too: none came.
    assert CspReport.objects.count() == 0
    assert watch.pages > len(small_sites) + len(papers)


def test_the_watch_sees_a_dialog_a_beacon_and_a_blocked_inline_handler(browser, port):
    # Guards the guard: the same watch, on one of our pages, with script we put there.
    make_researcher("plain", bio="Nothing to see.")
    watch = Watch(port=port)
    context, page = watched_page(browser, watch)
    visit(page, watch, f"http://plain.localhost:{port}/")
    assert watch.seen == []

    page.evaluate("alert(7)")
    page.evaluate("fetch('/xss-beacon-7').catch(() => null)")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__xss=7\">')"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("dialog said '7'" in sign for sign in watch.seen)
    assert any("xss-beacon-7" in sign for sign in watch.seen)
    assert page.evaluate("window.__xss") is None  # the policy held: the handler never ran
    assert page.evaluate(DOM_RISKS)  # and the DOM scan names it
    # The browser reported the violation to our endpoint.
    deadline = time.monotonic() + 10
    while not CspReport.objects.exists() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert CspReport.objects.filter(document_uri__contains="plain.localhost").exists()
    context.close()
