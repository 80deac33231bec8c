"""The public check of a certificate in Chromium: genuine, replaced and unknown references,
in French and English, axe-clean at desktop width and on a 360 px phone."""

import pytest
from playwright.sync_api import expect

from rencontres.editions.tests.test_browser import check
from rencontres.onsite import certificates
from rencontres.onsite.models import CheckIn
from rencontres.registration.tests.factories import open_edition, registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_verification_page_is_accessible_in_both_languages(browser_page, live_server):
    page = browser_page
    edition = open_edition()
    person = registered(edition, first_name="ليلى", last_name="بن علي")
    CheckIn.objects.create(registration=person, day=edition.starts_on)
    certificate = certificates.issue(person)
    page.goto(f"{live_server.url}/fr/certificates/{certificate.reference}/")
    expect(page.get_by_text("Cette attestation est authentique.")).to_be_visible()
    expect(page.get_by_text("ليلى بن علي")).to_be_visible()
    check(page)
    page.goto(f"{live_server.url}/en/certificates/{certificate.reference}/")
    expect(page.get_by_text("This certificate is genuine.")).to_be_visible()
    check(page)
    page.goto(f"{live_server.url}/en/certificates/{certificate.reference[:-2]}xx/")
    expect(page.get_by_text("This reference is not one of ours.")).to_be_visible()
    check(page)
