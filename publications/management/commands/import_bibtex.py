from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.models import Profile
from publications.services import ImportRefused, bibtex_text, import_bibtex


class Command(BaseCommand):
    help = "Import a BibTeX file into a site's publications, merging by citation key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .bib file")
        parser.add_argument("--site", required=True, help="the site's address (slug)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="also remove the site's entries that are not in the file",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )

    def handle(self, *args, file: str, site: str, replace: bool, dry_run: bool, **options):
        profile = Profile.objects.filter(slug=site.lower()).first()
        if profile is None:
            raise CommandError(f"There is no site “{site}”.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        try:
            with path.open("rb") as upload:
                text = bibtex_text(upload)
            report = import_bibtex(
                profile=profile,
                text=text,
                source=f"command: {path.name}",
                replace=replace,
                dry_run=dry_run,
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        except Exception as error:
            if hasattr(error, "messages"):  # a ValidationError from reading the file
                raise CommandError(" ".join(error.messages)) from error
            raise
        for problem in report.problems:
            key = problem["key"] or "(no key)"
            self.stderr.write(f"line {problem['line']}: {key}: {problem['reason']}")
        for warning in report.warnings:
            self.stdout.write(f"line {warning['line']}: {warning['key']}: {warning['message']}")
        summary = f"{profile.slug}: {report.summary()}"
        if report.imported == 0 and report.problems:
            raise CommandError(summary)  # nothing could be imported: exit non-zero
        self.stdout.write(self.style.SUCCESS(summary))
