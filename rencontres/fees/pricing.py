"""What a registration owes, by one rule: the grid's fee for its category and membership
(early rate up to and including its last day, Paris time; per day attended or once), its
extras, then the team's adjustments (an exemption owes nothing; a discount lowers the
registration fee, never below zero). The registration form's live price, the e-mails, the
private page, the back-office and the invoices all read it here.

Amounts are integer cents, VAT included: a line's `unit_cents` is what the payer pays for one
unit, and `vat_rate_bp` the VAT rate inside it (0 when exempt or not subject), from which an
invoice works out its net and VAT amounts."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rencontres.editions.models import PARIS
from rencontres.money import DEFAULT_CURRENCY, format_money

from .members import MemberList
from .models import Adjustment, Extra, ExtraBooking, Fee


@dataclass(frozen=True)
class Line:
    code: str  # stable: "fee:<fee pk>", "extra:<extra pk>", "discount:<adjustment pk>"
    label_fr: str
    label_en: str
    quantity: int
    unit_cents: int  # VAT included; negative for a discount
    vat_rate_bp: int  # 2000 = 20 %; 0 when exempt or not subject

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_cents

    @property
    def label(self):
        """The label in the active language."""
        return self.label_en if (translation.get_language() or "fr")[:2] == "en" else self.label_fr


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]
    currency: str
    total_cents: int
    exempt: bool  # the whole registration is exempt (the reason is in its Adjustment)


@dataclass(frozen=True)
class Grid:
    """An edition's prices, read once: {(category id, for members): Fee}, its extras, and
    the currency they are in."""

    fees: dict
    extras: tuple
    currency: str

    @classmethod
    def of(cls, edition):
        fees = {
            (fee.category_id, fee.for_members): fee
            for fee in Fee.objects.filter(category__edition=edition).select_related("category")
        }
        extras = tuple(Extra.objects.filter(edition=edition))
        currencies = [fee.currency for fee in fees.values()] + [extra.currency for extra in extras]
        return cls(fees, extras, currencies[0] if currencies else DEFAULT_CURRENCY)

    @property
    def charges(self):
        """Whether the edition asks for money at all (a grid or an extra)."""
        return bool(self.fees or self.extras)

    def fee(self, category, for_member):
        """The category's fee for a member or not; without a row for one, the other's."""
        category_id = getattr(category, "pk", category)
        found = self.fees.get((category_id, bool(for_member)))
        return found if found is not None else self.fees.get((category_id, not for_member))


def today_in_paris():
    return timezone.localdate(timezone=PARIS)


def both_languages(words):
    """(French, English) of `words()`, a text built with gettext."""
    texts = []
    for language in ("fr", "en"):
        with translation.override(language):
            texts.append(str(words()))
    return tuple(texts)


def fee_label(fee, early):
    category = fee.category

    def words():
        name = category.name_en if translation.get_language() == "en" else category.name_fr
        parts = [_("Registration – %(category)s") % {"category": name or category.name}]
        if fee.for_members:
            parts.append(_("members' rate"))
        if early:
            parts.append(_("early rate"))
        if fee.basis == Fee.Basis.DAY:
            parts.append(_("per day"))
        return ", ".join(parts)

    return both_languages(words)


def days_counted(edition, days):
    """How many of the edition's days `days` holds (dates or ISO strings), or `days` itself
    when it is a number."""
    if isinstance(days, int):
        return max(days, 0)
    wanted = {day.isoformat() if isinstance(day, datetime.date) else str(day) for day in days}
    return len(wanted & {day.isoformat() for day in edition.days})


def quote_for(edition, *, category, organisation_is_member, days, extras, on=None,
              adjustments=(), grid=None):  # fmt: skip
    """What a registration of `category` owes (before one exists: the form's live price),
    on the day `on` (default: today in Paris) for the early rate, with the team's
    `adjustments` once it exists. `grid` (Grid.of(edition)) saves its queries when many are
    priced at once."""
    grid = grid or Grid.of(edition)
    on = on or today_in_paris()
    lines = []
    fee = grid.fee(category, organisation_is_member) if category is not None else None
    if fee is not None:
        amount, early = fee.amount_on(on)
        quantity = days_counted(edition, days) if fee.basis == Fee.Basis.DAY else 1
        label_fr, label_en = fee_label(fee, early)
        lines.append(Line(f"fee:{fee.pk}", label_fr, label_en, quantity, amount, fee.vat_rate_bp))
    for extra in extras:
        lines.append(
            Line(f"extra:{extra.pk}", extra.name_fr or extra.name_en,
                 extra.name_en or extra.name_fr, 1, extra.price_cents, extra.vat_rate_bp)
        )  # fmt: skip
    active = [adjustment for adjustment in adjustments if adjustment.is_active]
    if any(adjustment.kind == Adjustment.Kind.EXEMPTION for adjustment in active):
        return Quote((), grid.currency, 0, True)
    # A discount lowers the registration fee, and never below zero: the extras are paid.
    fee_left = sum(line.total_cents for line in lines if line.code.startswith("fee:"))
    vat = fee.vat_rate_bp if fee is not None else 0
    for discount in active:
        applied = min(discount.amount_cents, fee_left)
        fee_left -= applied
        label_fr, label_en = both_languages(lambda: _("Discount granted by the organisers"))
        lines.append(Line(f"discount:{discount.pk}", label_fr, label_en, 1, -applied, vat))
    lines = tuple(lines)
    return Quote(lines, grid.currency, sum(line.total_cents for line in lines), False)


def registration_day(registration):
    """The day a registration was made, in Paris: its early rate is the one of that day."""
    return timezone.localtime(registration.created_at, PARIS).date()


def quote(registration, *, on=None):
    """What this registration owes now: its category's fee (the early rate of the day it
    registered, unless `on` says another day), its organisation's membership as the member
    list says today, its days, its extras and the team's adjustments."""
    edition = registration.edition
    return quote_for(
        edition,
        category=registration.category,
        organisation_is_member=MemberList.of(edition).includes(
            organisation=registration.organisation
        ),
        days=registration.days or [],
        extras=[booking.extra for booking in registration.extra_bookings.select_related("extra")],
        on=on or registration_day(registration),
        adjustments=list(registration.fee_adjustments.all()),
    )


