"""URLs of the platform host: landing page, accounts, dashboard, admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from profiles.account_forms import LoginForm
from profiles.views import (
    accounts,
    dashboard,
    domains,
    logins,
    moving,
    platform,
    preview,
    security,
    tls,
    two_factor,
)

account_patterns = [
    path("signup/", accounts.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="platform/login.html",
            redirect_authenticated_user=True,
            authentication_form=LoginForm,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The second step of logging in, and an account's two-factor settings.
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/disable/", two_factor.disable, name="two_factor_disable"),
    path(
        "password-reset/",
        accounts.PasswordResetView.as_view(
            template_name="platform/password_reset_form.html",
            email_template_name="platform/email/password_reset.txt",
            subject_template_name="platform/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="platform/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(
            template_name="platform/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="platform/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

dashboard_patterns = [
    path("", dashboard.overview, name="dashboard"),
    path("preview/", preview.preview, name="dashboard_preview"),
    path("import/", moving.import_site_page, name="dashboard_import"),
    path("import/<int:pk>/", moving.import_run, name="dashboard_import_run"),
    path("import/<int:pk>/import/", moving.import_run_again, name="dashboard_import_again"),
    path("export/", moving.export, name="dashboard_export"),
    path("preview/<path:page>", preview.preview, name="dashboard_preview_page"),
    path("profile/", dashboard.edit_profile, name="dashboard_profile"),
    path("photo/", dashboard.photo, name="dashboard_photo"),
    path("photo/remove/", dashboard.remove_photo, name="dashboard_photo_remove"),
    path("links/", dashboard.links, name="dashboard_links"),
    path("links/<int:pk>/", dashboard.edit_link, name="dashboard_link_edit"),
    path("links/<int:pk>/delete/", dashboard.delete_link, name="dashboard_link_delete"),
    path(
        "links/<int:pk>/move/<str:direction>/",
        dashboard.move_link,
        name="dashboard_link_move",
    ),
    path("domains/", domains.domains, name="dashboard_domains"),
    path("domains/<int:pk>/verify/", domains.verify, name="dashboard_domain_verify"),
    path("domains/<int:pk>/primary/", domains.make_primary, name="dashboard_domain_primary"),
    path("domains/primary/slug/", domains.use_slug_host, name="dashboard_domain_slug_primary"),
    path("domains/<int:pk>/remove/", domains.remove, name="dashboard_domain_remove"),
    path("account/log-ins/", logins.account_logins, name="dashboard_account_logins"),
]

urlpatterns = [
    path("", platform.landing, name="landing"),
    path("robots.txt", platform.robots_txt, name="platform_robots"),
    # Caddy's on-demand TLS asks here, from loopback, before getting a certificate.
    path("tls/ask", tls.ask, name="tls_ask"),
    path(".well-known/security.txt", security.security_txt, name="security_txt"),
    # Browsers post the CSP violations of platform and site pages here.
    path("csp-report/", security.csp_report, name="csp_report"),
    path("accounts/", include(account_patterns)),
    path("dashboard/", include(dashboard_patterns)),
    path("dashboard/publications/", include("publications.urls_dashboard")),
    path("dashboard/news/", include("news.urls_dashboard")),
    path("", include("profiles.urls_directory")),  # /directory/
    path("", include("profiles.urls_account")),  # /accounts/confirm/..., /dashboard/account/...
    path("", include("profiles.urls_reports")),  # /report/
    path("dashboard/moderation/", include("profiles.urls_moderation")),
    # django-markdownx's widget posts to these fixed paths (MARKDOWNX_URLS_PATH,
    # MARKDOWNX_UPLOAD_URLS_PATH); ours require a login and use our pipeline.
    path("markdownx/markdownify/", dashboard.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", dashboard.markdown_image_upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]

# A database outage anywhere in the stack is a 503 page, not a 500 (profiles.unavailable).
handler500 = "profiles.unavailable.server_error"
