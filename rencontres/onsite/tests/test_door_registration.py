"""Registering at the door goes through the one path every registration takes
(registration.services.create_registration): the notice accepted with its time, the form's
nonce (the same form sent twice makes one registration), the history and the consents."""

import pytest
from django.urls import reverse

from rencontres.backoffice.tests.factories import member
from rencontres.onsite.tests.factories import running_edition
from rencontres.privacy.models import ConsentRecord
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    edition = running_edition()
    edition.allows_onsite_registration = True
    edition.save()
    return edition


@pytest.fixture
def agent(client, edition):
    user = member(edition, "check_in")
    client.force_login(user)
    return user


def door_form(edition, **fields):
    return {
        "first_name": "Lin", "last_name": "Wei", "email": "lin.wei@example.cn",
        "job_title": "Deputy mayor", "organisation_name": "Ville de Suzhou",
        "organisation_kind": "foreign_authority", "organisation_country": "CN",
        "category": category(edition).pk, "language": "en", **fields,
    }  # fmt: skip


def test_a_registration_at_the_door_is_made_like_any_other(client, edition, agent, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-3"
    url = reverse("onsite:register", args=[edition.number])
    page = client.get(url)
    nonce = page.context["form"]["form_nonce"].value()
    assert nonce and f'value="{nonce}"' in page.content.decode()

    assert client.post(url, door_form(edition, form_nonce=nonce)).status_code == 302
    person = Registration.objects.get()
    assert person.form_nonce == nonce
    assert person.privacy_notice_version == "onsite:2027-3"
    assert person.privacy_accepted_at == person.created_at
    assert person.directory_consent_at is None and person.photo_consent_at is None
    assert person.events.filter(action="registered_at_the_door", actor=agent).exists()
    record = ConsentRecord.objects.get(registration=person)
    assert (record.consent, record.source, record.wording_version) == (
        "privacy_notice",
        "door",
        "2027-3",
    )

    # The same form again, its address corrected meanwhile: still the first registration.
    client.post(url, door_form(edition, form_nonce=nonce, email="wei.lin@example.cn"))
    assert Registration.objects.count() == 1


def test_a_forged_nonce_is_ignored(client, edition, agent):
    url = reverse("onsite:register", args=[edition.number])
    assert client.post(url, door_form(edition, form_nonce="x" * 500)).status_code == 302
    assert Registration.objects.get().form_nonce is None
