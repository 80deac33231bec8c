"""The background worker (`manage.py worker`): django-tasks-db's worker, made to outlive the
database's outages and to say it is alive.

- The database gone (a restart, a failover, a locked SQLite file): the worker waits, trying
  again with backoff, logs once when it goes and once when it is back, and resumes.
- A task that the outage interrupted goes back to the queue and runs again once the database
  is back; one that finished while its result could not be written keeps that result (written
  when the database is back), so it is not run twice. Tasks whose work must not be repeated
  hold on where they are instead (the outbox: rencontres/mail/services.py).
- Every HEARTBEAT_SECONDS a thread writes the worker's heartbeat row (WorkerHeartbeat), also
  during a long task; /healthz reports a worker that has gone silent.
"""

import contextlib
import logging
import os
import threading

from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from rencontres.database import Outage, holding_on, is_unavailable
from rencontres.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10


class Worker(db_worker.Worker):
    def __init__(self, **options):
        super().__init__(**options)
        self.outage = Outage(logger)
        self.heartbeat = Heartbeat(self.worker_id)

    def run(self):
        self.heartbeat.start()
        try:
            while self.running:
                try:
                    return super().run()
                except (OperationalError, InterfaceError) as error:
                    if not is_unavailable(error):
                        raise
                    self.outage.wait(error)
                    self.startup_delay = False  # the loop starts again at once
        finally:
            self.heartbeat.stop()

    def run_task(self, db_task_result):
        """The library's run_task, but an outage neither fails the task nor loses its result."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            arguments, keywords = task_result.args, task_result.kwargs
            try:
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *arguments, **keywords)
                else:
                    value = task.call(*arguments, **keywords)
            except (OperationalError, InterfaceError) as error:
                if not is_unavailable(error):
                    raise
                self.outage.wait(error)
                holding_on(requeue, db_task_result, outage=self.outage)
                logger.warning("Task %s interrupted by the outage: queued again", db_task_result.id)
                return
            holding_on(db_task_result.set_successful, value, outage=self.outage)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except Exception as error:
            holding_on(db_task_result.set_failed, error, outage=self.outage)
            try:
                sender = type(db_task_result.task.get_backend())
                finished = db_task_result.task_result
            except Exception:
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=finished)
        except BaseException as error:  # asked to stop now (a second Ctrl-C): no waiting
            with contextlib.suppress(OperationalError, InterfaceError):
                db_task_result.set_failed(error)
        finally:
            self.running_task = False
            self._run_tasks += 1


def requeue(db_task_result):
    """Put a task this worker had claimed back in the queue, to be run from the start."""
    DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


class Heartbeat:
    """A thread that writes this worker's heartbeat row every HEARTBEAT_SECONDS (with its own
    database connection); a write that fails is tried again at the next beat, silently: the
    worker's loop reports the outage."""

    def __init__(self, worker_id, seconds=HEARTBEAT_SECONDS):
        self.worker_id = worker_id
        self.seconds = seconds
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="heartbeat", daemon=True)

    def start(self):
        self.started_at = timezone.now()
        self.thread.start()

    def stop(self):
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=self.seconds)
        # A worker stopped is no longer one that works (best effort: the database may be away).
        with contextlib.suppress(OperationalError, InterfaceError):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def loop(self):
        while not self.stopped.is_set():
            self.beat()
            self.stopped.wait(self.seconds)
        connection.close()

    def beat(self):
        close_old_connections()
        now = timezone.now()
        try:
            if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=now):
                WorkerHeartbeat.objects.create(
                    worker_id=self.worker_id, started_at=self.started_at, seen_at=now
                )
                # Rows of workers gone for a day are of no use to anyone.
                gone = now - timezone.timedelta(days=1)
                WorkerHeartbeat.objects.filter(seen_at__lt=gone).delete()
        except (OperationalError, InterfaceError) as error:
            if not is_unavailable(error):
                logger.warning("Heartbeat not written: %s", type(error).__name__)
            connection.close()
        except Exception:
            logger.exception("Heartbeat not written")
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run the background worker (django-tasks-db's db_worker), which waits through "
        "database outages and writes a heartbeat for /healthz"
    )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, **options):
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            batch=batch,
            **{name: options[name] for name in WORKER_OPTIONS},
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()


WORKER_OPTIONS = ("interval", "backend_name", "startup_delay", "max_tasks", "worker_id")
