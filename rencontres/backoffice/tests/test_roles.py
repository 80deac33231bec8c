"""The menu shows each role only what it may open (what each URL answers to each role is
tests/test_access_control.py's table)."""

import pytest
from django.urls import reverse

from rencontres.registration.tests.factories import open_edition, registered

from .factories import member

pytestmark = pytest.mark.django_db

MENU = {  # the link each page's menu shows, by URL name: the roles that may open it
    "backoffice:registrations": {"organiser", "staff"},
    "networking:organiser": {"organiser"},
    "onsite:badges": {"organiser"},
    "onsite:certificates": {"organiser"},
    "onsite:desk": {"organiser", "staff", "check_in"},
    "backoffice:audit": {"organiser"},
    "backoffice:invitations": {"organiser"},
}


@pytest.fixture
def edition():
    edition = open_edition()
    registered(edition)
    return edition


@pytest.mark.parametrize("role", ["organiser", "staff", "viewer"])
def test_the_menu_shows_only_what_the_role_may_open(client, edition, role):
    client.force_login(member(edition, role))
    page = client.get(reverse("backoffice:home", args=[edition.number]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    for name, allowed in MENU.items():
        link = reverse(name, args=[edition.number])
        assert (link in html) == (role in allowed), (role, name)
