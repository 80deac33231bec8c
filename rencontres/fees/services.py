"""What the team does to what people owe: grant or withdraw an exemption or a discount (in
the person's history, with who did it), and keep the member list (tick organisations,
add or import names and SIRETs). The back-office's pages and the admin call these."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rencontres.registration.identifiers import name_key
from rencontres.registration.services import log

from .members import MemberList
from .models import Adjustment, MemberOrganisation, siren_of

Kind = Adjustment.Kind


def grant_adjustment(registration, kind, reason, actor, amount_cents=0, nonce=None, now=None):
    """An exemption (nothing to pay) or a discount of `amount_cents` for this registration,
    with its reason, in its history. The same form sent twice (`nonce`) grants once: returns
    (adjustment, whether it was granted now)."""
    if nonce:
        earlier = Adjustment.objects.filter(nonce=nonce).first()
        if earlier is not None:
            return earlier, False
    amount_cents = amount_cents if kind == Kind.DISCOUNT else 0
    try:
        with transaction.atomic():
            adjustment = Adjustment.objects.create(
                registration=registration, kind=kind, amount_cents=amount_cents,
                reason=reason, granted_by=actor, granted_at=now or timezone.now(), nonce=nonce,
            )  # fmt: skip
            log(
                registration,
                "fee_exempted" if kind == Kind.EXEMPTION else "fee_discounted",
                actor=actor, adjustment=adjustment.pk, reason=reason,
                **({"amount_cents": amount_cents} if kind == Kind.DISCOUNT else {}),
            )  # fmt: skip
    except IntegrityError:  # the same form, sent at the same moment
        return Adjustment.objects.get(nonce=nonce), False
    return adjustment, True


def withdraw_adjustment(adjustment, actor, now=None):
    """The exemption or discount no longer applies (kept, with who withdrew it); True when
    it was withdrawn now, False when someone did already."""
    withdrawn = Adjustment.objects.filter(pk=adjustment.pk, withdrawn_at=None).update(
        withdrawn_at=now or timezone.now(), withdrawn_by=actor
    )
    if withdrawn:
        log(adjustment.registration, "fee_adjustment_withdrawn", actor=actor,
            adjustment=adjustment.pk)  # fmt: skip
    return bool(withdrawn)


def set_members(edition, ticked, shown):
    """Of the organisations `shown` (registered ones, on the organisers' page), those in
    `ticked` are members and the others are not: each one ticked is added by itself, each
    one unticked leaves the list, with any entry that named it (by SIREN or name). Returns
    (added, removed)."""
    ticked_ids = {organisation.pk for organisation in ticked}
    members = MemberList.of(edition)
    added = removed = 0
    with transaction.atomic():
        for organisation in shown:
            on_list = members.includes(organisation=organisation)
            if organisation.pk in ticked_ids and not on_list:
                MemberOrganisation.objects.get_or_create(
                    edition=edition, organisation=organisation,
                    defaults={"name": organisation.name, "identifier": organisation.identifier},
                )  # fmt: skip
                added += 1
            elif organisation.pk not in ticked_ids and on_list:
                deleted, _by_model = entries_naming(edition, organisation).delete()
                removed += 1 if deleted else 0
    return added, removed


def entries_naming(edition, organisation):
    """The member list's entries that make `organisation` a member."""
    match = Q(organisation=organisation) | Q(name_key=name_key(organisation.name))
    siren = siren_of(organisation.identifier)
    if siren:
        match |= Q(siren=siren)
    return MemberOrganisation.objects.filter(match, edition=edition)


def add_members(edition, entries):
    """Add [(name, SIRET or SIREN)] to the member list, leaving out those already on it (by
    SIREN, or by name when neither has a number); all in one transaction. Returns how many
    were added."""
    existing = MemberOrganisation.objects.filter(edition=edition)
    known_sirens = set(existing.exclude(siren="").values_list("siren", flat=True))
    known_names = set(existing.values_list("name_key", flat=True))
    added = 0
    with transaction.atomic():
        for name, identifier in entries:
            siren, key = siren_of(identifier), name_key(name)
            if (siren and siren in known_sirens) or (not siren and key in known_names):
                continue
            MemberOrganisation.objects.create(edition=edition, name=name, identifier=identifier)
            known_sirens.add(siren)
            known_names.add(key)
            added += 1
    return added


def remove_member(entry):
    entry.delete()
