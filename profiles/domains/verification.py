"""What an owner must put in DNS, and whether it is there: no database writes here.

A domain verifies when both hold:

1. the TXT record `_multifolio-challenge.<host>` holds the domain's token
   (other TXT strings beside it are fine), which proves control of the zone;
2. the host points at us: a CNAME to the site's slug host, or A/AAAA
   addresses that are all ours (DOMAIN_APEX_ADDRESSES, or the slug host's own
   addresses, which is what an ALIAS/ANAME/flattened CNAME at an apex gives).

Apex or not is decided by the label count: two labels (jane-doe.org) is an
apex. No public-suffix package is installed, so jane.ac.uk counts as a
subdomain and is told to use a CNAME; the records' `why` says what to do
instead, and the check accepts either form for every host.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from profiles.domains import dns
from profiles.models import CustomDomain

CHALLENGE_LABEL = "_multifolio-challenge"


class Code:
    VERIFIED = "verified"
    NO_RECORD = "no_record"
    WRONG_TOKEN = "wrong_token"  # noqa: S105 (a result code, not a secret)
    POINTS_ELSEWHERE = "points_elsewhere"
    TIMEOUT = "timeout"
    DNS_ERROR = "dns_error"
    REVOKED = "revoked"  # a moderator revoked it for this site: never checked again


@dataclass(frozen=True)
class DnsRecord:
    type: str  # TXT, CNAME, A, AAAA, or ALIAS (the provider's apex alias, by whatever name)
    name: str
    value: str
    why: str


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    code: str  # one of Code's values
    message: str  # one sentence or two for the owner, naming the record to fix


@dataclass(frozen=True)
class Probe:
    """A check's DNS findings: the verdict, and the challenge tokens that were published."""

    result: CheckResult
    tokens: frozenset[str] = frozenset()


def challenge_name(host: str) -> str:
    return f"{CHALLENGE_LABEL}.{host}"


def is_apex(host: str) -> bool:
    return host.count(".") == 1


def dns_records(domain: CustomDomain) -> list[DnsRecord]:
    """Exactly the records the owner must create for `domain` (keep them all in place)."""
    host, target = domain.host, domain.profile.host
    records = [
        DnsRecord(
            "TXT",
            challenge_name(host),
            domain.token,
            "Proves that you control this domain. Keep it: it is checked again regularly.",
        )
    ]
    if not is_apex(host):
        records.append(
            DnsRecord(
                "CNAME",
                host,
                target,
                "Sends visitors of this name to your site. If the name is your domain's "
                "apex (as jane.ac.uk), your DNS provider may not allow a CNAME there: "
                "use its ALIAS/ANAME record pointing to the same target instead.",
            )
        )
        return records
    addresses = settings.DOMAIN_APEX_ADDRESSES
    for address in addresses:
        records.append(
            DnsRecord(
                "AAAA" if ":" in address else "A",
                host,
                address,
                "An apex cannot have a CNAME: point it at our server's address. "
                "Remove any other A/AAAA records of this name.",
            )
        )
    if not addresses:
        records.append(
            DnsRecord(
                "ALIAS",
                host,
                target,
                "An apex cannot have a CNAME. Use your DNS provider's ALIAS, ANAME or "
                "flattened CNAME record pointing to this target; without one, use the "
                "www form of your domain instead.",
            )
        )
    return records


def probe(domain: CustomDomain) -> Probe:
    """Ask the DNS whether `domain` verifies now. Network only: call outside transactions."""
    host, target, token = domain.host, domain.profile.host, domain.token
    lookup = dns.Lookup()
    challenge = challenge_name(host)
    try:
        tokens = frozenset(lookup.txt(challenge))
        if not tokens:
            return Probe(
                _fail(
                    Code.NO_RECORD,
                    f"There is no TXT record {challenge}. Create it with the value {token}.",
                )
            )
        if token not in tokens:
            return Probe(
                _fail(
                    Code.WRONG_TOKEN,
                    f"The TXT record {challenge} does not hold this site's token. "
                    f"Set its value to {token}.",
                ),
                tokens,
            )
        return Probe(_pointing(lookup, host, target), tokens)
    except dns.DnsTimeout:
        return Probe(
            _fail(
                Code.TIMEOUT,
                f"DNS problem: the lookup of {host} got no answer within "
                f"{lookup.timeout:g} seconds. If your records are right there is "
                "nothing to change; we will try again.",
            )
        )
    except dns.DnsError as error:
        return Probe(
            _fail(
                Code.DNS_ERROR,
                f"DNS problem: {error}. If your records are right there is nothing to "
                "change; we will try again.",
            )
        )


def _pointing(lookup: dns.Lookup, host: str, target: str) -> CheckResult:
    cname = lookup.cname(host)
    if cname == target:
        return CheckResult(True, Code.VERIFIED, f"{host} is verified and serves your site.")
    # No CNAME to us: the addresses may still be ours (an apex's A/AAAA records,
    # an ALIAS flattened by the provider, or a CNAME to a name that is ours).
    addresses = lookup.addresses(host)
    if not addresses and not cname:
        return _fail(Code.NO_RECORD, f"{host} has no CNAME, A or AAAA record. {_how(host, target)}")
    ours = set(settings.DOMAIN_APEX_ADDRESSES)
    if addresses and not addresses <= ours:
        ours |= lookup.addresses(target)
    if addresses and addresses <= ours:
        return CheckResult(True, Code.VERIFIED, f"{host} is verified and serves your site.")
    found = f"a CNAME to {cname}" if cname else "addresses " + ", ".join(sorted(addresses))
    return _fail(
        Code.POINTS_ELSEWHERE,
        f"{host} points elsewhere ({found}). {_how(host, target)}",
    )


def _how(host: str, target: str) -> str:
    if not is_apex(host):
        return f"Make it a CNAME to {target}."
    addresses = settings.DOMAIN_APEX_ADDRESSES
    if addresses:
        return f"Give it A/AAAA records with {', '.join(addresses)} only."
    return f"Give it an ALIAS/ANAME (flattened CNAME) record to {target}."


def _fail(code: str, message: str) -> CheckResult:
    return CheckResult(False, code, message)
