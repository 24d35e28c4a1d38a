"""Owner-managed custom domains: add, verify, check, move, remove.

The dashboard, the admin and `manage.py verify_domains` call these. DNS is
asked first, outside any transaction (profiles.domains.verification); only
then are the rows locked and written, so a slow DNS never holds a lock.

Rules:

- a host may be added by several sites, but verified for one only: whoever
  proves control (their token in the TXT record, the host pointing at their
  site) gets it, and the site that had it is unverified and told ("moved").
  A move needs the other site's token gone from the TXT record, so two sites
  whose tokens are both published cannot take the domain from each other in turn;
- a verified domain that fails DOMAIN_UNVERIFY_AFTER_FAILURES checks in a row
  (a DNS timeout or error counts) is unverified, and its owner is e-mailed once;
- `Profile.primary_domain` is always one of the site's verified domains, or empty
  (profiles.domains.primary sets it; a domain that stops being verified clears it).

E-mails go after commit. Saving a CustomDomain forgets the tenancy and page
caches (profiles.signals), so routing follows on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol
from urllib.parse import urlsplit

import idna
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from profiles import owner_mail
from profiles.domains.primary import clear_primary_if
from profiles.domains.verification import (
    CheckResult,
    Code,
    DnsRecord,
    Probe,
    dns_records,
    probe,
)
from profiles.hosts import custom_domain_problem, is_ip_address, normalize_host
from profiles.models import CustomDomain, Profile

__all__ = [
    "CheckResult",
    "CheckSummary",
    "DnsRecord",
    "add_domain",
    "check_all",
    "check_domain",
    "dns_records",
    "host_from_input",
    "remove_domain",
    "verify_now",
]

# An unverified domain is rechecked by the periodic command for this long after
# it was added: DNS changes show within hours, and after that the owner presses
# "Verify now" (or runs the command with --all).
RECENT = timedelta(days=7)

MESSAGE_MAX = CustomDomain._meta.get_field("last_check_message").max_length


class Writer(Protocol):
    def write(self, text: str) -> object: ...


# ---------------------------------------------------------------- adding


def host_from_input(raw: str) -> str:
    """The host name in what an owner pasted, lowercase and in punycode.

    "https://www.Jane-Doe.org/about" -> "www.jane-doe.org";
    "www.bücher.example" -> "www.xn--bcher-kva.example". Raises ValidationError.
    """
    text = raw.strip()
    if not text:
        raise ValidationError("Enter a domain name such as www.jane-doe.org.")
    try:
        parts = urlsplit(text if "://" in text else f"//{text}")
        host = parts.hostname or ""
    except ValueError:
        host = ""
    host = normalize_host(host)
    if not host:
        raise ValidationError(f"{raw.strip()[:100]!r} is not a domain name.")
    if is_ip_address(host):
        raise ValidationError("Use a domain name, not an IP address.")
    try:
        # UTS 46 maps what people type (capitals, full-width dots) the way browsers do.
        host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise ValidationError(
            f"{host[:100]!r} is not a valid domain name. Check its spelling."
        ) from None
    return host


def add_domain(profile: Profile, raw: str) -> CustomDomain:
    """Add an unverified domain to `profile`'s site; ValidationError says why not."""
    host = host_from_input(raw)
    problem = custom_domain_problem(host)
    if problem:
        raise ValidationError(problem)
    holder = CustomDomain.objects.filter(host=host, verified=True).exclude(profile=profile)
    holder = holder.select_related("profile").first()
    # Taken, unless its DNS no longer proves the holder's control (the domain is
    # being moved here): DNS first, outside the transaction.
    still_held = holder is not None and _still_proves_control(holder)
    with transaction.atomic():
        # The profile's lock serialises two adds to one site, so the limit holds.
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        domains = CustomDomain.objects.filter(profile=profile)
        if domains.filter(host=host).exists():
            raise ValidationError(f"You have already added {host}.")
        if still_held:
            raise ValidationError(
                f"{host} is already verified for another site, and its DNS still says so. "
                f"If the domain is yours, point it at {profile.host} and remove the other "
                "site's _multifolio-challenge TXT value, then add it here again."
            )
        limit = settings.DOMAIN_LIMIT_PER_SITE
        if domains.count() >= limit:
            raise ValidationError(
                f"A site can have at most {limit} custom domains. Remove one to add another."
            )
        try:
            with transaction.atomic():
                return CustomDomain.objects.create(profile=profile, host=host)
        except IntegrityError:  # added by a concurrent request in the meantime
            raise ValidationError(f"You have already added {host}.") from None


