"""What each role may do, and the decorator that guards every back-office page by it.

A superuser is an organiser of every edition. Everyone else needs a Membership for the
edition the page belongs to; a page refuses (403) a role that lacks its capability, whatever
the URL typed, and the menus show only what the role may open."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from .models import Membership

Role = Membership.Role

# Capabilities: the words the pages check.
DASHBOARD = "dashboard"
REGISTRATIONS = "registrations"  # read and edit registrations
EXPORT = "export"  # lists with personal data as files
EMAIL = "email"
MEETINGS = "meetings"
BADGES = "badges"
CERTIFICATES = "certificates"  # attendance certificates, check-ins added by hand
OUTCOMES = "outcomes"  # what the meetings led to: the people's ratings and follow-ups
SURVEYS = "surveys"  # feedback surveys: writing them, their results and answers
CHECK_IN = "check_in"
CHECK_IN_DAYS = "check_in_days"  # accept check-ins on a day outside the edition's days
AUDIT = "audit"
INVITATIONS = "invitations"  # import lists of people and e-mail them an invitation
PRIVACY = "privacy"  # a person's data export, erasure requests
FEES = "fees"  # the fee grid, the member list, exemptions and discounts
INVOICES = "invoices"  # payers, invoices, credit notes, the journal, deposits
API_TOKENS = "api_tokens"  # one's own API tokens (never wider than one's role)
WEBHOOKS = "webhooks"  # the edition's webhook subscriptions, their secrets and deliveries
# Sensitive fields, for those who need them: access needs and diet (welcome and catering),
# the name as in the passport (invitation letters).
NEEDS = "needs"
PASSPORT = "passport"

CAPABILITIES = {
    Role.ORGANISER: {
        DASHBOARD,
        REGISTRATIONS,
        EXPORT,
        EMAIL,
        INVITATIONS,
        MEETINGS,
        BADGES,
        CERTIFICATES,
        OUTCOMES,
        SURVEYS,
        CHECK_IN,
        CHECK_IN_DAYS,
        AUDIT,
        PRIVACY,
        FEES,
        INVOICES,
        NEEDS,
        PASSPORT,
        API_TOKENS,
        WEBHOOKS,
    },
    Role.STAFF: {DASHBOARD, REGISTRATIONS, CHECK_IN, NEEDS, API_TOKENS},
    Role.CHECK_IN: {CHECK_IN},
    Role.VIEWER: {DASHBOARD},
}


def role_of(user, edition):
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ORGANISER
    return (
        Membership.objects.filter(user=user, edition=edition).values_list("role", flat=True).first()
    )


def can(user, edition, capability):
    return capability in CAPABILITIES.get(role_of(user, edition), set())


def capabilities(user, edition):
    return CAPABILITIES.get(role_of(user, edition), set())


def edition_page(capability):
    """A back-office page of one edition (its number in the URL) for roles with
    `capability`; the view gets the edition instead of the number."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, number, **kwargs):
            # The edition model, reached through the membership's key: the project package
            # imports no app.
            edition_model = Membership._meta.get_field("edition").related_model
            edition = get_object_or_404(edition_model, number=number)
            if not can(request.user, edition, capability):
                raise PermissionDenied
            request.capabilities = capabilities(request.user, edition)
            return view(request, edition, **kwargs)

        return login_required(never_cache(wrapper))

    return decorator
