"""The figures of an edition's overview, and the SVG charts drawn from them on the server
(no script, no CDN: each chart has its numbers in a table below it)."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext
from django_countries import countries

from rencontres.editions.models import Edition, Session
from rencontres.fees.selectors import expected
from rencontres.invoicing import selectors as invoicing
from rencontres.invoicing.models import Invoice
from rencontres.money import format_money
from rencontres.networking.selectors import request_counts
from rencontres.onsite.models import CheckIn
from rencontres.registration.models import (
    Organisation,
    Registration,
    SessionChoice,
    takes_a_place,
)

# Steps between the labels of the time axis (days): the smallest that keeps them few.
AXIS_STEPS = (7, 15, 30, 60, 90, 120, 180, 365)
MOST_TICKS = 6


def curve(edition, today=None):
    """[(days before the deadline, registrations so far)] from the opening of registration
    (those registered earlier, imported ones, count from the first day) to the deadline, or
    to today for an edition whose deadline is ahead."""
    deadline = timezone.localtime(edition.registration_closes_at).date()
    opening = timezone.localtime(edition.registration_opens_at).date()
    first = min(-(deadline - opening).days, 0)
    dates = Counter(
        timezone.localtime(at).date()
        for at in Registration.objects.filter(edition=edition).values_list("created_at", flat=True)
    )
    last = 0
    if today is not None and today < deadline:
        last = -(deadline - today).days
    total = sum(count for day, count in dates.items() if (day - deadline).days < first)
    points = []
    for offset in range(first, last + 1):
        day = deadline + datetime.timedelta(days=offset)
        total += dates.get(day, 0)
        points.append((offset, total))
    return points


def axis(series):
    """(first day, step): the time axis spans every curve from its opening to the deadline,
    with labels every `step` days counted back from the deadline."""
    first = min([points[0][0] for _label, points, _css in series if points] or [-30])
    first = min(first, -7)
    step = next((s for s in AXIS_STEPS if -first / s <= MOST_TICKS), AXIS_STEPS[-1])
    return first, step


def line_chart(series, width=640, height=260):
    """SVG geometry for curves: [(label, points, css class)] → paths and axes."""
    top = max([value for _label, points, _css in series for _x, value in points] or [1]) or 1
    left, right, upper, lower = 56, 12, 12, 28
    inner_w, inner_h = width - left - right, height - upper - lower
    first, step = axis(series)

    def x(offset):
        return left + (offset - first) / -first * inner_w

    def y(value):
        return upper + inner_h - value / top * inner_h

    lines = []
    for label, points, css in series:
        path = " ".join(f"{x(o):.1f},{y(v):.1f}" for o, v in points)
        # Where the curve stands (today, for the current edition): seen even as one point.
        end = {"x": f"{x(points[-1][0]):.1f}", "y": f"{y(points[-1][1]):.1f}"} if points else None
        lines.append({"label": label, "points": path, "css": css, "end": end})
    ticks = [round(top * share) for share in (0, 0.25, 0.5, 0.75, 1)]
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "deadline_x": f"{x(0):.1f}",
        "top_y": upper,
        "bottom_y": upper + inner_h,
        "y_ticks": [{"value": value, "y": f"{y(value):.1f}"} for value in ticks],
        "x_ticks": [
            {"label": offset, "x": f"{x(offset):.1f}"}
            for offset in reversed(range(0, first - 1, -step))
        ],
        "left": left,
        "right": width - right,
    }


def curve_table(series):
    """The curves' numbers, for the table under the chart: from the earliest opening to the
    deadline, every half step of the axis (a week at least)."""
    first, step = axis(series)
    offsets = sorted({first, *range(0, first - 1, -max(step // 2, 7))})
    found = [dict(points) for _label, points, _css in series]
    return [(offset, *[points.get(offset, "") for points in found]) for offset in offsets]


def bars(rows, limit=15, ranked=True):
    """[(label, count, share of the largest in %)] for a bar chart: ranked (the largest first),
    or in the order given (a scale from 1 to 5, a question's choices)."""
    rows = (sorted(rows, key=lambda row: -row[1]) if ranked else list(rows))[:limit]
    most = max([count for _label, count in rows] or [1]) or 1
    return [(label, count, round(100 * count / most)) for label, count in rows]


def status_figure(status, count):
    """The words after a count of registrations in a status, agreed with the count ("12
    confirmées", "1 annulée"): a status's label alone reads "12 Confirmée"."""
    Status = Registration.Status
    words = {
        Status.AWAITING_CONFIRMATION: npgettext(
            "key figure", "awaiting e-mail confirmation", "awaiting e-mail confirmation", count
        ),
        Status.CONFIRMED: npgettext("key figure", "confirmed", "confirmed", count),
        Status.AWAITING_APPROVAL: npgettext(
            "key figure", "awaiting approval", "awaiting approval", count
        ),
        Status.WAITLISTED: npgettext(
            "key figure", "on the waiting list", "on the waiting list", count
        ),
        Status.CANCELLED: npgettext("key figure", "cancelled", "cancelled", count),
        Status.REJECTED: npgettext("key figure", "rejected", "rejected", count),
    }
    return words[status]


# The columns of the money tables: people holding a place, of whom exempt, what they are
# expected to pay (the fee grid), what is invoiced (after credit notes), paid, and due on
# overdue invoices.
MONEY_COLUMNS = ("people", "exempt", "expected", "invoiced", "paid", "overdue")


def money_figures(edition, today=None):
    """What the edition is owed and was paid, by category and by country: the fee grid's
    expectation for the people holding a place (exempt ones counted), and the invoices'
    amounts, each invoice under the registration it is counted as (its payer's own).
    None when the edition charges nothing and has no invoice."""
    people, currency = expected(edition)
    invoices = invoicing.for_overview(edition)
    if not people and not invoices:
        return None
    tables = {"category": defaultdict(Counter), "country": defaultdict(Counter)}

    def keys(registration):
        category = registration.category
        return {"category": (category.order, category.name), "country": (
            countries.name(registration.organisation.country) or "—", "")}  # fmt: skip

    for person, quote in people:
        for axis, key in keys(person).items():
            row = tables[axis][key]
            row["people"] += 1
            row["exempt"] += quote.exempt
            row["expected"] += quote.total_cents
    for invoice in invoices:
        if invoice.counted_as is None:
            continue
        state = invoice.state(today)
        for axis, key in keys(invoice.counted_as).items():
            row = tables[axis][key]
            row["invoiced"] += invoice.owed_cents
            row["paid"] += invoice.paid_cents
            row["overdue"] += invoice.due_cents if state == Invoice.State.OVERDUE else 0
        currency = invoice.currency

    def shown(row):
        cells = [row[column] for column in MONEY_COLUMNS]
        share = round(100 * row["paid"] / row["invoiced"]) if row["invoiced"] > 0 else None
        return [*cells[:2], *(format_money(cents, currency) for cents in cells[2:]), share]

    result = {}
    for axis, rows in tables.items():
        ordered = sorted(rows.items(), key=lambda item: item[0] if axis == "category" else
                         (-item[1]["invoiced"] - item[1]["expected"], item[0]))  # fmt: skip
        result[axis] = [(key[1] if axis == "category" else key[0], *shown(row))
                        for key, row in ordered]  # fmt: skip
    return {
        "tables": [
            ("category", result["category"], _("Category"), _("By category")),
            ("country", result["country"], _("Country"), _("By country of the organisation")),
        ],
        "total": shown(sum(tables["category"].values(), Counter())),
    }


def figures(edition, money=True):
    people = Registration.objects.filter(edition=edition)
    active = people.exclude(status__in=["cancelled", "rejected"])
    statuses = dict(people.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    categories = active.values_list("category__name_fr", "category__name_en").annotate(
        n=Count("pk")
    )
    kinds = dict(Organisation.Kind.choices)
    by_kind = active.values_list("organisation__kind").annotate(n=Count("pk"))
    by_country = active.values_list("organisation__country").annotate(n=Count("pk"))
    french = active.filter(organisation__country="FR").count()
    total_active = active.count()
    from django.utils.translation import get_language

    english = get_language() == "en"
    sessions = (
        Session.objects.filter(edition=edition, capacity__isnull=False)
        .annotate(
            confirmed=Count("choices", filter=takes_a_place("choices__", held=False)),
            waiting=Count("choices", filter=Q(choices__status=SessionChoice.Status.WAITLISTED)),
        )
        .order_by("starts_at")
    )
    today = timezone.localdate()
    previous = list(Edition.objects.filter(number__lt=edition.number).order_by("-number")[:2])
    series = [(edition.title, curve(edition, today), "line--current")]
    series += [
        (other.title, curve(other), f"line--previous-{index}")
        for index, other in enumerate(previous)
    ]
    return {
        "statuses": [
            (status_figure(value, statuses.get(value, 0)), statuses.get(value, 0))
            for value in Registration.Status.values
        ],
        "total": sum(statuses.values()),
        "categories": bars([(en if english else fr, n) for fr, en, n in categories]),
        "kinds": bars([(kinds.get(kind, kind), n) for kind, n in by_kind]),
        "countries": bars([(countries.name(code), n) for code, n in by_country]),
        "country_count": len(by_country),
        "french": french,
        "foreign": total_active - french,
        "french_share": round(100 * french / total_active) if total_active else 0,
        "sessions": [
            (
                s,
                s.confirmed,
                s.capacity,
                s.waiting,
                round(100 * s.confirmed / s.capacity) if s.capacity else 0,
            )
            for s in sessions
        ],
        "meetings": request_counts(edition),
        "check_ins": CheckIn.objects.filter(
            registration__edition=edition, session=None, day=today
        ).count(),
        "check_ins_total": CheckIn.objects.filter(registration__edition=edition, session=None)
        .values("registration")
        .distinct()
        .count(),
        "chart": line_chart(series),
        "series": [(label, points[-1][1] if points else 0, css) for label, points, css in series],
        # The table's column headers: "Edition 15" is shorter than a title, on a phone too.
        "series_numbers": [one.number for one in (edition, *previous)],
        "curve_table": curve_table(series),
        "money": money_figures(edition) if money else None,
    }
