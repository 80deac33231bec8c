"""E-mails to a segment: placeholders, preview, test to oneself, sending through the outbox
once, in each person's language, kept in their history."""

import pytest
from django.urls import reverse
from django.utils import translation

from rencontres.backoffice.models import Mailing
from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.registration.tests.factories import open_edition, organisation, registered

from .factories import member, one_of_each_status

pytestmark = pytest.mark.django_db

MESSAGE = {
    "subject_fr": "Bienvenue {first_name}",
    "body_fr": "Bonjour {name}, voici {private_link}",
    "subject_en": "Welcome {first_name}",
    "body_en": "Hello {name} of {organisation}",
    "nonce": "n1",
    "statuses": ["confirmed", "awaiting_approval", "waitlisted"],  # as the page ticks them
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


def preview(client, url, message=MESSAGE, **fields):
    response = client.post(url, {**message, "action": "preview", **fields})
    assert response.status_code == 200
    return response


def preview_and_send(client, url, message=MESSAGE, **fields):
    """As an organiser does: preview (the counts), then the send button of the preview."""
    previewed = preview(client, url, message, **fields).context["form"]["previewed"].value()
    return client.post(url, {**message, "action": "send", "previewed": previewed, **fields})


def test_preview_fills_the_placeholders_in_both_languages(client, edition, people):
    user = member(edition, "organiser")
    client.force_login(user)
    response = preview(client, new_url(edition, country="SN"))
    assert response.context["summary"]["total"] == 2
    (_fr, subject_fr, body_fr), (_en, _subject_en, body_en) = response.context["preview"][
        "messages"
    ]
    sample = response.context["preview"]["sample"]
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
        response = preview_and_send(client, new_url(edition, country="SN"))
        preview_and_send(client, new_url(edition, country="SN"))  # twice
    mailing = Mailing.objects.get()
    assert response["Location"].endswith(f"/mailings/{mailing.pk}/")
    assert (mailing.status, mailing.total, mailing.done) == ("done", 2, 2)
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
    response = client.post(
        new_url(edition), {**MESSAGE, "body_en": "Hi {nmae}", "action": "preview"}
    )
    assert "body_en" in response.context["form"].errors
    assert not Mailing.objects.exists()


def test_staff_cannot_e_mail_a_segment(client, edition, people):
    client.force_login(member(edition, "staff"))
    assert client.get(new_url(edition)).status_code == 403
    assert client.post(new_url(edition), {**MESSAGE, "action": "send"}).status_code == 403
    assert not Mailing.objects.exists()
    assert not OutgoingEmail.objects.filter(template="mailing").exists()


# Whom it goes to: people holding or awaiting a place, unless the organiser ticks others --------


@pytest.fixture
def everyone(edition):
    return one_of_each_status(edition)


def test_by_default_only_people_holding_or_awaiting_a_place_get_the_mailing(
    client, edition, everyone, django_capture_on_commit_callbacks
):
    client.force_login(member(edition, "organiser"))
    page = client.get(new_url(edition))
    ticked = page.context["form"]["statuses"].value()
    assert sorted(ticked) == ["awaiting_approval", "confirmed", "waitlisted"]
    html = page.content.decode()
    assert "Confirmed (1)" in html and "Cancelled (1)" in html  # each status with its people
    with django_capture_on_commit_callbacks(execute=True):
        preview_and_send(client, new_url(edition), statuses=ticked)
    sent = set(OutgoingEmail.objects.filter(template="mailing").values_list(
        "registration__first_name", flat=True))  # fmt: skip
    assert sent == {"Confirmée", "Presse", "Attente"}
    mailing = Mailing.objects.get()
    assert mailing.counts == {"confirmed": 1, "awaiting_approval": 1, "waitlisted": 1}
    assert mailing.done == 3


def test_the_preview_counts_recipients_per_status_and_sending_needs_it(
    client, edition, everyone, django_capture_on_commit_callbacks
):
    client.force_login(member(edition, "organiser"))
    url = new_url(edition)
    statuses = ["confirmed", "cancelled"]
    # Straight to "send", without the preview: the preview comes instead, nothing is sent.
    response = client.post(url, {**MESSAGE, "action": "send", "statuses": statuses})
    assert response.status_code == 200 and not Mailing.objects.exists()
    summary = response.context["summary"]
    assert summary["rows"] == [("Confirmed", 1), ("Cancelled", 1)] and summary["total"] == 2
    assert "Send to 2 people" in response.content.decode()
    # A change of the message or of the statuses after the preview: previewed again.
    previewed = response.context["form"]["previewed"].value()
    changed = {**MESSAGE, "body_fr": "Autre chose"}
    response = client.post(url, {**changed, "action": "send", "statuses": statuses,
                                 "previewed": previewed})  # fmt: skip
    assert not Mailing.objects.exists() and "changed since the preview" in response.content.decode()
    response = client.post(url, {**MESSAGE, "action": "send", "statuses": ["confirmed"],
                                 "previewed": previewed})  # fmt: skip
    assert not Mailing.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        preview_and_send(client, url, statuses=statuses)
    mailing = Mailing.objects.get()
    assert mailing.counts == {"confirmed": 1, "cancelled": 1} and mailing.done == 2
    page = client.get(reverse("backoffice:mailing", args=[edition.number, mailing.pk]))
    assert "Confirmed: 1 · Cancelled: 1" in page.content.decode()
    assert "2 messages are in the outbox" in page.content.decode()


def test_an_erased_person_is_never_counted_nor_written_to(client, edition, everyone):
    client.force_login(member(edition, "organiser"))
    response = preview(client, new_url(edition), statuses=["confirmed"])
    assert response.context["summary"]["total"] == 1  # the erased one is "confirmed" too


def test_the_list_status_filter_chooses_the_statuses_ticked(client, edition, everyone):
    client.force_login(member(edition, "organiser"))
    ticked = client.get(new_url(edition, status="cancelled")).context["form"]["statuses"].value()
    assert ticked == ["cancelled"]
    ticked = client.get(new_url(edition, status="all")).context["form"]["statuses"].value()
    assert len(ticked) == 6
    response = preview(client, new_url(edition), statuses=[])
    assert "statuses" in response.context["form"].errors and response.context["summary"] is None


def test_a_mailing_stored_before_the_statuses_goes_to_its_list_s_status(edition, everyone):
    from rencontres.backoffice.mailings import recipients

    old = Mailing(edition=edition, filters={"status": "cancelled"}, nonce="old")
    assert [person.first_name for person in recipients(old)] == ["Annulée"]
    old.filters = {}
    assert {person.first_name for person in recipients(old)} == {"Confirmée", "Presse", "Attente"}
