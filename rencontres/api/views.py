"""The API, version 1: the public programme (no token) and, with a token, the registrations,
organisations, check-ins and meetings of an edition. Every write goes through the service the
pages use, is audited, and may carry an `Idempotency-Key` (a retry creates nothing twice)."""

import hashlib
import json
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from rencontres import audit
from rencontres.backoffice import selectors as backoffice_selectors
from rencontres.backoffice.forms import TeamRegistrationForm
from rencontres.editions.models import Edition, Room, Session, Speaker
from rencontres.invoicing.models import Invoice, Payment
from rencontres.networking.models import Meeting
from rencontres.onsite import services as onsite
from rencontres.onsite.models import CheckIn
from rencontres.onsite.tokens import badge_token
from rencontres.privacy.models import ErasedId
from rencontres.privacy.visibility import hidden_fields
from rencontres.registration import selectors as registration_selectors
from rencontres.registration import services
from rencontres.registration.models import Category, Organisation, Registration

from . import serializers
from .models import IdempotentRequest
from .permissions import TokenScope

LANG = OpenApiParameter("lang", str, enum=["fr", "en"], description="Language of the texts.")
MODIFIED_SINCE = OpenApiParameter(
    "modified_since", OpenApiTypes.DATETIME,
    description="Only what changed at or after this moment (ISO 8601), for incremental sync.",
)  # fmt: skip
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER,
    description="Any unique string: the same key sent again returns the first answer.",
)  # fmt: skip


class Page(CursorPagination):
    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("pk",)


class SyncPage(Page):
    """Oldest change first: a client that keeps the last `updated_at` it saw asks again with
    `modified_since` and misses nothing."""

    ordering = ("updated_at", "pk")


class Languages:
    """`?lang=fr|en` first, then Accept-Language (LocaleMiddleware), for the texts."""

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)


# The public programme ---------------------------------------------------------------------


class Public(Languages):
    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = Page

    @property
    def edition(self):
        return get_object_or_404(Edition.objects.published(), number=self.kwargs["number"])


@extend_schema(parameters=[LANG], tags=["programme"])
class EditionList(Public, generics.ListAPIView):
    """The published editions."""

    serializer_class = serializers.EditionSerializer
    pagination_class = type("EditionPage", (Page,), {"ordering": ("-number",)})

    def get_queryset(self):
        return Edition.objects.published()


@extend_schema(parameters=[LANG], tags=["programme"])
class EditionDetail(Public, generics.RetrieveAPIView):
    """One published edition."""

    serializer_class = serializers.EditionSerializer

    def get_object(self):
        return self.edition


@extend_schema(parameters=[LANG], tags=["programme"])
class SessionList(Public, generics.ListAPIView):
    """The edition's programme: its sessions in order, with their room and speakers."""

    serializer_class = serializers.SessionSerializer
    pagination_class = type("SessionPage", (Page,), {"ordering": ("starts_at", "pk")})

    def get_queryset(self):
        return Session.objects.filter(edition=self.edition).for_programme()


@extend_schema(parameters=[LANG], tags=["programme"])
class RoomList(Public, generics.ListAPIView):
    """The rooms the edition's sessions are held in."""

    serializer_class = serializers.RoomSerializer

    def get_queryset(self):
        return Room.objects.filter(sessions__edition=self.edition).distinct()


@extend_schema(parameters=[LANG], tags=["programme"])
class SpeakerList(Public, generics.ListAPIView):
    """The edition's speakers."""

    serializer_class = serializers.SpeakerSerializer

    def get_queryset(self):
        return Speaker.objects.filter(sessions__edition=self.edition).distinct()


# With a token ------------------------------------------------------------------------------


