"""Sessions are chosen by day and time slot: one choice at most where sessions run at the same
time, each with its places left; the server refuses clashes wherever sessions are chosen."""

import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontres.editions.tests.factories import paris
from rencontres.registration import services
from rencontres.registration.models import Registration
from rencontres.registration.widgets import one_at_most, overlap, time_slots

from .factories import (
    delegation,
    form_data,
    form_token,
    member_rows,
    open_edition,
    registered,
    workshop,
)

pytestmark = pytest.mark.django_db
URL = "/en/register/"


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def programme(edition):
    """Three parallel workshops at 16:00, one alone on the second day, and a chain of three
    that overlap one after the other (10:00-11:30, 11:00-13:00, 12:00-13:30)."""
    parallel = [
        workshop(edition, capacity=capacity, hour=16, title_en=f"Parallel {n}")
        for n, capacity in [(1, 30), (2, 1), (3, None)]
    ]
    alone = workshop(edition, capacity=5, title_en="Alone", starts_at=paris(2027, 11, 5, 9))
    early = workshop(edition, capacity=5, title_en="Early", hour=10)
    late = workshop(edition, capacity=5, title_en="Late", starts_at=paris(2027, 11, 4, 11))
    late.ends_at = paris(2027, 11, 4, 13)
    late.save()
    latest = workshop(edition, capacity=5, title_en="Latest", hour=12)
    return {"parallel": parallel, "alone": alone, "early": early, "late": late, "latest": latest}


def slot_name(session):
    return f"sessions-slot-{session.pk}"


def test_parallel_sessions_are_one_choice_with_none_and_places_left(client, edition, programme):
    registered(edition, sessions=[programme["parallel"][1]])  # its one place is taken
    html = client.get(URL).content.decode()
    first = programme["parallel"][0]
    for session in programme["parallel"]:
        assert re.search(rf'type="radio" name="{slot_name(first)}" value="{session.pk}"', html)
    assert re.search(rf'type="radio" name="{slot_name(first)}" value="" id="[^"]+" checked', html)
    assert "16:00–17:30" in html and "one session at most" in html and "None of these" in html
    assert "30 places left" in html and "full: waiting list" in html
    assert "Thursday 4 November" in html and "Friday 5 November" in html
    # Alone in its slot: a checkbox; overlapping in part: checkboxes, with a word on it.
    assert re.search(rf'type="checkbox" name="sessions" value="{programme["alone"].pk}"', html)
    assert re.search(rf'type="checkbox" name="sessions" value="{programme["late"].pk}"', html)
    assert "Some of these sessions overlap" in html


def test_a_session_chosen_in_a_slot_is_recorded(client, edition, programme):
    chosen = programme["parallel"][2]
    data = form_data(edition, **{slot_name(programme["parallel"][0]): str(chosen.pk)})
    data["sessions"] = [programme["alone"].pk]
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get()
    assert set(registration.choices.values_list("session", flat=True)) == {
        chosen.pk, programme["alone"].pk,
    }  # fmt: skip


def test_the_server_refuses_sessions_at_the_same_time_next_to_the_field(client, edition, programme):
    # A script (or an old page) sends two sessions of one slot, and two that overlap in part.
    one, two = programme["parallel"][:2]
    data = form_data(edition, sessions=[one.pk, programme["early"].pk, programme["late"].pk],
                     **{slot_name(one): str(two.pk)})  # fmt: skip
    html = client.post(URL, data).content.decode()
    field = html[html.index('id="field-sessions"') : html.index('id="field-sessions"') + 20000]
    assert "“Parallel 1” and “Parallel 2” take place at the same time." in field
    assert "“Early” and “Late” take place at the same time." in field
    assert not Registration.objects.exists()
    # What was chosen stays chosen, to be corrected.
    assert re.search(rf'value="{programme["early"].pk}"[^>]*checked', html)


def test_changing_sessions_offers_the_same_slots(client, edition, programme):
    one, two = programme["parallel"][:2]
    person = registered(edition, sessions=[one])
    url = f"/en/r/{person.public_id}/{person.secret}/sessions/"
    html = client.get(url).content.decode()
    assert re.search(rf'name="{slot_name(one)}" value="{one.pk}" id="[^"]+" checked', html)
    response = client.post(url, {slot_name(one): str(programme["parallel"][2].pk)})
    assert response.status_code == 302
    assert list(person.choices.values_list("session", flat=True)) == [programme["parallel"][2].pk]
    html = client.post(url, {"sessions": [programme["early"].pk, programme["late"].pk]})
    assert "take place at the same time" in html.content.decode()
    assert two.pk not in person.choices.values_list("session", flat=True)


def test_switching_language_keeps_the_sessions_being_chosen(client, edition, programme):
    person = registered(edition)
    url = f"/fr/r/{person.public_id}/{person.secret}/sessions/"
    html = client.get(url).content.decode()
    english = f"/en/r/{person.public_id}/{person.secret}/sessions/"
    assert f'formaction="{english}" formnovalidate name="redisplay"' in html
    chosen = programme["parallel"][1]
    html = client.post(english, {slot_name(programme["parallel"][0]): str(chosen.pk),
                                 "redisplay": "language"}).content.decode()  # fmt: skip
    assert re.search(rf'value="{chosen.pk}" id="[^"]+" checked', html)
    assert "Change my sessions" in html and not person.choices.exists()


def test_a_delegation_member_changes_sessions_by_slot_too(client, edition, programme):
    one = programme["parallel"][0]
    head = delegation(edition, members=1, sessions=[one])
    services.confirm_address(head)
    member = Registration.objects.exclude(pk=head.pk).get()
    member = services.confirm_address(member)
    html = client.get(f"/en/r/{member.public_id}/{member.secret}/sessions/").content.decode()
    assert re.search(rf'name="{slot_name(one)}" value="{one.pk}" id="[^"]+" checked', html)


def test_the_delegation_form_groups_sessions_by_slot(client, edition, programme):
    html = client.get("/en/register/delegation/").content.decode()
    assert f'name="{slot_name(programme["parallel"][0])}"' in html
    data = {**form_data(edition, form_token=form_token(client=client)),
            **member_rows(edition, [("A", "B", "ab@example.org")])}  # fmt: skip
    data[slot_name(programme["parallel"][0])] = str(programme["parallel"][0].pk)
    assert client.post("/en/register/delegation/", data).status_code == 302
    assert all(
        list(person.choices.values_list("session", flat=True)) == [programme["parallel"][0].pk]
        for person in Registration.objects.all()
    )


class Interval:
    def __init__(self, pk, start, minutes):
        base = datetime.datetime(2027, 11, 4, 8, tzinfo=datetime.UTC)
        self.pk = pk
        self.starts_at = base + datetime.timedelta(minutes=start)
        self.ends_at = self.starts_at + datetime.timedelta(minutes=minutes)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 600), st.integers(15, 240)), max_size=12))
def test_slots_hold_every_session_once_and_never_split_overlapping_ones(times):
    sessions = [Interval(pk, start, minutes) for pk, (start, minutes) in enumerate(times)]
    slots = [slot for _day, day_slots in time_slots(sessions) for slot in day_slots]
    assert sorted(s.pk for slot in slots for s in slot) == list(range(len(sessions)))
    for index, slot in enumerate(slots):
        for later in slots[index + 1 :]:
            assert not any(overlap(a, b) for a in slot for b in later)
        if one_at_most(slot):
            assert all(overlap(a, b) for a in slot for b in slot if a is not b)
