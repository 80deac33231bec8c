"""Background work started by services. A task module imports its service (the task runs it)
and a service never imports its task module: it names the task by its dotted path and
`enqueue` imports it when the work is started, the one place where tasks are imported lazily."""

from django.db import transaction
from django.utils.module_loading import import_string


def task(path):
    """The task at `path`, e.g. "rencontres.mail.tasks.send_outbox"."""
    return import_string(path)


def enqueue(path, *args, after=None):
    """Start the task with `args`, at once or once `after` (an aware datetime) has passed.
    Returns its result, or None when the backend cannot wait (the immediate backend): then
    whatever runs the same work later (a command from cron, the next call) does it."""
    work = task(path)
    if after is not None:
        if not work.get_backend().supports_defer:
            return None
        work = work.using(run_after=after)
    return work.enqueue(*args)


def enqueue_on_commit(path, *args):
    """Start the task once the transaction that created its object is committed (the worker
    must find the object)."""
    transaction.on_commit(lambda: enqueue(path, *args))