def _still_proves_control(holder: CustomDomain) -> bool:
    """Whether `holder`'s DNS proof still stands; a DNS problem is not taken as "no"."""
    result = probe(holder).result
    return result.ok or result.code in (Code.TIMEOUT, Code.DNS_ERROR)


# ---------------------------------------------------------------- checking


def verify_now(domain: CustomDomain) -> CheckResult:
    """Check `domain` now and record the outcome (the dashboard's "Verify now").

    Success verifies it, taking it from another site that had it. A failure of
    a verified domain counts as one failed check, like a periodic one: an
    owner's click during a DNS hiccup must not take their site off the domain.
    """
    return _check(domain)


def check_domain(domain: CustomDomain) -> CheckResult:
    """The periodic check (manage.py verify_domains); same rules as verify_now."""
    return _check(domain)


REVOKED_MESSAGE = (
    "A moderator revoked this domain for your site, so it is not checked any more. "
    "The e-mail you received says why; reply to it if you think this is a mistake."
)


def _check(domain: CustomDomain) -> CheckResult:
    if domain.revoked_at is not None:
        return CheckResult(False, Code.REVOKED, REVOKED_MESSAGE)  # no DNS asked
    found = probe(domain)  # DNS first: never inside the transaction
    with transaction.atomic():
        # Lock every claim of this host (in pk order): two sites verifying it at
        # once are serialised, and the loser sees the winner's verified row.
        claims = list(
            CustomDomain.objects.select_for_update()
            .filter(host=domain.host)
            .select_related("profile__owner")
            .order_by("pk")
        )
        row = next((claim for claim in claims if claim.pk == domain.pk), None)
        if row is None:  # removed meanwhile
            return found.result
        if row.revoked_at is not None:  # revoked while DNS was asked
            return CheckResult(False, Code.REVOKED, REVOKED_MESSAGE)
        holders = [claim for claim in claims if claim.verified and claim.pk != row.pk]
        result = _apply(row, found, holders)
    _refresh(domain, row)
    return result


def _apply(row: CustomDomain, found: Probe, holders: list[CustomDomain]) -> CheckResult:
    result = found.result
    now = timezone.now()
    if result.ok and any(holder.token in found.tokens for holder in holders):
        result = CheckResult(
            False,
            Code.WRONG_TOKEN,
            f"{row.host} is verified for another site, whose token is still in the TXT "
            f"record _multifolio-challenge.{row.host}. Remove that value, keep {row.token}, "
            "and verify again to move the domain here.",
        )
    if result.ok:
        for holder in holders:  # the partial unique index wants them unverified first
            _unverify(holder)
            _tell_owner(holder.profile, "moved", host=holder.host)
        if not row.verified:
            row.verified, row.verified_at = True, now
        row.failed_checks = 0
    elif row.verified:
        row.failed_checks += 1
        if row.failed_checks >= settings.DOMAIN_UNVERIFY_AFTER_FAILURES:
            failures = row.failed_checks
            _unverify(row)
            _tell_owner(
                row.profile,
                "unverified",
                host=row.host,
                failures=failures,
                message=result.message,
                records=dns_records(row),
            )
            result = CheckResult(
                False,
                result.code,
                f"{result.message} After {failures} failed checks in a row, "
                f"{row.host} no longer serves your site.",
            )
    row.last_checked_at = now
    row.last_check_message = _clip(result.message)
    row.save(
        update_fields=[
            "verified",
            "verified_at",
            "failed_checks",
            "last_checked_at",
            "last_check_message",
        ]
    )
    return result


