"""A person with a row in every model that points at a registration, each holding words
found nowhere else, so that a test can tell whether any of them survives an erasure."""

import datetime

from django.utils import timezone

from rencontres.networking import services as networking
from rencontres.networking.models import Slot
from rencontres.onsite.models import BadgePrinting, CheckIn
from rencontres.privacy.models import ErasureRequest
from rencontres.privacy.services import request_erasure
from rencontres.registration import services as registration
from rencontres.registration.models import Invitation, NamedMember
from rencontres.registration.tests.factories import organisation, registered, workshop

# Everything that identifies Zéphyrine: none of it may remain after her erasure.
ZEPHYRINE = {
    "first_name": "Zéphyrine",
    "last_name": "Quartermaine",
    "email": "zephyrine.quartermaine@example.org",
    "phone": "+33612345678",
    "job_title": "Conseillère Xylophone",
    "access_needs": "Rampe Wombat",
    "diet": "other",
    "diet_details": "Sans Kumquat",
    "passport_name": "QUARTERMAINE Zephyrine Olga",
    "passport_number": "ZQ8812347",
    "nationality": "NZ",
    "date_of_birth": datetime.date(1981, 7, 29),
}
TRACES = [
    "Zéphyrine", "Quartermaine", "zephyrine", "+33612345678", "33 6 12 34 56 78", "Xylophone",
    "Wombat", "Kumquat", "Olga", "ZQ8812347", "1981-07-29", "Ornithorynque", "Tatouin",
    "Pangolin", "Capybara", "Axolotl",
]  # fmt: skip


def zephyrine(edition):
    """A confirmed registrant with a profile, a post, requests both ways, a meeting, a block,
    a slot she cannot make, a badge printed, a check-in, e-mails, consents, a history of
    changes, who pays, an invoice and its credit note, another partly paid and reminded, a
    discount, an extra, and an erasure request."""
    session = workshop(edition, capacity=10)
    person = registered(
        edition,
        sessions=[session],
        organisation=organisation("Ville de Lyon"),
        directory_opt_in=True,
        photo_opt_in=True,
        next_editions_opt_in=True,
        **ZEPHYRINE,
    )
    registration.update_details(person, {"job_title": "Conseillère Xylophone principale"})
    bob = registered(edition, first_name="Bob", directory_opt_in=True)
    carol = registered(edition, first_name="Carol", directory_opt_in=True)
    dave = registered(edition, first_name="Dave")
    for one in (person, bob, carol):
        networking.save_profile(one, {"themes": [], "languages": ["fr"]})
    networking.save_profile(
        person, {"about": "Projets Ornithorynque", "regions": "Vallée Tatouin",
                 "countries": ["SN"], "languages": ["fr", "en"]},
    )  # fmt: skip
    profile = person.profile
    networking.save_post(
        profile,
        {"kind": "offer", "title": "Offre Pangolin", "text": "Texte Pangolin", "countries": [],
         "themes": []},
    )  # fmt: skip
    networking.request_meeting(person, carol, "Message Capybara de Zéphyrine")
    received = networking.request_meeting(bob, person, "Bonjour Quartermaine, parlons eau.")
    networking.answer(received, person, accept=True)
    # What came of that meeting: her rating, and her follow-up's text, which she let us publish.
    from rencontres.networking.models import CooperationFollowUp, MeetingRating

    MeetingRating.objects.create(
        meeting=received.meeting, registration=person, outcome="project_planned",
        rated_at=timezone.now(),
    )  # fmt: skip
    CooperationFollowUp.objects.create(
        meeting=received.meeting, registration=person, asked_at=timezone.now(),
        status="project_started", text="Projet Axolotl avec Bob", may_publish=True,
        answered_at=timezone.now(),
    )  # fmt: skip
    networking.block(person, dave)
    slot = Slot.objects.create(
        edition=edition,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, minutes=20),
    )
    slot.unavailable.add(person)
    BadgePrinting.objects.create(registration=person)
    CheckIn.objects.create(registration=person, day=edition.starts_on, door="A")
    from rencontres.onsite.certificates import issue

    issue(person)  # her certificate of attendance
    # Her named answer to the edition's survey (she was present): a rating and a text.
    from rencontres.followup import services as surveys
    from rencontres.followup.models import Survey

    survey = Survey.objects.create(
        edition=edition, title_fr="Votre avis", title_en="Your opinion",
        opens_at=timezone.now() - datetime.timedelta(hours=1),
        closes_at=timezone.now() + datetime.timedelta(days=7),
    )  # fmt: skip
    rating = survey.questions.create(kind="rating", text_fr="Note", text_en="Rating")
    remark = survey.questions.create(kind="text", text_fr="Remarque", text_en="Remark")
    surveys.submit(survey, person, {rating.pk: "5", remark.pk: "Avis Okapi de Zéphyrine"})
    Invitation.objects.create(
        edition=edition, email=ZEPHYRINE["email"], first_name=ZEPHYRINE["first_name"],
        last_name=ZEPHYRINE["last_name"], registration=person,
    )  # fmt: skip
    # As a head of delegation, she named someone whose address was registered already.
    NamedMember.objects.create(
        head=person, first_name="Ulrike", last_name="Tamarin", email="ulrike@example.org"
    )
    # Her commune pays: an invoice, a credit note for it, a discount and the partners' dinner.
    from rencontres.fees.models import Adjustment, Extra, ExtraBooking
    from rencontres.invoicing import services as invoicing
    from rencontres.invoicing.tests.factories import fee, public_payer

    invoice = invoicing.issue_invoice(edition, public_payer(person), [person], [fee()],
                                      actor=None)  # fmt: skip
    invoicing.issue_credit_note(invoice, actor=None, reason="Un jour de moins")
    from rencontres.invoicing import deposit

    deposit.deposit(edition, [invoice], None)
    # A second invoice, partly paid and reminded once.
    from rencontres.invoicing.models import PaymentReminder
    from rencontres.invoicing.payments import record_payment

    second = invoicing.issue_invoice(edition, person.payer, [person], [fee()], actor=None)
    record_payment(second, amount_cents=5000, method="cheque", received_on=edition.starts_on,
                   actor=None, reference="Chèque 0042", note="Remis par Zéphyrine")  # fmt: skip
    PaymentReminder.objects.create(invoice=second, step=7, due_cents=10000)
    Adjustment.objects.create(registration=person, kind=Adjustment.Kind.DISCOUNT,
                              amount_cents=2000, reason="Remise Tapir")  # fmt: skip
    dinner = Extra.objects.create(edition=edition, name_fr="Dîner", name_en="Dinner",
                                  price_cents=4500)  # fmt: skip
    ExtraBooking.objects.create(registration=person, extra=dinner)
    request_erasure(person, ErasureRequest.Channel.PRIVATE_PAGE)
    person.refresh_from_db()
    return person
