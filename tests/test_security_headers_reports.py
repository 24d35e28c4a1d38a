"""security.txt, the Permissions-Policy header, and CSP violation reports (issue 13)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from profiles.links import platform_url
from profiles.models import CspReport
from profiles.ratelimit import Budget
from profiles.site_headers import PERMISSIONS_POLICY
from profiles.views import security
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

CSP_REPORT = {
    "csp-report": {
        "document-uri": "https://ada.example.org/",
        "violated-directive": "script-src 'self'",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js",
        "source-file": "https://ada.example.org/",
        "line-number": 12,
        "script-sample": "alert(1)" * 100,
        "original-policy": "default-src 'self'",
    }
}


def post_report(
    client: Client, body: object, content_type: str = "application/csp-report", **extra
):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/csp-report/", data=data, content_type=content_type, **extra)


# --- security.txt -----------------------------------------------------------------


def test_security_txt_names_the_contact_and_expires_in_a_year(client, settings):
    settings.SECURITY_CONTACT = "security@example.org"
    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@example.org"
    assert fields["Preferred-Languages"] == "en"
    assert fields["Canonical"] == platform_url("/.well-known/security.txt")
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(expires - (timezone.now() + timedelta(days=365))) < timedelta(minutes=1)


def test_without_a_contact_there_is_no_security_txt(client, settings):
    settings.SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404


def test_security_txt_is_only_on_the_platform(owner, site_client, settings):
    settings.SECURITY_CONTACT = "security@example.org"
    assert site_client("ada").get("/.well-known/security.txt").status_code == 404


# --- Permissions-Policy and the report-uri of both policies -------------------------


def test_platform_pages_deny_powerful_features_and_report_csp_violations(client):
    response = client.get("/")

    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    for feature in ("camera=()", "microphone=()", "geolocation=()", "browsing-topics=()"):
        assert feature in PERMISSIONS_POLICY
    assert f"report-uri {platform_url('/csp-report/')}" in response["Content-Security-Policy"]


def test_site_pages_report_to_the_platform_by_an_address_from_settings(owner, site_client):
    response = site_client("ada").get("/", HTTP_X_FORWARDED_HOST="evil.example")

    assert response.status_code == 200
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    csp = response["Content-Security-Policy"]
    assert csp.endswith(f"report-uri {platform_url('/csp-report/')}")
    assert "evil.example" not in csp


def test_error_pages_of_sites_carry_the_header_too(site_client, db):
    response = site_client("nobody").get("/")
    assert response.status_code == 404
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_page_served_from_the_page_cache_keeps_the_header(
    owner, site_client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 300
    visitor = site_client("ada")
    first = visitor.get("/")
    with django_assert_num_queries(0):  # a hit: no query, the stored headers
        second = visitor.get("/")

    assert second.content == first.content
    assert second["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "report-uri" in second["Content-Security-Policy"]


# --- CSP reports ------------------------------------------------------------------


def test_a_report_is_stored_truncated_with_no_cookie_and_no_csrf_token(client):
    client = Client(HTTP_HOST=client.defaults["HTTP_HOST"], enforce_csrf_checks=True)
    response = post_report(client, CSP_REPORT, HTTP_USER_AGENT="Firefox/" + "9" * 1000)

    assert response.status_code == 204
    assert response.content == b""
    assert not response.cookies
    report = CspReport.objects.get()
    assert report.document_uri == "https://ada.example.org/"
    assert report.violated_directive == "script-src-elem"
    assert report.blocked_uri == "https://evil.example/x.js"
    assert report.line == 12
    assert len(report.sample) == CspReport.SAMPLE_MAX_LENGTH
    assert len(report.user_agent) == CspReport.USER_AGENT_MAX_LENGTH


def test_a_csp2_report_without_an_effective_directive_keeps_the_directive_name(client):
    body = {"csp-report": {"violated-directive": "img-src 'self' https:", "line-number": "x"}}
    assert post_report(client, body).status_code == 204
    report = CspReport.objects.get()
    assert (report.violated_directive, report.line) == ("img-src", None)


def test_reporting_api_batches_are_stored_one_row_per_violation(client):
    batch = [
        {
            "type": "csp-violation",
            "url": "https://ada.example.org/",
            "body": {
                "documentURL": "https://ada.example.org/",
                "effectiveDirective": "img-src",
                "blockedURL": "http://tracker.example/p.gif",
                "lineNumber": 3,
                "sample": "",
            },
        },
        {"type": "deprecation", "body": {"id": "x"}},  # not ours: skipped
    ]
    assert post_report(client, batch, "application/reports+json").status_code == 204
    report = CspReport.objects.get()
    assert (report.violated_directive, report.blocked_uri) == (
        "img-src",
        "http://tracker.example/p.gif",
    )


def test_nul_characters_are_dropped_before_the_database_sees_them(client):
    body = {"csp-report": {"document-uri": "https://a.example/\x00x", "blocked-uri": "inline"}}
    assert post_report(client, body).status_code == 204
    assert CspReport.objects.get().document_uri == "https://a.example/x"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/csp-report"),
        (b"\xff\xfe", "application/csp-report"),
        ({"no": "report"}, "application/csp-report"),
        ([1, 2], "application/csp-report"),
        ({"csp-report": "text"}, "application/csp-report"),
        ({"type": "csp-violation"}, "application/reports+json"),
        ([{"type": "csp-violation"}], "application/reports+json"),
    ],
)
def test_a_malformed_report_is_a_400(client, body, content_type):
    assert post_report(client, body, content_type).status_code == 400
    assert not CspReport.objects.exists()


def test_other_content_types_are_refused(client):
    assert post_report(client, CSP_REPORT, "text/plain").status_code == 415
    assert not CspReport.objects.exists()


def test_only_post(client):
    assert client.get("/csp-report/").status_code == 405


def test_an_oversized_body_is_refused_before_it_is_read():
    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    request = RequestFactory().post(
        "/csp-report/",
        data=b"{}",
        content_type="application/csp-report",
        CONTENT_LENGTH=str(security.MAX_BODY_BYTES + 1),
    )
    request._stream = Unreadable()

    assert security.csp_report(request).status_code == 413
    assert not CspReport.objects.exists()


def test_an_oversized_body_is_a_413_through_the_whole_stack(client):
    body = {"csp-report": {"script-sample": "x" * security.MAX_BODY_BYTES}}
    assert post_report(client, body).status_code == 413


def test_a_client_over_its_budget_gets_429_without_its_body_being_parsed(client, monkeypatch):
    monkeypatch.setattr(security, "CSP_REPORTS", Budget("csp-reports-test", limit=2, seconds=60))
    assert post_report(client, CSP_REPORT).status_code == 204
    assert post_report(client, CSP_REPORT).status_code == 204

    refused = post_report(client, b"{malformed, but nobody looks")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert CspReport.objects.count() == 2
    # Another address has its own budget.
    assert post_report(client, CSP_REPORT, REMOTE_ADDR="192.0.2.9").status_code == 204


def test_the_default_budget_is_60_a_minute():
    assert (security.CSP_REPORTS.limit, security.CSP_REPORTS.seconds) == (60, 60)


def test_reports_older_than_30_days_are_deleted_as_new_ones_arrive(client):
    old = CspReport.objects.create(document_uri="https://old.example/")
    CspReport.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=31))
    recent = CspReport.objects.create(document_uri="https://recent.example/")

    assert post_report(client, CSP_REPORT).status_code == 204
    assert set(CspReport.objects.values_list("document_uri", flat=True)) == {
        recent.document_uri,
        "https://ada.example.org/",
    }


def test_the_admin_lists_reports_read_only(client, moderator):
    CspReport.objects.create(violated_directive="img-src", document_uri="https://a.example/")
    verified_login(client, moderator)

    listing = client.get(
        reverse("admin:profiles_cspreport_changelist") + "?violated_directive=img-src"
    )
    assert listing.status_code == 200
    assert b"https://a.example/" in listing.content
    assert client.get(reverse("admin:profiles_cspreport_add")).status_code == 403
