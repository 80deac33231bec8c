"""Erasure leaves nothing of the person in any model that points at them, and keeps what
statistics count."""

import json
import os

import pytest
from django.test import Client
from django.urls import reverse

from rencontres.backoffice.tests.factories import member
from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.networking.models import Profile
from rencontres.onsite.tokens import badge_token, token_hash
from rencontres.privacy.models import ErasureRequest
from rencontres.privacy.registry import (
    FIELDS,
    KEEP,
    RETAINED,
    classified_fields,
    registration_graph,
)
from rencontres.privacy.services import (
    confirm_erasure,
    erase_registrations,
    export_data,
    is_erased,
)
from rencontres.privacy.services.export import rows_of
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import open_edition, registered, workshop

from .factories import TRACES, zephyrine

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def values_held(person):
    """{(model, field): [text of each value]} over every row that points at the person."""
    subject = Registration.objects.filter(pk=person.pk)
    held = {}
    for model, paths in registration_graph().items():
        for row in rows_of(model, paths, subject):
            for field in classified_fields(model):
                if field.many_to_many:
                    value = [str(item) for item in getattr(row, field.name).all()]
                elif field.is_relation:
                    value = getattr(row, field.attname)
                else:
                    value = getattr(row, field.name)
                key = (model._meta.label, field.name)
                held.setdefault(key, []).append(json.dumps(value, default=str, ensure_ascii=False))
    return held


def test_erasure_leaves_no_trace_of_the_person_in_any_field_of_any_model(edition):
    person = zephyrine(edition)
    before = values_held(person)
    assert any("Quartermaine" in text for texts in before.values() for text in texts)
    erase_registrations(Registration.objects.filter(pk=person.pk))

    after = values_held(person)
    assert set(after) == set(before)  # no row was deleted: statistics count them
    for (label, name), texts in after.items():
        for text in texts:
            for trace in TRACES:
                assert trace.lower() not in text.lower(), f"{label}.{name} still holds {trace!r}"
    for label, fields in FIELDS.items():
        for name, action in fields.items():
            if (
                action not in (KEEP, RETAINED)
                and (label, name) in before
                and any(
                    text not in ('""', "null", "false", "[]", "{}")
                    for text in before[(label, name)]
                )
            ):
                assert after[(label, name)] != before[(label, name)], f"{label}.{name} unchanged"


def test_erasure_keeps_what_statistics_count(edition):
    person = zephyrine(edition)
    kept = Registration.objects.filter(pk=person.pk).values(
        "category", "organisation", "organisation__country", "organisation__kind",
        "created_at", "days", "language",
    ).get()  # fmt: skip
    confirm_erasure(person.erasure_requests.get(), None)
    person.refresh_from_db()
    assert Registration.objects.filter(pk=person.pk).values(*kept).get() == kept
    assert person.check_ins.count() == 1
    assert is_erased(person) and person.email.endswith("@erased.invalid")
    assert person.status == "cancelled"  # the event is ahead: the place went back


def test_an_erased_persons_private_link_and_badge_stop_working(client, edition):
    person = zephyrine(edition)
    link = reverse("registration:private", args=[person.public_id, person.secret])
    badge = reverse("onsite:own_badge", args=[person.public_id, person.secret])
    token = badge_token(person)  # the QR printed on the badge she may still carry
    desk = Client()
    desk.force_login(member(edition, "check_in"))
    scan = reverse("onsite:api_scan", args=[edition.number])
    listed = reverse("onsite:api_list", args=[edition.number])
    assert client.get(link).status_code == 200
    assert client.get(badge)["Content-Type"] == "application/pdf"
    assert token_hash(token) in desk.get(listed).content.decode()
    check_ins = person.check_ins.count()

    confirm_erasure(person.erasure_requests.get(), None)
    assert client.get(link).status_code == 404
    assert client.get(badge).status_code == 404
    answer = desk.post(scan, {"token": token, "door": "A"}, content_type="application/json")
    assert answer.json()["status"] == "unknown"  # erasure gave her a new public id
    assert "Quartermaine" not in answer.content.decode()
    assert person.check_ins.count() == check_ins
    assert token_hash(token) not in desk.get(listed).content.decode()  # nor offline


