"""Site-wide tables: rate-limit counters shared by every app server."""

from django.db import models


class Throttle(models.Model):
    """How many times a key (an action and an IP address or e-mail) was used in its window."""

    key = models.CharField(max_length=200, primary_key=True)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.hits}"
