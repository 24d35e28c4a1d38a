from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.alfolio import ArchiveRefused, ImportRefused
from profiles.alfolio.runs import import_path


class Command(BaseCommand):
    help = (
        "Import an al-folio site (its repository's folder, a .zip of it, or its about.md) "
        "into a site, creating the site when the address is free."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="a folder, a .zip, or an about.md")
        parser.add_argument("--slug", required=True, help="the site's address (slug)")
        parser.add_argument(
            "--owner", default="", help="the owner's e-mail: needed to create a new site"
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish the site (new sites wait for review)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )

    def handle(self, *args, path: str, slug: str, owner: str, publish: bool, dry_run: bool, **_):
        try:
            report = import_path(
                Path(path), slug=slug, owner_email=owner, publish=publish, dry_run=dry_run
            )
        except (ArchiveRefused, ImportRefused) as error:
            raise CommandError(str(error)) from error
        headline, *rest = report.lines()
        self.stdout.write(self.style.SUCCESS(headline))
        for line in rest:
            self.stdout.write(line)
        if report.status and not dry_run:
            self.stdout.write(f"The site is {report.status.lower()}.")
