"""What the privacy app does, as plain functions for views, the admin, tasks and commands:
consents, the subject access export, erasure, and the retention purge."""

from .consents import (
    consent_times,
    current_consents,
    record,
    record_consents_on_registering,
    set_consent,
)
from .erasure import (
    confirm_erasure,
    erase_registrations,
    is_erased,
    refuse_erasure,
    request_erasure,
)
from .export import export_data, export_json
from .retention import purge, purge_edition, purge_sensitive, purge_timed

__all__ = [
    "confirm_erasure", "consent_times", "current_consents", "erase_registrations", "export_data",
    "export_json", "is_erased", "purge", "purge_edition", "purge_sensitive", "purge_timed",
    "record", "record_consents_on_registering", "refuse_erasure", "request_erasure", "set_consent",
]  # fmt: skip
