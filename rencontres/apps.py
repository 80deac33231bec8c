"""The project package as an app, for its management commands, template tags and checks."""

from django.apps import AppConfig


class RencontresConfig(AppConfig):
    name = "rencontres"
    verbose_name = "Rencontres"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
