"""Fixed-window rate limits counted in the database, so that every app server shares them (the
API's too: rencontres/api/throttles.py).
A counter's key holds a hashed address or name; once its window is over it counts nothing and
goes at the daily purge (purge_expired, run with the privacy purge)."""

import datetime
import hashlib

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from .models import Throttle


def client_ip(request):
    """The client's address; behind a trusted proxy, the last address it added."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def throttle_key(action, subject):
    # Hashed: the table keeps no e-mail address or IP in clear.
    digest = hashlib.sha256(f"{action}:{subject.lower()}".encode()).hexdigest()
    return f"{action}:{digest}"


def exceeded(action, subject, now=None):
    """Whether `subject` has used up `action` in the current window, without counting a use."""
    limit, period = settings.RATE_LIMITS[action]
    now = now or timezone.now()
    hits = (
        Throttle.objects.filter(
            key=throttle_key(action, subject),
            window_start__gt=now - datetime.timedelta(seconds=period),
        )
        .values_list("hits", flat=True)
        .first()
    )
    return (hits or 0) >= limit


def allow(action, subject, now=None, uses=1):
    """Count `uses` uses (one by default: a form that registers five people counts five) of
    `action` by `subject` (an IP or an e-mail); False past the limit.

    Limits: settings.RATE_LIMITS[action] = (uses, seconds).
    """
    limit, period = settings.RATE_LIMITS[action]
    now = now or timezone.now()
    return count(throttle_key(action, subject), now, period, uses)[0] <= limit


def count(key, now, period, uses=1):
    """Add `uses` to the counter `key` and return (its hits, when its window started): a new
    window when there is none or the last is over. One statement (an upsert that returns the
    count, in SQLite and PostgreSQL alike), so that concurrent requests count exactly and none
    waits on another's transaction longer than that statement. Only names from the model go
    into the SQL; every value is a parameter."""
    operations = connection.ops
    table, name = operations.quote_name(Throttle._meta.db_table), operations.quote_name
    key_column, start, hits = name("key"), name("window_start"), name("hits")
    since = operations.adapt_datetimefield_value(now - datetime.timedelta(seconds=period))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {start}, {hits}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET "
            f"{hits} = CASE WHEN {table}.{start} > %s THEN {table}.{hits} + EXCLUDED.{hits} "
            f"ELSE EXCLUDED.{hits} END, "
            f"{start} = CASE WHEN {table}.{start} > %s THEN {table}.{start} "
            f"ELSE EXCLUDED.{start} END "
            f"RETURNING {hits}, {start}",
            [key, operations.adapt_datetimefield_value(now), uses, since, since],
        )
        hits_now, started = cursor.fetchone()
    started = Throttle._meta.get_field("window_start").to_python(started)
    if isinstance(started, datetime.datetime) and timezone.is_naive(started):
        started = timezone.make_aware(started, datetime.UTC)
    return hits_now, started


def purge_expired(now=None, dry_run=False):
    """Delete the counters whose window is over (each action's own period; counters of an
    action no longer configured, after the longest one). Returns how many (would) go."""
    now = now or timezone.now()
    periods = {action: period for action, (_uses, period) in settings.RATE_LIMITS.items()}
    over = Q(window_start__lte=now - datetime.timedelta(seconds=max(periods.values())))
    for action, period in periods.items():
        over |= Q(
            key__startswith=f"{action}:",
            window_start__lte=now - datetime.timedelta(seconds=period),
        )
    expired = Throttle.objects.filter(over)
    return expired.count() if dry_run else expired.delete()[0]


class TooManyRequests(Exception):
    """Raised by a view whose caller is over a limit: answered with a 429 page."""


class TooManyRequestsMiddleware:
    """Turns TooManyRequests into a 429 page, wherever a view raises it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TooManyRequests):
            return render(request, "429.html", status=429)
        return None
