"""Dump the whole database to one file (see rencontres/backup.py), while the site runs."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from rencontres import backup


class Command(BaseCommand):
    help = "Dump the whole database to FILE (SQLite: a database file; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        try:
            backup.backup(connections[options["database"]], options["file"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Dumped the database to {options['file']}.")
