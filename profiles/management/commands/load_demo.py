from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from profiles.demo import DEMO_RESEARCHERS
from profiles.models import Profile, User


class Command(BaseCommand):
    help = "Create (or refresh) the two fictional demo researchers and publish their sites."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, change nothing."
        )

    @transaction.atomic
    def handle(self, *args, dry_run: bool = False, **options) -> None:
        for data in DEMO_RESEARCHERS:
            fields = {k: v for k, v in data.items() if k != "email"}
            user = User.objects.filter(email__iexact=data["email"]).first()
            exists = user is not None and Profile.objects.filter(owner=user).exists()
            verb = "refreshed" if exists else "created"
            if dry_run:
                self.stdout.write(f"would have {verb} {data['slug']}")
                continue
            if user is None:
                user = User.objects.create_user(email=data["email"], password=None)
            Profile.objects.update_or_create(
                owner=user,
                defaults={**fields, "status": Profile.Status.PUBLISHED},
            )
            self.stdout.write(self.style.SUCCESS(f"{verb} {data['slug']}"))
