"""The demo at the event's scale: about 800 registrations for the current edition, as they
stand a few days before the deadline, made from a seed (the same seed gives the same people,
organisations, states and places).

People come alone or in delegations (a head and the members they registered), from some 35
countries and every kind of organisation. What happened to each is played in time order, with
the rules of the places services (registration/services/places.py): an address confirmed
takes a place in each session chosen while one is left, else a rank on its waiting list; a
cancellation gives its places to the first who wait; the press waits for the organisers'
approval; companies have places for three in five, then a waiting list of their own; a
delegation member whose head has confirmed holds a place until they confirm their own address.
Each step is a line of the person's history (and, in the last days, the e-mail it sent), as
the services write them. Rows are then written in bulk: the services would take minutes, and
queue e-mails for the worker to send, where these are written as sent.

Then the project exchange (profiles, posts, meeting requests, accepted meetings, one scheduler
run to review) and the past editions' people with their check-ins at the door."""

import datetime
import heapq
import itertools
import random
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_countries import countries

from rencontres.fees.models import Extra, ExtraBooking
from rencontres.mail.models import OutgoingEmail
from rencontres.mail.services import MAX_ATTEMPTS, email_fields
from rencontres.networking.models import (
    CooperationPost,
    Meeting,
    MeetingRequest,
    Profile,
    ScheduleRun,
    Slot,
    Table,
    Theme,
)
from rencontres.networking.services.schedule import execute
from rencontres.networking.themes import add_default_themes
from rencontres.privacy.models import ConsentRecord
from rencontres.registration.models import (
    Delegation,
    Registration,
    RegistrationEvent,
    SessionChoice,
)
from rencontres.registration.services.messages import compose, confirmation_link
from rencontres.registration.services.places import schedule_release
from rencontres.registration.services.submit import member_confirmation

from .history import load_history
from .people import (
    DOMAIN,
    Organisations,
    category_for,
    culture_of,
    email_for,
    foreign_organisation,
    french_organisation,
    job_title,
    name_in,
)
from .places import ABROAD, PARTNER_COUNTRIES
from .texts import ABOUT, MESSAGES, POSTS

Status = Registration.Status
Choice = SessionChoice.Status
Source = ConsentRecord.Source
Consent = ConsentRecord.Consent

# Registrations of the current edition, the project exchange's demo people included.
SIZE = 800
# Of them, from France (the rest from abroad, in the shares of places.ABROAD).
FRENCH_SHARE = 0.52
# Past editions, by how many editions ago: as many people as this one will have by its
# deadline (a fifth of them register in the last five days).
PAST_SIZES = {1: 900, 2: 820}
# Days before the deadline of the current edition, today.
DAYS_LEFT = 5
# The first registrations came in at most this long ago (registration opened 150 days before
# the deadline: editions.demo.load_demo's closes_on).
SPAN = datetime.timedelta(days=144)
# The draw (0 to 1) of the registrations made DAYS_LEFT days before the deadline.
FIRST_DRAW = (DAYS_LEFT / 150) ** (1 / 2.2)
# Companies have places (stands) for three in five of those who ask, then a waiting list.
COMPANY_SHARE = 0.6
# Of those confirmed more than two days ago (not heads of delegation), the share who cancelled.
CANCELLED = 0.08
# The e-mails written: those of the last days; of them, a few bounced for good (after the
# retries of a day: their people's pages offer to send them again).
EMAILED_DAYS = 3
BOUNCED = 3

# French organisations, by kind and weight; the press (media) waits for approval.
FRENCH_KINDS = {"commune": 30, "epci": 10, "departement": 14, "region": 13,
                "other_french_authority": 2, "state_service": 4, "association": 12,
                "company": 7, "research": 3, "media": 6, "other": 4}  # fmt: skip
# Delegations: how many come together (foreign authorities more often than French ones).
FOREIGN_PARTY = [1, 1, 1, 2, 2, 3, 3, 4, 5, 6]
FRENCH_PARTY = [1] * 14 + [2, 2, 3, 4]