class WithToken(Languages):
    permission_classes = [TokenScope]
    resource = ""

    @property
    def edition(self):
        if not hasattr(self, "_edition"):
            self._edition = get_object_or_404(Edition, number=self.kwargs["number"])
        return self._edition

    def modified_since(self, rows, field="updated_at"):
        value = self.request.query_params.get("modified_since")
        if not value:
            return rows
        try:
            moment = parse_datetime(value.replace(" ", "+"))
        except ValueError:  # well formed, and impossible: 30 February, 25 o'clock
            moment = None
        if moment is None:
            raise exceptions.ValidationError(
                {"modified_since": [_("A date and time in ISO 8601 is expected.")]}
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return rows.filter(**{f"{field}__gte": moment})

    def hidden(self):
        """The sensitive fields the token's owner may not see (the schema shows them all)."""
        if getattr(self, "swagger_fake_view", False):
            return ()
        return hidden_fields(self.request.user, self.edition)

    def by_token(self):
        """What the audit log says of the token that did it."""
        return {"token": self.request.auth.prefix}


class Idempotent:
    """A POST with an `Idempotency-Key` header is answered once: its answer is kept with the
    key, in the transaction of its write; the same key again gets the same answer (and
    `Idempotent-Replayed: true`), the same key with another body a 422."""

    def post(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return self.create_once(request, *args, **kwargs)
        if len(key) > 100:
            raise exceptions.ValidationError({"Idempotency-Key": [_("At most 100 characters.")]})
        body = json.dumps(request.data, sort_keys=True, default=str)
        fingerprint = hashlib.sha256(f"{request.path}\n{body}".encode()).hexdigest()
        token = request.auth
        done = IdempotentRequest.objects.filter(token=token, key=key).first()
        if done is None:
            try:
                with transaction.atomic():
                    done = IdempotentRequest.objects.create(
                        token=token, key=key, fingerprint=fingerprint
                    )
                    response = self.create_once(request, *args, **kwargs)
                    if response.status_code >= 400:  # nothing written: a retry may succeed
                        transaction.set_rollback(True)
                        return response
                    done.status_code, done.body = response.status_code, response.data
                    done.save(update_fields=["status_code", "body"])
                    return response
            except IntegrityError:  # the same key at the same moment: the other one wins
                done = IdempotentRequest.objects.filter(token=token, key=key).first()
                if done is None or not done.status_code:
                    raise exceptions.APIException(_("Try again in a moment.")) from None
        if done.fingerprint != fingerprint:
            return Response(
                {"error": "idempotency_key_reused",
                 "detail": _("This key was used for another request.")},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )  # fmt: skip
        response = Response(done.body, status=done.status_code)
        response["Idempotent-Replayed"] = "true"
        return response


def form_data(data):
    """JSON as the back-office's form reads it: lists as repeated values, booleans ticked."""
    values = QueryDict(mutable=True)
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"__all__": [_("A JSON object is expected.")]})
    for name, value in data.items():
        if isinstance(value, list):
            values.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            if value:
                values[name] = "on"
        elif value is not None:
            values[name] = str(value)
    return values


