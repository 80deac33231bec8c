"""The directory and the recommendations: people are found only by what they chose to show,
and the suggestions say why."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rencontres.networking import selectors, services
from rencontres.networking.models import CooperationPost
from rencontres.registration.tests.factories import registered

from .factories import open_edition, person, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def directory(client, edition, **filters):
    """The directory as a participant sees it (one who is not in it: they see the others)."""
    from rencontres.registration.models import Registration

    viewer = Registration.objects.filter(edition=edition, first_name="Viewer").first()
    if viewer is None:
        viewer = registered(edition, first_name="Viewer")
    url = reverse("networking:directory", args=[viewer.public_id, viewer.secret])
    response = client.get(url, filters)
    assert response.status_code == 200
    return response


def names(response):
    page = response.context["page"]
    return [profile.registration.first_name for profile in page.object_list]


def test_only_confirmed_people_who_opted_in_are_listed(client, edition):
    person(edition, "Alice")
    person(edition, "Hidden", listed=False)
    assert names(directory(client, edition)) == ["Alice"]


def test_withdrawing_the_opt_in_hides_the_profile_at_once(client, edition):
    alice = person(edition, "Alice")
    services.save_profile(alice, {"directory_opt_in": False})
    alice.refresh_from_db()
    assert alice.directory_consent_at is None
    assert names(directory(client, edition)) == []


def test_filters_by_theme_country_kind_and_language(client, edition):
    person(edition, "Alice", themes=["water"], languages=["fr", "en"])
    person(
        edition, "Bob", country="SN", kind="foreign_authority", themes=["culture"], languages=["wo"]
    )
    person(edition, "Carol", countries=["SN"], themes=["water"])
    assert names(directory(client, edition, theme=theme("water").pk)) == ["Alice", "Carol"]
    assert names(directory(client, edition, country="SN")) == ["Bob", "Carol"]
    assert names(directory(client, edition, kind="foreign_authority")) == ["Bob"]
    assert names(directory(client, edition, language="wo")) == ["Bob"]
    assert names(directory(client, edition, language="en")) == ["Alice"]
    assert names(directory(client, edition, q="ville de bob")) == ["Bob"]


def test_the_country_of_someone_new_is_offered_at_once(client, edition):
    person(edition, "Alice", country="SN")
    assert names(directory(client, edition, country="SN")) == ["Alice"]
    person(edition, "Bob", country="ML")
    response = directory(client, edition, country="ML")
    assert not response.context["filters"].errors
    assert names(response) == ["Bob"]


def test_a_hidden_field_never_lets_a_search_find_someone(client, edition):
    person(
        edition,
        "Alice",
        country="SN",
        kind="foreign_authority",
        themes=["water"],
        languages=["wo"],
        show_country=False,
        show_organisation=False,
        show_themes=False,
        show_languages=False,
    )
    for filters in (
        {"country": "SN"},
        {"kind": "foreign_authority"},
        {"language": "wo"},
        {"theme": theme("water").pk},
        {"q": "ville"},
    ):
        assert names(directory(client, edition, **filters)) == [], filters
    page = directory(client, edition).content.decode()
    assert "Alice" in page and "Ville de Alice" not in page


def test_each_word_of_a_search_may_be_found_in_another_field(client, edition):
    awa = person(
        edition,
        "Awa",
        last_name="Ndiaye",
        organisation_name="Ville de Thiès",
        themes=["water"],
        about="Jumelage scolaire",
        regions="Casamance",
    )
    awa.job_title = "Adjointe au maire"
    awa.save()
    person(edition, "Bob", themes=["culture"])
    for query in ("awa", "ndiaye", "thiès", "wat", "sanitation", "jumelage", "casamance",
                  "adjointe", "AWA Thiès", "ndiaye eau casamance"):  # fmt: skip
        assert names(directory(client, edition, q=query)) == ["Awa"], query
    assert names(directory(client, edition, q="awa bob")) == []


def test_a_word_found_in_two_themes_lists_the_person_once(client, edition):
    # "mobilit" is in the names of two themes: youth and mobility, transport.
    person(edition, "Alice", themes=["youth", "mobility"])
    person(edition, "Bob", themes=["youth"])
    response = directory(client, edition, q="mobilit")
    assert names(response) == ["Alice", "Bob"]
    assert response.context["page"].paginator.count == 2


def test_quotes_and_operators_in_a_search_are_text_not_errors(client, edition):
    person(edition, "Alice")
    for query in ("(x|", "l'eau", "-- ; drop", "a:*b'", "x\\'y"):
        assert names(directory(client, edition, q=query)) == [], query
    # Punctuation alone holds no word to look for: the search is as if empty.
    for query in ("'", "\\", "':*", "& !", "alice ' :*"):
        assert names(directory(client, edition, q=query)) == ["Alice"], query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes")
def test_each_searched_field_has_its_full_text_index():
    """An index of migration 0005 serves only a search with its very expression."""
    from rencontres import search
    from rencontres.networking.models import Profile
    from rencontres.registration.models import Organisation, Registration

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for model, fields, index in [
        (Registration, selectors.NAME_FIELDS, "registration_name_search"),
        (Registration, ["job_title"], "registration_job_search"),
        (Organisation, ["name"], "organisation_name_search"),
        (Profile, ["about"], "profile_about_search"),
        (Profile, ["regions"], "profile_regions_search"),
        (CooperationPost, selectors.POST_FIELDS, "post_search"),
    ]:
        assert index in search.matching(model.objects.all(), fields, "alice").explain(), index


def test_bad_filters_are_ignored_with_a_message_not_an_error(client, edition):
    person(edition, "Alice")
    response = directory(client, edition, theme="99999999999999999999", country="XX", page="x")
    assert names(response) == ["Alice"]
    assert response.context["filters"].errors


def test_the_directory_pages_and_keeps_the_filters(client, edition):
    for number in range(30):
        person(edition, f"P{number:02d}", themes=["water"])
    response = directory(client, edition, theme=theme("water").pk)
    assert len(names(response)) == 24
    assert f"theme={theme('water').pk}&amp;page=2" in response.content.decode()
    assert len(names(directory(client, edition, theme=theme("water").pk, page=2))) == 6


def test_the_directory_costs_the_same_queries_for_5_or_40_people(client, edition):
    def queries():
        cache.clear()  # the directory's countries are read afresh, both times
        with CaptureQueriesContext(connection) as captured:
            directory(client, edition)
        return len(captured)

    for number in range(5):
        person(edition, f"A{number}", themes=["water", "culture"], countries=["SN"])
    directory(client, edition)  # the viewer is made on the first call: not counted
    few = queries()
    for number in range(35):
        person(edition, f"B{number}", themes=["water"], countries=["ML"])
    assert queries() == few


def test_posts_are_searchable_by_kind_and_country(client, edition):
    alice = person(edition, "Alice")
    services.save_post(
        alice.profile,
        {
            "kind": "request",
            "title": "Partner in Senegal",
            "text": "Water and sanitation",
            "countries": ["SN"],
            "themes": [theme("water")],
        },
    )
    services.save_post(
        alice.profile,
        {
            "kind": "offer",
            "title": "Youth exchanges",
            "text": "Our experience",
            "countries": [],
            "themes": [theme("youth")],
        },
    )
    response = directory(client, edition, show="request", country="SN")
    assert [post.title for post in response.context["page"].object_list] == ["Partner in Senegal"]
    response = directory(client, edition, show="offer", q="youth")
    assert [post.title for post in response.context["page"].object_list] == ["Youth exchanges"]


def post(profile, kind, themes, countries=()):
    return services.save_post(
        profile,
        {
            "kind": kind,
            "title": "Post",
            "text": "Text",
            "countries": list(countries),
            "themes": [theme(code) for code in themes],
        },
    )


def test_recommendations_rank_complementary_posts_first_and_say_why(edition):
    me = person(edition, "Me", countries=["SN"])
    post(me.profile, CooperationPost.Kind.REQUEST, ["water"], ["SN"])
    giver = person(edition, "Giver", country="SN", kind="foreign_authority")
    post(giver.profile, CooperationPost.Kind.OFFER, ["water"])
    person(edition, "Sharer", themes=["water"])
    person(edition, "Stranger", themes=["culture"])
    found = selectors.recommendations(me)
    assert [profile.registration.first_name for profile, _score, _why in found] == [
        "Giver",
        "Sharer",
    ]
    reasons = found[0][2]
    assert "They offer what you seek: Water and sanitation" in reasons
    assert "They come from Senegal, where you work" in reasons
    assert found[1][2] == ["You both work on Water and sanitation"]


def test_shared_theme_and_country_are_said_together(edition):
    me = person(edition, "Me", themes=["water"], countries=["SN"])
    person(edition, "Other", themes=["water"], countries=["SN"])
    ((_profile, _score, reasons),) = selectors.recommendations(me)
    assert reasons == ["You both work on Water and sanitation in Senegal"]


def test_recommendations_never_include_oneself_twice_blocked_or_already_asked(edition):
    me = person(edition, "Me", themes=["water"])
    post(me.profile, "offer", ["water"])
    post(me.profile, "request", ["water"])
    twice = person(edition, "Twice", themes=["water"])
    post(twice.profile, "offer", ["water"])
    post(twice.profile, "request", ["water"])
    blocked = person(edition, "Blocked", themes=["water"])
    asked = person(edition, "Asked", themes=["water"])
    services.block(blocked, me)
    services.request_meeting(me, asked, "Hello")
    found = [profile.registration for profile, _s, _w in selectors.recommendations(me)]
    assert found == [twice]


def recommended(registration):
    return [
        profile.registration.first_name
        for profile, _s, _w in selectors.recommendations(registration)
    ]


def test_a_changed_profile_or_post_shows_in_the_next_recommendations(edition):
    me = person(edition, "Me", themes=["water"])
    other = person(edition, "Other", themes=["culture"])
    assert recommended(me) == []
    services.save_profile(other, {"themes": [theme("water")]})
    assert recommended(me) == ["Other"]
    services.save_profile(other, {"directory_opt_in": False})
    assert recommended(me) == []
    giver = person(edition, "Giver", themes=["culture"])
    assert recommended(me) == []
    offer = post(giver.profile, CooperationPost.Kind.OFFER, ["water"])
    assert recommended(me) == ["Giver"]
    services.delete_post(offer)
    assert recommended(me) == []


def test_a_block_or_a_request_shows_in_the_next_recommendations(edition):
    me = person(edition, "Me", themes=["water"])
    asked = person(edition, "Asked", themes=["water"])
    blocker = person(edition, "Blocker", themes=["water"])
    assert recommended(me) == ["Asked", "Blocker"]
    services.request_meeting(me, asked, "Hello")
    services.block(blocker, me)
    assert recommended(me) == []


def test_a_second_visit_to_the_home_does_not_score_again(client, edition, monkeypatch):
    me = person(edition, "Me", themes=["water"])
    for number in range(5):
        person(edition, f"P{number}", themes=["water"])
    scorings = []
    score = selectors.score_candidates
    monkeypatch.setattr(
        selectors, "score_candidates", lambda *args: scorings.append(args) or score(*args)
    )
    url = reverse("networking:home", args=[me.public_id, me.secret])
    first = client.get(url)
    with CaptureQueriesContext(connection) as second_visit:
        second = client.get(url)
    assert len(scorings) == 1
    assert [p for p, _s, _w in second.context["recommendations"]] == [
        p for p, _s, _w in first.context["recommendations"]
    ]
    assert len(second.context["recommendations"]) == 5
    for number in range(20):
        person(edition, f"Q{number}", themes=["water"])
    client.get(url)  # the new people bumped the version: scored again, and cached
    with CaptureQueriesContext(connection) as later_visit:
        client.get(url)
    assert len(scorings) == 2
    assert len(later_visit) == len(second_visit)
