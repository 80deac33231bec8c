"""`manage.py worker`: the background worker (see rencontres/worker.py)."""

from rencontres.worker import Command  # noqa: F401
