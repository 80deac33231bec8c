"""Check-ins and badge batches in the admin, with links to the desk and the badge screen."""

from django.contrib import admin

from rencontres.backoffice.audit import AuditedModelAdmin

from .models import BadgeBatch, CheckIn


@admin.register(CheckIn)
class CheckInAdmin(AuditedModelAdmin):
    list_display = ["registration", "day", "at", "door", "offline"]
    list_filter = ["day", "door", "offline"]
    raw_id_fields = ["registration", "session", "agent"]
    search_fields = ["registration__last_name", "registration__email"]


@admin.register(BadgeBatch)
class BadgeBatchAdmin(AuditedModelAdmin):
    list_display = ["edition", "layout", "status", "count", "created_at"]
    readonly_fields = ["status", "progress", "count", "file", "error", "finished_at"]
