"""Consent records and erasure requests in the admin: read-only (they are evidence)."""

from django.contrib import admin

from rencontres.audit import ReadOnlyAdmin

from .models import ConsentRecord, ErasureRequest


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["registration_id", "consent", "given", "wording_version", "source", "at"]
    list_filter = ["consent", "given", "source"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ["registration_id", "channel", "status", "requested_at", "decided_at"]
    list_filter = ["status", "channel"]
