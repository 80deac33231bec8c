"""Which data are personal: every model that points at a registration, each of its fields
classified (kept, erased, or sensitive and erased first), and the walk of the model graph
that finds those models.

The export and the erasure are driven by this page, and a test fails when a model gains a
field (or a new model points at a registration) that nobody classified here: personal data
cannot slip in unnoticed."""

import uuid

from django.apps import apps

# Not personal, or kept because statistics need it once the person is anonymous (category,
# organisation, status, attendance, dates), or ids that identify nobody once the rest is gone.
KEEP = "keep"
# Erased: emptied ("" / None / False / [] / {}), unless an eraser below says otherwise.
ERASE = "erase"
# Erased by any erasure, and first of all: SENSITIVE_DATA_RETENTION_DAYS after the event.
SENSITIVE = "sensitive"
# Personal, and kept all the same: what an issued invoice or credit note says of its buyer and
# its participants, which French law makes the organisers keep (RETAINED_BY_LAW below). An
# erasure leaves it; the daily purge deletes the document once its time is over.
RETAINED = "retained"

ERASED_EMAIL_DOMAIN = "erased.invalid"


def is_erased(registration):
    return registration.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")


class InDatabase:
    """An eraser the database computes for every row in one UPDATE (a purge erases
    thousands of rows: one statement per model, not one per row)."""

    def __init__(self, expression):
        self.expression = expression


def erased_email_expression():
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    return Concat(
        Value("erased-"), Cast("pk", CharField()), Value(f"@{ERASED_EMAIL_DOMAIN}"),
        output_field=CharField(),
    )  # fmt: skip


def stop_sending_expression():
    """An e-mail not sent yet is never sent once its address is erased."""
    from django.db.models import F, Q, Value, When
    from django.db.models.expressions import Case

    return Case(When(Q(status__in=["pending", "sending"]), then=Value("failed")),
                default=F("status"))  # fmt: skip


def new_secret(row):
    # Made as a private link's secret is made: by the field's own default (the registry names
    # the apps' models by label and imports none).
    return apps.get_model("registration", "Registration")._meta.get_field("secret").default()


# Unusable (the .invalid domain never resolves) and unique per row, so the unique address
# per edition still holds.
erased_email = InDatabase(erased_email_expression)
stop_sending = InDatabase(stop_sending_expression)


# Keys of history details that hold ids and codes, never what a person typed.
SAFE_EVENT_DETAILS = (
    "sessions", "session", "previous", "status", "channel", "consent", "source", "by_head",
    "replaces", "replaced_by",
    "sessions", "session", "previous", "status", "channel", "consent", "source", "invoice",
    "credit_note",
)  # fmt: skip


def scrub_event_details(row):
    """A history line keeps what happened (ids, statuses, which fields changed), never the
    values: a change of name stores the old and new name."""
    details = row.details or {}
    kept = {key: details[key] for key in SAFE_EVENT_DETAILS if key in details}
    if "changes" in details:
        kept["fields"] = sorted(details["changes"])
    return kept


def scrub_sensitive_event_details(row):
    """The sensitive purge: only the values of sensitive fields leave the history."""
    details = dict(row.details or {})
    changes = details.get("changes")
    if isinstance(changes, dict):
        details["changes"] = {
            field: (["", ""] if field in SENSITIVE_REGISTRATION_FIELDS else values)
            for field, values in changes.items()
        }
    return details


