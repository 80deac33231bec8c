"""An edition of the Meetings, where it happens, its programme, speakers, partners and pages."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rencontres import languages
from rencontres.i18n import Translated
from rencontres.storage import validate_image

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# Languages a session can be interpreted into.
INTERPRETATION_LANGUAGES = languages.choices(
    "fr", "en", "es", "pt", "ar", "de", "it", "ru", "uk", "zh", "vi", "fr-sign"
)
INTERPRETATION_LANGUAGE_NAMES = dict(INTERPRETATION_LANGUAGES)
IMAGE_HELP = _("A JPEG, PNG or WebP image, at most 5 MB.")


def add_months(day, months):
    """The same day `months` later (the month's last day when it is shorter)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"))
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"), default="FR")
    map_url = models.URLField(_("map link"), blank=True)
    access_fr = models.TextField(_("access information (French)"), blank=True)
    access_en = models.TextField(_("access information (English)"), blank=True)

    access = Translated("access")

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.city}"


class Room(models.Model):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue")
    )
    name = models.CharField(_("name"), max_length=100)
    location_fr = models.CharField(_("location (French)"), max_length=200, blank=True)
    location_en = models.CharField(_("location (English)"), max_length=200, blank=True)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=True)

    location = Translated("location")

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_name_unique_per_venue")
        ]

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class RegistrationStatus:
    """Where an edition's registration window stands at a given moment."""

    state: str  # "not_yet_open", "open" or "closed"
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    days_left: int | None = None  # calendar days in Paris until the closing day, when open

    @property
    def is_open(self):
        return self.state == "open"


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Edition(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    theme_fr = models.CharField(_("theme (French)"), max_length=300)
    theme_en = models.CharField(_("theme (English)"), max_length=300)
    introduction_fr = models.TextField(_("introduction (French, Markdown)"), blank=True)
    introduction_en = models.TextField(_("introduction (English, Markdown)"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="editions",
        verbose_name=_("venue"),
    )
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        help_text=_("Registrations are accepted until the end of this minute (Paris time)."),
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    expected_countries = models.PositiveIntegerField(_("expected countries"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("overall capacity"),
        null=True,
        blank=True,
        help_text=_("Confirmed registrations at most; then a waiting list. Empty: no limit."),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public site.")
    )
    allows_onsite_registration = models.BooleanField(
        _("registration at the door"),
        default=False,
        help_text=_("Check-in staff may register people who arrive without a registration."),
    )
    # Bumped whenever something the programme shows changes: part of its cache key.
    programme_version = models.PositiveIntegerField(default=1, editable=False)
    # Bumped whenever something the project exchange's recommendations read changes (profiles,
    # posts, who is listed: rencontres/networking/signals.py): part of their cache keys, so
    # that every app server sees the change at once, whatever cache it has.
    networking_version = models.PositiveIntegerField(default=1, editable=False)
    personal_data_retention_until = models.DateField(
        _("personal data kept until"),
        null=True,
        blank=True,
        help_text=_(
            "On this day the personal data of this edition's participants are erased; only "
            "statistics stay. Empty: twelve months after the last day."
        ),
    )
    # When the retention purge ran (rencontres/privacy): sensitive fields first, then the rest.
    sensitive_data_purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    title = Translated("title")
    theme = Translated("theme")
    introduction = Translated("introduction")

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.number} – {self.title}"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first day.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if (
            self.personal_data_retention_until
            and self.ends_on
            and self.personal_data_retention_until <= self.ends_on
        ):
            # The purge would erase the participants of an edition still running.
            errors["personal_data_retention_until"] = _(
                "Personal data must be kept until after the last day."
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def programme_changed(cls, **filters):
        """Mark the programmes of the matching editions as changed (their cached pages expire)."""
        cls.objects.filter(**filters).update(programme_version=models.F("programme_version") + 1)

    @classmethod
    def networking_changed(cls, **filters):
        """Mark the project exchanges of the matching editions as changed (their cached
        recommendations expire)."""
        cls.objects.filter(**filters).update(networking_version=models.F("networking_version") + 1)

    @property
    def personal_data_purge_date(self):
        """The day this edition's personal data are erased."""
        from django.conf import settings

        if self.personal_data_retention_until:
            return self.personal_data_retention_until
        return add_months(self.ends_on, settings.PERSONAL_DATA_RETENTION_MONTHS)

    @property
    def sensitive_data_purge_date(self):
        """The day access needs, diets and passport names are erased (never after the rest)."""
        from django.conf import settings

        day = self.ends_on + datetime.timedelta(days=settings.SENSITIVE_DATA_RETENTION_DAYS)
        return min(day, self.personal_data_purge_date)

    @property
    def issues_invitation_letters(self):
        """Visa letters, and the passport details they are made from, until the edition's last
        day: after it a letter serves no visa, and details typed then would outlive the
        sensitive purge (which may already have run)."""
        return self.sensitive_data_purged_at is None and timezone.localdate() <= self.ends_on

    @property
    def year(self):
        return self.starts_on.year

    @property
    def days(self):
        """The edition's days, in order."""
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=i) for i in range(count)]

    @property
    def registration_deadline(self):
        """The first instant at which registration is closed: the closing minute is included."""
        return self.registration_closes_at.replace(second=0, microsecond=0) + datetime.timedelta(
            minutes=1
        )

    def registration_status(self, now=None):
        now = now or timezone.now()
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if now < opens:
            return RegistrationStatus("not_yet_open", opens, closes)
        if now >= self.registration_deadline:
            return RegistrationStatus("closed", opens, closes)
        days_left = (closes.astimezone(PARIS).date() - now.astimezone(PARIS).date()).days
        return RegistrationStatus("open", opens, closes, days_left)


