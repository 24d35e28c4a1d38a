"""`manage.py load_demo`: the fictional researchers of profiles/demo/sites, as al-folio imports.

Each folder is imported as a researcher's own repository would be
(profiles.alfolio), with the pictures and PDFs its texts name drawn in
memory (profiles.demo.drawing) and its news moved forward to today.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from profiles.alfolio.apply import import_site
from profiles.alfolio.archive import SourceTree, read_folder
from profiles.alfolio.plan import ImportRefused
from profiles.alfolio.runs import record_import
from profiles.demo import DEMO_NEWS_DAY, DEMO_PASSWORD, DEMO_RESEARCHERS
from profiles.demo.drawing import draw_paper_pdf, draw_portrait, draw_preview
from profiles.models import Profile, User
from publications.bibtex import parse_bibtex
from publications.models import Publication
from publications.services import entry_values

PHOTO = "assets/img/prof_pic.png"  # what the about pages' `image: prof_pic.png` names
BIBLIOGRAPHY = "_bibliography/papers.bib"
_DATE_LINE_RE = re.compile(r"^(date:[ \t]*)(\d{4}-\d{2}-\d{2})", re.MULTILINE)


def demo_tree(researcher: dict, *, today: date | None = None) -> SourceTree:
    """A demo folder as the importer reads it, plus the files its texts name, drawn."""
    tree = read_folder(researcher["folder"])
    tree.name = f"profiles/demo/sites/{researcher['slug']}"
    days = ((today or timezone.localdate()) - DEMO_NEWS_DAY).days
    for path in tree.text_paths("_news"):
        tree.files[path] = shifted_news(tree.files[path].decode("utf-8"), days).encode("utf-8")
    tree.files[PHOTO] = draw_portrait(*researcher["portrait"])
    bibtex = tree.files[BIBLIOGRAPHY].decode("utf-8")
    tree.files.update(paper_files(bibtex, researcher["palette"]))
    return tree


def shifted_news(text: str, days: int) -> str:
    """A news file with the date in its front matter `days` later (time of day kept)."""
    front, end, body = text.partition("\n---")  # the opening --- has no newline before it

    def later(match: re.Match[str]) -> str:
        day = date.fromisoformat(match.group(2)) + timedelta(days=days)
        return match.group(1) + day.isoformat()

    return _DATE_LINE_RE.sub(later, front, count=1) + end + body


def paper_files(bibtex: str, palette: tuple[str, ...]) -> dict[str, bytes]:
    """A drawn PDF for every `pdf = {name}` and a figure for every `preview = {name}`,
    at the paths al-folio keeps them."""
    files: dict[str, bytes] = {}
    for entry in parse_bibtex(bibtex).entries:
        values, _ = entry_values(entry)
        publication = Publication(**values)  # never saved: the drawing needs its texts
        pdf, preview = publication.pdf, publication.preview
        if pdf and "://" not in pdf and f"assets/pdf/{pdf}" not in files:
            publication.render()
            files[f"assets/pdf/{pdf}"] = draw_paper_pdf(publication)
        path = f"assets/img/publication_preview/{preview}"
        if preview and "://" not in preview and path not in files:
            files[path] = draw_preview(preview, palette)
    return files


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
            help="Put the demo researchers back as shipped: their texts, links, photo, news, "
            "papers, status and (when DEBUG is on) password.",
        )

    def handle(self, *args, dry_run: bool = False, reset: bool = False, **options) -> None:
        for researcher in DEMO_RESEARCHERS:
            slug, email = researcher["slug"], researcher["email"]
            profile = Profile.objects.filter(owner__email__iexact=email).first()
            # `make run` runs this on every start: what a newcomer changed while
            # trying the dashboard stays, unless they ask for the demo back.
            if profile is not None and not reset:
                self.stdout.write(f"kept {slug} as it is (--reset restores it)")
                continue
            verb = "reset" if profile is not None else "created"
            if dry_run:
                self.stdout.write(f"would have {verb} {slug}")
                continue
            self._load(researcher, profile)
            papers = Publication.objects.filter(profile__slug=slug).count()
            self.stdout.write(self.style.SUCCESS(f"{verb} {slug} ({email}), {papers} papers"))
        if settings.DEBUG and not dry_run:
            self.stdout.write(
                f"Demo researchers log in with the password {DEMO_PASSWORD!r} "
                "(unless you changed it)."
            )

    def _load(self, researcher: dict, profile: Profile | None) -> None:
        tree = demo_tree(researcher)  # drawing takes a while: before the transaction
        try:
            with transaction.atomic():
                if profile is not None:
                    # Back as shipped: the site goes (its files once this commits, by
                    # profiles.signals) and comes back from the folder; the account stays.
                    profile.delete()
                report = import_site(
                    tree, slug=researcher["slug"], owner_email=researcher["email"], publish=True
                )
                record_import(report)
                if settings.DEBUG:
                    user = User.objects.get(email__iexact=researcher["email"])
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
        except ImportRefused as error:
            raise CommandError(f"{researcher['slug']}: {error}") from None
        # None expected (tests/test_demo.py holds the folders to that); say so if one creeps in.
        for note in report.notes:
            self.stderr.write(f"{researcher['slug']}: {note.file}:{note.line}: {note.message}")
        for path, why in report.skipped:
            self.stderr.write(f"{researcher['slug']}: {path} skipped: {why}")