FIELDS = {
    "registration.Registration": {
        "id": KEEP,
        "edition": KEEP,
        # A new public id and secret that nobody knows: the private link, the badge's QR code
        # and the check-in list's token stop working.
        "public_id": lambda row: uuid.uuid4(),
        "secret": new_secret,
        "first_name": ERASE,
        "last_name": ERASE,
        "email": erased_email,
        "phone": ERASE,
        "job_title": ERASE,
        "organisation": KEEP,  # an authority, not a person; statistics count by its kind
        "category": KEEP,
        "language": KEEP,
        "access_needs": SENSITIVE,
        "diet": SENSITIVE,
        "diet_details": SENSITIVE,
        "days": KEEP,
        "passport_name": SENSITIVE,
        "passport_number": SENSITIVE,
        "nationality": SENSITIVE,
        "date_of_birth": SENSITIVE,
        "delegation": KEEP,  # named after its organisation
        "is_delegation_head": KEEP,
        "replaces": KEEP,  # the member whose place this one took
        "status": KEEP,
        "waitlisted_at": KEEP,
        "place_held_until": KEEP,
        "email_confirmed_at": KEEP,
        "privacy_notice_version": KEEP,
        "privacy_accepted_at": KEEP,
        "directory_opt_in": ERASE,
        "directory_consent_at": ERASE,
        "photo_opt_in": ERASE,
        "photo_consent_at": ERASE,
        "next_editions_opt_in": ERASE,
        "next_editions_consent_at": ERASE,
        "starred_sessions": ERASE,
        "form_nonce": ERASE,
        "created_at": KEEP,  # the registration curves of the dashboard
        "updated_at": KEEP,
    },
    # What a head of delegation typed for a member whose address was registered already:
    # erased with the head; the person named goes with their own registration's erasure
    # (erasure.forget_named_members).
    "registration.NamedMember": {
        "id": KEEP, "head": KEEP, "public_id": lambda row: uuid.uuid4(), "first_name": ERASE,
        "last_name": ERASE, "email": erased_email, "category": KEEP, "link_sent_at": KEEP,
        "form_nonce": ERASE, "created_at": KEEP,
    },
    "registration.SessionChoice": {
        "id": KEEP, "registration": KEEP, "session": KEEP, "status": KEEP, "created_at": KEEP,
    },
    "registration.RegistrationEvent": {
        "id": KEEP, "registration": KEEP, "at": KEEP, "actor": KEEP, "action": KEEP,
        "details": scrub_event_details,
    },
    "networking.Profile": {
        "id": KEEP, "registration": KEEP, "about": ERASE, "languages": ERASE, "countries": ERASE,
        "regions": ERASE, "accepts_requests": ERASE, "show_job_title": KEEP,
        "show_organisation": KEEP, "show_country": KEEP, "show_languages": KEEP,
        "show_about": KEEP, "show_themes": KEEP, "show_countries": KEEP, "created_at": KEEP,
        "updated_at": KEEP, "themes": KEEP,
    },
    "networking.CooperationPost": {
        "id": KEEP, "profile": KEEP, "kind": KEEP, "title": ERASE, "text": ERASE,
        "countries": KEEP, "created_at": KEEP, "updated_at": KEEP, "themes": KEEP,
    },
    "networking.Block": {"id": KEEP, "blocker": KEEP, "blocked": KEEP, "created_at": KEEP},
    "networking.Slot": {
        "id": KEEP, "edition": KEEP, "starts_at": KEEP, "ends_at": KEEP, "unavailable": KEEP,
    },
    "networking.MeetingRequest": {
        "id": KEEP, "edition": KEEP, "sender": KEEP, "recipient": KEEP,
        # Written by one person to another, about both: erased whichever of them is erased.
        "message": ERASE,
        "with_delegation": KEEP, "status": KEEP, "created_at": KEEP, "answered_at": KEEP,
    },
    "networking.Meeting": {
        "id": KEEP, "edition": KEEP, "request": KEEP, "priority": KEEP, "slot": KEEP,
        "table": KEEP, "cancelled_at": KEEP, "created_at": KEEP, "participants": KEEP,
    },
    # How a meeting went: kept for the edition's figures, as the meeting is (the person's name is
    # gone with the erasure, the answer then belongs to nobody).
    "networking.MeetingRating": {
        "id": KEEP, "meeting": KEEP, "registration": KEEP, "outcome": KEEP, "asked_at": KEEP,
        "rated_at": KEEP,
    },
    # What came of it: the status stays in the figures; the text the person wrote, and their
    # leave to publish it, go.
    "networking.CooperationFollowUp": {
        "id": KEEP, "meeting": KEEP, "registration": KEEP, "asked_at": KEEP, "status": KEEP,
        "text": ERASE, "may_publish": ERASE, "answered_at": KEEP,
    },
    # Who was asked to answer a survey, and whether they did (never which answer is theirs
    # when it is anonymous): kept for the figures, as the check-ins.
    "followup.Participation": {
        "id": KEEP, "survey": KEEP, "registration": KEEP, "invited": KEEP, "answered": KEEP,
    },
    # A named survey's answers: the ratings and choices stay in the results (the person's name
    # is gone with the erasure), the texts they wrote go. An anonymous response points at
    # nobody and is not in this graph.
    "followup.Response": {
        "id": KEEP, "survey": KEEP, "registration": KEEP, "edit_key_hash": KEEP,
        "submitted_at": KEEP, "updated_at": KEEP,
    },
    "followup.Answer": {
        "id": KEEP, "response": KEEP, "question": KEEP, "rating": KEEP, "choices": KEEP,
        "text": ERASE,
    },
    "onsite.BadgePrinting": {"id": KEEP, "registration": KEEP, "batch": KEEP, "printed_at": KEEP},
    "onsite.CheckIn": {
        "id": KEEP, "registration": KEEP, "session": KEEP, "day": KEEP, "at": KEEP, "door": KEEP,
        "agent": KEEP, "device": KEEP, "offline": KEEP, "received_at": KEEP,
    },
    # What a certificate states is attendance (kept, as the check-ins); once the person is
    # erased its verification page says it is no longer valid.
    "onsite.Certificate": {
        "id": KEEP, "registration": KEEP, "reference": KEEP, "days": KEEP, "sessions": KEEP,
        "issued_at": KEEP, "issued_by": KEEP, "replaced_at": KEEP, "emailed_at": KEEP,
    },
    "mail.OutgoingEmail": {
        "id": KEEP, "recipient": erased_email, "language": KEEP, "template": KEEP,
        "context": ERASE, "subject": ERASE, "body_text": ERASE, "body_html": ERASE,
        "attachments": ERASE, "registration": KEEP, "status": stop_sending, "attempts": KEEP,
        "last_error": ERASE,  # an SMTP error may quote the address
        "created_at": KEEP, "next_attempt_at": KEEP, "claimed_at": KEEP, "sent_at": KEEP,
        "waits_for_server": KEEP,
    },
    "registration.Invitation": {
        "id": KEEP, "edition": KEEP,
        # The invitation's link stops working, like the private link.
        "public_id": lambda row: uuid.uuid4(), "secret": new_secret,
        "email": erased_email, "first_name": ERASE, "last_name": ERASE,
        "organisation_name": KEEP,  # an authority, as Organisation.name
        "organisation_kind": KEEP, "country": KEEP, "category": KEEP, "language": KEEP,
        "registration": KEEP, "imported_from": KEEP, "created_at": KEEP, "sent_at": KEEP,
        "declined_at": KEEP,
        # A past participant's invitation goes with either registration's erasure (its
        # paths reach both): the name it copied is the person's.
        "returning": KEEP, "previous_registration": KEEP,
    },
    # What a registration booked and the team granted: amounts and kinds are what the accounts
    # and the overview count; the reason is the team's words about the person.
    "fees.ExtraBooking": {"id": KEEP, "registration": KEEP, "extra": KEEP, "created_at": KEEP},
    "fees.Adjustment": {
        "id": KEEP, "registration": KEEP, "kind": KEEP, "amount_cents": KEEP, "reason": ERASE,
        "granted_by": KEEP, "granted_at": KEEP, "withdrawn_by": KEEP, "withdrawn_at": KEEP,
        "nonce": KEEP,
    },
    # Who pays: the payer's own record goes with the person (each invoice keeps its copy).
    "invoicing.Payer": {
        "id": KEEP, "registration": KEEP, "covers_delegation": KEEP, "kind": KEEP,
        "name": ERASE, "address": ERASE, "postcode": ERASE, "city": ERASE, "country": KEEP,
        "email": ERASE, "public_body": KEEP, "siret": ERASE, "service_code": ERASE,
        "commitment_required": KEEP, "commitment_number": ERASE, "vat_number": ERASE,
        "language": KEEP, "updated_at": KEEP,
    },
    "invoicing.Invoice": {
        "id": KEEP, "edition": KEEP, "number": KEEP, "year": KEEP, "sequence": KEEP,
        "issued_on": KEEP, "issued_at": KEEP, "issued_by": KEEP, "currency": KEEP,
        "net_cents": KEEP, "vat_cents": KEEP, "gross_cents": KEEP,
        "file": RETAINED,  # the PDF names the buyer and the participants
        "nonce": KEEP, "registrations": KEEP, "payer": KEEP, "due_on": KEEP, "language": KEEP,
        "buyer_kind": KEEP, "buyer_name": RETAINED, "buyer_address": RETAINED,
        "buyer_postcode": RETAINED, "buyer_city": RETAINED, "buyer_country": KEEP,
        "buyer_email": RETAINED, "buyer_public_body": KEEP, "buyer_siret": RETAINED,
        "buyer_vat_number": RETAINED, "service_code": RETAINED, "commitment_number": RETAINED,
        "seller": KEEP,
    },
    "invoicing.InvoicedRegistration": {"id": KEEP, "invoice": KEEP, "registration": KEEP},
    "invoicing.InvoiceLine": {
        "id": KEEP, "invoice": KEEP, "position": KEEP, "code": KEEP, "label_fr": RETAINED,
        "label_en": RETAINED, "quantity": KEEP, "unit_cents": KEEP, "vat_rate_bp": KEEP,
        "total_cents": KEEP,
    },
    "invoicing.CreditNote": {
        "id": KEEP, "edition": KEEP, "number": KEEP, "year": KEEP, "sequence": KEEP,
        "issued_on": KEEP, "issued_at": KEEP, "issued_by": KEEP, "currency": KEEP,
        "net_cents": KEEP, "vat_cents": KEEP, "gross_cents": KEEP, "file": RETAINED,
        "nonce": KEEP, "invoice": KEEP, "reason": RETAINED,
    },
    "invoicing.CreditNoteLine": {
        "id": KEEP, "credit_note": KEEP, "position": KEEP, "code": KEEP,
        "label_fr": RETAINED, "label_en": RETAINED, "quantity": KEEP, "unit_cents": KEEP,
        "vat_rate_bp": KEEP, "total_cents": KEEP,
    },
    # What was received: amounts, dates and how are the accounts'; the reference (a transfer's
    # label names the payer) is kept with the invoice; a note and a reason for cancelling are
    # the team's words about the person.
    "invoicing.Payment": {
        "id": KEEP, "invoice": KEEP, "amount_cents": KEEP, "currency": KEEP, "method": KEEP,
        "received_on": KEEP, "reference": RETAINED, "note": ERASE, "recorded_by": KEEP,
        "recorded_at": KEEP, "statement_line": KEEP, "provider": KEEP,
        "provider_reference": KEEP, "nonce": KEEP, "cancelled_at": KEEP, "cancelled_by": KEEP,
        "cancel_reason": ERASE,
    },
    "invoicing.PaymentReminder": {
        "id": KEEP, "invoice": KEEP, "step": KEEP, "sent_at": KEEP, "due_cents": KEEP,
        "email": KEEP,
    },
    "invoicing.Deposit": {
        "id": KEEP, "edition": KEEP, "connector": KEEP, "invoices": KEEP, "created_at": KEEP,
        "created_by": KEEP, "reference": KEEP,
    },
    "privacy.ConsentRecord": {
        # The proof that consents were asked lawfully: nothing in it identifies the person.
        "id": KEEP, "registration": KEEP, "consent": KEEP, "given": KEEP,
        "wording_version": KEEP, "source": KEEP, "at": KEEP,
    },
    "privacy.ErasureRequest": {
        "id": KEEP, "registration": KEEP, "channel": KEEP, "status": KEEP,
        "requested_at": KEEP, "decided_at": KEEP, "decided_by": KEEP,
    },
}  # fmt: skip

