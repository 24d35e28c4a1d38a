"""System checks: the icon packages that pages inline must be installed.

Without them every icon silently disappears from researchers' pages, so
`manage.py check` (and so CI and every runserver start) says it out loud.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources.abc import Traversable
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register

from profiles.icons import academicons_dir, fontawesome_dir


def _has_svgs(directory: Traversable) -> bool:
    # An empty folder is as broken as a missing one (an interrupted install).
    return directory.is_dir() and any(entry.name.endswith(".svg") for entry in directory.iterdir())


@register()
def check_icon_packages(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    ai_svgs = academicons_dir() / "svg"
    if not _has_svgs(ai_svgs):
        errors.append(
            Error(
                f"Academicons SVGs not found in {ai_svgs}.",
                hint="run `make install` (it runs `npm ci`)",
                id="profiles.E001",
            )
        )
    try:
        fa_svgs = fontawesome_dir() / "svgs"
        where = str(fa_svgs)
        fa_ok = all(_has_svgs(fa_svgs / style) for style in ("solid", "regular", "brands"))
    except ModuleNotFoundError:  # the package itself is not installed
        where, fa_ok = "the fontawesomefree package", False
    if not fa_ok:
        errors.append(
            Error(
                f"Font Awesome SVGs not found in {where}.",
                hint="run `make install` (it installs the fontawesomefree package)",
                id="profiles.E002",
            )
        )
    return errors
