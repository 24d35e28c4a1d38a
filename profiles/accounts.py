"""The account's life: confirming the e-mail address, changing it, the site's address, deleting.

Links sent by e-mail carry a signed token (django.core.signing, salted per
purpose, timestamped) with the user id and the address the link was sent
for. Nothing is stored: a link works once because what it asks is checked
against the account as it is now (an address already confirmed or changed
says so; a link for an address the account no longer uses is refused).

Writes are atomic; e-mails go after commit (a rolled-back change tells no one).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from profiles import former_slugs, mail, media
from profiles.links import platform_url
from profiles.models import Profile, SiteImport, SlugHistory, User
from profiles.moderation.services import delete_site, publish_site
from profiles.throttling import account_key

CONFIRM_MAX_AGE = timedelta(days=3)
CHANGE_MAX_AGE = timedelta(days=1)
_CONFIRM_SALT = "profiles.accounts.confirm-email"
_CHANGE_SALT = "profiles.accounts.change-email"

# One e-mail a minute per account and purpose: a link that is slow to come
# should not turn the button into a way to flood a mailbox.
MAIL_INTERVAL_SECONDS = 60
# Wrong passwords in the account forms, per account, before they wait.
PASSWORD_TRIES = 5
PASSWORD_WAIT_SECONDS = 15 * 60
# Each rename keeps the old name for 90 days; a site may hold this many at once.
MAX_RESERVED_SLUGS = 3


# ---------------------------------------------------------------- tokens


class LinkProblem(enum.Enum):
    BAD = "bad"  # tampered with, cut short, or for an account that is gone
    EXPIRED = "expired"
    STALE = "stale"  # the account's address (or password) changed since it was sent


class LinkRefused(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _sign(salt: str, **payload) -> str:
    return signing.TimestampSigner(salt=salt).sign_object(payload)


def _unsign(token: str, salt: str, max_age: timedelta) -> dict:
    try:
        payload = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused(LinkProblem.EXPIRED) from None
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise LinkRefused(LinkProblem.BAD) from None
    if not isinstance(payload, dict):
        raise LinkRefused(LinkProblem.BAD)
    return payload


def confirm_token(user: User) -> str:
    return _sign(_CONFIRM_SALT, u=user.pk, e=user.email)


def change_token(user: User, new_email: str) -> str:
    return _sign(_CHANGE_SALT, u=user.pk, old=user.email, new=new_email, p=_password_mark(user))


def _password_mark(user: User) -> str:
    """Changes with the password: a new password cancels a change of address asked before."""
    return salted_hmac(_CHANGE_SALT, user.password, algorithm="sha256").hexdigest()[:20]


def _user(payload: dict) -> User:
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None:
        raise LinkRefused(LinkProblem.BAD)
    return user


# ---------------------------------------------------------------- mail


def _send(template: str, to: str, context: dict) -> None:
    """A text and HTML e-mail from templates/platform/email/account/<template>.*"""
    context = {
        "platform_url": platform_url(),
        "contact_email": settings.CONTACT_EMAIL,
        **context,
    }
    base = f"platform/email/account/{template}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{base}.txt", context), settings.DEFAULT_FROM_EMAIL, [to]
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    # A mail server that is down: retried later, never an error (profiles.mail).
    mail.send(message)


def _mail_allowed(purpose: str, user: User) -> bool:
    """True at most once a minute per account and purpose (cache.add is atomic)."""
    return cache.add(f"accounts:mail:{purpose}:{user.pk}", True, MAIL_INTERVAL_SECONDS)


def send_confirmation(user: User) -> bool:
    """E-mail the link that confirms the account's address; False when one went out just now."""
    if not _mail_allowed("confirm", user):
        return False
    link = platform_url(reverse("confirm_email", args=[confirm_token(user)]))
    context = {"email": user.email, "link": link, "days": CONFIRM_MAX_AGE.days}
    profile = Profile.objects.filter(owner=user).first()
    if profile is not None:
        context |= {
            "profile": profile,
            "site_waits": profile.status == Profile.Status.PENDING,
            "publishes": settings.SIGNUP_PUBLISHES_SITE,
        }
    _send("confirm", user.email, context)
    return True


# ---------------------------------------------------------------- passwords


class TooManyTries(Exception):
    """Too many wrong passwords in the account forms lately."""


def check_password(user: User, password: str) -> bool:
    """user.check_password, counted: a stolen session cannot guess its way to the password."""
    key = f"accounts:password-failures:{user.pk}"
    if (cache.get(key) or 0) >= PASSWORD_TRIES:
        raise TooManyTries
    if user.check_password(password):
        return True
    if not cache.add(key, 1, PASSWORD_WAIT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, PASSWORD_WAIT_SECONDS)
    return False


