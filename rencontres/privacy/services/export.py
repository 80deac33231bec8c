"""The subject access export: everything held about a person, found by walking the model
graph (registry.py), as JSON and as sections for a readable page."""

import datetime
import json
import uuid

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from rencontres.registration.models import Registration

from ..registry import NOT_EXPORTED, classified_fields, label, registration_graph

# A link's secret and the form's anti-double-submit nonce are credentials, not information.
NOT_EXPORTED_FIELDS = {("registration.Registration", "secret"),
                       ("registration.Registration", "form_nonce")}  # fmt: skip


def rows_of(model, paths, registrations):
    """Rows of `model` related to any of `registrations` (a queryset) by any of `paths`."""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in" if path else "pk__in": registrations.values("pk")})
    return model._default_manager.filter(condition).distinct().order_by("pk")


def plain(value):
    """A JSON-friendly value."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date | uuid.UUID):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def field_value(row, field, subject):
    if field.many_to_many:
        return [related_name(item, field, subject) for item in getattr(row, field.name).all()]
    if field.is_relation:
        related = getattr(row, field.name)
        return None if related is None else related_name(related, field, subject)
    value = getattr(row, field.name)
    if field.choices and not getattr(field, "multiple", False):
        display = dict(field.flatchoices).get(value, value)
        return str(display) if value not in ("", None) else plain(value)
    return plain(value)


def related_name(related, field, subject):
    if field.related_model._meta.label == settings.AUTH_USER_MODEL:
        return "organising team"  # a team member's account is their data, not the person's
    if related.pk == subject.pk and related._meta.label == "registration.Registration":
        return str(subject)
    return str(related)


def export_data(registration):
    """{"generated_at", "registration", "sections": [{model, title, fields, rows}]}: one
    section per model of the graph, even when empty, so that nothing is left out silently."""
    subject = Registration.objects.filter(pk=registration.pk)
    sections = []
    for model, paths in registration_graph().items():
        model_label = label(model)
        exported_paths = [path for path in paths if (model_label, path) not in NOT_EXPORTED]
        fields = [
            field
            for field in classified_fields(model)
            if (model_label, field.name) not in NOT_EXPORTED_FIELDS
        ]
        rows = []
        if exported_paths:
            for row in rows_of(model, exported_paths, subject):
                rows.append({field.name: field_value(row, field, registration) for field in fields})
        sections.append(
            {
                "model": model_label,
                "title": str(model._meta.verbose_name_plural),
                "fields": {field.name: str(field.verbose_name) for field in fields},
                "rows": rows,
            }
        )
    sections.sort(key=lambda section: (section["model"] != "registration.Registration",
                                       section["model"]))  # fmt: skip
    return {
        "generated_at": timezone.localtime().isoformat(),
        "registration": str(registration.public_id),
        "sections": sections,
    }


def export_json(registration):
    return json.dumps(export_data(registration), ensure_ascii=False, indent=2).encode()
