"""From the database to the scheduler and back: its input (slots, tables, who is busy when,
accepted meetings), a run with progress, publication, and placing one meeting afterwards."""

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from rencontres import background
from rencontres.registration.models import Registration, SessionChoice
from rencontres.registration.services import lock_edition

from .. import scheduler
from ..models import Meeting, ScheduleRun, Slot, Table
from .common import NetworkingError, notify

logger = logging.getLogger(__name__)

# Why a meeting was left out, in the organisers' words (see `reasons`).
NO_COMMON_SLOT = "no_common_slot"
PEOPLE_BUSY = "people_busy"
NO_TABLE = "no_table"


def is_published(edition):
    return ScheduleRun.objects.filter(edition=edition, published_at__isnull=False).exists()


def slot_key(slot_pk):
    return f"s{slot_pk}"


def busy_slots(slots, people):
    """{registration id: {slot id}} for the slots each person cannot meet in: those they
    marked, and those that overlap a session where they hold a confirmed place."""
    busy = defaultdict(set)
    marked = Slot.unavailable.through.objects.filter(
        slot__in=slots, registration_id__in=people
    ).values_list("registration_id", "slot_id")
    for person, slot in marked:
        busy[person].add(slot)
    sessions = SessionChoice.objects.filter(
        registration_id__in=people, status=SessionChoice.Status.CONFIRMED
    ).values_list("registration_id", "session__starts_at", "session__ends_at")
    for person, starts_at, ends_at in sessions:
        for slot in slots:
            if slot.starts_at < ends_at and starts_at < slot.ends_at:
                busy[person].add(slot.pk)
    return busy


def active_meetings(edition):
    """[(meeting, [participant ids])] of the accepted, not cancelled meetings."""
    meetings = list(
        Meeting.objects.filter(edition=edition, cancelled_at__isnull=True).order_by("pk")
    )
    people = defaultdict(list)
    rows = Meeting.participants.through.objects.filter(
        meeting__in=meetings, registration__status="confirmed"
    ).values_list("meeting_id", "registration_id")
    for meeting, person in rows:
        people[meeting].append(person)
    return [(meeting, sorted(people[meeting.pk])) for meeting in meetings]


def scheduler_input(edition, fix_placed=None):
    """The scheduler's input for the edition. Once published, placed meetings are fixed where
    they are, unless one of their people can no longer come then (they are placed again)."""
    if fix_placed is None:
        fix_placed = is_published(edition)
    slots = list(Slot.objects.filter(edition=edition))
    tables = list(Table.objects.filter(edition=edition).values_list("pk", flat=True))
    table_numbers = {pk: index for index, pk in enumerate(tables, start=1)}
    meetings = [(m, people) for m, people in active_meetings(edition) if len(people) >= 2]
    everyone = sorted({person for _meeting, people in meetings for person in people})
    busy = busy_slots(slots, everyone)
    rows = []
    for meeting, people in meetings:
        row = {
            "id": f"m{meeting.pk}",
            "participants": [f"p{p}" for p in people],
            "priority": meeting.priority,
        }
        still_free = not any(meeting.slot_id in busy[person] for person in people)
        if fix_placed and meeting.slot_id and meeting.table_id in table_numbers and still_free:
            row["fixed"] = {
                "slot": slot_key(meeting.slot_id),
                "table": table_numbers[meeting.table_id],
            }
        rows.append(row)
    return {
        "slots": [slot_key(slot.pk) for slot in slots],
        "tables": len(tables),
        "participants": [
            {"id": f"p{person}", "unavailable": [slot_key(s) for s in sorted(busy[person])]}
            for person in everyone
        ],
        "meetings": rows,
    }


def reasons(data, result):
    """{meeting id: reason} for each meeting the result leaves out."""
    unavailable = {p["id"]: set(p["unavailable"]) for p in data["participants"]}
    meetings = {m["id"]: m["participants"] for m in data["meetings"]}
    busy = defaultdict(set)
    load = defaultdict(int)
    for row in result["scheduled"]:
        load[row["slot"]] += 1
        for person in meetings[row["meeting"]]:
            busy[person].add(row["slot"])
    found = {}
    for meeting in result["unscheduled"]:
        people = meetings[meeting]
        common = [s for s in data["slots"] if not any(s in unavailable[p] for p in people)]
        if not common:
            found[meeting] = NO_COMMON_SLOT
        elif all(any(slot in busy[p] for p in people) for slot in common):
            found[meeting] = PEOPLE_BUSY
        else:
            found[meeting] = NO_TABLE
    return found


def start_run(edition, user=None):
    """Queue a run (the worker does it; tests run it inline)."""
    run = ScheduleRun.objects.create(edition=edition, started_by=user)
    background.enqueue_on_commit("rencontres.networking.tasks.run_scheduler", run.pk)
    return run


def execute(run):
    """The run's work: build the input, solve with progress, keep the result."""
    run.start(total=100, done=5)  # in hundredths of the scheduler's time
    try:
        data = scheduler_input(run.edition)

        def progress(share):
            value = min(95, 10 + int(share * 85))
            if value >= run.done + 3:
                run.advance(value)

        run.advance(10)
        result = scheduler.solve(data, progress=progress)
        result["reasons"] = reasons(data, result)
        result["priority_total"] = sum(m["priority"] for m in data["meetings"])
        priorities = {m["id"]: m["priority"] for m in data["meetings"]}
        result["placed_priority"] = sum(priorities[row["meeting"]] for row in result["scheduled"])
        run.succeed(result=result)
    except Exception as error:  # the organisers see that it failed; the log has the rest
        logger.exception("schedule run %s failed", run.pk)
        run.fail(error)
    run.refresh_from_db()
    return run


