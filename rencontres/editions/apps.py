from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "rencontres.editions"
    verbose_name = _("Editions and programme")

    def ready(self):
        from . import signals  # noqa: F401  (connects the cache invalidation)
