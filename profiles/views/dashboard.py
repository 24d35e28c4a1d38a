"""The researcher's dashboard: edit the about page, photo and links. Owner only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from profiles import services, upload_limits
from profiles.dashboard import owned_link, owned_profile
from profiles.forms import PhotoForm, ProfileForm, SocialLinkForm
from profiles.markup import BIO_MAX_CHARS, MarkupTooLarge, render_markdown
from profiles.models import Profile, SocialLink
from profiles.preview import rewrite_media_for
from profiles.social import NETWORKS
from profiles.views.preview import owner_preview
from publications.selectors import publication_count


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    return render(
        request,
        "platform/dashboard/overview.html",
        {
            "profile": profile,
            "links": profile.social_links.all(),
            "publication_count": publication_count(profile),
            "hidden_count": profile.hidden_items.count(),
            "signup_publishes": settings.SIGNUP_PUBLISHES_SITE,
            "section": "overview",
        },
    )


def saved_message(profile: Profile, saved: str = "Saved.") -> str:
    """What a save means for visitors, which depends on whether they can see the site."""
    if profile.is_published:
        return f"{saved} Your site shows the change now."
    if profile.status == Profile.Status.PENDING:
        return (
            f"{saved} The preview shows the change; visitors will see it once a moderator "
            "publishes your site."
        )
    return (
        f"{saved} The preview shows the change; visitors cannot see your site while it is "
        "suspended."
    )


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_profile(form=form)
        messages.success(request, saved_message(profile))
        return redirect("dashboard_profile")
    return render(
        request,
        "platform/dashboard/profile.html",
        {"form": form, "profile": profile, "section": "profile"},
    )


@login_required
def photo(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    refusal = None
    if request.method == "POST" and request.FILES:
        refusal = upload_limits.spend_upload(upload_limits.PHOTO, request.user)
    if refusal:
        form = PhotoForm(request.POST)
        upload_limits.refuse_on_form(form, "photo", refusal)
    else:
        form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.set_photo(profile=profile, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            messages.success(request, saved_message(profile, "Your new photo is saved."))
            return redirect("dashboard_photo")
    response = render(
        request,
        "platform/dashboard/photo.html",
        {
            "form": form,
            "profile": profile,
            "section": "photo",
            "site_preview": owner_preview(profile),  # the photo is fetched from the site's host
        },
    )
    return upload_limits.throttled(response, refusal) if refusal else response


@login_required
@require_POST
def remove_photo(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    services.remove_photo(profile=profile)
    messages.success(request, saved_message(profile, "Photo removed."))
    return redirect("dashboard_photo")


@login_required
def links(request: HttpRequest) -> HttpResponse:
    profile = owned_profile(request)
    form, refusal = _link_form(request, profile=profile)
    if request.method == "POST" and not refusal and _save_link(request, form):
        messages.success(request, f"{form.instance.label} added.")
        return redirect("dashboard_links")
    response = render(
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
    return upload_limits.throttled(response, refusal) if refusal else response


@login_required
def edit_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = owned_link(request, pk)
    form, refusal = _link_form(request, profile=link.profile, instance=link)
    if request.method == "POST" and not refusal and _save_link(request, form):
        messages.success(request, f"{link.label} saved.")
        return redirect("dashboard_links")
    response = render(
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
    return upload_limits.throttled(response, refusal) if refusal else response


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


def _link_form(
    request: HttpRequest, *, profile: Profile, instance: SocialLink | None = None
) -> tuple[SocialLinkForm, upload_limits.UploadRefused | None]:
    """The links form as sent; refused, with what was typed kept, past the files budget."""
    refusal = None
    if request.method == "POST" and request.FILES:  # a QR image or a CV
        refusal = upload_limits.spend_upload(upload_limits.LINK_FILE, request.user)
    if refusal:
        form = SocialLinkForm(request.POST, instance=instance, profile=profile)
        field = "document" if "document" in request.FILES else "image_upload"
        upload_limits.refuse_on_form(form, field, refusal)
    else:
        form = SocialLinkForm(
            request.POST or None, request.FILES or None, instance=instance, profile=profile
        )
    return form, refusal


def _save_link(request: HttpRequest, form: SocialLinkForm) -> bool:
    """Validate and save; False, with the reason on the form, when that fails."""
    if not form.is_valid():
        return False
    try:
        services.save_social_link(
            profile=owned_profile(request),
            link=form.save(commit=False),
            qr_upload=form.cleaned_data.get("image_upload"),
            cv_pdf=form.cleaned_pdf,
        )
    except ValidationError as error:  # the QR image did not pass the pipeline, or no room
        form.add_error("document" if form.cleaned_pdf else "image_upload", error)
        return False
    except IntegrityError:  # the network was taken between validation and saving
        form.add_error("network", "You already have this one; edit it in the list instead.")
        return False
    return True


# The longest text any editor holds, and what it can weigh in a request: up
# to 4 bytes a character in multipart form data, 9 when percent-encoded.
PREVIEW_MAX_CHARS = BIO_MAX_CHARS
PREVIEW_MAX_BYTES = PREVIEW_MAX_CHARS * 9 + 16_384


def _preview_refused(message: str) -> HttpResponse:
    # markdownx shows whatever the endpoint answers in the preview panel.
    return HttpResponse(
        format_html('<p class="preview-refused" role="alert">{}</p>', message), status=413
    )


@login_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """django-markdownx's live preview: exactly the sanitized HTML the site will show.

    Owners preview their own text; moderators editing a profile in the admin
    preview too. Oversize input is refused before it is read or rendered.
    """
    own = Profile.objects.filter(owner=request.user).values_list("pk", flat=True).first()
    moderator = request.user.has_perm("profiles.change_profile")
    if own is None and not moderator:
        raise Http404("This account has no site.")
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > PREVIEW_MAX_BYTES:
        return _preview_refused(
            f"Too long to preview: the limit is {PREVIEW_MAX_CHARS:,} characters."
        )
    content = request.POST.get("content", "")
    if len(content) > PREVIEW_MAX_CHARS:
        return _preview_refused(
            f"Too long to preview: {len(content):,} characters, and the limit is "
            f"{PREVIEW_MAX_CHARS:,}."
        )
    try:
        html = render_markdown(content)
    except MarkupTooLarge as error:
        return _preview_refused(str(error))
    # Editor images live on their site's host (profiles.media); show them from there.
    return HttpResponse(rewrite_media_for(html, lambda site_id: moderator or site_id == own))


@login_required
@require_POST
def markdown_image_upload(request: HttpRequest) -> HttpResponse:
    """Images dropped into the editor go through the same pipeline as the photo."""
    try:
        profile = request.user.profile
    except Profile.DoesNotExist:
        if not request.user.has_perm("profiles.change_profile"):
            raise Http404("This account has no site.") from None
        # A moderator editing someone's bio in the admin: the image would land
        # in no site's folder. Say so where markdownx shows it (editor.js).
        return JsonResponse(
            {"image": ["Images are added from the researcher's own dashboard."]}, status=400
        )
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    refusal = upload_limits.spend_upload(upload_limits.EDITOR_IMAGE, request.user)
    if refusal:
        # editor.js shows "image" above the editor, as for any refused image.
        return upload_limits.throttled(JsonResponse({"image": [refusal.message]}), refusal)
    try:
        url = services.store_upload_image(profile=profile, upload=upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    return JsonResponse({"image_code": f"![]({url})"})
