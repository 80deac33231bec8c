"""Forty doors scanning the same badge at the same instant, on PostgreSQL: one check-in; and
certificates issued and e-mailed once whatever the clicks at the same instant."""

import pytest

from rencontres.onsite import services
from rencontres.onsite.models import CheckIn
from rencontres.onsite.tests.factories import running_edition
from rencontres.onsite.tokens import badge_token
from rencontres.registration.tests.factories import registered
from rencontres.registration.tests.test_concurrency import all_at_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_forty_simultaneous_scans_of_one_badge_record_one_check_in():
    edition = running_edition()
    person = registered(edition)
    token = badge_token(person)
    results = all_at_once(
        lambda door: services.check_in_token(edition, token, door=f"door {door}")[0],
        list(range(40)),
    )
    assert CheckIn.objects.count() == 1
    assert sorted(results) == ["already"] * 39 + ["ok"]


def test_organisers_sending_the_certificates_at_the_same_instant_send_each_once():
    from rencontres.mail.models import OutgoingEmail
    from rencontres.onsite import certificates

    edition = running_edition()
    people = [registered(edition) for _ in range(3)]
    for person in people:
        CheckIn.objects.create(registration=person, day=edition.starts_on)
    results = all_at_once(lambda _click: certificates.email_all(edition), list(range(8)))
    assert sum(results) == 3
    emails = OutgoingEmail.objects.filter(template="certificate_ready")
    assert sorted(emails.values_list("recipient", flat=True)) == sorted(p.email for p in people)


def test_two_downloads_at_the_same_instant_issue_one_certificate():
    from rencontres.onsite import certificates
    from rencontres.onsite.models import Certificate

    edition = running_edition()
    person = registered(edition)
    CheckIn.objects.create(registration=person, day=edition.starts_on)
    results = all_at_once(lambda _click: certificates.issue(person).pk, list(range(8)))
    assert len(set(results)) == 1 and Certificate.objects.count() == 1
