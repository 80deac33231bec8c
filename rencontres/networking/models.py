"""The project exchange: profiles, cooperation posts, meeting requests, and the bilateral
meetings placed into slots and tables."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rencontres import languages
from rencontres.i18n import Translated
from rencontres.jobs import BackgroundJob


class Theme(models.Model):
    """A field of cooperation (water, culture, climate...): the shared vocabulary of profiles,
    posts and recommendations."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated("name")

    class Meta:
        verbose_name = _("cooperation theme")
        verbose_name_plural = _("cooperation themes")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


# Languages a profile can list: the ones delegations at the Meetings most often speak.
SPOKEN_LANGUAGES = languages.choices(
    "fr", "en", "es", "pt", "ar", "de", "it", "ru", "uk", "pl", "ro", "vi", "zh", "ja", "wo", "sw"
)


class ProfileQuerySet(models.QuerySet):
    def listed(self, edition):
        """Profiles the directory shows: confirmed registrants who opted in."""
        return self.filter(
            registration__edition=edition,
            registration__status="confirmed",
            registration__directory_opt_in=True,
        )


class Profile(models.Model):
    """A registrant's page in the directory. Each optional field is shown only if its
    `show_*` flag says so; the name is always shown (a profile without it means nothing)."""

    registration = models.OneToOneField(
        "registration.Registration", on_delete=models.CASCADE, related_name="profile"
    )
    about = models.TextField(_("about us"), max_length=1500, blank=True)
    # ",fr,en,": a delimited string so that one language is found with a plain LIKE on
    # every database (JSON containment is not available on SQLite).
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="profiles", verbose_name=_("cooperation themes")
    )
    countries = CountryField(_("countries we work with"), multiple=True, blank=True)
    regions = models.CharField(_("regions we work with"), max_length=300, blank=True)
    accepts_requests = models.BooleanField(_("accepts meeting requests"), default=True)
    show_job_title = models.BooleanField(_("show my job title"), default=True)
    show_organisation = models.BooleanField(_("show my organisation"), default=True)
    show_country = models.BooleanField(_("show my organisation's country"), default=True)
    show_languages = models.BooleanField(_("show the languages I speak"), default=True)
    show_about = models.BooleanField(_("show the text about us"), default=True)
    show_themes = models.BooleanField(_("show our themes"), default=True)
    show_countries = models.BooleanField(
        _("show the countries and regions we work with"), default=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    # What its owner edits, in the order of the profile form (ProfileForm, save_profile); the
    # languages (one string) and the directory opt-in (on the registration) come apart.
    EDITABLE_FIELDS = [
        "about",
        "themes",
        "countries",
        "regions",
        "accepts_requests",
        "show_job_title",
        "show_organisation",
        "show_country",
        "show_languages",
        "show_about",
        "show_themes",
        "show_countries",
    ]

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.registration)

    @property
    def language_codes(self):
        return [code for code in self.languages.split(",") if code]

    @language_codes.setter
    def language_codes(self, codes):
        self.languages = f",{','.join(codes)}," if codes else ""

    @property
    def language_names(self):
        names = dict(SPOKEN_LANGUAGES)
        return [str(names[code]) for code in self.language_codes if code in names]

    @property
    def is_listed(self):
        registration = self.registration
        return registration.status == "confirmed" and registration.directory_opt_in


class CooperationPost(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("We offer")
        REQUEST = "request", _("We seek")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=3000)
    themes = models.ManyToManyField(Theme, related_name="posts", verbose_name=_("themes"))
    countries = CountryField(_("countries"), multiple=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperation post")
        verbose_name_plural = _("cooperation posts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class Block(models.Model):
    """`blocker` receives no more requests from `blocked`, and neither recommends the other."""

    blocker = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]

    def __str__(self):
        return f"{self.blocker} ⊘ {self.blocked}"


class Slot(models.Model):
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="meeting_slots",
        verbose_name=_("edition"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    unavailable = models.ManyToManyField(
        "registration.Registration",
        blank=True,
        related_name="unavailable_slots",
        verbose_name=_("people who cannot meet then"),
    )

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "starts_at"], name="slot_start_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self):
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%d/%m %H:%M}–{end:%H:%M}"


