"""Dashboard URLs of the publications app, under /dashboard/publications/."""

from django.urls import path

from publications.views import dashboard

urlpatterns = [
    path("", dashboard.publication_list, name="dashboard_publications"),
    path("import/", dashboard.import_bibtex, name="dashboard_bibtex_import"),
    path("imports/", dashboard.import_history, name="dashboard_bibtex_imports"),
    path("imports/<int:pk>/", dashboard.import_report, name="dashboard_bibtex_import_report"),
    path("export.bib", dashboard.export, name="dashboard_bibtex_export"),
    path("delete/", dashboard.delete_publications, name="dashboard_publications_delete"),
    path("files/", dashboard.files, name="dashboard_paper_files"),
    path("files/<int:pk>/delete/", dashboard.delete_file, name="dashboard_paper_file_delete"),
    path("settings/", dashboard.publication_settings, name="dashboard_publication_settings"),
    path("<int:pk>/", dashboard.edit_publication, name="dashboard_publication_edit"),
    path("<int:pk>/selected/", dashboard.toggle_selected, name="dashboard_publication_selected"),
]
