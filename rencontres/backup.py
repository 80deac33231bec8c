"""Dump the whole database to one file and restore it: SQLite through its online backup API (a
consistent copy, taken while the site runs), PostgreSQL through pg_dump and pg_restore (custom
format). A dump restores into the same kind of database only."""

import contextlib
import os
import sqlite3
import subprocess

from django.db.backends.postgresql.client import DatabaseClient

SQLITE_HEADER = b"SQLite format 3\x00"
POSTGRES_HEADER = b"PGDMP"
# Tables that `migrate` fills by itself: a database with rows only there holds no data yet.
MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    pass


def backup(connection, path):
    """Write the whole database of `connection` to `path`."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            with contextlib.closing(sqlite3.connect(path)) as target:
                # One step (pages=-1): the copy is the database as it was at one instant,
                # however many requests write meanwhile (WAL: they are not blocked).
                connection.connection.backup(target)
        except sqlite3.Error as error:
            raise BackupError(f"SQLite could not back up to {path}: {error}") from error
    elif connection.vendor == "postgresql":
        run_postgres(connection, "pg_dump", ["--format=custom", "--file", str(path)])
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def restore(connection, path, force=False):
    """Replace the database of `connection` by the dump at `path`; refuse a database that
    holds data unless `force`."""
    kind = dump_kind(path)
    if kind != connection.vendor:
        raise BackupError(
            f"{path} is not a dump of a {connection.vendor} database"
            + (f" (it is a {kind} one)." if kind else ".")
        )
    if not force and holds_data(connection):
        raise BackupError(
            "The database is not empty. Restore into an empty database, or add --force to "
            "replace everything it holds by the dump."
        )
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        except sqlite3.Error as error:  # e.g. locked by the running site
            raise BackupError(f"SQLite could not restore: {error}") from error
        finally:
            source.close()
    else:
        # One transaction: a restore that fails leaves the database as it was. --clean drops
        # what `migrate` may have created first; objects belong to whoever restores.
        run_postgres(connection, "pg_restore", ["--clean", "--if-exists", "--no-owner",
                     "--no-privileges", "--single-transaction", "--dbname"], str(path))  # fmt: skip


def dump_kind(path):
    with open(path, "rb") as dump:
        header = dump.read(len(SQLITE_HEADER))
    if header.startswith(SQLITE_HEADER):
        return "sqlite"
    if header.startswith(POSTGRES_HEADER):
        return "postgresql"
    return None


def holds_data(connection):
    tables = set(connection.introspection.table_names()) - MIGRATE_TABLES
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return True
    return False


def run_postgres(connection, program, options, *arguments):
    """Run a PostgreSQL client program on the database of `connection` (the same host, port,
    user, password and SSL settings as Django's own connection)."""
    command, environment = DatabaseClient.settings_to_cmd_args_env(
        connection.settings_dict, options
    )
    command = [program, *command[1:], *arguments]
    result = subprocess.run(  # noqa: S603 (the program is ours, its options the settings)
        command,
        env={**os.environ, **(environment or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")
