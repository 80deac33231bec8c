"""The next edition: past participants who agreed (a consent of its own) are invited when its
registration opens, their form filled in from their last registration (never the sensitive
fields), their networking profile brought over if they choose."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.editions.tests.factories import paris
from rencontres.mail.models import OutgoingEmail
from rencontres.networking.models import Profile
from rencontres.networking.services.profiles import save_profile
from rencontres.networking.tests.factories import theme
from rencontres.privacy.models import ConsentRecord
from rencontres.privacy.services.erasure import erase_registrations
from rencontres.registration import services
from rencontres.registration.models import Invitation, Registration

from .factories import category, form_data, form_token, open_edition, organisation, registered

pytestmark = pytest.mark.django_db
Consent = ConsentRecord.Consent


@pytest.fixture
def editions():
    """Last year's edition, over, and this year's, whose registration is open."""
    past = open_edition(number=14)
    coming = open_edition(number=15)
    return past, coming


def back_in_the_past(edition):
    edition.starts_on, edition.ends_on = datetime.date(2025, 11, 6), datetime.date(2025, 11, 7)
    edition.registration_opens_at = paris(2025, 5, 20, 9)
    edition.registration_closes_at = paris(2025, 10, 17, 23, 59)
    edition.save()


def agreed(edition, email, **fields):
    return registered(edition, email=email, next_editions_opt_in=True, **fields)


def invited_addresses(edition):
    return sorted(Invitation.objects.filter(edition=edition).values_list("email", flat=True))


def test_the_form_asks_for_the_consent_unticked_and_records_it(client, editions):
    past, coming = editions
    back_in_the_past(past)
    html = client.get("/en/register/").content.decode()
    assert 'name="next_editions_opt_in"' in html
    assert "Invite me to the next editions" in html
    field = html[html.index('name="next_editions_opt_in"') - 200 :][:400]
    assert "checked" not in field
    response = client.post(
        "/en/register/",
        form_data(coming, next_editions_opt_in="on", form_token=form_token(client=client)),
    )
    assert response.status_code == 302, response.context["form"].errors
    person = Registration.objects.get()
    assert person.next_editions_opt_in and person.next_editions_consent_at is not None
    record = ConsentRecord.objects.get(registration=person, consent=Consent.NEXT_EDITIONS)
    assert record.given and record.source == ConsentRecord.Source.FORM


def test_the_consent_is_withdrawn_from_the_private_page_with_its_history(client, editions):
    past, _coming = editions
    person = agreed(past, "ines@example.org")
    url = reverse("privacy:consent", args=[person.public_id, person.secret])
    page = reverse("privacy:private", args=[person.public_id, person.secret])
    assert "Invitez-moi aux prochaines éditions" in client.get(page).content.decode()
    client.post(url, {"consent": "next_editions", "given": "0"})
    person.refresh_from_db()
    assert not person.next_editions_opt_in and person.next_editions_consent_at is None
    history = ConsentRecord.objects.filter(registration=person, consent=Consent.NEXT_EDITIONS)
    assert [record.given for record in history.order_by("at", "pk")] == [True, False]


def test_only_past_participants_who_agreed_last_time_are_invited(editions):
    past, coming = editions
    older = open_edition(number=13)
    agreed(past, "agreed@example.org")
    registered(past, email="never@example.org")
    agreed(past, "unproven@example.org", confirm=False)  # anyone could type that address
    agreed(older, "withdrew@example.org")
    registered(past, email="Withdrew@Example.org")  # last year's registration decides
    agreed(older, "older@example.org")  # not at last year's: still invited
    refused = agreed(past, "refused@example.org")
    Registration.objects.filter(pk=refused.pk).update(status=Registration.Status.REJECTED)
    agreed(past, "already@example.org")
    registered(coming, email="already@example.org")
    agreed(past, "imported@example.org")
    Invitation.objects.create(edition=coming, email="IMPORTED@example.org", first_name="I",
                              last_name="M")  # fmt: skip
    erased = agreed(past, "erased@example.org")
    erase_registrations(Registration.objects.filter(pk=erased.pk))
    future = agreed(open_edition(number=16), "future@example.org")
    assert future.next_editions_opt_in
    back_in_the_past(past)

    people = services.returning_participants(coming)
    assert sorted(person.email for person in people) == ["agreed@example.org",
                                                         "older@example.org"]  # fmt: skip


def test_invitations_go_once_when_registration_opens(editions):
    past, coming = editions
    person = agreed(past, "ana@example.org", language="fr", job_title="Adjointe au maire",
                    category=category(past, "press"))  # fmt: skip
    back_in_the_past(past)
    opens = coming.registration_opens_at
    assert services.invite_returning_participants(coming, opens - datetime.timedelta(hours=1)) == 0
    assert not Invitation.objects.exists()
    coming.is_published = False
    coming.save()
    assert services.invite_returning_participants(coming) == 0
    coming.is_published = True
    coming.save()

    assert services.invite_returning_participants(coming) == 1
    assert services.invite_returning_participants(coming) == 0  # the next day's run
    invitation = Invitation.objects.get()
    assert invitation.returning and invitation.previous_registration == person
    assert invitation.category == category(coming, "press")  # the same code this year
    assert (invitation.first_name, invitation.language) == (person.first_name, "fr")
    email = OutgoingEmail.objects.get(template="invitation")
    assert email.recipient == "ana@example.org"
    assert "prochaines éditions" in email.body_text and "prochaines éditions" in email.body_html
    withdraw = reverse("privacy:private", args=[person.public_id, person.secret])
    assert withdraw.replace("/en/", "/fr/") in email.body_text
    assert withdraw.replace("/en/", "/fr/") in email.body_html


def test_an_import_waiting_to_be_sent_is_left_to_the_organisers(editions):
    past, coming = editions
    agreed(past, "ana@example.org")
    back_in_the_past(past)
    Invitation.objects.create(edition=coming, email="bo@example.org", first_name="Bo",
                              last_name="Li")  # fmt: skip
    services.invite_returning_participants(coming)
    sent = OutgoingEmail.objects.filter(template="invitation")
    assert list(sent.values_list("recipient", flat=True)) == ["ana@example.org"]


def test_the_daily_command_invites_on_the_day_given(editions, capsys):
    past, coming = editions
    agreed(past, "ana@example.org")
    back_in_the_past(past)
    before = timezone.localdate(coming.registration_opens_at) - datetime.timedelta(days=1)
    call_command("invite_past_participants", "--today", before.isoformat())
    assert not Invitation.objects.exists()
    call_command("invite_past_participants", "--dry-run")
    assert "15: ana@example.org" in capsys.readouterr().out
    assert not Invitation.objects.exists()
    call_command("invite_past_participants")
    assert "1 past participants invited" in capsys.readouterr().out
    assert invited_addresses(coming) == ["ana@example.org"]


@pytest.fixture
def returning(editions):
    """Ana, at last year's edition with needs, diet, passport name and a profile, invited to
    this year's."""
    past, coming = editions
    water = theme("water")  # the migration's, or again after a transactional test's flush
    person = agreed(
        past, "ana@example.org", first_name="Ana", last_name="Quintela",
        phone="+33 6 12 34 56 78", job_title="Adjointe aux relations internationales",
        organisation=organisation("Ville de Nantes"), access_needs="Fauteuil roulant Zorglub",
        diet="other", diet_details="Sans gluten Quokka", passport_name="QUINTELA Ana Yzerman",
        directory_opt_in=True, photo_opt_in=True,
    )  # fmt: skip
    save_profile(person, {"about": "Coopération décentralisée avec Rufisque.", "themes": [water],
                          "languages": ["fr", "pt"], "countries": ["SN", "BR"]})  # fmt: skip
    back_in_the_past(past)
    services.invite_returning_participants(coming)
    invitation = Invitation.objects.get()
    url = reverse("registration:invited", args=[invitation.public_id, invitation.secret])
    return person, invitation, url.replace("/fr/", "/en/")


