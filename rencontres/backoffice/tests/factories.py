"""A team member with a role for an edition."""

import itertools

from django.contrib.auth.models import User

from rencontres.backoffice.models import Membership

numbers = itertools.count(1)


def member(edition, role=Membership.Role.ORGANISER, username=None):
    user = User.objects.create_user(username or f"member{next(numbers)}", password="pw")
    if role:
        Membership.objects.create(user=user, edition=edition, role=role)
    return user
