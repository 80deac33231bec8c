"""The programme as an iCalendar file (RFC 5545), in the active language."""

import datetime
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from rencontres.markdown import render_markdown


def session_event(session, site_url):
    event = Event()
    event.add("uid", f"session-{session.pk}@{urlsplit(site_url).hostname}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"{session.title} ({session.get_kind_display()})")
    if session.room:
        event.add("location", f"{session.room.name}, {session.room.venue}")
    speakers = ", ".join(a.speaker.full_name for a in session.appearances.all())
    text = strip_tags(render_markdown(session.description)).strip()
    event.add("description", "\n\n".join(part for part in (speakers, text) if part))
    path = reverse("editions:session", args=[session.edition.number, session.pk])
    event.add("url", f"{site_url}{path}")
    return event


def build_calendar(edition, sessions, site_url, name=None):
    """The calendar object (also written as xCal by schedules.py). `site_url`: scheme and host
    the links and identifiers use, without a final slash; `name`: the calendar's, else the
    edition's title."""
    calendar = Calendar()
    calendar.add("prodid", "-//Rencontres//AICT Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name or edition.title)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for session in sessions:
        calendar.add_component(session_event(session, site_url))
    return calendar


def calendar_for(edition, sessions, site_url, name=None):
    return build_calendar(edition, sessions, site_url, name).to_ical()
