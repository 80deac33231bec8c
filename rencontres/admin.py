"""Team members and their roles per edition; the audit log, read only; team accounts audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .audit import AuditedModelAdmin, ReadOnlyAdmin
from .models import AuditEntry, Membership


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "edition", "role"]
    list_filter = ["edition", "role"]
    autocomplete_fields = ["user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "edition", "action"]
    list_filter = ["edition", "action"]


class AuditedUserAdmin(UserAdmin, AuditedModelAdmin):
    """Team accounts: who created, changed or removed one is in the audit log."""


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
