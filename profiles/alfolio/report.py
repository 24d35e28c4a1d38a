"""What an import did, said to the researcher: printed by the command, shown in the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from profiles.alfolio.repair import Note


@dataclass
class Tally:
    """What happened to one kind of thing: the words a researcher reads, in this order."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # on the site, not in the repository: left as they are
    single: bool = False  # one thing (the about page): said without a count

    def text(self) -> str:
        if self.single:  # the about page, the settings: one thing, no count
            return next((word for n, word in self._words() if n), "none")
        parts = [f"{n} {word}" for n, word in self._words() if n]
        return ", ".join(parts) or "none"

    def _words(self) -> list[tuple[int, str]]:
        return [
            (self.added, "added"),
            (self.updated, "updated"),
            (self.unchanged, "unchanged"),
            (self.removed, "removed"),
            (self.kept, "kept that the repository does not have"),
        ]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class ImportReport:
    source: str
    slug: str
    created: bool = False
    dry_run: bool = False
    status: str = ""  # the site's status afterwards
    published: bool = False  # an existing site was published by this import
    tallies: dict[str, Tally] = field(default_factory=dict)  # "News items" -> Tally
    notes: list[Note] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # Images the texts show, as stored: path -> [source SHA-256, URL] (the next import reuses them).
    assets: dict[str, list[str]] = field(default_factory=dict)

    def tally(self, what: str, *, single: bool = False) -> Tally:
        return self.tallies.setdefault(what, Tally(single=single))

    @property
    def changed(self) -> bool:
        return (
            self.created or self.published or any(tally.changed for tally in self.tallies.values())
        )

    def headline(self) -> str:
        verb = "Checked" if self.dry_run else "Imported"
        where = f"a new site, {self.slug}" if self.created else self.slug
        text = f"{verb} {self.source} into {where}"
        if self.dry_run:
            return text + ": nothing was saved (a dry run)."
        if not self.changed:
            return text + ": nothing changed, the site already had all of it."
        return text + "."

    def counts(self) -> list[tuple[str, str]]:
        """("News items", "17 added") for each kind of thing the repository had."""
        return [
            (what, tally.text()) for what, tally in self.tallies.items() if tally.text() != "none"
        ]

    def lines(self) -> list[str]:
        """The report as plain text lines, for the command."""
        lines = [self.headline()]
        lines += [f"  {what}: {text}" for what, text in self.counts()]
        if self.notes:
            lines.append(f"Warnings ({len(self.notes)}):")
            lines += [f"  {_where(note.file, note.line)}: {note.message}" for note in self.notes]
        if self.skipped:
            lines.append(f"Skipped ({len(self.skipped)}):")
            lines += [f"  {file}: {why}" for file, why in self.skipped]
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "slug": self.slug,
            "created": self.created,
            "dry_run": self.dry_run,
            "status": self.status,
            "headline": self.headline(),
            "tallies": [list(pair) for pair in self.counts()],
            "notes": [[note.file, note.line, note.message] for note in self.notes],
            "skipped": [[file, why] for file, why in self.skipped],
            "assets": self.assets,
        }


def _where(file: str, line: int) -> str:
    return f"{file}:{line}" if line else file
