"""The organisers' outcomes page: what the edition's meetings led to (held, their ratings, the
follow-ups, the cooperations started), by country pair, theme and kind of authority, with
charts and tables; its export; and the follow-up date, which organisers may move (audited).
Only organisers see people's answers (rencontres.roles.OUTCOMES)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rencontres import audit
from rencontres.forms import with_errors
from rencontres.networking.forms import FollowUpDateForm
from rencontres.networking.outcomes import country_name, figures
from rencontres.networking.services import outcomes
from rencontres.registration.models import Organisation
from rencontres.roles import OUTCOMES, edition_page

from . import exports
from .dashboard import bars


@edition_page(OUTCOMES)
def outcomes_page(request, edition):
    current = outcomes.follow_up_date(edition)
    form = FollowUpDateForm(request.POST or None, initial={"day": current}, edition=edition)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        if day != current:
            before = outcomes.set_follow_up_date(edition, day)
            audit.log(
                request,
                edition,
                "follow_up_date_changed",
                before=before.isoformat(),
                after=day.isoformat(),
            )
        messages.success(request, _("The follow-up date is saved."))
        return redirect("backoffice:outcomes", edition.number)
    found = figures(edition)
    charts = [
        (
            "country",
            _("By country pair"),
            _("Countries"),
            found["by_country_pair"],
        ),
        ("theme", _("By shared theme"), _("Theme"), found["by_theme"]),
        ("kind", _("By kind of organisation"), _("Kind of organisation"), found["by_kind"]),
    ]
    return render(
        request,
        "backoffice/outcomes.html",
        {
            "edition": edition,
            "figures": found,
            "ratings_bars": bars(found["ratings"], limit=10),
            "statuses_bars": bars(found["statuses"], limit=10),
            "breakdowns": [
                (key, title, column, groups, bars([(g.label, g.held) for g in groups]))
                for key, title, column, groups in charts
            ],
            "texts": [
                (row, follow_up)
                for row in found["rows"]
                for follow_up in row.answered
                if follow_up.text
            ],
            "form": form,
            "error_forms": with_errors(form),
            "follow_up_date": current,
            "follow_up_moved": current != outcomes.default_follow_up_date(edition),
        },
    )


def party_columns(person, rating, follow_up, kinds):
    organisation = person.organisation
    return [
        exports.guard(person.full_name),
        exports.guard(organisation.name),
        country_name(organisation.country.code),
        str(kinds.get(organisation.kind, organisation.kind)),
        str(rating.get_outcome_display()) if rating else "",
        str(follow_up.get_status_display()) if follow_up and follow_up.status else "",
        exports.guard(follow_up.text) if follow_up else "",
        (_("yes") if follow_up.may_publish else _("no")) if follow_up and follow_up.status else "",
    ]


@edition_page(OUTCOMES)
def outcomes_xlsx(request, edition):
    """One row per past meeting, both parties side by side: what each answered."""
    found = figures(edition)
    kinds = dict(Organisation.Kind.choices)
    T, D = exports.TEXT, exports.DATE
    party = [
        (_("Name"), T),
        (_("Organisation"), T),
        (_("Country"), T),
        (_("Kind of organisation"), T),
        (_("Rating"), T),
        (_("Follow-up"), T),
        (_("Text"), T),
        (_("May be published"), T),
    ]
    header = [
        (_("Date"), D),
        (_("Table"), T),
        (_("Held"), T),
        (_("Shared themes"), T),
        *[(f"{title} (1)", kind) for title, kind in party],
        *[(f"{title} (2)", kind) for title, kind in party],
    ]
    body = []
    for row in found["rows"]:
        meeting = row.meeting
        ratings = {rating.registration_id: rating for rating in row.ratings}
        follow_ups = {follow_up.registration_id: follow_up for follow_up in row.follow_ups}
        line = [
            timezone.localtime(meeting.slot.starts_at).replace(tzinfo=None),
            str(meeting.table or ""),
            _("yes") if row.held else _("no"),
            ", ".join(str(theme) for theme in row.themes),
        ]
        for person in (meeting.request.sender, meeting.request.recipient):
            line += party_columns(person, ratings.get(person.pk), follow_ups.get(person.pk), kinds)
        body.append(line)
    audit.log(request, edition, "outcomes_exported", rows=len(body))
    return exports.xlsx_download(
        exports.workbook(_("Outcomes"), header, body), f"outcomes-{edition.number}"
    )
