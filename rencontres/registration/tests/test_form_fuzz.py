"""Random and hostile input thrown at the registration form: never an error page."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rencontres.registration.models import Registration

from .factories import form_data, form_token, open_edition

HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "'; DROP TABLE registration_registration; --", "\x00",
    "a\r\nBcc: victim@example.org", "ＡＢＣ", "𝕏" * 300, "", " ", "0" * 10000, "%s%n",
    "../../etc/passwd",
    "١٢٣", "Ὀδυσσεύς", "\u202eevil", "2A004", "+33 6 12 34 56 78", "999999999999999999999",
])  # fmt: skip
VALUE = st.one_of(HOSTILE, st.text(max_size=60))
FIELDS = ["first_name", "last_name", "email", "phone", "job_title", "category", "language",
          "organisation_name", "organisation_kind", "organisation_country",
          "organisation_identifier", "days", "sessions", "access_needs", "diet", "diet_details",
          "passport_name", "privacy", "directory_opt_in", "website"]  # fmt: skip


@pytest.fixture(scope="module")
def edition(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        edition = open_edition(number=77)
        yield edition
        Registration.objects.filter(edition=edition).delete()
        edition.categories.all().delete()
        edition.delete()


@pytest.mark.django_db
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(changes=st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=8))
def test_any_input_gets_a_page_never_an_error(client, edition, changes):
    data = form_data(edition, form_token=form_token(), **changes)
    response = client.post("/en/register/", data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html
    for registration in Registration.objects.filter(edition=edition):
        assert "\n" not in registration.email and "\r" not in registration.first_name
