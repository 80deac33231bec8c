from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "rencontres.networking"
    verbose_name = _("Project exchange")

    def ready(self):
        from rencontres.editions.sections import home_section

        from . import signals  # noqa: F401
        from .outcomes import previous_edition_summary

        home_section(previous_edition_summary)
