"""The registration window, the edition lock and the history: what every service uses."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rencontres.editions.models import Edition

from ..models import Registration, RegistrationEvent, SessionChoice

Status = Registration.Status
Choice = SessionChoice.Status
CONFIRM_SALT = "registration.confirm-address"


class RegistrationClosed(Exception):
    """A write outside the registration window."""

    def __init__(self, edition, now=None):
        self.status = edition.registration_status(now)
        super().__init__(self.message)

    @property
    def message(self):
        if self.status.state == "not_yet_open":
            return _("Registrations are not open yet.")
        closes_at = timezone.localtime(self.status.closes_at)
        return _(
            "Registrations closed on %(date)s. Registrations can no longer be made or changed "
            "online: please write to the organisers."
        ) % {"date": formats.date_format(closes_at, "DATETIME_FORMAT")}


def check_window(edition, now=None):
    if not edition.registration_status(now).is_open:
        raise RegistrationClosed(edition, now)


def log(registration, action, actor=None, **details):
    RegistrationEvent.objects.create(
        registration=registration, action=action, actor=actor, details=details
    )


def lock_edition(edition):
    """Take the edition's lock (see the module's docstring); return the locked row."""
    return Edition.objects.select_for_update().get(pk=edition.pk)
