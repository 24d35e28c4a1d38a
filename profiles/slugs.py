"""Site slugs: each one becomes a DNS label, `<slug>.<SITES_DOMAIN>`."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# A DNS label (RFC 1035, lower-cased): 1-63 characters of a-z, 0-9 and hyphen,
# not starting or ending with a hyphen, and (see slug_problem) no "--". The
# database holds the same rules as check constraints (profiles.Profile.Meta).
# \A and \Z, not ^ and $: "$" also matches before a final newline in Python
# (and so in SQLite's REGEXP); PostgreSQL reads \A and \Z the same way.
SLUG_PATTERN = r"\A[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\Z"
SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_MAX_LENGTH = 63

# Names a researcher may not take: they are, or could one day be, hosts of the
# platform itself, would let a site pose as an official page, or are names
# that other services look for under a domain (`<name>.<SITES_DOMAIN>`), which
# whoever held the name could then answer for the whole sites domain.
PLATFORM_NAMES = """
    about abuse account accounts admin administrator api app apps assets auth billing
    blog cdn contact dashboard dev directory docs download edit email export feed feeds
    ftp git help import info legal login logout media multifolio news official platform
    preview privacy register root security settings signin signup site sites staging
    static stats status support system terms test www www1 www2
"""
# Mail: MX and submission hosts, webmail, MTA-STS policies (RFC 8461, fetched
# from https://mta-sts.<domain>/), OpenPGP key discovery (WKD: openpgpkey.<domain>).
MAIL_NAMES = """
    imap mail mailer mta-sts mx noreply no-reply openpgpkey pop pop3 postmaster smtp
    submission webmail
"""
# Certificates: the mailboxes a certificate authority may write to for domain
# validation (CA/Browser Forum Baseline Requirements 3.2.2.4.4: admin,
# administrator, webmaster, hostmaster, postmaster), used as host names too.
CERTIFICATE_NAMES = """
    hostmaster webmaster ssl acme
"""
# Autoconfiguration that mail, calendar and office clients and browsers try on
# their own: Thunderbird's autoconfig, Outlook's autodiscover, the web proxy
# auto-discovery host (wpad), ISATAP, Skype/Lync and device enrolment, DNS
# names (ns*), and hosting panels' service hosts (cPanel and WHM).
AUTOCONFIGURATION_NAMES = """
    autoconfig autodiscover wpad isatap lyncdiscover sip enterpriseenrollment
    enterpriseregistration dns ns ns1 ns2 ns3 ns4 cpanel whm webdisk cpcalendars
    cpcontacts webmin localhost
"""
RESERVED_SLUGS: frozenset[str] = frozenset(
    (PLATFORM_NAMES + MAIL_NAMES + CERTIFICATE_NAMES + AUTOCONFIGURATION_NAMES).split()
)


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot name a site, or None when it can.

    The caller lower-cases first: the check is on the stored form.
    """
    if not slug:
        return "Choose an address for your site."
    if len(slug) > SLUG_MAX_LENGTH:
        return f"Use at most {SLUG_MAX_LENGTH} characters."
    if not SLUG_RE.match(slug):
        if slug.startswith("-") or slug.endswith("-"):
            return "The address cannot start or end with a hyphen."
        return "Use only lowercase letters a-z, digits and hyphens."
    if slug.startswith("xn--"):
        # Punycode: an internationalised name that can imitate another address
        # (a Cyrillic look-alike of "apple" is xn--80ak6aa92e).
        return "Addresses starting with “xn--” are not allowed: use plain letters a-z."
    if "--" in slug:
        # Besides xn--, DNS reserves "--" in the third and fourth places for
        # encodings to come; a double hyphen elsewhere only makes look-alikes.
        return "Use single hyphens between words (no “--”)."
    if slug in RESERVED_SLUGS:
        return f"“{slug}” is reserved. Please choose another address."
    return None


def validate_slug(value: str) -> None:
    """Model/form validator; the message says how to fix the slug."""
    problem = slug_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_slug")
