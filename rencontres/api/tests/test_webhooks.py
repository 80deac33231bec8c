"""Webhooks: each change queues its event in its own transaction (nothing when it rolls back),
the worker sends it signed per Standard Webhooks (checked here with the `standardwebhooks`
library, and with both secrets during a rotation), retries with backoff and logs each attempt,
gives up after three days, disables a subscription failing for a week and tells its owner,
and a replay keeps the id. Addresses inside a private network are refused."""

import datetime
import http.server
import json
import threading
import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from rencontres.api import webhooks
from rencontres.api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from rencontres.audit import AuditEntry
from rencontres.backoffice.tests.factories import member
from rencontres.mail.models import OutgoingEmail
from rencontres.onsite.models import CheckIn
from rencontres.registration import services
from rencontres.registration.tests.factories import open_edition, registered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = WebhookDelivery.Status


class Receiver:
    """An HTTP receiver on 127.0.0.1 that answers `status` and keeps what it got."""

    def __init__(self, status=204, delay=0):
        self.status, self.received, self.delay = status, [], delay
        self.answered_at = []  # when each answer went (time.monotonic)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                headers = {key.lower(): value for key, value in self.headers.items()}
                time.sleep(receiver.delay)
                receiver.received.append((headers, body))
                self.send_response(receiver.status)
                self.end_headers()
                receiver.answered_at.append(time.monotonic())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def edition():
    return open_edition()


def subscribe(edition, url, events=None, user=None):
    return WebhookSubscription.objects.create(
        user=user or member(edition, "organiser"), edition=edition, url=url,
        events=events or [event for event, _label in webhooks.EVENTS],
    )  # fmt: skip


def test_a_registration_queues_its_events_in_its_transaction(edition, receiver):
    subscribe(edition, receiver.url)
    person = registered(edition, first_name="Aïcha", last_name="Koné")
    events = list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))
    assert events == ["registration.created", "registration.confirmed"]
    created = WebhookDelivery.objects.order_by("pk").first()
    assert created.payload["type"] == "registration.created"
    assert created.payload["data"]["id"] == str(person.public_id)
    assert created.payload["data"]["first_name"] == "Aïcha"
    # A change rolled back queues nothing.
    with pytest.raises(RuntimeError), transaction.atomic():
        services.cancel(person)
        raise RuntimeError
    assert WebhookDelivery.objects.count() == 2
    services.cancel(person)
    assert WebhookDelivery.objects.order_by("pk").last().event == "registration.cancelled"


def test_only_the_events_subscribed_and_only_active_subscriptions(edition, receiver):
    subscribe(edition, receiver.url, events=["checkin.created"])
    off = subscribe(edition, receiver.url, events=["registration.created"])
    WebhookSubscription.objects.filter(pk=off.pk).update(disabled_at=timezone.now())
    person = registered(edition)
    assert not WebhookDelivery.objects.exists()
    CheckIn.objects.create(registration=person, day=edition.starts_on, door="A")
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "checkin.created"
    assert delivery.payload["data"]["registration"] == str(person.public_id)


def test_a_delivery_is_signed_per_standard_webhooks_and_logged(edition, receiver):
    subscription = subscribe(edition, receiver.url)
    registered(edition)
    assert webhooks.deliver_due() == (2, 0)
    assert len(receiver.received) == 2
    for headers, body in receiver.received:
        payload = Webhook(subscription.secret).verify(body, headers)
        assert payload["type"].startswith("registration.")
        assert headers["webhook-id"].startswith("msg_")
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(body, headers)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {Status.DELIVERED}
    attempt = WebhookAttempt.objects.first()
    assert attempt.status_code == 204 and attempt.succeeded
    assert webhooks.deliver_due() == (0, 0)  # nothing twice


def test_a_slow_receiver_holds_a_few_calls_and_never_the_others_deliveries(edition, receiver):
    slow = Receiver(delay=1.5)
    try:
        subscribe(edition, slow.url, events=["registration.created"])
        subscribe(edition, receiver.url, events=["registration.created"])
        for _ in range(8):
            registered(edition)
        delivered, failed = webhooks.deliver_due()
    finally:
        slow.close()
    assert (delivered, failed) == (16, 0)
    assert len(receiver.received) == 8 and len(slow.received) == 8
    # At most four calls at once to the slow one; the fast one's deliveries all went while
    # its first four were still waiting for their answers.
    assert max(receiver.answered_at) < sorted(slow.answered_at)[0]


