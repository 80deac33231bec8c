"""Money as people read and type it: amounts are integer cents with a currency everywhere in
the code, written the way each language writes them (1 234,50 € in French, €1,234.50 in
English, by Babel's CLDR data) and read back from what an organiser types, never through a
float."""

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_currency, parse_decimal
from django.utils import translation

DEFAULT_CURRENCY = "EUR"
# What people type around an amount and that says nothing about it.
SYMBOLS = re.compile(r"[\s€$£]|EUR|CHF|USD|GBP|XOF", re.IGNORECASE)


def babel_locale(language=None):
    return (language or translation.get_language() or "fr").split("-")[0]


def format_money(cents, currency=DEFAULT_CURRENCY, language=None):
    """ "1 234,50 €" (French: narrow no-break space between thousands, no-break space before
    the sign) or "€1,234.50" (English), from integer cents."""
    return format_currency(
        Decimal(int(cents)).scaleb(-2), currency or DEFAULT_CURRENCY, locale=babel_locale(language)
    )


def amount_text(cents, language=None):
    """An amount as the input of a form shows it: "150,50" or "150.50", no sign, no grouping."""
    value = Decimal(int(cents)).scaleb(-2)
    text = f"{value:.2f}"
    return text.replace(".", ",") if babel_locale(language) == "fr" else text


class MoneyError(ValueError):
    """What was typed is not an amount of money."""


def parse_money(text, language=None, most_cents=100_000_000):
    """Integer cents from an amount typed in `language` ("150", "150,50", "1 234,50 €",
    "1,234.50"): never negative, at most two decimals and `most_cents`; MoneyError
    otherwise."""
    cleaned = SYMBOLS.sub("", str(text or ""))
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned):
        raise MoneyError(text)
    try:
        value = parse_decimal(cleaned, locale=babel_locale(language), strict=True)
    except (NumberFormatError, InvalidOperation):
        raise MoneyError(text) from None
    cents = value.scaleb(2)
    if cents != cents.to_integral_value() or cents < 0 or cents > most_cents:
        raise MoneyError(text)
    return int(cents)
