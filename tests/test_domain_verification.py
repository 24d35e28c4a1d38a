"""Custom domains verified against a real DNS server that the test runs on loopback.

dnslib serves the records each test sets (UDP and TCP); dnspython, pointed at
it through DOMAIN_DNS_NAMESERVERS/PORT, is the resolver the product uses.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from dnslib import AAAA, CNAME, QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from profiles.domains import services
from profiles.domains.primary import set_primary
from profiles.domains.verification import challenge_name
from profiles.models import CustomDomain

pytestmark = pytest.mark.django_db

PORTS = range(18400, 18450)


def free_port(*, tcp: bool = True) -> int:
    """A loopback port in our range, free for UDP (and TCP)."""
    for port in PORTS:
        sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM)]
        if tcp:
            sockets.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        try:
            for sock in sockets:
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
        return port
    raise RuntimeError("no free port in 18400-18449")


class Zone(BaseResolver):
    """Records by (name, type); CNAMEs are followed as a recursive resolver would."""

    RDATA = {"A": A, "AAAA": AAAA, "CNAME": CNAME, "TXT": TXT}

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = {}

    def set(self, name: str, rtype: str, *values: str) -> None:
        self.records[(name.lower(), rtype)] = list(values)

    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        for _ in range(8):
            target = self.records.get((name, "CNAME"))
            if qtype == "CNAME" or not target:
                break
            reply.add_answer(RR(name, QTYPE.CNAME, rdata=CNAME(target[0]), ttl=60))
            name = target[0].lower()
        for value in self.records.get((name, qtype), []):
            reply.add_answer(
                RR(name, getattr(QTYPE, qtype), rdata=self.RDATA[qtype](value), ttl=60)
            )
        if not reply.rr and not any(key[0] == name for key in self.records):
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


@pytest.fixture(scope="module")
def dns_server() -> Iterator[tuple[Zone, int]]:
    zone, port = Zone(), free_port()
    quiet = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", logf=print)
    servers = [
        DNSServer(zone, address="127.0.0.1", port=port, tcp=tcp, logger=quiet)
        for tcp in (False, True)
    ]
    for server in servers:
        server.start_thread()
    yield zone, port
    for server in servers:
        server.stop()


@pytest.fixture
def zone(dns_server, settings) -> Zone:
    zone, port = dns_server
    zone.records.clear()
    settings.DOMAIN_DNS_NAMESERVERS = ["127.0.0.1"]
    settings.DOMAIN_DNS_PORT = port
    settings.DOMAIN_DNS_TIMEOUT_SECONDS = 2
    settings.DOMAIN_APEX_ADDRESSES = ["192.0.2.10", "2001:db8::10"]
    settings.DOMAIN_LIMIT_PER_SITE = 3
    settings.DOMAIN_UNVERIFY_AFTER_FAILURES = 3
    return zone


def publish(
    zone: Zone, domain: CustomDomain, *, token: str | None = None, cname: str | None = None
) -> None:
    """The records an owner creates: the TXT token, and a CNAME to their slug host."""
    zone.set(challenge_name(domain.host), "TXT", token or domain.token)
    zone.set(domain.host, "CNAME", cname or domain.profile.host)


# ---------------------------------------------------------------- adding


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        ("https://www.Jane-Doe.org/about?x=1", "www.jane-doe.org"),
        ("www.jane-doe.org:8443", "www.jane-doe.org"),
        ("  WWW.JANE-DOE.ORG.  ", "www.jane-doe.org"),
        ("www.bücher.example", "www.xn--bcher-kva.example"),
        ("http://Bücher.example/", "xn--bcher-kva.example"),
    ],
)
def test_what_owners_paste_becomes_a_lowercase_punycode_host(owner, raw, host):
    domain = services.add_domain(owner, raw)
    assert domain.host == host
    assert not domain.verified
    assert domain.token and domain.profile == owner


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("192.0.2.1", "not an IP address"),
        ("http://[2001:db8::1]:8000/", "not an IP address"),
        ("localhost", "belongs to the platform"),
        ("ada.localhost", "belongs to the platform"),
        ("deep.ada.localhost", "belongs to the platform"),
        ("nodot", "full host name"),
        ("bad_name.example", "not a valid domain name"),
        ("-bad.example", "not a valid domain name"),
        ("", "Enter a domain name"),
    ],
)
def test_a_domain_that_cannot_work_is_refused_with_a_reason(owner, raw, message):
    with pytest.raises(ValidationError) as excinfo:
        services.add_domain(owner, raw)
    assert message in " ".join(excinfo.value.messages)
    assert not CustomDomain.objects.exists()


def test_a_site_adds_a_host_once_and_a_few_at_most(owner, settings):
    settings.DOMAIN_LIMIT_PER_SITE = 2
    services.add_domain(owner, "www.ada.example")
    with pytest.raises(ValidationError, match=r"already added www\.ada\.example"):
        services.add_domain(owner, "https://WWW.ada.example/")
    services.add_domain(owner, "ada.example")
    with pytest.raises(ValidationError, match="at most 2 custom domains"):
        services.add_domain(owner, "lab.ada.example")
    assert owner.custom_domains.count() == 2


def test_a_host_verified_for_another_site_is_refused_but_an_unverified_claim_is_not(
    zone, owner, second_researcher
):
    taken = CustomDomain.objects.create(
        profile=second_researcher, host="www.taken.example", verified=True
    )
    publish(zone, taken)  # and its DNS still proves grace's control
    CustomDomain.objects.create(profile=second_researcher, host="www.claimed.example")
    with pytest.raises(ValidationError, match="already verified for another site") as excinfo:
        services.add_domain(owner, "www.taken.example")
    assert "point it at ada.localhost" in excinfo.value.messages[0]
    assert services.add_domain(owner, "www.claimed.example").profile == owner


def test_a_verified_host_whose_dns_left_its_site_can_be_added_elsewhere(
    zone, owner, second_researcher
):
    taken = CustomDomain.objects.create(
        profile=second_researcher, host="www.moving.example", verified=True
    )
    publish(zone, taken, cname="ada.localhost")  # the domain's owner pointed it at ada
    assert services.add_domain(owner, "www.moving.example").profile == owner


# ---------------------------------------------------------------- records to create


def test_the_records_for_a_subdomain_are_the_token_and_a_cname_to_the_slug_host(owner):
    domain = services.add_domain(owner, "www.ada.example")
    records = [(r.type, r.name, r.value) for r in services.dns_records(domain)]
    assert records == [
        ("TXT", "_multifolio-challenge.www.ada.example", domain.token),
        ("CNAME", "www.ada.example", "ada.localhost"),
    ]


def test_the_records_for_an_apex_are_the_configured_addresses_or_an_alias(owner, settings):
    settings.DOMAIN_APEX_ADDRESSES = ["192.0.2.10", "2001:db8::10"]
    domain = services.add_domain(owner, "ada.example")
    records = [(r.type, r.name, r.value) for r in services.dns_records(domain)]
    assert records[1:] == [
        ("A", "ada.example", "192.0.2.10"),
        ("AAAA", "ada.example", "2001:db8::10"),
    ]
    settings.DOMAIN_APEX_ADDRESSES = []
    (alias,) = services.dns_records(domain)[1:]
    assert (alias.type, alias.value) == ("ALIAS", "ada.localhost")
    assert "cannot have a CNAME" in alias.why


# ---------------------------------------------------------------- verifying


def test_a_subdomain_with_its_token_and_a_cname_to_us_is_verified(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain)
    result = services.verify_now(domain)
    assert (result.ok, result.code) == (True, "verified")
    domain.refresh_from_db()
    assert domain.verified and domain.verified_at and domain.last_checked_at
    assert domain.failed_checks == 0
    assert domain.last_check_message == result.message


def test_a_cname_target_is_compared_without_case_or_trailing_dot(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain, cname="ADA.Localhost.")
    assert services.verify_now(domain).ok


def test_a_wrong_token_is_named(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain, token="somebody-elses-token")
    result = services.verify_now(domain)
    assert (result.ok, result.code) == (False, "wrong_token")
    assert "_multifolio-challenge.www.ada.example" in result.message
    assert domain.token in result.message
    domain.refresh_from_db()
    assert not domain.verified
    assert domain.last_check_message == result.message and domain.last_checked_at


def test_other_txt_strings_beside_the_token_do_not_matter(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain)
    zone.set(challenge_name(domain.host), "TXT", "v=spf1 -all", domain.token)
    assert services.verify_now(domain).ok


def test_a_missing_txt_record_is_named(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    zone.set(domain.host, "CNAME", "ada.localhost")
    result = services.verify_now(domain)
    assert (result.ok, result.code) == (False, "no_record")
    assert "There is no TXT record _multifolio-challenge.www.ada.example" in result.message


def test_a_host_without_any_address_record_is_named(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    zone.set(challenge_name(domain.host), "TXT", domain.token)
    result = services.verify_now(domain)
    assert (result.ok, result.code) == (False, "no_record")
    assert "Make it a CNAME to ada.localhost" in result.message


def test_a_cname_elsewhere_is_named(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain, cname="ada.github.io")
    zone.set("ada.github.io", "A", "198.51.100.7")
    result = services.verify_now(domain)
    assert (result.ok, result.code) == (False, "points_elsewhere")
    assert "a CNAME to ada.github.io" in result.message
    assert "Make it a CNAME to ada.localhost" in result.message


def test_an_apex_verifies_with_our_addresses_only(zone, owner):
    domain = services.add_domain(owner, "ada.example")
    zone.set(challenge_name(domain.host), "TXT", domain.token)
    zone.set(domain.host, "A", "192.0.2.10")
    zone.set(domain.host, "AAAA", "2001:db8:0:0::10")  # another spelling of the same address
    assert services.verify_now(domain).ok

    zone.set(domain.host, "A", "192.0.2.10", "203.0.113.5")  # one of them is not ours
    result = services.verify_now(domain)
    assert (result.ok, result.code) == (False, "points_elsewhere")
    assert "203.0.113.5" in result.message
    assert "A/AAAA records with 192.0.2.10, 2001:db8::10 only" in result.message


def test_an_apex_without_configured_addresses_verifies_through_an_alias(zone, owner, settings):
    settings.DOMAIN_APEX_ADDRESSES = []
    domain = services.add_domain(owner, "ada.example")
    zone.set(challenge_name(domain.host), "TXT", domain.token)
    zone.set("ada.localhost", "A", "198.51.100.20")
    zone.set(domain.host, "A", "203.0.113.5")
    result = services.verify_now(domain)
    assert result.code == "points_elsewhere"
    assert "ALIAS/ANAME (flattened CNAME) record to ada.localhost" in result.message
    zone.set(domain.host, "A", "198.51.100.20")  # what a provider's ALIAS answers
    assert services.verify_now(domain).ok


def test_an_internationalised_name_is_checked_under_its_punycode(zone, owner):
    domain = services.add_domain(owner, "www.bücher.example")
    assert domain.host == "www.xn--bcher-kva.example"
    zone.set("_multifolio-challenge.www.xn--bcher-kva.example", "TXT", domain.token)
    zone.set("www.xn--bcher-kva.example", "CNAME", "ada.localhost")
    assert services.verify_now(domain).ok


def test_a_dns_server_that_never_answers_is_a_timeout_within_bounds(owner, settings):
    port = free_port(tcp=False)
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", port))
    stop = threading.Event()

    def drop() -> None:  # read every query, answer none
        silent.settimeout(0.1)
        while not stop.is_set():
            try:
                silent.recvfrom(4096)
            except OSError:
                continue

    thread = threading.Thread(target=drop, daemon=True)
    thread.start()
    settings.DOMAIN_DNS_NAMESERVERS = ["127.0.0.1"]
    settings.DOMAIN_DNS_PORT = port
    settings.DOMAIN_DNS_TIMEOUT_SECONDS = 0.5
    try:
        domain = services.add_domain(owner, "www.ada.example")
        started = time.monotonic()
        result = services.verify_now(domain)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        silent.close()
    assert (result.ok, result.code) == (False, "timeout")
    assert elapsed < 2
    assert result.message.startswith("DNS problem:")
    domain.refresh_from_db()
    assert not domain.verified and domain.last_check_message == result.message


def test_a_dns_server_error_is_a_dns_problem(zone, owner, monkeypatch):
    domain = services.add_domain(owner, "www.ada.example")

    def servfail(request, handler):
        reply = request.reply()
        reply.header.rcode = RCODE.SERVFAIL
        return reply

    monkeypatch.setattr(zone, "resolve", servfail)
    result = services.verify_now(domain)
    assert (result.ok, result.code) == (False, "dns_error")
    assert result.message.startswith("DNS problem:")


# ---------------------------------------------------------------- serving, moving


def test_a_verified_domain_serves_the_site_on_the_next_request(
    zone, owner, site_client, django_capture_on_commit_callbacks
):
    domain = services.add_domain(owner, "www.ada.example")
    assert site_client("www.ada.example").get("/").status_code == 400  # not verified: unknown
    publish(zone, domain)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.verify_now(domain).ok
    response = site_client("www.ada.example").get("/")
    assert response.status_code == 200
    assert "Lovelace" in response.content.decode()
    # Once the owner makes it the primary address, the slug host sends visitors there.
    with django_capture_on_commit_callbacks(execute=True):
        set_primary(owner, domain)
    response = site_client("ada").get("/news/?page=2")
    assert (response.status_code, response["Location"]) == (
        301,
        "http://www.ada.example:8000/news/?page=2",
    )


def test_a_domain_moves_to_the_site_that_proves_control(
    zone, owner, second_researcher, site_client, django_capture_on_commit_callbacks
):
    old = services.add_domain(owner, "www.shared.example")
    publish(zone, old)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.verify_now(old).ok
        set_primary(owner, old)
    assert site_client("www.shared.example").get("/").status_code == 200

    # The domain's owner moves it: CNAME to grace's site, grace adds it, the TXT gets her token.
    zone.set("www.shared.example", "CNAME", "grace.localhost")
    new = services.add_domain(second_researcher, "www.shared.example")
    publish(zone, new)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.verify_now(new)
        assert result.ok
        set_primary(second_researcher, new)

    old.refresh_from_db()
    owner.refresh_from_db()
    assert (old.verified, new.verified) == (False, True)
    assert owner.primary_domain == ""
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "www.shared.example now serves another site" in message.subject
    response = site_client("www.shared.example").get("/")
    assert response.status_code == 200
    assert "Hopper" in response.content.decode()
    assert site_client("ada").get("/").status_code == 200  # ada is back on her slug host


def test_a_domain_does_not_move_while_the_holders_token_is_still_published(
    zone, owner, second_researcher
):
    settings_apex = "shared.example"  # an apex: both sites' A records are the same
    old = services.add_domain(owner, settings_apex)
    new = services.add_domain(second_researcher, settings_apex)
    zone.set(settings_apex, "A", "192.0.2.10")
    zone.set(challenge_name(settings_apex), "TXT", old.token)
    assert services.verify_now(old).ok
    zone.set(challenge_name(settings_apex), "TXT", old.token, new.token)
    result = services.verify_now(new)
    assert (result.ok, result.code) == (False, "wrong_token")
    assert "Remove that value" in result.message
    old.refresh_from_db()
    assert old.verified
    zone.set(challenge_name(settings_apex), "TXT", new.token)
    assert services.verify_now(new).ok
    old.refresh_from_db()
    assert not old.verified


def test_removing_the_primary_domain_puts_the_site_back_on_its_slug_host(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain)
    services.verify_now(domain)
    set_primary(owner, domain)
    assert owner.public_host == "www.ada.example"
    services.remove_domain(domain)
    owner.refresh_from_db()
    assert owner.primary_domain == "" and owner.public_host == "ada.localhost"
    assert not CustomDomain.objects.exists()


# ---------------------------------------------------------------- periodic checks


def test_a_verified_domain_is_unverified_after_consecutive_failures_with_one_email(
    zone, owner, site_client, django_capture_on_commit_callbacks
):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain)
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_now(domain)
        set_primary(owner, domain)
    zone.records.clear()  # the owner's DNS lost the records
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for expected_failures in (1, 2):
            result = services.check_domain(domain)
            assert result.code == "no_record"
            domain.refresh_from_db()
            assert domain.verified and domain.failed_checks == expected_failures
        assert site_client("www.ada.example").get("/").status_code == 200  # still served
        assert not mail.outbox

        result = services.check_domain(domain)
        assert "After 3 failed checks in a row" in result.message
        services.check_domain(domain)  # a fourth failure: no second e-mail

    domain.refresh_from_db()
    owner.refresh_from_db()
    assert not domain.verified and owner.primary_domain == ""
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "www.ada.example no longer serves your site" in message.subject
    assert "There is no TXT record _multifolio-challenge.www.ada.example" in message.body
    assert f"TXT  _multifolio-challenge.www.ada.example  {domain.token}" in message.body
    assert site_client("www.ada.example").get("/").status_code == 400


def test_a_passing_check_resets_the_count_of_failures(zone, owner):
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain)
    services.verify_now(domain)
    zone.records.clear()
    services.check_domain(domain)
    services.check_domain(domain)
    publish(zone, domain)
    assert services.check_domain(domain).ok
    domain.refresh_from_db()
    assert domain.verified and domain.failed_checks == 0


def test_the_command_checks_verified_and_recent_domains_and_summarises(
    zone, owner, second_researcher
):
    good = services.add_domain(owner, "www.ada.example")
    publish(zone, good)
    services.verify_now(good)
    fresh = services.add_domain(second_researcher, "www.grace.example")
    publish(zone, fresh)
    stale = services.add_domain(second_researcher, "www.old.example")
    CustomDomain.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))

    out = StringIO()
    call_command("verify_domains", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ok") and "www.ada.example (ada)" in lines[0]
    assert lines[1].startswith("ok") and "www.grace.example (grace)" in lines[1]
    assert lines[-1] == "2 domains checked: 2 verified, 0 failing."
    fresh.refresh_from_db()
    assert fresh.verified

    out = StringIO()
    call_command("verify_domains", "--all", stdout=out)
    assert "no_record        www.old.example (grace): There is no TXT record" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "3 domains checked: 2 verified, 1 failing."

    out = StringIO()
    call_command("verify_domains", "--host", "WWW.ADA.example", stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 domain checked: 1 verified, 0 failing."


def test_the_command_names_the_domains_it_unverified(zone, owner, settings):
    settings.DOMAIN_UNVERIFY_AFTER_FAILURES = 1
    domain = services.add_domain(owner, "www.ada.example")
    publish(zone, domain)
    services.verify_now(domain)
    zone.records.clear()
    out = StringIO()
    call_command("verify_domains", "--unverified-only", stdout=out)
    assert out.getvalue().splitlines() == ["0 domains checked: 0 verified, 0 failing."]
    call_command("verify_domains", stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "1 domain checked: 0 verified, 1 failing; unverified now: www.ada.example."
    )