def test_a_failing_address_is_retried_with_backoff_then_given_up(edition, receiver):
    receiver.status = 500
    subscribe(edition, receiver.url, events=["registration.created"])
    registered(edition)
    before = timezone.now()
    assert webhooks.deliver_due() == (0, 1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at >= before + datetime.timedelta(seconds=5)
    assert WebhookAttempt.objects.get().status_code == 500
    # Due again: the next wait is five minutes; the receiver is back and gets the same id.
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.deliver_due()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=290)
    receiver.status = 200
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhooks.deliver_due() == (1, 0)
    ids = {headers["webhook-id"] for headers, _body in receiver.received}
    assert ids == {delivery.message_id}  # three attempts, one id
    assert WebhookDelivery.objects.get().status == Status.DELIVERED
    # One still failing three days after its event is given up.
    receiver.status = 503
    registered(edition)
    late = WebhookDelivery.objects.get(status=Status.PENDING)
    WebhookDelivery.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    webhooks.deliver_due()
    assert WebhookDelivery.objects.get(pk=late.pk).status == Status.FAILED


def test_an_address_failing_for_a_week_is_disabled_and_its_owner_told(edition, receiver):
    receiver.status = 500
    owner = member(edition, "organiser")
    owner.email = "claire@example.org"
    owner.save()
    subscription = subscribe(edition, receiver.url, events=["registration.created"], user=owner)
    registered(edition)
    webhooks.deliver_due()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        failing_since=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.deliver_due()
    subscription.refresh_from_db()
    assert subscription.disabled_at is not None and subscription.disabled_reason == "failing"
    mail = OutgoingEmail.objects.get(template="webhook_disabled")
    assert mail.recipient == "claire@example.org" and receiver.url in mail.body_text
    registered(edition)
    assert WebhookDelivery.objects.count() == 1  # nothing more queued for it


def test_a_rotated_secret_signs_beside_the_old_one_for_a_day(edition, receiver):
    subscription = subscribe(edition, receiver.url, events=["registration.created"])
    old = subscription.secret
    new = webhooks.rotate_secret(subscription)
    registered(edition)
    webhooks.deliver_due()
    headers, body = receiver.received[0]
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)
    Webhook(new).verify(body, headers)
    subscription.refresh_from_db()
    later = timezone.now() + datetime.timedelta(hours=25)
    assert subscription.signing_secrets(later) == [new]


def test_a_replay_sends_the_same_id_again(edition, receiver):
    subscribe(edition, receiver.url, events=["registration.created"])
    registered(edition)
    webhooks.deliver_due()
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit():
        webhooks.replay(delivery)
    webhooks.deliver_due()
    assert [headers["webhook-id"] for headers, _body in receiver.received] == [
        delivery.message_id, delivery.message_id
    ]  # fmt: skip


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=False)


def test_an_invoice_for_several_people_is_one_event(edition, receiver):
    from rencontres.invoicing import services as invoicing
    from rencontres.invoicing.tests.factories import fee, public_payer

    subscribe(edition, receiver.url, events=["invoice.issued"])
    first, second = registered(edition), registered(edition)
    invoicing.issue_invoice(edition, public_payer(first), [first, second], [fee()], actor=None)
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "invoice.issued"
    assert set(delivery.payload["data"]["registrations"]) == {
        str(first.public_id), str(second.public_id)
    }  # fmt: skip


