"""The front door of the WSGI application: cache hits answered before Django runs.

A hit through Django's handler and middleware cost about 300 µs, of which the
cache lookup was under half: building the request, the request signals,
HttpResponse and its headers were the rest. Here a hit reads the environ,
makes the same lookup as profiles.pagecache.PageCacheMiddleware, and hands
the stored bytes to the server. Anything else (a miss, a POST, the platform
host, a request this code is unsure of) goes to Django unchanged, carrying
the lookup so the middleware does not repeat it.

Hits skip Django's request_started/request_finished signals: they use no
database connection, so there is nothing for those to close.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from django.core.handlers.wsgi import get_path_info

from profiles import pagecache
from profiles.hosts import parse_host_header

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


@functools.cache
def _status_line(code: int) -> str:
    return f"{code} {HTTPStatus(code).phrase}"


def _is_secure(environ: dict, proxy_ssl_header: tuple[str, str] | None) -> bool:
    """As HttpRequest.is_secure() decides it."""
    if proxy_ssl_header:
        header, secure_value = proxy_ssl_header
        value = environ.get(header)
        if value is not None:
            return value.split(",")[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


# A Host header's host name, remembered: parsing it was a tenth of a hit. Bounded,
# since clients choose the headers.
_host_of = functools.lru_cache(maxsize=4096)(parse_host_header)


class CachedPagesApp:
    """Wraps Django's WSGI handler; answers page-cache hits itself."""

    def __init__(self, django_app: WSGIApp) -> None:
        self.django_app = django_app
        self.failed = False  # log a failure of this code once, then keep falling back

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        try:
            answered = self.answer_hit(environ)
        except Exception:  # a bug here must cost speed, never a page
            if not self.failed:
                self.failed = True
                logger.exception("Page cache front door failed; Django answers instead.")
            answered = None
        if answered is None:
            return self.django_app(environ, start_response)
        status, headers, body = answered
        start_response(_status_line(status), headers)
        return [body]

    def answer_hit(self, environ: dict) -> tuple[int, list[tuple[str, str]], bytes] | None:
        conf = pagecache.conf()
        # Requests whose path Django would build differently (a script prefix,
        # a forwarded host) are left to Django, which keys them itself.
        if environ.get("SCRIPT_NAME") or not conf.plain_paths or conf.forwarded_host:
            return None
        method = environ.get("REQUEST_METHOD", "")
        host = _host_of(environ.get("HTTP_HOST", ""))
        if not pagecache.wants_lookup(method, host, _is_secure(environ, conf.proxy_ssl_header)):
            return None
        path_info = get_path_info(environ) or "/"
        if path_info.startswith(conf.static_url):
            return None  # WhiteNoise's
        path = pagecache.page_path(path_info, environ.get("QUERY_STRING", ""))
        found = pagecache.lookup(host, path)
        if found.page is None:
            environ[pagecache.LOOKUP_ENVIRON_KEY] = found
            return None
        return pagecache.respond(
            found.page,
            method,
            environ.get("HTTP_IF_NONE_MATCH"),
            environ.get("HTTP_IF_MODIFIED_SINCE"),
        )
