"""The project package as an app, for its management commands, template tags and checks."""

from django.apps import AppConfig


class RencontresConfig(AppConfig):
    name = "rencontres"
    verbose_name = "Rencontres"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out
        from django.core.signals import request_started
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers the system checks)
        from .database import close_moved_sqlite_files, remember_sqlite_file
        from .headers import note_logout
        from .internals import name_and_hide_internals

        user_logged_out.connect(note_logout, dispatch_uid="rencontres.clear_site_data")
        connection_created.connect(remember_sqlite_file, dispatch_uid="rencontres.sqlite_file")
        request_started.connect(close_moved_sqlite_files, dispatch_uid="rencontres.sqlite_moved")
        # The admin's modules are imported by now (the admin app, first installed, found them).
        name_and_hide_internals()
