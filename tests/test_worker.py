"""The worker (`manage.py worker`) outlives database outages: a task the outage interrupts is
queued again and run once the database is back; a task that finished while its result could
not be written keeps its result and is not run again."""

import logging

import pytest
from django_tasks_db.models import DBTaskResult

from rencontres.database import Outage
from rencontres.worker import Worker

from . import worker_tasks
from .worker_tasks import connection_lost

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worker(settings):
    settings.TASKS = DATABASE_TASKS
    worker_tasks.calls.clear()
    worker = Worker(queue_names=["default"], excluded_queue_names=[], interval=0, batch=True,
                    backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id="test-worker")  # fmt: skip
    worker.outage = Outage(logging.getLogger("rencontres.worker"), sleep=lambda seconds: None)
    return worker


def claimed(task, *args):
    result = DBTaskResult.objects.get(pk=task.enqueue(*args).id)
    result.claim("test-worker")
    return result


@pytest.mark.django_db(transaction=True)  # the worker runs outside any transaction
def test_a_task_interrupted_by_the_outage_is_queued_again_and_run_once_more(worker, caplog):
    result = claimed(worker_tasks.interrupted_once, "badges")
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == "READY"  # not FAILED, not left RUNNING
    assert "Database unavailable (OperationalError): waiting" in caplog.text
    worker.run()  # batch: what is queued, then stop
    result.refresh_from_db()
    assert (result.status, result.return_value) == ("SUCCESSFUL", 2)
    assert worker_tasks.calls == ["badges", "badges"]


@pytest.mark.django_db(transaction=True)  # the worker runs outside any transaction
def test_a_finished_task_keeps_its_result_when_the_database_goes_away_at_that_moment(
    worker, monkeypatch
):
    result = claimed(worker_tasks.plain, "mail")
    save = DBTaskResult.save
    failures = iter([connection_lost()] * 4)  # more than the library's own three tries

    def save_after_an_outage(self, *args, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return save(self, *args, **kwargs)

    monkeypatch.setattr(DBTaskResult, "save", save_after_an_outage)
    worker.run_task(result)
    monkeypatch.undo()
    result.refresh_from_db()
    assert (result.status, result.return_value) == ("SUCCESSFUL", 1)
    assert worker_tasks.calls == ["mail"]  # run once
    worker.run()
    assert worker_tasks.calls == ["mail"]


@pytest.mark.django_db(transaction=True)  # the worker runs outside any transaction
def test_other_database_errors_fail_the_task_as_before(worker):
    result = claimed(worker_tasks.query_error)
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert "no such table" in result.traceback
