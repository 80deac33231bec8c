"""Forty doors scanning the same badge at the same instant, on PostgreSQL: one check-in."""

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