@pytest.mark.parametrize(
    "url",
    ["http://partner.example.org/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook",
     "https://[::1]/hook", "https://localhost/hook"],
)  # fmt: skip
def test_addresses_inside_a_private_network_or_without_https_are_refused(url, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    assert webhooks.address_problem(url)


# The organisers' pages ------------------------------------------------------------------------


def test_an_organiser_subscribes_sees_the_secret_once_and_replays(edition, receiver):
    browser = Client()
    browser.force_login(member(edition, "organiser"))
    url = reverse("api_pages:webhooks", args=[edition.number])
    page = browser.post(url, {"url": "ftp://x", "events": ["nope"]})
    assert page.status_code == 200 and b"Select a valid choice" in page.content
    answer = browser.post(url, {"url": receiver.url, "description": "CRM",
                                "events": ["registration.created"]})  # fmt: skip
    subscription = WebhookSubscription.objects.get()
    assert answer.url == reverse("api_pages:webhook", args=[edition.number, subscription.pk])
    shown = browser.get(answer.url).content.decode()
    assert subscription.secret in shown
    assert subscription.secret not in browser.get(answer.url).content.decode()  # once
    registered(edition)
    webhooks.deliver_due()
    page = browser.get(answer.url).content.decode()
    assert "registration.created" in page and "HTTP 204" in page
    delivery = WebhookDelivery.objects.get()
    browser.post(reverse("api_pages:webhook_replay",
                         args=[edition.number, subscription.pk, delivery.pk]))  # fmt: skip
    assert WebhookDelivery.objects.get().status == Status.PENDING
    browser.post(reverse("api_pages:webhook_rotate", args=[edition.number, subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.previous_secret
    browser.post(reverse("api_pages:webhook_switch", args=[edition.number, subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.disabled_at is not None
    assert {
        "webhook_created",
        "webhook_replayed",
        "webhook_secret_rotated",
        "webhook_disabled",
    } <= set(AuditEntry.objects.values_list("action", flat=True))
    json.dumps(delivery.payload)  # the payload is plain JSON


def test_old_deliveries_go_with_the_daily_purge(edition, receiver):
    from rencontres.privacy.services import purge_timed

    subscribe(edition, receiver.url, events=["registration.created"])
    registered(edition)
    registered(edition)
    webhooks.deliver_due()
    old, recent = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert purge_timed(dry_run=True)["api.WebhookDelivery"] == 1
    purge_timed()
    assert list(WebhookDelivery.objects.all()) == [recent]
    assert WebhookAttempt.objects.count() == 1


def test_an_erased_persons_deliveries_go_and_a_lost_role_stops_them(edition, receiver):
    from rencontres.models import Membership
    from rencontres.privacy.services.erasure import erase_registrations
    from rencontres.registration.models import Registration

    owner = member(edition, "organiser")
    subscribe(edition, receiver.url, events=["registration.created", "checkin.created"],
              user=owner)  # fmt: skip
    kept, erased = registered(edition), registered(edition)
    CheckIn.objects.create(registration=erased, day=edition.starts_on, door="A")
    assert WebhookDelivery.objects.count() == 3
    erase_registrations(Registration.objects.filter(pk=erased.pk))
    left = list(WebhookDelivery.objects.all())
    assert len(left) == 1 and left[0].payload["data"]["id"] == str(kept.public_id)
    # The owner is no longer an organiser of the edition: nothing more is queued.
    Membership.objects.filter(user=owner).update(role="viewer")
    registered(edition)
    assert WebhookDelivery.objects.count() == 1


def test_two_people_on_one_browser_keep_their_own_anonymous_answers(edition):
    from rencontres.followup.models import Answer, Survey

    ann, ben = registered(edition, first_name="Ann"), registered(edition, first_name="Ben")
    for person in (ann, ben):
        CheckIn.objects.create(registration=person, day=edition.starts_on, door="A")
    survey = Survey.objects.create(
        edition=edition, title_fr="Avis", title_en="Opinion", anonymous=True,
        opens_at=timezone.now() - datetime.timedelta(hours=1),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    question = survey.questions.create(kind="text", text_fr="Remarque", text_en="Remark")
    kiosk = Client()

    def url(person):
        return reverse("followup:answer", args=[person.public_id, person.secret, survey.pk])

    kiosk.post(url(ann), {f"q{question.pk}": "Ann's remark"})
    page = kiosk.get(url(ben)).content.decode()
    assert "Ann's remark" not in page
    kiosk.post(url(ben), {f"q{question.pk}": "Ben's remark"})
    assert set(Answer.objects.values_list("text", flat=True)) == {"Ann's remark", "Ben's remark"}
