"""The public pages of an edition: what each shows, in each language."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rencontres.editions.models import Page, Partner, Session
from rencontres.registration.models import Category
from rencontres.registration.tests.factories import registered

from .factories import add_speaker, make_edition, make_room, make_session, make_speaker, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return make_edition(
        number=15,
        theme_en="Territorial diplomacy: the singularities of decentralised cooperation",
        expected_participants=1200,
        expected_countries=40,
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
        registration_closes_at=timezone.now() + datetime.timedelta(days=10),
    )


def test_home_shows_the_current_edition(client, edition):
    make_session(edition, kind=Session.Kind.PLENARY, title_en="Opening plenary")
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Territorial diplomacy: the singularities of decentralised cooperation" in html
    assert "Thursday 4 – Friday 5 November 2027" in html  # rencontres/dates.py
    assert "1200" in html and "participants expected" in html
    assert html.count("Registrations are open until") == 1  # in the hero, not twice
    assert "Opening plenary" in html


def test_home_is_in_french_under_fr(client, edition):
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr">' in html
    assert "jeudi 4 – vendredi 5 novembre 2027" in html
    assert "Les inscriptions sont ouvertes jusqu" in html


def test_home_shows_partners_logos_and_names(client, edition):
    Partner.objects.create(edition=edition, name="Agence de développement", kind="institutional")
    html = client.get("/en/").content.decode()
    assert "Institutional partners" in html and "Agence de développement" in html


def test_home_without_any_edition_says_so(client):
    response = client.get("/en/")
    assert response.status_code == 404
    assert "No edition yet" in response.content.decode()


def test_unpublished_editions_stay_hidden(client, edition):
    draft = make_edition(number=16, is_published=False, starts_on=datetime.date(2028, 11, 2),
                         ends_on=datetime.date(2028, 11, 3))  # fmt: skip
    assert client.get(f"/en/editions/{draft.number}/").status_code == 404
    assert "16th Meetings" not in client.get("/en/").content.decode()


def test_the_current_edition_is_the_latest_published(client, edition):
    make_edition(
        number=14, starts_on=datetime.date(2026, 11, 5), ends_on=datetime.date(2026, 11, 6)
    )
    assert "15th Meetings" in client.get("/en/").content.decode()


def test_programme_groups_sessions_by_day_and_time(client, edition):
    room = make_room(name="Salle Europe")
    make_session(edition, title_en="Day one workshop", room=room,
                 starts_at=paris(2027, 11, 4, 14), capacity=30, registration_required=True,
                 interpretation_languages=["fr", "en"])  # fmt: skip
    make_session(edition, title_en="Day two plenary", kind=Session.Kind.PLENARY,
                 starts_at=paris(2027, 11, 5, 9))  # fmt: skip
    html = client.get("/en/editions/15/programme/").content.decode()
    assert html.index("Thursday 4 November 2027") < html.index("Day one workshop")
    assert html.index("Day one workshop") < html.index("Friday 5 November 2027")
    assert html.index("Friday 5 November 2027") < html.index("Day two plenary")
    assert "14:00" in html and "Salle Europe" in html and "30 places" in html
    assert "French, English" in html
    assert "2 sessions" in html


def test_programme_filters_by_day_and_kind(client, edition):
    make_session(edition, title_en="Thursday workshop", starts_at=paris(2027, 11, 4, 14))
    make_session(edition, title_en="Friday workshop", starts_at=paris(2027, 11, 5, 14))
    make_session(edition, title_en="Friday plenary", kind=Session.Kind.PLENARY,
                 starts_at=paris(2027, 11, 5, 9))  # fmt: skip
    html = client.get("/en/editions/15/programme/?day=2027-11-05&kind=workshop").content.decode()
    assert "Friday workshop" in html
    assert "Thursday workshop" not in html and "Friday plenary" not in html
    assert "1 session" in html


def test_a_session_late_at_night_belongs_to_its_paris_day(client, edition):
    make_session(edition, title_en="Late reception", starts_at=paris(2027, 11, 4, 23, 30))
    html = client.get("/en/editions/15/programme/?day=2027-11-04").content.decode()
    assert "Late reception" in html


def test_a_bad_filter_gets_a_message_not_an_error(client, edition):
    make_session(edition, title_en="Any session")
    response = client.get("/en/editions/15/programme/?day=1999-01-01&kind=<script>")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Any session" in html  # the whole programme, unfiltered
    assert "<script>" not in html


def test_programme_needs_the_same_queries_whatever_its_size(client, edition):
    def count_queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/en/editions/15/programme/").status_code == 200
        return len(context.captured_queries)

    def add_sessions(count):
        for index in range(count):
            start = paris(2027, 11, 4 + index % 2, 9 + index % 8)
            session = make_session(edition, room=make_room(), starts_at=start)
            add_speaker(session)
            add_speaker(session, make_speaker(last_name=f"Speaker {index}"))

    add_sessions(3)
    few = count_queries()
    add_sessions(30)  # changes the programme: its cached part is rendered again
    assert count_queries() == few > 2


def test_a_cached_programme_is_served_without_querying_the_sessions(client, edition):
    make_session(edition, title_en="Cached workshop")
    client.get("/en/editions/15/programme/")
    with CaptureQueriesContext(connection) as context:
        assert "Cached workshop" in client.get("/en/editions/15/programme/").content.decode()
    assert not any("editions_session" in query["sql"] for query in context.captured_queries)


def test_changes_show_at_once_despite_the_cache(client, edition):
    session = make_session(edition, title_en="Before", room=make_room(name="Salle 1"))
    speaker = add_speaker(session, make_speaker(last_name="Old"))
    url = "/en/editions/15/programme/"
    assert "Before" in client.get(url).content.decode()
    session.title_en = "After"
    session.save()
    assert "After" in client.get(url).content.decode()
    speaker.last_name = "Renamed"
    speaker.save()
    assert "Renamed" in client.get(url).content.decode()
    session.room.name = "Salle 2"
    session.room.save()
    assert "Salle 2" in client.get(url).content.decode()
    add_speaker(session, make_speaker(last_name="Newcomer"))
    assert "Newcomer" in client.get(url).content.decode()
    session.delete()
    assert "After" not in client.get(url).content.decode()


def test_the_cache_keeps_languages_and_filters_apart(client, edition):
    make_session(edition, title_fr="Atelier sur l'eau", title_en="Water workshop")
    make_session(edition, title_en="Opening plenary", kind=Session.Kind.PLENARY)
    assert "Water workshop" in client.get("/en/editions/15/programme/").content.decode()
    assert "Atelier sur l&#x27;eau" in client.get("/fr/editions/15/programme/").content.decode()
    html = client.get("/en/editions/15/programme/?kind=plenary").content.decode()
    assert "Opening plenary" in html and "Water workshop" not in html


def test_session_page_shows_everything_about_it(client, edition):
    session = make_session(edition, title_en="Water workshop", description_en="Bring **ideas**.",
                           room=make_room(name="Salle A", location_en="Level 1"), capacity=35,
                           interpretation_languages=["fr", "ar"])  # fmt: skip
    add_speaker(session, make_speaker(first_name="Rania", last_name="Haddad", country="LB"),
                role="chair")  # fmt: skip
    html = client.get(f"/en/editions/15/sessions/{session.pk}/").content.decode()
    assert "Water workshop" in html and "<strong>ideas</strong>" in html
    assert "Salle A, Level 1" in html and "35 places · <strong>35 left</strong>" in html
    assert "French, Arabic" in html
    assert "Rania Haddad" in html and "Chair" in html and "Lebanon" in html
    assert "9:30" in html


def test_a_session_of_another_edition_is_not_found(client, edition):
    other = make_edition(number=14, starts_on=datetime.date(2026, 11, 5),
                         ends_on=datetime.date(2026, 11, 6))  # fmt: skip
    session = make_session(other)
    assert client.get(f"/en/editions/15/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/en/editions/14/sessions/{session.pk}/").status_code == 200


def test_printable_programme_lists_every_session(client, edition):
    make_session(edition, title_en="First")
    make_session(edition, title_en="Second", starts_at=paris(2027, 11, 5, 11))
    html = client.get("/en/editions/15/programme/print/").content.decode()
    assert "First" in html and "Second" in html and "<table" in html


def test_speakers_page_lists_speakers_with_their_sessions(client, edition):
    session = make_session(edition, title_en="Climate round table")
    add_speaker(session, make_speaker(first_name="João", last_name="Silva",
                                      biography_en="Works on *climate*."))  # fmt: skip
    html = client.get("/en/editions/15/speakers/").content.decode()
    assert "João Silva" in html and "Climate round table" in html
    assert "<em>climate</em>" in html


def test_archive_lists_past_editions_and_is_linked_from_every_page(client, edition):
    make_edition(number=14, theme_en="Solidarity in action", starts_on=datetime.date(2026, 11, 5),
                 ends_on=datetime.date(2026, 11, 6))  # fmt: skip
    html = client.get("/en/editions/").content.decode()
    assert "Solidarity in action" in html and "15th Meetings" not in html
    for url in ["/en/", "/en/editions/15/programme/", "/en/editions/15/speakers/"]:
        assert 'href="/en/editions/"' in client.get(url).content.decode()


def test_an_archived_edition_keeps_its_programme(client, edition):
    past = make_edition(number=14, starts_on=datetime.date(2026, 11, 5),
                        ends_on=datetime.date(2026, 11, 6))  # fmt: skip
    make_session(past, title_en="Past plenary", starts_at=paris(2026, 11, 5, 9))
    home = client.get("/en/editions/14/").content.decode()
    assert "This edition took place from 5 to 6 November 2026." in home
    assert "Past plenary" in client.get("/en/editions/14/programme/").content.decode()


def test_content_pages_render_sanitised_markdown(client, edition):
    Page.objects.create(slug="legal-notice", title_fr="Mentions légales", title_en="Legal notice",
                        body_fr="x", body_en="**Publisher** <script>alert(1)</script>"
                        '<a href="javascript:alert(1)">link</a>')  # fmt: skip
    html = client.get("/en/pages/legal-notice/").content.decode()
    assert "<strong>Publisher</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:" not in html


def test_an_edition_page_overrides_the_site_wide_one(client, edition):
    Page.objects.create(slug="practical-information", title_fr="Infos", title_en="General info",
                        body_fr="x", body_en="x")  # fmt: skip
    Page.objects.create(edition=edition, slug="practical-information", title_fr="Infos 15",
                        title_en="Info for the 15th", body_fr="x", body_en="x")  # fmt: skip
    assert "Info for the 15th" in client.get("/en/pages/practical-information/").content.decode()


def test_unknown_or_missing_pages_are_not_found(client, edition):
    assert client.get("/en/pages/nothing/").status_code == 404
    assert client.get("/en/pages/about/").status_code == 404


def test_empty_english_content_falls_back_to_french(client, edition):
    make_session(edition, title_fr="Atelier seulement en français", title_en="")
    assert (
        "Atelier seulement en français" in client.get("/en/editions/15/programme/").content.decode()
    )


def test_a_session_page_shows_the_places_left(client, edition):
    session = make_session(edition, capacity=2, registration_required=True)
    Category.objects.create(edition=edition, code="elected", name_fr="Élu", name_en="Elected")
    registered(edition, sessions=[session])
    assert "<strong>1 left</strong>" in client.get(
        f"/en/editions/15/sessions/{session.pk}/").content.decode()  # fmt: skip
    registered(edition, sessions=[session])
    assert "full: waiting list" in client.get(
        f"/en/editions/15/sessions/{session.pk}/").content.decode()  # fmt: skip
