"""The database cannot be reached: a 503 page that says so, not a 500 with a traceback.

Django turns an exception raised anywhere in the middleware stack or a view
into a response at the layer it was raised in (convert_exception_to_response),
so no middleware, however outermost, ever sees it: an error in the session or
tenancy middleware reaches the outer layers as a finished 500. What every
layer does call is the URLconf's handler500, inside the `except` block, with
the exception at hand. Both URLconfs point it here: a database that cannot
be reached (refused, too many connections, an SQLite file that cannot be
opened or stays locked past its timeout) gets the 503 page, anything else
Django's own 500 page.

The page needs nothing the outage took away: it is rendered without the
request (no context processor, no session, no user), and says plainly to
come back in a minute. Site pages in the page cache keep being served
meanwhile (profiles.pagecache_wsgi answers them before Django runs).

The outage is logged at ERROR once a minute per process, with the exception,
instead of once for every request that met it (the log would drown).
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from profiles.site_headers import PERMISSIONS_POLICY

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
LOG_EVERY_SECONDS = 60
# SQLite reports a schema that does not match the code (migrations not run) as an
# OperationalError too: that is a bug to fix, not an outage to wait out.
_SCHEMA_ERRORS = ("no such table", "no such column", "has no column named")
# The page links only its own stylesheet: nothing else may load, whichever
# host's middleware did (or, failing in the middle, did not) add headers.
_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

_log_lock = threading.Lock()
_logged_at: float | None = None


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what it was raised from) says the database cannot be reached."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, InterfaceError):
            return True
        if isinstance(error, OperationalError):
            return not str(error).lower().startswith(_SCHEMA_ERRORS)
        error = error.__cause__ or error.__context__
    return False


def unavailable_response() -> HttpResponse:
    """The 503 page: works with no database, no session and no request."""
    # No link home: the platform's pages need the database too.
    body = render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = _CSP
    response["Permissions-Policy"] = PERMISSIONS_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    return response


def _log_outage(error: BaseException) -> None:
    """ERROR with the exception, at most once a minute in this process."""
    global _logged_at
    now = time.monotonic()
    with _log_lock:
        if _logged_at is not None and now - _logged_at < LOG_EVERY_SECONDS:
            return
        _logged_at = now
    logger.error(
        "The database cannot be reached: %s. Answering 503 (cached site pages still "
        "serve); said again at most once a minute while it lasts.",
        error,
        exc_info=error,
    )


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500 of both URLconfs: 503 for a database outage, else Django's 500 page."""
    error = sys.exc_info()[1]
    if not database_unavailable(error):
        return defaults.server_error(request, template_name)
    _log_outage(error)
    response = unavailable_response()
    # Django's request logger would log this response again, with the traceback,
    # for every request during the outage; _log_outage has said it.
    response._has_been_logged = True
    return response
