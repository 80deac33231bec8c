"""Tasks for the worker's tests: one that the database's outage interrupts the first time."""

from django_tasks import task

from .outage import driver_connection_error

calls = []


def connection_lost():
    from django.db.utils import OperationalError

    error = OperationalError("terminating connection due to administrator command")
    error.__cause__ = driver_connection_error()
    return error


@task()
def interrupted_once(name):
    calls.append(name)
    if len(calls) == 1:
        raise connection_lost()
    return len(calls)


@task()
def plain(name):
    calls.append(name)
    return len(calls)


@task()
def query_error():
    from django.db.utils import OperationalError

    raise OperationalError("no such table: x")
