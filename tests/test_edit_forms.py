"""Every form that edits something, sent back as the page shows it, changes nothing.

One test, one row per form: the form is opened for an object with every field set (as far
as each field can be: non-default booleans, several themes and countries, text on several
lines, uploads), sent back as a browser would send it (what the HTML holds: ticked boxes,
selected options, textareas with the browser's CRLF line ends, the first submit button) and
the database is compared before and after, every row of the project's tables (m2m included).
A field the page does not fill in from the object (the cooperation themes of a profile, once)
comes back empty and fails its row.

Forms that create rather than edit (the registration form, the door's, a mailing, a badge
batch, a series of slots) are checked the way they can lose something: sent with what a
person typed, then shown again (a preview, or one field wrong), they must hold all of it.

A new admin model, or a new edit page, needs its row: see the two tests at the end."""

import datetime
import io
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urljoin

import lxml.html
import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .cast import FAST_HASHERS

pytestmark = pytest.mark.django_db

# Tables whose rows may change on a save: journals of who did what (the admin's own log and
# ours say "changed, no fields"), and the login's bookkeeping.
JOURNALS = {"rencontres.auditentry", "admin.logentry", "sessions.session"}
# Counters the code keeps (a save of the programme, or of a profile, bumps its cache's version).
BOOKKEEPING = {"editions.Edition.programme_version", "editions.Edition.networking_version"}
FINGERPRINTED_APPS = (
    "rencontres", "editions", "registration", "networking", "onsite", "backoffice", "mail",
    "privacy", "auth", "otp_totp", "followup",
)  # fmt: skip


def fingerprint():
    """Every row of the tables above (auto_now stamps aside: they say when, not what), times
    to the second (the admin's inputs show seconds: the microseconds of a time the code
    stamped are not a person's data)."""
    rows = {}
    for label in FINGERPRINTED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in JOURNALS:
                continue
            names = [
                field.attname
                for field in model._meta.concrete_fields
                if not getattr(field, "auto_now", False)
                and f"{model._meta.label}.{field.name}" not in BOOKKEEPING
            ]
            rows[model._meta.label] = [
                repr(tuple(to_the_second(value) for value in row))
                for row in model.objects.order_by("pk").values_list(*names)
            ]
    return rows


def to_the_second(value):
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0)
    return value


def differences(before, after):
    found = []
    for label, rows in before.items():
        if rows != after[label]:
            old, new = set(rows), set(after[label])
            found.append(f"{label}: was {sorted(old - new)}, now {sorted(new - old)}")
    return found


# Sending a form as a browser does -------------------------------------------------------------


def parse(response):
    return lxml.html.document_fromstring(response.content.decode())


def page_form(response, xpath):
    document = parse(response)
    found = document.xpath(xpath)
    assert found, f"no form matches {xpath}"
    return found[0]


def browser_values(form, button=None):
    """What a browser sends for `form` (HTML's form data set): named controls not disabled;
    boxes only when ticked ("on" without a value); a select's selected options (the first
    when none is, for a single one); textareas without the line break after the tag and with
    CRLF line ends; text inputs as they are ("" when empty); the submit button pressed (the
    first one, or the one named `button`)."""
    values = []
    for element in form.iter("input", "select", "textarea"):
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "select":
            options = element.xpath(".//option[not(@disabled)]")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and element.get("multiple") is None:
                chosen = options[:1]
            values.extend((name, option_value(o)) for o in chosen)
        elif element.tag == "textarea":
            text = (element.text or "").removeprefix("\n")
            values.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
        else:
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "image", "reset", "button", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    values.append((name, element.get("value", "on")))
            else:
                values.append((name, element.get("value", "")))
    buttons = form.xpath('.//button[not(@type) or @type="submit"] | .//input[@type="submit"]')
    if button:
        buttons = [b for b in buttons if b.get("name") == button]
    if buttons and buttons[0].get("name"):
        values.append((buttons[0].get("name"), buttons[0].get("value", "")))
    return values


def option_value(option):
    value = option.get("value")
    return " ".join(option.text_content().split()) if value is None else value


