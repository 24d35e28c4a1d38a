"""Every moderation change: made here, recorded in the audit trail, told to the owner.

The admin's actions, the owner's dashboard and the tests all call these, so a
decision is never made without its ModerationAction and its e-mail. Writes
are atomic; e-mails go after commit (a rolled-back decision tells no one).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from profiles import owner_mail
from profiles.domains.primary import clear_primary_if
from profiles.models import (
    CustomDomain,
    HiddenItem,
    ModerationAction,
    Profile,
    Report,
    User,
    new_domain_token,
)

Kind = ModerationAction.Kind


class ModerationRefused(ValueError):
    """The decision cannot be made as asked; the message says why."""


# ---------------------------------------------------------------- mail


def _send(template: str, to: str, context: dict) -> None:
    """A text and HTML e-mail from templates/platform/email/moderation/<template>.*"""
    owner_mail.send("moderation", template, to, context, html=True)


def _tell_owner(profile: Profile, template: str, **context) -> None:
    owner_mail.tell_owner(profile, "moderation", template, html=True, **context)


def _record(profile: Profile, actor: User | None, kind: str, target: str, reason: str):
    return ModerationAction.objects.create(
        profile=profile, actor=actor, kind=kind, target=target[:300], reason=reason
    )


# ---------------------------------------------------------------- the site


def _require_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ModerationRefused(f"Say why {what}: the owner reads it.")
    return reason


@transaction.atomic
def publish_site(*, profile: Profile, actor: User | None, reason: str = "") -> None:
    """Pending → published. Only once the owner has confirmed their e-mail address."""
    if profile.status != Profile.Status.PENDING:
        raise ModerationRefused(f"{profile.slug} is {profile.get_status_display().lower()}.")
    if not profile.owner.email_confirmed:
        raise ModerationRefused(f"{profile.slug}'s owner has not confirmed their e-mail address.")
    _set_status(profile, Profile.Status.PUBLISHED, reason.strip())
    _record(profile, actor, Kind.PUBLISH, "the site", reason.strip())
    _tell_owner(profile, "published", reason=reason.strip())


@transaction.atomic
def suspend_site(*, profile: Profile, actor: User | None, reason: str) -> None:
    """Pending or published → suspended: the site shows "unavailable", and is listed nowhere."""
    reason = _require_reason(reason, "the site is suspended")
    if profile.status == Profile.Status.SUSPENDED:
        raise ModerationRefused(f"{profile.slug} is suspended already.")
    if profile.status == Profile.Status.DELETED:
        raise ModerationRefused(f"{profile.slug} is deleted: restore it first.")
    _set_status(profile, Profile.Status.SUSPENDED, reason)
    _record(profile, actor, Kind.SUSPEND, "the site", reason)
    _tell_owner(profile, "suspended", reason=reason)


@transaction.atomic
def reinstate_site(*, profile: Profile, actor: User | None, reason: str = "") -> None:
    """Suspended → published again."""
    if profile.status != Profile.Status.SUSPENDED:
        raise ModerationRefused(f"{profile.slug} is not suspended.")
    _set_status(profile, Profile.Status.PUBLISHED, reason.strip())
    _record(profile, actor, Kind.REINSTATE, "the site", reason.strip())
    _tell_owner(profile, "reinstated", reason=reason.strip())


def _set_status(profile: Profile, status: str, reason: str) -> None:
    # save(), not update(): the tenancy cache hears of it (profiles.signals).
    profile.status = status
    profile.status_reason = reason
    profile.save(update_fields=["status", "status_reason", "updated_at"])


# ---------------------------------------------------------------- deleting and restoring


@transaction.atomic
def delete_site(
    *, profile: Profile, actor: User | None, reason: str = "", by_owner: bool = False
) -> Profile:
    """Take the site and its account off the web at once, recoverably; the deleted profile.

    Nothing is destroyed: the site answers 410 on all its hosts, leaves the
    directory, the landing page and co-author links, and its owner cannot log in
    (is_active off; the password hash is kept, so a restore gives the old
    log-in back). The address and the site's slug stay taken until the purge
    (profiles.accounts.purge_deleted, DELETED_SITE_RETENTION_DAYS later), so
    nobody can pose as the site meanwhile and a restore finds them free.
    `by_owner`: the owner deleted it from the dashboard (no reason asked).
    """
    if not by_owner:
        reason = _require_reason(reason, "the site is deleted")
    profile = Profile.objects.select_for_update().select_related("owner").get(pk=profile.pk)
    if profile.status == Profile.Status.DELETED:
        raise ModerationRefused(f"{profile.slug} is deleted already.")
    profile.status_before_deletion = profile.status
    profile.status = Profile.Status.DELETED
    profile.deleted_at = timezone.now()
    profile.deleted_by = profile.owner if by_owner else actor
    profile.deletion_reason = reason.strip()
    # save(), not update(): the tenancy cache, the page cache and the co-author
    # index hear of it (profiles.signals, publications.signals).
    profile.save(
        update_fields=[
            "status", "status_before_deletion", "deleted_at", "deleted_by", "deletion_reason",
            "updated_at",
        ]
    )  # fmt: skip
    owner = profile.owner
    owner.is_active = False  # log-ins refused; open sessions end on their next request
    owner.save(update_fields=["is_active"])
    if by_owner:
        _record(profile, None, Kind.OWNER_DELETE, "the site", "")
        owner_mail.tell_owner(
            profile, "account", "deleted", html=True, purge_after=profile.purge_after
        )
    else:
        _record(profile, actor, Kind.DELETE, "the site", profile.deletion_reason)
        _tell_owner(
            profile, "deleted", reason=profile.deletion_reason, purge_after=profile.purge_after
        )
    return profile


@transaction.atomic
def restore_site(*, profile: Profile, actor: User | None, reason: str = "") -> None:
    """A deleted site, not purged yet, back as it was: its status, files, domains, log-in.

    The rows and files were never touched, so only the marks of deletion go.
    Custom domains keep their state; the periodic check (verify_domains) looks at
    verified ones again within the hour, as at any other time. A domain that
    another site proved control of meanwhile stays with that site.
    """
    profile = Profile.objects.select_for_update().select_related("owner").get(pk=profile.pk)
    if profile.status != Profile.Status.DELETED:
        raise ModerationRefused(f"{profile.slug} is not deleted.")
    profile.status = profile.status_before_deletion or Profile.Status.PENDING
    profile.status_before_deletion = ""
    profile.deleted_at = None
    profile.deleted_by = None
    profile.deletion_reason = ""
    profile.save(
        update_fields=[
            "status", "status_before_deletion", "deleted_at", "deleted_by", "deletion_reason",
            "updated_at",
        ]
    )  # fmt: skip
    owner = profile.owner
    owner.is_active = True
    owner.save(update_fields=["is_active"])
    _record(profile, actor, Kind.RESTORE, "the site", reason.strip())
    _tell_owner(profile, "restored", reason=reason.strip())


# ---------------------------------------------------------------- domains


@transaction.atomic
def revoke_domain(*, domain: CustomDomain, actor: User | None, reason: str) -> None:
    """A verified custom domain stops serving its site at once; the slug host is main again.

    It is marked revoked: neither the periodic check nor "Verify now" gives it
    back to this site, and the owner cannot remove it and add it again
    (profiles.domains.services). Its token is replaced too, so the TXT record
    the owner published proves nothing any more.
    """
    reason = _require_reason(reason, "the domain is revoked")
    row = (
        CustomDomain.objects.select_for_update().select_related("profile__owner").get(pk=domain.pk)
    )
    if not row.verified:
        raise ModerationRefused(f"{row.host} is not verified: there is nothing to revoke.")
    row.verified = False
    row.verified_at = None
    row.failed_checks = 0
    row.token = new_domain_token()
    row.last_check_message = "Revoked by a moderator."
    row.revoked_at = timezone.now()
    # save(), not update(): the tenancy and page caches hear of it (profiles.signals).
    row.save(
        update_fields=[
            "verified", "verified_at", "failed_checks", "token", "last_check_message",
            "revoked_at",
        ]
    )  # fmt: skip
    was_primary = clear_primary_if(row.profile, row.host)
    _record(row.profile, actor, Kind.REVOKE_DOMAIN, f"the domain {row.host}", reason)
    _tell_owner(
        row.profile, "domain_revoked", domain=row.host, reason=reason, was_primary=was_primary
    )


# ---------------------------------------------------------------- items


def _flag(hidden: HiddenItem, *, hide: bool) -> None:
    """Set the flag the site's pages read for this item."""
    if hidden.kind == HiddenItem.Kind.PUBLICATION:
        hidden.publication.is_visible = not hide
        hidden.publication.save(update_fields=["is_visible", "updated_at"])
    elif hidden.kind == HiddenItem.Kind.NEWS:
        hidden.news_item.is_visible = not hide
        hidden.news_item.save(update_fields=["is_visible", "updated_at"])
    else:
        field = f"{hidden.kind}_hidden"  # bio_hidden, photo_hidden
        setattr(hidden.profile, field, hide)
        hidden.profile.save(update_fields=[field, "updated_at"])


