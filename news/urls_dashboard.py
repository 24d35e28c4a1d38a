"""Dashboard URLs of the news app, under /dashboard/news/."""

from django.urls import path

from news.views import dashboard

urlpatterns = [
    path("", dashboard.news_list, name="dashboard_news"),
    path("new/", dashboard.create_item, name="dashboard_news_create"),
    path("<int:pk>/", dashboard.edit_item, name="dashboard_news_edit"),
    path("<int:pk>/delete/", dashboard.delete_item, name="dashboard_news_delete"),
]
