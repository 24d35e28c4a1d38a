"""Platform-host URLs: directory (included from config/urls_platform.py)."""

from django.urls import path

from profiles.views import directory

urlpatterns = [
    path("directory/", directory.directory, name="directory"),
]
