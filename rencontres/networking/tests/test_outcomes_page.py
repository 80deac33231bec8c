"""The organisers' outcomes page and its export: meetings held, ratings, follow-ups and
cooperations started, by country pair, theme and kind of authority; the follow-up date moved
(audited); only organisers see it (the access table checks every role, tests/); and the public
summary on the next edition's home page, which shows nothing unpublished."""

import datetime
import io
from unittest import mock

import pytest
from django.db.models import F
from django.urls import reverse

from rencontres.backoffice.tests.factories import member
from rencontres.editions.tests.factories import paris
from rencontres.models import AuditEntry
from rencontres.networking import services
from rencontres.networking.models import CooperationFollowUp, Meeting, MeetingRating, Slot
from rencontres.networking.outcomes import figures, public_summary
from rencontres.networking.services import outcomes

from .factories import open_edition, person, slots, tables

pytestmark = pytest.mark.django_db
Outcome = MeetingRating.Outcome
AFTER = paris(2027, 11, 4, 12)


def meet(one, other):
    request = services.request_meeting(one, other, "Hello")
    services.answer(request, other, accept=True)
    return Meeting.objects.get(request=request)


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def held(edition):
    """Three meetings: Lyon–Dakar (water, a project started), Lyon–Thiès (not held), Dakar–
    Montréal (no shared interest)."""
    lyon = person(edition, "Lyon", themes=["water", "culture"])
    dakar = person(edition, "Dakar", country="SN", kind="foreign_authority", themes=["water"])
    thies = person(edition, "Thies", country="SN", kind="foreign_authority")
    montreal = person(edition, "Montreal", country="CA", kind="foreign_authority")
    slots(edition, count=3)
    tables(edition, count=2)
    first, second, third = meet(lyon, dakar), meet(lyon, thies), meet(dakar, montreal)
    run = services.start_run(edition)
    services.execute(run)
    services.publish(run)
    outcomes.rate(first, lyon, Outcome.PROJECT_PLANNED)
    outcomes.rate(first, dakar, Outcome.FOLLOW_UP)
    outcomes.rate(second, lyon, Outcome.FOLLOW_UP)
    outcomes.rate(second, thies, Outcome.NOT_HELD)
    outcomes.rate(third, montreal, Outcome.NO_SHARED_INTEREST)
    outcomes.ask_follow_ups(paris(2028, 6, 1))
    outcomes.answer_follow_up(first, dakar, "project_started", "Un réseau d'eau à Dakar.", True)
    outcomes.answer_follow_up(first, lyon, "still_talking", "Secret de Lyon", False)
    return edition


def test_the_figures_count_held_meetings_ratings_and_cooperations(held):
    found = figures(held, now=AFTER)
    assert (found["meetings"], found["held"], found["not_held"]) == (3, 2, 1)
    assert found["promising"] == 1  # the meeting not held is not promising, whatever Lyon says
    assert (found["followed_up"], found["started"]) == (1, 1)
    assert dict(found["ratings"])["Worth following up"] == 2
    pairs = {group.label: (group.held, group.started) for group in found["by_country_pair"]}
    assert pairs == {"France – Senegal": (1, 1), "Canada – Senegal": (1, 0)} | {
        "France – Senegal": (1, 1)
    } or pairs["France – Senegal"] == (1, 1)
    france_senegal = next(g for g in found["by_country_pair"] if g.label == "France – Senegal")
    assert (france_senegal.meetings, france_senegal.held) == (2, 1)
    themes = {group.label: group.held for group in found["by_theme"]}
    assert (
        themes == {"Water and sanitation": 1, "No shared theme": 1}
        or themes.get("No shared theme") == 1
    )
    kinds = {group.label: group.held for group in found["by_kind"]}
    assert kinds["Foreign local or regional authority"] == 2
    assert kinds["French commune"] == 1


def test_before_their_slot_meetings_are_not_counted(held):
    assert figures(held, now=paris(2027, 11, 4, 8))["meetings"] == 0


def slots_in_the_past(edition):
    """The meetings' slots moved two years back: the pages read the real clock (a frozen one
    would end the organiser's session)."""
    back = datetime.timedelta(days=730)
    Slot.objects.filter(edition=edition).update(
        starts_at=F("starts_at") - back, ends_at=F("ends_at") - back
    )


def test_an_organiser_reads_the_page_and_moves_the_follow_up_date(client, held):
    slots_in_the_past(held)
    client.force_login(member(held, "organiser"))
    url = reverse("backoffice:outcomes", args=[held.number])
    page = client.get(url).content.decode()
    assert "France – Senegal" in page and "Secret de Lyon" in page
    response = client.post(url, {"day": "2028-02-01"})
    assert response.status_code == 302
    assert outcomes.follow_up_date(held) == datetime.date(2028, 2, 1)
    entry = AuditEntry.objects.get(action="follow_up_date_changed")
    assert entry.details == {"before": "2028-05-05", "after": "2028-02-01"}
    assert entry.label
    for bad in ("not a date", "2027-11-05", "2027-01-01"):
        response = client.post(url, {"day": bad})
        assert response.status_code == 200
        assert "day" in response.context["form"].errors
    assert outcomes.follow_up_date(held) == datetime.date(2028, 2, 1)


def test_the_export_has_a_row_per_past_meeting(client, held):
    slots_in_the_past(held)
    from openpyxl import load_workbook

    client.force_login(member(held, "organiser"))
    response = client.get(reverse("backoffice:outcomes_xlsx", args=[held.number]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert any(
        "Un réseau d'eau à Dakar." in (cell or "")
        for row in rows
        for cell in row
        if isinstance(cell, str)
    )
    assert AuditEntry.objects.filter(action="outcomes_exported").exists()


def test_staff_and_viewers_do_not_see_the_ratings(client, held):
    for role in ("staff", "viewer", "check_in"):
        client.force_login(member(held, role))
        assert client.get(reverse("backoffice:outcomes", args=[held.number])).status_code == 403


# The public summary ---------------------------------------------------------------------


def test_the_public_summary_shows_only_what_people_allowed(held):
    summary = public_summary(held, now=AFTER)
    assert (summary["held"], summary["started"], summary["countries"]) == (2, 1, 3)
    assert summary["stories"] == [
        {"text": "Un réseau d'eau à Dakar.", "countries": "France – Senegal"}
    ]


def test_the_next_editions_home_page_shows_the_summary(client, held):
    following = open_edition(
        number=held.number + 1,
        starts_on=datetime.date(2028, 11, 2),
        ends_on=datetime.date(2028, 11, 3),
    )
    with mock.patch("django.utils.timezone.now", return_value=paris(2028, 6, 2)):
        page = client.get(reverse("editions:edition", args=[following.number])).content.decode()
    assert "Un réseau d&#x27;eau à Dakar." in page
    assert "France – Senegal" in page
    assert "Secret de Lyon" not in page
    assert "Dakarson" not in page and "Ville de Dakar" not in page


def test_nothing_unpublished_appears_once_the_author_withdraws(client, held):
    CooperationFollowUp.objects.filter(may_publish=True).update(may_publish=False)
    assert public_summary(held, now=AFTER)["stories"] == []
