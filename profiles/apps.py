from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Researchers and sites"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from profiles import checks, signals  # noqa: F401  (registers checks, connects receivers)
        from profiles.moderation.roles import ensure_moderators_group

        # Sent once per app after migrate (and after a test database's flush): the last
        # run, when every app's permissions exist, leaves the group whole.
        post_migrate.connect(ensure_moderators_group, dispatch_uid="moderators-group")
