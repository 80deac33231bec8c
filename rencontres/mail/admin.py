"""The outbox, readable by organisers: what was sent, what waits, what failed and why."""

from django.contrib import admin

from rencontres.audit import AuditedModelAdmin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(AuditedModelAdmin):
    list_display = ["created_at", "recipient", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "language"]
    search_fields = ["recipient", "subject"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False
