"""Site-wide tables: rate-limit counters shared by every app server."""

from django.db import models


class Throttle(models.Model):
    """How many times a key (an action and an IP address or e-mail) was used in its window."""

    key = models.CharField(max_length=200, primary_key=True)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.hits}"


class WorkerHeartbeat(models.Model):
    """A background worker's sign of life, written every few seconds by rencontres/worker.py
    and read by /healthz. Nothing personal: an id made up at start and two times."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id}: {self.seen_at:%Y-%m-%d %H:%M:%S}"
