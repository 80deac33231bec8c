"""The public site: an edition's home, programme, sessions, speakers, pages and the archive."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext

from . import schedules, selectors
from .display import card_labels, session_cards
from .forms import ProgrammeFilterForm
from .ical import calendar_for
from .models import Page, Session
from .sections import home_sections


def edition_or_404(request, number):
    edition = selectors.published_edition(number)
    if edition is None:
        raise Http404
    current = selectors.current_edition_for(request)
    edition.is_current = current is not None and current.pk == edition.pk
    return edition


def render_edition_home(request, edition):
    return render(
        request,
        "editions/home.html",
        {
            "edition": edition,
            "figures": selectors.key_figures(edition),
            "partner_groups": selectors.partners_by_kind(edition),
            "highlights": session_cards(
                selectors.programme(edition).filter(
                    kind__in=[Session.Kind.PLENARY, Session.Kind.ROUND_TABLE]
                )[:4],
                edition,
            ),
            "labels": card_labels(),
            "sections": home_sections(edition),
        },
    )


def home(request):
    edition = selectors.current_edition_for(request)
    if edition is None:
        return render(request, "editions/no_edition.html", status=404)
    edition.is_current = True
    return render_edition_home(request, edition)


def edition_home(request, number):
    return render_edition_home(request, edition_or_404(request, number))


class ProgrammeResults:
    """The programme's sessions, queried and formatted only if the page's cache misses."""

    def __init__(self, edition, day, kind):
        self.edition, self.day, self.kind = edition, day, kind

    @cached_property
    def cards(self):
        sessions = selectors.programme(self.edition, day=self.day, kind=self.kind)
        return session_cards(sessions, self.edition)

    @cached_property
    def days(self):
        return selectors.group_by_day_and_time(self.cards)

    @property
    def count(self):
        return len(self.cards)

    @cached_property
    def labels(self):
        return card_labels()


def programme(request, number):
    edition = edition_or_404(request, number)
    form = ProgrammeFilterForm(request.GET or None, edition=edition)
    day = kind = None
    if form.is_valid():
        day, kind = form.cleaned_data["day"], form.cleaned_data["kind"]
    return render(
        request,
        "editions/programme.html",
        {
            "edition": edition,
            "form": form,
            "results": ProgrammeResults(edition, day, kind),
            "cache_seconds": settings.PROGRAMME_CACHE_SECONDS,
            "filtered": bool(day or kind),
        },
    )


def programme_print(request, number):
    edition = edition_or_404(request, number)
    cards = session_cards(selectors.programme(edition), edition)
    return render(
        request,
        "editions/programme_print.html",
        {"edition": edition, "days": selectors.group_by_day_and_time(cards)},
    )


def site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def calendar_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def programme_ics(request, number):
    edition = edition_or_404(request, number)
    sessions = selectors.programme(edition).for_programme().select_related("edition")
    content = calendar_for(edition, sessions, site_url(request))
    return calendar_response(content, f"rencontres-{edition.number}")


def schedule_response(request, number, file_format):
    """The programme for schedule apps (schedules.py), with an ETag so that polling apps get a
    304 while nothing changed."""
    edition = edition_or_404(request, number)
    content, content_type, etag = schedules.schedule_file(edition, file_format, site_url(request))
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"  # public data, read by partners' sites
    return response


def schedule_xml(request, number):
    return schedule_response(request, number, "xml")


def schedule_json(request, number):
    return schedule_response(request, number, "json")


def schedule_xcal(request, number):
    return schedule_response(request, number, "xcal")


# A visitor's starred sessions travel in the feed's address: enough for a day's programme and
# more, short enough for any calendar app's URL field.
MAX_STARRED = 200


def starred_ids(values):
    """The session ids of `?s=12,15,18` (several `s` are joined): integers only, at most
    MAX_STARRED, anything else ignored."""
    ids = []
    for value in values:
        for part in value[: MAX_STARRED * 12].split(","):
            part = part.strip()
            if part.isascii() and part.isdigit() and 0 < int(part) < 2**31 and int(part) not in ids:
                ids.append(int(part))
    return ids[:MAX_STARRED]


def starred_ics(request, number):
    """The sessions a visitor starred on the programme (static/js/stars.js), as a calendar
    feed; unknown ids, or those of another edition, are left out."""
    edition = edition_or_404(request, number)
    ids = starred_ids(request.GET.getlist("s")[:10])
    sessions = selectors.programme(edition).filter(pk__in=ids).for_programme()
    name = gettext("My sessions – %(edition)s") % {"edition": edition.title}
    content = calendar_for(edition, sessions.select_related("edition"), site_url(request), name)
    return calendar_response(content, f"rencontres-{edition.number}-my-sessions")


def session_or_404(edition, pk):
    return get_object_or_404(Session.objects.for_programme(), edition=edition, pk=pk)


def session_detail(request, number, pk):
    edition = edition_or_404(request, number)
    session = session_or_404(edition, pk)
    left = None
    if session.capacity is not None:
        # Counted by registration's rule, reached through the reverse key (no import up).
        left = max(0, session.capacity - session.choices.taking_a_place().count())
    return render(
        request,
        "editions/session.html",
        {"edition": edition, "session": session, "places_left": left},
    )


def session_ics(request, number, pk):
    edition = edition_or_404(request, number)
    session = session_or_404(edition, pk)
    content = calendar_for(edition, [session], site_url(request))
    return calendar_response(content, slugify(session.title)[:60] or f"session-{session.pk}")


def speakers(request, number):
    edition = edition_or_404(request, number)
    return render(
        request,
        "editions/speakers.html",
        {"edition": edition, "speakers": selectors.edition_speakers(edition)},
    )


def archive(request):
    current = selectors.current_edition_for(request)
    return render(
        request,
        "editions/archive.html",
        {"editions": selectors.archived_editions(current)},
    )


def page(request, slug):
    if slug not in Page.Slug.values:
        raise Http404
    if slug == Page.Slug.PRIVACY:
        # Generated from settings.PRIVACY, like the information on every form.
        return redirect("privacy:notice", permanent=True)
    content = selectors.content_page(slug, selectors.current_edition_for(request))
    if content is None:
        raise Http404
    return render(request, "editions/page.html", {"page": content})