# The sensitive fields of a registration (access needs, diet, and what an invitation letter
# needs: name as in the passport, passport number, nationality, date of birth).
SENSITIVE_REGISTRATION_FIELDS = tuple(
    name for name, action in FIELDS["registration.Registration"].items() if action == SENSITIVE
)

# Personal data outside the registration graph, kept only for a while: what each table holds
# and how long, and what deletes it (services.retention.purge_timed, run by the daily purge
# and `manage.py purge_personal_data`). Not exported nor erased per person: nothing in them
# is found from a registration, and each row goes by itself when its time is over.
TIMED = {
    "rencontres.Throttle": {
        "holds": {
            "key": "the action and a SHA-256 hash of the IP address, e-mail address or user "
            "name it counts (never in clear)",
            "window_start": "when its counting window began",
            "hits": "how many uses in that window",
        },
        "kept": "until its window is over (settings.RATE_LIMITS: one hour at most, 15 minutes "
        "for logins), then deleted by the next daily purge: at most a day and an hour",
    },
    "sessions.Session": {
        "holds": {
            "session_key": "the cookie's random key",
            "session_data": "a team member's login (a registrant's form keeps nothing here: "
            "the address it was sent for is in a signed cookie of their browser for an hour)",
            "expire_date": "when it ends",
        },
        "kept": "SESSION_COOKIE_AGE (8 hours), then deleted by the next daily purge",
    },
}