@transaction.atomic
def hide_item(
    *,
    profile: Profile,
    kind: str,
    actor: User | None,
    reason: str,
    publication=None,
    news_item=None,
) -> HiddenItem:
    """Hide the bio, the photo, a publication or a news item; gone from the site at once."""
    reason = _require_reason(reason, "it is hidden")
    hidden = HiddenItem(
        profile=profile,
        kind=kind,
        publication=publication,
        news_item=news_item,
        reason=reason,
        hidden_by=actor,
    )
    existing = _existing(hidden)
    if existing is not None:
        raise ModerationRefused(f"{existing.label} of {profile.slug} is hidden already.")
    hidden.save()
    _flag(hidden, hide=True)
    _record(profile, actor, Kind.HIDE, hidden.label, reason)
    _tell_owner(profile, "hidden", item=hidden.label, reason=reason)
    return hidden


def _existing(hidden: HiddenItem) -> HiddenItem | None:
    found = HiddenItem.objects.filter(profile=hidden.profile, kind=hidden.kind)
    if hidden.publication is not None:
        found = found.filter(publication=hidden.publication)
    if hidden.news_item is not None:
        found = found.filter(news_item=hidden.news_item)
    return found.first()


@transaction.atomic
def unhide_item(*, hidden: HiddenItem, actor: User | None, reason: str = "") -> None:
    """Put a hidden item back on the site."""
    _flag(hidden, hide=False)
    label, profile = hidden.label, hidden.profile
    hidden.delete()
    _record(profile, actor, Kind.UNHIDE, label, reason.strip())
    _tell_owner(profile, "unhidden", item=label, reason=reason.strip())