@extend_schema(tags=["registrations"])
class RegistrationList(Idempotent, WithToken, generics.ListAPIView):
    """The edition's registrations, with the back-office's filters; POST adds one as the
    back-office's form does (the same checks, the same messages)."""

    resource = "registrations"
    serializer_class = serializers.RegistrationSerializer
    pagination_class = SyncPage

    def get_serializer(self, *args, **kwargs):
        return super().get_serializer(*args, hidden=self.hidden(), **kwargs)

    @extend_schema(operation_id="registrations_list", parameters=[
        MODIFIED_SINCE,
        OpenApiParameter("status", str, description="A status, or 'all' (default: people "
                         "holding or awaiting a place)."),
        OpenApiParameter("category", str, description="A category's code."),
        OpenApiParameter("country", str, description="The organisation's country (ISO code)."),
        OpenApiParameter("kind", str, description="The organisation's kind."),
        OpenApiParameter("q", str, description="Words found in the name, e-mail or organisation."),
    ])  # fmt: skip
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        category = None
        if params.get("category"):
            category = Category.objects.filter(edition=self.edition,
                                               code=params["category"]).first()  # fmt: skip
            if category is None:
                raise exceptions.ValidationError({"category": [_("No such category.")]})
        status_filter = params.get("status", "")
        if status_filter and status_filter not in (
            backoffice_selectors.ALL_STATUSES,
            *Registration.Status.values,
        ):
            raise exceptions.ValidationError({"status": [_("No such status.")]})
        people = backoffice_selectors.registrations(
            self.edition, status=status_filter, category=category,
            country=params.get("country", "")[:2].upper(), kind=params.get("kind", "")[:30],
            query=params.get("q", "")[:200],
        ).prefetch_related("choices")  # fmt: skip
        # An erased person is no one's data any more: the erasures' list gives their old id.
        return self.modified_since(backoffice_selectors.without_erased(people))

    @extend_schema(operation_id="registrations_create", request=serializers.RegistrationCreate,
                   parameters=[IDEMPOTENCY_KEY],
                   responses={201: serializers.RegistrationSerializer})  # fmt: skip
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def create_once(self, request, *args, **kwargs):
        data = form_data(request.data)
        category = data.get("category")
        if category and not category.isdigit():  # a code, as the list gives it
            found = Category.objects.filter(edition=self.edition, code=category).first()
            data["category"] = str(found.pk) if found else "0"
        form = TeamRegistrationForm(
            data, edition=self.edition,
            places_left=registration_selectors.places_left(self.edition),
            hidden=hidden_fields(request.user, self.edition),
        )  # fmt: skip
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(message) for message in messages]
                 for name, messages in form.errors.items()}
            )  # fmt: skip
        cleaned = form.cleaned_data
        organisation = services.find_or_create_organisation(
            cleaned["organisation_name"], cleaned["organisation_kind"],
            cleaned["organisation_country"], cleaned["organisation_identifier"],
        )  # fmt: skip
        try:
            person = services.add_by_hand(
                self.edition, {**form.registration_details(), "organisation": organisation},
                actor=request.user, sessions=list(cleaned["sessions"]),
                nonce=cleaned.get("form_nonce") or None, notify=cleaned["send_email"],
                extras=list(cleaned.get("extras") or []),
            )  # fmt: skip
        except services.ExtraFull as full:
            raise exceptions.ValidationError({"extras": [str(full.message)]}) from None
        except services.AlreadyRegistered:
            raise exceptions.ValidationError(
                {"email": [_("This address is already registered for this edition.")]}
            ) from None
        audit.log(request, self.edition, "api_registration_added", registration=person.pk,
                  **self.by_token())  # fmt: skip
        person = self.get_queryset().model.objects.prefetch_related("choices").select_related(
            "organisation", "category").get(pk=person.pk)  # fmt: skip
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["registrations"])
class RegistrationDetail(WithToken, generics.RetrieveAPIView):
    """One registration, by its id."""

    resource = "registrations"
    serializer_class = serializers.RegistrationSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_serializer(self, *args, **kwargs):
        return super().get_serializer(*args, hidden=self.hidden(), **kwargs)

    def get_queryset(self):
        return (
            backoffice_selectors.without_erased(Registration.objects.filter(edition=self.edition))
            .select_related("organisation", "category")
            .prefetch_related("choices")
        )


# What a status may become through the API: the back-office's actions of the same names.
STATUS_ACTIONS = ("approve", "confirm", "reject", "cancel")


@extend_schema(tags=["registrations"])
class RegistrationAction(Idempotent, WithToken, APIView):
    """Approve, give a place from the waiting list (confirm), reject or cancel: the
    back-office's actions, for the statuses they apply to (409 otherwise)."""

    resource = "registrations"

    @extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], operation_id="registration_action",
                   responses={200: serializers.RegistrationSerializer})  # fmt: skip
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def create_once(self, request, number, id, action):
        from rencontres.backoffice.person import ACTIONS, allowed_actions

        if action not in STATUS_ACTIONS:
            raise exceptions.NotFound()
        person = get_object_or_404(
            backoffice_selectors.without_erased(Registration.objects.filter(edition=self.edition)),
            public_id=id,
        )
        if action not in allowed_actions(person):
            return Response(
                {"error": "not_applicable",
                 "detail": _("This action does not apply to this registration's status."),
                 "status": person.status},
                status=status.HTTP_409_CONFLICT,
            )  # fmt: skip
        _label, do, _statuses = ACTIONS[action]
        do(person, request.user)
        audit.log(request, self.edition, f"registration_{action}", registration=person.pk,
                  **self.by_token())  # fmt: skip
        person = RegistrationDetail.get_queryset(self).get(pk=person.pk)
        return Response(serializers.RegistrationSerializer(person, hidden=self.hidden()).data)


@extend_schema(tags=["organisations"])
class OrganisationList(WithToken, generics.ListAPIView):
    """The organisations of the edition's registrations."""

    resource = "organisations"
    serializer_class = serializers.OrganisationSerializer

    def get_queryset(self):
        return Organisation.objects.filter(registrations__edition=self.edition).distinct()


