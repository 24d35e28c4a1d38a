"""The owner's side of moderation, under /dashboard/moderation/."""

from django.urls import path

from profiles.views import moderation

urlpatterns = [
    path("", moderation.overview, name="dashboard_moderation"),
    path("<int:pk>/review/", moderation.ask_for_review, name="dashboard_ask_review"),
]