class Table(models.Model):
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="meeting_tables",
        verbose_name=_("edition"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting table")
        verbose_name_plural = _("meeting tables")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="table_number_unique")
        ]

    def __str__(self):
        return _("Table %(number)s") % {"number": self.number}


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.PENDING, Status.ACCEPTED)

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="meeting_requests"
    )
    sender = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        related_name="requests_sent",
        verbose_name=_("from"),
    )
    recipient = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        related_name="requests_received",
        verbose_name=_("to"),
    )
    message = models.TextField(_("message"), max_length=1000)
    with_delegation = models.BooleanField(_("with my delegation"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double-clicked "send" or two tabs create one open request, not two.
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_open_request_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="request_not_to_oneself"
            ),
        ]

    def __str__(self):
        return f"{self.sender} → {self.recipient}"


class Meeting(models.Model):
    """An accepted request, to be placed (or placed) in a slot at a table."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="meetings"
    )
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    participants = models.ManyToManyField("registration.Registration", related_name="meetings")
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    slot = models.ForeignKey(
        Slot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("slot"),
    )
    table = models.ForeignKey(
        Table,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("table"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "table__number", "pk"]
        constraints = [
            # A table holds one meeting per slot, whatever the code above it does.
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(slot__isnull=False),
                name="one_meeting_per_table_and_slot",
            ),
        ]

    def __str__(self):
        return str(self.request)

    @property
    def is_active(self):
        return self.cancelled_at is None


class ScheduleRun(BackgroundJob):
    """One run of the scheduler: queued, running (its progress in hundredths of the time it
    is given), done (result kept for the organisers to read), then perhaps published (its
    places given to the meetings)."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="schedule_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.edition} – {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def meetings_placed(self):
        """(meetings placed, meetings to place) once the run is done, else None."""
        scheduled = self.result.get("scheduled")
        if scheduled is None:
            return None
        return len(scheduled), len(scheduled) + len(self.result.get("unscheduled") or [])


# The cooperation the meetings created ---------------------------------------------------------


class MeetingRating(models.Model):
    """One party's answer to "how did the meeting go?". The row is made when the question is
    e-mailed (`asked_at`, claimed once: nobody is asked twice) or when the person answers from
    their agenda first; `outcome` stays empty until they answer, and a new answer replaces it."""

    class Outcome(models.TextChoices):
        NOT_HELD = "not_held", _("The meeting did not take place")
        NO_SHARED_INTEREST = "no_shared_interest", _("No shared interest")
        FOLLOW_UP = "follow_up", _("Worth following up")
        PROJECT_PLANNED = "project_planned", _("A project is planned")

    # The answers that earn the meeting a second question, months later.
    PROMISING = (Outcome.FOLLOW_UP, Outcome.PROJECT_PLANNED)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("meeting")
    )
    registration = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        related_name="meeting_ratings",
        verbose_name=_("participant"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting rating")
        verbose_name_plural = _("meeting ratings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "registration"], name="one_rating_per_party")
        ]

    def __str__(self):
        return f"{self.meeting} – {self.registration}: {self.outcome or '?'}"


class CooperationFollowUp(models.Model):
    """The second question, asked on the edition's follow-up date to the people of a meeting
    one of them found worth following up: where does the cooperation stand?"""

    class Status(models.TextChoices):
        AGREEMENT_SIGNED = "agreement_signed", _("An agreement is signed")
        PROJECT_STARTED = "project_started", _("A project has started")
        STILL_TALKING = "still_talking", _("We are still talking")
        STOPPED = "stopped", _("It stopped there")

    # A cooperation the event created, in the organisers' figures.
    STARTED = (Status.AGREEMENT_SIGNED, Status.PROJECT_STARTED)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting")
    )
    registration = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        related_name="cooperation_follow_ups",
        verbose_name=_("participant"),
    )
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(_("what came of it"), max_length=600, blank=True)
    may_publish = models.BooleanField(_("may be published"), default=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cooperation follow-up")
        verbose_name_plural = _("cooperation follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"], name="one_follow_up_per_party"
            )
        ]

    def __str__(self):
        return f"{self.meeting} – {self.registration}: {self.status or '?'}"


class FollowUpDate(models.Model):
    """The day an edition's meetings are asked what came of them, when the organisers moved
    it (otherwise six months after the edition's last day: `follow_up_date`)."""

    edition = models.OneToOneField(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="follow_up_date",
        verbose_name=_("edition"),
    )
    day = models.DateField(_("follow-up date"))

    class Meta:
        verbose_name = _("follow-up date")
        verbose_name_plural = _("follow-up dates")

    def __str__(self):
        return f"{self.edition}: {self.day}"
