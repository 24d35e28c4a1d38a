"""What search engines read on a paper's page: Highwire Press `citation_*` tags and JSON-LD.

Google Scholar's inclusion guidelines ask for the first: one page per paper,
with its title, each author, the publication date, the journal or conference,
volume, issue, pages and, ideally, the PDF. No static theme gives a researcher
this; it is why a paper's own PDF gets indexed.
"""

from __future__ import annotations

import re

from django.utils.html import strip_tags

from profiles.links import site_url
from profiles.seo import jsonld_script_body as _jsonld_body
from publications.entries import PROCEEDINGS, THESES, file_url, paper_path
from publications.models import PaperFile, Publication
from publications.selectors import PublicationsContext

_HTTP_RE = re.compile(r"\Ahttps?://", re.I)
_PAGES_RE = re.compile("\\s*(?:--|\u2013|\u2014|-)\\s*")  # -- en dash, em dash, hyphen


def plain(html: str) -> str:
    """Sanitized HTML as one line of text (formulas keep their characters)."""
    return " ".join(strip_tags(html).split())


def author_citation_name(author: dict) -> str:
    """ "Last, First" as the guidelines prefer; corporate names whole."""
    last = " ".join(part for part in (author.get("von", ""), author.get("last", "")) if part)
    if author.get("jr"):
        last = f"{last}, {author['jr']}"
    first = author.get("first", "")
    return f"{last}, {first}" if first else last


def pdf_url(publication: Publication, context: PublicationsContext) -> str:
    """An uploaded PDF's absolute address on the site's own host, or an http(s) PDF link."""
    value = publication.pdf.strip()
    if _HTTP_RE.match(value):
        return value
    file = context.files.get(value)
    if file is not None and file.kind == PaperFile.Kind.DOCUMENT:
        return site_url(context.profile.public_host, file_url(file))
    return ""


def citation_tags(publication: Publication, context: PublicationsContext) -> list[tuple[str, str]]:
    tags = [("citation_title", plain(publication.title_html))]
    tags += [
        ("citation_author", author_citation_name(author))
        for author in publication.authors
        if not author.get("others")
    ]
    if publication.year:
        date = f"{publication.year}"
        if publication.month:
            date += f"/{publication.month:02d}"
        tags.append(("citation_publication_date", date))
    if publication.venue:
        if publication.entry_type in PROCEEDINGS:
            tags.append(("citation_conference_title", publication.venue))
        elif publication.entry_type in THESES:
            tags.append(("citation_dissertation_institution", publication.venue))
        elif publication.entry_type in {"techreport", "report"}:
            tags.append(("citation_technical_report_institution", publication.venue))
        else:
            tags.append(("citation_journal_title", publication.venue))
    for name, value in (
        ("citation_volume", publication.volume),
        ("citation_issue", publication.number),
        ("citation_publisher", publication.publisher),
        ("citation_doi", publication.doi),
        ("citation_isbn", publication.isbn),
        ("citation_arxiv_id", publication.arxiv),
    ):
        if value:
            tags.append((name, value))
    if publication.pages:
        pages = _PAGES_RE.split(publication.pages, maxsplit=1)
        tags.append(("citation_firstpage", pages[0]))
        if len(pages) > 1 and pages[1]:
            tags.append(("citation_lastpage", pages[1]))
    pdf = pdf_url(publication, context)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    abstract = plain(publication.abstract_html)
    if abstract:
        tags.append(("citation_abstract", abstract))
    return tags


def scholarly_article(publication: Publication, context: PublicationsContext) -> dict:
    """schema.org ScholarlyArticle for the paper's page."""
    article: dict = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": plain(publication.title_html)[:500],
        "name": plain(publication.title_html),
        "url": site_url(context.profile.public_host, paper_path(publication)),
        "author": [
            {
                "@type": "Person",
                "name": " ".join(
                    part
                    for part in (author.get("first"), author.get("von"), author.get("last"))
                    if part
                ),
            }
            for author in publication.authors
            if not author.get("others")
        ],
    }
    if publication.year:
        article["datePublished"] = (
            f"{publication.year}-{publication.month:02d}"
            if publication.month
            else str(publication.year)
        )
    if publication.venue:
        article["isPartOf"] = {"@type": "PublicationIssue", "name": publication.venue}
    if publication.doi:
        article["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": publication.doi,
        }
        article["sameAs"] = f"https://doi.org/{publication.doi}"
    abstract = plain(publication.abstract_html)
    if abstract:
        article["abstract"] = abstract
    pdf = pdf_url(publication, context)
    if pdf:
        article["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": pdf,
            "encodingFormat": "application/pdf",
        }
    return article


def jsonld_script_body(publication: Publication, context: PublicationsContext) -> str:
    return _jsonld_body(scholarly_article(publication, context))


__all__ = ["citation_tags", "jsonld_script_body", "plain", "scholarly_article"]
