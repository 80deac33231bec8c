"""Who comes to an edition: organisations, categories, registrations, delegations, session
choices, and the history of each registration."""

import base64
import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rencontres.i18n import Translated

from .identifiers import name_key


def new_secret():
    """256 random bits for a private link."""
    return secrets.token_urlsafe(32)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        REGION = "region", _("French region")
        DEPARTEMENT = "departement", _("French département")
        COMMUNE = "commune", _("French commune")
        EPCI = "epci", _("French intercommunality (EPCI)")
        OTHER_FRENCH_AUTHORITY = "other_french_authority", _("Other French local authority")
        FOREIGN_AUTHORITY = "foreign_authority", _("Foreign local or regional authority")
        EMBASSY = "embassy", _("Embassy")
        STATE_SERVICE = "state_service", _("State service")
        ASSOCIATION = "association", _("Association")
        COMPANY = "company", _("Company")
        RESEARCH = "research", _("Research")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    FRENCH_AUTHORITIES = {
        Kind.REGION, Kind.DEPARTEMENT, Kind.COMMUNE, Kind.EPCI, Kind.OTHER_FRENCH_AUTHORITY,
    }  # fmt: skip

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = CountryField(_("country"))
    identifier = models.CharField(
        _("official identifier"),
        max_length=9,
        blank=True,
        help_text=_("INSEE code or SIREN number, for French authorities."),
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~models.Q(identifier=""),
                name="organisation_identifier_unique",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_french_authority(self):
        return self.kind in self.FRENCH_AUTHORITIES


class Category(models.Model):
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("edition"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    needs_approval = models.BooleanField(
        _("needs approval"),
        default=False,
        help_text=_("Registrations in this category wait for an organiser's decision."),
    )
    # Read by the invoicing app (who pays, invoices). Free categories (speakers, partners,
    # members) leave it off.
    invoiced = models.BooleanField(
        _("invoiced"),
        default=False,
        help_text=_("Participants in this category pay: the registration form asks who pays, "
                    "and organisers invoice them."),
    )  # fmt: skip
    payment_before_event = models.BooleanField(
        _("payment before the event"),
        default=False,
        help_text=_("For an invoiced category: payers other than French public bodies (a "
                    "person, a company, an association, a foreign payer) pay before the "
                    "event: their invoice is due the day before it opens at the latest, and "
                    "their private page says whether it is paid."),
    )  # fmt: skip
    invoice_on_confirmation = models.BooleanField(
        _("invoice on confirmation"),
        default=False,
        help_text=_("For an invoiced category: each registration's invoice is issued as soon as "
                    "it is confirmed (what the fee grid says it owes, to the payer it named), "
                    "instead of by the organisers."),
    )  # fmt: skip
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    colour = models.CharField(_("badge colour"), max_length=7, default="#1f4e79")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated("name")

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["edition", "order", "name_fr"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="category_code_per_edition")
        ]

    def __str__(self):
        return self.name


class Delegation(models.Model):
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("edition"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="delegations"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return self.name


def holds_a_place(prefix=""):
    """Whether a registration (reached through `prefix`, e.g. "registration__") counts against
    the capacities: confirmed, or a delegation member's place held while they confirm their
    own address (see services.places.hold_places_for_members)."""
    status, held = f"{prefix}status", f"{prefix}place_held_until__isnull"
    return models.Q(**{status: Registration.Status.CONFIRMED}) | models.Q(
        **{status: Registration.Status.AWAITING_CONFIRMATION, held: False}
    )


class RegistrationQuerySet(models.QuerySet):
    def with_email(self, *addresses):
        """Those registered with one of these addresses, whatever their case. Compared as
        the unique constraint (Lower("email"), "edition") is, so that its index serves the
        lookup (email__iexact compares UPPER(email), which no index holds)."""
        lowered = [address.lower() for address in addresses]
        queryset = self.alias(email_lower=Lower("email"))
        if len(lowered) == 1:
            return queryset.filter(email_lower=lowered[0])
        return queryset.filter(email_lower__in=lowered)

    def holding_a_place(self):
        return self.filter(holds_a_place())

    def holding_or_awaiting_a_place(self):
        return self.filter(status__in=Registration.HOLDING_OR_AWAITING_A_PLACE)


class Registration(models.Model):
    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting e-mail confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    # Who the back-office's lists, exports and e-mails are for unless an organiser asks for
    # others: people with a place, and those waiting for an organiser's decision or a free
    # place. Not those who never confirmed their address, cancelled or were turned down.
    HOLDING_OR_AWAITING_A_PLACE = (
        Status.CONFIRMED, Status.AWAITING_APPROVAL, Status.WAITLISTED,
    )  # fmt: skip
    # Not cancelled nor rejected: may still be changed, cancelled, let in.
    ACTIVE = (*HOLDING_OR_AWAITING_A_PLACE, Status.AWAITING_CONFIRMATION)

    class Diet(models.TextChoices):
        NONE = "", _("No particular diet")
        VEGETARIAN = "vegetarian", _("Vegetarian")
        VEGAN = "vegan", _("Vegan")
        HALAL = "halal", _("Halal")
        KOSHER = "kosher", _("Kosher")
        GLUTEN_FREE = "gluten_free", _("Gluten-free")
        OTHER = "other", _("Other (please specify)")

    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("edition"),
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    job_title = models.CharField(_("job title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("organisation"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("category"),
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="fr"
    )
    access_needs = models.TextField(_("access needs"), blank=True)
    diet = models.CharField(_("diet"), max_length=20, choices=Diet.choices, blank=True)
    diet_details = models.CharField(_("diet details"), max_length=200, blank=True)
    days = models.JSONField(_("days"), default=list, blank=True)
    passport_name = models.CharField(_("name as in the passport"), max_length=200, blank=True)
    # Asked only when the person asks for an invitation letter (what consulates want in it).
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("delegation"),
    )
    is_delegation_head = models.BooleanField(_("head of delegation"), default=False)
    # A delegation member who takes the place of one who cannot come (services.delegations).
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.AWAITING_CONFIRMATION
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A delegation member's place, held from their head's confirmation until they confirm
    # their own address, or until then (released: see services.places.release_expired_holds).
    place_held_until = models.DateTimeField(
        _("place held until"), null=True, blank=True, editable=False
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=40)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"))
    directory_opt_in = models.BooleanField(_("in the participant directory"), default=False)
    directory_consent_at = models.DateTimeField(null=True, blank=True)
    photo_opt_in = models.BooleanField(_("agrees to photos"), default=False)
    photo_consent_at = models.DateTimeField(null=True, blank=True)
    next_editions_opt_in = models.BooleanField(_("invited to the next editions"), default=False)
    next_editions_consent_at = models.DateTimeField(null=True, blank=True)
    # Sessions the person starred in their programme (their calendar feed carries them, beside
    # the sessions they hold a place in); a visitor without a registration keeps them in the
    # browser (static/js/stars.js).
    starred_sessions = models.ManyToManyField(
        "editions.Session",
        blank=True,
        related_name="starred_by",
        verbose_name=_("starred sessions"),
    )
    form_nonce = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "edition", name="registration_email_unique_per_edition"
            )
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def is_foreign(self):
        return self.organisation.country.code != "FR"

    @property
    def can_download_invitation(self):
        """Visa letters are for confirmed participants coming from abroad (or who say so by
        giving their passport name)."""
        return self.status == self.Status.CONFIRMED and (
            self.is_foreign or bool(self.passport_name)
        )

    @property
    def has_letter_details(self):
        """Whether the invitation letter has all it needs (asked when a letter is)."""
        return all([self.passport_name, self.passport_number, self.nationality,
                    self.date_of_birth])  # fmt: skip

    def rotate_secret(self):
        self.secret = new_secret()
        self.save(update_fields=["secret", "updated_at"])

    def feed_token(self, feed):
        """The token of a read-only calendar feed ("sessions", "agenda"): a calendar service
        that keeps the feed's address can read it and nothing more (the private link would
        let it change or cancel the registration). Derived from the secret, so a new secret
        retires it; it tells nothing about the secret."""
        digest = hmac.new(self.secret.encode(), f"feed:{feed}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


class NamedMember(models.Model):
    """Someone a head of delegation named whose address was registered already (on their
    own, or in another delegation): that registration is left as it is and told nothing
    (services.submit.add_delegation), yet the head's page lists the name as a member awaiting
    their own confirmation, like any other, so that it never tells whether an address is
    registered. Holds only what the head typed, and goes as an unconfirmed member would
    (services.places.delete_never_confirmed)."""

    head = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="named_members")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("category")
    )
    # When a member's own confirmation link would have been sent: None until the head
    # confirms their address, then at each "send their link again".
    link_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    form_nonce = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("member named by a head of delegation")
        verbose_name_plural = _("members named by heads of delegation")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


