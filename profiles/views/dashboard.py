"""The researcher's dashboard: edit the about page, photo and links. Owner only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from profiles import services
from profiles.dashboard import owned_link, owned_profile
from profiles.forms import PhotoForm, ProfileForm, SocialLinkForm
from profiles.markup import render_markdown
from profiles.social import NETWORKS
from profiles.views.site import about_context


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    return render(
        request,
        "platform/dashboard/overview.html",
        {"profile": profile, "links": profile.social_links.all(), "section": "overview"},
    )


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    """The about page as visitors will see it, also while the site awaits a moderator."""
    profile = owned_profile(request)
    context = {**about_context(profile), "preview": True}
    response = render(request, "site/about.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved. Your site shows the change now.")
        return redirect("dashboard_profile")
    return render(
        request,
        "platform/dashboard/profile.html",
        {"form": form, "profile": profile, "section": "profile"},
    )


@login_required
def photo(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_photo(profile=profile, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            messages.success(request, "Your new photo is on your site.")
            return redirect("dashboard_photo")
    return render(
        request,
        "platform/dashboard/photo.html",
        {"form": form, "profile": profile, "section": "photo"},
    )


@login_required
@require_POST
def remove_photo(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    services.remove_photo(profile=profile)
    messages.success(request, "Photo removed.")
    return redirect("dashboard_photo")


@login_required
def links(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form = SocialLinkForm(request.POST or None, request.FILES or None, profile=profile)
    if request.method == "POST" and _save_link(request, form):
        messages.success(request, f"{form.instance.label} added.")
        return redirect("dashboard_links")
    return render(
        request,
        "platform/dashboard/links.html",
        {
            "profile": profile,
            "links": profile.social_links.all(),
            "form": form,
            "networks": NETWORKS.values(),
            "section": "links",
        },
    )


@login_required
def edit_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = owned_link(request, pk)
    form = SocialLinkForm(
        request.POST or None, request.FILES or None, instance=link, profile=link.profile
    )
    if request.method == "POST" and _save_link(request, form):
        messages.success(request, f"{link.label} saved.")
        return redirect("dashboard_links")
    return render(
        request,
        "platform/dashboard/link_edit.html",
        {
            "profile": link.profile,
            "link": link,
            "form": form,
            "networks": NETWORKS.values(),
            "section": "links",
        },
    )


@login_required
@require_POST
def delete_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = owned_link(request, pk)
    label = link.label
    services.delete_social_link(link=link)
    messages.success(request, f"{label} removed.")
    return redirect("dashboard_links")


@login_required
@require_POST
def move_link(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    if direction not in {"up", "down"}:
        raise Http404("Links move up or down.")
    link = owned_link(request, pk)
    services.move_social_link(link=link, offset=-1 if direction == "up" else 1)
    return redirect("dashboard_links")


def _save_link(request: HttpRequest, form: SocialLinkForm) -> bool:
    """Validate and save; False, with the reason on the form, when that fails."""
    if not form.is_valid():
        return False
    try:
        services.save_social_link(
            profile=owned_profile(request),
            link=form.save(commit=False),
            qr_upload=form.cleaned_data.get("image_upload"),
        )
    except ValidationError as error:  # the QR image did not pass the pipeline
        form.add_error("image_upload", error)
        return False
    except IntegrityError:  # the network was taken between validation and saving
        form.add_error("network", "You already have this one; edit it in the list instead.")
        return False
    return True


@login_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """django-markdownx's live preview: exactly the sanitized HTML the site will show."""
    owned_profile(request)
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@login_required
@require_POST
def markdown_image_upload(request: HttpRequest) -> HttpResponse:
    """Images dropped into the editor go through the same pipeline as the photo."""
    profile = owned_profile(request)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        url = services.store_upload_image(profile=profile, upload=upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    return JsonResponse({"image_code": f"![]({url})"})