# ---------------------------------------------------------------- confirming


@dataclass(frozen=True)
class Confirmed:
    email: str
    already: bool = False  # nothing to do: the link was used before
    published: Profile | None = None  # the site went live with it (SIGNUP_PUBLISHES_SITE)
    waiting: bool = False  # the site waits for a moderator, who may publish it from now on


@transaction.atomic
def confirm_address(*, user: User) -> Profile | None:
    """Mark the account's address as proved; the site it publishes, if any.

    With SIGNUP_PUBLISHES_SITE on, a site waiting since sign-up goes live now
    (publish_site records it and e-mails the owner); otherwise it waits for a
    moderator, who can publish it from now on.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    profile = Profile.objects.filter(owner=user, status=Profile.Status.PENDING).first()
    if profile is None or not settings.SIGNUP_PUBLISHES_SITE:
        return None
    publish_site(profile=profile, actor=None, reason="")
    return profile


def confirm_by_link(token: str) -> Confirmed:
    payload = _unsign(token, _CONFIRM_SALT, CONFIRM_MAX_AGE)
    user = _user(payload)
    if user.email != payload.get("e"):
        raise LinkRefused(LinkProblem.STALE)
    if user.email_confirmed:
        return Confirmed(user.email, already=True)
    published = confirm_address(user=user)
    waiting = published is None and user_site_is_pending(user)
    return Confirmed(user.email, published=published, waiting=waiting)


def user_site_is_pending(user: User) -> bool:
    return Profile.objects.filter(owner=user, status=Profile.Status.PENDING).exists()


# ---------------------------------------------------------------- changing the address


def request_email_change(*, user: User, new_email: str) -> bool:
    """Send the link to the new address and a note to the old one; False if sent just now."""
    if not _mail_allowed("change", user):
        return False
    link = platform_url(reverse("confirm_email_change", args=[change_token(user, new_email)]))
    context = {
        "old_email": user.email,
        "new_email": new_email,
        "days": CHANGE_MAX_AGE.days,
        "reset_url": platform_url(reverse("password_reset")),
    }
    _send("change_email", new_email, {**context, "link": link})
    _send("change_requested", user.email, context)
    return True


class AddressTaken(Exception):
    """Another account took the new address after the link was sent."""


@dataclass(frozen=True)
class Changed:
    old_email: str
    new_email: str
    already: bool = False


@transaction.atomic
def change_by_link(token: str) -> Changed:
    payload = _unsign(token, _CHANGE_SALT, CHANGE_MAX_AGE)
    user = User.objects.select_for_update().filter(pk=_user(payload).pk).get()
    old, new = payload.get("old"), payload.get("new")
    if not isinstance(new, str) or not new:
        raise LinkRefused(LinkProblem.BAD)
    if user.email == new:
        return Changed(old, new, already=True)
    if user.email != old or not constant_time_compare(payload.get("p", ""), _password_mark(user)):
        raise LinkRefused(LinkProblem.STALE)
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise AddressTaken
    user.email = new
    user.email_confirmed = True  # the link reached it
    user.save(update_fields=["email", "email_confirmed"])
    confirm_address(user=user)  # a site waiting since sign-up may go live now
    return Changed(old, new)


# ---------------------------------------------------------------- the site's address


def slugs_held(profile: Profile) -> int:
    """Former addresses the site holds now (within their 90 days)."""
    return profile.former_slugs.filter(changed_at__gt=former_slugs.cutoff()).count()


@transaction.atomic
def change_slug(*, profile: Profile, slug: str) -> str:
    """Give the site a new address; the old one redirects to it for 90 days. The old slug.

    The caller has checked `slug` (account_forms.SiteAddressForm); the database's
    unique constraint settles a race (IntegrityError).
    """
    old = profile.slug
    # The new name may be one of this site's own former names, or a record
    # whose 90 days are over: either way it no longer reserves anything.
    SlugHistory.objects.filter(slug=slug).delete()
    SlugHistory.objects.update_or_create(
        slug=old, defaults={"profile": profile, "changed_at": timezone.now()}
    )
    profile.slug = slug
    # save(), not update(): the tenancy cache forgets both hosts (profiles.signals).
    profile.save(update_fields=["slug", "updated_at"])
    return old


# ---------------------------------------------------------------- deleting


def delete_account(*, user: User) -> Profile:
    """The owner deletes their account and site: off the web now, erased for good later.

    Recoverable by a moderator until the purge (profiles.moderation.services:
    delete_site, restore_site; purge_deleted below). The deleted profile.
    """
    profile = Profile.objects.get(owner=user)
    return delete_site(profile=profile, actor=None, by_owner=True)


def purge_day(profile: Profile) -> str:
    """The day a deleted site may be erased, as people write it: "30 June 2026"."""
    return date_format(timezone.localtime(profile.purge_after), "j F Y")


def undo_sentence() -> str:
    """How a deleted site comes back, said truthfully whether or not there is a contact."""
    if settings.CONTACT_EMAIL:
        return f"If this was a mistake, write to {settings.CONTACT_EMAIL} before then."
    return "If this was a mistake, the people who run Multifolio can bring it back until then."


def deleted_site_of(email: str) -> Profile | None:
    """The deleted, not yet purged, site of the account with this (normalised) address."""
    return Profile.objects.deleted().filter(owner__email=email).first()


def deleted_address_message(profile: Profile) -> str:
    """For sign-up and password reset: the address is held by a deleted account."""
    return (
        f"This address belongs to an account that was deleted. It is kept until "
        f"{purge_day(profile)} and free again after then. {undo_sentence()}"
    )


@dataclass(frozen=True)
class Erased:
    """A site the purge erased (or, in a dry run, would erase)."""

    profile_id: int
    slug: str
    email: str
    deleted_at: datetime
    files: int


def due_for_purge(now: datetime | None = None):
    """Sites deleted more than DELETED_SITE_RETENTION_DAYS ago, oldest first."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DELETED_SITE_RETENTION_DAYS)
    return (
        Profile.objects.deleted()
        .filter(deleted_at__lte=cutoff)
        .select_related("owner")
        .order_by("deleted_at", "pk")
    )


