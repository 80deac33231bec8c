"""At the venue: badges (printed one by one or in batches) and check-ins at the doors."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.jobs import BackgroundJob
from rencontres.storage import private_storage


class BadgeBatch(BackgroundJob):
    """One PDF of many badges, built in the background: its total is the number of badges."""

    class Layout(models.TextChoices):
        A6 = "a6", _("A6, one badge per page")
        A4 = "a4", _("A4 sheets of four badges, with cut marks")

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="badge_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    layout = models.CharField(_("layout"), max_length=2, choices=Layout.choices)
    filters = models.JSONField(default=dict, blank=True)
    # Names, organisations and the QR codes that open the door: private storage, served only
    # by the batch_file view to the edition's organisers.
    file = models.FileField(upload_to="badges/", storage=private_storage, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("badge batch")
        verbose_name_plural = _("badge batches")

    def __str__(self):
        return f"{self.edition} – {self.created_at:%Y-%m-%d %H:%M}"


class BadgePrinting(models.Model):
    """A badge went to the printer (one line per time): "not yet printed" filters on it."""

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="badge_printings"
    )
    batch = models.ForeignKey(BadgeBatch, on_delete=models.SET_NULL, null=True, blank=True)
    printed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.registration} {self.printed_at:%Y-%m-%d %H:%M}"


class CheckIn(models.Model):
    """A person came in: one per registration and day (and per session for session entry)."""

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="check_ins"
    )
    session = models.ForeignKey(
        "editions.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="check_ins",
    )
    day = models.DateField()
    at = models.DateTimeField(default=timezone.now)
    door = models.CharField(_("door"), max_length=60, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    device = models.CharField(max_length=60, blank=True)
    offline = models.BooleanField(
        default=False, help_text=_("Scanned without network, sent later.")
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at"]
        constraints = [
            # Two doors scanning the same badge at once record one check-in, whatever the code.
            models.UniqueConstraint(
                fields=["registration", "day"],
                condition=Q(session=None),
                name="one_check_in_per_day",
            ),
            models.UniqueConstraint(
                fields=["registration", "day", "session"],
                condition=Q(session__isnull=False),
                name="one_session_entry_per_day",
            ),
        ]
        indexes = [models.Index(fields=["day", "at"])]

    def __str__(self):
        return f"{self.registration} {self.at:%Y-%m-%d %H:%M} {self.door}"


class ExtraCheckInDay(models.Model):
    """A day outside the edition's days on which an organiser accepts check-ins (badges
    handed out the evening before, a rehearsal): switched on at the desk, for that day only,
    shown on every desk, and written in the audit log."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="extra_check_in_days"
    )
    day = models.DateField(_("day"))
    switched_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    switched_on_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extra check-in day")
        verbose_name_plural = _("extra check-in days")
        constraints = [
            models.UniqueConstraint(fields=["edition", "day"], name="one_extra_check_in_day")
        ]

    def __str__(self):
        return f"{self.edition} {self.day}"

    @property
    def switched_on_by_name(self):
        user = self.switched_on_by
        return (user.get_full_name() or user.username) if user else _("an organiser")
