"""Who may open what: every URL of the site, requested by every kind of visitor, answers as
the table below says; a URL without a row fails the test.

Actors: anonymous; the registrant Bob on his own private link; Alice with her own secret on
Bob's link, and with her own link on Bob's things (his post, his meeting, a request made to
him); each role of the edition's team; an organiser of another edition; a superuser. Team
members and anonymous visitors try private links with a forged secret. A state-changing URL is
also POSTed: refused, nothing in the database changes; allowed, something does (so the data
sent is known to be enough to act).

Adding a URL: add one row to ROUTES with `public`, `team` or `private` (see their docstrings).
The admin (namespace `admin`) is left to Django's own permissions: only its entry is checked,
see test_the_admin_lets_in_only_staff_accounts."""

import datetime
import json
import operator
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .cast import fingerprint

LOGIN = "login"  # a redirect to the team's login page
REGISTRANTS = ("registrant", "other_registrant", "other_registrant_own_link")
TEAM = ("organiser", "staff", "check_in", "viewer", "other_edition_organiser", "superuser")
ACTORS = ("anonymous", *REGISTRANTS, *TEAM)
ORGANISER = {"organiser"}
DESK = {"organiser", "staff", "check_in"}
FORGED = "forged-secret-" + "x" * 30


@dataclass
class Row:
    """A URL name's arguments (attribute paths in the cast, or a function of cast and actor),
    the answer to GET for each actor, and for state-changing URLs the answer to POST."""

    args: object = ()
    get: dict = field(default_factory=dict)
    post: dict | None = None
    data: object = None  # dict, or function of the cast; `json` sends it as JSON
    json: bool = False


def public(*args, status=200):
    """A page anyone may open (everyone gets `status`)."""
    return Row(args, dict.fromkeys(ACTORS, status))


def team(*args, roles, status=200, post=None, data=None, post_only=False, json=False):
    """A back-office page: anonymous visitors and registrants go to the login, the `roles` of
    the edition (and superusers, organisers of every edition, where organisers may) get
    `status` (and `post` when POSTing `data`), other roles and other editions' organisers 403."""

    def answer(actor, allowed):
        if actor == "anonymous" or actor in REGISTRANTS:
            return LOGIN
        if actor in roles or (actor == "superuser" and "organiser" in roles):
            return allowed
        return 403

    get = dict.fromkeys(ACTORS, 405) if post_only else {a: answer(a, status) for a in ACTORS}
    posted = {a: answer(a, post) for a in ACTORS} if post is not None else None
    return Row(args, get, posted, data, json)


def private(*args, status=200, post=None, data=None, owned=False, post_only=False):
    """A page of Bob's private link (`args` after the link's id and secret): Bob gets `status`
    (and `post`), a forged or someone else's secret 404. `owned`: the arguments name Bob's
    things, so Alice's own link on them also gets 404; otherwise her own link works."""

    def answer(actor, allowed):
        if actor == "registrant" or (actor == "other_registrant_own_link" and not owned):
            return allowed
        return 404

    get = dict.fromkeys(ACTORS, 405) if post_only else {a: answer(a, status) for a in ACTORS}
    posted = {a: answer(a, post) for a in ACTORS} if post is not None else None
    return Row(("link", *args), get, posted, data)


def logged_in(status=200, *, anonymous=LOGIN):
    """Any team member (logged in) gets `status`; the others `anonymous`."""
    return Row((), {a: (status if a in TEAM else anonymous) for a in ACTORS})


def head_link(member=False):
    """A page of a head of delegation's private link (Hana's; with `member`, the page of her
    member Max): only Hana gets it. Hana's id with Alice's secret, Max's own link (a member
    is no head), forged links and everyone else: 404."""

    def args(cast, actor):
        if actor == "registrant":
            link = [cast.hana.public_id, cast.hana.secret]
        elif actor == "other_registrant":
            link = [cast.hana.public_id, cast.alice.secret]
        elif actor == "other_registrant_own_link":
            link = [cast.max.public_id, cast.max.secret]
        else:
            link = [cast.hana.public_id, FORGED]
        return [*link, cast.max.public_id] if member else link

    return args


def head(member=False, post=None, data=None, post_only=False):
    """A row for a head's page (head_link): Hana gets 200 (and `post`), everyone else 404."""
    get = dict.fromkeys(ACTORS, 405) if post_only else ONLY_HEAD
    posted = {a: post if a == "registrant" else 404 for a in ACTORS} if post else None
    return Row(head_link(member), get, posted, data)


def replacement(cast):
    return {"first_name": "Zoé", "last_name": "Roy", "email": "zoe.roy@example.org",
            "job_title": "Adviser", "language": "fr"}  # fmt: skip


def confirmation(cast, actor):
    from rencontres.registration.services import confirmation_token

    return [confirmation_token(cast.bob) if actor == "registrant" else "Zm9v:1abc:forged"]


def invitation_link(cast, actor):
    """The invited person holds the real link (played by the registrant); others forge one."""
    invitation = cast.invitation
    return [invitation.public_id, invitation.secret if actor == "registrant" else FORGED]


def feed(name):
    """A read-only calendar feed's address: the real token for Bob, a forged one otherwise."""

    def args(cast, actor):
        token = cast.bob.feed_token(name) if actor == "registrant" else "forged-" + "x" * 36
        return [cast.bob.public_id, token]

    return args


