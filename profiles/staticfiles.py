"""Static files in production: WhiteNoise's storage, without a 500 on every page
when `collectstatic` has not run.

WhiteNoise's CompressedManifestStaticFilesStorage gives every file a hashed
name (served with a ten-year, immutable Cache-Control) and a gzip copy. Its
`{% static %}` looks each name up in STATIC_ROOT/staticfiles.json; with no such
file it raises, and so every page, error pages included, answered 500. Here a
missing manifest is one clear error in the log (per process) and pages keep
their unhashed links: they render, unstyled until `collectstatic` has run and
the server has restarted (WhiteNoise lists STATIC_ROOT once, at start-up).
`make serve` runs `collectstatic` before it starts the server, every time.

A manifest that exists but lacks a name is still an error: that is a template
naming a file we do not have, which tests must catch.
"""

from __future__ import annotations

import logging

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class CollectedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    _missing_manifest_logged = False

    def stored_name(self, name: str) -> str:
        if self.hashed_files or settings.DEBUG:
            return super().stored_name(name)
        if not CollectedStaticFilesStorage._missing_manifest_logged:
            CollectedStaticFilesStorage._missing_manifest_logged = True
            logger.error(
                "Static files have not been collected: %s is missing. Pages are served "
                "without their stylesheets and scripts until `manage.py collectstatic` "
                "has run and the server has restarted (`make serve` does both).",
                self.path(self.manifest_name),
            )
        return name
