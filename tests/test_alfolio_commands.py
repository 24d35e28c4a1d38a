"""`manage.py import_alfolio` and `export_alfolio`: names and flags as the issue fixes them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from profiles.models import Profile, SiteImport, User

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_importing_into_a_free_address_creates_a_pending_site_for_the_owner(alfolio_site):
    out = run("import_alfolio", str(alfolio_site), "--slug", "ada", "--owner", "Ada@Example.org")

    profile = Profile.objects.get(slug="ada")
    assert profile.owner.email == "ada@example.org"
    assert not profile.owner.has_usable_password()  # set with "Forgot your password?"
    assert profile.status == Profile.Status.PENDING
    assert "Imported ada.github.io into a new site, ada." in out
    assert "News items: 2 added" in out
    assert "_news/_draft.md: its name starts with" in out
    assert "The site is pending review." in out
    assert SiteImport.objects.get(profile=profile).status == SiteImport.Status.DONE


def test_publish_publishes_and_an_existing_owner_keeps_their_account(alfolio_site, owner):
    run("import_alfolio", str(alfolio_site), "--slug", "ada", "--publish")

    owner.refresh_from_db()
    assert owner.is_published and owner.middle_name == "King"
    assert User.objects.count() == 1


def test_a_dry_run_creates_nothing_and_says_so(alfolio_site):
    out = run(
        "import_alfolio", str(alfolio_site), "--slug", "ada", "--owner", "a@e.org", "--dry-run"
    )

    assert "nothing was saved (a dry run)" in out
    assert "Publications: 1 added" in out
    assert not Profile.objects.exists() and not User.objects.exists()
    assert not SiteImport.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "newsite"], "There is no site newsite yet. To create it, say whose it is"),
        (["--slug", "ada", "--owner", "someone@example.org"], "belongs to another account"),
        (["--slug", "www", "--owner", "w@example.org"], "www"),
        (["--slug", "grace2", "--owner", "grace@example.org"], "already has a site, grace"),
    ],
)
def test_an_import_that_cannot_be_done_says_why_and_changes_nothing(
    alfolio_site, owner, second_researcher, args, message
):
    with pytest.raises(CommandError, match=message):
        run("import_alfolio", str(alfolio_site), *args)

    assert Profile.objects.count() == 2
    owner.refresh_from_db()
    assert owner.middle_name == "K."


def test_a_path_that_is_not_a_site_is_refused(tmp_path, owner):
    with pytest.raises(CommandError, match="There is no file or folder"):
        run("import_alfolio", str(tmp_path / "nothing"), "--slug", "ada")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match=r"neither a folder, a \.zip nor an about page"):
        run("import_alfolio", str(tmp_path / "notes.txt"), "--slug", "ada")


def test_a_lone_about_page_updates_only_the_about_page(tmp_path, owner):
    about = tmp_path / "about.md"
    about.write_text("---\nlayout: about\nsubtitle: Analyst\n---\nNew words.\n", encoding="utf-8")

    run("import_alfolio", str(about), "--slug", "ada")

    owner.refresh_from_db()
    assert (owner.bio, owner.subtitle, owner.first_name) == ("New words.", "Analyst", "Ada")


def test_export_refuses_a_name_that_is_not_a_zip_and_an_unknown_site(tmp_path, owner):
    with pytest.raises(CommandError, match=r"does not end in \.zip"):
        run("export_alfolio", "--slug", "ada", str(tmp_path / "ada.tar"))
    with pytest.raises(CommandError, match="There is no site “nobody”"):
        run("export_alfolio", "--slug", "nobody", str(tmp_path / "x.zip"))
    assert "Wrote" in run("export_alfolio", "--slug", "ada", str(tmp_path / "ada.zip"))