@extend_schema(tags=["check-ins"])
class CheckInList(Idempotent, WithToken, generics.ListAPIView):
    """The edition's check-ins (`modified_since` on the time they were received); POST records
    one from a partner's scanner, with the desk's rules (once a day, confirmed people, the
    edition's days, the session's list)."""

    resource = "checkins"
    serializer_class = serializers.CheckInSerializer
    pagination_class = type("CheckInPage", (Page,), {"ordering": ("received_at", "pk")})

    @extend_schema(parameters=[MODIFIED_SINCE])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = CheckIn.objects.filter(registration__edition=self.edition).select_related(
            "registration")  # fmt: skip
        return self.modified_since(rows, "received_at")

    @extend_schema(request=serializers.CheckInRequest, parameters=[IDEMPOTENCY_KEY],
                   responses={201: serializers.CheckInResult, 200: serializers.CheckInResult,
                              409: serializers.CheckInResult})  # fmt: skip
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def create_once(self, request, *args, **kwargs):
        scan = serializers.CheckInRequest(data=request.data)
        scan.is_valid(raise_exception=True)
        data = scan.validated_data
        if data.get("registration"):  # the id a partner's list holds: as its badge would
            token = badge_token(SimpleNamespace(public_id=data["registration"]))
        else:
            token = data["badge"]
        result = onsite.check_in_scan(
            self.edition, token, session_key=data.get("session"), agent=request.user,
            door=data.get("door", ""), device=data.get("device") or "api",
        )  # fmt: skip
        result = {key: str(value) for key, value in result.items()
                  if key in ("status", "reason", "name", "first_at", "first_door")}  # fmt: skip
        if result["status"] == onsite.OK:
            audit.log(request, self.edition, "api_check_in", status=result["status"],
                      **self.by_token())  # fmt: skip
            return Response(result, status=status.HTTP_201_CREATED)
        if result["status"] == onsite.ALREADY:
            return Response(result)
        return Response(result, status=status.HTTP_409_CONFLICT)


@extend_schema(tags=["meetings"])
class MeetingList(WithToken, generics.ListAPIView):
    """The edition's bilateral meetings (accepted requests), with their slot and table."""

    resource = "meetings"
    serializer_class = serializers.MeetingSerializer

    def get_queryset(self):
        return Meeting.objects.filter(edition=self.edition).select_related(
            "slot", "table").prefetch_related("participants")  # fmt: skip


@extend_schema(tags=["invoices"])
class InvoiceList(WithToken, generics.ListAPIView):
    """The edition's invoices as issued, with what was credited and paid since (`state`);
    `modified_since` on the time they were issued (an invoice never changes: its payments do,
    see the payments' list)."""

    resource = "invoices"
    serializer_class = serializers.InvoiceSerializer
    pagination_class = type("InvoicePage", (Page,), {"ordering": ("issued_at", "pk")})

    @extend_schema(parameters=[MODIFIED_SINCE])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = Invoice.objects.filter(edition=self.edition).prefetch_related(
            "registrations", "payments", "credit_notes")  # fmt: skip
        return self.modified_since(rows, "issued_at")


@extend_schema(tags=["invoices"])
class PaymentList(WithToken, generics.ListAPIView):
    """The payments received for the edition's invoices (`modified_since`: recorded or
    cancelled since; a cancelled one stays, marked)."""

    resource = "invoices"
    serializer_class = serializers.PaymentSerializer
    pagination_class = type("PaymentPage", (Page,), {"ordering": ("recorded_at", "pk")})

    @extend_schema(parameters=[MODIFIED_SINCE])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = Payment.objects.filter(invoice__edition=self.edition).select_related("invoice")
        # Recorded, or cancelled, since: a cancellation reaches an incremental sync too.
        return self.modified_since(rows, "recorded_at") | self.modified_since(rows, "cancelled_at")


@extend_schema(tags=["registrations"])
class ErasureList(WithToken, generics.ListAPIView):
    """The ids of the edition's registrations erased at the person's request or at the end of
    their retention (`modified_since` on the time of the erasure): an erased registration
    gets a new id, so a system that synchronised it erases its copy of this one."""

    resource = "registrations"
    serializer_class = serializers.ErasedSerializer
    pagination_class = type("ErasurePage", (Page,), {"ordering": ("erased_at", "pk")})

    @extend_schema(parameters=[MODIFIED_SINCE])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.modified_since(ErasedId.objects.filter(edition=self.edition), "erased_at")
