"""A site's uploaded files, served on the site's own host (profiles.media says why)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from profiles.alfolio.runs import moved_asset_url
from profiles.media import content_type, owner_id, site_folder
from publications.selectors import paper_file_name

# Uploads are data, never a page: nothing in them may run or load anything,
# even if a browser were talked into rendering one as HTML.
MEDIA_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def _download_name(profile, name: str) -> str:
    """A CV as "<name>-cv.pdf"; a paper's file under the name its BibTeX uses."""
    if name.startswith(site_folder(profile.pk, "files")):
        return paper_file_name(profile, name) or "document.pdf"
    return f"{slugify(profile.full_name) or profile.slug}-cv.pdf"


@require_safe
def site_media(request: HttpRequest, name: str) -> FileResponse:
    """One file of `request.tenant`'s; another site's file, or no such file, is a 404.

    Unpublished sites reach this only with a preview token (TenancyMiddleware).
    """
    profile = request.tenant
    kind = content_type(name)
    if owner_id(name) != profile.pk or kind is None:
        raise Http404("No such file on this site.")
    try:
        file = default_storage.open(name)
    except FileNotFoundError:
        raise Http404("No such file on this site.") from None
    is_document = kind == "application/pdf"
    response = FileResponse(
        file,
        content_type=kind,
        # A document is downloaded, never shown inline on the site's origin.
        as_attachment=is_document,
        filename=_download_name(profile, name) if is_document else "",
    )
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    if request.is_media_preview:
        response.headers["Cache-Control"] = "private, no-store"
    else:
        # Names are content-hashed, so browsers may keep a file; shared caches
        # (a CDN) only briefly, so that a suspension takes effect within minutes.
        response.headers["Cache-Control"] = "public, max-age=86400, s-maxage=300"
    return response


@require_safe
def moved_asset(request: HttpRequest, path: str) -> HttpResponseRedirect:
    """`/assets/...` of a site imported from al-folio: a redirect to where the file is now.

    Links from elsewhere (search engines, other people's pages, a custom domain
    that was a GitHub Pages site) keep working. Paper files by the name their
    BibTeX gives; images and PDFs the texts showed by the last import's record.
    A temporary redirect: importing again may move a file.
    """
    url = moved_asset_url(request.tenant, f"assets/{path}")
    if url is None:
        raise Http404("No such file on this site.")
    response = HttpResponseRedirect(url)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
