"""Background tasks (django-tasks; the database backend needs no extra server, only
`manage.py db_worker`, which `make run` starts beside the web server)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from profiles import mail
from profiles.alfolio.runs import run_import


@task()
def run_site_import(run_id: int) -> None:
    """An al-folio import queued from the dashboard (profiles.alfolio.runs)."""
    run_import(run_id)


@task()
def retry_mail(message: dict[str, Any], attempt: int) -> bool:
    """An e-mail the mail server refused, tried again (profiles.mail: it queues the next
    try itself, and logs the message at ERROR after the last)."""
    return mail.retry(message, attempt)
