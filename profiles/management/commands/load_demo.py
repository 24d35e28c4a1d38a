from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw

from profiles import services
from profiles.demo import DEMO_PASSWORD, DEMO_RESEARCHERS
from profiles.models import Profile, SocialLink, User
from profiles.social import normalize_value


def draw_portrait(background: str, figure: str) -> SimpleUploadedFile:
    """A head-and-shoulders silhouette: a stand-in photo that portrays nobody."""
    width, height = 600, 750
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 470, 540, 1100), fill=figure)  # shoulders
    draw.ellipse((190, 170, 410, 420), fill=figure)  # head
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("portrait.png", buffer.getvalue(), content_type="image/png")


class Command(BaseCommand):
    help = "Create (or refresh) the two fictional demo researchers and publish their sites."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, change nothing."
        )

    @transaction.atomic
    def handle(self, *args, dry_run: bool = False, **options) -> None:
        for data in DEMO_RESEARCHERS:
            fields = {k: v for k, v in data.items() if k not in {"email", "links", "portrait"}}
            user = User.objects.filter(email__iexact=data["email"]).first()
            exists = user is not None and Profile.objects.filter(owner=user).exists()
            verb = "refreshed" if exists else "created"
            if dry_run:
                self.stdout.write(f"would have {verb} {data['slug']}")
                continue
            if user is None:
                user = User.objects.create_user(email=data["email"], password=None)
            if settings.DEBUG:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            profile, _ = Profile.objects.update_or_create(
                owner=user, defaults={**fields, "status": Profile.Status.PUBLISHED}
            )
            self._links(profile, data["links"])
            if not profile.photo:
                services.set_photo(profile=profile, upload=draw_portrait(*data["portrait"]))
            self.stdout.write(self.style.SUCCESS(f"{verb} {data['slug']} ({data['email']})"))
        if settings.DEBUG and not dry_run:
            self.stdout.write(f"Demo researchers log in with the password {DEMO_PASSWORD!r}.")

    def _links(self, profile: Profile, links: list[tuple[str, str]]) -> None:
        profile.social_links.all().delete()
        SocialLink.objects.bulk_create(
            SocialLink(
                profile=profile,
                network=network,
                value=normalize_value(network, value),
                position=position,
            )
            for position, (network, value) in enumerate(links)
        )
