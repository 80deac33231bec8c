"""The overview's curve of registrations: each edition from its opening to its deadline, on an
axis long enough for the longest window, the current one up to today."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.backoffice import dashboard
from rencontres.editions.tests.factories import paris
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import open_edition, registered

from .factories import member

pytestmark = pytest.mark.django_db


def register_on(edition, moment, count=1):
    for _ in range(count):
        person = registered(edition)
        Registration.objects.filter(pk=person.pk).update(created_at=moment)


@pytest.fixture
def editions():
    """This year's registration opened 320 days before its deadline, 200 days ago; last year's
    window was 150 days. Every moment is noon in Paris, so that a change of summer time
    between them moves no date (a day is 23 or 25 hours then)."""
    today = timezone.localdate()

    def days_from_now(days):
        day = today + datetime.timedelta(days=days)
        return paris(day.year, day.month, day.day, 12)

    current = open_edition(number=15)
    current.registration_opens_at = days_from_now(-200)
    current.registration_closes_at = days_from_now(120)
    current.save()
    register_on(current, days_from_now(-190), 3)
    register_on(current, days_from_now(-10), 2)
    past = open_edition(number=14)  # open while its people register, then moved back
    register_on(past, paris(2025, 6, 1, 10), 4)
    register_on(past, paris(2025, 10, 10, 10), 6)
    past.starts_on, past.ends_on = datetime.date(2025, 11, 6), datetime.date(2025, 11, 7)
    past.registration_opens_at = paris(2025, 5, 20, 9)
    past.registration_closes_at = paris(2025, 10, 17, 23, 59)
    past.save()
    return current, past


def polylines(svg):
    return dict(re.findall(r'<polyline class="([\w-]+)" points="([^"]*)"', svg))


def test_the_current_curve_starts_at_the_opening_and_ends_today(editions):
    current, _past = editions
    points = dashboard.curve(current, timezone.localdate())
    assert points[0] == (-320, 0)
    assert points[-1] == (-120, 5)  # today, 120 days before the deadline
    assert dict(points)[-310] == 3  # the first three, 190 days ago


def test_the_axis_spans_the_longest_window_and_the_chart_draws_every_curve(client, editions):
    current, _past = editions
    client.force_login(member(current, "viewer"))
    with translation.override("en"):
        response = client.get(reverse("backoffice:home", args=[current.number]))
    figures = response.context["figures"]
    chart = figures["chart"]
    assert [tick["label"] for tick in chart["x_ticks"]] == [-300, -240, -180, -120, -60, 0]
    svg = response.content.decode()
    lines = polylines(svg)
    current_line = [tuple(map(float, p.split(","))) for p in lines["line--current"].split()]
    past_line = [tuple(map(float, p.split(","))) for p in lines["line--previous-0"].split()]
    # The current curve begins at the left edge (its opening, 320 days before the deadline),
    # last year's at its own opening (150 days), both within the drawing.
    assert current_line[0][0] == chart["left"] and len(current_line) == 201
    assert chart["left"] < past_line[0][0] < float(chart["deadline_x"])
    assert past_line[-1][0] == float(chart["deadline_x"])
    assert all(chart["left"] <= x <= chart["right"] for x, _y in current_line + past_line)
    # The legend says how many so far; the table under the chart starts at the opening.
    assert [(label, total) for label, total, _css in figures["series"]] == [
        ("15th Meetings", 5), ("14th Meetings", 10)]  # fmt: skip
    table = figures["curve_table"]
    assert table[0] == (-320, 0, "") and table[-1] == (0, "", 10)
    assert (-150, 3, 0) in table and (-120, 5, 4) in table
