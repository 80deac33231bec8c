from django.contrib import admin

from rencontres.audit import ReadOnlyAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "user", "edition", "expires_at", "last_used_at",
                    "revoked_at"]  # fmt: skip
    list_filter = ["edition"]
    exclude = ["key_hash"]