# How many ask for a session, as a multiple of its capacity (by the start of its French
# title); a fifth of them will not hold a place (cancelled, not confirmed yet...).
DEMAND = {
    "Financer": 1.2, "Groupe pays Sénégal": 1.6, "Groupe pays Madagascar": 1.1,
    "Groupe pays Liban": 1.5, "Groupe pays Vietnam": 0.9, "Groupe pays Ukraine": 1.45,
    "Groupe pays Haïti": 0.7, "Atelier 1": 2.0, "Atelier 2": 1.5, "Atelier 3": 1.05,
    "Atelier 4": 1.6, "Atelier 5": 1.2, "Atelier 6": 1.8,
}  # fmt: skip
# A session without a capacity that people sign up for (the partners' evening): this share.
OPEN_SESSION_SHARE = 0.45
# Of the people from a country group's country, the share that asks for it.
NATIVE_SHARE = 0.8
COUNTRY_GROUPS = {"Sénégal": "SN", "Madagascar": "MG", "Liban": "LB", "Vietnam": "VN",
                  "Ukraine": "UA", "Haïti": "HT"}  # fmt: skip

# Tables of the project exchange (the small demo has 20): room for the meetings accepted.
TABLES = 30

# Languages people list on their profile, by the culture of their name.
SPOKEN = {
    "fr": ["fr", "en"], "sn": ["fr", "wo", "en"], "ma": ["ar", "fr", "en"],
    "dz": ["ar", "fr"], "tn": ["ar", "fr", "en"], "lb": ["ar", "fr", "en"],
    "ps": ["ar", "en"], "mr": ["ar", "fr"], "vn": ["vi", "fr", "en"], "cn": ["zh", "en"],
    "jp": ["ja", "en"], "br": ["pt", "en", "es"], "es": ["es", "en", "fr"],
    "latam": ["es", "en"], "it": ["it", "fr", "en"], "de": ["de", "en", "fr"],
    "nl": ["fr", "en"], "pl": ["pl", "en", "fr"], "ua": ["uk", "en", "pl"],
    "ro": ["ro", "fr", "en"], "am": ["en", "ru", "fr"], "ge": ["en", "ru"],
    "qc": ["fr", "en"], "us": ["en", "fr"], "kh": ["en", "fr"], "la": ["fr", "en"],
}  # fmt: skip
DIETS = ["vegetarian"] * 10 + ["halal"] * 5 + ["vegan"] * 2 + ["gluten_free"] * 2 + [""] * 81


class Person:
    """One registration being made up: who, and what happened to them, when."""

    def __init__(self, **fields):
        self.__dict__.update(fields)
        self.status = Status.AWAITING_CONFIRMATION
        self.confirmed_at = self.waitlisted_at = self.held_until = None
        self.events = []  # (at, action, details)
        self.mails = []  # (at, template, options): what the services would have sent
        self.choices = {}  # session pk: [status, at]
        self.dinner = False
        self.row = None

    def log(self, at, action, **details):
        self.events.append((at, action, details))

    def mail(self, at, template, **options):
        self.mails.append((at, template, options))

    def set_status(self, at, status):
        self.log(at, "status", previous=str(self.status), status=str(status))
        self.status = status


def load_event(edition, seed, now=None):
    """Fill `edition` (the demo's current one, made with load_demo(closes_on=...)) at the
    event's scale, once: returns the numbers made, or None when it has its people already."""
    now = now or timezone.now()
    existing = edition.registrations.count()
    if existing >= SIZE // 4:
        return None
    rng = random.Random(seed)
    with transaction.atomic():
        sessions = list(edition.sessions.filter(registration_required=True).order_by(
            "starts_at", "pk"))  # fmt: skip
        people = plan_people(rng, SIZE - existing)
        companies = sum(person.category == "company" for person in people)
        places = max(1, round(companies * COMPANY_SHARE))
        edition.categories.filter(code="company").update(capacity=places)
        plan_times(rng, people, now)
        plan_sessions(rng, people, sessions, edition)
        play(rng, people, sessions, edition, now, places)
        write_people(rng, people, edition, now)
        exchange = load_exchange(rng, edition, people, now)
        past = load_history(
            edition,
            seed=seed + 1,
            sizes={edition.number - ago: size for ago, size in PAST_SIZES.items()},
            check_ins=True,
        )
    return {"registrations": len(people), "past": past, **exchange}


