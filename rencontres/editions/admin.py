"""The organisers' editing screens: French and English fields side by side."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencontres.audit import AuditedModelAdmin
from rencontres.forms import ADMIN_TEXT_AREAS
from rencontres.storage import NOT_AN_IMAGE

from .models import (
    INTERPRETATION_LANGUAGES,
    Edition,
    Page,
    Partner,
    Room,
    Session,
    SessionSpeaker,
    Speaker,
    Venue,
)

# The file picker offers the images the site accepts (rencontres/storage.py checks them);
# text areas as every admin page has them (line ends kept as stored).
IMAGES_ONLY = {
    **ADMIN_TEXT_AREAS,
    models.ImageField: {
        "widget": AdminFileWidget(attrs={"accept": ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,"
                                                   "image/webp"}),
        "error_messages": {"invalid_image": NOT_AN_IMAGE},
    }
}  # fmt: skip


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["name", "location_fr", "location_en", "seats", "step_free"]


@admin.register(Venue)
class VenueAdmin(AuditedModelAdmin):
    list_display = ["name", "city", "country"]
    search_fields = ["name", "city"]
    fieldsets = [
        (None, {"fields": ["name", "address", ("city", "country"), "map_url"]}),
        (_("Access information"), {"fields": [("access_fr", "access_en")]}),
    ]
    inlines = [RoomInline]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["name", "kind", "logo", "website", "order"]
    formfield_overrides = IMAGES_ONLY


class PageInline(admin.StackedInline):
    model = Page
    formfield_overrides = ADMIN_TEXT_AREAS
    extra = 0
    fields = ["slug", ("title_fr", "title_en"), ("body_fr", "body_en")]


@admin.register(Edition)
class EditionAdmin(AuditedModelAdmin):
    list_display = ["number", "title", "starts_on", "registration_closes_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title_fr", "title_en", "theme_fr", "theme_en"]
    fieldsets = [
        (None, {"fields": ["number", "is_published", ("title_fr", "title_en")]}),
        (
            _("Theme"),
            {"fields": [("theme_fr", "theme_en"), ("introduction_fr", "introduction_en")]},
        ),
        (_("Dates and venue"), {"fields": [("starts_on", "ends_on"), "venue"]}),
        (
            _("Registration window"),
            {
                "fields": [
                    ("registration_opens_at", "registration_closes_at"),
                    "capacity",
                    "allows_onsite_registration",
                ]
            },
        ),
        (_("Key figures"), {"fields": [("expected_participants", "expected_countries")]}),
        (
            _("Personal data"),
            {
                "fields": [
                    "personal_data_retention_until",
                    ("sensitive_data_purged_at", "personal_data_purged_at"),
                ]
            },
        ),
    ]
    readonly_fields = ["sensitive_data_purged_at", "personal_data_purged_at"]
    # registration/admin.py puts the edition's categories first.
    inlines = [PartnerInline, PageInline]


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 1
    autocomplete_fields = ["speaker"]
    fields = ["speaker", "role", "order"]


class SessionAdminForm(forms.ModelForm):
    interpretation_languages = forms.MultipleChoiceField(
        label=_("Interpretation"),
        choices=INTERPRETATION_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Session
        fields = [
            "edition", "kind", "title_fr", "title_en", "description_fr", "description_en",
            "starts_at", "ends_at", "room", "capacity", "registration_required", "checks_entry",
            "interpretation_languages",
        ]  # fmt: skip


@admin.register(Session)
class SessionAdmin(AuditedModelAdmin):
    form = SessionAdminForm
    list_display = ["title", "kind", "edition", "starts_at", "room", "capacity"]
    list_filter = ["edition", "kind", "registration_required"]
    search_fields = ["title_fr", "title_en"]
    list_select_related = ["edition", "room"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["edition", "kind", ("title_fr", "title_en")]}),
        (_("Description"), {"fields": [("description_fr", "description_en")]}),
        (_("When and where"), {"fields": [("starts_at", "ends_at"), "room"]}),
        (
            _("Places and languages"),
            {
                "fields": [
                    ("capacity", "registration_required"),
                    "checks_entry",
                    "interpretation_languages",
                ]
            },
        ),
    ]
    inlines = [SessionSpeakerInline]


@admin.register(Speaker)
class SpeakerAdmin(AuditedModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "country"]
    search_fields = ["last_name", "first_name", "organisation"]
    formfield_overrides = IMAGES_ONLY
    fieldsets = [
        (None, {"fields": [("first_name", "last_name"), ("organisation", "country"), "photo"]}),
        (_("Job title"), {"fields": [("job_title_fr", "job_title_en")]}),
        (_("Biography"), {"fields": [("biography_fr", "biography_en")]}),
    ]


@admin.register(Page)
class PageAdmin(AuditedModelAdmin):
    list_display = ["title", "slug", "edition", "updated_at"]
    list_filter = ["slug", "edition"]
    fieldsets = [
        (None, {"fields": ["edition", "slug"]}),
        (_("Content"), {"fields": [("title_fr", "title_en"), ("body_fr", "body_en")]}),
    ]
