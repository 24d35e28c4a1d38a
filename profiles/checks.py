"""System checks: the icon packages that pages inline must be installed, and
(`check --deploy`) production must not run on a cache each process keeps alone.

Without the icons every icon silently disappears from researchers' pages, so
`manage.py check` (and so CI and every runserver start) says it out loud.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources.abc import Traversable
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register

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


# What each cache that processes do not share would do in production, in plain words.
PER_PROCESS_CACHES = {
    "LocMemCache": (
        "each process keeps its own: the web workers and the task worker would not see "
        "one another's changes (an import, a suspension) in the pages they cached, and "
        "rate limits would count per process"
    ),
    "DummyCache": (
        "it keeps nothing: rate limits would never count, and every page would be rendered afresh"
    ),
}
SHARED_CACHE_HINT = (
    "Leave CACHES as config/settings.py sets it (a file cache under DATA_DIR, shared by "
    "the processes of one machine) or set REDIS_URL (shared by every machine)."
)


def per_process_cache() -> str | None:
    """The default cache's class name when processes do not share it, else None.

    `manage.py serve` (make serve) refuses such a cache, and says why, from this.
    """
    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        return "LocMemCache"
    if isinstance(backend, DummyCache):
        return "DummyCache"
    return None


@register(Tags.caches, deploy=True)
def check_cache_is_shared(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    # In development one runserver process is the whole platform; in production
    # several processes serve it and must see one another's writes.
    kind = per_process_cache()
    if settings.DEBUG or kind is None:
        return []
    return [
        Warning(
            f"The default cache is {kind} with DEBUG off: {PER_PROCESS_CACHES[kind]}.",
            hint=SHARED_CACHE_HINT,
            id="profiles.W001",
        )
    ]