def plan_people(rng, count):
    """`count` people in parties (one person, or a head and their delegation)."""
    abroad = list(ABROAD)
    weights = [ABROAD[code][0] for code in abroad]
    foreign = round(count * (1 - FRENCH_SHARE))
    # Each country abroad its share, at least two people, so that all of them are there.
    per_country = Counter(abroad * 2)
    for country in rng.choices(abroad, weights=weights, k=foreign - len(abroad) * 2):
        per_country[country] += 1
    # Addresses and names given already (the project exchange's people): not twice.
    known = Registration.objects.filter(email__endswith=f"@{DOMAIN}")
    taken = {*known.values_list("email", flat=True),
             *known.values_list("first_name", "last_name")}  # fmt: skip
    titles = set()  # (organisation, title) of those only one person holds
    people = []
    left = {"FR": count - foreign, **per_country}
    for country in ["FR", *abroad]:
        while left[country] > 0:
            if country == "FR":
                name, kind = french_organisation(rng, FRENCH_KINDS)
                sizes = (
                    FRENCH_PARTY if kind in ("region", "departement", "commune", "epci") else [1]
                )
            else:
                name, kind = foreign_organisation(rng, country)
                sizes = FOREIGN_PARTY if kind == "foreign_authority" else [1, 1, 1, 2]
            size = min(rng.choice(sizes), left[country])
            left[country] -= size
            party = len(people)
            for index in range(size):
                people.append(make_person(rng, country, name, kind, taken, titles, party,
                                          index == 0, size > 1))  # fmt: skip
    return people


def make_person(rng, country, organisation, kind, taken, titles, party, head, delegation):
    gender = "f" if rng.random() < 0.47 else "m"
    culture = culture_of(rng, country)
    first, last, latin_first, latin_last = name_in(rng, culture, gender, taken)
    language = "fr" if country == "FR" or ABROAD[country][2] == "fr" else "en"
    if language == "en" and rng.random() < 0.2:
        language = "fr"
    category = category_for(rng, kind, head=head and delegation)
    phone = ""
    if country == "FR" and rng.random() < 0.6:
        phone = "0{} {:02d} {:02d} {:02d} {:02d}".format(
            rng.choice("67"), *(rng.randint(0, 99) for _ in range(4))
        )
    return Person(
        first_name=first, last_name=last, email=email_for(rng, latin_first, latin_last, taken),
        gender=gender, culture=culture, country=country, language=language,
        organisation=(organisation, kind, country), kind=kind, category=category,
        job_title=job_title(rng, category, kind, language, gender, (organisation, titles)),
        phone=phone, diet=rng.choice(DIETS), party=party, is_head=head and delegation,
        in_delegation=delegation, directory=rng.random() < 0.58, photos=rng.random() < 0.72,
    )  # fmt: skip


