"""Each role reaches what it may, and is refused the rest by URL as well as by menu."""

import pytest
from django.urls import reverse

from rencontres.registration.tests.factories import open_edition, registered

from .factories import member

pytestmark = pytest.mark.django_db

PAGES = {  # URL name: the roles that may open it
    "backoffice:home": {"organiser", "staff", "viewer"},
    "backoffice:registrations": {"organiser", "staff"},
    "backoffice:export_csv": {"organiser"},
    "backoffice:export_xlsx": {"organiser"},
    "backoffice:audit": {"organiser"},
    "backoffice:invitations": {"organiser"},
    "backoffice:invitation_import": {"organiser"},
    "networking:organiser": {"organiser"},
    "networking:table_plan": {"organiser"},
    "onsite:badges": {"organiser"},
    "onsite:desk": {"organiser", "staff", "check_in"},
    "onsite:figures": {"organiser", "staff", "check_in"},
    "onsite:api_list": {"organiser", "staff", "check_in"},
}
MENU = {  # the link each page's menu shows, by URL name
    "backoffice:registrations": "Registrations",
    "backoffice:invitations": "Invitations",
    "networking:organiser": "Bilateral meetings",
    "onsite:badges": "Badges",
    "onsite:desk": "Check-in",
    "backoffice:audit": "Audit log",
}


@pytest.fixture
def edition():
    edition = open_edition()
    registered(edition)
    return edition


@pytest.mark.parametrize("role", ["organiser", "staff", "check_in", "viewer"])
def test_each_role_opens_its_pages_and_no_other(client, edition, role):
    client.force_login(member(edition, role))
    for name, allowed in PAGES.items():
        status = client.get(reverse(name, args=[edition.number])).status_code
        assert status == (200 if role in allowed else 403), (role, name, status)


@pytest.mark.parametrize("role", ["organiser", "staff", "viewer"])
def test_the_menu_shows_only_what_the_role_may_open(client, edition, role):
    client.force_login(member(edition, role))
    page = client.get(reverse("backoffice:home", args=[edition.number]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    for name, label in MENU.items():
        link = reverse(name, args=[edition.number])
        assert (link in html) == (role in PAGES.get(name, {"organiser"})), (role, name, label)


def test_anonymous_people_are_sent_to_the_login_and_other_editions_refused(client, edition):
    for name in PAGES:
        response = client.get(reverse(name, args=[edition.number]))
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(member(open_edition(number=16), "organiser"))
    for name in PAGES:
        assert client.get(reverse(name, args=[edition.number])).status_code == 403
