from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnsiteConfig(AppConfig):
    name = "rencontres.onsite"
    verbose_name = _("Badges and check-in")

    def ready(self):
        from . import signals  # noqa: F401  (a deleted batch takes its file with it)