def plan_times(rng, people, now):
    """When each party registered (more and more as the deadline nears), and when each
    person confirmed their address, if they have (a member gets their link once the head has
    confirmed, and has DELEGATION_HOLD_HOURS to confirm it)."""
    hold = datetime.timedelta(hours=settings.DELEGATION_HOLD_HOURS)
    heads = {}
    for person in people:
        person.link_at = None
        if person.party not in heads:
            # As the past editions came in (history.plan_past), for those who came by today.
            before_deadline = 150 * rng.uniform(FIRST_DRAW, 1) ** 2.2
            ago = datetime.timedelta(days=before_deadline - DAYS_LEFT)
            ago = min(max(ago, datetime.timedelta(minutes=3)), SPAN)
            person.created_at = now - ago
            heads[person.party] = person
            if ago < datetime.timedelta(hours=48) and rng.random() < 0.6:
                person.confirms_at = None  # has not clicked the link yet
            else:
                delay = datetime.timedelta(minutes=2 + 90 * rng.random() ** 3)
                person.confirms_at = min(person.created_at + delay, now)
            continue
        head = heads[person.party]
        person.created_at = head.created_at
        person.confirms_at = None
        if head.confirms_at is not None:
            person.link_at = head.confirms_at
            at = head.confirms_at + hold * 0.9 * rng.random() ** 0.8
            person.confirms_at = at if at < now else None


def plan_sessions(rng, people, sessions, edition):
    """The days each party comes and the sessions it asks for (a delegation's members ask
    for their head's): at most one at a time, each as much in demand as DEMAND says."""
    size = len(people)
    blocks = defaultdict(list)
    for session in sessions:
        blocks[session.starts_at].append(session)
    days = [day.isoformat() for day in edition.days]
    natives = Counter(person.country for person in people)
    parties = {}
    for person in people:
        if person.party in parties:
            person.days, person.wanted, person.dinner_wanted = parties[person.party]
            continue
        draw = rng.random()
        person.days = days if draw < 0.86 or len(days) < 2 else [days[0 if draw < 0.94 else 1]]
        wanted = []
        for _start, block in sorted(blocks.items()):
            if timezone.localtime(block[0].starts_at).date().isoformat() not in person.days:
                continue
            chances = [session_chance(session, person, size, natives) for session in block]
            draw = rng.random()
            for session, chance in zip(block, chances, strict=True):
                if draw < chance:
                    wanted.append(session)
                    break
                draw -= chance
        person.wanted = wanted
        person.dinner_wanted = rng.random() < 0.16
        parties[person.party] = (person.days, wanted, person.dinner_wanted)


def session_chance(session, person, size, natives):
    """The chance that `person` asks for `session` (people of a country group's country
    most often ask for theirs; the others share what is left of its demand)."""
    if session.capacity is None:
        return OPEN_SESSION_SHARE
    factor = next((f for start, f in DEMAND.items() if session.title_fr.startswith(start)), 1)
    demand = factor * session.capacity
    group = next((code for name, code in COUNTRY_GROUPS.items()
                  if session.title_fr.endswith(name)), None)  # fmt: skip
    if group is not None:
        if person.country == group:
            return NATIVE_SHARE
        demand = max(demand - NATIVE_SHARE * natives[group], 0)
    # Those there that day ask for it: most people come both days.
    return demand / size / 0.92


