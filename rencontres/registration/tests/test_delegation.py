"""Delegations: a head registers members, but each member confirms their own address; their
places are held for a while, then go to the waiting list; the form never tells who is
registered, counts every person in the rate limits, and keeps what was typed when rows are
added."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from rencontres.dates import date_range
from rencontres.mail.models import OutgoingEmail
from rencontres.registration import services
from rencontres.registration.models import Organisation, Registration

from .factories import (
    delegation,
    delivered,
    details,
    form_data,
    form_token,
    member_rows,
    open_edition,
    registered,
    workshop,
)

pytestmark = pytest.mark.django_db
URL = "/en/register/delegation/"
Status = Registration.Status


@pytest.fixture
def edition():
    return open_edition()


def strangers(count):
    return [("Person", f"N{number}", f"stranger{number}@example.org") for number in range(count)]


def time_passes():
    """The holds' time runs out (as if DELEGATION_HOLD_HOURS had passed)."""
    Registration.objects.filter(place_held_until__isnull=False).update(
        place_held_until=timezone.now() - datetime.timedelta(minutes=1)
    )


def confirmation_link(email):
    body = OutgoingEmail.objects.filter(recipient=email).last().body_text
    return re.search(r"http://127.0.0.1:8000(/en/register/confirm/\S+/)", body)[1]


def test_a_head_registering_29_addresses_confirms_none_of_them(client, edition, settings):
    settings.DELEGATION_MAX_MEMBERS = 29  # even a generous cap gives a script nothing
    data = {**form_data(edition), **member_rows(edition, strangers(29))}
    data["members-MAX_NUM_FORMS"] = "29"
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    head = Registration.objects.get(email="awa.ndiaye@example.sn")
    assert Registration.objects.filter(delegation=head.delegation).count() == 30
    assert [m.to for m in delivered()] == [["awa.ndiaye@example.sn"]]  # strangers: not yet

    client.post(confirmation_link("awa.ndiaye@example.sn"))
    members = Registration.objects.exclude(pk=head.pk)
    assert Registration.objects.get(pk=head.pk).status == Status.CONFIRMED
    assert set(members.values_list("status", flat=True)) == {Status.AWAITING_CONFIRMATION}
    assert not members.filter(email_confirmed_at__isnull=False).exists()
    assert not OutgoingEmail.objects.filter(template="registration_confirmed").exclude(
        recipient="awa.ndiaye@example.sn"
    )
    # Each stranger gets one e-mail: theirs to confirm (or to ignore), naming who sent it.
    to_members = OutgoingEmail.objects.filter(template="member_confirm_address")
    assert to_members.count() == 29
    assert all("Awa Ndiaye" in email.body_text for email in to_members)