TIMED.update({
    "api.WebhookDelivery": {
        "holds": {
            "id": "its number", "subscription": "the address it went to",
            "message_id": "its random id", "event": "what happened",
            "key": "what makes one event once (an invoice's number)",
            "payload": "the object as the API returns it: a registration's name, address, "
            "organisation (its sensitive fields only if the subscription's owner may see them)",
            "created_at": "when", "status": "sent or not", "attempts": "how many tries",
            "next_attempt_at": "its next try", "claimed_at": "when a worker took it",
            "delivered_at": "when it was received",
        },
        "kept": "WEBHOOK_DELIVERIES_DAYS (30 days) after its event once delivered or given up, "
        "then deleted by the daily purge with its attempts",
    },
    "api.WebhookAttempt": {
        "holds": {
            "id": "its number", "delivery": "its delivery", "at": "when",
            "status_code": "the receiver's answer", "error": "why it failed (a network error)",
            "duration_ms": "how long it took",
        },
        "kept": "with its delivery",
    },
    "invoicing.BankStatement": {
        "holds": {
            "id": "its number", "edition": "the edition it was imported for",
            "file_name": "the file's name", "file_format": "CSV or camt.053",
            "digest": "a SHA-256 hash of the file (to find it when imported again)",
            "uploaded_by": "the team member who imported it", "uploaded_at": "when",
            "debits": "how many debits it left out",
            "known": "how many credits were imported already",
        },
        "kept": "ten years after it was imported (an accounting record), then deleted by the "
        "daily purge once none of its lines pays an invoice still kept",
    },
    "invoicing.StatementLine": {
        "holds": {
            "id": "its number", "statement": "its statement", "edition": "its edition",
            "position": "its place in the file", "booked_on": "the day it was booked",
            "amount_cents": "the amount received", "currency": "its currency",
            "label": "the transfer's label, which names who paid (a person paying for "
            "themselves too)",
            "bank_reference": "the bank's reference",
            "fingerprint": "a SHA-256 hash of the reference, or of the date, amount and "
            "label (to keep a line once)",
        },
        "kept": "with its statement",
    },
})  # fmt: skip

