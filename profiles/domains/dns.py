"""DNS lookups for custom-domain checks: dnspython, bounded, no caching, no surprises.

One `Lookup` serves one domain's check. Its lookups share one deadline,
DOMAIN_DNS_TIMEOUT_SECONDS from its creation, so a check costs at most that
much time whatever the DNS does. A name that does not exist or has no record
of the asked type is an empty answer; running out of time raises DnsTimeout;
any other failure (SERVFAIL, REFUSED, no resolver configured) raises DnsError.
Never call this inside a database transaction: it waits on the network.
"""

from __future__ import annotations

import ipaddress
import time

import dns.exception
import dns.name
import dns.resolver
from django.conf import settings


class DnsTimeout(Exception):
    """The DNS did not answer in time."""


class DnsError(Exception):
    """The DNS answered with an error (not "no such name", which is an empty answer)."""


def make_resolver() -> dns.resolver.Resolver:
    """A resolver from settings: given nameservers and port, or the system's; no search list."""
    nameservers = settings.DOMAIN_DNS_NAMESERVERS
    if nameservers:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = list(nameservers)
    else:
        try:
            resolver = dns.resolver.Resolver()  # /etc/resolv.conf
        except dns.exception.DNSException as error:
            raise DnsError(f"no DNS resolver is configured on this server ({error})") from None
    resolver.port = settings.DOMAIN_DNS_PORT
    # Every name we ask is absolute: a search domain must never turn
    # "www.jane-doe.org" into "www.jane-doe.org.corp.example".
    resolver.search = []
    resolver.use_search_by_default = False
    resolver.domain = dns.name.root
    resolver.cache = None  # a check must see the records as they are now
    resolver.lifetime = float(settings.DOMAIN_DNS_TIMEOUT_SECONDS)
    resolver.timeout = min(resolver.timeout, resolver.lifetime)
    return resolver


class Lookup:
    """The lookups of one check, sharing one deadline."""

    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = float(settings.DOMAIN_DNS_TIMEOUT_SECONDS if timeout is None else timeout)
        self._deadline = time.monotonic() + self.timeout
        self._resolver: dns.resolver.Resolver | None = None

    def txt(self, name: str) -> list[str]:
        """The TXT records at `name`, each one's strings joined (as RFC 7208 reads them)."""
        answer = self._answer(name, "TXT")
        if answer is None:
            return []
        return [
            b"".join(rdata.strings).decode("utf-8", errors="replace").strip() for rdata in answer
        ]

    def cname(self, name: str) -> str | None:
        """The target of a CNAME at `name` (lowercase, no trailing dot), or None."""
        answer = self._answer(name, "CNAME")
        if answer is None:
            return None
        return answer[0].target.to_text(omit_final_dot=True).lower()

    def addresses(self, name: str) -> frozenset[str]:
        """The A and AAAA addresses `name` resolves to (following CNAMEs), normalised."""
        found: set[str] = set()
        for rdtype in ("A", "AAAA"):
            answer = self._answer(name, rdtype)
            if answer is not None:
                found.update(str(ipaddress.ip_address(rdata.address)) for rdata in answer)
        return frozenset(found)

    def _answer(self, name: str, rdtype: str) -> dns.resolver.Answer | None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise DnsTimeout(f"no answer for {name} within {self.timeout:g} s")
        if self._resolver is None:
            self._resolver = make_resolver()
        try:
            answer = self._resolver.resolve(
                dns.name.from_text(name),
                rdtype,
                lifetime=remaining,
                search=False,
                raise_on_no_answer=False,
            )
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except dns.exception.Timeout:  # LifetimeTimeout is one
            raise DnsTimeout(f"no answer for {name} within {self.timeout:g} s") from None
        except dns.resolver.NoNameservers:
            raise DnsError(f"the DNS servers failed to answer for {name}") from None
        except dns.exception.DNSException as error:
            raise DnsError(f"{name}: {error}") from None
        return answer if answer.rrset is not None else None
