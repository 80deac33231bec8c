"""The project exchange in the admin: themes, slots and tables to edit one by one, and the
requests and meetings to look into (the organisers' screens do the rest)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rencontres.audit import AuditedModelAdmin, ReadOnlyAdmin

from .models import (
    CooperationFollowUp,
    CooperationPost,
    FollowUpDate,
    Meeting,
    MeetingRating,
    MeetingRequest,
    Profile,
    Slot,
    Table,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["name_fr", "name_en", "code", "order"]
    list_editable = ["order"]


@admin.register(Slot)
class SlotAdmin(AuditedModelAdmin):
    list_display = ["__str__", "edition"]
    list_filter = ["edition"]
    exclude = ["unavailable"]


@admin.register(Table)
class TableAdmin(AuditedModelAdmin):
    list_display = ["number", "location", "edition", "screens"]
    list_editable = ["location"]
    list_filter = ["edition"]

    @admin.display(description=_("organisers' screen"))
    def screens(self, table):
        url = reverse("networking:organiser", args=[table.edition.number])
        return format_html('<a href="{}">{}</a>', url, _("Bilateral meetings"))


@admin.register(Profile)
class ProfileAdmin(AuditedModelAdmin):
    list_display = ["registration", "accepts_requests", "updated_at"]
    search_fields = ["registration__last_name", "registration__email"]
    raw_id_fields = ["registration"]


@admin.register(CooperationPost)
class CooperationPostAdmin(AuditedModelAdmin):
    list_display = ["title", "kind", "profile", "created_at"]
    list_filter = ["kind", "themes"]
    search_fields = ["title", "text"]
    raw_id_fields = ["profile"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(AuditedModelAdmin):
    list_display = ["sender", "recipient", "status", "created_at"]
    list_filter = ["status", "edition"]
    raw_id_fields = ["sender", "recipient"]


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ["request", "slot", "table", "cancelled_at"]
    list_filter = ["edition"]
    raw_id_fields = ["request", "participants"]
    readonly_fields = ["slot", "table"]  # placed by the scheduler, under the edition's lock


# What people answered about their meetings is evidence: shown, never edited (the organisers'
# outcomes page reads it, and moves the follow-up date, audited).
@admin.register(MeetingRating)
class MeetingRatingAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "registration", "outcome", "asked_at", "rated_at"]
    list_filter = ["outcome", "meeting__edition"]
    raw_id_fields = ["meeting", "registration"]


@admin.register(CooperationFollowUp)
class CooperationFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "registration", "status", "may_publish", "answered_at"]
    list_filter = ["status", "may_publish", "meeting__edition"]
    raw_id_fields = ["meeting", "registration"]


@admin.register(FollowUpDate)
class FollowUpDateAdmin(ReadOnlyAdmin):
    list_display = ["edition", "day"]
