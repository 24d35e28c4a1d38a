"""Check custom domains' DNS: run from cron (README, "Custom domains: DNS")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profiles.domains import services


class Command(BaseCommand):
    help = (
        "Check custom domains' DNS: verified ones (unverified after repeated failures) "
        "and unverified ones added in the last 7 days."
    )

    def add_arguments(self, parser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--all", action="store_true", help="every domain, however old its unverified claim"
        )
        scope.add_argument(
            "--unverified-only",
            action="store_true",
            help="only unverified domains added in the last 7 days (cheap; run often)",
        )
        parser.add_argument("--host", help="only this host (all sites that added it)")

    def handle(self, *args, **options) -> None:
        scope = "all" if options["all"] else "unverified" if options["unverified_only"] else ""
        try:
            summary = services.check_all(
                stdout=self.stdout, scope=scope or "default", host=options["host"]
            )
        except ValidationError as error:  # a --host that is not a host name
            raise CommandError(" ".join(error.messages)) from None
        style = self.style.WARNING if summary.unverified else self.style.SUCCESS
        self.stdout.write(style(str(summary)))
