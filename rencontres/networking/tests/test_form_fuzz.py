"""Random and hostile input thrown at the networking forms and the directory's search: a page
or a redirect, never an error, and nothing typed comes back as markup."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rencontres.registration.tests.test_form_fuzz import HOSTILE

from .factories import open_edition, person

VALUE = st.one_of(HOSTILE, st.text(max_size=40), st.lists(HOSTILE, max_size=3))
FORMS = {
    "profile": ["directory_opt_in", "about", "themes", "countries", "regions", "languages",
                "accepts_requests", "show_about"],
    "post_new": ["kind", "title", "text", "themes", "countries"],
    "availability": ["unavailable"],
}  # fmt: skip
SEARCH = ["q", "theme", "country", "kind", "language", "show", "page"]


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    from rencontres.registration.models import Organisation

    with django_db_blocker.unblock():
        before = set(Organisation.objects.values_list("pk", flat=True))
        edition = open_edition(number=78)
        alice, bob = person(edition, "Alice"), person(edition, "Bob")
        yield edition, alice, bob
        # Made outside the tests' transactions: take everything away for the next modules.
        edition.registrations.all().delete()
        edition.categories.all().delete()
        edition.delete()
        Organisation.objects.exclude(pk__in=before).delete()


def url(registration, name, *args):
    return reverse(f"networking:{name}", args=[registration.public_id, registration.secret, *args])


def assert_safe(response):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(form=st.sampled_from(sorted(FORMS)), data=st.data())
def test_any_form_input_gets_a_page_never_an_error(client, people, form, data):
    _edition, alice, _bob = people
    changes = data.draw(st.dictionaries(st.sampled_from(FORMS[form]), VALUE, max_size=6))
    assert_safe(client.post(url(alice, form), changes))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(message=VALUE, delegation=VALUE)
def test_any_meeting_request_gets_a_page_never_an_error(client, people, message, delegation):
    _edition, alice, bob = people
    response = client.post(url(alice, "person", bob.profile.pk),
                           {"message": message, "with_delegation": delegation})  # fmt: skip
    assert_safe(response)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(filters=st.dictionaries(st.sampled_from(SEARCH), VALUE, max_size=5))
def test_any_search_gets_a_page_never_an_error(client, people, filters):
    _edition, alice, _bob = people
    assert_safe(client.get(url(alice, "directory"), filters))