def letter_reference(cast, actor):
    """An invitation letter's reference: the page that checks it is public."""
    import datetime

    from rencontres.registration.invitation import letter_reference

    return [letter_reference(cast.bob, datetime.date(2027, 9, 1))]


def invitation_list_file(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "file": SimpleUploadedFile("list.csv", b"email,first name,last name\nzoe@ex.org,Zoe,Roy\n"),
        "send_emails": "on",
    }


def mailing_sent_after_its_preview():
    """The send button of a mailing's preview: it carries the fingerprint of what was seen."""
    from rencontres.backoffice.mailings import fingerprint

    message = {"subject_fr": "Bonjour", "body_fr": "Texte", "subject_en": "Hello",
               "body_en": "Text"}  # fmt: skip
    statuses = ["confirmed"]
    return {**message, "statuses": statuses, "nonce": "access-control", "action": "send",
            "previewed": fingerprint(message, statuses, {})}  # fmt: skip


def payer_data():
    """Who pays, as a French commune gives it (its name and country are its organisation's)."""
    return {
        "kind": "own_organisation", "address": "2 place de la Comédie", "postcode": "69001",
        "city": "Lyon", "siret": "21690123100011", "commitment_required": "on",
        "commitment_number": "ENG-2027-0043", "language": "fr",
    }  # fmt: skip


def typed_lines():
    """One line, as an organiser types it."""
    return {
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-0-code": "REG",
        "lines-0-label_fr": "Inscription", "lines-0-label_en": "Registration",
        "lines-0-quantity": "1", "lines-0-unit_price": "150.00", "lines-0-vat_rate": "0",
    }  # fmt: skip


def payment_data():
    """A transfer received, as an organiser records it."""
    return {"amount": "50", "method": "transfer", "received_on": "2026-01-15",
            "reference": "VIR SEPA VILLE DE LYON", "note": ""}  # fmt: skip