class Partner(models.Model):
    class Kind(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        INSTITUTIONAL = "institutional", _("Institutional partner")
        PARTNER = "partner", _("Partner")
        MEDIA = "media", _("Media partner")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="partners", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARTNER)
    logo = models.ImageField(
        _("logo"),
        upload_to="partners/",
        blank=True,
        validators=[validate_image],
        help_text=IMAGE_HELP,
    )
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Speaker(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title_fr = models.CharField(_("job title (French)"), max_length=200, blank=True)
    job_title_en = models.CharField(_("job title (English)"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    biography_fr = models.TextField(_("biography (French, Markdown)"), blank=True)
    biography_en = models.TextField(_("biography (English, Markdown)"), blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="speakers/",
        blank=True,
        validators=[validate_image],
        help_text=IMAGE_HELP,
    )

    job_title = Translated("job_title")
    biography = Translated("biography")

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def initials(self):
        return "".join(part[:1] for part in (self.first_name, self.last_name)).upper()


class SessionQuerySet(models.QuerySet):
    def for_programme(self):
        """Everything a programme page shows, in a constant number of queries."""
        return self.select_related("room", "room__venue").prefetch_related(
            models.Prefetch(
                "appearances",
                queryset=SessionSpeaker.objects.select_related("speaker").order_by("order"),
            )
        )


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        ROUND_TABLE = "round_table", _("Round table")
        WORKSHOP = "workshop", _("Workshop")
        COUNTRY_GROUP = "country_group", _("Country group")
        SIDE_EVENT = "side_event", _("Side event")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_fr = models.TextField(_("description (French, Markdown)"), blank=True)
    description_en = models.TextField(_("description (English, Markdown)"), blank=True)
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places that registrants can book. Empty: no limit."),
    )
    registration_required = models.BooleanField(
        _("registration required"),
        default=False,
        help_text=_("Participants choose this session when they register."),
    )
    checks_entry = models.BooleanField(
        _("entry scanned at the door"),
        default=False,
        help_text=_("Staff scan badges at this session's door against its list."),
    )
    interpretation_languages = models.JSONField(_("interpretation"), default=list, blank=True)
    speakers = models.ManyToManyField(
        Speaker, through="SessionSpeaker", related_name="sessions", verbose_name=_("speakers")
    )

    title = Translated("title")
    description = Translated("description")

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "kind", "title_fr"]
        indexes = [models.Index(fields=["edition", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        unknown = set(self.interpretation_languages or []) - set(INTERPRETATION_LANGUAGE_NAMES)
        if unknown:
            raise ValidationError({"interpretation_languages": _("Unknown language.")})

    @property
    def day(self):
        return timezone.localtime(self.starts_at, PARIS).date()

    @property
    def interpretation_names(self):
        return [
            str(INTERPRETATION_LANGUAGE_NAMES[code])
            for code in self.interpretation_languages
            if code in INTERPRETATION_LANGUAGE_NAMES
        ]


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        CHAIR = "chair", _("Chair")
        MODERATOR = "moderator", _("Moderator")
        RAPPORTEUR = "rapporteur", _("Rapporteur")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("session")
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("speaker")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker in a session")
        verbose_name_plural = _("speakers in sessions")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="speaker_once_per_session")
        ]

    def __str__(self):
        return f"{self.speaker} ({self.get_role_display()})"


class Page(models.Model):
    """A content page the organisers write; without an edition it belongs to the whole site."""

    class Slug(models.TextChoices):
        PRACTICAL = "practical-information", _("Practical information")
        ABOUT = "about", _("About")
        LEGAL = "legal-notice", _("Legal notice")
        PRIVACY = "privacy", _("Privacy notice")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pages",
        verbose_name=_("edition"),
        help_text=_("Empty: the page belongs to the whole site."),
    )
    slug = models.CharField(_("page"), max_length=40, choices=Slug.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("text (French, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    title = Translated("title")
    body = Translated("body")

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "slug"], name="page_slug_unique_per_edition"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(edition__isnull=True),
                name="page_slug_unique_site_wide",
            ),
        ]

    def __str__(self):
        return self.title
