"""Settings for the test suite: the real settings, made fast and hermetic.

With REDIS_URL set, tests use that real Redis server and flush its database
between tests: point it at a database number of its own (CI uses /15).
"""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests must never read or write the developer's media folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="multifolio-test-media-"))
