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
    help = (
        "Create the two fictional demo researchers and publish their sites; existing ones "
        "are kept as edited unless --reset."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, change nothing."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put the demo researchers back as shipped: their texts, links, photo, "
            "status and (when DEBUG is on) password.",
        )

    @transaction.atomic
    def handle(self, *args, dry_run: bool = False, reset: bool = False, **options) -> None:
        for data in DEMO_RESEARCHERS:
            user = User.objects.filter(email=User.objects.normalize_email(data["email"])).first()
            profile = Profile.objects.filter(owner=user).first() if user else None
            # `make run` runs this on every start: what a newcomer changed while
            # trying the dashboard stays, unless they ask for the demo back.
            if profile is not None and not reset:
                self.stdout.write(f"kept {data['slug']} as it is (--reset restores it)")
                continue
            verb = "reset" if profile is not None else "created"
            if dry_run:
                self.stdout.write(f"would have {verb} {data['slug']}")
                continue
            self._load(user, data)
            self.stdout.write(self.style.SUCCESS(f"{verb} {data['slug']} ({data['email']})"))
        if settings.DEBUG and not dry_run:
            self.stdout.write(
                f"Demo researchers log in with the password {DEMO_PASSWORD!r} "
                "(unless you changed it)."
            )

    def _load(self, user: User | None, data: dict) -> None:
        fields = {k: v for k, v in data.items() if k not in {"email", "links", "portrait"}}
        if user is None:
            user = User.objects.create_user(email=data["email"], password=None)
        if settings.DEBUG:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        profile, _ = Profile.objects.update_or_create(
            owner=user, defaults={**fields, "status": Profile.Status.PUBLISHED}
        )
        self._links(profile, data["links"])
        services.set_photo(profile=profile, upload=draw_portrait(*data["portrait"]))

    def _links(self, profile: Profile, links: list[tuple[str, str]]) -> None:
        for link in profile.social_links.all():
            services.delete_social_link(link=link)  # and their files
        SocialLink.objects.bulk_create(
            SocialLink(
                profile=profile,
                network=network,
                value=normalize_value(network, value),
                position=position,
            )
            for position, (network, value) in enumerate(links)
        )
