"""Several workers emptying the outbox at once, on PostgreSQL: none claims a message another
one holds, whether the message is new or was left by a worker that died."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone

from rencontres.mail import services
from rencontres.mail.models import OutgoingEmail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]
WORKERS = 8


def test_workers_claiming_at_once_never_share_a_message():
    for number in range(200):
        services.queue_email(f"p{number}@example.org", "private_link",
                             {"first_name": "P", "edition_title": "X", "private_link": "http://x/"},
                             "en")  # fmt: skip
    OutgoingEmail.objects.update(status="pending", sent_at=None)  # tests send at once
    # Half of them were claimed by a worker that died long ago.
    left_behind = OutgoingEmail.objects.order_by("pk")[:100].values_list("pk", flat=True)
    OutgoingEmail.objects.filter(pk__in=list(left_behind)).update(
        status="sending", claimed_at=timezone.now() - services.CLAIM_TIMEOUT * 2
    )
    barrier = threading.Barrier(WORKERS)

    def worker(_number):
        claimed = []
        try:
            barrier.wait(timeout=30)
            while batch := services.claim_due(7):
                claimed.extend(email.pk for email in batch)
        finally:
            connections.close_all()
        return claimed

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        claims = [pk for claimed in pool.map(worker, range(WORKERS)) for pk in claimed]
    assert len(claims) == len(set(claims)) == 200
