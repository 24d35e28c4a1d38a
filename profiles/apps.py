from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Researchers and sites"

    def ready(self) -> None:
        from profiles import checks, signals  # noqa: F401  (registers checks, connects receivers)
