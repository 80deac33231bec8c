"""The rate-limit counters (rencontres/ratelimit.py): exact under concurrent requests, a new
window once the last is over, each action's own limit."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from rencontres import ratelimit
from rencontres.models import Throttle

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "try": (3, 60)}


def test_uses_count_up_to_the_limit_then_refuse(limits):
    now = timezone.now()
    assert [ratelimit.allow("try", "203.0.113.7", now) for _ in range(4)] == [
        True, True, True, False,
    ]  # fmt: skip
    assert ratelimit.exceeded("try", "203.0.113.7", now)
    assert not ratelimit.exceeded("try", "203.0.113.8", now)


def test_a_form_for_five_people_counts_five(limits):
    assert ratelimit.allow("try", "head@example.org", uses=3)
    assert not ratelimit.allow("try", "head@example.org")


def test_a_new_window_starts_once_the_last_is_over(limits):
    start = timezone.now()
    for _ in range(3):
        ratelimit.allow("try", "x", start)
    assert not ratelimit.allow("try", "x", start + datetime.timedelta(seconds=59))
    later = start + datetime.timedelta(seconds=61)
    assert ratelimit.allow("try", "x", later)
    counter = Throttle.objects.get(key=ratelimit.throttle_key("try", "x"))
    assert counter.hits == 1 and abs(counter.window_start - later) < datetime.timedelta(seconds=1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_concurrent_requests_are_all_counted(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "try": (1000, 60)}
    barrier = threading.Barrier(20)

    def use():
        from django.db import connection as own

        barrier.wait()
        for _ in range(10):
            ratelimit.allow("try", "203.0.113.9")
        own.close()

    threads = [threading.Thread(target=use) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Throttle.objects.get(key=ratelimit.throttle_key("try", "203.0.113.9")).hits == 200
