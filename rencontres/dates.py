"""Ranges of days written as people write them, in the active language: "4–5 November 2027",
"30 November – 2 December 2027", "30 December 2027 – 2 January 2028", and in a sentence
"from 4 to 5 November 2027" or « du 4 au 5 novembre 2027 »; and one day in full, « 1er
septembre 2027 ». Every page, e-mail and PDF that
writes the days of an edition goes through here."""

from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _


def day(date, weekday=False):
    """The day of the month, "1er" for the first in French; after its weekday if asked."""
    number = "1er" if date.day == 1 and get_language().startswith("fr") else str(date.day)
    return f"{formats.date_format(date, 'l')} {number}" if weekday else number


def long_date(date, weekday=False):
    """One day in full: "1 September 2027", « 1er septembre 2027 »."""
    return f"{day(date, weekday)} {formats.date_format(date, 'F Y')}"


def parts(start, end, weekday=False):
    """(start, end) texts with what the two share (month, year) written once, on the end's
    side; (text, None) for a single day."""

    def full(date):
        return long_date(date, weekday)

    if end is None or end == start:
        return full(start), None
    if (start.year, start.month) == (end.year, end.month):
        return day(start, weekday), full(end)
    if start.year == end.year:
        return f"{day(start, weekday)} {formats.date_format(start, 'F')}", full(end)
    return full(start), full(end)


def date_range(start, end, weekday=False):
    """The days from `start` to `end`, for a heading or a list: "4–5 November 2027"; with
    `weekday`, "Thursday 4 – Friday 5 November 2027"."""
    first, last = parts(start, end, weekday)
    if last is None:
        return first
    if " " in first or " " in last.split(" ", 1)[0]:
        # Spaced dash between groups of words, unspaced between two numbers.
        return f"{first} – {last}"
    return f"{first}–{last}"


def date_range_phrase(start, end):
    """The days from `start` to `end` inside a sentence: "from 4 to 5 November 2027",
    "on 4 November 2027"."""
    first, last = parts(start, end)
    if last is None:
        return pgettext("a single day", "on %(date)s") % {"date": first}
    return _("from %(start)s to %(end)s") % {"start": first, "end": last}
