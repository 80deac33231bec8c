"""What a registration owes, by the one rule of rencontres/fees/pricing.py: the total is the sum
of the lines and never below zero; the early rate holds up to and including its last day in
Paris; members pay the members' rate (or the others' when there is none); a fee per day is
multiplied by the days attended; an exemption owes nothing; a discount lowers the registration
fee only, never below zero. Grids built in memory let hypothesis try thousands of cases."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontres.editions.models import PARIS, Edition
from rencontres.fees import pricing
from rencontres.fees.models import Adjustment, Extra, ExtraBooking, Fee, MemberOrganisation
from rencontres.registration.models import Category
from rencontres.registration.tests.factories import (
    category,
    open_edition,
    organisation,
    registered,
)

EDITION = Edition(starts_on=datetime.date(2027, 11, 4), ends_on=datetime.date(2027, 11, 6))
EARLY_UNTIL = datetime.date(2027, 9, 30)
CATEGORY = Category(pk=1, code="elected", name_fr="Élu·e", name_en="Elected official")

cents = st.integers(min_value=0, max_value=10_000_000)
days = st.lists(st.sampled_from([day.isoformat() for day in EDITION.days]), unique=True)
on = st.dates(min_value=datetime.date(2027, 1, 1), max_value=datetime.date(2027, 12, 31))


@st.composite
def grids(draw):
    """A grid of one category: a fee for others, maybe one for members, each with maybe an
    early rate and charged once or per day; and up to three extras."""
    fees = {}
    next_pk = iter(range(1, 100))
    for for_members in (False, True):
        if for_members and not draw(st.booleans()):
            continue
        amount = draw(cents)
        early = draw(st.none() | st.integers(min_value=0, max_value=amount))
        fees[(CATEGORY.pk, for_members)] = Fee(
            pk=next(next_pk), category=CATEGORY, for_members=for_members, amount_cents=amount,
            basis=draw(st.sampled_from(Fee.Basis.values)), early_amount_cents=early,
            early_until=EARLY_UNTIL if early is not None else None,
        )  # fmt: skip
    extras = tuple(
        Extra(pk=pk, name_fr=f"Extra {pk}", name_en=f"Extra {pk}", price_cents=draw(cents))
        for pk in range(1, draw(st.integers(0, 3)) + 1)
    )
    return pricing.Grid(fees, extras, "EUR")


def adjustment(pk, kind, amount=0, withdrawn=False):
    return Adjustment(
        pk=pk, kind=kind, amount_cents=amount, reason="test",
        withdrawn_at=timezone.now() if withdrawn else None,
    )  # fmt: skip


@st.composite
def adjustments(draw):
    found = []
    for pk in range(1, draw(st.integers(0, 3)) + 1):
        kind = draw(st.sampled_from(Adjustment.Kind.values))
        found.append(adjustment(pk, kind, draw(cents), withdrawn=draw(st.booleans())))
    return found


@st.composite
def cases(draw):
    grid = draw(grids())
    return {
        "grid": grid,
        "organisation_is_member": draw(st.booleans()),
        "days": draw(days),
        "extras": draw(st.lists(st.sampled_from(grid.extras), unique=True)) if grid.extras else [],
        "on": draw(on),
        "adjustments": draw(adjustments()),
    }


def priced(case):
    return pricing.quote_for(EDITION, category=CATEGORY, **case)


@settings(max_examples=400, deadline=None)
@given(cases())
def test_the_total_is_the_sum_of_the_lines_and_never_below_zero(case):
    quote = priced(case)
    assert quote.total_cents == sum(line.total_cents for line in quote.lines)
    assert quote.total_cents >= 0
    assert all(line.unit_cents >= 0 for line in quote.lines if not line.code.startswith("discount"))
    assert all(isinstance(line.total_cents, int) for line in quote.lines)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_fee_follows_membership_the_early_rate_and_the_days(case):
    case["adjustments"] = []
    quote = priced(case)
    grid, member = case["grid"], case["organisation_is_member"]
    fee = grid.fees.get((CATEGORY.pk, member)) or grid.fees.get((CATEGORY.pk, not member))
    [line] = [line for line in quote.lines if line.code.startswith("fee:")]
    assert line.code == f"fee:{fee.pk}"
    early = fee.early_until is not None and case["on"] <= fee.early_until
    assert line.unit_cents == (fee.early_amount_cents if early else fee.amount_cents)
    assert line.quantity == (len(case["days"]) if fee.basis == Fee.Basis.DAY else 1)
    extras = sum(extra.price_cents for extra in case["extras"])
    assert quote.total_cents == line.quantity * line.unit_cents + extras


@settings(max_examples=300, deadline=None)
@given(cases())
def test_an_exemption_owes_nothing_whatever_else_applies(case):
    case["adjustments"] = [*case["adjustments"], adjustment(99, Adjustment.Kind.EXEMPTION)]
    quote = priced(case)
    assert quote.exempt and quote.total_cents == 0 and quote.lines == ()


@settings(max_examples=300, deadline=None)
@given(cases(), st.lists(cents, min_size=1, max_size=3))
def test_discounts_lower_the_registration_fee_only_and_never_below_zero(case, discounts):
    case["adjustments"] = [
        adjustment(pk, Adjustment.Kind.DISCOUNT, amount) for pk, amount in enumerate(discounts, 1)
    ]
    without = priced({**case, "adjustments": []})
    quote = priced(case)
    fee = sum(line.total_cents for line in without.lines if line.code.startswith("fee:"))
    extras = without.total_cents - fee
    assert quote.total_cents == max(fee - sum(discounts), 0) + extras
    assert [line.code for line in quote.lines if line.code.startswith("discount:")] == [
        f"discount:{pk}" for pk in range(1, len(discounts) + 1)
    ]


@settings(max_examples=100, deadline=None)
@given(cases())
def test_a_withdrawn_exemption_or_discount_changes_nothing(case):
    withdrawn = [adjustment(pk, kind, 500, withdrawn=True)
                 for pk, kind in enumerate(Adjustment.Kind.values, 1)]  # fmt: skip
    assert priced({**case, "adjustments": withdrawn}) == priced({**case, "adjustments": []})


def test_the_early_rate_applies_up_to_and_including_its_last_day():
    fee = Fee(pk=1, category=CATEGORY, amount_cents=15000, early_amount_cents=12000,
              early_until=EARLY_UNTIL)  # fmt: skip
    grid = pricing.Grid({(1, False): fee}, (), "EUR")

    def unit(day):
        quote = pricing.quote_for(EDITION, category=CATEGORY, organisation_is_member=False,
                                  days=[], extras=[], on=day, grid=grid)  # fmt: skip
        return quote.lines[0].unit_cents, quote.lines[0].label_en

    assert unit(EARLY_UNTIL) == (12000, "Registration – Elected official, early rate")
    assert unit(EARLY_UNTIL + datetime.timedelta(days=1)) == (
        15000,
        "Registration – Elected official",
    )


def test_a_category_without_a_fee_owes_nothing_and_has_no_line():
    grid = pricing.Grid({}, (), "EUR")
    quote = pricing.quote_for(EDITION, category=CATEGORY, organisation_is_member=True, days=[],
                              extras=[], on=EARLY_UNTIL, grid=grid)  # fmt: skip
    assert quote == pricing.Quote((), "EUR", 0, False)


def test_lines_carry_both_languages_and_the_vat_rate():
    fee = Fee(pk=7, category=CATEGORY, for_members=True, amount_cents=4000, basis="day",
              vat_rate_bp=2000)  # fmt: skip
    dinner = Extra(pk=3, name_fr="Dîner des partenaires", name_en="Partners' dinner",
                   price_cents=4500, vat_rate_bp=1000)  # fmt: skip
    grid = pricing.Grid({(1, True): fee}, (dinner,), "EUR")
    quote = pricing.quote_for(EDITION, category=CATEGORY, organisation_is_member=True,
                              days=["2027-11-04", "2027-11-05"], extras=[dinner],
                              on=EARLY_UNTIL, grid=grid)  # fmt: skip
    assert quote.lines == (
        pricing.Line("fee:7", "Inscription – Élu·e, tarif adhérent, par jour",
                     "Registration – Elected official, members' rate, per day", 2, 4000, 2000),
        pricing.Line("extra:3", "Dîner des partenaires", "Partners' dinner", 1, 4500, 1000),
    )  # fmt: skip
    assert quote.total_cents == 12500


# The registration's own quote, from the database --------------------------------------------


@pytest.mark.django_db
def test_a_registration_owes_the_early_rate_of_the_day_it_registered_in_paris():
    edition = open_edition()
    Fee.objects.create(category=category(edition), amount_cents=15000,
                       early_amount_cents=12000, early_until=EARLY_UNTIL)  # fmt: skip
    late_evening = registered(edition)  # 23:30 in Paris on the last early day
    past_midnight = registered(edition)  # 00:30 in Paris the day after
    type(late_evening).objects.filter(pk=late_evening.pk).update(
        created_at=datetime.datetime(2027, 9, 30, 23, 30, tzinfo=PARIS)
    )
    type(past_midnight).objects.filter(pk=past_midnight.pk).update(
        created_at=datetime.datetime(2027, 10, 1, 0, 30, tzinfo=PARIS)
    )
    late_evening.refresh_from_db()
    past_midnight.refresh_from_db()
    assert pricing.quote(late_evening).total_cents == 12000
    assert pricing.quote(past_midnight).total_cents == 15000
    assert pricing.quote(past_midnight, on=EARLY_UNTIL).total_cents == 12000


@pytest.mark.django_db
def test_the_form_prices_today_in_paris(monkeypatch):
    edition = open_edition()
    Fee.objects.create(category=category(edition), amount_cents=15000,
                       early_amount_cents=12000, early_until=EARLY_UNTIL)  # fmt: skip
    # 22:30 UTC on the last early day is already the next day in Paris.
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2027, 9, 30, 22, 30, tzinfo=datetime.UTC)
    )
    quote = pricing.quote_for(edition, category=category(edition), organisation_is_member=False,
                              days=[], extras=[])  # fmt: skip
    assert quote.total_cents == 15000


@pytest.mark.django_db
def test_a_member_organisation_pays_the_members_rate_and_its_extras_are_added():
    edition = open_edition()
    elected = category(edition)
    Fee.objects.create(category=elected, amount_cents=15000)
    Fee.objects.create(category=elected, for_members=True, amount_cents=0)
    dinner = Extra.objects.create(edition=edition, name_fr="Dîner", name_en="Dinner",
                                  price_cents=4500, capacity=10)  # fmt: skip
    lyon = registered(edition, organisation=organisation("Ville de Lyon"))
    nantes = registered(edition, organisation=organisation("Ville de Nantes"))
    ExtraBooking.objects.create(registration=lyon, extra=dinner)
    MemberOrganisation.objects.create(edition=edition, name="LYON")  # matched by its name
    assert pricing.quote(lyon).total_cents == 4500
    assert pricing.quote(nantes).total_cents == 15000
    Adjustment.objects.create(registration=nantes, kind="discount", amount_cents=5000,
                              reason="Partner")  # fmt: skip
    assert pricing.quote(nantes).total_cents == 10000
    everyone = pricing.quotes(edition, type(lyon).objects.filter(edition=edition))
    assert everyone == {lyon.pk: pricing.quote(lyon), nantes.pk: pricing.quote(nantes)}


@pytest.mark.django_db
def test_quotes_of_a_whole_edition_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    edition = open_edition()
    Fee.objects.create(category=category(edition), amount_cents=15000)
    for _ in range(30):
        registered(edition)
    people = list(type(registered(edition)).objects.filter(edition=edition)
                  .select_related("category", "organisation"))  # fmt: skip
    with django_assert_max_num_queries(5):
        assert len(pricing.quotes(edition, people)) == 31