# A registration whose address nobody confirmed is not kept until its edition's retention date:
# the confirmation e-mail promises "nothing will be kept". The daily purge deletes it whole
# (choices, history, e-mails) once the last link sent to it has expired
# (registration.services.places.delete_never_confirmed; the notice says so, notice.py).
NEVER_CONFIRMED = {
    "holds": "everything the form asked (name, e-mail, phone, job, organisation, needs, "
    "sessions), the e-mails sent and the history; for a member a head of delegation named "
    "whose address was registered already (NamedMember), the name and address typed",
    "kept": "REGISTRATION_CONFIRMATION_HOURS (72 hours) from the last confirmation e-mail sent "
    "(a delegation member: while their head's link works too), then deleted by the next "
    "daily purge",
}

# What is personal and kept all the same, because the law says so: each model with RETAINED
# fields, why, and until when (services.retention.purge_timed deletes it then).
RETAINED_BY_LAW = {
    "invoicing.Invoice": {
        "why": "an invoice is an accounting document: the buyer, the participants it bills "
        "and the PDF as issued (Code de commerce, article L123-22; CGI, article L102 B)",
        "kept": "ten years after the end of the year it was issued in, then deleted by the "
        "daily purge with its lines, its credit notes and its PDF",
    },
    "invoicing.InvoiceLine": {"why": "a line of an invoice", "kept": "with its invoice"},
    "invoicing.CreditNote": {
        "why": "a credit note is an accounting document, as an invoice",
        "kept": "with the invoice it takes back",
    },
    "invoicing.CreditNoteLine": {"why": "a line of a credit note", "kept": "with its note"},
    "invoicing.Payment": {
        "why": "a payment received is an accounting record: its reference (a transfer's label "
        "names who paid) ties it to the bank statement",
        "kept": "with the invoice it pays (and ten years after the end of the year it was "
        "received in), then deleted by the daily purge",
    },
}

