"""A database that cannot be reached, for tests: every query fails with the driver's own
connection error (a real one, made by trying to reach nothing), as during a restart."""

import contextlib
import sqlite3

from django.db import connection, connections


def driver_connection_error():
    """The error the database's driver raises when there is no server (or file) to reach."""
    if connection.vendor == "postgresql":
        import psycopg

        try:
            psycopg.connect("host=127.0.0.1 port=1 user=nobody connect_timeout=1")
        except psycopg.OperationalError as error:
            return error
    try:
        sqlite3.connect("file:/nonexistent-folder/rencontres.sqlite3?mode=rw", uri=True)
    except sqlite3.OperationalError as error:
        return error
    raise AssertionError("reached a database that should not exist")


@contextlib.contextmanager
def database_down(monkeypatch):
    """Within the block, every new cursor fails as it would with the database gone (Django
    wraps the driver's error in its own OperationalError, as it does in production)."""
    error = driver_connection_error()

    def create_cursor(self, name=None):
        raise error

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "create_cursor", create_cursor)
        yield