def play(rng, people, sessions, edition, now, company_places):
    """What happened to everyone, in time order, as the places services would have done it."""
    capacity = {session.pk: session.capacity for session in sessions}
    hold = datetime.timedelta(hours=settings.DELEGATION_HOLD_HOURS)
    holders = defaultdict(list)  # session pk: people with a place
    waiting = defaultdict(list)  # session pk: people waiting, in order
    company = {"holding": [], "waiting": []}
    dinner = next(iter(Extra.objects.filter(edition=edition)), None)
    dinner_seats = dinner.capacity if dinner and dinner.capacity else 0
    queue, order = [], itertools.count()  # what happens next, in time order (then as planned)

    def at(moment, action, person):
        heapq.heappush(queue, (moment, next(order), action, person))

    for person in people:
        person.log(person.created_at, "submitted", sessions=[s.pk for s in person.wanted])
        person.choices = {session.pk: [Choice.REQUESTED, person.created_at]
                          for session in person.wanted}  # fmt: skip
        if person.link_at is None:  # a member gets theirs once the head has confirmed
            person.mail(person.created_at, "confirm_address")
        if person.dinner_wanted and dinner is not None and dinner_seats > 0:
            dinner_seats -= 1
            person.dinner = True
            person.log(person.created_at, "extras_booked", extras=[dinner.pk])
        if person.link_at is not None:
            at(person.link_at, "hold", person)
        if person.confirms_at is not None:
            at(person.confirms_at, "confirm", person)

    def allocate(person, moment):
        for pk, choice in person.choices.items():
            if choice[0] != Choice.REQUESTED:
                continue
            limit = capacity[pk]
            if limit is None or len(holders[pk]) < limit:
                choice[:] = [Choice.CONFIRMED, moment]
                holders[pk].append(person)
            else:
                choice[:] = [Choice.WAITLISTED, moment]
                waiting[pk].append(person)

    def admit(person, moment):
        if person.category == "press":
            person.set_status(moment, Status.AWAITING_APPROVAL)
            person.mail(moment, "awaiting_approval")
            decided = now - moment > datetime.timedelta(days=3)
            draw = rng.random()
            if decided and draw < 0.6:
                at(moment + (now - moment) * rng.uniform(0.05, 0.5), "approve", person)
            elif decided and draw < 0.7:
                at(moment + (now - moment) * rng.uniform(0.05, 0.5), "reject", person)
            return
        if person.category == "company" and person.held_until is None:
            if len(company["holding"]) >= company_places:
                person.waitlisted_at = moment
                person.set_status(moment, Status.WAITLISTED)
                person.mail(moment, "waitlisted")
                company["waiting"].append(person)
                return
            company["holding"].append(person)
        person.held_until = None
        person.set_status(moment, Status.CONFIRMED)
        allocate(person, moment)
        person.mail(moment, "registration_confirmed", attach_calendar=True)
        maybe_cancel(person, moment)

    def maybe_cancel(person, moment):
        old = now - moment > datetime.timedelta(days=2)
        if not person.is_head and old and rng.random() < CANCELLED:
            at(moment + (now - moment) * rng.uniform(0.1, 0.95), "cancel", person)

    def cancel(person, moment):
        held = person.status == Status.CONFIRMED
        for pk, (status, _since) in person.choices.items():
            if status == Choice.CONFIRMED:
                holders[pk].remove(person)
            elif status == Choice.WAITLISTED:
                waiting[pk].remove(person)
        person.choices = {}
        person.set_status(moment, Status.CANCELLED)
        person.mail(moment, "cancelled", replaced=False, by_team=False, by_head="")
        if not held:
            return
        for pk in capacity:  # the freed places go to the first who wait
            while waiting[pk] and len(holders[pk]) < capacity[pk]:
                first = waiting[pk].pop(0)
                first.choices[pk][0] = Choice.CONFIRMED
                holders[pk].append(first)
                first.log(moment, "session_promoted", session=pk)
                first.mail(moment, "session_promoted", attach_calendar=True, session=pk)
        if person in company["holding"]:
            company["holding"].remove(person)
            if company["waiting"]:
                first = company["waiting"].pop(0)
                company["holding"].append(first)
                first.set_status(moment, Status.CONFIRMED)
                allocate(first, moment)
                first.mail(moment, "registration_confirmed", attach_calendar=True, promoted=True)

    while queue:
        moment, _order, action, person = heapq.heappop(queue)
        if action == "confirm":
            person.confirmed_at = moment
            person.log(moment, "address_confirmed")
            admit(person, moment)
        elif action == "hold":  # the head confirmed: a place held where one is left
            full = person.category == "company" and len(company["holding"]) >= company_places
            if person.category != "press" and not full:
                person.held_until = moment + hold
                person.log(moment, "place_held", until=person.held_until.isoformat())
                if person.category == "company":
                    company["holding"].append(person)
            person.mail(moment, "member_confirm_address", held_until=person.held_until)
        elif action == "approve":
            person.log(moment, "approved")
            person.set_status(moment, Status.CONFIRMED)
            allocate(person, moment)
            person.mail(moment, "registration_confirmed", attach_calendar=True)
        elif action == "reject":
            person.set_status(moment, Status.REJECTED)
            person.choices = {}
            person.mail(moment, "rejected")
        elif action == "cancel" and person.status == Status.CONFIRMED:
            cancel(person, moment)