def as_post_data(values):
    data = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return data


def send_back(client, url, xpath, button=None, files=None):
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    form = page_form(response, xpath)
    data = as_post_data(browser_values(form, button))
    data.update(files or {})
    action = urljoin(url, form.get("action") or url)
    return client.post(action, data), data


def errors_on(response):
    document = parse(response)
    return [
        " ".join(item.text_content().split())
        for item in document.xpath(
            '//*[contains(@class, "errorlist") or contains(@class, "field__error")'
            ' or contains(@class, "errornote")]'
        )
    ]


# A world where every field holds something ----------------------------------------------------


def image(name, colour="#1f4e79"):
    from PIL import Image

    content = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(content, "PNG")
    return SimpleUploadedFile(name, content.getvalue(), content_type="image/png")


def whole_seconds(moment):
    """Times a person types (the admin's inputs show seconds, nothing finer)."""
    return moment.replace(microsecond=0)


def build():
    from django.contrib.auth.models import Group, Permission, User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rencontres.backoffice.models import InvitationImport
    from rencontres.editions.models import Page, Partner, Room, SessionSpeaker, Speaker, Venue
    from rencontres.editions.tests.factories import paris
    from rencontres.models import Membership
    from rencontres.networking import services as networking
    from rencontres.networking.models import Meeting, Slot, Table, Theme
    from rencontres.networking.tests.factories import person, slots
    from rencontres.onsite.models import BadgeBatch, CheckIn
    from rencontres.registration import services as registration
    from rencontres.registration.models import Category, Delegation, Invitation, Registration
    from rencontres.registration.tests.factories import category, open_edition, registered

    venue = Venue.objects.create(
        name="Palais des congrès", address="50 quai Charles-de-Gaulle\n69006 Lyon",
        city="Lyon", country="FR", map_url="https://maps.example.org/lyon",
        access_fr="Métro A, arrêt Foch.\nParking P2.",
        access_en="Metro A, Foch stop.\nCar park P2.",
    )  # fmt: skip
    room = Room.objects.create(venue=venue, name="Salle Rhône", location_fr="Niveau 1",
                               location_en="Level 1", seats=120, step_free=False)  # fmt: skip
    edition = open_edition(
        number=71, venue=venue, capacity=900, expected_participants=1200,
        expected_countries=45, allows_onsite_registration=True,
        introduction_fr="Deux jours **d'échanges**.\n\nProgramme complet en ligne.",
        introduction_en="Two days of **exchanges**.\n\nFull programme online.",
        personal_data_retention_until=datetime.date(2028, 12, 31),
    )  # fmt: skip
    for name in ("registration_opens_at", "registration_closes_at"):
        setattr(edition, name, whole_seconds(getattr(edition, name)))
    edition.save()
    elected = category(edition)
    Category.objects.filter(pk=elected.pk).update(capacity=400, colour="#a4262c", order=3)
    Partner.objects.create(
        edition=edition, name="Région Auvergne-Rhône-Alpes", kind="institutional",
        logo=image("aura.png"), website="https://www.example.org", order=2,
    )  # fmt: skip
    Page.objects.create(edition=edition, slug="practical-information", title_fr="Infos pratiques",
                        title_en="Practical information", body_fr="Accès :\nmétro A.",
                        body_en="Access:\nmetro A.")  # fmt: skip
    sessions = [
        registration_session(edition, room, paris(2027, 11, 4, 14), "Eau", "Water", capacity=30),
        registration_session(edition, room, paris(2027, 11, 5, 9), "Climat", "Climate",
                             capacity=1),
    ]  # fmt: skip
    speaker = Speaker.objects.create(
        first_name="Aminata", last_name="Traoré", job_title_fr="Maire", job_title_en="Mayor",
        organisation="Commune de Bamako", country="ML",
        biography_fr="Élue depuis 2016.\nUrbaniste.",
        biography_en="Elected in 2016.\nTown planner.", photo=image("traore.png"),
    )  # fmt: skip
    SessionSpeaker.objects.create(session=sessions[0], speaker=speaker, role="chair", order=2)
    themes = list(Theme.objects.all()[:3])
    assert len(themes) == 3, "the themes come with the migrations"

    organisation = registration.find_or_create_organisation(
        "Ville de Lyon", "commune", "FR", "69123"
    )
    type(organisation).objects.filter(pk=organisation.pk).update(website="https://www.lyon.fr")
    # Someone else holds the last place of the second session: Bob waits for it.
    registered(edition, sessions=[sessions[1]], first_name="Zoé")
    bob = registered(
        edition, sessions=sessions, first_name="Bob", last_name="Martin-Lefèvre",
        email="bob.martin@example.org", phone="+33612345678", job_title="Adjoint au maire",
        organisation=organisation, language="en",
        access_needs="Fauteuil roulant.\nBoucle magnétique.", diet="other",
        diet_details="Sans arachide", passport_name="MARTIN-LEFEVRE Bob",
        passport_number="19AB12345", nationality="FR", date_of_birth=datetime.date(1978, 5, 14),
        directory_opt_in=True, photo_opt_in=True,
    )  # fmt: skip
    bob.starred_sessions.set(sessions[1:])  # one starred, one not
    alice = registered(
        edition, first_name="Alice", last_name="Ngata", email="alice@example.org",
        phone="+221771234567", job_title="Chargée de coopération", language="fr",
        organisation=registration.find_or_create_organisation("Région de Dakar",
                                                             "foreign_authority", "SN"),
        access_needs="Interprète LSF", diet="vegan", days=[edition.starts_on.isoformat()],
    )  # fmt: skip
    delegation = Delegation.objects.create(edition=edition, name="Délégation de Lyon",
                                           organisation=organisation)  # fmt: skip
    Registration.objects.filter(pk=bob.pk).update(delegation=delegation, is_delegation_head=True)
    bob.refresh_from_db()

    networking.save_profile(bob, {
        "about": "Coopération décentralisée depuis 1990.\nEau, culture, climat.",
        "themes": themes[:2], "countries": ["SN", "VN", "UA"], "languages": ["fr", "en", "es"],
        "regions": "Casamance, Hauts-Bassins", "accepts_requests": False,
        "show_job_title": False, "show_organisation": True, "show_country": False,
        "show_languages": True, "show_about": False, "show_themes": True, "show_countries": False,
    })  # fmt: skip
    bob.refresh_from_db()
    post = networking.save_post(bob.profile, {
        "kind": "request", "title": "Partenaire en Casamance",
        "text": "Nous cherchons une commune partenaire.\nSur l'eau et l'assainissement.",
        "themes": themes[1:], "countries": ["SN", "GM"],
    })  # fmt: skip
    networking.save_profile(alice, {"themes": themes[2:], "countries": ["FR"],
                                    "languages": ["fr"]})  # fmt: skip
    slot_list = slots(edition, count=3)
    networking.set_unavailable(bob, slot_list[1:2])
    networking.set_tables(edition, 4, "Hall B, rez-de-chaussée")
    Table.objects.filter(edition=edition, number=2).update(location="Mezzanine")
    carol = person(edition, "Carol", country="VN", kind="foreign_authority")
    meeting_request = networking.request_meeting(
        bob, carol, "Bonjour,\nparlons d'eau ?", with_delegation=True
    )
    networking.answer(meeting_request, carol, accept=True)
    meeting = Meeting.objects.get(request=meeting_request)
    Meeting.objects.filter(pk=meeting.pk).update(
        slot=slot_list[0], table=Table.objects.get(edition=edition, number=1), priority=2,
        cancelled_at=whole_seconds(paris(2027, 11, 3, 18)),
    )  # fmt: skip
    type(meeting_request).objects.filter(pk=meeting_request.pk).update(
        created_at=whole_seconds(meeting_request.created_at),
        answered_at=whole_seconds(meeting_request.answered_at),
    )
    organiser = User.objects.create_user("organiser71", "orga@example.org", "pw",
                                         first_name="Claire", last_name="Moreau")  # fmt: skip
    Membership.objects.create(user=organiser, edition=edition, role="organiser")
    check_in = CheckIn.objects.create(
        registration=bob, session=sessions[0], day=edition.starts_on,
        at=whole_seconds(paris(2027, 11, 4, 13, 55)), door="Porte A", agent=organiser,
        device="tablette 2", offline=True, received_at=whole_seconds(paris(2027, 11, 4, 14, 1)),
    )  # fmt: skip
    # The edition's survey, not open yet, with a question of each kind; and an open, named one
    # about Bob's session, which he answered.
    from django.utils import timezone

    from rencontres.followup import services as surveys
    from rencontres.followup.models import Survey

    now = whole_seconds(timezone.now()).replace(second=0)
    survey = Survey.objects.create(
        edition=edition, title_fr="Votre avis", title_en="Your opinion",
        introduction_fr="Cinq minutes.\nMerci !", introduction_en="Five minutes.\nThank you!",
        anonymous=True, opens_at=now + datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=44),
    )  # fmt: skip
    survey.questions.create(position=1, kind="rating", text_fr="Note", text_en="Rating",
                            required=True)  # fmt: skip
    survey.questions.create(
        position=2,
        kind="choices",
        text_fr="Formats",
        text_en="Formats",
        choices_fr="Ateliers\nPlénières",
        choices_en="Workshops\nPlenaries",
    )
    session_survey = Survey.objects.create(
        edition=edition, session=sessions[0], title_fr="L'atelier eau", title_en="Water",
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=7),
    )  # fmt: skip
    questions = [
        session_survey.questions.create(position=1, kind="rating", text_fr="Note",
                                        text_en="Rating"),
        session_survey.questions.create(position=2, kind="choice", text_fr="Durée",
                                        text_en="Length", choices_fr="Courte\nLongue",
                                        choices_en="Short\nLong"),
        session_survey.questions.create(position=3, kind="choices", text_fr="Suite",
                                        text_en="Next", choices_fr="Visite\nProjet",
                                        choices_en="Visit\nProject"),
        session_survey.questions.create(position=4, kind="text", text_fr="Remarques",
                                        text_en="Remarks"),
    ]  # fmt: skip
    surveys.submit(session_survey, bob, dict(zip([q.pk for q in questions],
                   ["4", "1", ["0", "1"], "Très utile.\nÀ refaire."], strict=True)))  # fmt: skip
    batch = BadgeBatch.objects.create(edition=edition, created_by=organiser, layout="a4",
                                      filters={"country": "FR"}, status="done", total=2,
                                      done=2)  # fmt: skip
    invitation_list = InvitationImport.objects.create(edition=edition, filename="invites.csv",
                                                      rows=[])  # fmt: skip
    invitation = Invitation.objects.create(
        edition=edition, email="yann@example.org", first_name="Yann", last_name="Le Gall",
        organisation_name="Département du Finistère", organisation_kind="departement",
        country="FR", category=elected, language="en", imported_from=invitation_list,
    )  # fmt: skip
    group = Group.objects.create(name="Accueil")
    group.permissions.set(Permission.objects.filter(codename__in=["view_checkin", "add_checkin"]))
    superuser = User.objects.create_superuser(
        "root71", "root@example.org", "pw", first_name="Ève", last_name="Dupont-Aïssa",
        last_login=whole_seconds(paris(2027, 1, 5, 8)),
    )  # fmt: skip
    superuser.groups.add(group)
    superuser.user_permissions.set(Permission.objects.filter(codename="view_registration"))
    device = TOTPDevice.objects.create(
        user=organiser, name="téléphone", confirmed=True, throttling_failure_count=1,
        throttling_failure_timestamp=whole_seconds(paris(2027, 1, 5, 8, 30)),
    )  # fmt: skip
    # The fee grid and who pays for Bob, every field filled.
    from rencontres.fees.models import Extra, Fee, MemberOrganisation
    from rencontres.invoicing.models import Payer

    fee = Fee.objects.create(
        category=elected, for_members=True, amount_cents=15000, currency="EUR", basis="day",
        early_amount_cents=12000, early_until=datetime.date(2027, 9, 30), vat_rate_bp=2000,
    )  # fmt: skip
    extra = Extra.objects.create(
        edition=edition, name_fr="Dîner des partenaires", name_en="Partners' dinner",
        price_cents=4500, capacity=80, vat_rate_bp=1000, order=2,
    )  # fmt: skip
    member_organisation = MemberOrganisation.objects.create(
        edition=edition, name="Ville de Lyon", identifier="21690123100011",
        organisation=organisation, added_at=whole_seconds(paris(2027, 3, 1, 10)),
    )  # fmt: skip
    payer = Payer.objects.create(
        registration=bob, kind="other_organisation", name="Métropole de Lyon",
        address="20 rue du Lac\nCS 33569", postcode="69003", city="Lyon", country="FR",
        email="factures@grandlyon.example.fr", public_body=True, siret="20004697700019",
        service_code="DRI-COOP", commitment_required=True, commitment_number="ENG-2027-0042",
        vat_number="FR03200046977", language="fr",
    )  # fmt: skip
    return SimpleNamespace(
        fee=fee,
        extra=extra,
        member_organisation=member_organisation,
        payer=payer,
        edition=edition,
        venue=venue,
        sessions=sessions,
        speaker=speaker,
        bob=bob,
        alice=alice,
        post=post,
        organisation=organisation,
        delegation=delegation,
        invitation=invitation,
        meeting_request=meeting_request,
        meeting=meeting,
        check_in=check_in,
        batch=batch,
        organiser=organiser,
        superuser=superuser,
        group=group,
        device=device,
        slot=Slot.objects.filter(edition=edition).first(),
        table=Table.objects.get(edition=edition, number=2),
        theme=themes[0],
        category=elected,
        page=Page.objects.get(edition=edition),
        membership=Membership.objects.get(user=organiser),
        profile=bob.profile,
        survey=survey,
        session_survey=session_survey,
    )


