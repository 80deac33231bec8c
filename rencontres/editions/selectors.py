"""The queries the public pages need."""

import datetime

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PARIS, Edition, Page, Partner, Session, SessionSpeaker, Speaker


def current_edition():
    """The edition the site is about: the published one that starts last."""
    return Edition.objects.published().select_related("venue").order_by("-starts_on").first()


def current_edition_for(request):
    """`current_edition()`, looked up once per request."""
    if not hasattr(request, "_current_edition"):
        request._current_edition = current_edition()
    return request._current_edition


def published_edition(number):
    return Edition.objects.published().select_related("venue").filter(number=number).first()


def archived_editions(current):
    editions = Edition.objects.published().order_by("-starts_on")
    if current is not None:
        editions = editions.exclude(pk=current.pk)
    return editions.annotate(session_count=Count("sessions"))


def day_bounds(day):
    """The UTC instants where a Paris calendar day starts and ends (23 or 25 hours on DST days)."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, PARIS)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def programme(edition, day=None, kind=None):
    """The edition's sessions, filtered, in the programme's order (see display.session_cards)."""
    sessions = Session.objects.filter(edition=edition)
    if day is not None:
        start, end = day_bounds(day)
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
    if kind:
        sessions = sessions.filter(kind=kind)
    return sessions.order_by("starts_at", "room__name", "title_fr")


def group_by_day_and_time(sessions):
    """[(day, [(start, [sessions])])]: the programme's days, each with its time slots, for
    anything with a `starts_at` (sessions or their cards), already in time order."""
    days = {}
    for session in sessions:
        start = timezone.localtime(session.starts_at, PARIS)
        slots = days.setdefault(start.date(), {})
        slots.setdefault(start, []).append(session)
    return [
        (day, [(start, items) for start, items in slots.items()]) for day, slots in days.items()
    ]


def edition_speakers(edition):
    """The edition's speakers, each with their sessions in this edition."""
    return (
        Speaker.objects.filter(appearances__session__edition=edition)
        .distinct()
        .prefetch_related(
            Prefetch(
                "appearances",
                queryset=SessionSpeaker.objects.filter(session__edition=edition)
                .select_related("session")
                .order_by("session__starts_at"),
                to_attr="edition_appearances",
            )
        )
        .order_by("last_name", "first_name")
    )


def key_figures(edition):
    figures = Session.objects.filter(edition=edition).aggregate(
        sessions=Count("pk", distinct=True),
        speakers=Count("appearances__speaker", distinct=True),
        workshops=Count("pk", filter=Q(kind=Session.Kind.WORKSHOP), distinct=True),
    )
    figures["days"] = len(edition.days)
    figures["participants"] = edition.expected_participants
    figures["countries"] = edition.expected_countries
    return figures


PARTNER_HEADINGS = {
    Partner.Kind.ORGANISER: _("Organised by"),
    Partner.Kind.INSTITUTIONAL: _("Institutional partners"),
    Partner.Kind.PARTNER: _("Partners"),
    Partner.Kind.MEDIA: _("Media partners"),
}


def partners_by_kind(edition):
    groups = {}
    for partner in Partner.objects.filter(edition=edition):
        groups.setdefault(partner.kind, []).append(partner)
    return [
        (PARTNER_HEADINGS[kind], groups[kind]) for kind in Partner.Kind.values if kind in groups
    ]


def content_page(slug, edition):
    """The edition's own version of a page, else the site-wide one."""
    pages = Page.objects.filter(slug=slug).filter(Q(edition=edition) | Q(edition__isnull=True))
    return pages.order_by(F("edition_id").desc(nulls_last=True)).first()
