"""Invitations hold personal data no registration points at until the person registers: their
e-mails and the imported lists are erased with the person, and purged with the edition only."""

import pytest

from rencontres.backoffice.models import InvitationImport
from rencontres.mail.models import OutgoingEmail
from rencontres.privacy.models import ErasureRequest
from rencontres.privacy.services import confirm_erasure, request_erasure
from rencontres.privacy.services.erasure import erase_invitations
from rencontres.registration import services
from rencontres.registration.models import Invitation
from rencontres.registration.tests.factories import details, open_edition

pytestmark = pytest.mark.django_db


def invite(edition, email, imported=None):
    invitation = Invitation.objects.create(
        edition=edition, email=email, first_name="Olga", last_name="Pangolin", language="en",
        imported_from=imported,
    )  # fmt: skip
    services.send_invitations(edition.pk)
    return invitation


def test_an_invited_person_erased_leaves_no_invitation_e_mail_nor_list_row(django_user_model):
    edition = open_edition()
    imported = InvitationImport.objects.create(
        edition=edition, filename="list.csv", rows=[{"email": "olga@example.ua", "row": 2}],
        skipped=[{"email": "olga@example.ua", "row": 3, "reason": "invited"}],
    )  # fmt: skip
    invitation = invite(edition, "olga@example.ua", imported)
    registration, _ = services.submit(
        edition, details(edition, email="olga@example.ua", last_name="Pangolin"),
        invitation=invitation,
    )  # fmt: skip
    email = OutgoingEmail.objects.get(template="invitation")
    assert email.registration == registration  # now the person's own e-mail

    erasure, _ = request_erasure(registration, ErasureRequest.Channel.EMAIL)
    confirm_erasure(erasure, django_user_model.objects.create_user("dpo"))
    email.refresh_from_db()
    assert email.recipient != "olga@example.ua" and "Olga" not in email.body_text
    imported.refresh_from_db()
    assert (imported.rows, imported.skipped) == ([], [])


def test_purging_an_edition_leaves_next_year_s_invitation_alone():
    past = open_edition(number=14)
    invite(past, "olga@example.ua")
    coming = open_edition(number=15)
    invite(coming, "olga@example.ua")
    erase_invitations(past)
    kept = OutgoingEmail.objects.get(template="invitation", context__edition_number=15)
    assert kept.recipient == "olga@example.ua" and kept.status == "pending"
    gone = OutgoingEmail.objects.exclude(pk=kept.pk).get(template="invitation")
    assert gone.recipient != "olga@example.ua" and gone.context == {}


def test_the_admin_log_names_an_erased_person_by_id_only(django_user_model):
    from django.contrib.admin.models import CHANGE, LogEntry

    from rencontres.registration.tests.factories import registered

    edition = open_edition()
    person = registered(edition, first_name="Zéphyrine", last_name="Quartermaine")
    user = django_user_model.objects.create_user("chief")
    LogEntry.objects.log_actions(user.pk, [person], CHANGE, "[]", single_object=True)
    erasure, _ = request_erasure(person, ErasureRequest.Channel.EMAIL)
    confirm_erasure(erasure, user)
    assert LogEntry.objects.get().object_repr == f"#{person.pk}"


def test_an_erased_person_s_name_and_message_leave_the_others_e_mails(django_user_model):
    from rencontres.networking import services as networking
    from rencontres.registration.tests.factories import registered

    edition = open_edition()
    zephyrine = registered(edition, first_name="Zéphyrine", directory_opt_in=True)
    bob = registered(edition, first_name="Bob", directory_opt_in=True)
    for person in (zephyrine, bob):
        networking.save_profile(person, {"themes": [], "languages": ["fr"]})
    networking.request_meeting(zephyrine, bob, "Message Capybara")
    to_bob = OutgoingEmail.objects.get(template="meeting_requested", registration=bob)
    assert "Zéphyrine" in to_bob.body_text
    erasure, _ = request_erasure(zephyrine, ErasureRequest.Channel.EMAIL)
    confirm_erasure(erasure, django_user_model.objects.create_user("dpo"))
    to_bob.refresh_from_db()
    assert "Zéphyrine" not in to_bob.body_text + to_bob.subject + str(to_bob.context)
    assert "Capybara" not in to_bob.body_text
    assert to_bob.recipient == bob.email  # Bob's own address stays