def registration_session(edition, room, start, title_fr, title_en, capacity):
    from rencontres.editions.tests.factories import make_session

    return make_session(
        edition, title_fr=f"Atelier {title_fr}", title_en=f"{title_en} workshop",
        description_fr=f"Atelier {title_fr}.\nInscription requise.",
        description_en=f"{title_en} workshop.\nRegistration required.", room=room,
        starts_at=start, ends_at=start + datetime.timedelta(minutes=90), capacity=capacity,
        registration_required=True, checks_entry=True, interpretation_languages=["en", "ar"],
    )  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root, private_root):
    from .cast import cast_for_module

    with cast_for_module(django_db_blocker, media_root, private_root, builder=build) as built:
        yield built


# The rows -----------------------------------------------------------------------------------


@dataclass
class Edit:
    """Open `url` (a function of the world) as `actor`, send the form back unchanged."""

    url: object
    actor: str = "registrant"
    form: str = '//form[contains(@class, "form")]'
    button: str | None = None


def private_url(name, more=lambda world: []):
    def url(world):
        return reverse(name, args=[world.bob.public_id, world.bob.secret, *more(world)])

    return url


def organiser_url(name):
    return lambda world: reverse(name, args=[world.edition.number])


EDITS = {
    "networking profile": Edit(private_url("networking:profile")),
    "cooperation post": Edit(private_url("networking:post_edit", lambda w: [w.post.pk])),
    "availability for meetings": Edit(private_url("networking:availability")),
    "registration details, consents given": Edit(private_url("registration:details")),
    "registration details, consents not given": Edit(
        lambda w: reverse("registration:details", args=[w.alice.public_id, w.alice.secret])
    ),
    "sessions, one waitlisted": Edit(private_url("registration:sessions")),
    "starred sessions": Edit(private_url("registration:stars")),
    "invitation letter details": Edit(private_url("registration:letter")),
    "survey not open yet, every kind of question": Edit(
        lambda w: reverse("followup:survey_edit", args=[w.edition.number, w.survey.pk]),
        actor="organiser",
    ),
    "survey answered (the questions locked)": Edit(
        lambda w: reverse("followup:survey_edit", args=[w.edition.number, w.session_survey.pk]),
        actor="organiser",
    ),
    "survey answer, named": Edit(private_url("followup:answer", lambda w: [w.session_survey.pk])),
    "meeting tables": Edit(
        organiser_url("networking:organiser"),
        actor="organiser",
        form='//form[.//button[@name="set_tables"]]',
        button="set_tables",
    ),
}

