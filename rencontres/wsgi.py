"""WSGI entry point, served by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencontres.settings")
# An app server keeps its SQLite connection between requests (see rencontres/database.py);
# commands and the worker open theirs as they need. Read once, by the settings, here: a
# process started from this one (or from a test run that imported this module) does not
# inherit it.
ours = "SQLITE_CONN_MAX_AGE" not in os.environ
os.environ.setdefault("SQLITE_CONN_MAX_AGE", "60")
application = get_wsgi_application()
if ours:
    del os.environ["SQLITE_CONN_MAX_AGE"]
