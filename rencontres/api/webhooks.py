"""Webhooks: the edition's events, sent to the addresses organisers subscribed, signed per the
Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256
with the subscription's secret, and its previous one during a rotation's overlap).

Deliveries go through a durable queue, as e-mails go through the outbox: a delivery row is
written in the transaction of the change (signals on the history line, the check-in and the
meeting), the worker sends it after commit, retries it with backoff for up to three days and
logs each attempt; a subscription whose deliveries all fail for a week is disabled and its
owner told by e-mail. At least once, with a stable id: a receiver tells a duplicate by its
`webhook-id`. The payload carries the object as the API returns it."""

import collections
import datetime
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from rencontres import background, roles
from rencontres.mail.services import queue_email
from rencontres.privacy.visibility import hidden_fields

from .models import EVENTS, WebhookAttempt, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status
EVENT_TYPES = [event for event, _label in EVENTS]
DELIVER = "rencontres.api.tasks.deliver_webhooks"
# Waits between attempts (seconds): at once, then 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h;
# a delivery still failing three days after its event is given up.
BACKOFF = [5, 300, 1800, 7200, 18000, 36000]
GIVE_UP_AFTER = datetime.timedelta(days=3)
DISABLE_AFTER = datetime.timedelta(days=7)
CLAIM_TIMEOUT = datetime.timedelta(minutes=2)
TIMEOUT_SECONDS = 10  # for each network read
CALL_SECONDS = 15  # for a whole call, however its receiver trickles it
PARALLEL = 16  # calls at once
PER_ADDRESS = 4  # calls at once to one subscription: a slow receiver holds no more threads
RUN_SECONDS = 20  # a run claims new deliveries this long, so the worker's other tasks go on
OVERLAP = datetime.timedelta(hours=24)  # a rotated secret keeps signing this long


# Which addresses ------------------------------------------------------------------------------


def address_problem(url):
    """Why the worker would not call `url`, or "": HTTPS only, and never an address of the
    server's own network (a subscription is no way into it), unless WEBHOOKS_ALLOW_LOCAL
    (the tests and the bench, on 127.0.0.1, where plain HTTP is allowed too)."""
    from django.utils.translation import gettext as _

    parts = urlsplit(url)
    local_allowed = settings.WEBHOOKS_ALLOW_LOCAL
    if parts.scheme != "https" and not (local_allowed and parts.scheme == "http"):
        return _("Give an HTTPS address.")
    if not parts.hostname:
        return _("Give an HTTPS address.")
    if local_allowed:
        return ""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError, ValueError):
        return _("This address's server cannot be found.")
    for address in found:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            return _("This address points inside a private network: it cannot be called.")
    return ""


# Emitting -------------------------------------------------------------------------------------


def new_message_id():
    return f"msg_{uuid.uuid4().hex}"


# What the owner's role must let them see, for each kind of event.
NEEDS = {
    "registration": roles.REGISTRATIONS, "waitlist": roles.REGISTRATIONS,
    "checkin": roles.CHECK_IN, "meeting": roles.MEETINGS, "invoice": roles.INVOICES,
}  # fmt: skip


def subscribers(edition_id, event):
    """The active subscriptions to `event` whose owner may still have webhooks and see what it
    says (a role taken away stops what its subscriptions receive)."""
    found = []
    for subscription in WebhookSubscription.objects.filter(
        edition=edition_id, disabled_at=None, user__is_active=True
    ).select_related("user", "edition"):
        if event not in subscription.events:
            continue
        held = roles.capabilities(subscription.user, subscription.edition)
        if roles.WEBHOOKS in held and NEEDS[event.split(".")[0]] in held:
            found.append(subscription)
    return found


