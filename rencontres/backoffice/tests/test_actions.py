"""Actions on ticked registrations: each through the registration services, with the
organiser as the actor, in the audit log."""

import pytest
from django.urls import reverse
from django.utils import translation

from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import category, open_edition, registered

from .factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition(capacity=1)


def act(client, edition, action, people, query="status=waitlisted", **fields):
    with translation.override("en"):
        url = reverse("backoffice:registration_action", args=[edition.number])
    data = {"action": action, "ids": [p.pk for p in people], "query": query, **fields}
    return client.post(url, data)


def test_staff_approve_give_places_and_cancel(client, edition):
    first = registered(edition)
    waiting = registered(edition)
    press = registered(edition, category=category(edition, "press"))
    assert (waiting.status, press.status) == ("waitlisted", "awaiting_approval")
    client.force_login(member(edition, "staff"))
    response = act(client, edition, "confirm", [waiting])
    assert response["Location"].endswith("/registrations/?status=waitlisted")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"  # beyond the capacity: the organiser decided
    assert waiting.events.filter(action="moved_from_waiting_list").exists()
    act(client, edition, "approve", [press])
    press.refresh_from_db()
    assert press.status == "waitlisted"  # approved, then waiting for a place like anyone
    act(client, edition, "cancel", [first])
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert AuditEntry.objects.filter(action__startswith="bulk_").count() == 3


def test_links_are_sent_again_to_the_ticked_people_only(client, edition):
    people = [registered(edition) for _ in range(3)]
    client.force_login(member(edition, "organiser"))
    before = set(OutgoingEmail.objects.filter(template="private_link").values_list("pk", flat=True))
    act(client, edition, "resend", people[:2])
    sent = OutgoingEmail.objects.filter(template="private_link").exclude(pk__in=before)
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(p.email for p in people[:2])


def test_a_double_click_sends_the_links_once(client, edition):
    people = [registered(edition) for _ in range(2)]
    client.force_login(member(edition, "organiser"))
    with translation.override("en"):
        page = client.get(reverse("backoffice:registrations", args=[edition.number]))
    nonce = page.content.decode().split('name="form_nonce" value="')[1].split('"')[0]
    before = OutgoingEmail.objects.filter(template="private_link").count()
    for _click in range(2):
        response = act(client, edition, "resend", people, form_nonce=nonce)
        assert response.status_code == 302
    assert OutgoingEmail.objects.filter(template="private_link").count() == before + 2
    assert AuditEntry.objects.filter(action="bulk_resend").count() == 1
    # Another action sent with the same page's value (after the browser's Back) is done.
    act(client, edition, "cancel", people[:1], form_nonce=nonce)
    assert Registration.objects.get(pk=people[0].pk).status == "cancelled"
    # The page opened again has a new value: sending again then is meant.
    act(client, edition, "resend", people[1:], form_nonce="bulk-" + "x" * 32)
    assert OutgoingEmail.objects.filter(template="private_link").count() == before + 3


def test_viewers_cannot_act_and_nonsense_is_refused_politely(client, edition):
    person = registered(edition)
    client.force_login(member(edition, "viewer"))
    assert act(client, edition, "cancel", [person]).status_code == 403
    client.force_login(member(edition, "staff"))
    assert act(client, edition, "explode", [person]).status_code == 302
    person.refresh_from_db()
    assert person.status == "confirmed" and not AuditEntry.objects.exists()
    other = registered(open_edition(number=16))
    act(client, edition, "cancel", [other])  # another edition's registration: untouched
    assert Registration.objects.get(pk=other.pk).status == "confirmed"
