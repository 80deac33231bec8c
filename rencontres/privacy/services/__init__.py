"""What the privacy app does, as plain functions for views, the admin, tasks and commands:
consents, the subject access export, erasure, and the retention purge."""

from ..registry import is_erased
from .consents import current_consents
from .erasure import (
    confirm_erasure,
    erase_registrations,
    refuse_erasure,
    request_erasure,
)
from .export import export_data, export_json
from .retention import purge, purge_edition, purge_sensitive, purge_timed

__all__ = [
    "confirm_erasure", "current_consents", "erase_registrations", "export_data", "export_json",
    "is_erased", "purge", "purge_edition", "purge_sensitive", "purge_timed", "refuse_erasure",
    "request_erasure",
]  # fmt: skip
