"""A person downloads everything held about them; an organiser can do it for them."""

import json

import pytest
from django.urls import reverse

from rencontres.backoffice.tests.factories import member
from rencontres.models import AuditEntry
from rencontres.registration.tests.factories import open_edition

from .factories import zephyrine
from .test_registry import models_pointing_at_registrations

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def data_url(person, name="privacy:data_json"):
    return reverse(name, args=[person.public_id, person.secret])


def test_the_export_has_a_section_with_rows_for_every_model_that_points_at_a_registration(
    client, edition
):
    person = zephyrine(edition)
    response = client.get(data_url(person))
    assert response["Content-Type"].startswith("application/json")
    export = json.loads(response.content)
    sections = {section["model"]: section for section in export["sections"]}
    for model in models_pointing_at_registrations():
        label = model._meta.label
        assert label in sections, f"{label} is missing from the export"
        assert sections[label]["rows"], f"{label}: the person's rows are missing"
    registration = sections["registration.Registration"]["rows"][0]
    assert registration["passport_name"] == "QUARTERMAINE Zephyrine Olga"
    assert registration["access_needs"] == "Rampe Wombat"
    assert "secret" not in registration  # the link's secret is a credential, not information
    text = response.content.decode()
    for words in ("Projets Ornithorynque", "Offre Pangolin", "Message Capybara",
                  "Bonjour Quartermaine"):  # fmt: skip
        assert words in text


def test_who_blocked_the_person_is_not_in_their_export(client, edition):
    from rencontres.networking.services import block
    from rencontres.registration.tests.factories import registered

    person = zephyrine(edition)
    stalker = registered(edition, first_name="Mallory")
    block(stalker, person)  # someone else's choice: not disclosed
    export = json.loads(client.get(data_url(person)).content)
    blocks = next(s for s in export["sections"] if s["model"] == "networking.Block")
    assert all("Mallory" not in json.dumps(row) for row in blocks["rows"])


def test_the_readable_page_shows_the_same_data(client, edition):
    person = zephyrine(edition)
    html = client.get(data_url(person, "privacy:data")).content.decode()
    assert "QUARTERMAINE Zephyrine Olga" in html and "Offre Pangolin" in html
    assert html.count('class="data-section"') == len(models_pointing_at_registrations())


def test_a_wrong_secret_opens_nothing(client, edition):
    person = zephyrine(edition)
    url = reverse("privacy:data_json", args=[person.public_id, "x" * 43])
    assert client.get(url).status_code == 404


def test_an_organiser_exports_for_a_request_by_post_and_the_audit_log_says_so(client, edition):
    person = zephyrine(edition)
    client.force_login(member(edition))
    url = reverse("backoffice:privacy:data_json", args=[edition.number, person.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"Quartermaine" in response.content
    entry = AuditEntry.objects.get(action="personal_data_export")
    assert entry.details == {"registration": person.pk, "format": "json"}


@pytest.mark.parametrize("role", ["staff", "check_in", "viewer"])
def test_other_roles_cannot_open_the_privacy_pages(client, edition, role):
    person = zephyrine(edition)
    client.force_login(member(edition, role=role))
    for url in (
        reverse("backoffice:privacy:requests", args=[edition.number]),
        reverse("backoffice:privacy:data_json", args=[edition.number, person.pk]),
        reverse("backoffice:privacy:person", args=[edition.number, person.pk]),
    ):
        assert client.get(url).status_code == 403
