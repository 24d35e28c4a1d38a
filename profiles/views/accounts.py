"""Sign-up, and Django's own log-in, log-out and password reset, on the platform host."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from profiles.forms import SignupForm
from profiles.links import public_netloc
from profiles.services import register_researcher


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = register_researcher(
                email=data["email"],
                password=data["password1"],
                slug=data["slug"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except IntegrityError:
            # Someone took the address or e-mail between validation and saving.
            form.add_error(None, "That address or e-mail was just taken. Please try another.")
        else:
            login(request, profile.owner, backend="django.contrib.auth.backends.ModelBackend")
            if profile.is_published:
                messages.success(request, "Welcome! Your site is live.")
            else:
                messages.success(
                    request,
                    "Welcome! Your site is waiting for a moderator; meanwhile, make it yours.",
                )
            return redirect("dashboard")
    return render(request, "platform/signup.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Reset links are built from settings, not from the request's Host header."""

    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        form.save(
            domain_override=public_netloc(settings.PLATFORM_HOST),
            use_https=settings.PUBLIC_SCHEME == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return redirect(self.get_success_url())
