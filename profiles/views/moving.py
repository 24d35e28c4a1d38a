"""Moving in and out: import an al-folio site from the dashboard, follow it, export the site.

Imports run as a background task (profiles.alfolio.runs); the page of a run
refreshes itself until its report is in. Every run is fetched scoped to the
researcher's own site: another site's run is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from profiles import upload_limits
from profiles.alfolio.archive import ArchiveRefused
from profiles.alfolio.exporter import export_site
from profiles.alfolio.runs import ImportBusy, import_again, queue_import, running_import
from profiles.dashboard import owned_profile
from profiles.forms import AlfolioImportForm
from profiles.models import SiteImport

SECTION = {"section": "moving"}
# Past this, a queued import that has not started is worth a word: is the worker running?
WAITING_TOO_LONG_SECONDS = 30


@login_required
def import_site_page(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    refusal = None
    if request.method == "POST" and request.FILES:
        refusal = upload_limits.spend_upload(upload_limits.ALFOLIO_IMPORT, request.user)
    if refusal:
        form = AlfolioImportForm(request.POST)  # "check first" stays as it was
        upload_limits.refuse_on_form(form, "file", refusal)
    else:
        form = AlfolioImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            run = queue_import(
                profile=profile,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ArchiveRefused as error:
            form.add_error("file", str(error))
        except ImportBusy:
            messages.error(request, "An import of your site is already running: wait for it first.")
            return redirect("dashboard_import")
        else:
            return redirect("dashboard_import_run", pk=run.pk)
    runs = SiteImport.objects.filter(profile=profile)[:10]
    response = render(
        request,
        "platform/dashboard/moving/import.html",
        {
            **SECTION,
            "profile": profile,
            "form": form,
            "runs": runs,
            "running": running_import(profile),
        },
    )
    return upload_limits.throttled(response, refusal) if refusal else response


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    profile = owned_profile(request)
    run = get_object_or_404(SiteImport, pk=pk, profile=profile)
    waited = (timezone.now() - run.created_at).total_seconds()
    return render(
        request,
        "platform/dashboard/moving/run.html",
        {
            **SECTION,
            "profile": profile,
            "run": run,
            "report": run.report,
            "waiting_too_long": run.status == SiteImport.Status.QUEUED
            and waited > WAITING_TOO_LONG_SECONDS,
        },
    )


@login_required
@require_POST
def import_run_again(request: HttpRequest, pk: int) -> HttpResponse:
    """After a dry run: import the same upload for real."""
    run = get_object_or_404(
        SiteImport,
        pk=pk,
        profile=owned_profile(request),
        dry_run=True,
        status=SiteImport.Status.DONE,
    )
    if not run.upload:
        messages.error(request, "That upload is no longer kept: please upload the file again.")
        return redirect("dashboard_import")
    try:
        again = import_again(run)
    except ImportBusy:
        messages.error(request, "An import of your site is already running: wait for it first.")
        return redirect("dashboard_import")
    return redirect("dashboard_import_run", pk=again.pk)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The whole site as a zip of an al-folio repository's content."""
    profile = owned_profile(request)
    response = HttpResponse(export_site(profile), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{profile.slug}-al-folio.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
