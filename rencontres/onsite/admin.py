"""Check-ins and badge batches in the admin, with links to the desk and the badge screen."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rencontres.audit import AuditedModelAdmin

from .models import BadgeBatch, CheckIn


@admin.register(CheckIn)
class CheckInAdmin(AuditedModelAdmin):
    list_display = ["registration", "day", "at", "door", "offline"]
    list_filter = ["day", "door", "offline"]
    raw_id_fields = ["registration", "session", "agent"]
    search_fields = ["registration__last_name", "registration__email"]


@admin.register(BadgeBatch)
class BadgeBatchAdmin(AuditedModelAdmin):
    list_display = ["edition", "layout", "status", "total", "created_at"]
    readonly_fields = ["status", "done", "total", "download", "error", "started_at", "finished_at"]
    exclude = ["file"]

    @admin.display(description=_("PDF"))
    def download(self, batch):
        # The file is private (no URL of its own): the link goes to the view that checks roles.
        if not batch.file:
            return "–"
        url = reverse("onsite:batch_file", args=[batch.edition.number, batch.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the PDF"))
