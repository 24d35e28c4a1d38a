"""Site slugs: each one becomes a DNS label, `<slug>.<SITES_DOMAIN>`."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# A DNS label (RFC 1035, lower-cased): 1-63 characters of a-z, 0-9 and hyphen,
# not starting or ending with a hyphen. The database holds the same rule as a
# check constraint (profiles.Profile.Meta).
# \A and \Z, not ^ and $: "$" also matches before a final newline in Python
# (and so in SQLite's REGEXP); PostgreSQL reads \A and \Z the same way.
SLUG_PATTERN = r"\A[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\Z"
SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_MAX_LENGTH = 63

# Names a researcher may not take: they are, or could one day be, hosts of the
# platform itself, or would let a site pose as an official page.
RESERVED_SLUGS: frozenset[str] = frozenset(
    """
    about abuse account accounts admin administrator api app apps assets auth autoconfig
    autodiscover billing blog cdn contact dashboard dev directory dns docs download
    edit email feed feeds ftp git help imap import export info legal login logout mail
    mailer media mx multifolio news noreply no-reply ns ns1 ns2 official platform pop
    pop3 postmaster preview privacy register root security settings signin signup site
    sites smtp staging static stats status support system terms test webmail www www1
    www2
    """.split()
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
    if slug in RESERVED_SLUGS:
        return f"“{slug}” is reserved. Please choose another address."
    return None


def validate_slug(value: str) -> None:
    """Model/form validator; the message says how to fix the slug."""
    problem = slug_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_slug")