def write_people(rng, people, edition, now):
    """The registrations, their delegations, sessions, history, consents and seats."""
    organisations = Organisations()
    for person in people:
        person.organisation = organisations.want(*person.organisation)
    organisations.create()
    categories = {category.code: category for category in edition.categories.all()}
    with translation.override("fr"):  # as the form's service names it, in French
        delegations = {
            person.party: Delegation(
                edition=edition,
                name=gettext("Delegation of %(organisation)s")
                % {"organisation": organisations[person.organisation].name},
                organisation=organisations[person.organisation],
                created_at=person.created_at,
            )
            for person in people
            if person.is_head
        }
    Delegation.objects.bulk_create(delegations.values())
    version = settings.PRIVACY_NOTICE_VERSION
    rows = []
    for person in people:
        directory_at = person.created_at if person.directory else None
        rows.append(Registration(
            edition=edition, first_name=person.first_name, last_name=person.last_name,
            email=person.email, phone=person.phone, job_title=person.job_title,
            organisation=organisations[person.organisation],
            category=categories.get(person.category) or categories["other"],
            language=person.language, diet=person.diet, days=person.days,
            delegation=delegations.get(person.party) if person.in_delegation else None,
            is_delegation_head=person.is_head, status=person.status,
            waitlisted_at=person.waitlisted_at, place_held_until=person.held_until,
            email_confirmed_at=person.confirmed_at, privacy_notice_version=version,
            privacy_accepted_at=person.created_at, directory_opt_in=person.directory,
            directory_consent_at=directory_at, photo_opt_in=person.photos,
            photo_consent_at=person.created_at if person.photos else None,
            created_at=person.created_at,
        ))  # fmt: skip
    for person, row in zip(people, Registration.objects.bulk_create(rows), strict=True):
        person.row = row
    SessionChoice.objects.bulk_create(
        SessionChoice(registration=person.row, session_id=pk, status=status, created_at=since)
        for person in people
        for pk, (status, since) in person.choices.items()
    )
    RegistrationEvent.objects.bulk_create(
        RegistrationEvent(registration=person.row, at=moment, action=action, details=details)
        for person in people
        for moment, action, details in person.events
    )
    records = []
    for person in people:
        given = [(Consent.PRIVACY_NOTICE, True), (Consent.DIRECTORY, person.directory),
                 (Consent.PHOTOS, person.photos)]  # fmt: skip
        records.extend(
            ConsentRecord(registration=person.row, consent=consent, given=True,
                          source=Source.FORM, wording_version=version, at=person.created_at)
            for consent, yes in given if yes
        )  # fmt: skip
    ConsentRecord.objects.bulk_create(records)
    dinner = Extra.objects.filter(edition=edition).first()
    ExtraBooking.objects.bulk_create(
        ExtraBooking(registration=person.row, extra=dinner, created_at=person.created_at)
        for person in people
        if person.dinner
    )
    write_emails(rng, people, edition, now)
    held = [person.held_until for person in people if person.held_until]
    if held:  # the worker gives the held places to those who wait when they expire
        transaction.on_commit(lambda: schedule_release(edition.pk, max(held)))


