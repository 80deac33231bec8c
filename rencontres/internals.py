"""Third-party tables in the admin (two-factor devices, background task results): named in
both languages, and shown to superusers only. An organiser's admin holds the event's content
and settings; these are the machinery underneath."""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

NAMES = {  # app label: (the app's name, {model: (name, plural)})
    "otp_totp": (
        _("Two-factor authentication"),
        {"totpdevice": (_("authenticator app"), _("authenticator apps"))},
    ),
    "django_tasks_database": (
        _("Background tasks"),
        {"dbtaskresult": (_("background task"), _("background tasks"))},
    ),
}

PERMISSIONS = (
    "has_module_permission",
    "has_view_permission",
    "has_add_permission",
    "has_change_permission",
    "has_delete_permission",
)


def superusers_only(model_admin):
    for name in PERMISSIONS:
        allowed = getattr(model_admin, name)

        def check(request, *args, _allowed=allowed, **kwargs):
            return request.user.is_superuser and _allowed(request, *args, **kwargs)

        setattr(model_admin, name, check)


def name_and_hide_internals(site=admin.site):
    """Names only (not the models' options that migrations read: nothing to migrate in
    another project's app)."""
    for label, (app_name, models) in NAMES.items():
        try:
            config = apps.get_app_config(label)
        except LookupError:  # not installed here
            continue
        config.verbose_name = app_name
        for model_name, (name, plural) in models.items():
            model = config.get_model(model_name)
            model._meta.verbose_name, model._meta.verbose_name_plural = name, plural
            if model in site._registry:
                superusers_only(site._registry[model])
