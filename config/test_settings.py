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

# The suite asserts on URLs; pin the host settings whatever the shell exports.
PLATFORM_HOST = "localhost"
SITES_DOMAIN = "localhost"
PLATFORM_HOST_ALIASES = ["127.0.0.1", "[::1]"]
PUBLIC_SCHEME = "http"
PUBLIC_PORT = "8000"

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run at once, in the thread that queues them (after the commit that queues them).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if not REDIS_URL:  # noqa: F405
    # One process: memory is enough, and no test writes the developer's data folder.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages are cached only where a test asks for it (tests/test_pagecache.py): a
# test's writes commit only when it ends, so the cache would never hear of them.
PAGE_CACHE_SECONDS = 0
