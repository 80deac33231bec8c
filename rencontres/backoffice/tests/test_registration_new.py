"""A registration added by the team (someone who phoned): after the deadline, with or without
an e-mail to the person, a duplicate address told next to its field, a double click making
one registration."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rencontres.editions.tests.test_browser import check, log_in
from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.privacy.models import ConsentRecord
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import (
    category,
    form_data,
    open_edition,
    registered,
    workshop,
)

from .factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def closed(edition):
    edition.registration_closes_at = timezone.now() - datetime.timedelta(days=1)
    edition.save()


def url_of(edition):
    return reverse("backoffice:registration_new", args=[edition.number])


def nonce_of(client, edition):
    html = client.get(url_of(edition)).content.decode()
    return re.search(r'name="form_nonce" value="([^"]+)"', html).group(1)


def team_data(client, edition, **fields):
    data = form_data(edition, form_nonce=nonce_of(client, edition), **fields)
    for public_only in ("privacy", "website", "form_token"):
        data.pop(public_only)
    return data


def test_after_the_deadline_the_person_gets_a_place_and_one_e_mail_with_their_link(client):
    edition = open_edition()
    session = workshop(edition, capacity=5)
    closed(edition)
    client.force_login(member(edition, "staff", username="karim"))
    data = team_data(client, edition, sessions=[session.pk], send_email="on",
                     directory_opt_in="on")  # fmt: skip
    response = client.post(url_of(edition), data)
    person = Registration.objects.get(edition=edition, email="awa.ndiaye@example.sn")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "backoffice:registration", args=[edition.number, person.pk]
    )
    assert person.status == Registration.Status.CONFIRMED and person.email_confirmed_at
    assert person.choices.get().status == "confirmed"
    assert person.privacy_notice_version.startswith("organiser:")
    assert person.directory_opt_in is False  # the person's to give, never the team's
    records = ConsentRecord.objects.filter(registration=person)
    assert [(r.consent, r.source) for r in records] == [("privacy_notice", "organiser")]
    emails = OutgoingEmail.objects.filter(registration=person)
    assert [e.template for e in emails] == ["registration_confirmed"]
    assert person.secret in str(emails.get().context)
    assert person.events.filter(action="added_by_organiser", actor__username="karim").exists()
    assert AuditEntry.objects.filter(action="registration_added").count() == 1


def test_without_the_box_ticked_nothing_is_e_mailed(client):
    edition = open_edition()
    closed(edition)
    client.force_login(member(edition))
    data = team_data(client, edition, category=category(edition, "press").pk)
    response = client.post(url_of(edition), data)
    assert response.status_code == 302
    person = Registration.objects.get(edition=edition)
    # Approval as usual, and not a word to the person.
    assert person.status == Registration.Status.AWAITING_APPROVAL
    assert OutgoingEmail.objects.count() == 0


def test_the_box_is_ticked_when_the_form_opens(client):
    edition = open_edition()
    client.force_login(member(edition))
    html = client.get(url_of(edition)).content.decode()
    assert re.search(r'<input type="checkbox" name="send_email"[^>]* checked', html)
    assert 'name="privacy"' not in html and 'name="directory_opt_in"' not in html


def test_an_address_already_registered_is_told_next_to_the_field_with_a_link(client):
    edition = open_edition()
    earlier = registered(edition, email="awa.ndiaye@example.sn", first_name="Awa")
    client.force_login(member(edition))
    before = OutgoingEmail.objects.count()
    data = team_data(client, edition, email="Awa.Ndiaye@example.sn", job_title="Adjointe")
    response = client.post(url_of(edition), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This address is already registered for this edition." in html
    assert reverse("backoffice:registration", args=[edition.number, earlier.pk]) in html
    assert 'value="Adjointe"' in html  # nothing typed is lost
    assert Registration.objects.filter(edition=edition).count() == 1
    assert OutgoingEmail.objects.count() == before


def test_a_double_click_makes_one_registration(client):
    edition = open_edition()
    client.force_login(member(edition))
    data = team_data(client, edition, send_email="on")
    first = client.post(url_of(edition), data)
    second = client.post(url_of(edition), data)
    assert Registration.objects.filter(edition=edition).count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert OutgoingEmail.objects.count() == 1


def test_a_role_without_passports_is_not_asked_for_one(client):
    edition = open_edition()
    client.force_login(member(edition, "staff"))
    html = client.get(url_of(edition)).content.decode()
    assert 'name="passport_name"' not in html and 'name="diet"' in html
    response = client.post(url_of(edition), team_data(client, edition))
    assert response.status_code == 302
    assert Registration.objects.get(edition=edition).passport_name == ""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_adds_someone_who_phoned(browser_page, live_server):
    edition = open_edition()
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/registrations/")
    page.get_by_role("link", name="Add a registration").click()
    check(page)
    page.goto(page.url.replace("/en/", "/fr/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Ajouter une inscription"
    check(page)
    page.goto(page.url.replace("/fr/", "/en/"))
    page.get_by_label("First name").fill("小明")
    page.get_by_label("Last name").fill("王")
    page.get_by_label("E-mail", exact=True).fill("xiaoming@example.cn")
    page.get_by_label("Job title").fill("副市长")
    page.get_by_label("Category").select_option(label="Elected official")
    page.get_by_label("English").check()
    page.get_by_label("Organisation", exact=True).fill("成都市人民政府")
    page.get_by_label("Kind of organisation").select_option(value="foreign_authority")
    page.get_by_label("Country of the organisation").select_option(value="CN")
    page.get_by_role("button", name="Save the registration").click()
    assert page.get_by_role("heading", level=1).inner_text() == "小明 王"
    person = Registration.objects.get(email="xiaoming@example.cn")
    assert person.status == Registration.Status.CONFIRMED
    assert OutgoingEmail.objects.filter(registration=person).count() == 1
