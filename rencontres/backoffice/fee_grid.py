"""The organisers' pages for money: the fee grid of an edition (a price per category, for
members or not, once or per day, with an early rate), its extras and their seats, the member
list (ticked among the organisations registered, typed, or imported from a CSV or Excel
file), and on a registration, the exemptions and discounts granted with their reason. Each
change is in the audit log; the prices are read by one rule, rencontres/fees/pricing.py."""

import re

from django import forms
from django.contrib import messages
from django.db.models import Count, ProtectedError, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rencontres import audit
from rencontres.fees import pricing
from rencontres.fees import services as fees
from rencontres.fees.members import MemberList, member_rows, valid_siret_or_siren
from rencontres.fees.models import Adjustment, Extra, Fee, MemberOrganisation
from rencontres.forms import (
    FastSelect,
    MoneyField,
    SafeModelChoiceField,
    new_page_nonce,
    page_nonce,
    single_line,
    with_errors,
)
from rencontres.money import format_money
from rencontres.registration.identifiers import normalise_identifier
from rencontres.registration.models import Category, Organisation, Registration
from rencontres.roles import FEES, edition_page

from . import imports


def as_id(value):
    """A database id from a posted value, or None (never a number the database refuses)."""
    return int(value) if re.fullmatch(r"[0-9]{1,18}", str(value or "")) else None


def one_currency(form, edition, currency, *, fee=None, extra=None):
    """Every price of an edition in one currency: a quote adds them up."""
    others = set(
        Fee.objects.filter(category__edition=edition).exclude(pk=getattr(fee, "pk", None))
        .values_list("currency", flat=True)
    ) | set(
        Extra.objects.filter(edition=edition).exclude(pk=getattr(extra, "pk", None))
        .values_list("currency", flat=True)
    )  # fmt: skip
    if currency and others and others != {currency}:
        form.add_error(
            "currency",
            _("This edition's other prices are in %(currency)s: all its prices are in one "
              "currency.") % {"currency": ", ".join(sorted(others))},
        )  # fmt: skip


class FeeForm(forms.ModelForm):
    amount_cents = MoneyField(label=_("Amount"), help_text=_("VAT included; 0 for free."))
    early_amount_cents = MoneyField(
        label=_("Early amount"), required=False,
        help_text=_("Optional: a lower amount for those who register up to a date."),
    )  # fmt: skip

    class Meta:
        model = Fee
        fields = ["category", "for_members", "amount_cents", "currency", "basis",
                  "early_amount_cents", "early_until", "vat_rate_bp"]  # fmt: skip
        field_classes = {"category": SafeModelChoiceField}
        widgets = {
            "category": FastSelect,
            "currency": FastSelect,
            "vat_rate_bp": FastSelect,
            "basis": forms.RadioSelect,
            "early_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["category"].queryset = Category.objects.filter(edition=edition)
        self.fields["category"].empty_label = _("Choose…")

    def clean(self):
        data = super().clean()
        category, for_members = data.get("category"), data.get("for_members")
        if category is not None:
            taken = Fee.objects.filter(category=category, for_members=bool(for_members))
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "category",
                    _("This category already has a fee for members: change that one.")
                    if for_members
                    else _("This category already has a fee for non-members: change that one."),
                )
        one_currency(self, self.edition, data.get("currency"), fee=self.instance)
        return data


class ExtraForm(forms.ModelForm):
    price_cents = MoneyField(label=_("Price"), help_text=_("VAT included."))

    class Meta:
        model = Extra
        fields = ["name_fr", "name_en", "price_cents", "currency", "capacity", "vat_rate_bp",
                  "order"]  # fmt: skip
        widgets = {"currency": FastSelect, "vat_rate_bp": FastSelect}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["capacity"].widget.attrs["min"] = 0
        self.fields["capacity"].max_value = 100000

    def clean_name_fr(self):
        return self.unique_name("name_fr")

    def clean_name_en(self):
        return self.unique_name("name_en")

    def unique_name(self, field):
        name = single_line(self.cleaned_data[field])
        others = Extra.objects.filter(edition=self.edition, **{field: name})
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another extra of this edition has this name."))
        return name

    def clean(self):
        data = super().clean()
        one_currency(self, self.edition, data.get("currency"), extra=self.instance)
        return data


def extras_with_seats(edition):
    return list(
        Extra.objects.filter(edition=edition).annotate(
            taken=Count(
                "bookings", filter=Q(bookings__registration__status__in=Registration.ACTIVE)
            )
        )
    )


@edition_page(FEES)
def grid(request, edition):
    fee_rows = list(Fee.objects.filter(category__edition=edition).select_related("category"))
    return render(request, "backoffice/fees.html", {
        "edition": edition,
        "fees": fee_rows,
        "unpriced": Category.objects.filter(edition=edition, fees=None),
        "extras": extras_with_seats(edition),
        "member_count": MemberOrganisation.objects.filter(edition=edition).count(),
    })  # fmt: skip