# The admin's change form of each model, for the object the world holds of it.
ADMIN_OBJECTS = {
    "editions.Venue": "venue", "editions.Edition": "edition", "editions.Session": "sessions.0",
    "editions.Speaker": "speaker", "editions.Page": "page",
    "registration.Organisation": "organisation", "registration.Category": "category",
    "registration.Registration": "bob", "registration.Delegation": "delegation",
    "registration.Invitation": "invitation", "networking.Theme": "theme",
    "networking.Slot": "slot", "networking.Table": "table", "networking.Profile": "profile",
    "networking.CooperationPost": "post", "networking.MeetingRequest": "meeting_request",
    "networking.Meeting": "meeting", "onsite.CheckIn": "check_in", "onsite.BadgeBatch": "batch",
    "rencontres.Membership": "membership", "auth.User": "superuser", "auth.Group": "group",
    "otp_totp.TOTPDevice": "device", "fees.Fee": "fee", "fees.Extra": "extra",
    "fees.MemberOrganisation": "member_organisation", "invoicing.Payer": "payer",
}  # fmt: skip
# Admin models nobody edits: evidence (consents, erasure requests, the audit log), the
# outbox and the task queue, issued invoices, credit notes and payments, and the exemptions
# granted on a registration's page, which the admin shows read-only.
READ_ONLY_ADMIN = {
    "rencontres.AuditEntry", "privacy.ConsentRecord", "privacy.ErasureRequest", "api.ApiToken",
    "mail.OutgoingEmail", "django_tasks_database.DBTaskResult", "invoicing.Invoice",
    "invoicing.CreditNote", "invoicing.Payment", "fees.Adjustment",
    "networking.MeetingRating", "networking.CooperationFollowUp", "networking.FollowUpDate",
}  # fmt: skip