def emit(edition_id, event, data_for, key=""):
    """Queue `event` for every active subscription of the edition that listens to it;
    `data_for(subscription)` gives the object as the API shows it to the subscription's owner.
    Written in the current transaction; sent once it commits. `key`: the event once per
    subscription (an invoice reported by each of its registrations' histories)."""
    found = subscribers(edition_id, event)
    if not found:
        return 0
    now = timezone.now()
    queued = 0
    for subscription in found:
        delivery = WebhookDelivery(
            subscription=subscription, message_id=new_message_id(), event=event, key=key,
            payload={"type": event, "timestamp": now.isoformat(), "data": data_for(subscription)},
            created_at=now, next_attempt_at=now,
        )  # fmt: skip
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:  # the same keyed event, queued already
            continue
        queued += 1
    if queued:
        transaction.on_commit(schedule_delivery)
    return queued


def schedule_delivery(delay=None):
    after = timezone.now() + datetime.timedelta(seconds=delay) if delay else None
    if background.runs_by(DELIVER, after or timezone.now()):
        return  # a run already waits: it sends this one too
    try:
        background.enqueue(DELIVER, after=after)
    except Exception:  # the rows wait; the worker's next run or `manage.py` sends them
        logger.exception("Could not schedule the webhooks' delivery")


def registration_data(registration):
    from .serializers import RegistrationSerializer

    def data_for(subscription):
        fresh = (
            type(registration)
            .objects.select_related("organisation", "category")
            .get(pk=registration.pk)
        )
        hidden = hidden_fields(subscription.user, subscription.edition)
        return RegistrationSerializer(fresh, hidden=hidden).data

    return data_for


REGISTRATION_EVENTS = {
    "submitted": "registration.created",
    "registered_at_the_door": "registration.created",
    "added_by_organiser": "registration.created",
    "details_changed": "registration.changed",
    "sessions_changed": "registration.changed",
    "extras_booked": "registration.changed",
    "payer_changed": "registration.changed",
    "moved_from_waiting_list": "waitlist.promoted",
    "session_promoted": "waitlist.promoted",
}


def on_history_line(event):
    """A line of a registration's history: the webhook event it means, if any."""
    registration = event.registration
    action = event.action
    if action == "status":
        status = event.details.get("status")
        kind = {"confirmed": "registration.confirmed", "cancelled": "registration.cancelled"}.get(
            status, "registration.changed"
        )
        emit(registration.edition_id, kind, registration_data(registration))
    elif action in REGISTRATION_EVENTS:
        emit(registration.edition_id, REGISTRATION_EVENTS[action], registration_data(registration))
    elif action in ("invoiced", "payment_recorded"):
        on_invoice(registration, event.details.get("invoice"), paid=action == "payment_recorded")


def invoice_payload(invoice):
    from .serializers import InvoiceSerializer

    return InvoiceSerializer(invoice).data


def on_invoice(registration, number, paid):
    from rencontres.invoicing.models import Invoice

    invoice = (
        Invoice.objects.filter(registrations=registration, number=number)
        .prefetch_related("payments", "credit_notes", "registrations")
        .first()
    )
    if invoice is None:
        return
    if paid:
        if invoice.state() != Invoice.State.PAID:
            return
        emit(registration.edition_id, "invoice.paid", lambda _s: invoice_payload(invoice),
             key=f"invoice.paid:{number}")  # fmt: skip
    else:
        emit(registration.edition_id, "invoice.issued", lambda _s: invoice_payload(invoice),
             key=f"invoice.issued:{number}")  # fmt: skip


def on_check_in(check_in):
    from .serializers import CheckInSerializer

    emit(
        check_in.registration.edition_id,
        "checkin.created",
        lambda _subscription: CheckInSerializer(check_in).data,
    )


def on_meeting(meeting):
    from .serializers import MeetingSerializer

    emit(
        meeting.edition_id,
        "meeting.accepted",
        lambda _subscription: MeetingSerializer(meeting).data,
        key=f"meeting.accepted:{meeting.pk}",
    )


# Signing and sending --------------------------------------------------------------------------


def body_of(delivery):
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(delivery, secrets, body, now=None):
    """The Standard Webhooks headers: one `v1,` signature per secret (space-separated)."""
    moment = (now or timezone.now()).astimezone(datetime.UTC)
    signatures = " ".join(
        Webhook(secret).sign(delivery.message_id, moment, body) for secret in secrets
    )
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": "Rencontres-Webhooks/1",
    }


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer like any other: not followed


