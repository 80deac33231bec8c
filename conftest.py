"""Fixtures shared by every app's tests: uploads and private files in temporary folders, and
the browser."""

import threading
import time

import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` (concurrent writers and row locks) run on PostgreSQL only:
    SQLite serialises writers, so they would prove nothing there. CI runs them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="concurrent writers need PostgreSQL (CI runs this on it)")
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def registration_form_state_read_every_time(settings):
    """Places left are shown a few seconds late in production (REGISTRATION_FORM_STATE_SECONDS);
    a test that takes a place and reloads the form sees it at once (one test sets it back)."""
    settings.REGISTRATION_FORM_STATE_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_cache():
    """Database ids come back after a rollback: no cached page may outlive its test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """A request through the test client leaves its language active in the thread: each test
    starts from the default one, whatever the test before it asked for."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """The test speaks English (`pytest.mark.usefixtures("english")`): URLs reversed under
    /en/, texts read in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def playwright():
    """One Playwright per test run (its sync API cannot be started twice in a thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def chromium(playwright):
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def browser_page(request, chromium):
    """A fresh page (own cookies) at desktop width; tests resize it for phones. The test fails
    if any page it opened broke the Content Security Policy.

    The live server (and the database it serves) is set up before the page and so torn down
    after it: a page still polling (the check-in desk refreshes its list) must be closed before
    the tables are flushed, or its request and the flush fight over the rows (a deadlock on
    PostgreSQL that left the next test with the last one's edition)."""
    from rencontres.editions.tests.test_browser import assert_no_csp_violations, watch_csp

    for server in ("live_server", "served"):
        if server in request.fixturenames:
            request.getfixturevalue(server)
    if "live_server" in request.fixturenames:
        one_request_at_a_time_on_a_shared_connection(request.getfixturevalue("live_server"))

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    watch_csp(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    try:
        if not page.is_closed():
            assert_no_csp_violations(page)
    finally:
        context.close()
        wait_for_requests_in_flight()


def one_request_at_a_time_on_a_shared_connection(live_server):
    """On SQLite in memory, the live server's request threads share the test's one connection:
    two requests at once (a double click) both open a transaction on it and the second fails
    with "cannot start a transaction within a transaction", which no real server does (each
    thread has its own connection there, and the database's lock makes them wait). Let them
    take turns, as SQLite's lock would; the second request of a double click still comes, after
    the first, and must still create nothing twice. PostgreSQL's live server keeps real
    concurrency."""
    thread = live_server.thread
    if not thread.connections_override or getattr(thread.httpd, "takes_turns", False):
        return
    app, turn = thread.httpd.get_app(), threading.Lock()

    def taking_turns(environ, start_response):
        with turn:
            return list(app(environ, start_response))

    thread.httpd.set_app(taking_turns)
    thread.httpd.takes_turns = True


def wait_for_requests_in_flight(timeout=10):
    """Closing the page does not stop what the server is doing for it: a request it sent last
    (the desk sends its queue when the network returns) may still be writing when the tables
    are flushed, and the flush fails (a foreign key, or a deadlock on PostgreSQL) and leaves
    the next test with this one's rows. Wait for the live server's request threads to end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [t for t in threading.enumerate() if "process_request_thread" in t.name]
        if not busy:
            return
        time.sleep(0.02)