def world_object(world, path):
    value = world
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def admin_edit(label):
    def url(world):
        obj = world_object(world, ADMIN_OBJECTS[label])
        meta = obj._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])

    model_name = label.split(".")[1].lower()
    return Edit(url, actor="superuser", form=f'//form[@id="{model_name}_form"]', button="_save")


EDITS.update({f"admin: {label}": admin_edit(label) for label in ADMIN_OBJECTS})


def client_for(world, actor):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if actor in ("organiser", "superuser"):
        client.force_login(getattr(world, actor))
    return client


@pytest.mark.parametrize("name", list(EDITS))
def test_a_form_sent_back_unchanged_changes_nothing(world, settings, name):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    edit = EDITS[name]
    client = client_for(world, edit.actor)
    url = edit.url(world)
    before = fingerprint()
    response, _data = send_back(client, url, edit.form, edit.button)
    assert response.status_code == 302, f"{name}: not saved: {errors_on(response)}"
    assert differences(before, fingerprint()) == [], name


# Forms that create: what was typed survives being shown again ------------------------------


@dataclass
class Typed:
    """POST `data` (a function of the world) to `url` as `actor`: the page shown again (a
    preview, or the field `wrong` marked) holds everything that was sent."""

    url: object
    data: object
    actor: str = "anonymous"
    form: str = '//form[contains(@class, "form")]'
    wrong: tuple = ()
    # Sent but not shown again, on purpose: a password, a token issued afresh.
    renewed: tuple = ()


