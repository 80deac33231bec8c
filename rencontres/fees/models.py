"""What a registration costs: an edition's fee grid (by category, members or not, per day or
for the whole event, with an early rate until a date), its extras with their own capacity
(the partners' dinner), the member organisations, each registration's chosen extras, and the
exemptions and discounts the team grants. Money is integer cents with a currency."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.i18n import Translated
from rencontres.money import DEFAULT_CURRENCY
from rencontres.registration.identifiers import name_key, normalise_identifier
from rencontres.registration.models import Registration

CURRENCIES = [("EUR", "EUR – euro"), ("CHF", "CHF – franc suisse"), ("XOF", "XOF – franc CFA")]


class VatRate(models.IntegerChoices):
    """French VAT rates, in basis points (2000 = 20 %)."""

    EXEMPT = 0, _("No VAT (exempt or not subject)")
    REDUCED = 550, _("5.5 %")
    INTERMEDIATE = 1000, _("10 %")
    STANDARD = 2000, _("20 %")


class Fee(models.Model):
    """One price of the grid: what a category pays, for organisations on the member list or
    for the others, once or per day attended, with an optional early rate up to and
    including a date (Paris). An amount of 0 makes the category free."""

    class Basis(models.TextChoices):
        EVENT = "event", _("for the whole event")
        DAY = "day", _("per day attended")

    category = models.ForeignKey(
        "registration.Category",
        on_delete=models.CASCADE,
        related_name="fees",
        verbose_name=_("category"),
    )
    for_members = models.BooleanField(
        _("members' rate"),
        default=False,
        help_text=_("For organisations on the member list. Without a members' rate, members "
                    "pay the same as others."),
    )  # fmt: skip
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCIES, default=DEFAULT_CURRENCY
    )
    basis = models.CharField(_("charged"), max_length=5, choices=Basis.choices, default=Basis.EVENT)
    early_amount_cents = models.PositiveIntegerField(
        _("early amount (cents)"), null=True, blank=True
    )
    early_until = models.DateField(
        _("early rate until"), null=True, blank=True, help_text=_("Included, Paris time.")
    )
    vat_rate_bp = models.PositiveIntegerField(
        _("VAT"), choices=VatRate.choices, default=VatRate.EXEMPT
    )

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["category__order", "category__name_fr", "-for_members"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "for_members"], name="one_fee_per_category_and_membership"
            ),
            models.CheckConstraint(
                condition=models.Q(early_amount_cents__isnull=True, early_until__isnull=True)
                | models.Q(early_amount_cents__isnull=False, early_until__isnull=False),
                name="fee_early_amount_with_its_date",
            ),
        ]

    def __str__(self):
        return f"{self.category} ({'members' if self.for_members else 'others'})"

    def clean(self):
        errors = {}
        if (self.early_amount_cents is None) != (self.early_until is None):
            field = "early_until" if self.early_until is None else "early_amount_cents"
            errors[field] = _("An early rate needs both its amount and its last day.")
        elif (
            self.early_amount_cents is not None
            and self.amount_cents is not None
            and self.early_amount_cents > self.amount_cents
        ):
            errors["early_amount_cents"] = _("The early rate cannot be above the normal one.")
        if errors:
            raise ValidationError(errors)

    def amount_on(self, day):
        """The amount on that day (a date in Paris): the early one up to its last day
        included, the normal one after."""
        if self.early_until is not None and day <= self.early_until:
            return self.early_amount_cents, True
        return self.amount_cents, False


class Extra(models.Model):
    """Something a registrant may add, at its own price and up to its own capacity."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="extras",
        verbose_name=_("edition"),
    )  # fmt: skip
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCIES, default=DEFAULT_CURRENCY
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    vat_rate_bp = models.PositiveIntegerField(
        _("VAT"), choices=VatRate.choices, default=VatRate.EXEMPT
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated("name")

    class Meta:
        verbose_name = _("extra")
        verbose_name_plural = _("extras")
        ordering = ["edition", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name_fr"], name="extra_name_fr_once"),
            models.UniqueConstraint(fields=["edition", "name_en"], name="extra_name_en_once"),
        ]

    def __str__(self):
        return self.name


class ExtraBookingQuerySet(models.QuerySet):
    def taking_a_seat(self):
        """The bookings that count against their extra's capacity: those of registrations
        not cancelled nor rejected (a registration never confirmed is deleted by the purge,
        its booking with it)."""
        return self.filter(registration__status__in=Registration.ACTIVE)


class ExtraBooking(models.Model):
    """An extra chosen by a registration (one seat)."""

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="extra_bookings"
    )
    extra = models.ForeignKey(Extra, on_delete=models.PROTECT, related_name="bookings")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ExtraBookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("extra booked")
        verbose_name_plural = _("extras booked")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "extra"], name="one_booking_per_extra")
        ]

    def __str__(self):
        return f"{self.registration} – {self.extra}"


def siren_of(identifier):
    """The SIREN (9 digits) inside a SIRET (14 digits) or a SIREN; "" for anything else (an
    INSEE code names a commune, not its legal unit)."""
    value = normalise_identifier(identifier)
    if value.isdigit() and len(value) in (9, 14):
        return value[:9]
    return ""


class MemberOrganisation(models.Model):
    """An organisation on an edition's member list: ticked by the organisers among those
    registered (`organisation`), or typed or imported by name and SIRET."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="member_organisations",
        verbose_name=_("edition"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    identifier = models.CharField(
        _("SIRET or SIREN"), max_length=14, blank=True,
        help_text=_("14 or 9 digits; the organisation is also recognised by its name."),
    )  # fmt: skip
    siren = models.CharField(max_length=9, blank=True, db_index=True, editable=False)
    organisation = models.ForeignKey(
        "registration.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["name_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organisation"], name="organisation_member_once_per_edition"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        self.identifier = normalise_identifier(self.identifier)
        self.siren = siren_of(self.identifier)
        super().save(*args, **kwargs)


class Adjustment(models.Model):
    """An exemption (nothing to pay) or a discount granted by the team to one registration,
    with its reason."""

    class Kind(models.TextChoices):
        EXEMPTION = "exemption", _("Exemption")
        DISCOUNT = "discount", _("Discount")

    registration = models.ForeignKey(
        "registration.Registration", on_delete=models.CASCADE, related_name="fee_adjustments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_cents = models.PositiveIntegerField(_("discount (cents)"), default=0)
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The form's one-time value: the same form sent twice grants once.
    nonce = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("exemption or discount")
        verbose_name_plural = _("exemptions and discounts")
        ordering = ["granted_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.registration}"

    @property
    def is_active(self):
        return self.withdrawn_at is None