def write_emails(rng, people, edition, now):
    """The e-mails of the last days (EMAILED_DAYS), composed as the services compose them
    and written as sent (none goes out: the outbox has nothing to send), but for a few that
    bounced for good (a full mailbox), for the organisers to send again. Older ones are left
    out: composing all of them (1,600) would take four times as long as the rest of the demo."""
    since = now - datetime.timedelta(days=EMAILED_DAYS)
    sessions = {session.pk: session for session in edition.sessions.all()}
    heads = {person.party: person for person in people if person.is_head}
    members = defaultdict(list)
    for person in people:
        if person.in_delegation and not person.is_head:
            members[person.party].append(person.row.full_name)
    emails = []
    for person in people:
        for moment, template, options in person.mails:
            if moment < since:
                continue
            extra = dict(options)
            attach = extra.pop("attach_calendar", False)
            if template == "confirm_address":
                extra.update(confirmation_link=confirmation_link(person.row),
                             hours=settings.REGISTRATION_CONFIRMATION_HOURS,
                             members=members[person.party] if person.is_head else [])  # fmt: skip
            elif template == "member_confirm_address":
                extra = member_confirmation(
                    person.row, heads[person.party].row, extra["held_until"]
                )
            elif template == "session_promoted":
                session = sessions[extra.pop("session")]
                extra["session_title"] = (
                    getattr(session, f"title_{person.language}") or session.title_fr
                )
            email = OutgoingEmail(**email_fields(**compose(person.row, template, attach, **extra)))
            email.created_at = email.next_attempt_at = moment
            email.status, email.attempts = OutgoingEmail.Status.SENT, 1
            email.sent_at = moment + datetime.timedelta(seconds=4)
            emails.append(email)
    old = [email for email in emails if email.template == "registration_confirmed"
           and email.created_at < now - datetime.timedelta(hours=30)]  # fmt: skip
    for email in rng.sample(old, min(len(old), BOUNCED)):
        email.status, email.attempts, email.sent_at = (
            OutgoingEmail.Status.FAILED,
            MAX_ATTEMPTS,
            None,
        )
        email.last_error = f"552 5.2.2 <{email.recipient}>: Mailbox full"
    OutgoingEmail.objects.bulk_create(emails)


def load_exchange(rng, edition, people, now):
    """Profiles for most of those in the directory, posts, meeting requests between them
    (some accepted, as meetings), a few slots marked as busy, and a scheduler run done."""
    add_default_themes(Theme)
    themes = list(Theme.objects.order_by("order", "code"))
    listed = [p for p in people if p.status == Status.CONFIRMED and p.directory]
    profiled = [p for p in listed if rng.random() < 0.85]
    with translation.override("fr"):
        names = {code: str(countries.name(code)) for code in [*ABROAD, "FR"]}
    profiles = []
    for person in profiled:
        chosen = rng.sample(themes, rng.choice([1, 2, 2, 3, 3, 4]))
        works = (
            rng.sample(PARTNER_COUNTRIES, rng.randint(1, 3))
            if person.country == "FR"
            else ["FR", *rng.sample(PARTNER_COUNTRIES, rng.randint(0, 1))]
        )
        works = sorted(set(works) - {person.country})
        person.themes, person.works = chosen, works
        language = "en" if person.language == "en" else "fr"
        template = rng.choice(ABOUT[language])
        with translation.override(language):
            theme_words = ", ".join(str(theme.name).lower() for theme in chosen)
            country_words = ", ".join(str(countries.name(code)) for code in works)
        profile = Profile(
            registration=person.row, countries=works, accepts_requests=rng.random() < 0.93,
            about=template.format(organisation=person.row.organisation.name,
                                  since=rng.randint(1985, 2022), themes=theme_words,
                                  countries=country_words),
            show_job_title=rng.random() < 0.95, show_about=rng.random() < 0.97,
            created_at=person.confirmed_at or person.created_at,
        )  # fmt: skip
        spoken = SPOKEN.get(person.culture, ["fr", "en"])
        profile.language_codes = spoken[: rng.randint(1, len(spoken))]
        profiles.append(profile)
        person.profile = profile
    Profile.objects.bulk_create(profiles)
    Profile.themes.through.objects.bulk_create(
        Profile.themes.through(profile=person.profile, theme=theme)
        for person in profiled
        for theme in person.themes
    )

    posts, post_themes = [], []
    for person in profiled:
        for _number in range(rng.choice([0, 0, 0, 1, 1, 2])):
            theme = rng.choice(person.themes)
            offer, request = POSTS.get(theme.code, POSTS["governance"])
            kind = (
                "offer" if rng.random() < (0.7 if person.country == "FR" else 0.25) else "request"
            )
            title, text = offer if kind == "offer" else request
            place = person.country if person.country != "FR" else rng.choice(person.works or ["SN"])
            post = CooperationPost(
                profile=person.profile, kind=kind, title=title,
                text=text.replace("{place}", names.get(place, place)),
                countries=[place] if kind == "request" else person.works,
                created_at=person.profile.created_at + datetime.timedelta(hours=rng.randint(1, 72)),
            )  # fmt: skip
            posts.append(post)
            post_themes.append(theme)
    CooperationPost.objects.bulk_create(posts)
    CooperationPost.themes.through.objects.bulk_create(
        CooperationPost.themes.through(cooperationpost=post, theme=theme)
        for post, theme in zip(posts, post_themes, strict=True)
    )

    for number in range(Table.objects.filter(edition=edition).count() + 1, TABLES + 1):
        Table.objects.create(edition=edition, number=number, location="Hall C")
    requests, meetings = make_requests(rng, edition, profiled, now)
    slots = list(Slot.objects.filter(edition=edition))
    if slots:
        Slot.unavailable.through.objects.bulk_create(
            Slot.unavailable.through(slot=slot, registration=person.row)
            for person in profiled
            if rng.random() < 0.06
            for slot in rng.sample(slots, rng.randint(1, 3))
        )
    if meetings and slots:
        execute(ScheduleRun.objects.create(edition=edition))
    return {"profiles": len(profiles), "posts": len(posts), "requests": len(requests),
            "meetings": len(meetings)}  # fmt: skip


