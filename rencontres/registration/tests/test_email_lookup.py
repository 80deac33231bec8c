"""Finding a registration by its address: whatever the case, and through the index of the
unique constraint on (Lower(email), edition) (Registration.objects.with_email)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rencontres.registration.models import Registration

from .factories import open_edition, registered

pytestmark = pytest.mark.django_db


def test_an_address_is_found_whatever_its_case():
    edition = open_edition()
    awa = registered(edition, email="awa@example.org")
    Registration.objects.filter(pk=awa.pk).update(email="Awa.Ndiaye@Example.org")  # as typed
    jon = registered(edition, email="jon@example.org")
    people = Registration.objects.filter(edition=edition)
    assert list(people.with_email("awa.ndiaye@example.ORG")) == [awa]
    assert set(people.with_email("AWA.NDIAYE@example.org", "Jon@Example.org")) == {awa, jon}
    assert not people.with_email("awa@example.org").exists()


def test_the_lookup_compares_the_lowered_address_as_the_index_does():
    with CaptureQueriesContext(connection) as queries:
        list(Registration.objects.filter(edition_id=1).with_email("A@B.org"))
    sql = queries[-1]["sql"]
    assert 'LOWER("registration_registration"."email")' in sql and "UPPER" not in sql
