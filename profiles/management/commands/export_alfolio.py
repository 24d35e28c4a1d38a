from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.alfolio.exporter import export_site
from profiles.models import Profile


class Command(BaseCommand):
    help = "Export a site as a zip of an al-folio repository's content (import it anywhere)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--slug", required=True, help="the site's address (slug)")
        parser.add_argument("out", help="the .zip to write")

    def handle(self, *args, slug: str, out: str, **_):
        profile = Profile.objects.filter(slug__iexact=slug.strip()).first()
        if profile is None:
            raise CommandError(f"There is no site “{slug}”.")
        path = Path(out)
        if path.suffix.lower() != ".zip":
            raise CommandError(
                f"{out} does not end in .zip; name the file to write, e.g. site.zip."
            )
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write {path.name} in.")
        data = export_site(profile)
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(data):,} bytes)."))
