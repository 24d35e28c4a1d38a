"""Background tasks (django-tasks; the database backend needs no extra server, only
`manage.py db_worker`, which `make run` starts beside the web server)."""

from __future__ import annotations

from django_tasks import task

from profiles.alfolio.runs import run_import


@task()
def run_site_import(run_id: int) -> None:
    """An al-folio import queued from the dashboard (profiles.alfolio.runs)."""
    run_import(run_id)
