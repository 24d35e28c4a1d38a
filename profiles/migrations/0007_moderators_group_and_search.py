"""The Moderators group, confirmed addresses for existing accounts, and the directory's index.

- Every fresh database gets a "Moderators" group with only what moderating
  needs: view sites and their content, moderate them (publish, suspend, hide),
  resolve reports, read the audit trail. No permission on accounts beyond
  viewing them: moderators cannot change passwords, rights or groups.
- Accounts made before addresses were confirmed are taken as confirmed.
- Profile.search_text is filled in, and on PostgreSQL indexed for full-text search.
"""

import unicodedata

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here as it was when this migration was written; profiles.moderation.roles holds
# the living list (and restores the group after each migrate).
MODERATOR_PERMISSIONS = [
    ("profiles", "view_profile"),
    ("profiles", "moderate_profile"),
    ("profiles", "view_sociallink"),
    ("profiles", "view_customdomain"),
    ("profiles", "view_user"),
    ("profiles", "view_hiddenitem"),
    ("profiles", "view_report"),
    ("profiles", "change_report"),
    ("profiles", "view_moderationaction"),
    ("profiles", "view_slughistory"),
    ("publications", "view_publication"),
    ("news", "view_newsitem"),
]

_STAND_INS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def _folded(text):
    # A copy of profiles.search.folded as it was when this migration was written.
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_STAND_INS))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def forward(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now to use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    User = apps.get_model("profiles", "User")
    User.objects.update(email_confirmed=True)

    Profile = apps.get_model("profiles", "Profile")
    for profile in Profile.objects.all():
        names = (profile.first_name, profile.middle_name, profile.last_name)
        parts = (" ".join(p for p in names if p), profile.slug, profile.affiliation,
                 profile.research_interests)  # fmt: skip
        profile.search_text = _folded(" ".join(p for p in parts if p))
        profile.save(update_fields=["search_text"])

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX profile_search_gin ON profiles_profile "
            "USING gin (to_tsvector('simple', search_text))"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS profile_search_gin")
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0006_moderation_and_accounts"),
        ("publications", "0001_publications"),
        ("news", "0002_alfolio_import"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