@edition_page(FEES)
def fee_page(request, edition, pk=None):
    """A fee added or changed (or deleted) by an organiser."""
    fee = get_object_or_404(Fee, category__edition=edition, pk=pk) if pk else None
    if request.method == "POST" and fee is not None and "delete" in request.POST:
        audit.log(request, edition, "fee_deleted", fee=fee.pk, category=fee.category_id)
        fee.delete()
        messages.success(request, _("The fee is deleted."))
        return redirect("backoffice:fees", edition.number)
    form = FeeForm(request.POST or None, instance=fee, edition=edition)
    saved = saved_form(request, form, _("The fee is saved."))
    if saved is not None:
        audit.log(request, edition, "fee_changed" if fee else "fee_added", fee=saved.pk,
                  fields=sorted(form.changed_data))  # fmt: skip
        return redirect("backoffice:fees", edition.number)
    return form_page(request, edition, form, fee, _("Change a fee") if fee else _("Add a fee"))


def saved_form(request, form, message):
    """What a fee's or an extra's form saved (told with `message`), or None: not sent, or
    not valid."""
    if request.method != "POST" or not form.is_valid():
        return None
    saved = form.save()
    messages.success(request, message)
    return saved


def form_page(request, edition, form, existing, title):
    return render(request, "backoffice/fee_form.html", {
        "edition": edition, "form": form, "error_forms": with_errors(form), "object": existing,
        "title": title,
    })  # fmt: skip


@edition_page(FEES)
def extra_page(request, edition, pk=None):
    """An extra added or changed (or deleted while nobody booked it)."""
    extra = get_object_or_404(Extra, edition=edition, pk=pk) if pk else None
    if request.method == "POST" and extra is not None and "delete" in request.POST:
        try:
            extra.delete()
        except ProtectedError:
            messages.error(
                request,
                _("People booked this extra: it cannot be deleted. To close it, set its "
                  "capacity to the seats taken."),
            )  # fmt: skip
            return redirect("backoffice:extra", edition.number, extra.pk)
        audit.log(request, edition, "extra_deleted", extra=pk)
        messages.success(request, _("The extra is deleted."))
        return redirect("backoffice:fees", edition.number)
    form = ExtraForm(request.POST or None, instance=extra or Extra(edition=edition),
                     edition=edition)  # fmt: skip
    saved = saved_form(request, form, _("The extra is saved."))
    if saved is not None:
        audit.log(request, edition, "extra_changed" if extra else "extra_added", extra=saved.pk,
                  fields=sorted(form.changed_data))  # fmt: skip
        return redirect("backoffice:fees", edition.number)
    return form_page(request, edition, form, extra,
                     _("Change an extra") if extra else _("Add an extra"))  # fmt: skip


# The member list --------------------------------------------------------------------------


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    identifier = forms.CharField(label=_("SIRET or SIREN"), max_length=30, required=False,
                                 help_text=_("14 or 9 digits."))  # fmt: skip

    def clean_name(self):
        return single_line(self.cleaned_data["name"])

    def clean_identifier(self):
        value = normalise_identifier(self.cleaned_data["identifier"])
        if value and not valid_siret_or_siren(value):
            raise forms.ValidationError(
                _("This is neither a SIRET (14 digits) nor a SIREN (9 digits) whose check "
                  "digit is right.")
            )  # fmt: skip
        return value


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of members (CSV or Excel)"),
        help_text=_("A column “name” (or “nom”) and, where you have them, a column “SIRET”."),
    )


def registered_organisations(edition):
    """The organisations of the edition's registrations (not cancelled nor rejected), by
    name, each with how many people it registered."""
    return list(
        Organisation.objects.filter(registrations__edition=edition,
                                    registrations__status__in=Registration.ACTIVE)
        .annotate(people=Count("registrations"))
        .order_by("name", "pk")
    )  # fmt: skip