def purge_deleted(*, dry_run: bool = False, now: datetime | None = None) -> list[Erased]:
    """Erase for good every site (and its account) whose retention is over; what went.

    One transaction per site, each through erase_account, the same path that
    deleting took before deletion became recoverable: rows, files (after
    commit), admin log entries, task results, log-in records. A site restored
    while the purge runs is left alone: it is read again, locked, first.
    """
    erased = []
    for candidate in list(due_for_purge(now)):
        with transaction.atomic():
            profile = due_for_purge(now).select_for_update().filter(pk=candidate.pk).first()
            if profile is None:
                continue  # restored (or erased) meanwhile
            erased.append(
                Erased(
                    profile_id=profile.pk,
                    slug=profile.slug,
                    email=profile.owner.email,
                    deleted_at=profile.deleted_at,
                    files=len(media.site_files(profile.pk)),
                )
            )
            if not dry_run:
                erase_account(user=profile.owner)
    return erased


@transaction.atomic
def erase_account(*, user: User) -> None:
    """Erase the account, its site and everything of it, rows and files, for good.

    The database cascades from the user to the profile and every row that
    points at it; signals delete the site's files and kept import uploads
    after commit (profiles.signals). What holds the account without a foreign
    key goes here too: admin log entries about its rows, the background
    results of its imports, and the log-in records that name its address.
    Only the purge calls this for a researcher (purge_deleted): deleting from
    the dashboard or the admin is recoverable first.
    """
    email = user.email
    profile = Profile.objects.filter(owner=user).first()
    if profile is not None:
        _delete_task_results(profile)
        _delete_admin_log_entries(profile)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
    user.delete()
    # Failed and successful log-ins name the address; the account they
    # protected is gone, so they protect nothing any more.
    names = {email, account_key(email)}
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in=names).delete()


def _delete_admin_log_entries(profile: Profile) -> None:
    """The admin's history of the site's rows keeps their names (object_repr)."""
    rows = [(Profile, Profile.objects.filter(pk=profile.pk))]
    for relation in Profile._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            model = relation.related_model
            rows.append((model, model._default_manager.filter(**{relation.field.name: profile})))
    for model, queryset in rows:
        ids = queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).delete()


def _delete_task_results(profile: Profile) -> None:
    """Finished or waiting import tasks of the site (a running one finds its row gone)."""
    run_ids = list(SiteImport.objects.filter(profile=profile).values_list("pk", flat=True))
    if run_ids:
        from profiles.tasks import run_site_import

        DBTaskResult.objects.filter(
            task_path=run_site_import.module_path, args_kwargs__args__0__in=run_ids
        ).exclude(status=TaskResultStatus.RUNNING).delete()