# Rows a person's export leaves out: who blocked them is the other person's choice.
NOT_EXPORTED = {("networking.Block", "blocked")}


def classified_fields(model):
    """The fields of `model` the registry must classify: its own columns and many-to-many
    relations (not the reverse sides of other models' relations)."""
    return [
        field
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many)
        and not (field.auto_created and not field.concrete)
    ]


def registration_graph():
    """{model: [lookup paths from it to a Registration]} for Registration and every model
    that points at one, directly or through another such model."""
    Registration = apps.get_model("registration", "Registration")
    paths = {Registration: [""]}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model is Registration:
                continue
            for field in classified_fields(model):
                if not field.is_relation or field.related_model not in paths:
                    continue
                if field.related_model is model:
                    continue
                for tail in paths[field.related_model]:
                    path = f"{field.name}__{tail}" if tail else field.name
                    if path.count("__") < 3 and path not in paths.setdefault(model, []):
                        paths[model].append(path)
                        changed = True
    return paths


def label(model):
    return model._meta.label


def erased_value(field, action, row):
    """What `field` of `row` holds once erased by `action` (None `row`: any row)."""
    if callable(action):
        return action(row)
    if field.null:
        return None
    if field.get_internal_type() == "BooleanField":
        return False
    if field.get_internal_type() == "JSONField":
        return type(field.get_default())() if callable(field.default) else {}
    if getattr(field, "multiple", False):  # CountryField(multiple=True)
        return []
    return ""


def personal_fields(model, sensitive_only=False):
    """[(field, action)] of `model` that an erasure changes."""
    wanted = {SENSITIVE} if sensitive_only else {ERASE, SENSITIVE}
    actions = FIELDS.get(label(model), {})
    fields = []
    for field in classified_fields(model):
        action = actions.get(field.name, KEEP)
        erases_by_function = callable(action) or isinstance(action, InDatabase)
        if action in wanted or (erases_by_function and not sensitive_only):
            fields.append((field, action))
    return fields
