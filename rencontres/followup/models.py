"""After the event: feedback surveys, the parties' ratings of their meetings and the
cooperation those meetings led to. (Attendance certificates live in onsite, beside the
check-ins they are drawn from; the meetings' ratings in networking, beside the meetings.)

A survey belongs to an edition, or to one of its sessions. Its organisers choose, before it
opens, whether answers are tied to the person (named: kept with the registration, for
follow-up) or anonymous. Anonymous answers are kept so that nothing in the database leads from
a person to their answer:

- `Participation` says who was asked and whether they answered (one row per person and survey,
  which makes one answer per person hold under a double submit). Rows are written when the
  invitations go out (in the order of the list, by name), so their order says nothing of who
  answered when; the row holds no time of answer.
- `Response` of an anonymous survey has no registration, no time, a random key, and the hash of
  an edit key that only the person's browser holds (a cookie): the database alone cannot tell
  whose it is, and the person can still change it, from that browser, until the survey closes.
  It is written in a transaction of its own, apart from the participation's.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.i18n import Translated, active_content_language


class Survey(models.Model):
    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="surveys"
    )
    # None: the edition's survey; otherwise a survey about one session.
    session = models.ForeignKey(
        "editions.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("session"),
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    introduction_fr = models.TextField(_("introduction (French)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    anonymous = models.BooleanField(_("anonymous answers"), default=False)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # When the invitations were last sent (the e-mails go to the present people who have
    # not been asked yet, as long as the survey is open).
    invited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    title = Translated("title")
    introduction = Translated("introduction")

    class Meta:
        ordering = ["opens_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(session=None),
                name="one_edition_survey",
            ),
            models.UniqueConstraint(fields=["session"], name="one_survey_per_session"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"
            ),
        ]

    def __str__(self):
        return self.title

    def has_opened(self, now=None):
        return self.opens_at <= (now or timezone.now())

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None):
        return self.closes_at <= (now or timezone.now())

    def state(self, now=None):
        if not self.has_opened(now):
            return "scheduled"
        return "closed" if self.has_closed(now) else "open"

    def state_label(self, now=None):
        return {
            "scheduled": _("Not open yet"),
            "open": _("Open"),
            "closed": _("Closed"),
        }[self.state(now)]


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        CHOICE = "choice", _("One choice")
        CHOICES = "choices", _("Several choices")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind of answer"), max_length=8, choices=Kind.choices)
    text_fr = models.CharField(_("question (French)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    # One choice per line, in the same order in both languages.
    choices_fr = models.TextField(_("choices (French)"), blank=True)
    choices_en = models.TextField(_("choices (English)"), blank=True)
    required = models.BooleanField(_("answer required"), default=False)

    text = Translated("text")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    def options(self, language=None):
        """[(index, label)] of a choice question, in `language` (the active one by default),
        falling back to the other language line by line."""
        language = language or active_content_language()
        own = lines(getattr(self, f"choices_{language}", self.choices_en))
        other = lines(self.choices_en if language == "fr" else self.choices_fr)
        count = max(len(own), len(other))
        return [
            (index, (own[index] if index < len(own) else "") or other[index])
            for index in range(count)
        ]

    @property
    def has_choices(self):
        return self.kind in (self.Kind.CHOICE, self.Kind.CHOICES)


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Participation(models.Model):
    """A person asked to answer a survey, and whether they did."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="survey_participations"
    )
    invited = models.BooleanField(default=False)  # the e-mail went to the outbox
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"], name="one_participation_per_person"
            )
        ]

    def __str__(self):
        return f"{self.survey_id}: {self.registration_id}"


def new_key():
    return uuid.uuid4()


class Response(models.Model):
    """One person's answers. Named: `registration` and the times are set. Anonymous: none of
    them, only the hash of the edit key the person's browser holds."""

    id = models.UUIDField(primary_key=True, default=new_key, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    registration = models.ForeignKey(
        "registration.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    edit_key_hash = models.CharField(max_length=64, blank=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"],
                condition=Q(registration__isnull=False),
                name="one_named_response_per_person",
            )
        ]

    def __str__(self):
        return str(self.pk)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=new_key, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)  # indexes of Question.options
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.response_id}: {self.question_id}"
