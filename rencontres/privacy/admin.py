"""Consent records and erasure requests in the admin: read-only (they are evidence)."""

from django.contrib import admin

from .models import ConsentRecord, ErasureRequest


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnly):
    list_display = ["registration_id", "consent", "given", "wording_version", "source", "at"]
    list_filter = ["consent", "given", "source"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnly):
    list_display = ["registration_id", "channel", "status", "requested_at", "decided_at"]
    list_filter = ["status", "channel"]
