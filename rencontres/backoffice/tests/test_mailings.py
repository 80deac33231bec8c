"""E-mails to a segment: placeholders, preview, test to oneself, sending through the outbox
once, in each person's language, kept in their history."""

import pytest
from django.urls import reverse
from django.utils import translation

from rencontres.backoffice.models import AuditEntry, Mailing
from rencontres.mail.models import OutgoingEmail
from rencontres.registration.tests.factories import open_edition, organisation, registered

from .factories import member

pytestmark = pytest.mark.django_db

MESSAGE = {
    "subject_fr": "Bienvenue {first_name}",
    "body_fr": "Bonjour {name}, voici {private_link}",
    "subject_en": "Welcome {first_name}",
    "body_en": "Hello {name} of {organisation}",
    "nonce": "n1",
}


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def people(edition):
    thies = organisation("Ville de Thiès", "SN", "foreign_authority")
    return [
        registered(edition, first_name="Awa", language="fr", organisation=thies),
        registered(edition, first_name="Moussa", language="en", organisation=thies),
        registered(edition, first_name="Claire"),
    ]


def new_url(edition, **filters):
    with translation.override("en"):
        url = reverse("backoffice:mailing_new", args=[edition.number])
    return url + "?" + "&".join(f"{k}={v}" for k, v in filters.items())


def test_preview_fills_the_placeholders_in_both_languages(client, edition, people):
    user = member(edition, "organiser")
    client.force_login(user)
    response = client.post(new_url(edition, country="SN"), {**MESSAGE, "action": "preview"})
    assert response.context["count"] == 2
    (_fr, subject_fr, body_fr), (_en, _subject_en, body_en) = response.context["preview"]
    sample = response.context["sample"]
    assert subject_fr == f"Bienvenue {sample.first_name}" and "/r/" in body_fr
    assert body_en.endswith("of Ville de Thiès")
    assert not OutgoingEmail.objects.filter(template="mailing").exists()


def test_a_test_goes_to_the_organiser_only(client, edition, people):
    user = member(edition, "organiser")
    user.email = "me@organiser.example"
    user.save()
    client.force_login(user)
    client.post(new_url(edition), {**MESSAGE, "action": "test"})
    assert list(
        OutgoingEmail.objects.filter(template="mailing").values_list("recipient", flat=True)
    ) == ["me@organiser.example"]
    # Filled in for a made-up person: no participant's name or private link in the team's mail.
    test = OutgoingEmail.objects.get(template="mailing")
    for person in people:
        assert person.secret not in test.body_text and person.last_name not in test.body_text


def test_sending_queues_one_message_per_person_in_their_language_once(
    client, edition, people, django_capture_on_commit_callbacks
):
    client.force_login(member(edition, "organiser"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url(edition, country="SN"), {**MESSAGE, "action": "send"})
        client.post(new_url(edition, country="SN"), {**MESSAGE, "action": "send"})  # twice
    mailing = Mailing.objects.get()
    assert response["Location"].endswith(f"/mailings/{mailing.pk}/")
    assert (mailing.status, mailing.total, mailing.queued) == ("sent", 2, 2)
    sent = {
        mail.registration.first_name: mail
        for mail in OutgoingEmail.objects.filter(template="mailing")
    }
    assert sent["Awa"].subject == "Bienvenue Awa"
    assert sent["Moussa"].subject == "Welcome Moussa" and "Claire" not in sent
    assert AuditEntry.objects.get().details["recipients"] == 2
    status = client.get(reverse("backoffice:mailing_status", args=[edition.number, mailing.pk]))
    assert status.json() == {"status": "done", "progress": 100}


def test_an_unknown_placeholder_is_refused_next_to_its_field(client, edition, people):
    client.force_login(member(edition, "organiser"))
    response = client.post(new_url(edition), {**MESSAGE, "body_en": "Hi {nmae}", "action": "send"})
    assert "body_en" in response.context["form"].errors
    assert not Mailing.objects.exists()


def test_staff_cannot_e_mail_a_segment(client, edition, people):
    client.force_login(member(edition, "staff"))
    assert client.get(new_url(edition)).status_code == 403
    assert client.post(new_url(edition), {**MESSAGE, "action": "send"}).status_code == 403
    assert not Mailing.objects.exists()
    assert not OutgoingEmail.objects.filter(template="mailing").exists()
