"""Platform-host URLs: reports (included from config/urls_platform.py)."""

from django.urls import path

from profiles.views import reports

urlpatterns = [
    path("report/", reports.report, name="report"),
    path("report/sent/", reports.report_sent, name="report_sent"),
]
