"""Ranges of days as people write them, in French and English (rencontres/dates.py), on
every page that writes an edition's days."""

import datetime

import pytest
from django.utils import translation

from rencontres.dates import date_range, date_range_phrase, long_date

D = datetime.date
CASES = [  # start, end, English, French
    (D(2027, 11, 4), D(2027, 11, 5), "4–5 November 2027", "4–5 novembre 2027"),
    (D(2027, 11, 30), D(2027, 12, 2), "30 November – 2 December 2027",
     "30 novembre – 2 décembre 2027"),
    (D(2027, 12, 30), D(2028, 1, 2), "30 December 2027 – 2 January 2028",
     "30 décembre 2027 – 2 janvier 2028"),
    (D(2027, 11, 4), D(2027, 11, 4), "4 November 2027", "4 novembre 2027"),
    (D(2027, 10, 1), D(2027, 10, 3), "1–3 October 2027", "1er–3 octobre 2027"),
]  # fmt: skip


@pytest.mark.parametrize(("start", "end", "english", "french"), CASES)
def test_a_range_writes_what_its_days_share_once(start, end, english, french):
    with translation.override("en"):
        assert date_range(start, end) == english
    with translation.override("fr"):
        assert date_range(start, end) == french


def test_a_range_in_a_sentence_says_from_and_to():
    with translation.override("en"):
        assert date_range_phrase(D(2027, 11, 4), D(2027, 11, 5)) == "from 4 to 5 November 2027"
        assert date_range_phrase(D(2027, 11, 4), D(2027, 11, 4)) == "on 4 November 2027"
    with translation.override("fr"):
        assert date_range_phrase(D(2027, 11, 4), D(2027, 11, 5)) == "du 4 au 5 novembre 2027"
        assert date_range_phrase(D(2027, 11, 1), D(2027, 12, 2)) == (
            "du 1er novembre au 2 décembre 2027"
        )
        assert date_range_phrase(D(2027, 11, 4), D(2027, 11, 4)) == "le 4 novembre 2027"


def test_with_weekdays_and_one_day_in_full():
    with translation.override("en"):
        assert date_range(D(2027, 11, 4), D(2027, 11, 5), weekday=True) == (
            "Thursday 4 – Friday 5 November 2027"
        )
        assert long_date(D(2027, 9, 1)) == "1 September 2027"
    with translation.override("fr"):
        assert date_range(D(2027, 11, 4), D(2027, 11, 5), weekday=True) == (
            "jeudi 4 – vendredi 5 novembre 2027"
        )
        assert long_date(D(2027, 9, 1)) == "1er septembre 2027"


@pytest.mark.django_db
def test_the_pages_that_write_an_editions_days_use_the_one_range(client):
    from rencontres.editions.tests.factories import make_edition

    make_edition(number=14, starts_on=D(2026, 11, 30), ends_on=D(2026, 12, 1))
    make_edition(number=15)
    archive = client.get("/en/editions/").content.decode()
    assert "30 November – 1 December 2026" in archive
    assert "4–5 November 2027" in client.get("/en/editions/15/programme/print/").content.decode()
    past = client.get("/en/editions/14/").content.decode()
    assert "took place from 30 November to 1 December 2026." in past
    home = client.get("/fr/").content.decode()
    assert "jeudi 4 – vendredi 5 novembre 2027" in home
    assert "4 novembre – 5 novembre" not in home
