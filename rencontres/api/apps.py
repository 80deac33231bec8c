from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "rencontres.api"
    verbose_name = _("API")

    def ready(self):
        from . import (
            authentication,  # noqa: F401  (its OpenAPI extension registers itself)
            signals,  # noqa: F401  (the changes webhooks report)
        )