def statement_file(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = f"Date;Libellé;Débit;Crédit\n15/01/2026;VIR {cast.invoice.number};;50,00\n"
    return {"file": SimpleUploadedFile("releve.csv", content.encode("cp1252"))}


def certificate_reference(cast, actor):
    """A certificate's reference: the page that checks it is public."""
    return [cast.certificate.reference]


def rating_link(cast, actor):
    """A one-click link of Bob's rating e-mail: the signed token is the key, whoever holds it
    (its refusals, altered or another person's, are in rencontres/networking/tests)."""
    from rencontres.networking.services.outcomes import rating_token

    return [rating_token(cast.meeting, cast.bob, "follow_up")]


def survey_answer(cast):
    return {f"q{cast.survey_question.pk}": "4"}


def new_survey(cast):
    """A survey about Bob's session, with one question."""
    session = cast.bob.choices.first().session
    return {
        "session": session.pk, "title_fr": "Atelier", "title_en": "Workshop", "anonymous": "named",
        "opens_at": "2030-01-01T09:00", "closes_at": "2030-01-08T09:00",
        **question_rows(),
    }  # fmt: skip


def changed_survey(cast):
    survey = cast.survey
    return {
        "title_fr": "Votre avis, merci", "title_en": survey.title_en,
        "opens_at": survey.opens_at.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": survey.closes_at.strftime("%Y-%m-%dT%H:%M"),
        **question_rows(cast.survey_question),
    }  # fmt: skip


def question_rows(*existing):
    """The question rows of the survey editor: the existing ones as they are, one new."""
    data = {"q-TOTAL_FORMS": str(len(existing) + 1), "q-INITIAL_FORMS": str(len(existing)),
            "q-MIN_NUM_FORMS": "0", "q-MAX_NUM_FORMS": "40"}  # fmt: skip
    for index, question in enumerate(existing):
        data.update({f"q-{index}-id": str(question.pk), f"q-{index}-position": "0",
                     f"q-{index}-kind": question.kind, f"q-{index}-text_fr": question.text_fr,
                     f"q-{index}-text_en": question.text_en})  # fmt: skip
    last = len(existing)
    data.update({f"q-{last}-position": "1", f"q-{last}-kind": "text",
                 f"q-{last}-text_fr": "Remarques", f"q-{last}-text_en": "Remarks"})  # fmt: skip
    return data


def follow_up_link(cast, actor):
    """The link of Bob's follow-up e-mail (the question asked: the link works from then on)."""
    from django.utils import timezone

    from rencontres.networking.models import CooperationFollowUp
    from rencontres.networking.services.outcomes import follow_up_token

    CooperationFollowUp.objects.get_or_create(
        meeting=cast.meeting, registration=cast.bob, defaults={"asked_at": timezone.now()}
    )
    return [follow_up_token(cast.meeting, cast.bob)]


def check_in_by_hand(cast):
    """Bob came on the edition's last day too (the cast checked him in on the first)."""
    return {"email": cast.bob.email, "day": cast.edition.ends_on.isoformat()}


NUMBER = "edition.number"


def new_token(cast):
    in_a_month = datetime.date.today() + datetime.timedelta(days=30)
    return {"name": "Scanners", "scopes": ["checkins:read"], "expires_on": in_a_month.isoformat()}


ONLY_BOB = {a: 200 if a == "registrant" else 404 for a in ACTORS}
ONLY_HEAD = ONLY_BOB

ROUTES = {
    # Site-wide
    "healthz": public(),
    "brand_css": public(),
    "csp_report": Row((), dict.fromkeys(ACTORS, 405)),  # POST: tests/test_security_headers.py
    "switch_language": Row(("=en",), dict.fromkeys(ACTORS, 302)),
    # Public uploads only (MEDIA_ROOT); files with personal data are in PRIVATE_ROOT, out of
    # its reach: tests/test_private_files.py tries the guessed addresses and path traversal.
    "media": public("=missing.png", status=404),
    # Public site
    "editions:home": public(),
    "editions:archive": public(),
    "editions:edition": public(NUMBER),
    "editions:programme": public(NUMBER),
    "editions:programme_print": public(NUMBER),
    "editions:programme_ics": public(NUMBER),
    "editions:schedule_xml": public(NUMBER),
    "editions:schedule_json": public(NUMBER),
    "editions:schedule_xcal": public(NUMBER),
    "editions:starred_ics": public(NUMBER),
    "editions:session": public(NUMBER, "session.pk"),
    "editions:session_ics": public(NUMBER, "session.pk"),
    "editions:speakers": public(NUMBER),
    "editions:page": public("=about"),
    # Registration
    "registration:start": public(),
    "registration:delegation": public(),
    "registration:sent": public(),
    "registration:price": public(NUMBER),
    "registration:link": public(),
    "registration:confirm": Row(
        confirmation, {a: 200 if a == "registrant" else 404 for a in ACTORS}
    ),
    "registration:private": private(),
    "registration:details": private(
        post=302,
        data={
            "first_name": "Robert",
            "last_name": "Martin",
            "job_title": "Mayor",
            "language": "en",
        },
    ),
    "registration:sessions": private(post=302, data=lambda c: {"sessions": [c.other_session.pk]}),
    "registration:cancel": private(post=302, data={}),
    "registration:calendar": private(),
    "registration:stars": private(post=302, data=lambda cast: {"sessions": [cast.session.pk]}),
    "registration:calendar_feed": Row(feed("sessions"), ONLY_BOB),
    "registration:invited": Row(invitation_link, ONLY_BOB),
    "registration:letter": private(
        post=302,
        data={
            "passport_name": "MARTIN Bob",
            "passport_number": "XK7736022",
            "nationality": "SN",
            "date_of_birth": "1984-03-09",
            "language": "fr",
        },
    ),
    "registration:invitation": private(),
    "registration:letter_check": Row(letter_reference, dict.fromkeys(ACTORS, 200)),
    # A head of delegation's pages (Hana's link; her member Max)
    "registration:member_add": head(
        post=302,
        data=lambda cast: {**replacement(cast), "category": cast.edition.categories.first().pk},
    ),
    "registration:member": head(member=True),
    "registration:member_sessions": head(
        member=True, post=302, data=lambda c: {"sessions": [c.other_session.pk]}
    ),
    "registration:member_replace": head(member=True, post=302, data=replacement),
    "registration:member_send_link": head(member=True, post_only=True, post=302, data={}),
    "registration:member_remove": head(member=True, post=302, data={}),
    # Personal data (participants)
    "privacy:notice": public(),
    "privacy:private": private(),
    "privacy:consent": private(post_only=True, post=302, data={"consent": "photos", "given": "1"}),
    "privacy:data": private(),
    "privacy:data_json": private(),
    "privacy:erasure": private(post=302, data={"understood": "on"}),
    # Project exchange (participants)
    "networking:home": private(),
    "networking:profile": private(
        post=302, data={"about": "Hello", "languages": ["en"], "accepts_requests": "on"}
    ),
    "networking:post_new": private(
        post=302,
        data=lambda cast: {
            "kind": "request",
            "title": "Solar",
            "text": "We seek",
            "themes": [cast.theme.pk],
        },
    ),
    "networking:post_edit": private(
        "post.pk",
        owned=True,
        post=302,
        data=lambda cast: {
            "kind": "offer",
            "title": "Changed",
            "text": "Changed",
            "themes": [cast.theme.pk],
        },
    ),
    "networking:post_delete": private("post.pk", owned=True, post_only=True, post=302, data={}),
    "networking:directory": private(),
    "networking:person": private("eve.profile.pk", post=302, data={"message": "Shall we meet?"}),
    "networking:block": private("eve.profile.pk", post_only=True, post=302, data={}),
    "networking:request_action": private(
        "request_to_bob.pk", owned=True, post_only=True, post=302, data={"action": "decline"}
    ),
    "networking:meeting_cancel": private(
        "meeting.pk", owned=True, post_only=True, post=302, data={}
    ),
    "networking:availability": private(post=302, data=lambda c: {"unavailable": [c.slot.pk]}),
    "networking:agenda": private(),
    "networking:agenda_pdf": private(),
    "networking:agenda_ics": private(),
    "networking:agenda_feed": Row(feed("agenda"), ONLY_BOB),
    # Meetings (organisers)
    "networking:organiser": team(NUMBER, roles=ORGANISER, post=302, data={"run": "1"}),
    "networking:run": team(NUMBER, "run.pk", roles=ORGANISER),
    "networking:run_status": team(NUMBER, "run.pk", roles=ORGANISER),
    "networking:publish": team(NUMBER, "run.pk", roles=ORGANISER, post_only=True, post=302),
    "networking:table_plan": team(NUMBER, roles=ORGANISER),
    # What came of the meetings: Bob rates his from his agenda (his meeting, not Alice's) or
    # from the e-mails' links; only organisers see the answers.
    "networking:rate": private("meeting.pk", owned=True),
    "networking:rate_link": Row(rating_link, dict.fromkeys(ACTORS, 200)),
    "networking:follow_up_link": Row(
        follow_up_link,
        dict.fromkeys(ACTORS, 200),
        post=dict.fromkeys(ACTORS, 302),
        data={"status": "still_talking", "text": "We write to each other", "may_publish": "on"},
    ),
    "backoffice:outcomes": team(NUMBER, roles=ORGANISER, post=302, data={"day": "2028-06-01"}),
    "backoffice:outcomes_xlsx": team(NUMBER, roles=ORGANISER),
    # Surveys: a present person's answer on their private link (Bob and Alice were there); the
    # organisers' list, editor, results and export.
    "followup:answer": private("survey.pk", post=302, data=survey_answer),
    "followup:surveys": team(NUMBER, roles=ORGANISER),
    "followup:survey_new": team(NUMBER, roles=ORGANISER, post=302, data=new_survey),
    "followup:survey_edit": team(
        NUMBER, "survey.pk", roles=ORGANISER, post=302, data=changed_survey
    ),
    "followup:survey_results": team(NUMBER, "survey.pk", roles=ORGANISER),
    "followup:survey_xlsx": team(NUMBER, "survey.pk", roles=ORGANISER),
    # Badges and check-in
    "onsite:own_badge": private(),
    "onsite:badges": team(NUMBER, roles=ORGANISER, post=302, data={"layout": "a4"}),
    "onsite:batch": team(NUMBER, "batch.pk", roles=ORGANISER),
    "onsite:batch_status": team(NUMBER, "batch.pk", roles=ORGANISER),
    "onsite:batch_file": team(NUMBER, "batch.pk", roles=ORGANISER),
    "onsite:desk": team(NUMBER, roles=DESK),
    "onsite:desk_check_in": team(NUMBER, "bob.pk", roles=DESK, post_only=True, post=302),
    "onsite:check_in_days": team(
        NUMBER, roles=ORGANISER, post_only=True, post=302, data={"accept": "0"}
    ),
    # POST only: printing a badge is recorded, so no link, prefetch or reload may do it.
    "onsite:one_badge": team(NUMBER, "bob.public_id", roles=DESK, post_only=True, post=200),
    "onsite:api_scan": team(
        NUMBER,
        roles=DESK,
        post_only=True,
        post=200,
        json=True,
        data=lambda cast: {"token": cast.bob_token, "door": "A"},
    ),
    "onsite:api_sync": team(
        NUMBER,
        roles=DESK,
        post_only=True,
        post=200,
        json=True,
        data=lambda cast: {"items": [{"token": cast.bob_token, "door": "A"}]},
    ),
    "onsite:api_list": team(NUMBER, roles=DESK),
    "onsite:figures": team(NUMBER, roles=DESK),
    # Attendance certificates: a present person's own, its public check, the organisers' page
    "onsite:own_certificate": private(),
    "onsite:certificate_check": Row(certificate_reference, dict.fromkeys(ACTORS, 200)),
    "onsite:certificates": team(NUMBER, roles=ORGANISER, post=302, data=check_in_by_hand),
    "onsite:certificate_batch_new": team(NUMBER, roles=ORGANISER, post_only=True, post=302),
    "onsite:certificate_batch": team(NUMBER, "certificate_batch.pk", roles=ORGANISER),
    "onsite:certificate_batch_status": team(NUMBER, "certificate_batch.pk", roles=ORGANISER),
    "onsite:certificate_batch_file": team(NUMBER, "certificate_batch.pk", roles=ORGANISER),
    "onsite:certificates_email": team(NUMBER, roles=ORGANISER, post_only=True, post=302),
    "onsite:certificate_reissue": team(NUMBER, "bob.pk", roles=ORGANISER, post_only=True, post=302),
    "onsite:certificate_pdf": team(NUMBER, "bob.pk", roles=ORGANISER),
    "onsite:register": team(
        NUMBER,
        roles=DESK,
        post=302,
        data=lambda cast: {
            "first_name": "Zoé",
            "last_name": "Durand",
            "email": "zoe@example.org",
            "job_title": "Mayor",
            "category": cast.edition.categories.first().pk,
            "language": "fr",
            "organisation_name": "Ville de Nantes",
            "organisation_kind": "commune",
            "organisation_country": "FR",
        },
    ),
    # Who pays, and invoices (the payer's own, on the private link)
    "invoicing:payer": private(post=302, data=lambda cast: payer_data()),
    "invoicing:own_document": private("invoice.number", owned=True),
    # Back-office
    "backoffice:login": Row((), {a: 302 if a in TEAM else 200 for a in ACTORS}),
    "backoffice:logout": public(status=405),
    "backoffice:two_factor": logged_in(),
    "backoffice:home": team(NUMBER, roles={"organiser", "staff", "viewer"}),
    "backoffice:registrations": team(NUMBER, roles={"organiser", "staff"}),
    "backoffice:registration_action": team(
        NUMBER,
        roles={"organiser", "staff"},
        post_only=True,
        post=302,
        data=lambda cast: {"action": "cancel", "ids": [cast.bob.pk]},
    ),
    "backoffice:registration": team(NUMBER, "bob.pk", roles={"organiser", "staff"}),
    "backoffice:registration_new": team(
        NUMBER,
        roles={"organiser", "staff"},
        post=302,
        data=lambda cast: {
            "first_name": "Zoé",
            "last_name": "Durand",
            "email": "zoe@example.org",
            "job_title": "Mayor",
            "category": cast.edition.categories.first().pk,
            "language": "fr",
            "organisation_name": "Ville de Nantes",
            "organisation_kind": "commune",
            "organisation_country": "FR",
            "days": [cast.edition.days[0].isoformat()],
        },
    ),
    "backoffice:registration_details": team(
        NUMBER,
        "bob.pk",
        roles={"organiser", "staff"},
        post=302,
        data={
            "first_name": "Robert",
            "last_name": "Martin",
            "job_title": "Mayor",
            "language": "en",
            "passport_name": "MARTIN Bob",
        },
    ),
    "backoffice:registration_sessions": team(
        NUMBER,
        "bob.pk",
        roles={"organiser", "staff"},
        post=302,
        data=lambda c: {"sessions": [c.other_session.pk]},
    ),
    "backoffice:registration_replace": team(
        NUMBER, "max.pk", roles={"organiser", "staff"}, post=302, data=replacement
    ),
    "backoffice:registration_do": team(
        NUMBER,
        "bob.pk",
        roles={"organiser", "staff"},
        post_only=True,
        post=302,
        data={"action": "cancel"},
    ),
    "backoffice:email_resend": team(
        NUMBER,
        "bob.pk",
        "failed_email.pk",
        roles={"organiser", "staff"},
        post_only=True,
        post=302,
    ),
    "backoffice:sessions": team(NUMBER, roles={"organiser", "staff"}),
    "backoffice:session": team(
        NUMBER, "session.pk", roles={"organiser", "staff"}, post=302, data={"capacity": "25"}
    ),
    "backoffice:session_person": team(
        NUMBER,
        "session.pk",
        "bob.pk",
        roles={"organiser", "staff"},
        post=302,
        data={"action": "remove"},
    ),
    # Dave waits for the full session's one place: given beyond the capacity, as confirmed.
    "backoffice:session_promote": team(
        NUMBER,
        "full_session.pk",
        "dave.pk",
        roles={"organiser", "staff"},
        post_only=True,
        post=302,
        data={"beyond_capacity": "1"},
    ),
    "backoffice:session_door_list": team(NUMBER, "session.pk", roles=ORGANISER),
    "backoffice:session_spreadsheet": team(NUMBER, "session.pk", roles=ORGANISER),
    "backoffice:export_csv": team(NUMBER, roles=ORGANISER),
    "backoffice:export_xlsx": team(NUMBER, roles=ORGANISER),
    "backoffice:audit": team(NUMBER, roles=ORGANISER),
    "api_pages:tokens": team(NUMBER, roles={"organiser", "staff"}, post=200, data=new_token),
    # Webhooks: the edition's organisers only (the secrets sign what partners receive).
    "api_pages:webhooks": team(
        NUMBER,
        roles=ORGANISER,
        post=302,
        data={"url": "https://93.184.215.14/crm", "events": ["registration.created"]},
    ),
    "api_pages:webhook": team(NUMBER, "webhook.pk", roles=ORGANISER),
    "api_pages:webhook_rotate": team(
        NUMBER, "webhook.pk", roles=ORGANISER, post_only=True, post=302
    ),
    "api_pages:webhook_switch": team(
        NUMBER, "webhook.pk", roles=ORGANISER, post_only=True, post=302
    ),
    "api_pages:webhook_replay": team(
        NUMBER, "webhook.pk", "webhook_delivery.pk", roles=ORGANISER, post_only=True, post=302
    ),
    # Only its owner (the cast's organiser) revokes a token: other team members' is not found.
    "api_pages:revoke": Row(
        (NUMBER, "api_token.pk"),
        dict.fromkeys(ACTORS, 405),
        {
            "anonymous": LOGIN,
            **dict.fromkeys(REGISTRANTS, LOGIN),
            "organiser": 302,
            "staff": 404,
            "check_in": 403,
            "viewer": 403,
            "other_edition_organiser": 403,
            "superuser": 404,
        },
    ),
    # The API: the programme is public; the rest needs a token (tests in rencontres/api),
    # which no page visitor carries.
    "api:schema": public(),
    "api:docs": public(),
    "api:editions": public(),
    "api:edition": public(NUMBER),
    "api:sessions": public(NUMBER),
    "api:rooms": public(NUMBER),
    "api:speakers": public(NUMBER),
    "api:registrations": Row(
        (NUMBER,),
        dict.fromkeys(ACTORS, 401),
        dict.fromkeys(ACTORS, 401),
        {"first_name": "X"},
        json=True,
    ),
    "api:registration": Row((NUMBER, "bob.public_id"), dict.fromkeys(ACTORS, 401)),
    "api:registration_action": Row(
        (NUMBER, "bob.public_id", "=cancel"),
        dict.fromkeys(ACTORS, 401),
        dict.fromkeys(ACTORS, 401),
        json=True,
    ),
    "api:organisations": Row((NUMBER,), dict.fromkeys(ACTORS, 401)),
    "api:checkins": Row(
        (NUMBER,), dict.fromkeys(ACTORS, 401), dict.fromkeys(ACTORS, 401), {"badge": "x"}, json=True
    ),
    "api:meetings": Row((NUMBER,), dict.fromkeys(ACTORS, 401)),
    "api:invoices": Row((NUMBER,), dict.fromkeys(ACTORS, 401)),
    "api:erasures": Row((NUMBER,), dict.fromkeys(ACTORS, 401)),
    "api:payments": Row((NUMBER,), dict.fromkeys(ACTORS, 401)),
    "backoffice:mailing_new": team(
        NUMBER,
        roles=ORGANISER,
        post=302,
        data=lambda cast: mailing_sent_after_its_preview(),
    ),
    "backoffice:mailing": team(NUMBER, "mailing.pk", roles=ORGANISER),
    "backoffice:invitations": team(NUMBER, roles=ORGANISER),
    "backoffice:invitation_send": team(NUMBER, roles=ORGANISER, post_only=True, post=302),
    "backoffice:invitation_returning": team(NUMBER, roles=ORGANISER, post_only=True, post=302),
    "backoffice:invitation_import": team(
        NUMBER, roles=ORGANISER, post=302, data=invitation_list_file
    ),
    "backoffice:invitation_preview": team(
        NUMBER, "invitation_list.pk", roles=ORGANISER, post=302, data={}
    ),
    # Personal data (organisers)
    "backoffice:privacy:requests": team(NUMBER, roles=ORGANISER),
    "backoffice:privacy:person": team(
        NUMBER, "bob.pk", roles=ORGANISER, post=302, data={"channel": "post"}
    ),
    "backoffice:privacy:data": team(NUMBER, "bob.pk", roles=ORGANISER),
    "backoffice:privacy:data_json": team(NUMBER, "bob.pk", roles=ORGANISER),
    "backoffice:privacy:decide": team(
        NUMBER,
        "erasure_request.pk",
        roles=ORGANISER,
        post_only=True,
        post=302,
        data={"decision": "refuse"},
    ),
    "backoffice:mailing_status": team(NUMBER, "mailing.pk", roles=ORGANISER),
    # Fees (organisers)
    "backoffice:fees": team(NUMBER, roles=ORGANISER),
    "backoffice:fee_new": team(
        NUMBER,
        roles=ORGANISER,
        post=302,
        data=lambda cast: {
            "category": cast.edition.categories.get(code="press").pk,
            "amount_cents": "90",
            "currency": "EUR",
            "basis": "event",
            "vat_rate_bp": "0",
        },
    ),
    "backoffice:fee": team(
        NUMBER,
        "fee.pk",
        roles=ORGANISER,
        post=302,
        data=lambda cast: {
            "category": cast.fee.category_id,
            "amount_cents": "120",
            "currency": "EUR",
            "basis": "day",
            "vat_rate_bp": "2000",
        },
    ),
    "backoffice:extra_new": team(
        NUMBER,
        roles=ORGANISER,
        post=302,
        data={
            "name_fr": "Visite",
            "name_en": "Visit",
            "price_cents": "20",
            "currency": "EUR",
            "vat_rate_bp": "0",
            "order": "1",
        },
    ),
    "backoffice:extra": team(
        NUMBER,
        "extra.pk",
        roles=ORGANISER,
        post=302,
        data={
            "name_fr": "Dîner",
            "name_en": "Dinner",
            "price_cents": "50",
            "currency": "EUR",
            "capacity": "80",
            "vat_rate_bp": "1000",
            "order": "0",
        },
    ),
    "backoffice:fee_members": team(
        NUMBER,
        roles=ORGANISER,
        post=302,
        data={"action": "add", "member-name": "Région Bretagne", "member-identifier": ""},
    ),
    "backoffice:registration_fees": team(
        NUMBER,
        "bob.pk",
        roles=ORGANISER,
        post=302,
        data={"action": "grant", "kind": "exemption", "reason": "Speaker"},
    ),
    # Invoices (organisers)
    "backoffice:invoices": team(NUMBER, roles=ORGANISER),
    "backoffice:invoice": team(NUMBER, "invoice.pk", roles=ORGANISER),
    "backoffice:invoice_pdf": team(NUMBER, "invoice.pk", roles=ORGANISER),
    "backoffice:credit_note_pdf": team(NUMBER, "credit_note.pk", roles=ORGANISER),
    "backoffice:credit_note_new": team(
        NUMBER,
        "invoice.pk",
        roles=ORGANISER,
        post=302,
        data=lambda cast: {
            "what": "lines",
            "reason": "One day less",
            f"line_{cast.invoice_line.pk}": "1",
        },
    ),
    "backoffice:invoice_journal_csv": team(NUMBER, roles=ORGANISER),
    "backoffice:invoice_journal_xlsx": team(NUMBER, roles=ORGANISER),
    # POST only: a deposit is recorded (which invoices went to Chorus Pro, when, by whom).
    "backoffice:invoice_deposit": team(NUMBER, roles=ORGANISER, post_only=True, post=200),
    "backoffice:invoice_run_new": team(
        NUMBER, roles=ORGANISER, post=302, data=lambda cast: typed_lines()
    ),
    "backoffice:invoice_run": team(NUMBER, "invoice_run.pk", roles=ORGANISER),
    "backoffice:invoice_run_status": team(NUMBER, "invoice_run.pk", roles=ORGANISER),
    "backoffice:registration_invoice": team(
        NUMBER, "bob.pk", roles=ORGANISER, post=302, data=lambda cast: typed_lines()
    ),
    "backoffice:registration_payer": team(
        NUMBER, "bob.pk", roles=ORGANISER, post=302, data=lambda cast: payer_data()
    ),
    # Payments (organisers): Bob's invoice has 200 € still due.
    "backoffice:payment_new": team(
        NUMBER, "invoice.pk", roles=ORGANISER, post=302, data=lambda cast: payment_data()
    ),
    "backoffice:payment_cancel": team(
        NUMBER, "payment.pk", roles=ORGANISER, post=302, data={"reason": "Wrong invoice"}
    ),
    "backoffice:statements": team(NUMBER, roles=ORGANISER, post=302, data=statement_file),
    "backoffice:statement": team(
        NUMBER,
        "statement.pk",
        roles=ORGANISER,
        post=302,
        data=lambda cast: {
            "line": [cast.statement_line.pk],
            f"invoice_{cast.statement_line.pk}": cast.invoice.number,
        },
    ),
    "backoffice:payment_reminders": team(NUMBER, roles=ORGANISER, post=302, data={"days": "7, 30"}),
}


# Every route that answers a file rather than a page, with who it is built for and its type.
# Thinking, route by route: a file with personal data is built for one request (or, for the
# badge batch, kept in PRIVATE_ROOT, which nothing serves) and reached only through its route,
# whose row above checks the role or the private link; the public ones hold nothing personal.
# Public uploads (logos, photos) are "media": MEDIA_ROOT only, images inline, anything else a
# download. tests/test_private_files.py builds each file and tries /media/ for the batch.
FILE_ROUTES = {
    # Public, nothing personal: the programme's calendars, the brand's colours.
    "brand_css": ("anonymous", "text/css"),
    "api:schema": ("anonymous", "application/vnd.oai.openapi"),
    "editions:programme_ics": ("anonymous", "text/calendar"),
    "editions:schedule_xml": ("anonymous", "application/xml"),
    "editions:schedule_xcal": ("anonymous", "application/calendar+xml"),
    "editions:starred_ics": ("anonymous", "text/calendar"),
    "editions:session_ics": ("anonymous", "text/calendar"),
    # One person's, on their private link (or a feed token): 404 for anyone else.
    "onsite:own_badge": ("registrant", "application/pdf"),
    "onsite:own_certificate": ("registrant", "application/pdf"),
    "registration:calendar": ("registrant", "text/calendar"),
    "registration:calendar_feed": ("registrant", "text/calendar"),
    "registration:invitation": ("registrant", "application/pdf"),
    "networking:agenda_pdf": ("registrant", "application/pdf"),
    "networking:agenda_ics": ("registrant", "text/calendar"),
    "networking:agenda_feed": ("registrant", "text/calendar"),
    "privacy:data_json": ("registrant", "application/json"),
    # Lists and other people's badges: the edition's team, by role (login or 403 otherwise).
    "onsite:batch_file": ("organiser", "application/pdf"),
    "onsite:one_badge": ("check_in", "application/pdf"),
    # Certificates of attendance, one person's or the edition's batch (PRIVATE_ROOT).
    "onsite:certificate_pdf": ("organiser", "application/pdf"),
    "onsite:certificate_batch_file": ("organiser", "application/pdf"),
    "backoffice:session_door_list": ("organiser", "application/pdf"),
    "backoffice:session_spreadsheet": ("organiser", "application/vnd.openxmlformats"),
    "backoffice:export_csv": ("organiser", "text/csv"),
    "backoffice:export_xlsx": ("organiser", "application/vnd.openxmlformats"),
    "backoffice:outcomes_xlsx": ("organiser", "application/vnd.openxmlformats"),
    "followup:survey_xlsx": ("organiser", "application/vnd.openxmlformats"),
    "backoffice:privacy:data_json": ("organiser", "application/json"),
    # Invoices: the payer's own on their link; every invoice, the journal and the ZIP for
    # Chorus Pro for organisers (the PDFs live in PRIVATE_ROOT, served only through these).
    "invoicing:own_document": ("registrant", "application/pdf"),
    "backoffice:invoice_pdf": ("organiser", "application/pdf"),
    "backoffice:credit_note_pdf": ("organiser", "application/pdf"),
    "backoffice:invoice_journal_csv": ("organiser", "text/csv"),
    "backoffice:invoice_journal_xlsx": ("organiser", "application/vnd.openxmlformats"),
    "backoffice:invoice_deposit": ("organiser", "application/zip"),
}


def fetch(cast, name, actor):
    """What `actor` gets from the route: a GET, or for a POST-only route a POST of its data."""
    row = ROUTES[name]
    client, url = client_for(cast, actor), url_for(name, row, cast, actor)
    if any(answer != 405 for answer in row.get.values()):
        return client.get(url)
    data = row.data(cast) if callable(row.data) else (row.data or {})
    if row.json:
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def is_a_file(response):
    content_type = response.get("Content-Type", "")
    page = content_type.startswith(("text/html", "application/json", "text/plain"))
    return response.has_header("Content-Disposition") or (content_type and not page)


@pytest.mark.django_db
def test_every_route_that_answers_a_file_is_listed_in_file_routes(cast):
    """A new download (a PDF, a list, a calendar) fails here until its row says who it is
    for: the person who may open it is asked for it, and a file must be listed."""
    found = set()
    for name, row in ROUTES.items():
        answers = row.post if all(a == 405 for a in row.get.values()) else row.get
        allowed = [actor for actor, answer in (answers or {}).items() if answer == 200]
        if not allowed:
            continue
        actor = "organiser" if "organiser" in allowed else allowed[0]
        with transaction.atomic():  # what a POST changes is undone for the next route
            if is_a_file(fetch(cast, name, actor)):
                found.add(name)
            transaction.set_rollback(True)
    assert found == set(FILE_ROUTES), (
        f"not in FILE_ROUTES: {sorted(found - set(FILE_ROUTES))}; "
        f"listed but not a file: {sorted(set(FILE_ROUTES) - found)}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FILE_ROUTES))
def test_a_refused_request_for_a_file_gets_no_byte_of_it(cast, name):
    """Whoever the row refuses (a stranger, another registrant, a forged link, the wrong role
    or edition) gets a redirect, a 403 or a 404 page: never the file, nor a part of it."""
    row = ROUTES[name]
    _owner, content_type = FILE_ROUTES[name]
    answers = row.post if all(a == 405 for a in row.get.values()) else row.get
    for actor in ACTORS:
        if answers[actor] == 200:
            continue
        response = fetch(cast, name, actor)
        assert not is_a_file(response), (name, actor)
        assert not response.get("Content-Type", "").startswith(content_type), (name, actor)


def route_names(patterns=None, namespace=""):
    """Every named URL of the site (the language-prefixed ones once), as `namespace:name`."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_of_the_site_has_a_row():
    names = {name for name in route_names() if not name.startswith("admin:")}
    missing = sorted(names - ROUTES.keys())
    assert not missing, f"URLs without a row in ROUTES (add one): {', '.join(missing)}"
    stale = sorted(ROUTES.keys() - names)
    assert not stale, f"Rows of ROUTES for URLs that no longer exist: {', '.join(stale)}"


def link_for(cast, actor):
    """The (public id, secret) an actor puts in a private link of Bob's."""
    if actor == "registrant":
        return [cast.bob.public_id, cast.bob.secret]
    if actor == "other_registrant":
        return [cast.bob.public_id, cast.alice.secret]
    if actor == "other_registrant_own_link":
        return [cast.alice.public_id, cast.alice.secret]
    return [cast.bob.public_id, FORGED]


def url_for(name, row, cast, actor):
    if callable(row.args):
        args = row.args(cast, actor)
    else:
        args = []
        for arg in row.args:
            if arg == "link":
                args += link_for(cast, actor)
            elif arg.startswith("="):
                args.append(arg[1:])
            else:
                args.append(operator.attrgetter(arg)(cast))
    return reverse(name, args=args)


def client_for(cast, actor):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if actor in TEAM:
        client.force_login(cast.team[actor])
    return client


def assert_answer(response, expected, what):
    if expected == LOGIN:
        assert response.status_code == 302, (what, response.status_code)
        assert response["Location"].startswith(reverse("backoffice:login")), (
            what,
            response["Location"],
        )
    else:
        assert response.status_code == expected, (what, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_actor_gets_the_expected_answer(cast, name, actor):
    row = ROUTES[name]
    url = url_for(name, row, cast, actor)
    client = client_for(cast, actor)
    assert_answer(client.get(url), row.get[actor], f"GET {name} as {actor}")
    if row.post is None:
        return
    data = row.data(cast) if callable(row.data) else (row.data or {})
    before = fingerprint()
    if row.json:
        response = client.post(url, json.dumps(data), content_type="application/json")
    else:
        response = client.post(url, data)
    expected = row.post[actor]
    assert_answer(response, expected, f"POST {name} as {actor}")
    changed = fingerprint() != before
    if expected in (401, 403, 404, 405, LOGIN):
        assert not changed, f"POST {name} as {actor} was refused but changed the database"
    else:
        assert changed, f"POST {name} as {actor} changed nothing: is its data enough to act?"


@pytest.mark.django_db
def test_a_private_link_with_a_random_id_or_a_malformed_secret_is_not_found(cast, client):
    bob = cast.bob
    for public_id, secret in [
        (uuid.uuid4(), bob.secret),
        (bob.public_id, bob.secret[:-1]),
        (bob.public_id, bob.secret + "x"),
        (bob.public_id, bob.secret.upper() if bob.secret != bob.secret.upper() else "A"),
        (bob.public_id, "é" * 43),
        (bob.public_id, "a\x00b"),
    ]:
        url = reverse("registration:private", args=[public_id, secret])
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["anonymous", *(a for a in TEAM if a != "superuser")])
def test_the_admin_lets_in_only_staff_accounts(cast, actor):
    """Team roles are not admin accounts: the admin sends them to its login like strangers.
    Its pages (changelists, forms) are guarded by Django's own staff and model permissions."""
    client = client_for(cast, actor)
    for path in ("/admin/", "/admin/registration/registration/", "/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302, (actor, path)
        assert response["Location"].startswith("/admin/login/"), (actor, path)


@pytest.mark.django_db
def test_a_superuser_opens_the_admin(cast, client):
    client.force_login(cast.superuser)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/registration/registration/").status_code == 200
