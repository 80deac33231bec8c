"""What an invoice bills: its lines (whoever computes them: the organisers typing them, or the
fee grid's quote) and the totals they add up to, in integer cents.

A line is anything with the attributes of `Line` (the fee grid's own lines qualify as they
are: nothing here imports it). VAT is worked out once per rate over the lines of that rate, as
EN 16931 adds it up (BR-CO-17: the VAT of a rate is its base times the rate, rounded to the
cent), so the PDF, the XML and the journal all say the same amounts."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, runtime_checkable

# Basis points: 2000 is 20 %, 550 is 5.5 %.
BASIS_POINTS = 10000
MAX_QUANTITY = 10000
MAX_UNIT_CENTS = 100_000_000  # one million euros a unit: anything above is a typing slip


@runtime_checkable
class Line(Protocol):
    code: str
    label_fr: str
    label_en: str
    quantity: int
    unit_cents: int  # excluding VAT; negative for a discount
    vat_rate_bp: int

    @property
    def total_cents(self) -> int: ...


@dataclass(frozen=True)
class LineItem:
    """A line as the issuing service stores it (and as organisers type one)."""

    code: str
    label_fr: str
    label_en: str
    quantity: int
    unit_cents: int
    vat_rate_bp: int = 0

    @property
    def total_cents(self):
        return self.quantity * self.unit_cents

    def label(self, language):
        return (self.label_en if language == "en" else self.label_fr) or self.label_fr


class InvalidLines(ValueError):
    """Lines no invoice may carry (said in words an organiser can act on)."""


def as_items(lines):
    """The lines as LineItems, checked: whole quantities and cents, a label, a rate between 0
    and 100 %, and a total that is the quantity times the unit price."""
    items = []
    for line in lines:
        quantity, unit, rate = line.quantity, line.unit_cents, line.vat_rate_bp
        if not all(isinstance(value, int) and not isinstance(value, bool)
                   for value in (quantity, unit, rate)):  # fmt: skip
            raise InvalidLines("quantities, prices and rates are whole numbers")
        if not 0 < quantity <= MAX_QUANTITY:
            raise InvalidLines(f"quantity {quantity} out of range")
        if abs(unit) > MAX_UNIT_CENTS:
            raise InvalidLines(f"unit price {unit} out of range")
        if not 0 <= rate <= BASIS_POINTS:
            raise InvalidLines(f"VAT rate {rate} out of range")
        if line.total_cents != quantity * unit:
            raise InvalidLines(f"line {line.code}: its total is not quantity × unit price")
        if not (line.label_fr or "").strip():
            raise InvalidLines(f"line {line.code}: no label")
        items.append(
            LineItem(
                code=(line.code or "")[:40],
                label_fr=line.label_fr.strip()[:300],
                label_en=(line.label_en or "").strip()[:300],
                quantity=quantity,
                unit_cents=unit,
                vat_rate_bp=rate,
            )
        )
    if not items:
        raise InvalidLines("an invoice has at least one line")
    return items


def excluding_vat(line):
    """A line priced VAT included (the fee grid's: what the payer is told) as an invoice bills
    it: its unit price without VAT, rounded half up to the cent. The invoice adds the VAT back
    per rate (BR-CO-17), so its total can differ from the price shown by a cent when a rate's
    base does not divide evenly."""
    unit = line.unit_cents
    if line.vat_rate_bp:
        exact = Decimal(unit) * BASIS_POINTS / (BASIS_POINTS + line.vat_rate_bp)
        unit = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return LineItem(line.code, line.label_fr, line.label_en, line.quantity, unit, line.vat_rate_bp)


def vat_of(base_cents, rate_bp):
    """The VAT of `base_cents` at `rate_bp`, rounded half up to the cent."""
    exact = Decimal(base_cents) * rate_bp / BASIS_POINTS
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Totals:
    net_cents: int  # excluding VAT (HT)
    vat_cents: int  # TVA
    gross_cents: int  # including VAT (TTC)
    # [(rate in basis points, base, VAT)] per rate, in rising order of rate.
    by_rate: tuple


def totals(lines):
    bases = {}
    for line in lines:
        bases[line.vat_rate_bp] = bases.get(line.vat_rate_bp, 0) + line.total_cents
    by_rate = tuple((rate, base, vat_of(base, rate)) for rate, base in sorted(bases.items()))
    net = sum(base for _rate, base, _vat in by_rate)
    vat = sum(vat for _rate, _base, vat in by_rate)
    return Totals(net, vat, net + vat, by_rate)


def percent(rate_bp):
    """ "20", "5.5": a rate as written after it a % sign."""
    text = f"{Decimal(rate_bp) / 100:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimal(cents):
    """Cents as the decimal a document writes: 1234 -> "12.34"."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
