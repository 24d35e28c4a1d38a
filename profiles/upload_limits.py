"""How many uploads one account may send in an hour: every upload budget lives here.

Each upload costs real work before anything is stored (an image decoded and
re-encoded in several sizes, a PDF parsed and rewritten, a BibTeX file parsed,
an al-folio zip unpacked by a background worker), so a script posting files in
a loop could keep the app servers busy for everyone. The budgets are per
account (the user id, not the client address: a lab behind one NAT address
shares nothing), counted in clock-aligned hours in the shared cache
(profiles.ratelimit), and far above what a person does:

- a person tries a few photos when setting up a site, then changes it once a
  year; 30 an hour is ten times a fussy afternoon;
- dropping images into the markdown editor is the busiest: a long bio with a
  figure per paragraph, re-dropped while arranging it, might be 40; 120 is three
  of those in one hour;
- paper files: moving a publication list in by hand means a PDF, slides and a
  preview per paper, about 60 for twenty papers in an hour of steady work;
  more than that is a job for the al-folio import, which takes them in one zip;
- BibTeX imports: fixing an export and importing it again, a few times an
  hour; 30 is one every two minutes for an hour;
- al-folio imports: a check (dry run) and the real import are two; 10 an hour
  is five full attempts, each a whole site;
- files on the Links page (a WeChat QR code, a CV as PDF): a person has one of
  each; 30 an hour leaves room for every retry.

Only requests that carry something to import are counted (a file, or for the
BibTeX import also pasted text, which is parsed the same way): an empty or
mistyped form costs nothing. Tests patch these constants to small numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpResponse

from profiles.ratelimit import Budget, retry_after, spend, wait_words

HOUR = 3600


@dataclass(frozen=True)
class UploadLimit:
    """A budget, and what it counts in words for the refusal ("photo uploads")."""

    budget: Budget
    what: str


PHOTO = UploadLimit(Budget("upload-photo", limit=30, seconds=HOUR), "photo uploads")
EDITOR_IMAGE = UploadLimit(
    Budget("upload-editor-image", limit=120, seconds=HOUR), "images added to the editor"
)
PAPER_FILE = UploadLimit(Budget("upload-paper-file", limit=60, seconds=HOUR), "paper files")
BIBTEX_IMPORT = UploadLimit(Budget("upload-bibtex", limit=30, seconds=HOUR), "BibTeX imports")
ALFOLIO_IMPORT = UploadLimit(Budget("upload-alfolio", limit=10, seconds=HOUR), "al-folio imports")
LINK_FILE = UploadLimit(Budget("upload-link-file", limit=30, seconds=HOUR), "files for links")


@dataclass(frozen=True)
class UploadRefused:
    """Over the budget: what to tell the researcher, and when to come back (seconds)."""

    message: str
    retry_after: int


def spend_upload(limit: UploadLimit, user: AbstractBaseUser) -> UploadRefused | None:
    """Count one upload of `user`'s; a refusal when it is over the hour's budget.

    Compared after the atomic count, so parallel requests cannot all slip under
    the limit. Counting refused attempts too changes nothing: the window ends
    at the same time whatever the count.
    """
    who = f"user:{user.pk}"
    if spend(limit.budget, who) <= limit.budget.limit:
        return None
    wait = retry_after([limit.budget], who)
    return UploadRefused(
        message=(
            f"That is more {limit.what} than we take from one account in an hour "
            f"(at most {limit.budget.limit}). Nothing was uploaded: try again in "
            f"{wait_words(wait)}."
        ),
        retry_after=wait,
    )


def refuse_on_form(form: forms.Form, field: str, refusal: UploadRefused) -> None:
    """Show the refusal under `field` of a form bound to the POST alone (not its files).

    The upload is not looked at; everything else that was typed stays in the
    form, to send again once the wait is over (a browser never refills a file
    input, so that one is chosen again either way).
    """
    form.is_valid()  # validates the typed fields only: cheap, no file
    form.errors.clear()  # their errors would be noise next to "try again later"
    form.add_error(field, refusal.message)


def throttled(response: HttpResponse, refusal: UploadRefused) -> HttpResponse:
    """`response` as a 429 that tells clients when to come back."""
    response.status_code = 429
    response["Retry-After"] = str(refusal.retry_after)
    return response
