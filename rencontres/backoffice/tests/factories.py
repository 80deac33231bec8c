"""A team member with a role for an edition."""

import itertools

from django.contrib.auth.models import User

from rencontres.models import Membership

numbers = itertools.count(1)


def member(edition, role=Membership.Role.ORGANISER, username=None):
    user = User.objects.create_user(username or f"member{next(numbers)}", password="pw")
    if role:
        Membership.objects.create(user=user, edition=edition, role=role)
    return user


def one_of_each_status(edition):
    """{status: registration}: one person of each status, and one erased (a past edition's
    participant keeps the status "confirmed")."""
    from rencontres.privacy.services.erasure import erase_registrations
    from rencontres.registration import services
    from rencontres.registration.models import Registration
    from rencontres.registration.tests.factories import category, registered

    Status = Registration.Status
    press = category(edition, "press")
    people = {
        "confirmed": registered(edition, first_name="Confirmée"),
        "awaiting_approval": registered(edition, first_name="Presse", category=press),
        "waitlisted": registered(edition, first_name="Attente"),
        "awaiting_confirmation": registered(edition, first_name="Inconnue", confirm=False),
        "cancelled": registered(edition, first_name="Annulée"),
        "rejected": registered(edition, first_name="Refusée", category=press),
    }
    services.cancel(people["cancelled"])
    services.reject(people["rejected"], None)
    # Waiting for a place (set after the cancellation, which would have given them one).
    Registration.objects.filter(pk=people["waitlisted"].pk).update(status=Status.WAITLISTED)
    people["erased"] = registered(edition, first_name="Effacée")
    erase_registrations(Registration.objects.filter(pk=people["erased"].pk))
    for status, person in people.items():
        person.refresh_from_db()
        assert status == "erased" or person.status == status
    return people
