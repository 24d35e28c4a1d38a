"""The publications page, a page per paper, and the BibTeX downloads, on a site's host.

`request.tenant` is the site; in a preview (profiles.preview) links stay inside it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from profiles.links import site_url
from publications import scholar
from publications.entries import entry_html, paper_bibtex_path, paper_path, year_groups
from publications.exports import export_bibtex, paper_bibtex
from publications.models import Publication
from publications.selectors import page_entries, publications_context


def _href(request: HttpRequest):
    preview = getattr(request, "site_preview", None)
    return preview.href if preview else (lambda url: url)


# Where the entries go in the rendered page (see publications.entries.year_groups).
ENTRIES_MARK = "<!--multifolio:publication-entries-->"


@require_safe
def publications_page(request: HttpRequest) -> HttpResponse:
    """Grouped by year, newest first; the file's order within a year (al-folio's)."""
    profile = request.tenant
    entries = page_entries(profile)
    if not entries:
        raise Http404("This site lists no publications.")
    context = publications_context(profile)
    response = render(
        request,
        "site/publications.html",
        {
            "profile": profile,
            "nav": "publications",
            "entries_mark": mark_safe(ENTRIES_MARK),  # noqa: S308 (our own constant)
            "count": len(entries),
            "sections": {"publications": True},
            "description": f"Publications of {profile.full_name}.",
            "canonical_url": site_url(profile.public_host, "/publications/"),
        },
    )
    body = year_groups(entries, context, href=_href(request))
    response.content = response.content.decode().replace(ENTRIES_MARK, body, 1)
    return response


def _visible(request: HttpRequest, key: str) -> Publication:
    publication = Publication.objects.filter(profile=request.tenant, key=key).visible().first()
    if publication is None:
        raise Http404("No such paper on this site.")
    return publication


@require_safe
def paper(request: HttpRequest, key: str) -> HttpResponse:
    """One paper, with what Google Scholar's inclusion guidelines ask for."""
    profile = request.tenant
    publication = _visible(request, key)
    context = publications_context(profile)
    summary = scholar.plain(publication.abstract_html) or scholar.plain(publication.title_html)
    description = Truncator(summary).chars(160)
    return render(
        request,
        "site/paper.html",
        {
            "profile": profile,
            "nav": "publications",
            "publication": publication,
            "entry": entry_html(publication, context, n=0, href=_href(request), on_paper_page=True),
            "bibtex_url": paper_bibtex_path(publication),
            "sections": {"publications": True},
            "citation_tags": scholar.citation_tags(publication, context),
            "jsonld": scholar.jsonld_script_body(publication, context),
            "description": description,
            "canonical_url": site_url(profile.public_host, paper_path(publication)),
            "og_title": scholar.plain(publication.title_html),
        },
    )


def _bibtex_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/x-bibtex; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def bibtex_download(request: HttpRequest) -> HttpResponse:
    """The whole list as one .bib file; importing it again changes nothing."""
    profile = request.tenant
    return _bibtex_response(export_bibtex(profile), f"{profile.slug}.bib")


@require_safe
def paper_bibtex_download(request: HttpRequest, key: str) -> HttpResponse:
    publication = _visible(request, key)
    return _bibtex_response(paper_bibtex(publication), "citation.bib")
