"""The back-office's own layout on every organiser and desk page: who is logged in, the
edition, the menu of the role with the current page marked, a search across the edition's
registrations, logout; none of the public site's menu and banners."""

import re

import pytest
from django.urls import reverse

from rencontres.editions.tests.test_browser import check, log_in
from rencontres.registration import services
from rencontres.registration.tests.factories import open_edition, registered

from .factories import member

PAGES = [  # URL name, the menu entry holding it
    ("backoffice:home", "Overview"),
    ("backoffice:registrations", "Registrations"),
    ("backoffice:mailing_new", "Registrations"),
    ("backoffice:invitations", "Invitations"),
    ("backoffice:audit", "Audit log"),
    ("backoffice:privacy:requests", "Personal data"),
    ("networking:organiser", "Bilateral meetings"),
    ("networking:table_plan", "Bilateral meetings"),
    ("onsite:badges", "Badges"),
    ("onsite:desk", "Check-in"),
    ("onsite:figures", "Check-in"),
]


def menu_of(html):
    nav = re.search(r'<nav class="shell-menu[^"]*"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return [
        (label, bool(current))
        for current, label in re.findall(r'<a href="[^"]+"( aria-current="page")?>([^<]+)</a>', nav)
    ]


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def edition(db):
    edition = open_edition()
    registered(edition, first_name="Awa", last_name="Ndiaye")
    return edition


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry"), PAGES)
def test_every_back_office_page_wears_the_shell(client, edition, name, entry):
    user = member(edition, "organiser", username="claire")
    user.first_name, user.last_name = "Claire", "Moreau"
    user.save()
    client.force_login(user)
    html = client.get(reverse(name, args=[edition.number]), HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    assert 'class="shell-header"' in html
    assert "Claire Moreau" in html and 'action="/en/organiser/logout/"' in html
    # None of the public site's header: its menu, its "registrations are open" bar.
    assert "main-nav" not in html and "status-bar" not in html
    menu = menu_of(html)
    assert [label for label, current in menu if current] == [entry], menu
    if name in ("backoffice:registrations", "onsite:desk"):
        assert 'id="shell-q"' not in html  # these pages have their own search
    else:
        assert 'id="shell-q"' in html


@pytest.mark.django_db
def test_a_check_in_agent_sees_only_the_desk_and_no_search(client, edition):
    client.force_login(member(edition, "check_in"))
    html = client.get(
        reverse("onsite:desk", args=[edition.number]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert menu_of(html) == [("Check-in", True)]
    assert "shell-search" not in html


@pytest.mark.django_db
def test_the_header_search_finds_anyone_by_name_or_by_their_private_link(client, edition):
    gone = registered(edition, first_name="Li", last_name="Wei", email="li.wei@example.cn")
    services.cancel(gone)
    client.force_login(member(edition, "staff"))
    home = client.get(reverse("backoffice:home", args=[edition.number]), HTTP_ACCEPT_LANGUAGE="en")
    form = re.search(r'<form class="shell-search"[^>]*action="([^"]+)"', home.content.decode())
    hidden = dict(
        re.findall(r'<input type="hidden" name="(status)" value="(\w+)">', home.content.decode())
    )
    assert hidden == {"status": "all"}  # a cancelled person is found too
    listing = client.get(form.group(1), {"q": "wei", **hidden})
    assert "Wei" in listing.content.decode() and "Ndiaye" not in listing.content.decode()
    link = f"https://rencontres.example.org/en/r/{gone.public_id}/some-secret/"
    listing = client.get(form.group(1), {"q": link, **hidden})
    assert "Wei" in listing.content.decode() and "Ndiaye" not in listing.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_finds_someone_from_any_page_and_every_page_passes_axe(
    browser_page, live_server
):
    edition = open_edition()
    registered(edition, first_name="Awa", last_name="Ndiaye")
    registered(edition, first_name="ليلى", last_name="بن علي", email="leila@example.tn")
    page = browser_page
    log_in(page, live_server, f"/en/organiser/{edition.number}/badges/")
    header = page.locator("header.shell-header")
    assert "organiser" in header.inner_text()
    assert page.get_by_role("link", name="Badges").get_attribute("aria-current") == "page"
    check(page)
    page.get_by_role("searchbox", name="Search the registrations").fill("علي")
    page.keyboard.press("Enter")
    page.wait_for_url("**/registrations/**")
    assert "بن علي" in page.locator("table").inner_text()
    assert "Ndiaye" not in page.locator("table").inner_text()
    for name in ("home", "registrations"):
        page.goto(f"{live_server.url}{reverse('backoffice:' + name, args=[edition.number])}")
        check(page)
    for path in (
        reverse("onsite:desk", args=[edition.number]),
        reverse("networking:organiser", args=[edition.number]),
        reverse("backoffice:audit", args=[edition.number]),
        reverse("backoffice:privacy:requests", args=[edition.number]),
    ):
        page.goto(live_server.url + path.replace("/en/", "/fr/"))
        check(page)
    # The phone's menu scrolls sideways and shows the current entry.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + reverse("backoffice:audit", args=[edition.number]))
    current = page.locator(".shell-menu a[aria-current]")
    box, strip = current.bounding_box(), page.locator(".shell-menu ul").bounding_box()
    assert box["x"] >= strip["x"] and box["x"] + box["width"] <= strip["x"] + strip["width"] + 1
