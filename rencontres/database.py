"""The database as something that can be away: which errors mean it cannot be reached (a
restart, a failover, a locked or missing SQLite file), the page people get meanwhile, and a
wait that holds on until it answers again. Any other database error is a bug: a 500, logged."""

import contextlib
import logging
import time

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

from rencontres.context_processors import site_without_database

logger = logging.getLogger(__name__)

# How long a person (or a client) is asked to wait before trying again, in seconds.
RETRY_AFTER = 30

# PostgreSQL's SQLSTATE codes that mean "no server to talk to": class 08 (connection
# exception), and the server shutting down, crashed or starting up (57P01-57P03).
POSTGRES_UNAVAILABLE = ("08", "57P01", "57P02", "57P03")
# SQLite's primary result codes that mean "the file cannot be used now": busy or locked by
# another process, cannot be opened (missing file or folder), I/O error.
SQLITE_UNAVAILABLE = {5, 6, 10, 14}  # SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN


def is_unavailable(error):
    """Whether `error` (an exception) says the database cannot be reached, rather than that a
    query is wrong: the connection-level errors only."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if isinstance(error, InterfaceError):
        return True  # the connection is closed (it broke under this process)
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", False)
    if sqlstate is not False:  # psycopg: no SQLSTATE means no answer from a server at all
        return sqlstate is None or sqlstate.startswith(POSTGRES_UNAVAILABLE)
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_UNAVAILABLE
    return False


def unavailable_response(request):
    """Our 503 page, rendered without touching the database; JSON for clients that ask JSON."""
    if wants_json(request):
        from django.http import JsonResponse

        response = JsonResponse(
            {"error": "unavailable", "detail": _("Back in a moment."), "retry_after": RETRY_AFTER},
            status=503,
        )
    else:
        context = {
            **site_without_database(request),
            "form_sent": request.method == "POST",
            # The same page, to try again (a path on this site: never "//elsewhere").
            "request_path": "/" + request.get_full_path().lstrip("/"),
        }
        # No request: context processors (which read the current edition) do not run.
        response = render(None, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    # Logged once by log_unavailable, as one line: Django would add its own "Service
    # Unavailable" error for each request of the outage.
    response._has_been_logged = True
    return response


def kept_for_the_back_button(view):
    """For a page with a form that anyone fills in (the registration form): the browser may
    keep it for its history, never a shared cache (`private, no-cache`, where never_cache
    says no-store). Sent while the database is away, the form comes back as typed with the
    back button, from the browser's cache; with no-store the browser would ask the server for
    the page again, and get the 503 page. DatabaseUnavailableMiddleware also drops its
    `Vary: Cookie` (for shared caches, which may not keep it anyway): the page sets the CSRF
    cookie, so the cookie of the back button's request differs from the first one's, and the
    browser would not use its copy. Only the blank form (GET): what answers a POST (the form
    again with its errors and what was typed, a page naming the person) stays no-store, as do
    pages that show a person's data."""
    import functools

    from django.utils.cache import add_never_cache_headers, patch_cache_control

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            patch_cache_control(response, private=True, no_cache=True, max_age=0)
            response.kept_for_the_back_button = True
        else:
            add_never_cache_headers(response)
        return response

    return wrapper