def make_requests(rng, edition, profiled, now):
    """Meeting requests, most between a French authority and one from abroad, with the
    answers given so far; the accepted ones are meetings to place."""
    open_to = [p for p in profiled if p.profile.accepts_requests]
    french = [p for p in open_to if p.country == "FR"]
    foreign = [p for p in open_to if p.country != "FR"]
    if len(open_to) < 2:
        return [], []
    pairs, requests, accepted = set(), [], []
    for _number in range(round(len(open_to) * 1.25)):
        sender = rng.choice(profiled)
        pool = foreign if sender.country == "FR" and rng.random() < 0.7 else french
        recipient = rng.choice(pool or open_to)
        pair = frozenset((id(sender), id(recipient)))  # one request between two people
        if sender is recipient or pair in pairs:
            continue
        pairs.add(pair)
        start = max(sender.profile.created_at, recipient.profile.created_at)
        sent = start + (now - start) * rng.random() ** 0.6
        status = rng.choices(["accepted", "pending", "declined", "withdrawn"],
                             weights=[48, 30, 16, 6])[0]  # fmt: skip
        answered = (
            sent + (now - sent) * rng.random() if status in ("accepted", "declined") else None
        )
        request = MeetingRequest(
            edition=edition, sender=sender.row, recipient=recipient.row, status=status,
            message=rng.choice(MESSAGES["en" if sender.language == "en" else "fr"]),
            created_at=sent, answered_at=answered,
        )  # fmt: skip
        requests.append(request)
        if status == "accepted":
            accepted.append((request, sender, recipient))
    MeetingRequest.objects.bulk_create(requests)
    meetings = Meeting.objects.bulk_create(
        Meeting(edition=edition, request=request, created_at=request.answered_at)
        for request, _sender, _recipient in accepted
    )
    Meeting.participants.through.objects.bulk_create(
        Meeting.participants.through(meeting=meeting, registration=person.row)
        for meeting, (_request, sender, recipient) in zip(meetings, accepted, strict=True)
        for person in (sender, recipient)
    )
    return requests, meetings
