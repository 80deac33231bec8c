"""What the API returns: the programme in the active language (?lang= or Accept-Language),
and for tokens the registrations (sensitive fields only for the roles that see them on the
pages), organisations, check-ins, meetings, invoices and payments."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from rencontres.editions.models import Edition, Room, Session, Speaker
from rencontres.invoicing.models import Invoice, Payment
from rencontres.networking.models import Meeting
from rencontres.onsite.models import CheckIn
from rencontres.registration.models import Organisation, Registration


class EditionSerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    theme = serializers.CharField()
    registration = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = ["number", "title", "theme", "starts_on", "ends_on", "registration_opens_at",
                  "registration_closes_at", "registration"]  # fmt: skip

    def get_registration(self, edition) -> str:
        """open, not_yet_open or closed."""
        return edition.registration_status().state


class RoomSerializer(serializers.ModelSerializer):
    location = serializers.CharField()

    class Meta:
        model = Room
        fields = ["id", "name", "location", "seats", "step_free"]


class SpeakerSerializer(serializers.ModelSerializer):
    job_title = serializers.CharField()
    biography = serializers.CharField()

    class Meta:
        model = Speaker
        fields = ["id", "first_name", "last_name", "job_title", "organisation", "biography"]


class AppearanceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="speaker.id")
    first_name = serializers.CharField(source="speaker.first_name")
    last_name = serializers.CharField(source="speaker.last_name")
    role = serializers.CharField()


class SessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField()
    description = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    room = RoomSerializer(allow_null=True)
    speakers = AppearanceSerializer(source="appearances", many=True)

    class Meta:
        model = Session
        fields = ["id", "kind", "kind_label", "title", "description", "starts_at", "ends_at",
                  "room", "speakers", "capacity", "registration_required",
                  "interpretation_languages"]  # fmt: skip


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "country", "identifier", "website", "created_at"]


SENSITIVE = ["access_needs", "diet", "diet_details", "passport_name"]


class RegistrationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    category = serializers.CharField(source="category.code")
    organisation = OrganisationSerializer()
    sessions = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "first_name", "last_name", "email", "phone", "job_title", "language",
                  "status", "category", "organisation", "days", "sessions", "delegation",
                  "is_delegation_head", "email_confirmed_at", "directory_opt_in",
                  "photo_opt_in", "created_at", "updated_at", *SENSITIVE]  # fmt: skip

    def __init__(self, *args, hidden=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in hidden:
            self.fields.pop(name, None)

    def get_sessions(self, registration) -> list[int]:
        """The sessions holding a place for the person (not those they wait for)."""
        return sorted(
            choice.session_id for choice in registration.choices.all()
            if choice.status == "confirmed"
        )  # fmt: skip


class CheckInSerializer(serializers.ModelSerializer):
    registration = serializers.UUIDField(source="registration.public_id")

    class Meta:
        model = CheckIn
        fields = ["id", "registration", "day", "at", "session", "door", "device", "offline",
                  "received_at"]  # fmt: skip


class CheckInRequest(serializers.Serializer):
    """A badge scanned by a partner's scanner: the badge's code (its QR) or the registration's
    id, and the session whose door it is (none: the venue's)."""

    badge = serializers.CharField(required=False, max_length=500)
    registration = serializers.UUIDField(required=False)
    session = serializers.IntegerField(required=False, allow_null=True)
    door = serializers.CharField(required=False, max_length=60, allow_blank=True)
    device = serializers.CharField(required=False, max_length=60, allow_blank=True)

    def validate(self, data):
        if not data.get("badge") and not data.get("registration"):
            raise serializers.ValidationError(_("Give the badge's code or the registration's id."))
        return data


class CheckInResult(serializers.Serializer):
    status = serializers.CharField()
    reason = serializers.CharField(required=False)
    name = serializers.CharField(required=False)


class MeetingSerializer(serializers.ModelSerializer):
    participants = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField(source="slot.starts_at", allow_null=True)
    ends_at = serializers.DateTimeField(source="slot.ends_at", allow_null=True)
    table = serializers.IntegerField(source="table.number", allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "participants", "starts_at", "ends_at", "table", "cancelled_at",
                  "created_at"]  # fmt: skip

    def get_participants(self, meeting) -> list[str]:
        return [str(person.public_id) for person in meeting.participants.all()]


class RegistrationCreate(serializers.Serializer):
    """A registration the team adds (the back-office's form, field for field)."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    phone = serializers.CharField(required=False, max_length=20)
    job_title = serializers.CharField(max_length=200)
    category = serializers.CharField(help_text="A category's code (or id).")
    language = serializers.ChoiceField(choices=["fr", "en"])
    organisation_name = serializers.CharField(max_length=200)
    organisation_kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    organisation_country = serializers.CharField(max_length=2)
    organisation_identifier = serializers.CharField(required=False, help_text="SIREN or SIRET.")
    days = serializers.ListField(child=serializers.DateField())
    sessions = serializers.ListField(child=serializers.IntegerField(), required=False)
    send_email = serializers.BooleanField(
        required=False, help_text="E-mail the person their confirmation and private link."
    )


class PaymentSerializer(serializers.ModelSerializer):
    invoice = serializers.CharField(source="invoice.number")
    cancelled = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "invoice", "amount_cents", "currency", "method", "received_on",
                  "reference", "recorded_at", "cancelled", "cancelled_at"]  # fmt: skip

    def get_cancelled(self, payment) -> bool:
        return payment.cancelled_at is not None


class InvoiceSerializer(serializers.ModelSerializer):
    """An invoice as issued (it never changes), with what was credited and paid since."""

    registrations = serializers.SerializerMethodField()
    credited_cents = serializers.IntegerField(read_only=True)
    paid_cents = serializers.IntegerField(read_only=True)
    due_cents = serializers.IntegerField(read_only=True)
    state = serializers.SerializerMethodField()
    credit_notes = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["number", "issued_on", "issued_at", "due_on", "currency", "net_cents",
                  "vat_cents", "gross_cents", "credited_cents", "paid_cents", "due_cents",
                  "state", "buyer_kind", "buyer_name", "buyer_country", "buyer_public_body",
                  "buyer_siret", "service_code", "commitment_number", "registrations",
                  "credit_notes"]  # fmt: skip

    def get_registrations(self, invoice) -> list[str]:
        return [str(person.public_id) for person in invoice.registrations.all()]

    def get_state(self, invoice) -> str:
        return invoice.state()

    def get_credit_notes(self, invoice) -> list[str]:
        return [note.number for note in invoice.credit_notes.all()]


class ErasedSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    erased_at = serializers.DateTimeField()
