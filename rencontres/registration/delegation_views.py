"""The pages a head of delegation reaches through their private link: one member at a time
(their state, their sessions), add a member, replace one who cannot come, change a member's
sessions, send a member their link again, remove a member. Nobody else reaches them: not a
member's own link, not another delegation's head (404)."""

import functools

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rencontres.forms import with_errors

from . import selectors, services
from .forms import DelegationMemberForm, ReplacementForm
from .views import (
    REDISPLAY,
    back_to,
    found_or_404,
    language_buttons,
    private_context,
    registration_or_404,
    sessions_form,
    shown_unchecked,
    throttled,
)


def head_pages(view):
    """A page of a head of delegation's private link (`member`: the public id of one of the
    head's members), while registrations are open: the services check the window again when
    writing. A link that is not a head's, or a member who is not theirs, is a 404 (and counts
    as a wrong link: see views.found_or_404)."""

    @functools.wraps(view)
    def wrapper(request, public_id, secret, member=None):
        head = registration_or_404(request, public_id, secret)
        if not (head.is_delegation_head and head.is_active and head.email_confirmed_at):
            raise Http404
        if member is not None:
            member = found_or_404(request, services.find_member(head, member))
        if not head.edition.registration_status().is_open:
            messages.error(request, services.RegistrationClosed(head.edition).message)
            return back_to(head)
        try:
            return view(request, head, member) if member is not None else view(request, head)
        except services.RegistrationClosed as closed:
            messages.error(request, closed.message)
            return back_to(head)

    return never_cache(wrapper)


def to_member(head, member):
    return redirect("registration:member", head.public_id, head.secret, member.public_id)


@head_pages
def member(request, head, member):
    choices = []
    if member.can_change_sessions:
        choices = selectors.choices_of(member.registration)
    return render(
        request,
        "registration/member.html",
        private_context(head, member=member, member_choices=choices),
    )


def counted(request, form):
    """Whether a form that registers someone is valid and within the registration form's
    limits: every submission counts against the client, refused or not, and a valid one
    against the address it names (views.register)."""
    valid = form.is_valid()
    if throttled(request, "register", *([form.cleaned_data["email"]] if valid else [])):
        form.add_error(None, _("Too many registrations from here. Please try again later."))
        return False
    return valid


def sent_to(member):
    return _("%(name)s will get an e-mail to confirm their address, and their own link.") % {
        "name": member.full_name
    }


@head_pages
def member_add(request, head):
    if services.member_count(head) >= settings.DELEGATION_MAX_MEMBERS:
        messages.error(request, full_message())
        return back_to(head)
    form = DelegationMemberForm(
        request.POST or None, head=head, places_left=selectors.places_left(head.edition),
        initial={"category": head.category_id, "language": head.language},
    )  # fmt: skip
    if request.method == "POST" and REDISPLAY in request.POST:  # the other language
        shown_unchecked(form, None)
    elif request.method == "POST" and counted(request, form):
        data = form.cleaned_data
        try:
            added = services.add_member(
                head, form.person(), sessions=list(data["sessions"]), nonce=data["form_nonce"]
            )
        except services.AlreadyInDelegation:
            form.add_error("email", _("This address is already in your delegation."))
        except services.DelegationFull:
            messages.error(request, full_message())
            return back_to(head)
        else:
            messages.success(request, sent_to(added))
            return back_to(head)
    return render(
        request,
        "registration/member_add.html",
        private_context(
            head, form=form, error_forms=with_errors(form),
            language_buttons=language_buttons(request, "member-form"),
        ),
    )  # fmt: skip


def full_message():
    return _(
        "Your delegation has the most members allowed here (%(count)d): to bring someone "
        "else, replace a member who cannot come."
    ) % {"count": settings.DELEGATION_MAX_MEMBERS}


@head_pages
def member_replace(request, head, member):
    if not member.is_active:
        raise Http404
    language = (member.registration or head).language
    form = ReplacementForm(request.POST or None, edition=head.edition,
                           initial={"language": language})  # fmt: skip
    if request.method == "POST" and counted(request, form):
        data = form.cleaned_data
        try:
            replacement = services.replace_member(
                member.record, form.person(), head=head, nonce=data["form_nonce"]
            )
        except services.AlreadyInDelegation:
            form.add_error("email", _("This address is already in your delegation."))
        except services.MemberGone:
            messages.error(request, _("This member was replaced or removed meanwhile."))
            return back_to(head)
        else:
            messages.success(
                request,
                _("%(name)s takes the place of %(old)s.")
                % {"name": replacement.full_name, "old": member.full_name},
            )
            messages.info(request, sent_to(replacement))
            return back_to(head)
    return render(
        request,
        "registration/member_replace.html",
        private_context(head, member=member, form=form, error_forms=with_errors(form)),
    )


@head_pages
def member_sessions(request, head, member):
    if not member.can_change_sessions:
        raise Http404
    person = member.registration
    form, saved = sessions_form(request, person)
    if saved:
        waiting = services.change_member_sessions(head, person, list(form.cleaned_data["sessions"]))
        messages.success(
            request, _("The sessions of %(name)s are saved.") % {"name": member.full_name}
        )
        if waiting and person.status == person.Status.CONFIRMED:
            messages.info(
                request,
                _("%(name)s is on the waiting list for: %(sessions)s. We will e-mail them if a "
                  "place frees up.") % {"name": member.full_name,
                                        "sessions": ", ".join(s.title for s in waiting)},
            )  # fmt: skip
        return to_member(head, member)
    return render(
        request,
        "registration/member_sessions.html",
        private_context(
            head, member=member, form=form, error_forms=with_errors(form),
            language_buttons=language_buttons(request, "sessions-form"),
        ),
    )  # fmt: skip


@require_POST
@head_pages
def member_send_link(request, head, member):
    if not member.is_active:
        raise Http404
    if throttled(request, "link", member.email):
        messages.error(request, _("Too many requests. Please try again later."))
    else:
        services.resend_member_link(member.record)
        messages.success(
            request, _("We have sent %(name)s their e-mail again.") % {"name": member.full_name}
        )
    return to_member(head, member)


@head_pages
def member_remove(request, head, member):
    if not member.is_active:
        raise Http404
    if request.method == "POST":
        services.remove_member(member.record, head=head)
        messages.success(
            request,
            _("%(name)s is no longer in your delegation.") % {"name": member.full_name},
        )
        return back_to(head)
    return render(request, "registration/member_remove.html", private_context(head, member=member))
