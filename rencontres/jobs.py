"""What every background job shares (a scheduler run, a badge batch, a mailing, and the
invoice runs and certificate batches to come): its status, how far it got, its error and its
times, written by the worker and read by the page that follows it (templates/_progress.html,
polled through `status_response`)."""

from django.db import models
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """A piece of work queued by a person and done by the worker, counted in units (badges
    drawn, messages queued, the share of the scheduler's time spent) so its page can show a
    bar. The worker's writes touch only the job's own columns: a page may change others (a
    run's publication, a batch's file erased) while the worker runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)  # 0 while the worker has not counted yet
    # What went wrong, in a word the organisers can pass on (the log has the rest).
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self):
        """Queued or running: its page follows it."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        """0 to 100; 100 only once it is done (a last step may follow the last unit)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, 100 * self.done // self.total)

    def start(self, total=0, done=0):
        self._write(status=self.Status.RUNNING, total=total, done=done, started_at=timezone.now())

    def advance(self, done):
        """`done` units of the total are done (a count, not a step: a lost write does not
        leave the bar behind for good)."""
        self._write(done=done)

    def succeed(self, **fields):
        """Done, with the job's own result fields (a file, a result) in the same write."""
        self._write(status=self.Status.DONE, done=self.total, finished_at=timezone.now(), **fields)

    def fail(self, error):
        """Failed, keeping the error's kind (an exception) or the text given."""
        if isinstance(error, BaseException):
            error = type(error).__name__
        self._write(status=self.Status.FAILED, error=error, finished_at=timezone.now())

    def _write(self, **fields):
        type(self)._default_manager.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)


def status_response(job):
    """What js/progress.js polls: the status, and the share done in percent."""
    return JsonResponse({"status": job.status, "progress": job.percent})
