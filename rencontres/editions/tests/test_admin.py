"""Organisers edit editions and the programme in the admin, French and English side by side."""

import pytest
from django.contrib.auth import get_user_model

from rencontres.editions.models import Session

from .factories import make_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    user = get_user_model().objects.create_superuser("alice", "alice@example.org", "pw-alice-1")
    client.force_login(user)
    return user


def test_the_admin_needs_a_login(client):
    response = client.get("/admin/editions/edition/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_french_and_english_fields_sit_side_by_side(client, organiser):
    edition = make_edition()
    html = client.get(f"/admin/editions/edition/{edition.pk}/change/").content.decode()
    row_start = html.index('name="title_fr"')
    row = html[html.rindex('class="form-row', 0, row_start) : row_start + 2000]
    assert 'name="title_en"' in row


def test_an_organiser_adds_a_session_with_interpretation(client, organiser):
    edition = make_edition()
    response = client.post(
        "/admin/editions/session/add/",
        {
            "edition": edition.pk,
            "kind": "workshop",
            "title_fr": "Atelier climat",
            "title_en": "Climate workshop",
            "starts_at_0": "2027-11-04",
            "starts_at_1": "14:00",
            "ends_at_0": "2027-11-04",
            "ends_at_1": "15:30",
            "capacity": "30",
            "registration_required": "on",
            "interpretation_languages": ["fr", "es"],
            "appearances-TOTAL_FORMS": "0",
            "appearances-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get(title_en="Climate workshop")
    assert session.interpretation_languages == ["fr", "es"]
    assert session.starts_at.isoformat() == "2027-11-04T13:00:00+00:00"  # entered in Paris time


def test_a_session_ending_before_it_starts_is_refused_with_a_message(client, organiser):
    edition = make_edition()
    response = client.post(
        "/admin/editions/session/add/",
        {
            "edition": edition.pk, "kind": "plenary", "title_fr": "A", "title_en": "A",
            "starts_at_0": "2027-11-04", "starts_at_1": "14:00",
            "ends_at_0": "2027-11-04", "ends_at_1": "13:00",
            "appearances-TOTAL_FORMS": "0", "appearances-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Une séance doit finir après avoir commencé." in response.content.decode()
    assert not Session.objects.exists()


def test_every_admin_list_opens(client, organiser):
    make_edition()
    for model in ["edition", "session", "speaker", "venue", "page"]:
        assert client.get(f"/admin/editions/{model}/").status_code == 200
        assert client.get(f"/admin/editions/{model}/add/").status_code == 200
