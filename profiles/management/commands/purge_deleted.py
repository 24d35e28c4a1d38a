"""Erase for good the sites deleted long enough ago: run daily from cron (README, "Deleting")."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from profiles import accounts


class Command(BaseCommand):
    help = (
        "Erase for good every account and site deleted more than "
        "DELETED_SITE_RETENTION_DAYS days ago: rows and files."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be erased; change nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        days = settings.DELETED_SITE_RETENTION_DAYS
        erased = accounts.purge_deleted(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        for site in erased:
            deleted = timezone.localtime(site.deleted_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{verb} {site.slug} ({site.email}), deleted {deleted}, "
                f"{site.files} file{'s' if site.files != 1 else ''}"
            )
        summary = f"{len(erased)} site(s) deleted more than {days} days ago"
        if dry_run:
            self.stdout.write(
                self.style.WARNING(f"Dry run: would erase {summary}; nothing changed.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Erased {summary}."))
