"""Template helpers of the public site."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from rencontres import dates
from rencontres.markdown import render_markdown
from rencontres.money import DEFAULT_CURRENCY, format_money

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def money(cents, currency=DEFAULT_CURRENCY):
    """Integer cents as the active language writes money: "1 234,50 €", "€1,234.50"."""
    if cents in (None, ""):
        return ""
    return format_money(cents, currency or DEFAULT_CURRENCY)


@register.filter(is_safe=True)
def colon(label):
    """A label before its value, with the colon as the language writes it: "Room:" in
    English, "Salle :" (a non-breaking space before the colon) in French."""
    return pgettext("a label before its value", "%(label)s:") % {"label": label}


def registration_url():
    """Where the call to register points, once the registration app provides the form."""
    try:
        return reverse("registration:start")
    except NoReverseMatch:
        return None


def status_text(status):
    # Formatting takes the datetime as it is: show it in Paris time, like everything else.
    closes_at = timezone.localtime(status.closes_at)
    closes = formats.date_format(closes_at, "MONTH_DAY_FORMAT")
    if status.state == "not_yet_open":
        opens = formats.date_format(timezone.localtime(status.opens_at), "DATE_FORMAT")
        return _("Registrations open on %(date)s.") % {"date": opens}, ""
    if status.state == "closed":
        return _("Registrations are closed."), ""
    headline = _("Registrations are open until %(date)s.") % {"date": closes}
    if status.days_left == 0:
        detail = _("Last day to register: closing tonight at %(time)s (Paris time).") % {
            "time": formats.time_format(closes_at, "TIME_FORMAT")
        }
    else:
        detail = ngettext("%(count)d day left.", "%(count)d days left.", status.days_left) % {
            "count": status.days_left
        }
    return headline, detail


@register.inclusion_tag("editions/_registration_status.html")
def registration_status(edition, prominent=False, on_the_form=False):
    """The edition's registration window, with a Register button unless `on_the_form` (there,
    a link to the empty form would only lose what was typed)."""
    status = edition.registration_status()
    headline, detail = status_text(status)
    return {
        "status": status,
        "headline": headline,
        "detail": detail,
        "register_url": registration_url() if status.is_open and not on_the_form else None,
        "prominent": prominent,
    }


@register.simple_tag
def date_range(start, end, weekday=False):
    """{% date_range edition.starts_on edition.ends_on %}: see rencontres/dates.py."""
    return dates.date_range(start, end, weekday=weekday)


@register.simple_tag
def date_range_phrase(start, end):
    """{% date_range_phrase start end as dates %}: "from 4 to 5 November 2027"."""
    return dates.date_range_phrase(start, end)