def quotes(edition, registrations):
    """{registration id: Quote} for many registrations of one edition, in a fixed number of
    queries (the overview prices them all)."""
    grid, members = Grid.of(edition), MemberList.of(edition)
    extras = {extra.pk: extra for extra in grid.extras}
    booked, adjusted = defaultdict(list), defaultdict(list)
    for registration_id, extra_id in ExtraBooking.objects.filter(
        registration__edition=edition
    ).values_list("registration_id", "extra_id"):
        booked[registration_id].append(extras[extra_id])
    for adjustment in Adjustment.objects.filter(registration__edition=edition):
        adjusted[adjustment.registration_id].append(adjustment)
    return {
        registration.pk: quote_for(
            edition,
            category=registration.category,
            organisation_is_member=members.includes(organisation=registration.organisation),
            days=registration.days or [],
            extras=booked[registration.pk],
            on=registration_day(registration),
            adjustments=adjusted[registration.pk],
            grid=grid,
        )
        for registration in registrations
    }


def shown(quote, language=None):
    """A quote as pages, e-mails and the form's live price show it, in `language` (default:
    the active one): plain values, kept with an e-mail in the outbox."""
    language = language or translation.get_language()
    with translation.override(language):
        return {
            "lines": [
                {
                    "label": line.label,
                    "quantity": line.quantity,
                    "unit": format_money(line.unit_cents, quote.currency, language),
                    "amount": format_money(line.total_cents, quote.currency, language),
                }
                for line in quote.lines
            ],
            "total": format_money(quote.total_cents, quote.currency, language),
            "total_cents": quote.total_cents,
            "currency": quote.currency,
            "exempt": quote.exempt,
        }
