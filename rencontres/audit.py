"""The audit log: `log` for what the team does on the back-office's pages, and
AuditedModelAdmin for edits made in the admin (every ModelAdmin of the project derives from it,
so additions, changes, deletions and actions there are recorded alike). Ids and field names
only, never the values."""

import json

from django.contrib import admin
from django.contrib.admin import helpers

from rencontres.forms import ADMIN_TEXT_AREAS

from .models import AuditEntry

# Where an object's edition is found, tried in order (a profile's post: profile → registration).
EDITION_PATHS = [
    ("edition",),
    ("registration", "edition"),
    ("session", "edition"),
    ("category", "edition"),
    ("profile", "registration", "edition"),
]


def log(request, edition, action, **details):
    """One entry for something done on a back-office page of `edition`."""
    return AuditEntry.objects.create(
        user=request.user if request.user.is_authenticated else None,
        edition=edition,
        action=action,
        details=details,
    )


def done_with(edition, nonce, action=None):
    """Whether something (the `action` logged, when given) was done on a page of `edition`
    sent with the one-time value `nonce` (rencontres.forms.new_page_nonce; `log(...,
    nonce=nonce)` keeps it): the same form sent twice, by a double click, is done once. Asked
    under the lock the action takes, so that the second request waits for the first to be
    written down."""
    if not nonce:
        return False
    done = AuditEntry.objects.filter(edition=edition, details__nonce=nonce)
    return (done.filter(action=action) if action else done).exists()


def edition_of(obj):
    # The edition model, reached through the entry's key: the project package imports no app.
    edition_model = AuditEntry._meta.get_field("edition").related_model
    if isinstance(obj, edition_model):
        return obj
    for path in EDITION_PATHS:
        value = obj
        for name in path:
            value = getattr(value, name, None)
            if value is None:
                break
        if isinstance(value, edition_model):
            return value
    return None


def changed_fields(message):
    """The field names in the admin's change message (a JSON list), no values."""
    if isinstance(message, str):
        try:
            message = json.loads(message or "[]")
        except ValueError:
            return []
    fields = []
    for part in message or []:
        for change in part.values():
            fields.extend(change.get("fields", []) if isinstance(change, dict) else [])
    return [str(field) for field in fields]


def record(request, action, objects, **details):
    user = request.user if request.user.is_authenticated else None
    AuditEntry.objects.bulk_create(
        AuditEntry(
            user=user,
            edition=edition_of(obj),
            action=action,
            details={"model": obj._meta.label_lower, "id": obj.pk, **details},
        )
        for obj in objects
    )


class AuditedModelAdmin(admin.ModelAdmin):
    formfield_overrides = ADMIN_TEXT_AREAS

    def log_addition(self, request, obj, message):
        record(request, "admin_added", [obj])
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(request, "admin_changed", [obj], fields=changed_fields(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        # Called before the deletion, while the objects still say which edition they were in.
        record(request, "admin_deleted", list(queryset))
        return super().log_deletions(request, queryset)

    def response_action(self, request, queryset):
        response = super().response_action(request, queryset)
        action = request.POST.get("action", "")
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        # Deletion asks for confirmation first; log_deletions records it when it happens.
        if (
            action
            and selected
            and action != "delete_selected"
            and action in self.get_actions(request)
        ):
            if request.POST.get("select_across") != "1":
                queryset = queryset.filter(pk__in=selected)
            objects = queryset
            record(request, "admin_action", objects, name=action)
        return response


class ReadOnlyAdmin(AuditedModelAdmin):
    """What the admin shows and nobody adds, changes or deletes there: evidence (the audit log,
    consents, erasure requests, exemptions granted) and issued invoices and credit notes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
