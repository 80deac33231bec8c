"""The sessions' widget: sessions grouped by day and time slot, one choice per slot where all
of its sessions take place at the same time (radio buttons with "none"), checkboxes elsewhere;
each with its places left. The server still refuses clashes (SessionChoices.check_sessions)."""

from django import forms
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def overlap(first, second):
    return first.starts_at < second.ends_at and second.starts_at < first.ends_at


def time_slots(sessions):
    """[(day, [slot, ...])]: each slot a list of sessions whose times overlap, one after the
    other (a session that starts before the slot's last one ends joins it), in Paris days."""
    days = {}
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.pk)):
        slots = days.setdefault(timezone.localtime(session.starts_at).date(), [])
        if slots and session.starts_at < max(other.ends_at for other in slots[-1]):
            slots[-1].append(session)
        else:
            slots.append([session])
    return list(days.items())


def one_at_most(slot):
    """Whether a slot holds sessions that all take place at the same time: one choice at most."""
    return len(slot) > 1 and all(
        overlap(first, second) for index, first in enumerate(slot) for second in slot[index + 1 :]
    )


def hours(start, end):
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{formats.time_format(start, 'TIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')}"


def places_text(session, places_left):
    if session.capacity is None:
        return ""
    left = places_left.get(session.pk, 0)
    if left > 0:
        return ngettext("%(count)d place left", "%(count)d places left", left) % {"count": left}
    return _("full: waiting list")


class SessionSlots(forms.CheckboxSelectMultiple):
    """Renders the sessions field's choices (model choices: sessions) by day and slot. The
    radio buttons of a slot are named "<name>-slot-<id of its first session>"; what they and
    the checkboxes send is read back as one list of session ids."""

    template_name = "registration/widgets/session_slots.html"

    def __init__(self, attrs=None, places_left=None):
        super().__init__(attrs)
        self.places_left = places_left or {}

    def value_from_datadict(self, data, files, name):
        values = list(data.getlist(name)) if hasattr(data, "getlist") else []
        prefix = f"{name}-slot-"
        for key in data:
            if key.startswith(prefix):
                chosen = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                values.extend(value for value in chosen if value)
        return values

    def get_context(self, name, value, attrs):
        # Not ChoiceWidget's: its option dictionaries, built for every session, go unused.
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = {str(item) for item in self.format_value(value)}
        base_id = context["widget"]["attrs"].get("id", f"id_{name}")
        sessions = [option.instance for option, _label in self.choices if option != ""]
        days = []
        for day, slots in time_slots(sessions):
            shown = []
            for slot in slots:
                start, end = slot[0].starts_at, max(session.ends_at for session in slot)
                options = [
                    {
                        "value": str(session.pk),
                        "id": f"{base_id}_{session.pk}",
                        "title": session.title,
                        "room": session.room.name if session.room_id else "",
                        # Its own hours, where they are not the slot's.
                        "hours": ""
                        if (session.starts_at, session.ends_at) == (start, end)
                        else hours(session.starts_at, session.ends_at),
                        "places": places_text(session, self.places_left),
                        "full": session.capacity is not None
                        and self.places_left.get(session.pk, 0) <= 0,
                        "checked": str(session.pk) in chosen,
                    }
                    for session in slot
                ]
                shown.append(
                    {
                        "hours": hours(start, end),
                        "one_at_most": one_at_most(slot),
                        "overlapping": len(slot) > 1,
                        "name": f"{name}-slot-{slot[0].pk}",
                        "none_id": f"{base_id}_{slot[0].pk}_none",
                        "chosen": any(option["checked"] for option in options),
                        "options": options,
                    }
                )
            days.append({"label": capfirst(formats.date_format(day, "l j F")), "slots": shown})
        context["days"] = days
        context["name"] = name
        context["id"] = base_id
        return context
