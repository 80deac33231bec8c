"""Waiting lists and sessions: the sessions with limited places, and for each one who holds a
place, who waits and in what order, and the actions on them (give a place out of turn, move
someone to another session, take a place away, change the capacity and give the places it
frees at once), each through the places services (registration/services/places.py) done by
this team member; the list as a PDF for the door and as Excel."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencontres import audit
from rencontres.editions.models import Session
from rencontres.forms import with_errors
from rencontres.registration.forms import session_problems
from rencontres.registration.models import SessionChoice
from rencontres.registration.selectors import places_left, waiting_counts, waiting_list
from rencontres.registration.services import places
from rencontres.roles import EXPORT, REGISTRATIONS, edition_page

from . import session_lists

Choice = SessionChoice.Status


def limited_sessions(edition):
    """The edition's sessions with a capacity, in the programme's order, each with `taken`
    (places taken, as the capacity counts them) and `waiting` (its waiting list's length)."""
    sessions = list(
        Session.objects.filter(edition=edition, capacity__isnull=False)
        .select_related("room")
        .order_by("starts_at", "pk")
    )
    taken = places.confirmed_counts(sessions)
    waiting = waiting_counts(sessions)
    for session in sessions:
        session.taken = taken.get(session.pk, 0)
        session.waiting = waiting.get(session.pk, 0)
        session.full = session.taken >= session.capacity
    return sessions


def session_of(edition, pk):
    session = get_object_or_404(
        Session.objects.select_related("room"), edition=edition, pk=pk, capacity__isnull=False
    )
    session.taken = places.confirmed_counts([session]).get(session.pk, 0)
    session.full = session.taken >= session.capacity
    return session


def holders(session):
    """The choices holding a place in `session`, by name."""
    return list(
        session.choices.taking_a_place()
        .select_related("registration__organisation", "registration__category")
        .order_by("registration__last_name", "registration__first_name", "pk")
    )


def waiting(session):
    """The waiting list in its order, each choice with its `position` (from 1)."""
    found = list(
        waiting_list(session).select_related("registration__organisation", "registration__category")
    )
    for position, choice in enumerate(found, start=1):
        choice.position = position
    return found


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=100000,
        help_text=_(
            "Raising it gives the new places at once to the first on the waiting list, in "
            "order, each told by e-mail. Lowering it takes no place from anyone."
        ),
    )


@edition_page(REGISTRATIONS)
def session_list(request, edition):
    return render(
        request,
        "backoffice/sessions.html",
        {"edition": edition, "sessions": limited_sessions(edition)},
    )


@edition_page(REGISTRATIONS)
def session_page(request, edition, pk):
    session = session_of(edition, pk)
    form = CapacityForm(request.POST or None, initial={"capacity": session.capacity})
    if request.method == "POST" and form.is_valid():
        previous = session.capacity
        capacity = form.cleaned_data["capacity"]
        promoted = places.set_session_capacity(session, capacity, request.user)
        audit.log(
            request, edition, "session_capacity", session=session.pk, previous=previous,
            capacity=capacity, promoted=[choice.registration_id for choice in promoted],
        )  # fmt: skip
        messages.success(
            request,
            ngettext(
                "Capacity set to %(capacity)s: %(count)s person from the waiting list got a "
                "place and is told by e-mail.",
                "Capacity set to %(capacity)s: %(count)s people from the waiting list got a "
                "place and are told by e-mail.",
                len(promoted),
            )
            % {"capacity": capacity, "count": len(promoted)},
        )
        return redirect("backoffice:session", edition.number, session.pk)
    return render(
        request,
        "backoffice/session.html",
        {
            "edition": edition,
            "session": session,
            "form": form,
            "error_forms": with_errors(form),
            "holders": holders(session),
            "waiting": waiting(session),
            "can_export": EXPORT in request.capabilities,
        },
    )


def choice_of(session, pk):
    """The person's choice of `session`, or None (they left it, or never were in it)."""
    return (
        SessionChoice.objects.select_related("registration__organisation", "registration__edition")
        .filter(
            session=session, registration_id=pk, status__in=[Choice.CONFIRMED, Choice.WAITLISTED]
        )
        .first()
    )


def gone(request, edition, session):
    """A second click, or someone acted first: nothing done, the page as it is now."""
    messages.error(request, gettext("This person is no longer in this session."))
    return redirect("backoffice:session", edition.number, session.pk)


@require_POST
@edition_page(REGISTRATIONS)
def session_promote(request, edition, pk, registration_pk):
    """Give a waiting person their place now; when the session is full, only once the team
    member has confirmed they mean beyond the capacity (a page asks)."""
    session = session_of(edition, pk)
    choice = choice_of(session, registration_pk)
    if choice is None:
        return gone(request, edition, session)
    person = choice.registration
    beyond = request.POST.get("beyond_capacity") == "1"
    try:
        given = places.promote_from_session_waiting_list(
            person, session, request.user, beyond_capacity=beyond
        )
    except places.SessionFull:
        return render(
            request,
            "backoffice/session_full.html",
            {"edition": edition, "session": session, "person": person},
        )
    if given:
        audit.log(
            request, edition, "session_promote", session=session.pk, registration=person.pk,
            beyond_capacity=beyond,
        )  # fmt: skip
        messages.success(
            request,
            gettext("%(name)s has a place in this session and is told by e-mail.")
            % {"name": person.full_name},
        )
    else:
        messages.error(request, gettext("This person is not on the waiting list any more."))
    return redirect("backoffice:session", edition.number, session.pk)


