"""Consents: never ticked in advance, recorded with their wording's version and time, and
withdrawn at any time from the private page, with effect at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.networking.models import Profile
from rencontres.networking.tests.factories import person
from rencontres.privacy.models import ConsentRecord
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import form_data, open_edition

pytestmark = pytest.mark.django_db
Consent = ConsentRecord.Consent


@pytest.fixture
def edition():
    return open_edition()


def consent_url(registration):
    return reverse("privacy:consent", args=[registration.public_id, registration.secret])


def test_no_consent_box_is_ticked_in_advance(client, edition):
    html = client.get("/en/register/").content.decode()
    for name in ("privacy", "directory_opt_in", "photo_opt_in"):
        tag = html.split(f'name="{name}"')[1].split(">")[0]
        assert "checked" not in tag


def test_the_form_records_each_consent_with_its_wording_version_and_time(client, edition, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-3"
    client.post("/en/register/", form_data(edition, directory_opt_in="on"))
    registration = Registration.objects.get()
    records = {r.consent: r for r in ConsentRecord.objects.filter(registration=registration)}
    assert set(records) == {Consent.PRIVACY_NOTICE, Consent.DIRECTORY}  # photos: not ticked
    for record in records.values():
        assert record.given and record.wording_version == "2027-3" and record.source == "form"
        assert abs(record.at - timezone.now()) < datetime.timedelta(minutes=1)


def test_withdrawing_the_directory_consent_hides_the_profile_at_once(client, edition):
    listed = person(edition, "Zoé")
    assert Profile.objects.listed(edition).filter(registration=listed).exists()
    other = person(edition, "Bob")
    directory = reverse("networking:directory", args=[other.public_id, other.secret])
    assert "Zoé" in client.get(directory).content.decode()

    response = client.post(consent_url(listed), {"consent": "directory", "given": "0"})
    assert response.status_code == 302
    assert "Zoé" not in client.get(directory).content.decode()
    listed.refresh_from_db()
    assert not listed.directory_opt_in and listed.directory_consent_at is None
    last = ConsentRecord.objects.filter(registration=listed, consent="directory").last()
    assert not last.given and last.source == "private_page"


def test_a_consent_can_be_withdrawn_after_registrations_close(client, edition):
    someone = person(edition, "Zoé", listed=False)
    client.post(consent_url(someone), {"consent": "photos", "given": "1"})
    edition.registration_closes_at = timezone.now() - datetime.timedelta(days=1)
    edition.save()
    client.post(consent_url(someone), {"consent": "photos", "given": "0"})
    someone.refresh_from_db()
    assert not someone.photo_opt_in
    history = ConsentRecord.objects.filter(registration=someone, consent="photos")
    assert [record.given for record in history] == [True, False]


def test_a_consent_changed_in_the_project_exchange_is_recorded_too(edition):
    from rencontres.networking.services import save_profile

    someone = person(edition, "Zoé")
    save_profile(someone, {"directory_opt_in": False})
    last = ConsentRecord.objects.filter(registration=someone, consent="directory").last()
    assert not last.given and last.source == "project_exchange"


def test_the_private_page_shows_the_consents_and_their_history(client, edition, settings):
    settings.PRIVACY_NOTICE_VERSION = "v-test-7"
    someone = person(edition, "Zoé")
    with translation.override("en"):
        url = reverse("privacy:private", args=[someone.public_id, someone.secret])
    html = client.get(url).content.decode()
    assert 'id="consent-directory"' in html and 'id="consent-photos"' in html
    assert (
        html.count("wording v-test-7")
        == ConsentRecord.objects.filter(registration=someone).count()
        == 2
    )


def test_a_forged_consent_changes_nothing(client, edition):
    someone = person(edition, "Zoé")
    records = list(ConsentRecord.objects.values_list("pk", "consent", "given"))
    client.post(consent_url(someone), {"consent": "privacy_notice", "given": "0"})
    client.post(consent_url(someone), {"consent": "directory", "given": "maybe"})
    someone.refresh_from_db()
    assert someone.directory_opt_in
    assert list(ConsentRecord.objects.values_list("pk", "consent", "given")) == records


def test_registration_at_the_door_records_the_notice_given_in_person(edition):
    from rencontres.backoffice.tests.factories import member
    from rencontres.onsite.services import register_at_the_door
    from rencontres.registration.tests.factories import category, organisation

    edition.allows_onsite_registration = True
    edition.save()
    details = {"first_name": "Awa", "last_name": "Diop", "email": "awa@example.sn",
               "job_title": "Mayor", "category": category(edition), "language": "fr",
               "organisation": organisation()}  # fmt: skip
    registration, _status = register_at_the_door(edition, details, member(edition))
    record = ConsentRecord.objects.get(registration=registration)
    assert (record.consent, record.given, record.source) == ("privacy_notice", True, "door")