@edition_page(FEES)
def members(request, edition):
    """The member list: organisations registered, ticked or not; entries typed or imported;
    each action one POST (`action`)."""
    action = request.POST.get("action") if request.method == "POST" else None
    member_form = MemberForm(request.POST if action == "add" else None, prefix="member")
    import_form = MemberImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        prefix="import",
    )
    organisations = registered_organisations(edition)
    problems = []
    if action == "tick":
        ticked = {as_id(pk) for pk in request.POST.getlist("member")}
        added, removed = fees.set_members(
            edition, [o for o in organisations if o.pk in ticked], organisations
        )
        audit.log(request, edition, "members_ticked", added=added, removed=removed)
        messages.success(request, _("The member list is saved."))
        return redirect("backoffice:fee_members", edition.number)
    if action == "add" and member_form.is_valid():
        added = fees.add_members(edition, [(member_form.cleaned_data["name"],
                                            member_form.cleaned_data["identifier"])])  # fmt: skip
        audit.log(request, edition, "member_added", added=added)
        if added:
            messages.success(request, _("The organisation is on the member list."))
        else:
            messages.info(request, _("This organisation was on the member list already."))
        return redirect("backoffice:fee_members", edition.number)
    if action == "import" and import_form.is_valid():
        try:
            header, rows = imports.read_table(import_form.cleaned_data["file"])
        except imports.ImportFileError as error:
            import_form.add_error("file", str(error))
        else:
            entries, problems = member_rows(header, rows, imports.simplified)
            if problems:
                import_form.add_error(
                    "file",
                    _("Nothing was imported: correct the rows listed below in your file and "
                      "upload it again."),
                )  # fmt: skip
            else:
                added = fees.add_members(edition, entries)
                audit.log(request, edition, "members_imported", added=added, rows=len(rows))
                messages.success(request, ngettext(
                    "%(count)s organisation added to the member list (%(known)s already on it).",
                    "%(count)s organisations added to the member list (%(known)s already on it).",
                    added,
                ) % {"count": added, "known": len(entries) - added})  # fmt: skip
                return redirect("backoffice:fee_members", edition.number)
    if action == "remove":
        entry_pk = as_id(request.POST.get("entry"))
        entry = MemberOrganisation.objects.filter(edition=edition, pk=entry_pk).first()
        if entry is not None:
            audit.log(request, edition, "member_removed", entry=entry.pk)
            fees.remove_member(entry)
            messages.success(request, _("The organisation has left the member list."))
        return redirect("backoffice:fee_members", edition.number)
    member_list = MemberList.of(edition)
    for organisation in organisations:
        organisation.is_member = member_list.includes(organisation=organisation)
    return render(request, "backoffice/fee_members.html", {
        "edition": edition,
        "organisations": organisations,
        "entries": MemberOrganisation.objects.filter(edition=edition).select_related(
            "organisation"),
        "member_form": member_form,
        "import_form": import_form,
        "problems": problems,
        "error_forms": with_errors(member_form, import_form),
    })  # fmt: skip


# A registration's exemptions and discounts -------------------------------------------------


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to grant"), choices=Adjustment.Kind.choices, widget=forms.RadioSelect,
        initial=Adjustment.Kind.EXEMPTION,
    )  # fmt: skip
    amount = MoneyField(label=_("Discount"), required=False,
                        help_text=_("For a discount: the amount taken off the registration "
                                    "fee (never below zero)."))  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             help_text=_("For example: speaker, partner, member of the "
                                         "organising association."))  # fmt: skip
    nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["nonce"] = new_page_nonce("adjustment")

    def clean_reason(self):
        return single_line(self.cleaned_data["reason"])

    def clean_nonce(self):
        return page_nonce(self.cleaned_data["nonce"], "adjustment")

    def clean(self):
        data = super().clean()
        discount = data.get("kind") == Adjustment.Kind.DISCOUNT
        if discount and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount of the discount."))
        return data


def quote_context(person):
    """What the person owes, for the team's pages: the quote as shown, and its adjustments."""
    grid = pricing.Grid.of(person.edition)
    return {
        "charges": grid.charges,
        "owed": pricing.shown(pricing.quote(person)) if grid.charges else None,
        "adjustments": [
            {"adjustment": adjustment,
             "amount": format_money(adjustment.amount_cents, grid.currency)}
            for adjustment in person.fee_adjustments.select_related("granted_by", "withdrawn_by")
        ],
    }  # fmt: skip


@edition_page(FEES)
def registration_fees(request, edition, pk):
    """Grant an exemption or a discount to one registration, with its reason, or withdraw
    one: in its history and in the audit log."""
    person = get_object_or_404(
        Registration.objects.select_related("organisation", "category"), edition=edition, pk=pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    form = AdjustmentForm(request.POST if action == "grant" else None)
    if action == "withdraw":
        adjustment = person.fee_adjustments.filter(pk=as_id(request.POST.get("adjustment"))).first()
        if adjustment is None:
            raise Http404
        if fees.withdraw_adjustment(adjustment, request.user):
            audit.log(request, edition, "fee_adjustment_withdrawn", registration=person.pk,
                      adjustment=adjustment.pk)  # fmt: skip
        messages.success(request, _("It no longer applies."))
        return redirect("backoffice:registration", edition.number, person.pk)
    if action == "grant" and form.is_valid():
        data = form.cleaned_data
        adjustment, granted = fees.grant_adjustment(
            person, data["kind"], data["reason"], request.user,
            amount_cents=data["amount"] or 0, nonce=data["nonce"],
        )  # fmt: skip
        if granted:
            audit.log(request, edition, "fee_adjustment_granted", registration=person.pk,
                      adjustment=adjustment.pk, kind=adjustment.kind,
                      amount_cents=adjustment.amount_cents)  # fmt: skip
        messages.success(
            request,
            _("The exemption is granted.") if adjustment.kind == Adjustment.Kind.EXEMPTION
            else _("The discount is granted."),
        )  # fmt: skip
        return redirect("backoffice:registration", edition.number, person.pk)
    return render(request, "backoffice/registration_fees.html", {
        "edition": edition, "person": person, "form": form, "error_forms": with_errors(form),
        **quote_context(person),
    })  # fmt: skip