def _unverify(row: CustomDomain) -> None:
    row.verified = False
    row.verified_at = None
    row.failed_checks = 0
    row.save(update_fields=["verified", "verified_at", "failed_checks"])
    clear_primary_if(row.profile, row.host)


def _refresh(domain: CustomDomain, row: CustomDomain) -> None:
    """Give the caller's instance what was written (it may be shown right after)."""
    for name in ("verified", "verified_at", "failed_checks", "last_checked_at"):
        setattr(domain, name, getattr(row, name))
    domain.last_check_message = row.last_check_message
    if domain.profile_id == row.profile_id and "profile" in domain._state.fields_cache:
        domain.profile.primary_domain = row.profile.primary_domain


def _clip(message: str) -> str:
    return message if len(message) <= MESSAGE_MAX else message[: MESSAGE_MAX - 1] + "…"


# ---------------------------------------------------------------- removing


def remove_domain(domain: CustomDomain) -> None:
    """Delete `domain`; if it was the site's primary address, the slug host is again.

    A revoked domain stays (ValidationError): removed, it could be added afresh.
    """
    if domain.revoked_at is not None:
        raise ValidationError(
            f"A moderator revoked {domain.host} for your site: it stays listed here, "
            "so that it cannot be added again."
        )
    with transaction.atomic():
        row = CustomDomain.objects.select_for_update().filter(pk=domain.pk).first()
        clear_primary_if(domain.profile, domain.host)
        if row is not None:
            row.delete()  # an instance's delete, so profiles.signals forget its host


# ---------------------------------------------------------------- all of them


@dataclass
class CheckSummary:
    checked: int = 0
    ok: int = 0
    failed: int = 0
    unverified: list[str] = field(default_factory=list)  # hosts that stopped serving

    def __str__(self) -> str:
        noun = "domain" if self.checked == 1 else "domains"
        text = f"{self.checked} {noun} checked: {self.ok} verified, {self.failed} failing"
        if self.unverified:
            text += f"; unverified now: {', '.join(self.unverified)}"
        return text + "."


def domains_to_check(*, scope: str = "default", host: str | None = None):
    """The domains a periodic run checks.

    scope "default": every verified domain, and unverified ones added in the last
    7 days; "all": every domain; "unverified": unverified ones of the last 7 days.
    `host` narrows to that host, whatever its age.
    """
    domains = (
        CustomDomain.objects.filter(revoked_at=None)
        # A deleted site's domains wait as they are for a restore (or the purge):
        # its owner must not be e-mailed about them, nor lose them to a DNS change.
        .exclude(profile__status=Profile.Status.DELETED)
        .select_related("profile__owner")
        .order_by("host", "pk")
    )
    if host is not None:
        return domains.filter(host=host_from_input(host))
    recent = timezone.now() - RECENT
    if scope == "all":
        return domains
    if scope == "unverified":
        return domains.filter(verified=False, created_at__gte=recent)
    return domains.filter(verified=True) | domains.filter(verified=False, created_at__gte=recent)


def check_all(
    *, stdout: Writer | None = None, scope: str = "default", host: str | None = None
) -> CheckSummary:
    """Check the domains of `scope` one by one, writing one line each to `stdout`."""
    summary = CheckSummary()
    for domain in list(domains_to_check(scope=scope, host=host)):
        was_verified = domain.verified
        result = check_domain(domain)
        summary.checked += 1
        if result.ok:
            summary.ok += 1
        else:
            summary.failed += 1
        if was_verified and not domain.verified:
            summary.unverified.append(domain.host)
        if stdout is not None:
            state = "ok" if result.ok else result.code
            stdout.write(f"{state:<16} {domain.host} ({domain.profile.slug}): {result.message}")
    return summary


# ---------------------------------------------------------------- mail


def _tell_owner(profile: Profile, template: str, **context) -> None:
    """A text e-mail from templates/platform/email/domains/<template>*.txt, after commit."""
    owner_mail.tell_owner(profile, "domains", template, html=False, **context)