def test_the_form_is_filled_in_from_the_last_registration_never_the_sensitive_fields(
    client, returning
):
    _person, invitation, url = returning
    response = client.get(url)
    html = response.content.decode()
    for known in ("Ana", "Quintela", "ana@example.org", "+33 6 12 34 56 78",
                  "Adjointe aux relations internationales", "Ville de Nantes"):  # fmt: skip
        assert known in html, known
    for sensitive in ("Zorglub", "Quokka", "Yzerman"):
        assert sensitive not in html, sensitive
    assert "You asked to hear about the next editions" in html
    for consent in ("directory_opt_in", "photo_opt_in", "next_editions_opt_in", "privacy"):
        tag = html[html.index(f'name="{consent}"') - 200 :][:400]
        assert "checked" not in tag, consent
    assert "Bring my networking profile of the 14th Meetings over" in html
    assert "Coopération décentralisée avec Rufisque." in html
    assert set(services.form_initial(invitation)) & {
        "access_needs", "diet", "diet_details", "passport_name", "directory_opt_in",
        "photo_opt_in", "next_editions_opt_in",
    } == set()  # fmt: skip


def post_returning(client, url, edition, **fields):
    data = form_data(edition, first_name="Ana", last_name="Quintela", email="ana@example.org",
                     category=category(edition, "press").pk, **fields)  # fmt: skip
    return client.post(url, data)


