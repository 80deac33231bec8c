"""While the database cannot be reached (a restart, a failover, a SQLite file locked or
gone), people get our 503 page in their language, never a 500 or a traceback; any other
database error stays a 500."""

import sqlite3

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError, ProgrammingError
from django.test import Client

from rencontres.database import is_unavailable
from rencontres.registration.tests.factories import open_edition

from .outage import database_down, driver_connection_error


def wrapped(cause, kind=OperationalError):
    """The error as Django raises it: its own class, the driver's error as the cause."""
    error = kind(str(cause))
    error.__cause__ = cause
    return error


def locked_sqlite_error(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return error
    finally:
        other.close()
        holder.close()
    raise AssertionError("the second writer was not refused")


def test_connection_errors_are_told_apart_from_other_database_errors(tmp_path):
    assert is_unavailable(wrapped(driver_connection_error()))
    assert is_unavailable(wrapped(psycopg.errors.AdminShutdown("terminating connection")))
    assert is_unavailable(wrapped(psycopg.errors.CannotConnectNow("starting up")))
    assert is_unavailable(wrapped(psycopg.OperationalError("the connection is lost")))
    assert is_unavailable(wrapped(locked_sqlite_error(tmp_path)))
    closed = psycopg.InterfaceError("connection already closed")
    assert is_unavailable(wrapped(closed, InterfaceError))
    # Errors of a query, not of the connection: a bug or a timeout, to be seen as a 500.
    assert not is_unavailable(wrapped(psycopg.errors.QueryCanceled("statement timeout")))
    assert not is_unavailable(wrapped(psycopg.errors.DeadlockDetected("deadlock")))
    assert not is_unavailable(wrapped(sqlite3.OperationalError("no such table: x")))
    assert not is_unavailable(wrapped(psycopg.errors.UndefinedTable("x"), ProgrammingError))
    assert not is_unavailable(DatabaseError("no cause"))
    assert not is_unavailable(ValueError("not a database error"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language", "title"),
    [("/fr/", "fr", "De retour dans un instant"), ("/en/", "en", "Back in a moment")],
)
def test_pages_answer_the_503_page_in_the_visitors_language(
    client, monkeypatch, path, language, title
):
    open_edition()
    with database_down(monkeypatch):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert title in html
    assert "site.css" in html  # the site's own design
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.django_db
def test_a_form_sent_while_the_database_is_down_is_not_lost(client, monkeypatch):
    open_edition()
    form = client.get("/en/register/")
    assert form.status_code == 200
    with database_down(monkeypatch):
        response = client.post(
            "/en/register/",
            {"first_name": "Awa", "email": "awa@example.org", "form_token": "x"},
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "has not been recorded yet" in html
    assert "back button" in html
    assert "data-history-back" in html
    assert "awa@example.org" not in html  # nothing of what was sent is echoed


@pytest.mark.django_db
def test_clients_that_ask_json_get_a_json_503(client, monkeypatch):
    open_edition()
    with database_down(monkeypatch):
        response = client.get("/en/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_a_middleware_that_reads_the_session_gets_the_503_page_too(monkeypatch):
    """An organiser's session is read by a middleware, before any view (so outside
    process_exception)."""
    open_edition()
    get_user_model().objects.create_superuser("alice", "alice@example.org", "a-long-password")
    client = Client(raise_request_exception=False)
    client.login(username="alice", password="a-long-password")
    with database_down(monkeypatch):
        response = client.get("/en/organiser/")
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(monkeypatch):
    """A wrong query is a bug: the 500 page (logged with its traceback), not "come back later"."""
    open_edition()

    def create_cursor(self, name=None):
        raise sqlite3.OperationalError("no such table: editions_edition")

    monkeypatch.setattr(type(connections["default"]), "create_cursor", create_cursor)
    response = Client(raise_request_exception=False).get("/en/")
    assert response.status_code == 500


@pytest.mark.django_db
def test_the_registration_form_is_kept_by_the_browser_for_its_back_button(client):
    """Kept (private, no-cache: never no-store) and without Vary: Cookie, which would make
    the browser fetch it again, because the form sets the CSRF cookie."""
    open_edition()
    for path in ("/en/register/", "/en/register/delegation/", "/en/register/link/"):
        response = client.get(path)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-cache"} <= cache_control
        assert "no-store" not in cache_control
        assert "cookie" not in response.get("Vary", "").lower()
    # What answers a POST (the form with what was typed) stays out of every cache.
    response = client.post("/en/register/", {"email": "awa@example.org"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_with_a_persons_data_stay_out_of_every_cache(client):
    from rencontres.registration.tests.factories import registered

    registration = registered(open_edition())
    from django.urls import reverse

    for name in ("private", "details"):
        path = reverse(f"registration:{name}", args=[registration.public_id, registration.secret])
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_session_that_cannot_be_saved_as_the_database_goes_gets_the_503_page(monkeypatch):
    """The view did its work (an organiser's password checked), then the database went before
    the session was saved: the 503 page (log in again), not Django's 400. (The registration
    form writes no session: its "sent" page reads a signed cookie.)"""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from .worker_tasks import connection_lost

    get_user_model().objects.create_user("maud", password="a-long-password")
    client = Client(raise_request_exception=False)

    def save(self, *args, **kwargs):
        raise connection_lost()

    monkeypatch.setattr(Session, "save", save)
    response = client.post(
        "/en/organiser/login/", {"username": "maud", "password": "a-long-password"}
    )
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


def test_production_checks_a_kept_connection_before_reusing_it():
    """With DATABASE_URL, connections are kept a minute and checked before reuse."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    environment = {**os.environ, "DATABASE_URL": "postgres://u@db.example.org:5432/rencontres"}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    printed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", "from django.conf import settings; "
         "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert printed.split() == ["60", "True"]


@pytest.mark.django_db(transaction=True)
def test_the_first_query_after_a_postgresql_restart_reconnects():
    """The server ended the kept connection (a restart): the next request's first query
    finds out before using it, and opens a new one, instead of failing."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    connection.close()  # a new connection, with the settings' health checks
    connection.ensure_connection()
    assert connection.health_check_enabled
    backend = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])
    connection.close_if_unusable_or_obsolete()  # what Django does as each request starts
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend


@pytest.mark.django_db
def test_holding_on_does_not_wait_within_a_transaction_the_outage_cut():
    """A transaction the outage cut cannot be resumed: the error goes to whoever started it."""
    from django.db import transaction

    from rencontres.database import holding_on

    from .worker_tasks import connection_lost

    def write():
        raise connection_lost()

    with pytest.raises(OperationalError), transaction.atomic():
        holding_on(write)


@pytest.mark.django_db
def test_a_kept_sqlite_connection_whose_file_was_moved_is_closed_before_the_next_request(
    tmp_path, monkeypatch
):
    from django.db import connection

    from rencontres.database import close_moved_sqlite_files, file_identity

    path = tmp_path / "rencontres.sqlite3"
    path.write_bytes(b"")
    connection.ensure_connection()
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    monkeypatch.setattr(connection, "rencontres_file", (str(path), file_identity(path)),
                        raising=False)  # fmt: skip
    close_moved_sqlite_files()
    assert closed == []  # still there: kept
    path.rename(tmp_path / "moved.sqlite3")
    close_moved_sqlite_files()
    assert closed == [True]  # gone from its path: opened again by the request
    path.write_bytes(b"")  # another file at the path (a restore): not the one it opened
    closed.clear()
    close_moved_sqlite_files()
    assert closed == [True]
