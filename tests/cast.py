"""A small cast for the site-wide tests: one edition with something behind every URL (people
with profiles, a post, a request, a meeting, a scheduler run, a badge batch, a mailing), its
team by role, and an organiser of another edition.

Alice and Bob are registrants: Bob owns the objects the private links reach (a post, a
meeting with Dave, a request from Carol); Alice tries to reach them. Eve is listed in the
directory, knows nobody, and asked for her data to be erased; Ivy is invited. Carol holds the
one place of a full session, whose waiting list Dave is on. Hana is the head of a delegation
whose member Max confirmed his own address."""

import contextlib
import datetime
import hashlib
from types import SimpleNamespace

from django.apps import apps
from django.db import transaction
from django.utils import timezone

# The apps whose rows a refused request must leave as they were.
OWN_APPS = (
    "editions", "registration", "fees", "networking", "onsite", "invoicing", "backoffice",
    "mail", "privacy", "followup", "api",
)  # fmt: skip
# The cast's accounts need no strong hashing (tests/conftest.py uses the same for the tests).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build():
    from django.contrib.auth.models import User

    from rencontres.backoffice.models import InvitationImport, Mailing
    from rencontres.backoffice.tests.factories import member
    from rencontres.editions.models import Edition, Page
    from rencontres.networking import services as networking
    from rencontres.networking.models import Theme
    from rencontres.networking.tests.factories import person, slots, tables
    from rencontres.onsite import services as onsite
    from rencontres.onsite.tokens import badge_token
    from rencontres.privacy.services import request_erasure
    from rencontres.registration.models import Invitation
    from rencontres.registration.tests.factories import open_edition, registered, workshop

    edition = open_edition(number=61, allows_onsite_registration=True)
    session = workshop(edition, capacity=20, checks_entry=True)
    other_session = workshop(edition, capacity=20, hour=16)
    alice = person(edition, "Alice")
    # Alice may download an invitation letter too: her own link works where Bob's does.
    letter = {"passport_number": "XK7736021", "nationality": "SN",
              "date_of_birth": datetime.date(1984, 3, 9)}  # fmt: skip
    type(alice).objects.filter(pk=alice.pk).update(passport_name="ALICESON Alice", **letter)
    bob = registered(edition, first_name="Bob", last_name="Martin", passport_name="MARTIN Bob",
                     sessions=[session], directory_opt_in=True, **letter)  # fmt: skip
    networking.save_profile(bob, {"themes": [], "countries": [], "languages": ["fr"]})
    carol, dave, eve = (person(edition, name) for name in ("Carol", "Dave", "Eve"))
    bob.refresh_from_db()
    post = networking.save_post(
        bob.profile,
        {"kind": "offer", "title": "Water", "text": "Our know-how", "themes": [], "countries": []},
    )
    slot_list = slots(edition, count=2)
    tables(edition, count=2)
    request_to_bob = networking.request_meeting(carol, bob, "Shall we meet?")
    accepted = networking.request_meeting(bob, dave, "Hello")
    networking.answer(accepted, dave, accept=True)
    meeting = accepted.meeting
    run = networking.execute(networking.start_run(edition))
    batch = onsite.start_batch(edition, None, "a6")
    onsite.build_batch(batch)
    batch.refresh_from_db()
    # The edition's days are next year: its desk checks people in today by an organiser's switch.
    onsite.accept_check_ins_on(edition, timezone.localdate(), None)
    Page.objects.create(slug="about", title_fr="À propos", title_en="About", body_fr="Texte",
                        body_en="Text")  # fmt: skip
    other_edition = open_edition(number=60, starts_on=datetime.date(2026, 11, 4),
                                 ends_on=datetime.date(2026, 11, 5))  # fmt: skip
    # At last year's edition, she asked to hear about the next ones: not invited to this yet.
    registered(other_edition, first_name="Rita", last_name="Okafor", email="rita@example.org",
               next_editions_opt_in=True)  # fmt: skip
    team = {
        role: member(edition, role, username=f"cast-{role}")
        for role in ("organiser", "staff", "check_in", "viewer")
    }
    team["other_edition_organiser"] = member(
        other_edition, "organiser", username="cast-other-organiser"
    )
    mailing = Mailing.objects.create(
        edition=edition, created_by=team["organiser"], subject_fr="Bonjour", subject_en="Hello",
        body_fr="Texte", body_en="Text", nonce="cast-mailing",
    )  # fmt: skip
    team["superuser"] = User.objects.create_superuser("cast-superuser", "su@example.org", "pw")
    invitation_list = InvitationImport.objects.create(
        edition=edition, filename="list.csv",
        rows=[{"row": 2, "email": "yann@example.org", "first_name": "Yann", "last_name": "Le Gall",
               "organisation": "", "kind": None, "country": "FR", "category": None,
               "language": "fr"}],
    )  # fmt: skip
    invitation = Invitation.objects.create(
        edition=edition, email="ivy@example.org", first_name="Ivy", last_name="Ngata",
        country="NZ", language="en",
    )  # fmt: skip
    erasure_request, _created = request_erasure(eve, "email")
    # A full session: Carol holds its one place, Dave waits for it.
    from rencontres.registration import services as registration

    full_session = workshop(edition, capacity=1, hour=11)
    registration.change_sessions(carol, [full_session])
    registration.change_sessions(dave, [full_session])
    from rencontres.mail.models import OutgoingEmail
    from rencontres.registration.tests.factories import delegation, details

    hana = registration.confirm_address(
        delegation(edition, members=1, head=details(edition, first_name="Hana", last_name="Sato"))
    )
    max_ = registration.confirm_address(hana.delegation.members.exclude(pk=hana.pk).get())
    failed_email = OutgoingEmail.objects.create(
        recipient=bob.email, language="en", template="private_link", subject="Your link",
        body_text="…", registration=bob, status=OutgoingEmail.Status.FAILED,
        last_error="550 mailbox unavailable",
    )  # fmt: skip
    # A price and an extra: the fee pages have something to open.
    from rencontres.fees.models import Extra, Fee

    fee = Fee.objects.create(category=edition.categories.get(code="elected"), amount_cents=15000)
    extra = Extra.objects.create(
        edition=edition, name_fr="Dîner des partenaires", name_en="Partners' dinner",
        price_cents=4500, capacity=100,
    )  # fmt: skip
    # Bob's commune pays for him: an invoice (three days) with a credit note for one of them,
    # and a batch of invoices.
    from rencontres.invoicing import services as invoicing
    from rencontres.invoicing.tests.factories import fee as fee_line
    from rencontres.invoicing.tests.factories import public_payer

    edition.categories.filter(code="elected").update(invoiced=True)
    invoice = invoicing.issue_invoice(edition, public_payer(bob), [bob], [fee_line(quantity=3)],
                                      actor=None)  # fmt: skip
    credit_note = invoicing.issue_credit_note(invoice, actor=None, reason="One day less",
                                              lines=[fee_line()])  # fmt: skip
    invoice_run = invoicing.start_run(edition, None, [], [fee_line()])
    # A payment of a third of it, and a bank statement with a transfer naming it.
    from rencontres.invoicing.models import BankStatement, StatementLine
    from rencontres.invoicing.payments import record_payment

    payment = record_payment(invoice, amount_cents=10000, method="transfer",
                             received_on=timezone.localdate(), actor=None)  # fmt: skip
    statement = BankStatement.objects.create(edition=edition, file_name="releve.csv",
                                             file_format="csv", digest="0" * 64)  # fmt: skip
    statement_line = StatementLine.objects.create(
        statement=statement, edition=edition, position=1, booked_on=timezone.localdate(),
        amount_cents=5000, label=f"VIR SEPA VILLE DE LYON {invoice.number}", fingerprint="1" * 64,
    )  # fmt: skip
    # Bob and Alice came on the edition's first day (Bob to his session too): each has a
    # certificate of attendance, and a batch holds them.
    from rencontres.onsite import certificates
    from rencontres.onsite.models import CheckIn

    for present in (bob, alice):
        CheckIn.objects.create(registration=present, day=edition.starts_on, door="A")
    CheckIn.objects.create(registration=bob, day=edition.starts_on, session=session, door="B")
    certificate = certificates.issue(bob)
    certificate_batch = certificates.build_batch(certificates.start_batch(edition, None))
    # The edition's survey, open (named), for the people present.
    from rencontres.followup.models import Survey

    survey = Survey.objects.create(
        edition=edition, title_fr="Votre avis", title_en="Your opinion",
        opens_at=timezone.now() - datetime.timedelta(hours=1),
        closes_at=timezone.now() + datetime.timedelta(days=14),
    )  # fmt: skip
    survey_question = survey.questions.create(kind="rating", text_fr="Note", text_en="Rating")
    from rencontres.api.models import ApiToken

    in_a_month = timezone.now() + datetime.timedelta(days=30)
    api_token, _key = ApiToken.issue(
        team["organiser"], "Cast", ["registrations:read"], in_a_month, edition
    )
    # The organiser's webhook subscription, and one delivery it received.
    from rencontres.api.models import WebhookDelivery, WebhookSubscription

    webhook = WebhookSubscription.objects.create(
        user=team["organiser"], edition=edition, url="https://93.184.215.14/hook",
        events=["checkin.created"],
    )  # fmt: skip
    webhook_delivery = WebhookDelivery.objects.create(
        subscription=webhook, message_id="msg_cast", event="checkin.created",
        payload={"type": "checkin.created", "data": {}}, status="delivered", attempts=1,
    )  # fmt: skip
    return SimpleNamespace(
        api_token=api_token,
        webhook=webhook,
        webhook_delivery=webhook_delivery,
        certificate=certificate,
        certificate_batch=certificate_batch,
        survey=survey,
        survey_question=survey_question,
        invoice=invoice,
        invoice_line=invoice.lines.get(),
        credit_note=credit_note,
        invoice_run=invoice_run,
        payment=payment,
        statement=statement,
        statement_line=statement_line,
        edition=Edition.objects.get(pk=edition.pk),
        fee=fee,
        extra=extra,
        failed_email=failed_email,
        other_edition=other_edition,
        session=session,
        other_session=other_session,
        full_session=full_session,
        alice=alice,
        bob=bob,
        bob_token=badge_token(bob),
        carol=carol,
        dave=dave,
        eve=eve,
        hana=hana,
        max=max_,
        post=post,
        request_to_bob=request_to_bob,
        meeting=meeting,
        slot=slot_list[0],
        run=run,
        batch=batch,
        mailing=mailing,
        team=team,
        superuser=team["superuser"],
        theme=Theme.objects.first(),
        invitation=invitation,
        invitation_list=invitation_list,
        erasure_request=erasure_request,
    )


@contextlib.contextmanager
def cast_for_module(django_db_blocker, media_root, private_root, builder=None):
    """Build the cast (or what `builder` returns) once for a module, inside a transaction
    rolled back afterwards (each test runs in a savepoint of it), so that nothing outlives the
    module on either database. Its files go to `media_root` and (the badge batch)
    `private_root`: the module's tests must read them there."""
    from django.test import override_settings

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                MEDIA_ROOT=media_root, PRIVATE_ROOT=private_root, PASSWORD_HASHERS=FAST_HASHERS
            ):
                cast = (builder or build)()
            yield cast
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def fingerprint():
    """A digest of every row of the project's own tables: equal digests, nothing changed."""
    digest = hashlib.sha256()
    for label in OWN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = model.objects.order_by("pk").values_list()
            digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()
