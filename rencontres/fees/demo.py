"""The demo edition's prices: members of the organising association come for free, others pay
150 € (120 € until a month before the deadline), foreign and State delegations and the press
are free, researchers pay by the day, and the partners' dinner (45 €) seats 120. A few French
authorities of the demo are on the member list."""

import datetime

from django.utils import timezone

from rencontres.editions.models import PARIS

from .models import Extra, Fee, MemberOrganisation, VatRate

# category code: (members, others, early rate for others or None, per day)
GRID = {
    "elected": (0, 15000, 12000, False),
    "staff": (0, 15000, 12000, False),
    "foreign_authority": (None, 0, None, False),
    "embassy_state": (None, 0, None, False),
    "association": (0, 9000, 7000, False),
    "company": (20000, 25000, None, False),
    "research": (None, 6000, None, True),
    "press": (None, 0, None, False),
    "other": (None, 15000, 12000, False),
}
MEMBERS = ["Région Occitanie", "Ville de Lyon", "Région Bretagne", "Département de l'Isère",
           "Métropole de Lille"]  # fmt: skip


def early_until(edition, now=None):
    """A month before the deadline, and at least two weeks ahead of today: the demo shows
    its early rate for a while after it is loaded."""
    today = timezone.localtime(now or timezone.now(), PARIS).date()
    deadline = timezone.localtime(edition.registration_closes_at, PARIS).date()
    return min(max(deadline - datetime.timedelta(days=30), today + datetime.timedelta(days=14)),
               deadline)  # fmt: skip


def load_fees_demo(edition, now=None):
    """The demo's grid, extra and member list, once; returns whether it was made now."""
    if Fee.objects.filter(category__edition=edition).exists():
        return False
    until = early_until(edition, now)
    categories = {category.code: category for category in edition.categories.all()}
    for code, (members, others, early, per_day) in GRID.items():
        category = categories.get(code)
        if category is None:
            continue
        basis = Fee.Basis.DAY if per_day else Fee.Basis.EVENT
        Fee.objects.create(
            category=category, amount_cents=others, basis=basis,
            early_amount_cents=early, early_until=until if early is not None else None,
        )  # fmt: skip
        if members is not None:
            Fee.objects.create(category=category, for_members=True, amount_cents=members,
                               basis=basis)  # fmt: skip
    Extra.objects.create(
        edition=edition, name_fr="Dîner des partenaires", name_en="Partners' dinner",
        price_cents=4500, capacity=120, vat_rate_bp=VatRate.INTERMEDIATE,
    )  # fmt: skip
    for name in MEMBERS:
        MemberOrganisation.objects.create(edition=edition, name=name)
    return True
