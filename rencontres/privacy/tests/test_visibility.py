"""Access needs and diet are seen by organisers and staff (welcome, catering), the passport
name by organisers only (invitation letters), in the admin as on the back-office pages."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rencontres.backoffice.tests.factories import member
from rencontres.registration.tests.factories import open_edition, registered

pytestmark = pytest.mark.django_db

SEEN = {  # role: which sensitive fields its admin page shows
    "organiser": {"access_needs", "diet", "diet_details", "passport_name", "passport_number",
                  "nationality", "date_of_birth"},
    "staff": {"access_needs", "diet", "diet_details"},
    "check_in": set(),
    "viewer": set(),
}  # fmt: skip
SENSITIVE = SEEN["organiser"]


def admin_user(edition, role):
    user = member(edition, role=role)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_registration", "change_registration"]))  # fmt: skip
    return user


@pytest.mark.parametrize("role", list(SEEN))
def test_the_admin_shows_sensitive_fields_only_to_the_roles_that_need_them(client, role):
    edition = open_edition()
    person = registered(edition, access_needs="Rampe", diet="vegan", passport_name="DOE Jane",
                        passport_number="XK7736021", nationality="SN",
                        date_of_birth=datetime.date(1984, 3, 9))  # fmt: skip
    client.force_login(admin_user(edition, role))
    response = client.get(reverse("admin:registration_registration_change", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {field for field in SENSITIVE if f'name="{field}"' in html}
    assert shown == SEEN[role]
    assert ("DOE Jane" in html) == ("passport_name" in SEEN[role])
    assert ("XK7736021" in html) == ("passport_number" in SEEN[role])


def test_a_role_without_the_field_cannot_change_it_through_the_admin(client):
    edition = open_edition()
    person = registered(edition, passport_name="DOE Jane")
    client.force_login(admin_user(edition, "staff"))
    url = reverse("admin:registration_registration_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    assert "passport_name" not in form.fields
    data = {**form.initial, "passport_name": "SMITH John", "job_title": "Deputy mayor",
            "organisation": person.organisation_id, "category": person.category_id,
            "edition": edition.pk, "delegation": "", "days": '["' + '", "'.join(person.days) + '"]',
            "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0}  # fmt: skip
    data = {key: ("" if value is None else value) for key, value in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert (person.job_title, person.passport_name) == ("Deputy mayor", "DOE Jane")


def test_the_registrations_list_and_exports_never_show_sensitive_fields_to_staff(client):
    edition = open_edition()
    registered(edition, access_needs="Rampe Wombat", passport_name="DOE Jane")
    client.force_login(member(edition, role="staff"))
    html = client.get(reverse("backoffice:registrations", args=[edition.number])).content.decode()
    assert "DOE Jane" not in html and "Wombat" not in html
    export = reverse("backoffice:export_csv", args=[edition.number])
    assert client.get(export).status_code == 403


def test_the_history_records_that_a_sensitive_field_changed_but_not_its_value():
    from rencontres.registration.services import update_details

    edition = open_edition()
    person = registered(edition)
    update_details(person, {"passport_name": "DOE Jane", "job_title": "Mayor of Quux"})
    changes = person.events.get(action="details_changed").details["changes"]
    assert changes["passport_name"] == ["…", "…"]
    assert changes["job_title"] == ["Mayor", "Mayor of Quux"]
