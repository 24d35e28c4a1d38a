"""Platform-host URLs: account (included from config/urls_platform.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