def registration_data(world):
    from rencontres.registration.tests.factories import form_data

    return {
        **form_data(world.edition),
        "email": "not an address",
        "phone": "+221 77 123 45 67",
        "organisation_identifier": "",
        "access_needs": "Fauteuil roulant.\r\nBoucle magnétique.",
        "diet": "other",
        "diet_details": "Sans arachide",
        "sessions": [str(world.sessions[0].pk)],
        "directory_opt_in": "on",
        "photo_opt_in": "on",
    }


def door_data(world):
    return {
        "first_name": "Ngozi", "last_name": "Okafor", "email": "ngozi@", "job_title": "Mayor",
        "category": str(world.category.pk), "language": "en", "organisation_name": "Lagos State",
        "organisation_kind": "foreign_authority", "organisation_country": "NG",
    }  # fmt: skip


def mailing_data(world):
    return {
        "nonce": "typed-mailing-nonce", "subject_fr": "Programme", "subject_en": "Programme",
        "body_fr": "Bonjour {first_name},\r\nle programme est en ligne.",
        "body_en": "Hello {first_name},\r\nthe programme is online.", "action": "preview",
        "statuses": ["confirmed", "waitlisted"],
    }  # fmt: skip


def batch_data(world):
    return {"layout": "a6", "categories": [str(world.category.pk)], "country": "FR",
            "not_printed": "on", "bogus": "x"}  # fmt: skip