def test_mail_not_sent_yet_is_never_sent_once_erased(edition):
    person = zephyrine(edition)
    assert OutgoingEmail.objects.filter(registration=person, status="pending").exists()
    confirm_erasure(person.erasure_requests.get(), None)
    assert not OutgoingEmail.objects.filter(registration=person, status="pending").exists()


def test_the_erased_profile_leaves_the_directory(edition):
    person = zephyrine(edition)
    assert Profile.objects.listed(edition).filter(registration=person).exists()
    confirm_erasure(person.erasure_requests.get(), None)
    assert not Profile.objects.listed(edition).filter(registration=person).exists()


def test_a_waiting_person_gets_the_erased_persons_place(edition):
    session = workshop(edition, capacity=1)
    first = registered(edition, sessions=[session])
    second = registered(edition, sessions=[session])
    assert second.choices.get().status == "waitlisted"
    from rencontres.privacy.services import request_erasure

    erasure_request, _created = request_erasure(first, "post")
    confirm_erasure(erasure_request, None)
    assert second.choices.get().status == "confirmed"


def test_a_person_asks_and_an_organiser_confirms_in_the_back_office(client, edition):
    person = zephyrine(edition)
    ErasureRequest.objects.all().delete()
    url = reverse("privacy:erasure", args=[person.public_id, person.secret])
    assert client.post(url, {}).status_code == 200  # the box must be ticked
    assert client.post(url, {"understood": "on"}).status_code == 302
    assert client.post(url, {"understood": "on"}).status_code == 302  # twice: one request
    erasure_request = ErasureRequest.objects.get()
    assert erasure_request.status == "pending" and erasure_request.channel == "private_page"

    organiser = member(edition)
    client.force_login(organiser)
    page = client.get(reverse("backoffice:privacy:requests", args=[edition.number]))
    assert "Quartermaine" in page.content.decode()
    decide = reverse("backoffice:privacy:decide", args=[edition.number, erasure_request.pk])
    confirm = client.post(decide, {"decision": "erase"})  # one more look first
    assert confirm.status_code == 200 and b'name="confirmed"' in confirm.content
    assert not is_erased(Registration.objects.get(pk=person.pk))
    assert client.post(decide, {"decision": "erase", "confirmed": "1"}).status_code == 302
    erasure_request.refresh_from_db()
    assert erasure_request.status == "done" and erasure_request.decided_by == organiser
    assert AuditEntry.objects.filter(action="erasure_confirmed",
                                     details__registration=person.pk).exists()  # fmt: skip
    person.refresh_from_db()
    assert is_erased(person)
    assert "Quartermaine" not in json.dumps(export_data(person), ensure_ascii=False)


def test_an_organiser_records_a_request_received_by_post(client, edition):
    person = zephyrine(edition)
    ErasureRequest.objects.all().delete()
    client.force_login(member(edition))
    url = reverse("backoffice:privacy:person", args=[edition.number, person.pk])
    assert client.post(url, {"channel": "post"}).status_code == 302
    assert ErasureRequest.objects.get().channel == "post"
    assert AuditEntry.objects.filter(action="erasure_requested").exists()


def test_batches_of_badges_with_the_persons_name_are_deleted(edition):
    from django.core.files.base import ContentFile

    from rencontres.onsite.models import BadgeBatch

    person = zephyrine(edition)
    batch = BadgeBatch.objects.create(edition=edition, layout="a6", status="done")
    batch.file.save("badges.pdf", ContentFile(b"%PDF Quartermaine"))
    path = batch.file.path
    confirm_erasure(person.erasure_requests.get(), None)
    batch.refresh_from_db()
    assert not batch.file and not os.path.exists(path)


def test_nothing_is_queued_for_an_erased_person_afterwards(edition):
    from rencontres.registration.services import send

    person = zephyrine(edition)
    confirm_erasure(person.erasure_requests.get(), None)
    person.refresh_from_db()
    before = OutgoingEmail.objects.count()
    send(person, "private_link")  # e.g. a mailing to the whole list after the event
    assert OutgoingEmail.objects.count() == before
