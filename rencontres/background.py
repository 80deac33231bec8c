"""Background work started by services. A task module imports its service (the task runs it)
and a service never imports its task module: it names the task by its dotted path and
`enqueue` imports it when the work is started, the one place where tasks are imported lazily."""

from django.core.management.base import BaseCommand, CommandError
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


# Daily work ---------------------------------------------------------------------------------
# django-tasks has no periodic schedule: a daily task queues its own next run before it works,
# and `ensure_daily` queues a first one when none is waiting (bin/serve runs the commands that
# call it each time the worker starts). Without the worker, cron runs the same commands.


def next_daily_run(hour, now=None):
    """The next `hour`:00, Paris time, after `now`."""
    import datetime

    from django.utils import timezone

    now = timezone.localtime(now or timezone.now())
    run = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return run if run > now else run + datetime.timedelta(days=1)


def waiting(work):
    """Whether a run of the task `work` is already queued (database backend only: others
    cannot be asked), for later counts too (the backend's ready() means "due now")."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover
        return False
    from django_tasks import TaskResultStatus

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=work.module_path
    ).exists()


def runs_by(path, before):
    """Whether a run of the task at `path` already waits to run by `before` (give or take the
    seconds a wake-up is rounded to), so that each retry does not add one more wake-up for
    the same moment. Only the database task backend can tell."""
    import datetime

    from django.db.models import Q

    work = task(path)
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult, get_date_max
    except ImportError:  # pragma: no cover - another backend
        return False
    if not isinstance(work.get_backend(), DatabaseBackend):
        return False
    return (
        DBTaskResult.objects.filter(status="READY", task_path=work.module_path)
        .filter(
            Q(run_after__lte=before + datetime.timedelta(seconds=5)) | Q(run_after=get_date_max())
        )
        .exists()
    )


def ensure_every(work, interval):
    """Queue the task `work` to run in `interval` (a timedelta) unless a run is waiting: the
    work done every few minutes queues its own next run. True when it queued one (never with
    a backend that cannot wait)."""
    from django.utils import timezone

    if waiting(work) or not work.get_backend().supports_defer:
        return False
    work.using(run_after=timezone.now() + interval).enqueue()
    return True


def ensure_daily(work, hour):
    """Queue the task `work` for the next `hour`:00 unless a run is waiting. True when it
    queued one (never with a backend that cannot wait)."""
    if waiting(work) or not work.get_backend().supports_defer:
        return False
    work.using(run_after=next_daily_run(hour)).enqueue()
    return True


class DailyCommand(BaseCommand):
    """A daily job's management command (for cron, by hand, and `--schedule` for bin/serve,
    which queues the worker's task): a subclass names the job (`what`, "daily purge queued"),
    says what `--dry-run` does, queues the task in `ensure_scheduled()` and does the work in
    `run(day, dry_run)`; `--today` acts as if it were that day."""

    what = ""
    dry_run_help = ""

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily task if none is waiting."
        )

    def handle(self, *args, dry_run=False, today=None, schedule=False, **options):
        import datetime

        from django.utils import timezone

        if schedule:
            queued = self.ensure_scheduled()
            self.stdout.write(f"daily {self.what} {'queued' if queued else 'already queued'}")
            return
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        self.run(day, dry_run)

    def ensure_scheduled(self):  # pragma: no cover
        raise NotImplementedError

    def run(self, day, dry_run):  # pragma: no cover
        raise NotImplementedError
