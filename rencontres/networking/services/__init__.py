"""What happens in the project exchange: profiles and posts, meeting requests, and the
schedule of bilateral meetings. Views, the admin, tasks and commands call these functions.

Every write that places a meeting (or frees its table) locks the edition's row first, the same
lock registrations take, so two placements never get the same table or the same person twice."""

from .common import NetworkingError, network_link
from .profiles import delete_post, save_post, save_profile
from .requests import (
    answer,
    block,
    cancel_meeting,
    is_blocked,
    open_request_between,
    registration_cancelled,
    request_meeting,
    unblock,
    withdraw,
)
from .schedule import (
    execute,
    is_published,
    place_new,
    publish,
    reasons,
    scheduler_input,
    start_run,
)
from .setup import add_slots, delete_slot, set_tables, set_unavailable

__all__ = [
    "NetworkingError",
    "add_slots",
    "answer",
    "block",
    "cancel_meeting",
    "delete_post",
    "delete_slot",
    "execute",
    "is_blocked",
    "is_published",
    "network_link",
    "open_request_between",
    "place_new",
    "publish",
    "reasons",
    "registration_cancelled",
    "request_meeting",
    "save_post",
    "save_profile",
    "scheduler_input",
    "set_tables",
    "set_unavailable",
    "start_run",
    "unblock",
    "withdraw",
]
