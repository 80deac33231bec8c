"""What happens to a registration: submit, confirm the address, take places or wait, change,
cancel, approve or reject. Views, the admin and tasks all call these functions.

Capacity rule: every write that takes or frees a place runs in one transaction that first locks
the edition's row (select_for_update on PostgreSQL; SQLite's immediate transactions lock the
whole database). The edition row is the one lock for all counts of that edition (overall,
category and sessions), so places are never given twice and locks are always taken in the
same order.
"""

from .by_hand import AlreadyRegistered, add_by_hand
from .common import RegistrationClosed, check_window, lock_edition, log
from .consents import set_consent
from .delegations import (
    AlreadyInDelegation,
    DelegationFull,
    MemberGone,
    add_member,
    change_member_sessions,
    find_member,
    member_count,
    remove_member,
    replace_member,
    resend_member_link,
    roster,
)
from .extras import ExtraFull, book_extras
from .invitations import decline as decline_invitation
from .invitations import (
    form_initial,
    invitation_by_link,
    invitation_link,
    invite_returning_participants,
    returning_participants,
    send_invitations,
)
from .messages import (
    carries_an_old_link,
    confirmation_link,
    confirmation_token,
    private_link,
    registration_from_confirmation_token,
    send,
)
from .organisations import find_or_create_organisation
from .places import (
    admit,
    approve,
    cancel,
    change_sessions,
    change_sessions_for,
    confirm_address,
    confirm_from_waiting_list,
    delete_never_confirmed,
    reject,
    release_expired_holds,
    update_details,
)
from .submit import (
    create_registration,
    delegation_head,
    delegation_members,
    replace_link,
    request_link,
    resend_link,
    submit,
)

__all__ = [
    "AlreadyInDelegation",
    "AlreadyRegistered",
    "DelegationFull",
    "ExtraFull",
    "MemberGone",
    "RegistrationClosed",
    "add_by_hand",
    "add_member",
    "admit",
    "approve",
    "book_extras",
    "cancel",
    "carries_an_old_link",
    "change_member_sessions",
    "change_sessions",
    "change_sessions_for",
    "check_window",
    "confirm_address",
    "confirm_from_waiting_list",
    "confirmation_link",
    "confirmation_token",
    "create_registration",
    "decline_invitation",
    "delegation_head",
    "delegation_members",
    "delete_never_confirmed",
    "find_member",
    "find_or_create_organisation",
    "form_initial",
    "invitation_by_link",
    "invitation_link",
    "invite_returning_participants",
    "lock_edition",
    "log",
    "member_count",
    "private_link",
    "registration_from_confirmation_token",
    "reject",
    "release_expired_holds",
    "remove_member",
    "replace_link",
    "replace_member",
    "request_link",
    "resend_link",
    "resend_member_link",
    "returning_participants",
    "roster",
    "send",
    "send_invitations",
    "set_consent",
    "submit",
    "update_details",
]  # fmt: skip
