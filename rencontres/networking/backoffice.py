"""The organisers' meeting screens: slots and tables, scheduler runs with progress, the
result (placed, left out and why, per person), publication, and the printable table plan."""

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rencontres.forms import with_errors
from rencontres.jobs import status_response
from rencontres.registration.models import Registration
from rencontres.roles import MEETINGS, edition_page

from . import selectors, services
from .forms import SlotsForm, TablesForm
from .models import Meeting, ScheduleRun, Slot, Table
from .services.schedule import NO_COMMON_SLOT, NO_TABLE, PEOPLE_BUSY

REASONS = {
    NO_COMMON_SLOT: _("no slot where all participants are free"),
    PEOPLE_BUSY: _("the participants' other meetings fill every slot they share"),
    NO_TABLE: _("no table left in the slots they share"),
}


organiser_page = edition_page(MEETINGS)


@organiser_page
def overview(request, edition):
    slots_form = SlotsForm(
        request.POST if "add_slots" in request.POST else None,
        edition=edition,
        initial={"day": edition.starts_on},
    )
    tables = Table.objects.filter(edition=edition)
    tables_form = TablesForm(
        request.POST if "set_tables" in request.POST else None,
        initial={"count": tables.count() or 30},
    )
    if request.method == "POST":
        if "add_slots" in request.POST and slots_form.is_valid():
            created, skipped = services.add_slots(edition, slots_form.slots())
            messages.success(request, _("%(created)s slots added.") % {"created": created})
            if skipped:
                messages.info(
                    request,
                    _("%(skipped)s slots overlapped existing ones and were not added.")
                    % {"skipped": skipped},
                )
            return redirect("networking:organiser", edition.number)
        if "set_tables" in request.POST and tables_form.is_valid():
            kept = services.set_tables(
                edition, tables_form.cleaned_data["count"], tables_form.cleaned_data["location"]
            )
            messages.success(request, _("The tables are saved."))
            if kept:
                messages.info(
                    request,
                    _("%(kept)s tables above that number hold meetings and were kept.")
                    % {"kept": kept},
                )
            return redirect("networking:organiser", edition.number)
        if "delete_slot" in request.POST:
            slot = get_object_or_404(
                Slot,
                edition=edition,
                pk=int(value)
                if (value := request.POST["delete_slot"]).isdecimal() and len(value) < 12
                else 0,
            )
            try:
                services.delete_slot(slot)
            except services.NetworkingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Slot deleted."))
            return redirect("networking:organiser", edition.number)
        if "run" in request.POST:
            run = services.start_run(edition, request.user)
            return redirect("networking:run", edition.number, run.pk)
    return render(
        request,
        "networking/organiser/overview.html",
        {
            "edition": edition,
            "slots": Slot.objects.filter(edition=edition),
            "table_count": tables.count(),
            "slots_form": slots_form,
            "tables_form": tables_form,
            "counts": selectors.request_counts(edition),
            "runs": ScheduleRun.objects.filter(edition=edition)[:10],
            "published": services.is_published(edition),
            "error_forms": with_errors(slots_form, tables_form),
        },
    )


def run_or_404(edition, pk):
    return get_object_or_404(ScheduleRun, edition=edition, pk=pk)


@organiser_page
def run(request, edition, pk):
    schedule_run = run_or_404(edition, pk)
    result = schedule_run.result or {}
    context = {"edition": edition, "run": schedule_run, "result": result}
    if schedule_run.status == ScheduleRun.Status.DONE:
        context.update(result_details(edition, result))
    return render(request, "networking/organiser/run.html", context)


def result_details(edition, result):
    """Names for the ids of a result: who is left out and why, and per person, how many of
    their meetings were placed."""
    meeting_ids = [int(mid[1:]) for mid in result.get("unscheduled", [])]
    placed_ids = [int(row["meeting"][1:]) for row in result.get("scheduled", [])]
    left_out = Meeting.objects.filter(pk__in=meeting_ids).select_related(
        "request__sender", "request__recipient"
    )
    reasons = result.get("reasons", {})
    rows = Meeting.participants.through.objects.filter(
        meeting_id__in=meeting_ids + placed_ids
    ).values_list("meeting_id", "registration_id")
    placed_set = set(placed_ids)
    wanted, got = Counter(), Counter()
    for meeting, person in rows:
        wanted[person] += 1
        got[person] += meeting in placed_set
    people = Registration.objects.filter(pk__in=wanted).select_related("organisation")
    per_person = sorted(
        ((person, wanted[person.pk], got[person.pk]) for person in people),
        key=lambda row: (row[2] - row[1], row[0].last_name),
    )
    bound = result.get("bound") or 0
    return {
        "left_out": [
            (meeting, REASONS.get(reasons.get(f"m{meeting.pk}"), "")) for meeting in left_out
        ],
        "per_person": per_person,
        "without_meeting": sum(1 for _p, want, have in per_person if want and not have),
        "share_of_bound": (100 * result.get("placed_priority", 0) / bound) if bound else 100,
    }


@organiser_page
def run_status(request, edition, pk):
    schedule_run = run_or_404(edition, pk)
    return status_response(schedule_run)


@require_POST
@organiser_page
def publish(request, edition, pk):
    schedule_run = run_or_404(edition, pk)
    if schedule_run.status != ScheduleRun.Status.DONE:
        messages.error(request, _("Only a finished run can be published."))
        return redirect("networking:run", edition.number, pk)
    try:
        placed, left_out = services.publish(schedule_run)
    except services.NetworkingError as error:
        messages.error(request, error.message)
        return redirect("networking:run", edition.number, pk)
    messages.success(
        request,
        ngettext(
            "Schedule published: %(placed)s meeting placed; every participant is told their "
            "agenda is ready.",
            "Schedule published: %(placed)s meetings placed; every participant is told their "
            "agenda is ready.",
            placed,
        )
        % {"placed": placed},
    )
    if left_out:
        messages.info(
            request,
            ngettext(
                "%(count)s meeting could not be placed.",
                "%(count)s meetings could not be placed.",
                len(left_out),
            )
            % {"count": len(left_out)},
        )
    return redirect("networking:organiser", edition.number)


@organiser_page
def table_plan(request, edition):
    return render(
        request,
        "networking/organiser/table_plan.html",
        {"edition": edition, "plan": selectors.table_plan(edition)},
    )
