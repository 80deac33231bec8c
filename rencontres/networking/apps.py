from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "rencontres.networking"
    verbose_name = _("Project exchange")

    def ready(self):
        from . import signals  # noqa: F401