class MoveForm(forms.Form):
    """Another session for someone, under the rules their own sessions page applies: on a
    day they attend, never at the same time as another of their sessions."""

    to = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Session.objects.none(),
        empty_label=_("Choose…"),
        help_text=_("A full session puts them on its waiting list."),
    )

    def __init__(self, *args, person, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.session = person, session
        self.others = list(person.choices.exclude(session=session).select_related("session"))
        held = [choice.session_id for choice in self.others]
        queryset = (
            Session.objects.filter(edition=session.edition, registration_required=True)
            .exclude(pk=session.pk)
            .exclude(pk__in=held)
            .order_by("starts_at", "title_fr")
        )
        left = places_left(session.edition, queryset)
        field = self.fields["to"]
        field.queryset = queryset
        field.label_from_instance = lambda other: session_label(other, left.get(other.pk))

    def clean_to(self):
        target = self.cleaned_data["to"]
        others = [choice.session for choice in self.others]
        off_days, clashes = session_problems([target, *others], self.person.days)
        if target in off_days:
            raise forms.ValidationError(
                _("“%(session)s” is on a day this person does not attend.")
                % {"session": target.title}
            )
        for first, second in clashes:
            if target in (first, second):
                other = second if first == target else first
                raise forms.ValidationError(
                    _("“%(session)s” takes place at the same time as “%(other)s”, one of their "
                      "sessions.") % {"session": target.title, "other": other.title}
                )  # fmt: skip
        return target


def session_label(session, left):
    from django.utils import formats

    start = timezone.localtime(session.starts_at)
    when = f"{formats.date_format(start, 'D j')} {formats.time_format(start, 'TIME_FORMAT')}"
    if left is None:
        return f"{session.title} ({when})"
    if left == 0:
        return f"{session.title} ({when}, {gettext('full: waiting list')})"
    places_text = ngettext("%(count)d place left", "%(count)d places left", left) % {"count": left}
    return f"{session.title} ({when}, {places_text})"


@edition_page(REGISTRATIONS)
def session_person(request, edition, pk, registration_pk):
    """One person in a session: move them to another session, or take their place (or their
    rank on the waiting list) away."""
    session = session_of(edition, pk)
    choice = choice_of(session, registration_pk)
    if choice is None:
        if request.method == "POST":
            return gone(request, edition, session)
        raise Http404
    person = choice.registration
    action = request.POST.get("action") if request.method == "POST" else None
    form = MoveForm(request.POST if action == "move" else None, person=person, session=session)
    if action == "remove" or (action == "move" and form.is_valid()):
        others = [other.session for other in form.others]
        target = form.cleaned_data["to"] if action == "move" else None
        wanted = [*others, target] if target else others
        waitlisted = places.change_sessions_for(person, wanted, request.user)
        audit.log(
            request, edition, f"session_{action}", session=session.pk, registration=person.pk,
            **({"to": target.pk} if target else {}),
        )  # fmt: skip
        if target is None:
            text = gettext("%(name)s is no longer in this session and is told by e-mail.")
        elif target in waitlisted:
            text = gettext(
                "%(name)s is moved to “%(session)s”, on its waiting list, and is told by e-mail."
            )
        else:
            text = gettext("%(name)s is moved to “%(session)s” and is told by e-mail.")
        messages.success(
            request, text % {"name": person.full_name, "session": target.title if target else ""}
        )
        return redirect("backoffice:session", edition.number, session.pk)
    if choice.status == Choice.WAITLISTED:
        choice.position = next(
            (other.position for other in waiting(session) if other.pk == choice.pk), None
        )
    return render(
        request,
        "backoffice/session_person.html",
        {
            "edition": edition,
            "session": session,
            "choice": choice,
            "person": person,
            "form": form,
            "error_forms": with_errors(form),
        },
    )


def file_name(session, extension):
    start = timezone.localtime(session.starts_at)
    return f"{start:%Y-%m-%d-%H%M}-{slugify(session.title)[:60] or session.pk}.{extension}"


@edition_page(EXPORT)
def session_door_list(request, edition, pk):
    session = session_of(edition, pk)
    content = session_lists.door_list_pdf(session, holders(session), waiting(session))
    audit.log(request, edition, "session_list_pdf", session=session.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name(session, "pdf")}"'
    return response


@edition_page(EXPORT)
def session_spreadsheet(request, edition, pk):
    session = session_of(edition, pk)
    content = session_lists.session_xlsx(session, holders(session), waiting(session))
    audit.log(request, edition, "session_list_xlsx", session=session.pk)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(session, "xlsx")}"'
    return response
