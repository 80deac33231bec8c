"""Who pays, as a person tells it (at registration, on their private page, or the team for
them), and the lines and credit notes organisers type: every field checked, each message next
to its field. French organisations give their SIRET (checked with python-stdnum), public
bodies their service code and, when their service needs one, their commitment number;
organisations abroad their VAT number if they have one. Then what organisers record of
payments: a payment received, a bank statement to import, the reminders' schedule."""

from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.countries import CountryChoiceField
from rencontres.forms import MoneyField, SafeModelMultipleChoiceField, single_line
from rencontres.registration.models import Category, Organisation

from .identifiers import compact, siret_problem, vat_problem
from .lines import BASIS_POINTS, MAX_QUANTITY, MAX_UNIT_CENTS, LineItem
from .models import Payer, Payment

PUBLIC_KINDS = {*Organisation.FRENCH_AUTHORITIES, Organisation.Kind.STATE_SERVICE}


class PayerForm(forms.ModelForm):
    """Who pays. `organisation` (name, kind, country) is the person's own, which "my
    organisation" means; `person` (full name, e-mail) who fills the form in. Left empty, the
    name, country and e-mail come from them."""

    country = CountryChoiceField(label=_("Country"), required=False)

    class Meta:
        model = Payer
        fields = [
            "kind", "name", "address", "postcode", "city", "country", "email", "public_body",
            "siret", "service_code", "commitment_required", "commitment_number", "vat_number",
            "covers_delegation", "language",
        ]  # fmt: skip
        widgets = {"kind": forms.RadioSelect, "language": forms.RadioSelect}
        labels = {"name": _("Name on the invoice")}
        help_texts = {
            "name": _("Leave empty to use your organisation's name (or yours)."),
            "email": _("Where we send the invoice; empty: your own address."),
            "siret": _("French organisations: 14 digits, on the organisation's official "
                       "records (or ask its finance department)."),
            "service_code": _("French public bodies that have one (Chorus Pro)."),
            "commitment_number": _("The commitment (engagement) number of the order, if your "
                                   "finance department gave you one."),
            "vat_number": _("Organisations outside France, if they have one."),
        }  # fmt: skip

    def __init__(self, *args, organisation=None, person=None, delegation=False,
                 ask_language=True, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.person = person
        self.fields["kind"].choices = Payer.Kind.choices
        for name in ("name", "address", "city"):
            self.fields[name].required = False
        if not delegation:
            del self.fields["covers_delegation"]
        if not ask_language:
            del self.fields["language"]
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        # As printed ("216 901 231 00011"): spaces and dots are taken out when it is checked,
        # so the field takes more than the 14 digits it keeps.
        for name, typed in (("siret", 24), ("vat_number", 30)):
            field = self.fields[name]
            field.max_length, field.validators = typed, []
            field.widget.attrs["maxlength"] = str(typed)
        self.fields["siret"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["vat_number"].widget.attrs.update(autocapitalize="characters")

    def context(self):
        """The person's organisation as typed (it may not exist yet)."""
        return self.organisation or SimpleNamespace(name="", kind="", country="")

    def clean_name(self):
        return single_line(self.cleaned_data["name"])

    def clean_address(self):
        return single_line(self.cleaned_data["address"])

    def clean_city(self):
        return single_line(self.cleaned_data["city"])

    def clean_postcode(self):
        return single_line(self.cleaned_data["postcode"]).upper()

    def clean_service_code(self):
        return single_line(self.cleaned_data["service_code"])

    def clean_commitment_number(self):
        return single_line(self.cleaned_data["commitment_number"])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        own = self.context()
        if kind == Payer.Kind.OWN_ORGANISATION:
            data["name"] = data.get("name") or own.name
            data["country"] = data.get("country") or own.country
            data["public_body"] = own.kind in PUBLIC_KINDS
        elif kind == Payer.Kind.PERSON:
            data["name"] = data.get("name") or (self.person.full_name if self.person else "")
            data["public_body"] = False
        if not data.get("email") and self.person is not None:
            data["email"] = self.person.email
        required = {"name": _("Enter the name to put on the invoice."),
                    "address": _("Enter the street address."), "city": _("Enter the city."),
                    "country": _("Choose the country.")}  # fmt: skip
        for field, message in required.items():
            if kind and not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        country = str(data.get("country") or "")
        organisation = kind in (Payer.Kind.OWN_ORGANISATION, Payer.Kind.OTHER_ORGANISATION)
        if data.get("public_body") and country and country != "FR":
            self.add_error("public_body", _("A French public body is in France."))
        if organisation and country == "FR":
            problem = siret_problem(data.get("siret"))
            if problem and "siret" not in self.errors:
                self.add_error("siret", problem)
        data["siret"] = compact(data.get("siret")) if organisation and country == "FR" else ""
        if data.get("commitment_required") and not data.get("commitment_number"):
            self.add_error(
                "commitment_number",
                _("Your service requires a commitment number: enter it (or untick the box)."),
            )
        vat = data.get("vat_number")
        problem = vat_problem(vat, country) if organisation and vat else None
        if problem:
            self.add_error("vat_number", problem)
        data["vat_number"] = compact(vat) if organisation and vat else ""
        return data

    def payer_data(self):
        """What services.save_payer takes."""
        return {field: self.cleaned_data[field] for field in self._meta.fields
                if field in self.cleaned_data}  # fmt: skip


class PayerPart:
    """The "who pays" fieldset of the registration form (registration.forms reads it through
    settings.REGISTRATION_FORM_PARTS: the registration app does not import this one). It is
    shown when one of the edition's categories is invoiced, hidden by a script for the other
    categories, and checked only when the chosen category is invoiced."""

    template_name = "invoicing/_payer_fieldset.html"
    prefix = "payer"

    def __init__(self, data, *, edition, form, delegation=False, invitation=None):
        self.main = form
        self.edition = edition
        self.invoiced = set(
            Category.objects.filter(edition=edition, invoiced=True).values_list("pk", flat=True)
        )
        raw = form.data if form.is_bound else {}
        organisation = SimpleNamespace(
            name=single_line(str(raw.get("organisation_name", ""))),
            kind=str(raw.get("organisation_kind", "")),
            country=str(raw.get("organisation_country", "")),
        )
        person = SimpleNamespace(
            full_name=single_line(f"{raw.get('first_name', '')} {raw.get('last_name', '')}"),
            email=str(raw.get("email", "")).strip().lower(),
        )
        self.form = PayerForm(
            data, prefix=self.prefix, organisation=organisation, person=person,
            delegation=delegation, ask_language=False,
            initial={"kind": Payer.Kind.OWN_ORGANISATION, "covers_delegation": True},
        )  # fmt: skip

    @property
    def shown(self):
        return bool(self.invoiced)

    @property
    def categories(self):
        """The invoiced categories' ids, for the script that shows the fieldset."""
        return " ".join(str(pk) for pk in sorted(self.invoiced))

    def applies(self):
        category = (
            self.main.cleaned_data.get("category") if hasattr(self.main, "cleaned_data") else None
        )
        return category is not None and category.pk in self.invoiced

    def is_valid(self):
        if not self.applies():
            return True
        return self.form.is_valid()

    @property
    def forms(self):
        return [self.form] if self.applies() else []

    def clear_errors(self):
        self.form.errors.clear()

    def save(self, registration):
        """Called in the transaction that records the registration."""
        from .services import save_payer

        if self.applies():
            data = self.form.payer_data()
            data.setdefault("language", registration.language)
            save_payer(registration, data)


class LineForm(forms.Form):
    """One line an organiser bills: a code, its label in both languages, a quantity, a unit
    price in euros and cents, and a VAT rate in percent."""

    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    label_fr = forms.CharField(label=_("Label (French)"), max_length=300)
    label_en = forms.CharField(label=_("Label (English)"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    unit_price = forms.DecimalField(
        label=_("Unit price excl. VAT (€)"), max_digits=9, decimal_places=2,
        min_value=-MAX_UNIT_CENTS / 100, max_value=MAX_UNIT_CENTS / 100,
        help_text=_("Negative for a discount."),
    )  # fmt: skip
    vat_rate = forms.DecimalField(
        label=_("VAT rate (%)"), max_digits=5, decimal_places=2, min_value=0,
        max_value=BASIS_POINTS / 100, initial=0,
    )  # fmt: skip

    def clean_label_fr(self):
        return single_line(self.cleaned_data["label_fr"])

    def clean_label_en(self):
        return single_line(self.cleaned_data["label_en"])

    def clean_code(self):
        return single_line(self.cleaned_data["code"])

    def item(self):
        data = self.cleaned_data
        return LineItem(
            data["code"], data["label_fr"], data["label_en"], data["quantity"],
            int(data["unit_price"] * 100), int(data["vat_rate"] * 100),
        )  # fmt: skip


class BaseLineFormSet(forms.BaseFormSet):
    """Lines typed by an organiser; `required` (the default) asks for one at least. Lines
    filled in beforehand (`initial`: the fee grid's) count as typed unless ticked to delete."""

    required = True

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Leave this line out")

    def items(self):
        return [
            form.item()
            for form in self.forms
            if (form.has_changed() or form.initial)
            and form.cleaned_data
            and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        if self.required and not self.items():
            raise forms.ValidationError(_("Add at least one line."))


def line_formset(extra=3, required=True):
    return forms.formset_factory(
        LineForm, formset=type("LineFormSet", (BaseLineFormSet,), {"required": required}),
        extra=extra, max_num=20, absolute_max=20, validate_max=True, can_delete=True,
        can_delete_extra=False,
    )  # fmt: skip


def initial_lines(items):
    """LineItems as the line forms' initial values (euros and percent, as typed)."""
    return [
        {"code": item.code, "label_fr": item.label_fr, "label_en": item.label_en,
         "quantity": item.quantity, "unit_price": Decimal(item.unit_cents).scaleb(-2),
         "vat_rate": Decimal(item.vat_rate_bp).scaleb(-2)}
        for item in items
    ]  # fmt: skip


class CreditNoteForm(forms.Form):
    """What a credit note takes back: all of the invoice, or some of its lines; and why."""

    WHOLE, LINES, REPLACE = "whole", "lines", "replace"

    what = forms.ChoiceField(
        label=_("What to take back"),
        choices=[
            (WHOLE, _("The whole invoice (cancelled)")),
            (LINES, _("Some of its lines (the quantities below)")),
            (
                REPLACE,
                _(
                    "The whole invoice, and issue a new one to the payer's current "
                    "details (a corrected SIRET, service code or commitment number)"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        initial=WHOLE,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        self.lines = list(invoice.lines.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.label_fr, min_value=0, max_value=abs(line.quantity), required=False,
                initial=0,
            )  # fmt: skip

    def line_fields(self):
        return [self[f"line_{line.pk}"] for line in self.lines]

    def clean_reason(self):
        return single_line(self.cleaned_data["reason"])

    def clean(self):
        data = super().clean()
        if data.get("what") == self.LINES and not self.items():
            self.add_error(self.line_fields()[0].name if self.lines else None,
                           _("Give the quantity to take back on at least one line."))  # fmt: skip
        return data

    def items(self):
        found = []
        for line in self.lines:
            quantity = self.cleaned_data.get(f"line_{line.pk}") or 0
            if quantity:
                found.append(LineItem(line.code, line.label_fr, line.label_en, quantity,
                                      line.unit_cents, line.vat_rate_bp))  # fmt: skip
        return found


class RunForm(forms.Form):
    """A background run: the invoiced categories to invoice (all of them when none ticked)."""

    categories = SafeModelMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every invoiced category."),
    )  # fmt: skip

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.filter(edition=edition, invoiced=True)


# Payments --------------------------------------------------------------------------------


class PaymentForm(forms.Form):
    """A payment received on an invoice: never more than what remains due unless the
    organiser ticks that the payer paid more (the box shows once the amount is above it)."""

    amount = MoneyField(label=_("Amount received"))
    method = forms.ChoiceField(
        label=_("How it was paid"), choices=Payment.Method.choices, widget=forms.RadioSelect,
        initial=Payment.Method.TRANSFER,
    )  # fmt: skip
    received_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the money reached the account, or the cheque or cash was "
                    "handed over."),
    )  # fmt: skip
    reference = forms.CharField(
        label=_("Reference"), max_length=200, required=False,
        help_text=_("The transfer's label, the mandate or cheque number, the receipt number…"),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    overpayment = forms.BooleanField(
        label=_("The payer paid more than is due: record the whole amount all the same"),
        required=False,
    )
    nonce = forms.CharField(widget=forms.HiddenInput, required=False)
    line = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1,
                              max_value=2**62)  # fmt: skip

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        self.fields["amount"].label = _("Amount received (%(currency)s)") % {
            "currency": invoice.currency
        }
        self.offer_overpayment = self.is_bound and bool(self.data.get("overpayment"))

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A payment cannot be received in the future."))
        if day.year < 2000:
            raise forms.ValidationError(_("Check the year of this date."))
        return day

    def clean_reference(self):
        return single_line(self.cleaned_data["reference"])

    def clean_note(self):
        return single_line(self.cleaned_data["note"])

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if amount is not None and amount <= 0:
            self.add_error("amount", _("Enter the amount received (more than zero)."))
        elif amount is not None and amount > self.invoice.due_cents:
            self.offer_overpayment = True
            if not data.get("overpayment"):
                self.add_error("amount", overpayment_message(self.invoice.due_amount))
        return data


def overpayment_message(due):
    return _(
        "This is more than the %(due)s still due on this invoice. If the payer did pay more, "
        "tick the box below to record it all the same."
    ) % {"due": due}


class CancelPaymentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why cancel this payment"), max_length=300,
        help_text=_("For instance: recorded on the wrong invoice, or the cheque bounced."),
    )  # fmt: skip

    def clean_reason(self):
        return single_line(self.cleaned_data["reason"])


class StatementForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (CSV or camt.053 XML)"),
        help_text=_(
            "The CSV file your bank exports (columns such as Date, Libellé, Débit, Crédit or "
            "Montant), or the ISO 20022 camt.053 file. At most 5 MB."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.xml,text/csv,application/xml"


class ReminderScheduleForm(forms.Form):
    days = forms.CharField(
        label=_("Send a reminder this many days after the due date"),
        required=False, max_length=100,
        help_text=_("Numbers separated by commas, such as 7, 30. Empty: no reminder."),
    )  # fmt: skip

    def clean_days(self):
        from .reminders import MAX_DAYS, MAX_STEPS

        text = self.cleaned_data["days"].replace(";", ",")
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if not all(part.isdigit() and part.isascii() for part in parts):
            raise forms.ValidationError(
                _("Give whole numbers of days separated by commas, such as 7, 30.")
            )
        days = sorted({int(part) for part in parts})
        if any(day < 1 or day > MAX_DAYS for day in days):
            raise forms.ValidationError(
                _("Each number of days is between 1 and %(max)s.") % {"max": MAX_DAYS}
            )
        if len(days) > MAX_STEPS:
            raise forms.ValidationError(
                _("At most %(max)s reminders per invoice.") % {"max": MAX_STEPS}
            )
        return days
