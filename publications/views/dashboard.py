"""The researcher's publications in the dashboard: import, list, edit, files, settings. Owner only.

Every object is fetched scoped to the signed-in owner's site: another
researcher's paper, file or import is a 404.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, IntegrityError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from profiles import upload_limits
from profiles.dashboard import owned_profile
from profiles.views.dashboard import saved_message
from publications import services
from publications.exports import export_bibtex
from publications.forms import (
    CoauthorFormSet,
    ImportForm,
    PaperFileForm,
    PublicationForm,
    PublicationSettingsForm,
    VenueFormSet,
)
from publications.models import ImportRun, PaperFile, Publication, PublicationSettings
from publications.services import ImportRefused

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
SECTION = {"section": "publications"}


def _back_to_list(request: HttpRequest) -> str:
    """The list page the form was sent from (its search and page), and nowhere else."""
    target = request.POST.get("next", "")
    list_url = reverse("dashboard_publications")
    if target.startswith(list_url) and "//" not in target and "\\" not in target:
        return target
    return list_url


def _owned_publication(request: HttpRequest, pk: int) -> Publication:
    return get_object_or_404(Publication, pk=pk, profile=owned_profile(request))


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    """Every paper, searchable, with the missing files the entries name."""
    profile = owned_profile(request)
    query = request.GET.get("q", "").strip()
    publications = Publication.objects.filter(profile=profile).in_page_order()
    if query:
        publications = publications.filter(
            Q(title__icontains=query) | Q(key__icontains=query) | Q(venue__icontains=query)
            | Q(raw_bibtex__icontains=query)
        )  # fmt: skip
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))
    file_names = set(PaperFile.objects.filter(profile=profile).values_list("name", flat=True))
    rows = [(publication, _missing_files(publication, file_names)) for publication in page]
    return render(
        request,
        "platform/dashboard/publications/list.html",
        {
            **SECTION,
            "profile": profile,
            "page": page,
            "rows": rows,
            "query": query,
            "total": Publication.objects.filter(profile=profile).count(),
            "last_import": ImportRun.objects.filter(profile=profile).first(),
        },
    )


LINK_FIELDS = ("pdf", "supp", "poster", "slides", "preview")


def _missing_files(publication: Publication, file_names: set[str]) -> list[str]:
    """File names the entry uses that no uploaded file has (a button that will not show)."""
    missing = []
    for name in LINK_FIELDS:
        value = getattr(publication, name).strip()
        if value and "://" not in value and value not in file_names:
            missing.append(value)
    return missing


@login_required
def import_bibtex(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    posted = request.method == "POST"  # an empty form sent is still a form sent
    refusal = None
    # Pasted text is parsed like a file, so it counts like one.
    if posted and (request.FILES or request.POST.get("text", "").strip()):
        refusal = upload_limits.spend_upload(upload_limits.BIBTEX_IMPORT, request.user)
    if refusal:
        form = ImportForm(request.POST)  # the pasted text and the check box stay
        upload_limits.refuse_on_form(form, "file", refusal)
    else:
        form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and not refusal and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                text, source = services.bibtex_text(upload), f"upload: {upload.name}"[:300]
            else:
                text, source = form.cleaned_data["text"], "pasted text"
            report = services.import_bibtex(
                profile=profile, text=text, source=source, replace=form.cleaned_data["replace"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        except ImportRefused as error:
            form.add_error(None, str(error))
        except DatabaseError:
            raise  # the database is down: the 503 page (profiles.unavailable)
        except Exception:
            # A bug of ours on this file. The import is one transaction, so nothing
            # changed: the researcher keeps the form and the truth, the log the traceback.
            logger.exception("The BibTeX import of the site %s failed", profile.slug)
            form.add_error(
                None,
                "Something went wrong on our side, and nothing was imported: your "
                "publications are as they were. Please try again later.",
            )
        else:
            run = ImportRun.objects.filter(profile=profile).first()
            level = messages.SUCCESS if report.imported else messages.WARNING
            messages.add_message(request, level, f"Import done: {report.summary()}")
            return redirect("dashboard_bibtex_import_report", pk=run.pk)
    response = render(
        request,
        "platform/dashboard/publications/import.html",
        {**SECTION, "profile": profile, "form": form},
    )
    return upload_limits.throttled(response, refusal) if refusal else response


@login_required
def import_history(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    return render(
        request,
        "platform/dashboard/publications/history.html",
        {**SECTION, "profile": profile, "runs": ImportRun.objects.filter(profile=profile)[:100]},
    )


@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    profile = owned_profile(request)
    run = get_object_or_404(ImportRun, pk=pk, profile=profile)
    return render(
        request,
        "platform/dashboard/publications/report.html",
        {**SECTION, "profile": profile, "run": run},
    )


@login_required
def edit_publication(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _owned_publication(request, pk)
    profile = publication.profile
    try:
        fields = services.entry_from_bibtex(publication.raw_bibtex).fields
    except ValidationError:
        # An entry from a long file may hold what a check of one entry calls binary
        # (a run of control characters): the page still opens, with its BibTeX box.
        fields = {}
    initial = {
        **{name: fields.get(name, "") for name in PublicationForm.FIELDS},
        "selected": publication.selected,
        "bibtex_show": publication.bibtex_show,
        "raw_bibtex": publication.raw_bibtex,
    }
    form = PublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            warnings = _save_edit(publication, form, initial)
        except ValidationError as error:
            form.add_error("raw_bibtex", error)
        except IntegrityError:
            form.add_error("raw_bibtex", "Another of your papers already uses this citation key.")
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, saved_message(profile, f"Saved {publication.key}."))
            return redirect("dashboard_publications")
    return render(
        request,
        "platform/dashboard/publications/edit.html",
        {**SECTION, "profile": profile, "publication": publication, "form": form},
    )


def _save_edit(publication: Publication, form: PublicationForm, initial: dict) -> list[str]:
    data = form.cleaned_data
    if data["raw_bibtex"].strip() != initial["raw_bibtex"].strip():
        text = data["raw_bibtex"]
    else:
        changes = {
            name: data[name] for name in PublicationForm.FIELDS if data[name] != initial[name]
        }
        for flag in ("selected", "bibtex_show"):
            if data[flag] != initial[flag]:
                changes[flag] = "true" if data[flag] else ""
        if not changes:
            return []
        text = services.patched_bibtex(publication, changes)
    entry = services.entry_from_bibtex(text)
    return services.save_publication(publication=publication, entry=entry)


@login_required
@require_POST
def toggle_selected(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _owned_publication(request, pk)
    flag = "" if publication.selected else "true"
    text = services.patched_bibtex(publication, {"selected": flag})
    services.save_publication(publication=publication, entry=services.entry_from_bibtex(text))
    return redirect(_back_to_list(request))


@login_required
@require_POST
def delete_publications(request: HttpRequest) -> HttpResponse:
    """One paper or several (the list's check boxes); only the owner's own."""
    profile = owned_profile(request)
    pks = [int(pk) for pk in request.POST.getlist("pk") if pk.isdigit()]
    keys = list(
        Publication.objects.filter(profile=profile, pk__in=pks).values_list("key", flat=True)
    )
    result = services.delete_publications(profile=profile, keys=keys)
    if result.deleted:
        n = result.deleted
        messages.success(request, f"{n} paper{'s' if n != 1 else ''} deleted.")
    if result.kept_hidden:
        n = result.kept_hidden
        messages.warning(
            request,
            f"{n} paper{'s were' if n != 1 else ' was'} not deleted: a moderator hid "
            f"{'them' if n != 1 else 'it'}, so {'they are' if n != 1 else 'it is'} not on your "
            "site. Edit and ask for a review, or wait for a moderator's decision.",
        )
    if not result.deleted and not result.kept_hidden:
        messages.warning(request, "Tick the papers to delete first.")
    return redirect("dashboard_publications")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Every paper, hidden ones included, as the owner's own backup."""
    profile = owned_profile(request)
    response = HttpResponse(
        export_bibtex(profile, include_hidden=True), content_type="application/x-bibtex"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{profile.slug}.bib"'
    return response


@login_required
def files(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    posted = request.method == "POST"
    refusal = None
    if posted and request.FILES:
        refusal = upload_limits.spend_upload(upload_limits.PAPER_FILE, request.user)
    if refusal:
        form = PaperFileForm(request.POST)  # the name typed stays
        upload_limits.refuse_on_form(form, "file", refusal)
    else:
        form = PaperFileForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and not refusal and form.is_valid():
        try:
            stored = services.store_paper_file(
                profile=profile, upload=form.cleaned_data["file"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"{stored.name} uploaded.")
            return redirect("dashboard_paper_files")
    response = render(
        request,
        "platform/dashboard/publications/files.html",
        {
            **SECTION,
            "profile": profile,
            "form": form,
            "files": PaperFile.objects.filter(profile=profile),
        },
    )
    return upload_limits.throttled(response, refusal) if refusal else response


@login_required
@require_POST
def delete_file(request: HttpRequest, pk: int) -> HttpResponse:
    file = get_object_or_404(PaperFile, pk=pk, profile=owned_profile(request))
    name = file.name
    services.delete_paper_file(file=file)
    messages.success(request, f"{name} deleted.")
    return redirect("dashboard_paper_files")


@login_required
def publication_settings(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    settings, _ = PublicationSettings.objects.get_or_create(profile=profile)
    data = request.POST or None
    form = PublicationSettingsForm(data, instance=settings)
    venues = VenueFormSet(data, instance=profile, prefix="venues")
    coauthors = CoauthorFormSet(data, instance=profile, prefix="coauthors")
    if request.method == "POST" and all(f.is_valid() for f in (form, venues, coauthors)):
        form.save()
        venues.save()
        coauthors.save()
        messages.success(request, saved_message(profile))
        return redirect("dashboard_publication_settings")
    return render(
        request,
        "platform/dashboard/publications/settings.html",
        {
            **SECTION,
            "profile": profile,
            "form": form,
            "venues": venues,
            "coauthors": coauthors,
        },
    )
