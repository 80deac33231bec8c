"""The blank registration form, rendered once per state of what it shows (form_page.py): it
changes as soon as what it shows changes, carries each visitor's own tokens, and is never
the page of someone logged in, invited or sent back with errors."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from rencontres.fees.models import Extra
from rencontres.registration import form_page
from rencontres.registration.models import Category

from .factories import category, form_data, form_token, open_edition, registered, workshop

pytestmark = pytest.mark.django_db
URL = "/en/register/"


@pytest.fixture
def edition():
    return open_edition()


def tokens(html):
    return (
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1],
        re.search(r'name="form_token" value="([^"]+)"', html)[1],
    )


def test_a_second_visit_renders_nothing_and_reads_only_the_edition_and_the_cache(
    edition, django_assert_max_num_queries, monkeypatch
):
    Client().get(URL)
    rendered = []
    monkeypatch.setattr(form_page, "keep", lambda *args: rendered.append(args))
    with django_assert_max_num_queries(6):
        assert Client().get(URL).status_code == 200
    assert rendered == []


def test_every_visitor_gets_their_own_tokens_and_they_work(edition, settings):
    settings.REGISTRATION_MIN_SECONDS = 0
    first, second = Client(), Client(enforce_csrf_checks=True)
    one, two = first.get(URL).content.decode(), second.get(URL).content.decode()
    assert form_page.CSRF_MARK not in two and form_page.FORM_TOKEN_MARK not in two
    assert tokens(one)[0] != tokens(two)[0] and tokens(one)[1] != tokens(two)[1]
    csrf, token = tokens(two)  # the cached page's, with the cookie it set: they register
    data = {**form_data(edition), "csrfmiddlewaretoken": csrf, "form_token": token}
    assert second.post(URL, data)["Location"] == "/en/register/sent/"


def test_places_taken_show_at_once_on_the_next_visit(edition):
    session = workshop(edition, capacity=3, title_en="Water workshop")
    assert "3 places left" in Client().get(URL).content.decode()
    registered(edition, sessions=[session])
    assert "2 places left" in Client().get(URL).content.decode()


def test_places_are_read_again_after_a_few_seconds_when_so_set(edition, settings, monkeypatch):
    settings.REGISTRATION_FORM_STATE_SECONDS = 2
    session = workshop(edition, capacity=3, title_en="Water workshop")
    assert "3 places left" in Client().get(URL).content.decode()
    registered(edition, sessions=[session])
    assert "3 places left" in Client().get(URL).content.decode()  # a few seconds late
    form_page.cache.clear()  # the seconds are over
    assert "2 places left" in Client().get(URL).content.decode()


def test_what_organisers_change_shows_on_the_next_visit(edition):
    Client().get(URL)
    Category.objects.filter(pk=category(edition).pk).update(name_en="Mayor or deputy")
    assert "Mayor or deputy" in Client().get(URL).content.decode()
    Extra.objects.create(edition=edition, name_fr="Dîner", name_en="Partners' dinner",
                         price_cents=4500, currency="EUR", capacity=10)  # fmt: skip
    assert "Partners&#x27; dinner" in Client().get(URL).content.decode()
    edition.theme_en = "Territorial diplomacy: new ways"
    edition.save()
    assert "Territorial diplomacy: new ways" in Client().get(URL).content.decode()


def test_each_language_has_its_own_page(edition):
    assert 'lang="en"' in Client().get(URL).content.decode()
    assert 'lang="fr"' in Client().get("/fr/register/").content.decode()
    assert 'lang="en"' in Client().get(URL).content.decode()


def test_a_closed_registration_shows_at_once(edition):
    import datetime

    from django.utils import timezone

    Client().get(URL)
    edition.registration_closes_at = timezone.now() - datetime.timedelta(days=1)
    edition.save()
    html = Client().get(URL).content.decode()
    assert 'name="form_token"' not in html


def test_a_logged_in_organiser_and_a_form_with_errors_are_never_the_shared_page(
    edition, monkeypatch
):
    kept = []
    monkeypatch.setattr(form_page, "keep", lambda key, response: kept.append(key))
    organiser = Client()
    organiser.force_login(get_user_model().objects.create_user("maud", password="x" * 12))
    organiser.get(URL)
    sent = Client().post(URL, {**form_data(edition), "email": "not an address",
                                "form_token": form_token()})  # fmt: skip
    assert sent.status_code == 200 and "not an address" in sent.content.decode()
    assert kept == []
    Client().get(URL)
    assert len(kept) == 1
