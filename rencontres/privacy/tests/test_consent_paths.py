"""Each way a consent changes (the form, the private page, the project exchange, an organiser,
the door) writes exactly one consent record per change, with its source, and a change that
changes nothing writes none (registration/services/consents.py: set_consent and
record_consents_on_registering)."""

import pytest
from django.urls import reverse

from rencontres.networking.services import save_profile
from rencontres.networking.tests.factories import person
from rencontres.privacy.models import ConsentRecord
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import (
    category,
    form_data,
    open_edition,
    organisation,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def records(registration):
    return list(
        ConsentRecord.objects.filter(registration=registration)
        .order_by("pk")
        .values_list("consent", "given", "source")
    )


def new_records(registration, before):
    return records(registration)[len(before) :]


def test_the_form_records_each_consent_given_once(client, edition):
    client.post("/en/register/", form_data(edition, directory_opt_in="on", photo_opt_in="on"))
    registration = Registration.objects.get()
    assert records(registration) == [
        ("privacy_notice", True, "form"),
        ("directory", True, "form"),
        ("photos", True, "form"),
    ]
    assert registration.directory_consent_at and registration.photo_consent_at


def test_the_details_page_records_one_line_per_consent_changed(client, edition):
    someone = registered(edition)
    before = records(someone)
    link = reverse("registration:details", args=[someone.public_id, someone.secret])
    data = {"first_name": "Awa", "last_name": "Ndiaye-Sow", "job_title": "Mayor",
            "language": "fr", "directory_opt_in": "on", "photo_opt_in": "on"}  # fmt: skip
    assert client.post(link, data).status_code == 302
    assert new_records(someone, before) == [
        ("directory", True, "private_page"),
        ("photos", True, "private_page"),
    ]
    client.post(link, data)  # the same again: nothing changes
    client.post(link, {**data, "photo_opt_in": ""})
    assert new_records(someone, before)[2:] == [("photos", False, "private_page")]
    someone.refresh_from_db()
    assert someone.directory_opt_in and someone.directory_consent_at
    assert not someone.photo_opt_in and someone.photo_consent_at is None
    given = someone.events.filter(action="consent_given").values_list("details", flat=True)
    assert sorted(d["consent"] for d in given) == ["directory", "photos"]


def test_the_private_page_records_one_line_per_change(client, edition):
    someone = registered(edition)
    before = records(someone)
    url = reverse("privacy:consent", args=[someone.public_id, someone.secret])
    client.post(url, {"consent": "photos", "given": "1"})
    client.post(url, {"consent": "photos", "given": "1"})  # already given
    client.post(url, {"consent": "photos", "given": "0"})
    assert new_records(someone, before) == [
        ("photos", True, "private_page"),
        ("photos", False, "private_page"),
    ]


def test_the_project_exchange_records_one_line_per_change(edition):
    someone = person(edition, "Zoé", listed=False)
    before = records(someone)
    save_profile(someone, {"directory_opt_in": True})
    save_profile(someone, {"directory_opt_in": True})
    save_profile(someone, {"directory_opt_in": False})
    assert new_records(someone, before) == [
        ("directory", True, "project_exchange"),
        ("directory", False, "project_exchange"),
    ]


def admin_form(registration, **fields):
    data = {
        "edition": registration.edition_id, "first_name": registration.first_name,
        "last_name": registration.last_name, "email": registration.email, "phone": "",
        "job_title": registration.job_title, "organisation": registration.organisation_id,
        "category": registration.category_id, "language": registration.language,
        "days": "[]", "access_needs": "", "diet": "", "diet_details": "", "passport_name": "",
        "passport_number": "", "nationality": "", "date_of_birth": "",
    }  # fmt: skip
    for prefix in ("choices", "events"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def test_an_organiser_change_records_one_line_per_change(admin_client, edition):
    someone = registered(edition)
    before = records(someone)
    url = reverse("admin:registration_registration_change", args=[someone.pk])
    response = admin_client.post(url, admin_form(someone, photo_opt_in="on", job_title="Maire"))
    assert response.status_code == 302
    admin_client.post(url, admin_form(someone, photo_opt_in="on", job_title="Maire"))
    assert new_records(someone, before) == [("photos", True, "organiser")]


def test_an_organiser_adding_someone_records_their_consents_once(admin_client, edition):
    model = Registration(
        edition=edition, first_name="Awa", last_name="Diop", email="awa@example.sn",
        job_title="Mayor", organisation=organisation(), category=category(edition),
    )  # fmt: skip
    url = reverse("admin:registration_registration_add")
    response = admin_client.post(url, admin_form(model, directory_opt_in="on"))
    assert response.status_code == 302
    added = Registration.objects.get(email="awa@example.sn")
    assert records(added) == [
        ("privacy_notice", True, "organiser"),
        ("directory", True, "organiser"),
    ]
    assert added.directory_consent_at and added.photo_consent_at is None
    assert added.events.filter(action="added_by_organiser").count() == 1


def test_registering_at_the_door_records_the_notice_once(edition):
    from rencontres.backoffice.tests.factories import member
    from rencontres.onsite.services import register_at_the_door

    edition.allows_onsite_registration = True
    edition.save()
    details = {"first_name": "Awa", "last_name": "Diop", "email": "awa@example.sn",
               "job_title": "Mayor", "category": category(edition), "language": "fr",
               "organisation": organisation()}  # fmt: skip
    registration, _status = register_at_the_door(edition, details, member(edition))
    register_at_the_door(edition, details, member(edition))  # the same person again
    assert records(registration) == [("privacy_notice", True, "door")]