OPENER = urllib.request.build_opener(NoRedirects)


def post(url, body, headers):
    """(status code or None, error text, milliseconds): one POST, never raising."""
    started = time.monotonic()
    # The address is a subscription's, checked (address_problem) to be HTTPS (HTTP on
    # 127.0.0.1 for the tests and the bench only).
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")  # noqa: S310
    try:
        with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(1024)
            code, error = response.status, ""
    except urllib.error.HTTPError as answer:
        code, error = answer.code, ""
    except Exception as failure:  # refused, timed out, TLS: retried later
        code, error = None, f"{type(failure).__name__}: {failure}"[:300]
    return code, error, int((time.monotonic() - started) * 1000)


def claim_due(limit, busy=()):
    """Mark up to `limit` due deliveries as being sent by this worker, and return them; none
    of the subscriptions in `busy` (those with PER_ADDRESS calls in flight already). Due:
    waiting and their time has come, or claimed by a worker whose claim ran out (it died)."""
    now = timezone.now()
    with transaction.atomic():
        due = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                Q(status=Status.PENDING, next_attempt_at__lte=now)
                | Q(status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
            )
            .filter(subscription__disabled_at=None)  # a disabled one's wait for it
            .exclude(subscription__in=list(busy))
            .order_by("next_attempt_at", "pk")[:limit]
        )
        ids = list(due.values_list("pk", flat=True))
        WebhookDelivery.objects.filter(pk__in=ids).update(status=Status.SENDING, claimed_at=now)
    return list(
        WebhookDelivery.objects.filter(pk__in=ids).select_related("subscription__user")
        .order_by("pk")
    )  # fmt: skip


def deliver_due(budget=RUN_SECONDS):
    """Send what is due for about `budget` seconds, PARALLEL calls at once and at most
    PER_ADDRESS to one address: a new call starts as soon as one ends, so a receiver that
    answers in ten seconds holds a few threads, never the others' deliveries. Returns
    (delivered, failed)."""
    delivered = failed = 0
    deadline = time.monotonic() + budget
    in_flight, per_address = {}, collections.Counter()
    held = collections.defaultdict(collections.deque)  # claimed beyond an address's share
    pool = ThreadPoolExecutor(max_workers=PARALLEL)

    def start(delivery):
        subscription = delivery.subscription
        body = body_of(delivery)
        headers = signed_headers(delivery, subscription.signing_secrets(), body)
        in_flight[pool.submit(post, subscription.url, body, headers)] = (
            delivery,
            time.monotonic() + CALL_SECONDS,
        )
        per_address[subscription.pk] += 1

    try:
        while True:
            for address, waiting in held.items():  # what this run holds goes first
                while waiting and per_address[address] < PER_ADDRESS:
                    start(waiting.popleft())
            free = PARALLEL - len(in_flight)
            if free and time.monotonic() < deadline:
                busy = {pk for pk, count in per_address.items() if count >= PER_ADDRESS}
                busy |= {address for address, waiting in held.items() if waiting}
                for delivery in claim_due(free, busy):
                    if per_address[delivery.subscription_id] >= PER_ADDRESS:
                        held[delivery.subscription_id].append(delivery)
                    else:
                        start(delivery)
            if not in_flight:
                break
            done, _waiting = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
            now = time.monotonic()
            # A call past its whole deadline (a receiver trickling its answer) counts as
            # failed: its thread is left to end by itself, its delivery tried again later.
            late = {future for future, (_d, until) in in_flight.items() if now > until} - done
            for future in done | late:
                delivery, _until = in_flight.pop(future)
                per_address[delivery.subscription_id] -= 1
                if future in late:
                    answer = (None, "TimeoutError: no whole answer in time", CALL_SECONDS * 1000)
                else:
                    answer = future.result()
                if record(delivery, *answer):
                    delivered += 1
                else:
                    failed += 1
    finally:
        for waiting in held.values():
            for delivery in waiting:
                release(delivery)
        pool.shutdown(wait=False, cancel_futures=True)
    schedule_next()
    return delivered, failed


