"""The Moderators group: what a moderator may do, in one list.

Migration 0007 creates the group on every fresh database. This module keeps
it whole afterwards: after each `migrate` (and each flush of a test
database, which also announces post_migrate) the group is made again if it
is missing, with exactly these permissions.
"""

from __future__ import annotations

MODERATORS = "Moderators"

# View sites and their content; moderate them (publish, suspend, hide); resolve
# reports; read the audit trail. Nothing on accounts beyond viewing them.
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


def ensure_moderators_group(**kwargs) -> None:
    """post_migrate receiver: the group exists, with its permissions (never more)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=MODERATORS)
    wanted = [
        Permission.objects.filter(content_type__app_label=app, codename=codename).first()
        for app, codename in MODERATOR_PERMISSIONS
    ]
    group.permissions.set([permission for permission in wanted if permission is not None])