@transaction.atomic
def keep_hidden(*, hidden: HiddenItem, actor: User | None, reason: str) -> None:
    """Answer a review request with "still hidden", and why."""
    reason = _require_reason(reason, "it stays hidden")
    hidden.review_requested_at = None
    hidden.reason = reason
    hidden.save(update_fields=["review_requested_at", "reason"])
    _record(hidden.profile, actor, Kind.HIDE, hidden.label, f"Reviewed, kept hidden: {reason}")
    _tell_owner(hidden.profile, "kept_hidden", item=hidden.label, reason=reason)


@transaction.atomic
def request_review(*, hidden: HiddenItem) -> None:
    """The owner changed the item and asks for it to be looked at again: back in the queue."""
    if hidden.review_requested_at is not None:
        return
    hidden.review_requested_at = timezone.now()
    hidden.save(update_fields=["review_requested_at"])
    _record(hidden.profile, None, Kind.REVIEW_REQUESTED, hidden.label, "")


# ---------------------------------------------------------------- reports


@transaction.atomic
def resolve_report(*, report: Report, actor: User | None, action_taken: str) -> None:
    """Close a report with what was done; the reporter hears of it when they left an address."""
    action_taken = action_taken.strip()
    if not action_taken:
        raise ModerationRefused("Say what was done about the report: the reporter may read it.")
    if report.status == Report.Status.RESOLVED:
        raise ModerationRefused(f"Report #{report.pk} is resolved already.")
    report.status = Report.Status.RESOLVED
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.action_taken = action_taken
    report.save(update_fields=["status", "resolved_at", "resolved_by", "action_taken"])
    _record(report.profile, actor, Kind.REPORT_RESOLVED, f"report #{report.pk}", action_taken)
    if report.contact_email:
        context = {"report": report, "action_taken": action_taken}
        email = report.contact_email
        transaction.on_commit(lambda: _send("report_resolved", email, context))