def release(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        status=Status.PENDING, claimed_at=None
    )


def record(delivery, code, error, duration, now=None):
    """Log the attempt and decide what comes next; True when it was delivered."""
    now = now or timezone.now()
    WebhookAttempt.objects.create(delivery=delivery, at=now, status_code=code, error=error,
                                  duration_ms=duration)  # fmt: skip
    attempts = delivery.attempts + 1
    subscription = delivery.subscription
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.DELIVERED, attempts=attempts, delivered_at=now, claimed_at=None
        )
        recovered = (
            WebhookSubscription.objects.filter(pk=subscription.pk)
            .exclude(failing_since=None)
            .update(failing_since=None)
        )
        if recovered:  # the address is back: what waits for it goes now, not at its retry
            WebhookDelivery.objects.filter(
                subscription=subscription, status=Status.PENDING, next_attempt_at__gt=now
            ).update(next_attempt_at=now)
        return True
    wait = datetime.timedelta(seconds=BACKOFF[min(attempts - 1, len(BACKOFF) - 1)])
    given_up = now + wait > delivery.created_at + GIVE_UP_AFTER
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED if given_up else Status.PENDING, attempts=attempts,
        next_attempt_at=now + wait, claimed_at=None,
    )  # fmt: skip
    WebhookSubscription.objects.filter(pk=subscription.pk, failing_since=None).update(
        failing_since=now
    )
    subscription.refresh_from_db(fields=["failing_since", "disabled_at"])
    if subscription.disabled_at is None and now - subscription.failing_since >= DISABLE_AFTER:
        disable(subscription, now)
    return False


def disable(subscription, now=None):
    """Stop a subscription that has failed for a week, and tell its owner."""
    now = now or timezone.now()
    with transaction.atomic():
        stopped = WebhookSubscription.objects.filter(pk=subscription.pk, disabled_at=None).update(
            disabled_at=now, disabled_reason="failing"
        )
        if not stopped or not subscription.user.email:
            return bool(stopped)
        language = settings.LANGUAGE_CODE[:2]
        queue_email(
            subscription.user.email,
            "webhook_disabled",
            {
                "url": subscription.url,
                "since": timezone.localtime(subscription.failing_since).strftime("%Y-%m-%d %H:%M"),
                "edition_number": subscription.edition.number,
            },
            language,
        )
    return True


def schedule_next():
    """Wake the worker for the next retry (the mail outbox does the same for its own)."""
    now = timezone.now()
    times = WebhookDelivery.objects.filter(subscription__disabled_at=None).aggregate(
        retry=Min("next_attempt_at", filter=Q(status=Status.PENDING)),
        claim=Min("claimed_at", filter=Q(status=Status.SENDING)),
    )
    due = [at for at in (times["retry"], times["claim"] and times["claim"] + CLAIM_TIMEOUT) if at]
    if due:
        schedule_delivery(max(1, (min(due) - now).total_seconds()))


# What organisers do ---------------------------------------------------------------------------


def replay(delivery):
    """Send a delivery again now, with the same id (the receiver may have lost it)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).exclude(status=Status.SENDING).update(
        status=Status.PENDING, next_attempt_at=timezone.now()
    )
    transaction.on_commit(schedule_delivery)


def rotate_secret(subscription, now=None):
    """A new secret; the old one keeps signing (beside it) for OVERLAP. Returns the new one."""
    from .models import new_secret

    now = now or timezone.now()
    secret = new_secret()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        previous_secret=subscription.secret, previous_secret_until=now + OVERLAP, secret=secret
    )
    return secret


def enable(subscription):
    """Send again to a subscription: what waited for it goes at its next try."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        disabled_at=None, disabled_reason="", failing_since=None
    )
    transaction.on_commit(schedule_delivery)
