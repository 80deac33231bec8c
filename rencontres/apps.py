"""The project package as an app, for its management commands, template tags and checks."""

from django.apps import AppConfig


class RencontresConfig(AppConfig):
    name = "rencontres"
    verbose_name = "Rencontres"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from . import checks  # noqa: F401  (registers the system checks)
        from .headers import note_logout
        from .internals import name_and_hide_internals

        user_logged_out.connect(note_logout, dispatch_uid="rencontres.clear_site_data")
        # The admin's modules are imported by now (the admin app, first installed, found them).
        name_and_hide_internals()
