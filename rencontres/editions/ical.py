"""The programme as an iCalendar file (RFC 5545), in the active language."""

import datetime

from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from rencontres.markdown import render_markdown


def session_event(session, request):
    event = Event()
    event.add("uid", f"session-{session.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"{session.title} ({session.get_kind_display()})")
    if session.room:
        event.add("location", f"{session.room.name}, {session.room.venue}")
    speakers = ", ".join(a.speaker.full_name for a in session.appearances.all())
    text = strip_tags(render_markdown(session.description)).strip()
    event.add("description", "\n\n".join(part for part in (speakers, text) if part))
    event.add("url", request.build_absolute_uri(session_url(session)))
    return event


def session_url(session):
    from django.urls import reverse

    return reverse("editions:session", args=[session.edition.number, session.pk])


def calendar_for(edition, sessions, request):
    calendar = Calendar()
    calendar.add("prodid", "-//Rencontres//AICT Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", edition.title)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for session in sessions:
        calendar.add_component(session_event(session, request))
    return calendar.to_ical()