def test_a_delegation_has_at_most_the_members_the_setting_allows(client, edition, settings):
    settings.DELEGATION_MAX_MEMBERS = 3
    response = client.post(URL, {**form_data(edition), **member_rows(edition, strangers(4))})
    assert "A delegation has at most 3 members here" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_member_confirms_through_their_own_link(client, edition):
    session = workshop(edition, capacity=10)
    data = {**form_data(edition, sessions=[session.pk])}
    data.update(member_rows(edition, [("Moussa", "Sarr", "moussa@example.sn"),
                                      ("Fatou", "Diop", "fatou@example.sn")]))  # fmt: skip
    client.post(URL, data)
    assert "Moussa Sarr" in delivered()[0].body  # the head knows who will be asked
    client.post(confirmation_link("awa.ndiaye@example.sn"))
    delivered()
    moussa = Registration.objects.get(email="moussa@example.sn")
    assert moussa.status == Status.AWAITING_CONFIRMATION and moussa.place_held_until
    message = [m for m in mail.outbox if m.to == ["moussa@example.sn"]]
    assert len(message) == 1 and "A place is held for you until" in message[0].body
    assert "Your places in sessions are given when you confirm" in message[0].body
    # Like every e-mail about a place: when, where, and the sessions held for them.
    body = message[0].body
    assert f"When: {date_range(edition.starts_on, edition.ends_on)}" in body
    assert session.title_en in body
    assert body.index(confirmation_link("moussa@example.sn")) < body.index("When:")

    page = client.get(confirmation_link("moussa@example.sn")).content.decode()
    assert "Awa Ndiaye (Ville de Thiès) registered you as a member" in page
    response = client.post(confirmation_link("moussa@example.sn"))
    moussa.refresh_from_db()
    assert response["Location"] == f"/en/r/{moussa.public_id}/{moussa.secret}/"
    assert moussa.status == Status.CONFIRMED and moussa.place_held_until is None
    assert moussa.choices.get().status == "confirmed"
    assert Registration.objects.get(email="fatou@example.sn").status == (
        Status.AWAITING_CONFIRMATION
    )
    # The head's page shows each member with their state: Fatou has not confirmed yet.
    head = Registration.objects.get(email="awa.ndiaye@example.sn")
    page = client.get(f"/en/r/{head.public_id}/{head.secret}/").content.decode()
    assert re.search(r"Moussa Sarr</a> <span [^>]*>Confirmed<", page)
    assert re.search(r"Fatou Diop</a> <span [^>]*>Awaiting their own confirmation<", page)


def test_an_unconfirmed_hold_expires_and_the_place_goes_to_the_waiting_list(edition):
    edition.capacity = 3
    edition.save()
    session = workshop(edition, capacity=2)
    head = delegation(edition, members=2, sessions=[session])
    services.confirm_address(head)
    waiting = registered(edition, sessions=[session])
    assert waiting.status == Status.WAITLISTED  # head and two held places: full
    member = Registration.objects.filter(delegation=head.delegation).exclude(pk=head.pk).first()
    # The session's place is not held: it would show in the session's public "places left".
    assert member.choices.get().status == "requested"

    time_passes()
    call_command("release_held_places", stdout=open("/dev/null", "w"))  # noqa: SIM115
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert waiting.choices.get().status == "confirmed"
    assert OutgoingEmail.objects.filter(recipient=waiting.email, template="registration_confirmed",
                                        context__promoted=True).exists()  # fmt: skip
    member.refresh_from_db()
    assert member.place_held_until is None and member.status == Status.AWAITING_CONFIRMATION
    assert member.choices.get().status == "requested"
    # Late, members still confirm, and take what is left after those who waited, like anyone.
    other = (
        Registration.objects.filter(delegation=head.delegation)
        .exclude(pk__in=[head.pk, member.pk])
        .get()
    )
    assert services.confirm_address(member).status == Status.CONFIRMED  # the third place
    assert services.confirm_address(other).status == Status.WAITLISTED


def test_a_confirmation_after_the_hold_expired_releases_it_first(edition):
    """Without a worker or cron, the next confirmation of the edition releases expired holds,
    and those who wait get them before anyone new."""
    edition.capacity = 2
    edition.save()
    head = delegation(edition, members=1)
    services.confirm_address(head)
    first = registered(edition)
    assert first.status == Status.WAITLISTED
    time_passes()
    newcomer = registered(edition)
    assert Registration.objects.get(pk=first.pk).status == Status.CONFIRMED
    assert newcomer.status == Status.WAITLISTED


