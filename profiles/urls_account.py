"""Platform-host URLs: account (included from config/urls_platform.py)."""

from django.urls import path

from profiles.views import lifecycle

urlpatterns = [
    # Links sent by e-mail: they work without a log-in (the token proves the mailbox).
    path("accounts/confirm/resend/", lifecycle.resend_confirmation, name="confirm_email_resend"),
    path("accounts/confirm/<str:token>/", lifecycle.confirm_email, name="confirm_email"),
    path(
        "accounts/email/confirm/<str:token>/",
        lifecycle.confirm_email_change,
        name="confirm_email_change",
    ),
    # The signed-in owner's own account; no URL names anyone else's.
    path("dashboard/account/", lifecycle.account, name="dashboard_account"),
    path("dashboard/account/email/", lifecycle.change_email, name="dashboard_account_email"),
    path(
        "dashboard/account/password/",
        lifecycle.change_password,
        name="dashboard_account_password",
    ),
    path("dashboard/account/address/", lifecycle.change_address, name="dashboard_account_address"),
    path("dashboard/account/delete/", lifecycle.delete_account, name="dashboard_account_delete"),
]
