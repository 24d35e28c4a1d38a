from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Researchers and sites"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Imported for what they connect: checks, signal receivers (login_audit
        # prunes log-in records, gate marks the sessions that owe a code).
        from profiles import checks, login_audit, signals  # noqa: F401
        from profiles.moderation.roles import ensure_moderators_group
        from profiles.two_factor import gate  # noqa: F401

        # Sent once per app after migrate (and after a test database's flush): the last
        # run, when every app's permissions exist, leaves the group whole.
        post_migrate.connect(ensure_moderators_group, dispatch_uid="moderators-group")