def test_the_hold_lasts_as_the_setting_says(edition, settings):
    settings.DELEGATION_HOLD_HOURS = 5
    head = delegation(edition, members=1)
    now = timezone.now()
    services.confirm_address(head, now=now)
    member = Registration.objects.exclude(pk=head.pk).get()
    assert member.place_held_until == now + datetime.timedelta(hours=5)
    settings.DELEGATION_HOLD_HOURS = 0
    other = delegation(edition, members=1)
    services.confirm_address(other, now=now)
    assert Registration.objects.exclude(pk=other.pk).get(delegation=other.delegation)\
        .place_held_until is None  # fmt: skip


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_is_asked_to_release_the_holds_when_they_expire(
    edition, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from rencontres.registration.tasks import release_held_places

    head = delegation(edition, members=2)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_address(head, now=now)
    queued = DBTaskResult.objects.get(task_path=release_held_places.module_path)
    member = Registration.objects.filter(delegation=head.delegation).exclude(pk=head.pk).first()
    assert queued.run_after >= member.place_held_until
    assert queued.args_kwargs["args"] == [edition.pk]


def test_the_release_task_frees_expired_holds(edition):
    from rencontres.registration.tasks import release_held_places

    head = delegation(edition, members=2)
    services.confirm_address(head)
    time_passes()
    result = release_held_places.enqueue(edition.pk)  # the immediate backend runs it now
    assert result.return_value == {"released": 2}
    assert not Registration.objects.filter(place_held_until__isnull=False).exists()


def test_a_cancelled_member_frees_the_held_place(edition):
    edition.capacity = 2
    edition.save()
    head = delegation(edition, members=1)
    services.confirm_address(head)
    waiting = registered(edition)
    member = Registration.objects.exclude(pk__in=[head.pk, waiting.pk]).get()
    assert member.place_held_until is not None and waiting.status == Status.WAITLISTED
    services.cancel(member, actor=None)
    assert Registration.objects.get(pk=waiting.pk).status == Status.CONFIRMED


# Who is registered never shows ---------------------------------------------------------------


def test_the_delegation_form_never_tells_that_an_address_is_registered(client, edition):
    known = registered(edition, email="known@example.org", first_name="Known")
    mail.outbox.clear()
    OutgoingEmail.objects.all().delete()
    people = [("Known", "Person", "known@example.org"), ("New", "Person", "new@example.org")]
    response = client.post(URL, {**form_data(edition), **member_rows(edition, people)})
    assert response.status_code == 302 and response["Location"] == "/en/register/sent/"
    assert "already registered" not in client.get(response["Location"]).content.decode()
    # The head's e-mail names whom they typed; the registered person is left as they were.
    head_email = OutgoingEmail.objects.get(recipient="awa.ndiaye@example.sn")
    assert "Known Person" in head_email.body_text and "New Person" in head_email.body_text
    known.refresh_from_db()
    assert known.delegation is None and known.status == Status.CONFIRMED
    client.post(confirmation_link("awa.ndiaye@example.sn"))
    assert not OutgoingEmail.objects.filter(recipient="known@example.org").exists()
    head = Registration.objects.get(email="awa.ndiaye@example.sn")
    page = client.get(f"/en/r/{head.public_id}/{head.secret}/").content.decode()
    # Both listed alike, as the head typed them: nothing of the registration elsewhere.
    members = page[page.index('class="plain-list delegation-members"') :]
    members = members[: members.index("</ul>")]
    states = re.findall(r'>(Known Person|New Person)</a> <span class="([^"]+)">([^<]+)<', members)
    assert states == [
        ("Known Person", "tag tag--awaiting_confirmation", "Awaiting their own confirmation"),
        ("New Person", "tag tag--awaiting_confirmation", "Awaiting their own confirmation"),
    ]
    assert "known@example.org" not in members and "Confirmed" not in members


def test_the_same_answer_for_a_registered_address_and_a_new_one(client, edition):
    registered(edition, email="known@example.org")

    def answer(email, head):
        data = {**form_data(edition, email=head, form_token=form_token())}
        data.update(member_rows(edition, [("A", "B", email)]))
        response = client.post(URL, data)
        return response.status_code, response.get("Location")

    known, new = answer("known@example.org", "h1@example.org"), answer("x@ex.org", "h2@ex.org")
    assert known == new == (302, "/en/register/sent/")


def test_places_left_in_a_session_do_not_tell_whether_a_member_address_is_registered(
    client, edition
):
    """A head lists the address to test as a member of a session, and confirms: the public
    "places left" moves the same for a registered address (left as it is) and a new one."""
    session = workshop(edition, capacity=10)
    registered(edition, email="known@example.org")  # not in the session
    page = f"/en/editions/{edition.number}/sessions/{session.pk}/"
    moved = []
    for head, member in (("h1@example.org", "known@example.org"),
                         ("h2@example.org", "new@example.org")):  # fmt: skip
        before = re.search(r"(\d+) left", client.get(page).content.decode())[1]
        data = {**form_data(edition, email=head, sessions=[session.pk], form_token=form_token())}
        data.update(member_rows(edition, [("A", "B", member)]))
        assert client.post(URL, data).status_code == 302
        client.post(confirmation_link(head))
        after = re.search(r"(\d+) left", client.get(page).content.decode())[1]
        moved.append(int(before) - int(after))
    assert moved == [1, 1]  # the head's place only
    # The new member's place in the session comes with their own confirmation.
    client.post(confirmation_link("new@example.org"))
    assert Registration.objects.get(email="new@example.org").choices.get().status == "confirmed"
    assert "7 left" in client.get(page).content.decode()


def test_invalid_submissions_count_in_the_rate_limits(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-ip": (3, 3600)}
    for number in range(3):  # refused: a member without an address
        bad = {**form_data(edition, email=f"h{number}@example.org", form_token=form_token())}
        bad.update(member_rows(edition, [("A", "B", "")]))
        assert "Too many" not in client.post(URL, bad).content.decode()
    good = {**form_data(edition), **member_rows(edition, [("A", "B", "ab@example.org")])}
    assert "Too many registrations from here" in client.post(URL, good).content.decode()
    assert not Registration.objects.exists()


def test_invalid_submissions_of_the_one_person_form_count_too(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-ip": (2, 3600)}
    for _ in range(2):
        client.post("/en/register/", form_data(edition, email="not an address"))
    response = client.post("/en/register/", form_data(edition))
    assert "Too many registrations from here" in response.content.decode()


def test_each_member_counts_in_the_rate_limits(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-ip": (5, 3600)}
    data = {**form_data(edition), **member_rows(edition, strangers(5))}
    assert "Too many registrations from here" in client.post(URL, data).content.decode()
    assert not Registration.objects.exists()


def test_a_member_address_counts_in_its_own_rate_limit(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-email": (2, 3600)}
    target = member_rows(edition, [("A", "B", "target@example.org")])
    for number in range(2):
        data = {**form_data(edition, email=f"h{number}@example.org", form_token=form_token())}
        client.post(URL, {**data, **target})
    data = {**form_data(edition, email="h9@example.org", form_token=form_token())}
    response = client.post(URL, {**data, **target})
    assert "Too many registrations from here" in response.content.decode()


def test_the_form_lists_no_organisation_names(client, edition):
    services.find_or_create_organisation("Secret Authority of Nowhere", "other", "FR")
    Organisation.objects.create(name="Bot spam org", kind="other", country="FR")
    for url in ("/en/register/", URL):
        html = client.get(url).content.decode()
        assert "<datalist" not in html and "Secret Authority" not in html
        assert "Bot spam" not in html


# Nothing typed is lost: more rows, the other form, the other language -----------------------


def test_adding_member_rows_keeps_everything_typed(client, edition, settings):
    # Three people to register: the limit holds them only if showing rows counted nothing.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-ip": (3, 3600)}
    session = workshop(edition, capacity=10, title_en="Water workshop")
    data = {**form_data(edition, sessions=[session.pk], first_name="Юлія", diet="halal",
                        access_needs="Wheelchair", days=[edition.days[0].isoformat()])}  # fmt: skip
    data.update(member_rows(edition, [("Moussa", "Sarr", "moussa@example.sn"),
                                      ("Fatou", "", "not-yet")]))  # fmt: skip
    data["redisplay"] = "more_members"
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200 and not Registration.objects.exists()
    assert 'name="members-TOTAL_FORMS" value="5"' in html
    assert 'id="id_members-4-first_name"' in html and 'id="id_members-5-first_name"' not in html
    for typed in ['value="Юлія"', 'value="moussa@example.sn"', 'value="not-yet"',
                  "Wheelchair</textarea>", 'value="Ville de Thiès"']:  # fmt: skip
        assert typed in html, typed
    assert re.search(rf'value="{session.pk}"[^>]*checked', html)
    assert re.search(r'<option value="halal" selected', html)
    first_day, second_day = (day.isoformat() for day in edition.days)
    assert f'value="{first_day}" id="id_days_0" checked' in html
    assert f'value="{second_day}" id="id_days_1">' in html  # left unticked, stays so
    # Nothing is marked wrong (the person has not sent it), nothing counted against them.
    assert "error-summary" not in html and "field--error" not in html
    del data["redisplay"]
    # As the browser sends it: with the token tied to the cookie the page came with.
    data["form_token"] = form_token(client=client)
    data["members-1-last_name"], data["members-1-email"] = "Diop", "fatou@example.sn"
    data["members-TOTAL_FORMS"] = "5"
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Registration.objects.count() == 3


def test_rows_stop_at_the_most_members(client, edition, settings):
    settings.DELEGATION_MAX_MEMBERS = 4
    data = {**form_data(edition), **member_rows(edition, [], rows=3), "redisplay": "more_members"}
    html = client.post(URL, data).content.decode()
    assert 'name="members-TOTAL_FORMS" value="4"' in html
    assert "data-add-member" not in html


def test_switching_between_the_forms_keeps_what_was_typed(client, edition):
    data = form_data(edition, first_name="小明", last_name="王", redisplay="form")
    html = client.post(URL, data).content.decode()
    assert 'value="小明"' in html and 'value="王"' in html
    assert 'name="members-TOTAL_FORMS" value="3"' in html and "field--error" not in html
    html = client.post("/en/register/", data).content.decode()
    assert 'value="小明"' in html and "members-TOTAL_FORMS" not in html
    assert not Registration.objects.exists()


def test_the_language_switch_on_the_form_sends_it_with_what_was_typed(client, edition):
    html = client.get("/fr/register/").content.decode()
    assert 'formaction="/en/register/" formnovalidate name="redisplay" value="language"' in html
    assert 'href="/language/en/' not in html
    # Nor a "Register" button in the status bar, a link to the empty form.
    assert 'button--small" href="/fr/register/"' not in html
    data = form_data(edition, first_name="فاطمة", redisplay="language")
    response = client.post("/en/register/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Register</h1>" in html
    assert 'value="فاطمة"' in html and "field--error" not in html
    assert not Registration.objects.exists()
    html = client.get("/fr/editions/15/").content.decode()
    assert 'href="/language/en/' in html  # elsewhere, plain links


def test_a_member_asking_for_their_link_again_gets_their_own_confirmation(client, edition):
    head = delegation(edition, members=1)
    services.confirm_address(head)
    member = Registration.objects.exclude(pk=head.pk).get()
    OutgoingEmail.objects.all().delete()
    services.request_link(edition, member.email)
    email = OutgoingEmail.objects.get()
    assert email.template == "member_confirm_address" and email.recipient == member.email


def test_details_for_a_delegation_through_the_service_skip_registered_addresses(edition):
    registered(edition, email="taken@example.org")
    person = details(edition)
    members = [{**{k: person[k] for k in ("first_name", "last_name", "job_title", "category",
                                         "language")}, "email": "TAKEN@example.org"}]  # fmt: skip
    head, created = services.submit(edition, details(edition), members=members)
    assert created and head.delegation.members.count() == 1