def unplace(meeting):
    meeting.slot = meeting.table = None
    meeting.save(update_fields=["slot", "table", "cancelled_at"])


def publish(run, now=None):
    """Give the run's places to the meetings and tell each participant their agenda is ready.

    Things may have changed since the run (a cancellation, a new unavailability, a meeting
    accepted meanwhile): each place is checked again against the current input. Places
    already announced by an earlier publication stay as they are while they still hold. What
    no longer fits, and meetings the run did not know, are placed one by one where they can.
    Returns (placed, left_out); raises NetworkingError for a run already published or older
    than the last publication (it would move people who were told where to be)."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    edition = run.edition
    with transaction.atomic():
        lock_edition(edition)
        run.refresh_from_db()
        latest = (
            ScheduleRun.objects.filter(edition=edition, published_at__isnull=False)
            .order_by("-published_at")
            .first()
        )
        if run.published_at is not None:
            raise NetworkingError(_("This schedule is published already."))
        if latest is not None and run.created_at < latest.published_at:
            raise NetworkingError(
                _("Another schedule was published after this run: run the scheduler again.")
            )
        data = scheduler_input(edition, fix_placed=False)
        people = {m["id"]: m["participants"] for m in data["meetings"]}
        unavailable = {p["id"]: set(p["unavailable"]) for p in data["participants"]}
        slot_ids = set(data["slots"])
        tables = list(Table.objects.filter(edition=edition))
        number = {table.pk: index for index, table in enumerate(tables, start=1)}
        meetings = {
            f"m{m.pk}": m for m in Meeting.objects.filter(edition=edition, cancelled_at=None)
        }
        busy, taken = set(), set()

        def fits(meeting_id, slot, table):
            who = people.get(meeting_id)
            return (
                who is not None
                and slot in slot_ids
                and 1 <= table <= len(tables)
                and (slot, table) not in taken
                and not any(slot in unavailable[p] or (p, slot) in busy for p in who)
            )

        def take(meeting_id, slot, table):
            taken.add((slot, table))
            busy.update((p, slot) for p in people[meeting_id])

        kept = set()
        if latest is not None:
            for meeting_id, meeting in meetings.items():
                if meeting.slot_id and meeting.table_id in number:
                    place = (slot_key(meeting.slot_id), number[meeting.table_id])
                    if fits(meeting_id, *place):
                        take(meeting_id, *place)
                        kept.add(meeting_id)
        Meeting.objects.filter(edition=edition).exclude(
            pk__in=[meetings[m].pk for m in kept]
        ).update(slot=None, table=None)
        placed = set(kept)
        for row in run.result.get("scheduled", []):
            meeting_id = row["meeting"]
            if meeting_id in placed or not fits(meeting_id, row["slot"], row["table"]):
                continue
            take(meeting_id, row["slot"], row["table"])
            placed.add(meeting_id)
            meeting = meetings[meeting_id]
            meeting.slot_id = int(row["slot"][1:])
            meeting.table = tables[row["table"] - 1]
            meeting.save(update_fields=["slot", "table"])
        left = [meetings[m] for m in people if m not in placed]
        run.published_at = now
        run.save(update_fields=["published_at"])
        left_out = [meeting for meeting in left if not place_new(meeting)]
        tell_everyone(edition)
    return len(people) - len(left_out), left_out


def tell_everyone(edition):
    people = Registration.objects.filter(
        meetings__edition=edition, meetings__cancelled_at__isnull=True, status="confirmed"
    ).distinct()
    for person in people.select_related("edition"):
        notify(person, "agenda_ready")


def place_new(meeting):
    """With the edition locked, after publication: give `meeting` a slot and a table without
    moving any published meeting. Returns True when placed."""
    data = placement_input(meeting)
    if data is None:
        return False
    published = data.pop("published")
    row = scheduler.place_one(data, published, f"m{meeting.pk}")
    if row is None:
        return False
    meeting.slot_id = int(row["slot"][1:])
    meeting.table = data["table_objects"][row["table"] - 1]
    meeting.save(update_fields=["slot", "table"])
    return True


def placement_input(meeting):
    edition = meeting.edition
    slots = list(Slot.objects.filter(edition=edition))
    tables = list(Table.objects.filter(edition=edition))
    people = list(meeting.participants.filter(status="confirmed").values_list("pk", flat=True))
    if len(people) < 2 or not slots or not tables:
        return None
    number = {table.pk: index for index, table in enumerate(tables, start=1)}
    placed = list(
        Meeting.objects.filter(edition=edition, cancelled_at__isnull=True, slot__isnull=False)
        .exclude(pk=meeting.pk)
        .values_list("pk", "slot_id", "table_id")
    )
    members = defaultdict(list)
    for meeting_id, person in Meeting.participants.through.objects.filter(
        meeting_id__in=[pk for pk, _slot, _table in placed], registration_id__in=people
    ).values_list("meeting_id", "registration_id"):
        members[meeting_id].append(f"p{person}")
    busy = busy_slots(slots, people)
    return {
        "slots": [slot_key(slot.pk) for slot in slots],
        "tables": len(tables),
        "participants": [
            {"id": f"p{p}", "unavailable": [slot_key(s) for s in busy[p]]} for p in people
        ],
        "meetings": [
            {"id": f"m{meeting.pk}", "participants": [f"p{p}" for p in people]},
            *({"id": f"m{pk}", "participants": members[pk]} for pk, _s, _t in placed),
        ],
        "published": [
            {"meeting": f"m{pk}", "slot": slot_key(slot), "table": number[table]}
            for pk, slot, table in placed
            if table in number
        ],
        "table_objects": tables,
    }