def takes_a_place(prefix="", held=True):
    """Whether a session choice (reached through `prefix`, e.g. "choices__") takes a place in
    its session: a confirmed choice of a registration that holds a place (see holds_a_place),
    or, without `held`, of a confirmed registration only (who may come in at the door)."""
    registration = f"{prefix}registration__"
    holder = (
        holds_a_place(registration)
        if held
        else models.Q(**{f"{registration}status": Registration.Status.CONFIRMED})
    )
    return models.Q(**{f"{prefix}status": SessionChoice.Status.CONFIRMED}) & holder


class SessionChoiceQuerySet(models.QuerySet):
    def taking_a_place(self, held=True):
        """The choices that take a place in their session (see takes_a_place)."""
        return self.filter(takes_a_place(held=held))


class SessionChoice(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="choices")
    session = models.ForeignKey(
        "editions.Session", on_delete=models.CASCADE, related_name="choices"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    # The waiting list's order: first come, first served.
    created_at = models.DateTimeField(default=timezone.now)

    objects = SessionChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("session choice")
        verbose_name_plural = _("session choices")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="one_choice_per_session"
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.registration} – {self.session} ({self.status})"


class RegistrationEvent(models.Model):
    """One line of a registration's history."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=40)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class InvitationQuerySet(models.QuerySet):
    @staticmethod
    def registered_anyway():
        """True for an invitation whose address registered without its link (the public
        form, at the door), whatever became of that registration (cancelled, rejected): it
        counts as registered, and is not sent."""
        return models.Exists(
            Registration.objects.annotate(address=Lower("email")).filter(
                edition=models.OuterRef("edition"), address=Lower(models.OuterRef("email"))
            )
        )

    def with_registered_anyway(self):
        return self.annotate(registered_anyway=self.registered_anyway())

    @classmethod
    def states(cls):
        """{state: condition}."""
        registered_anyway = models.Q(cls.registered_anyway())
        unanswered = models.Q(registration=None) & ~registered_anyway
        return {
            "not_sent": unanswered & models.Q(sent_at=None, declined_at=None),
            "sent": unanswered & models.Q(sent_at__isnull=False, declined_at=None),
            "registered": models.Q(registration__isnull=False) | registered_anyway,
            "declined": unanswered & models.Q(declined_at__isnull=False),
        }

    def in_state(self, state):
        return self.filter(self.states()[state])

    def counts(self):
        """{"total": N, state: N for each state}."""
        return self.aggregate(
            total=models.Count("pk"),
            **{state: models.Count("pk", filter=q) for state, q in self.states().items()},
        )


class Invitation(models.Model):
    """A person the organisers invite (from an imported list): a private link opens the
    registration form filled in with what the list said, and registering through it skips the
    category's approval (the organisers chose this person)."""

    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("edition"),
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=30, choices=Organisation.Kind.choices, blank=True
    )
    country = CountryField(_("country"), blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("category"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="fr"
    )
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("registration"),
    )
    # A past participant invited back (they agreed to hear about the next editions): their
    # form is filled in from that registration (while it is kept), and their networking
    # profile can come along.
    returning = models.BooleanField(_("past participant"), default=False, editable=False)
    previous_registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_invitations",
        verbose_name=_("previous registration"),
        editable=False,
    )
    imported_from = models.ForeignKey(
        "backoffice.InvitationImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "edition", name="invitation_email_unique_per_edition"
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def chosen_by_organisers(self):
        """Imported by the organisers (registering through it needs no approval), not sent to
        a past participant who asked to hear of the next editions."""
        return not self.returning
