"""The team replaces a delegation member who cannot come, from the member's page, after the
deadline too: the same service as the head's (the place and its sessions pass on, the new
person confirms their own address), written in the audit log and in both people's history
with the team member's name."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rencontres.forms import new_page_nonce
from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.registration import services
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import delegation, open_edition, registered, workshop

from .factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Registration.Status


def confirmed_member(edition, sessions=()):
    head = services.confirm_address(delegation(edition, members=1, sessions=sessions))
    person = head.delegation.members.exclude(pk=head.pk).get()
    return head, services.confirm_address(person)


def replace_url(person):
    return reverse("backoffice:registration_replace", args=[person.edition.number, person.pk])


def page_url(person):
    return reverse("backoffice:registration", args=[person.edition.number, person.pk])


def new_person(**fields):
    return {"first_name": "Zoé", "last_name": "Roy", "email": "zoe.roy@example.org",
            "job_title": "Adviser", "language": "en",
            "form_nonce": new_page_nonce("replacement"), **fields}  # fmt: skip


def test_an_organiser_replaces_a_member_after_the_deadline(client):
    edition = open_edition()
    session = workshop(edition, capacity=2)
    _head, person = confirmed_member(edition, sessions=[session])
    edition.registration_closes_at = timezone.now() - datetime.timedelta(days=1)
    edition.save()
    organiser = member(edition, "organiser")
    organiser.first_name, organiser.last_name = "Claire", "Moreau"
    organiser.save()
    client.force_login(organiser)
    assert "Replace with someone else" in client.get(page_url(person)).content.decode()
    data = new_person()
    response = client.post(replace_url(person), data)
    new = Registration.objects.get(email="zoe.roy@example.org")
    assert response.status_code == 302 and response["Location"] == page_url(new)
    person.refresh_from_db()
    assert person.status == Status.CANCELLED and new.replaces == person
    assert new.place_held_until is not None and new.choices.get().status == "confirmed"
    assert new.privacy_notice_version.startswith("organiser:")
    assert OutgoingEmail.objects.filter(recipient=new.email, template="member_confirm_address")
    to_old = OutgoingEmail.objects.get(recipient=person.email, template="cancelled")
    assert "Les organisateurs ont donné votre place dans votre délégation" in to_old.body_text
    entry = AuditEntry.objects.get(action="registration_replaced")
    assert entry.user == organiser
    assert entry.details == {"registration": person.pk, "replacement": new.pk}
    # Both histories say what happened, who did it, and name the other person.
    old_page = client.get(page_url(person)).content.decode()
    history = old_page[old_page.index('class="history"') :]
    assert re.search(r"Replaced by someone else in the delegation <span class=\"muted\">\(by "
                     r"Claire Moreau\)</span><br><span class=\"muted\">replaced by: Zoé Roy",
                     history)  # fmt: skip
    new_page = client.get(page_url(new)).content.decode()
    history = new_page[new_page.index('class="history"') :]
    assert f"in place of: {person.full_name}" in history
    # The form sent again makes nobody more, and the one replaced is replaced no more.
    client.post(replace_url(person), data)
    assert Registration.objects.filter(email="zoe.roy@example.org").count() == 1
    assert "Replace with someone else" not in old_page


def test_the_team_is_told_when_the_address_is_registered_already(client):
    edition = open_edition()
    _head, person = confirmed_member(edition)
    known = registered(edition, email="known@example.org")
    client.force_login(member(edition, "staff"))
    response = client.post(replace_url(person), new_person(email="known@example.org"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This address is already registered for this edition." in html
    assert page_url(known) in html
    assert Registration.objects.get(pk=person.pk).status == Status.CONFIRMED


def test_a_head_and_a_person_outside_any_delegation_are_not_replaced_here(client):
    edition = open_edition()
    head, _person = confirmed_member(edition)
    alone = registered(edition)
    client.force_login(member(edition, "organiser"))
    for who in (head, alone):
        assert "Replace with someone else" not in client.get(page_url(who)).content.decode()
        response = client.post(replace_url(who), new_person(), follow=True)
        assert "Only a member of a delegation" in response.content.decode()
    assert not Registration.objects.filter(email="zoe.roy@example.org").exists()


def test_the_heads_actions_show_in_the_members_history_as_theirs(client):
    edition = open_edition()
    head, person = confirmed_member(edition)
    services.remove_member(person, head=head)
    client.force_login(member(edition, "staff"))
    html = client.get(page_url(person)).content.decode()
    history = html[html.index('class="history"') :]
    assert re.search(r"Removed from the delegation <span class=\"muted\">\(by the head of "
                     r"delegation\)", history)  # fmt: skip
