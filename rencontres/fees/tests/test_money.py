"""Money as each language writes it, and read back from what an organiser types: integer
cents in and out, never a float; French with a narrow no-break space between thousands and a
no-break space before the sign, English with the sign first."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencontres.money import MoneyError, amount_text, format_money, parse_money

amounts = st.integers(min_value=0, max_value=100_000_000)


def test_french_and_english_write_money_their_own_way():
    assert format_money(123450, "EUR", "fr") == "1\u202f234,50\xa0€"
    assert format_money(123450, "EUR", "en") == "€1,234.50"
    assert format_money(0, "EUR", "fr") == "0,00\xa0€"
    assert format_money(-4500, "EUR", "en") == "-€45.00"


@given(amounts, st.sampled_from(["fr", "en"]))
def test_an_amount_written_or_shown_in_a_form_reads_back_the_same(cents, language):
    assert parse_money(amount_text(cents, language), language) == cents
    assert parse_money(format_money(cents, "EUR", language), language) == cents


@pytest.mark.parametrize(
    "typed, language, cents",
    [
        ("150", "fr", 15000),
        ("150,5", "fr", 15050),
        ("150.50", "fr", 15050),
        ("1 234,50 €", "fr", 123450),
        ("1,234.50", "en", 123450),
        ("€ 45", "en", 4500),
        ("0", "en", 0),
    ],
)
def test_it_reads_amounts_as_people_type_them(typed, language, cents):
    assert parse_money(typed, language) == cents


@pytest.mark.parametrize(
    "typed, language",
    [("", "fr"), ("-5", "fr"), ("1e3", "en"), ("12,345", "fr"), ("150,50", "en"), ("abc", "fr"),
     ("0,001", "fr"), ("1000001", "fr"), ("NaN", "en"), ("١٢٣", "fr")],
)  # fmt: skip
def test_it_refuses_what_is_not_an_amount(typed, language):
    with pytest.raises(MoneyError):
        parse_money(typed, language)


@given(st.text(max_size=30), st.sampled_from(["fr", "en"]))
def test_any_text_is_an_amount_of_whole_cents_or_refused(text, language):
    try:
        cents = parse_money(text, language)
    except MoneyError:
        return
    assert isinstance(cents, int) and 0 <= cents <= 100_000_000
