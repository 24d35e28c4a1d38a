"""`manage.py seed_sites --count N [--prefix bench]`: N published sites at once (profiles.bulk)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from profiles.bulk import MAX_COUNT, SEED_EMAIL_DOMAIN, SeedRefused, check_prefix, seed_sites


class Command(BaseCommand):
    help = (
        "Create N published sites <prefix>-00001... with accounts that cannot log in, "
        "for benchmarks; refuses a prefix that any site or account already uses."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--count", type=int, required=True, help=f"how many sites (1 to {MAX_COUNT:,})"
        )
        parser.add_argument(
            "--prefix", default="bench", help="addresses are <prefix>-00001 ... (default: bench)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the prefix and say what would be made"
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="seed even with DEBUG off: the sites are public and listed in the directory",
        )

    def handle(
        self, *args, count: int, prefix: str, dry_run: bool, allow_production: bool, **options
    ) -> None:
        if not settings.DEBUG and not allow_production and not dry_run:
            raise CommandError(
                "DEBUG is off: this looks like a production database, where seeded sites "
                "would be public. Pass --allow-production if that is what you want."
            )
        try:
            if dry_run:
                slugs = check_prefix(prefix.strip().lower(), count)
                self.stdout.write(f"would create {count:,} sites, {slugs[0]} ... {slugs[-1]}")
                return
            start = time.perf_counter()
            report = seed_sites(count=count, prefix=prefix)
            seconds = time.perf_counter() - start
        except SeedRefused as error:
            raise CommandError(str(error)) from None
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would take a minute to gather: the
            # directory's plan (GIN index or not) depends on them.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("ANALYZE profiles_user, profiles_profile")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.sites:,} published sites, {report.first_slug} ... "
                f"{report.last_slug}, with {report.publications:,} papers and "
                f"{report.news:,} news items, in {seconds:.1f} s "
                f"({report.sites / seconds:,.0f} sites/s)."
            )
        )
        self.stdout.write(f"Their owners are <slug>@{SEED_EMAIL_DOMAIN}, with unusable passwords.")