def without_vary_cookie(response):
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control and "no-store" not in cache_control:
        kept = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        kept = [value for value in kept if value.lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        elif "Vary" in response:
            del response["Vary"]
    return response


def wants_json(request):
    accept = request.headers.get("Accept", "")
    return ("application/json" in accept and "text/html" not in accept) or (
        request.content_type == "application/json"
    )


class DatabaseUnavailableMiddleware:
    """A view (or its template) that cannot reach the database answers our 503 page, never a
    500: the person is told to try again in a moment, and a form they sent is not lost (the
    page says so, and the browser's back button brings it back as typed: see
    kept_for_the_back_button, whose Vary this middleware adjusts, so it sits above the
    session and CSRF middleware, which add it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "kept_for_the_back_button", False):
            without_vary_cookie(response)
        return response

    def process_exception(self, request, exception):
        if not is_unavailable(exception):
            return None
        log_unavailable(request, exception)
        return unavailable_response(request)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, but a session that cannot be saved because the database went away during
    the request answers the 503 page (the person sends again), not Django's 400 "session
    deleted": the request's work may not be recorded either."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted as interrupted:
            error = interrupted.__context__  # UpdateError, raised while handling...
            error = getattr(error, "__context__", None)  # ...the database's error
            if not is_unavailable(error):
                raise
            log_unavailable(request, error)
            return unavailable_response(request)


def log_unavailable(request, exception):
    # One line, no traceback: during an outage every request lands here.
    logger.warning(
        "Database unavailable (%s) for %s %s: answered 503",
        type(exception.__cause__ or exception).__name__,
        request.method,
        request.path,
    )


def server_error(request):
    """handler500: a database error raised outside a view (a middleware reading the session,
    or saving it) gets the 503 page too; anything else, the 500 page."""
    import sys

    from django.views.defaults import server_error as default_server_error

    error = sys.exc_info()[1]
    if is_unavailable(error):
        log_unavailable(request, error)
        return unavailable_response(request)
    return default_server_error(request)


class Outage:
    """Waits for the database to answer again, with backoff, logging once when it goes away
    and once when it comes back (not once per try): for processes that outlive an outage."""

    def __init__(self, log=logger, first_wait=0.5, longest_wait=5.0, sleep=time.sleep):
        self.log = log
        self.first_wait = first_wait
        self.longest_wait = longest_wait
        self.sleep = sleep
        self.started = None

    def wait(self, error, using="default", give_up_after=None):
        """Block until the database answers; `error` is what showed it was gone. Past
        `give_up_after` seconds, raise `error` instead; at once within a transaction, which
        the outage has cut and nothing can resume (its caller must start it again)."""
        if connections[using].in_atomic_block:
            raise error
        self.started = time.monotonic()
        self.log.warning(
            "Database unavailable (%s): waiting for it to come back",
            type(error.__cause__ or error).__name__,
        )
        delay = self.first_wait
        while True:
            self.sleep(delay)
            if answers(using):
                break
            if give_up_after is not None and time.monotonic() - self.started > give_up_after:
                self.log.warning("Database still away after %.0f s: giving up", give_up_after)
                raise error
            delay = min(delay * 2, self.longest_wait)
        self.log.warning("Database back after %.0f s: resuming", time.monotonic() - self.started)
        self.started = None


def answers(using="default"):
    """Whether the database answers a trivial query now (on a fresh connection)."""
    connection = connections[using]
    with contextlib.suppress(Exception):  # the old connection may be broken beyond closing
        connection.close()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except (OperationalError, InterfaceError) as error:
        if is_unavailable(error):
            return False
        raise
    return True


def holding_on(function, *args, outage=None, give_up_after=None, **kwargs):
    """function(*args, **kwargs), called again once the database is back if it could not be
    reached (for up to `give_up_after` seconds): for a write that must happen, such as
    recording what was done, never for one that would repeat work."""
    outage = outage or Outage()
    while True:
        try:
            return function(*args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            if not is_unavailable(error):
                raise
            outage.wait(error, give_up_after=give_up_after)


# --- SQLite connections kept between requests ---------------------------------------------
# Opening SQLite (the file, then its PRAGMAs) costs more than a registration form's queries, so
# the app server keeps its connection (settings: SQLITE_CONN_MAX_AGE, set by wsgi.py). A kept
# connection goes on writing to its file wherever it is moved, even deleted: before each
# request, one whose file is no longer at its path is closed, so that the request opens the
# path again and gets the 503 page when nothing is there (as a new connection always did).


def file_identity(path):
    import os

    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def remember_sqlite_file(sender, connection, **kwargs):
    """connection_created: which file a new SQLite connection opened."""
    if connection.vendor == "sqlite":
        from .checks import sqlite_file

        path = sqlite_file(connection.settings_dict["NAME"])
        connection.rencontres_file = (path, file_identity(path) if path else None)


def close_moved_sqlite_files(**kwargs):
    """request_started: close the kept SQLite connections whose file is gone from its path."""
    for connection in connections.all(initialized_only=True):
        path, identity = getattr(connection, "rencontres_file", (None, None))
        if connection.connection is not None and path and file_identity(path) != identity:
            connection.close()
