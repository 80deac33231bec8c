"""Every page of the back-office and the check-in desk, opened by an organiser in Chromium,
passes axe-core at 1280 px and on a 360 px phone, where nothing sticks out sideways. The pages
are the routes of the access table (tests/test_access_control.py) that answer an organiser's
GET with a page, so a new back-office page is swept as soon as it has its row there.

The browser reaches Django through the test client (Playwright's routing): the pages read the
cast in the test's own transaction, on SQLite and PostgreSQL alike, and static files come
from the finders, as `runserver` serves them."""

import contextvars
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from rencontres.editions.tests.test_browser import check

from .test_access_control import FILE_ROUTES, ROUTES, client_for, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
ORIGIN = "http://testserver"
PAGES = sorted(
    name
    for name, row in ROUTES.items()
    if name.split(":")[0] in ("backoffice", "onsite", "followup", "api_pages")
    and row.get.get("organiser") == 200
    and name not in FILE_ROUTES
    and not name.endswith(("_status", "_json"))  # what the pages' scripts poll
    and not name.startswith("onsite:api_")  # the desk's JSON
)


@pytest.fixture
def organisers_browser(browser_page, cast):
    client = client_for(cast, "organiser")
    # Playwright calls `answer` in a greenlet of its own, whose context would open a new
    # connection (an empty in-memory database): it runs in a copy of the test's instead.
    test_context = contextvars.copy_context()

    def answer(route, request):
        url = urlsplit(request.url)
        if url.path.startswith(settings.STATIC_URL):
            found = finders.find(url.path.removeprefix(settings.STATIC_URL))
            return route.fulfill(path=found) if found else route.fulfill(status=404)
        path = f"{url.path}?{url.query}" if url.query else url.path
        if request.method == "GET":
            response = test_context.run(client.get, path)
        else:  # a page's script posting: nothing is changed for the sweep
            return route.fulfill(status=204)
        route.fulfill(status=response.status_code, headers=dict(response.items()),
                      body=response.content)  # fmt: skip

    browser_page.route(f"{ORIGIN}/**", answer)
    return browser_page


def test_the_sweep_covers_the_back_office():
    assert len(PAGES) > 30
    assert {"backoffice:home", "backoffice:registration", "backoffice:invoices"} <= set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_every_back_office_page_passes_axe_on_a_desktop_and_a_phone(organisers_browser, cast, name):
    page = organisers_browser
    response = page.goto(ORIGIN + url_for(name, ROUTES[name], cast, "organiser"))
    assert response.status == 200, name
    assert response.headers["content-type"].startswith("text/html"), name
    check(page)
