"""The fee grid in the admin, for superusers; organisers edit it on the back-office's own
pages (/organiser/<n>/fees/). Exemptions and discounts are granted on a registration's page,
where they reach its history: here they are only read."""

from django.contrib import admin

from rencontres.audit import AuditedModelAdmin, ReadOnlyAdmin

from .models import Adjustment, Extra, Fee, MemberOrganisation


@admin.register(Fee)
class FeeAdmin(AuditedModelAdmin):
    list_display = ["category", "for_members", "amount_cents", "basis", "early_amount_cents",
                    "early_until"]  # fmt: skip
    list_filter = ["category__edition"]


@admin.register(Extra)
class ExtraAdmin(AuditedModelAdmin):
    list_display = ["name_fr", "edition", "price_cents", "capacity"]
    list_filter = ["edition"]


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "identifier", "edition"]
    list_filter = ["edition"]
    search_fields = ["name", "identifier"]
    raw_id_fields = ["organisation"]


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["registration", "kind", "amount_cents", "granted_by", "granted_at",
                    "withdrawn_at"]  # fmt: skip
