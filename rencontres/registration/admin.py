"""Organisers' screens for registrations; actions go through the same services as the site,
without the registration window (organisers may act after the deadline)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from rencontres.audit import AuditedModelAdmin
from rencontres.editions.admin import EditionAdmin
from rencontres.privacy.models import ConsentRecord
from rencontres.privacy.visibility import hidden_fields

from . import services
from .models import (
    Category,
    Delegation,
    Invitation,
    Organisation,
    Registration,
    RegistrationEvent,
    SessionChoice,
)


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ["code", "name_fr", "name_en", "needs_approval", "invoiced", "capacity", "colour",
              "order"]  # fmt: skip


# An edition's categories are edited on the edition's page, first; the editions app knows
# nothing of categories, so they are added from here.
EditionAdmin.inlines = [CategoryInline, *EditionAdmin.inlines]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "country", "identifier"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "identifier"]


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ["name", "edition", "needs_approval", "invoiced", "capacity", "order"]
    list_filter = ["edition", "needs_approval", "invoiced"]
    fields = ["edition", "code", ("name_fr", "name_en"), "needs_approval",
              ("invoiced", "invoice_on_confirmation", "payment_before_event"), "capacity",
              ("colour", "order")]  # fmt: skip


class SessionChoiceInline(admin.TabularInline):
    model = SessionChoice
    extra = 0
    fields = ["session", "status", "created_at"]
    readonly_fields = ["session", "status", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = RegistrationEvent
    extra = 0
    fields = ["at", "action", "actor", "details"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(AuditedModelAdmin):
    list_display = ["full_name", "email", "organisation", "category", "status", "created_at"]
    list_filter = ["edition", "status", "category", "organisation__kind"]
    search_fields = ["first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation", "category"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["status", "email_confirmed_at", "privacy_notice_version",
                       "privacy_accepted_at", "directory_consent_at", "photo_consent_at",
                       "next_editions_consent_at",
                       "created_at", "updated_at"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["edition", "status", ("first_name", "last_name"), ("email", "phone"),
                           "job_title", "organisation", "category", "language"]}),
        (_("Participation"), {"fields": ["days", "delegation", "is_delegation_head"]}),
        (_("Needs"), {"fields": ["access_needs", ("diet", "diet_details")]}),
        (_("Invitation letter"), {"fields": ["passport_name", ("passport_number", "nationality"),
                                             "date_of_birth"]}),
        (_("Consents"), {"fields": [("privacy_notice_version", "privacy_accepted_at"),
                                    ("directory_opt_in", "directory_consent_at"),
                                    ("photo_opt_in", "photo_consent_at"),
                                    ("next_editions_opt_in", "next_editions_consent_at")]}),
        (_("History"), {"fields": ["email_confirmed_at", "created_at", "updated_at"]}),
    ]  # fmt: skip
    inlines = [SessionChoiceInline, EventInline]
    actions = ["approve", "reject", "cancel", "resend", "replace_link"]

    def get_fieldsets(self, request, obj=None):
        """Sensitive fields only for the roles that need them (rencontres/privacy)."""
        hidden = hidden_fields(request.user, obj.edition if obj else None)
        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            fields = []
            for line in options["fields"]:
                kept = (
                    tuple(f for f in line if f not in hidden)
                    if isinstance(line, tuple)
                    else (None if line in hidden else line)
                )
                if kept:
                    fields.append(kept)
            if fields:
                fieldsets.append((title, {**options, "fields": fields}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change:
            services.update_details(
                Registration.objects.get(pk=obj.pk),
                {field: form.cleaned_data[field] for field in form.changed_data},
                actor=request.user,
            )
            return
        # Added by an organiser: made as the form makes it; the address counts as confirmed,
        # places as capacity allows. The admin goes on with `obj` (its history, its page).
        fields = {field.name for field in Registration._meta.concrete_fields} - {"edition"}
        details = {name: getattr(obj, name) for name in form.cleaned_data if name in fields}
        created = services.create_registration(
            obj.edition, details, ConsentRecord.Source.ORGANISER, actor=request.user
        )
        obj.pk, obj._state.adding = created.pk, False
        services.confirm_address(obj)
        obj.refresh_from_db()

    @admin.action(description=_("Approve the selected registrations"))
    def approve(self, request, queryset):
        for registration in queryset:
            services.approve(registration, request.user)
        messages.success(request, _("Done."))

    @admin.action(description=_("Reject the selected registrations"))
    def reject(self, request, queryset):
        for registration in queryset:
            services.reject(registration, request.user)
        messages.success(request, _("Done."))

    @admin.action(description=_("Cancel the selected registrations"))
    def cancel(self, request, queryset):
        for registration in queryset:
            services.cancel(registration, actor=request.user)
        messages.success(request, _("Done."))

    @admin.action(description=_("Send their link again"))
    def resend(self, request, queryset):
        for registration in queryset:
            services.resend_link(registration)
        messages.success(request, _("Done."))

    @admin.action(description=_("Replace their private link (the old one stops working)"))
    def replace_link(self, request, queryset):
        for registration in queryset:
            services.replace_link(registration, actor=request.user)
        messages.success(request, _("Done."))


@admin.register(Delegation)
class DelegationAdmin(AuditedModelAdmin):
    list_display = ["name", "edition", "organisation"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    list_display = ["__str__", "email", "organisation_name", "edition", "sent_at", "registration",
                    "declined_at"]  # fmt: skip
    list_filter = ["edition", "category"]
    search_fields = ["first_name", "last_name", "email", "organisation_name"]
    readonly_fields = ["sent_at", "registration", "declined_at", "imported_from", "created_at"]
