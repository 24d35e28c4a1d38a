"""Security plumbing of the platform host: security.txt (RFC 9116) and CSP reports.

POST /csp-report/ is written to by browsers, not people, and anyone can post
to it, so it does as little as it can before it knows a body is worth reading:
the client's budget first (one cache INCR), then the declared length, and only
then the body. It sets no cookie and reads no session.
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from profiles.links import platform_url
from profiles.models import CspReport
from profiles.ratelimit import Budget, spend
from profiles.throttling import client_address

# A real report is 1 to 3 KB (the policy is repeated in it); a Reporting API batch
# of a few is under 16 KB.
MAX_BODY_BYTES = 16 * 1024
# At most this many violations stored from one Reporting API batch.
MAX_REPORTS_PER_BODY = 10
# Per client address (IPv6: per /64). A page with a real violation reports it
# once per load; a client sending more than one a second is not a browser.
CSP_REPORTS = Budget("csp-reports", limit=60, seconds=60)
# Reports kept: older ones are deleted as new ones arrive.
KEEP_REPORTS = timedelta(days=30)

CSP_REPORT_TYPES = ("application/csp-report", "application/json")  # CSP level 2 report-uri
REPORTING_API_TYPE = "application/reports+json"  # the Reporting API (report-to)


class MalformedReport(ValueError):
    pass


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt: whom to tell about a vulnerability (RFC 9116).

    A 404 when no address is configured: a file without a Contact is invalid.
    """
    contact = settings.SECURITY_CONTACT
    if not contact:
        raise Http404("No security contact is configured.")
    # Computed per request, so the file never expires while it is served.
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {platform_url('/.well-known/security.txt')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@csrf_exempt  # browsers post reports without a token, from every site's pages
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Store the CSP violations a browser reports; 204 whatever it was."""
    if spend(CSP_REPORTS, client_address(request) or "unknown") > CSP_REPORTS.limit:
        return HttpResponse(status=429, headers={"Retry-After": str(CSP_REPORTS.seconds)})
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if length > MAX_BODY_BYTES:
        return HttpResponse(status=413)  # refused before a byte of the body is read

    content_type = request.content_type.lower()
    try:
        document = json.loads(request.body)
        if content_type in CSP_REPORT_TYPES:
            violations = [_from_csp_report(document)]
        elif content_type == REPORTING_API_TYPE:
            violations = _from_reporting_api(document)
        else:
            return HttpResponse(status=415)
    except (ValueError, UnicodeDecodeError):  # MalformedReport and JSONDecodeError included
        return HttpResponse(status=400)

    user_agent = _text(request.META.get("HTTP_USER_AGENT"), CspReport.USER_AGENT_MAX_LENGTH)
    store_csp_reports(violations, user_agent=user_agent)
    return HttpResponse(status=204)


def store_csp_reports(violations: list[dict[str, Any]], *, user_agent: str) -> None:
    """Save the violations, and delete the reports that have aged out.

    The delete is by an indexed date: when there is nothing to delete it is one
    index probe, so it can run on every report instead of in a scheduled job.
    """
    CspReport.objects.filter(received_at__lt=timezone.now() - KEEP_REPORTS).delete()
    CspReport.objects.bulk_create(CspReport(user_agent=user_agent, **v) for v in violations)


def _from_csp_report(document: Any) -> dict[str, Any]:
    """{"csp-report": {"document-uri": ..., "violated-directive": ..., ...}}"""
    report = document.get("csp-report") if isinstance(document, dict) else None
    if not isinstance(report, dict):
        raise MalformedReport("no csp-report object")
    # CSP2's violated-directive is the whole directive ("img-src 'self'"); the
    # directive's name is what the admin filters by.
    directive = report.get("effective-directive") or report.get("violated-directive")
    return _violation(
        document_uri=report.get("document-uri"),
        directive=directive,
        blocked_uri=report.get("blocked-uri"),
        source_file=report.get("source-file"),
        line=report.get("line-number"),
        sample=report.get("script-sample"),
    )


def _from_reporting_api(document: Any) -> list[dict[str, Any]]:
    """[{"type": "csp-violation", "body": {"documentURL": ..., ...}}, ...]; other types skipped."""
    if not isinstance(document, list):
        raise MalformedReport("not a list of reports")
    violations = []
    for entry in document[:MAX_REPORTS_PER_BODY]:
        if not isinstance(entry, dict) or not isinstance(entry.get("body"), dict):
            raise MalformedReport("a report without a body")
        if entry.get("type") != "csp-violation":
            continue
        body = entry["body"]
        violations.append(
            _violation(
                document_uri=body.get("documentURL"),
                directive=body.get("effectiveDirective"),
                blocked_uri=body.get("blockedURL"),
                source_file=body.get("sourceFile"),
                line=body.get("lineNumber"),
                sample=body.get("sample"),
            )
        )
    return violations


def _violation(
    *,
    document_uri: Any,
    directive: Any,
    blocked_uri: Any,
    source_file: Any,
    line: Any,
    sample: Any,
) -> dict[str, Any]:
    url_max = CspReport.URL_MAX_LENGTH
    directive_name = _text(directive, 1000).strip().split(" ", 1)[0]
    return {
        "document_uri": _text(document_uri, url_max),
        "violated_directive": directive_name[: CspReport.DIRECTIVE_MAX_LENGTH],
        "blocked_uri": _text(blocked_uri, url_max),
        "source_file": _text(source_file, url_max),
        "line": line if type(line) is int and 0 <= line < 2**31 else None,
        "sample": _text(sample, CspReport.SAMPLE_MAX_LENGTH),
    }


def _text(value: Any, max_length: int) -> str:
    """A string field of a report, truncated; NULs dropped (PostgreSQL refuses them)."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "")[:max_length]