def slots_data(world):
    return {"day": "2030-01-01", "start": "14:00", "count": "6", "minutes": "25", "pause": "5",
            "add_slots": "1"}  # fmt: skip


TYPED = {
    "registration form": Typed(
        lambda w: reverse("registration:start"),
        registration_data,
        wrong=("email",),
        renewed=("form_token",),
    ),
    "registration at the door": Typed(
        lambda w: reverse("onsite:register", args=[w.edition.number]),
        door_data,
        actor="organiser",
        wrong=("email",),
        renewed=("form_nonce",),  # the page's one-time value, not typed
    ),
    "mailing, previewed": Typed(
        lambda w: reverse("backoffice:mailing_new", args=[w.edition.number]),
        mailing_data,
        actor="organiser",
        renewed=("previewed",),  # the preview's fingerprint of what it showed
    ),
    "series of meeting slots": Typed(
        organiser_url("networking:organiser"),
        slots_data,
        actor="organiser",
        form='//form[.//button[@name="add_slots"]]',
        wrong=("day",),
    ),
}


def sent_values(data, skip):
    values = []
    for name, value in data.items():
        if name in skip:
            continue
        values.extend((name, str(item)) for item in (value if isinstance(value, list) else [value]))
    return sorted(values)


@pytest.mark.parametrize("name", list(TYPED))
def test_what_was_typed_is_shown_again(world, settings, name):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    typed = TYPED[name]
    client = client_for(world, typed.actor)
    data = typed.data(world)
    response = client.post(typed.url(world), data)
    assert response.status_code == 200, name
    for field in typed.wrong:
        assert field in " ".join(
            parse(response).xpath('//*[contains(@class, "field--error")]/@id')
        ), f"{name}: {field} should be marked: {errors_on(response)}"
    form = page_form(response, typed.form)
    shown = [(n, v) for n, v in browser_values(form) if n not in ("csrfmiddlewaretoken",)]
    skip = {*typed.renewed, "csrfmiddlewaretoken", "website"}
    assert sent_values(dict(as_post_data(shown)), skip) == sent_values(data, skip), name


# The rows cover every form ----------------------------------------------------------------


def test_every_editable_admin_model_has_a_row():
    import rencontres.urls  # noqa: F401  (registers the admin's models)

    registered = {model._meta.label for model in admin.site._registry} - {"auth.Group"}
    registered.add("auth.Group")
    assert registered - READ_ONLY_ADMIN == set(ADMIN_OBJECTS)


def test_the_world_fills_every_field_the_admin_edits(world):
    """An admin row proves something only for fields that hold a value: none is left empty
    (booleans aside, which the objects hold both ways)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.superuser
    empty = []
    for label, path in ADMIN_OBJECTS.items():
        obj = world_object(world, path)
        obj.refresh_from_db()
        model_admin = admin.site._registry[type(obj)]
        form = model_admin.get_form(request, obj)
        for name in form.base_fields:
            field = obj._meta.get_field(name)
            if field.get_internal_type() == "BooleanField":
                continue
            value = getattr(obj, name).all() if field.many_to_many else getattr(obj, name)
            if value in (None, "", [], {}) or (field.many_to_many and not value.exists()):
                empty.append(f"{label}.{name}")
    assert empty == [], empty
