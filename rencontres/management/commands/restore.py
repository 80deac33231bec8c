"""Restore a dump made by `manage.py backup` into an empty database (or over one, with --force)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from rencontres import backup


class Command(BaseCommand):
    help = "Restore FILE, made by `manage.py backup`, into the database (empty, unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--force", action="store_true", help="replace everything the database holds"
        )

    def handle(self, *args, **options):
        try:
            backup.restore(connections[options["database"]], options["file"], options["force"])
        except (OSError, backup.BackupError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database from {options['file']}.")
