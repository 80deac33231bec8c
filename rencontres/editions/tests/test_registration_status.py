"""The registration window and how it reads, on both sides of the deadline, across DST."""

import datetime

import pytest
from django.utils import translation

from rencontres.editions.models import Edition
from rencontres.templatetags.site import status_text

from .factories import paris


def edition(opens, closes):
    return Edition(registration_opens_at=opens, registration_closes_at=closes)


# 25 October 2026 is the night clocks go back in Paris (CEST -> CET).
DST_DEADLINE = paris(2026, 10, 25, 23, 59)


def test_it_is_open_until_the_last_second_of_the_closing_minute():
    window = edition(paris(2026, 6, 1), DST_DEADLINE)
    assert window.registration_status(paris(2026, 10, 25, 23, 59, 59)).is_open
    assert window.registration_status(paris(2026, 10, 26, 0, 0, 0)).state == "closed"


def test_it_is_open_at_the_same_instants_seen_in_utc():
    window = edition(paris(2026, 6, 1), DST_DEADLINE)
    # After the change Paris is UTC+1: 23:59:59 in Paris is 22:59:59 UTC.
    just_before = datetime.datetime(2026, 10, 25, 22, 59, 59, tzinfo=datetime.UTC)
    assert window.registration_status(just_before).is_open
    assert window.registration_status(just_before + datetime.timedelta(seconds=1)).state == (
        "closed"
    )


def test_it_is_not_open_before_the_opening():
    window = edition(paris(2026, 6, 1, 9), DST_DEADLINE)
    assert window.registration_status(paris(2026, 6, 1, 8, 59, 59)).state == "not_yet_open"
    assert window.registration_status(paris(2026, 6, 1, 9)).is_open


@pytest.mark.parametrize(
    ("now", "days_left"),
    [
        (paris(2026, 10, 23, 23, 59), 2),  # across the night of the change (a 25-hour day)
        (paris(2026, 10, 24, 0, 0), 1),
        (paris(2026, 10, 24, 23, 30), 1),
        (paris(2026, 10, 25, 0, 1), 0),
        (paris(2026, 10, 25, 23, 59, 59), 0),
    ],
)
def test_days_left_count_calendar_days_in_paris(now, days_left):
    assert edition(paris(2026, 6, 1), DST_DEADLINE).registration_status(now).days_left == days_left


def test_spring_forward_deadline_is_right_too():
    # 28 March 2027: clocks go forward; a deadline the day before, seen from the day after.
    window = edition(paris(2027, 1, 1), paris(2027, 3, 27, 23, 59))
    assert window.registration_status(paris(2027, 3, 27, 23, 59, 59)).is_open
    assert not window.registration_status(paris(2027, 3, 28, 0, 0)).is_open
    assert window.registration_status(paris(2027, 3, 26, 12)).days_left == 1


@pytest.mark.parametrize(
    ("language", "headline", "detail"),
    [
        ("en", "Registrations are open until 17 October.", "2 days left."),
        ("fr", "Les inscriptions sont ouvertes jusqu'au 17 octobre.", "Plus que 2 jours."),
    ],
)
def test_the_open_status_reads_well_in_each_language(language, headline, detail):
    window = edition(paris(2027, 6, 1), paris(2027, 10, 17, 23, 59))
    with translation.override(language):
        assert status_text(window.registration_status(paris(2027, 10, 15, 8))) == (
            headline,
            detail,
        )


def test_the_closing_day_says_tonight_with_the_paris_time():
    window = edition(paris(2027, 6, 1), paris(2027, 10, 17, 23, 59))
    with translation.override("en"):
        headline, detail = status_text(window.registration_status(paris(2027, 10, 17, 23, 0)))
    assert headline == "Registrations are open until 17 October."
    assert detail == "Last day to register: closing tonight at 23:59 (Paris time)."


def test_the_date_shown_is_the_paris_date_even_late_in_utc():
    # 23:59 in Paris on 17 October is 21:59 UTC; a UTC-based date would still be right here,
    # but a deadline at 00:30 Paris on the 18th is the 17th in UTC: Paris must win.
    window = edition(paris(2027, 6, 1), paris(2027, 10, 18, 0, 30))
    with translation.override("en"):
        headline, _ = status_text(window.registration_status(paris(2027, 10, 1)))
    assert headline == "Registrations are open until 18 October."


def test_closed_and_not_yet_open_read_well():
    window = edition(paris(2027, 6, 1, 9), paris(2027, 10, 17, 23, 59))
    with translation.override("fr"):
        assert status_text(window.registration_status(paris(2027, 5, 1)))[0] == (
            "Les inscriptions ouvriront le 1 juin 2027."
        )
        assert status_text(window.registration_status(paris(2027, 10, 18)))[0] == (
            "Les inscriptions sont closes."
        )