def test_the_profile_comes_along_when_ticked(client, returning):
    person, _invitation, url = returning
    coming = _invitation.edition
    response = post_returning(client, url, coming, **{"profile-carry_over": "on"})
    assert response.status_code == 302
    new = Registration.objects.get(edition=coming)
    profile = Profile.objects.get(registration=new)
    old = Profile.objects.get(registration=person)
    assert profile.pk != old.pk and profile.about == old.about
    assert [theme.code for theme in profile.themes.all()] == ["water"]
    assert profile.language_codes == ["fr", "pt"]
    assert sorted(country.code for country in profile.countries) == ["BR", "SN"]
    assert not new.directory_opt_in  # the directory is this year's consent, not carried
    assert old.registration.pk == person.pk  # last year's is left as it was


def test_the_profile_stays_behind_unless_ticked(client, returning):
    _person, invitation, url = returning
    post_returning(client, url, invitation.edition)
    new = Registration.objects.get(edition=invitation.edition)
    assert not Profile.objects.filter(registration=new).exists()


def test_a_returning_participant_waits_for_approval_in_a_category_that_needs_it(client, returning):
    _person, invitation, url = returning
    post_returning(client, url, invitation.edition)
    new = Registration.objects.get(edition=invitation.edition)
    # The address is proven by the invitation, but the organisers did not choose them.
    assert new.email_confirmed_at is not None
    assert new.status == Registration.Status.AWAITING_APPROVAL


def test_an_imported_invitation_still_needs_no_approval(client, editions):
    _past, coming = editions
    invitation = Invitation.objects.create(edition=coming, email="bo@example.org",
                                           first_name="Bo", last_name="Li")  # fmt: skip
    url = reverse("registration:invited", args=[invitation.public_id, invitation.secret])
    client.post(url.replace("/fr/", "/en/"), form_data(
        coming, email="bo@example.org", category=category(coming, "press").pk))  # fmt: skip
    assert Registration.objects.get(edition=coming).status == Registration.Status.CONFIRMED


def test_erasing_the_last_registration_erases_the_invitation_made_from_it(returning):
    person, invitation, _url = returning
    erase_registrations(Registration.objects.filter(pk=person.pk))
    invitation.refresh_from_db()
    assert invitation.first_name == "" and "ana@example.org" not in invitation.email


def test_organisers_see_who_asked_and_invite_them_now_once(client, editions):
    from rencontres.backoffice.tests.factories import member
    from rencontres.models import AuditEntry

    past, coming = editions
    agreed(past, "ana@example.org")
    agreed(past, "bo@example.org")
    back_in_the_past(past)
    client.force_login(member(coming, "organiser"))
    with translation.override("en"):
        page = reverse("backoffice:invitations", args=[coming.number])
        send = reverse("backoffice:invitation_returning", args=[coming.number])
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 more have asked and are not invited yet" in html
    assert "Invite the 2 past participants now" in html
    client.post(send)
    client.post(send)  # a double click
    assert OutgoingEmail.objects.filter(template="invitation").count() == 2
    assert AuditEntry.objects.filter(action="returning_invited").count() == 1
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 past participants who asked" in html and "now</button>" not in html
    assert html.count(">past participant</span>") == 2


def test_before_registration_opens_the_button_is_not_there_nor_the_action(client, editions):
    from rencontres.backoffice.tests.factories import member

    past, coming = editions
    agreed(past, "ana@example.org")
    back_in_the_past(past)
    coming.registration_opens_at = timezone.now() + datetime.timedelta(days=3)
    coming.save()
    client.force_login(member(coming, "organiser"))
    with translation.override("en"):
        page = reverse("backoffice:invitations", args=[coming.number])
    html = client.get(page).content.decode()
    assert "1 more has asked" in html and "now</button>" not in html
    client.post(reverse("backoffice:invitation_returning", args=[coming.number]))
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["staff", "check_in", "viewer"])
def test_only_organisers_invite_past_participants(client, editions, role):
    from rencontres.backoffice.tests.factories import member

    past, coming = editions
    agreed(past, "ana@example.org")
    back_in_the_past(past)
    client.force_login(member(coming, role))
    url = reverse("backoffice:invitation_returning", args=[coming.number])
    assert client.post(url).status_code == 403
    assert not Invitation.objects.exists()


def test_a_person_who_asked_to_be_forgotten_is_not_invited_by_an_older_registration():
    """The latest registration decides; once it is erased it holds no address, so the consent
    an older one gave is withdrawn with the erasure (a consent record says so)."""
    from rencontres.privacy.services.erasure import confirm_erasure, request_erasure

    older, later = open_edition(number=12), open_edition(number=13)
    coming = open_edition(number=15)
    first = agreed(older, "x@example.org")
    second = registered(later, email="x@example.org")
    for edition in (older, later):
        back_in_the_past(edition)
    later.starts_on = later.ends_on = datetime.date(2026, 11, 6)
    later.save()
    erasure, _created = request_erasure(second, "email")
    confirm_erasure(erasure, actor=None)
    first.refresh_from_db()
    assert not first.next_editions_opt_in
    assert ConsentRecord.objects.filter(
        registration=first, consent="next_editions", given=False, source="erasure"
    ).exists()
    assert not services.returning_participants(coming).exists()
