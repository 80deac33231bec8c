"""Feedback surveys: for the present people only (a session's, for those who were at it), sent
once by e-mail when they open, one answer per person under a double submit, changed until
they close, anonymous answers that nothing in the database ties to a person, and the
organisers' editor, results and export."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rencontres.audit import AuditEntry
from rencontres.backoffice.tests.factories import member
from rencontres.followup import services
from rencontres.followup.models import Answer, Participation, Response, Survey
from rencontres.followup.tasks import invite_to_surveys
from rencontres.mail.models import OutgoingEmail
from rencontres.onsite.models import CheckIn
from rencontres.registration.tests.factories import open_edition, registered, workshop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NOW = timezone.now()


@pytest.fixture
def edition():
    return open_edition()


def came(person, session=None):
    return CheckIn.objects.create(
        registration=person, day=person.edition.starts_on, session=session, door="A"
    )


def survey_of(edition, anonymous=False, session=None, opens=-1, closes=24, **fields):
    survey = Survey.objects.create(
        edition=edition, session=session, anonymous=anonymous,
        title_fr=fields.pop("title_fr", "Votre avis"),
        title_en=fields.pop("title_en", "Your opinion"),
        opens_at=NOW + datetime.timedelta(hours=opens),
        closes_at=NOW + datetime.timedelta(hours=closes), **fields,
    )  # fmt: skip
    survey.questions.create(position=1, kind="rating", text_fr="Note globale",
                            text_en="Overall rating", required=True)  # fmt: skip
    survey.questions.create(position=2, kind="choice", text_fr="Durée", text_en="Length",
                            choices_fr="Trop courte\nBien\nTrop longue",
                            choices_en="Too short\nRight\nToo long")  # fmt: skip
    survey.questions.create(position=3, kind="choices", text_fr="Formats utiles",
                            text_en="Useful formats", choices_fr="Ateliers\nPlénières\nRendez-vous",
                            choices_en="Workshops\nPlenaries\nMeetings")  # fmt: skip
    survey.questions.create(position=4, kind="text", text_fr="Remarques", text_en="Remarks")
    return survey


def answers(survey, rating="4", length="1", formats=("0", "2"), text="Very useful."):
    rating_q, length_q, formats_q, text_q = survey.questions.all()
    return {
        f"q{rating_q.pk}": rating,
        f"q{length_q.pk}": length,
        f"q{formats_q.pk}": list(formats),
        f"q{text_q.pk}": text,
    }


def answer_url(survey, person):
    return reverse("followup:answer", args=[person.public_id, person.secret, survey.pk])


def private_url(person):
    return reverse("registration:private", args=[person.public_id, person.secret])


# Who is asked ---------------------------------------------------------------------------------


def test_only_present_people_are_asked_and_see_the_survey(client, edition):
    survey = survey_of(edition)
    present = registered(edition, first_name="Awa", last_name="Diallo")
    absent = registered(edition, first_name="Bao", last_name="Nguyen")
    came(present)
    assert list(services.asked_people(survey)) == [present]
    page = client.get(private_url(present))
    assert answer_url(survey, present).encode() in page.content
    assert b"Your opinion" in page.content
    assert client.get(answer_url(survey, present)).status_code == 200
    page = client.get(private_url(absent))
    assert answer_url(survey, absent).encode() not in page.content
    assert client.get(answer_url(survey, absent)).status_code == 404
    assert client.post(answer_url(survey, absent), answers(survey)).status_code == 404
    assert not Response.objects.exists()


def test_a_session_survey_asks_those_who_were_at_it(edition):
    water = workshop(edition, title_en="Water", checks_entry=True)
    scanned = registered(edition, last_name="Scanned")
    placed = registered(edition, last_name="Placed", sessions=[water])
    elsewhere = registered(edition, last_name="Elsewhere")
    for person in (scanned, placed, elsewhere):
        came(person)
    came(scanned, water)
    survey = survey_of(edition, session=water)
    assert set(services.asked_people(survey)) == {scanned, placed}


def test_a_survey_not_open_yet_is_not_shown(client, edition):
    person = registered(edition)
    came(person)
    survey = survey_of(edition, opens=2)
    assert client.get(answer_url(survey, person)).status_code == 404
    assert services.invite(survey) == 0


# Invitations ----------------------------------------------------------------------------------


def test_the_invitation_goes_once_to_each_present_person_when_the_survey_opens(edition):
    awa = registered(edition, first_name="Awa", last_name="Diallo", language="fr")
    bao = registered(edition, first_name="Bao", last_name="Nguyen", language="en")
    registered(edition, first_name="Absent", last_name="Person")
    came(awa), came(bao)
    survey = survey_of(edition, anonymous=True, opens=1, closes=48)
    # A frozen clock: before the opening, nothing; at it, one e-mail each; again, nothing.
    assert services.invite_due(NOW) == 0
    assert services.invite_due(NOW + datetime.timedelta(hours=1)) == 2
    assert services.invite_due(NOW + datetime.timedelta(hours=2)) == 0
    mails = {
        mail.recipient: mail for mail in OutgoingEmail.objects.filter(template="survey_invitation")
    }
    assert set(mails) == {awa.email, bao.email}
    assert "Votre avis" in mails[awa.email].subject
    assert "anonyme" in mails[awa.email].body_text
    assert "anonymous" in mails[bao.email].body_text
    assert answer_url(survey, bao) in mails[bao.email].body_text
    # Someone checked in late (by hand) gets it at the next run; after the closing, nobody.
    late = registered(edition, first_name="Late", last_name="Comer")
    came(late)
    assert services.invite_due(NOW + datetime.timedelta(hours=3)) == 1
    other = registered(edition, first_name="Later", last_name="Still")
    came(other)
    assert services.invite_due(NOW + datetime.timedelta(hours=49)) == 0


def test_the_worker_task_sends_the_invitations_and_queues_its_next_run(edition, settings):
    person = registered(edition)
    came(person)
    survey_of(edition)
    result = invite_to_surveys.call()
    assert result == {"sent": 1}
    assert (
        OutgoingEmail.objects.filter(template="survey_invitation", recipient=person.email).count()
        == 1
    )


# Answering ------------------------------------------------------------------------------------


def test_a_named_answer_is_kept_with_the_person_and_changed_until_the_survey_closes(
    client, edition
):
    person = registered(edition, first_name="Awa", last_name="Diallo")
    came(person)
    survey = survey_of(edition)
    page = client.get(answer_url(survey, person))
    assert b"not anonymous" in page.content
    response = client.post(answer_url(survey, person), answers(survey))
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.registration == person and saved.submitted_at
    assert Participation.objects.get(survey=survey, registration=person).answered
    page = client.get(answer_url(survey, person))
    assert b"Thank you: your answers are saved." in page.content
    assert b"Very useful." in page.content  # shown again, to change
    client.post(answer_url(survey, person), answers(survey, rating="2", text="Too long."))
    assert Response.objects.count() == 1
    texts = set(Answer.objects.values_list("text", flat=True))
    assert "Too long." in texts and "Very useful." not in texts
    # Closed: the answers are shown no more as a form, and a late POST changes nothing.
    Survey.objects.filter(pk=survey.pk).update(closes_at=NOW - datetime.timedelta(minutes=1))
    page = client.get(answer_url(survey, person))
    assert b"This survey closed" in page.content and b"<textarea" not in page.content
    client.post(answer_url(survey, person), answers(survey, rating="5", text="Changed late."))
    assert not Answer.objects.filter(text="Changed late.").exists()


def test_a_double_submit_writes_one_named_answer(edition):
    person = registered(edition)
    came(person)
    survey = survey_of(edition)
    first, second = Client(), Client()
    for browser in (first, second):  # two tabs, or a double click: the same answer twice
        assert browser.post(answer_url(survey, person), answers(survey)).status_code == 302
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 4


def test_an_answer_missing_a_required_question_is_refused_next_to_it_and_kept(client, edition):
    person = registered(edition)
    came(person)
    survey = survey_of(edition)
    data = answers(survey, rating="", text="Kept text")
    page = client.post(answer_url(survey, person), data)
    assert page.status_code == 200
    assert b"This field is required." in page.content
    assert b"Kept text" in page.content
    data = answers(survey, rating="9", length="7", formats=("0", "x"))
    page = client.post(answer_url(survey, person), data)
    assert page.status_code == 200 and b"Select a valid choice" in page.content
    assert not Response.objects.exists()


def test_the_form_is_in_the_page_language(client, edition):
    person = registered(edition)
    came(person)
    survey = survey_of(edition)
    in_english = answer_url(survey, person)
    page = client.get(in_english.replace("/en/", "/fr/"))
    assert b"Note globale" in page.content and "Plénières".encode() in page.content
    page = client.get(in_english)
    assert b"Overall rating" in page.content and b"Plenaries" in page.content


# Anonymity ------------------------------------------------------------------------------------


def person_values(person):
    """What names a person (their key is checked column by column: small numbers are in every
    row)."""
    return {str(person.public_id), person.secret, person.email, person.first_name,
            person.last_name}  # fmt: skip


def row_values(model):
    return [
        {str(value) for value in row if value not in (None, "")}
        for row in model.objects.values_list()
    ]


def test_an_anonymous_answer_cannot_be_linked_to_the_person_in_the_database(edition):
    """Three people answer in the reverse order of the list: nothing in the response and answer
    rows names any of them, no time is kept, the keys are random, and the participations (who
    answered) were written at the invitation, in the list's order."""
    people = [
        registered(edition, first_name=name, last_name="Zed") for name in ("Ann", "Ben", "Cy")
    ]
    for person in people:
        came(person)
    survey = survey_of(edition, anonymous=True)
    services.invite(survey)
    invited_order = list(
        Participation.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("registration", flat=True)
    )
    assert invited_order == [person.pk for person in people]
    browsers = {}
    for index, person in enumerate(reversed(people)):
        browser = browsers[person.pk] = Client()
        browser.post(answer_url(survey, person), answers(survey, text=f"Remark {index}"))
    assert Response.objects.count() == 3 and Answer.objects.count() == 12
    for response in Response.objects.all():
        assert response.registration_id is None
        assert response.submitted_at is None and response.updated_at is None
    identifiers = set().union(*(person_values(person) for person in people))
    for values in row_values(Response) + row_values(Answer):
        assert not values & identifiers
    participation_fields = {field.name for field in Participation._meta.concrete_fields}
    assert participation_fields == {"id", "survey", "registration", "invited", "answered"}
    # The participations' order is still the invitation's, whatever the answers' order was.
    assert (
        list(
            Participation.objects.filter(survey=survey)
            .order_by("pk")
            .values_list("registration", flat=True)
        )
        == invited_order
    )
    assert Participation.objects.filter(survey=survey, answered=True).count() == 3
    # No column of the whole database holds a response's id beside a person: only the
    # browser's cookie leads to it, as a hash.
    for response in Response.objects.all():
        assert len(response.edit_key_hash) == 64
    # The results and the export name nobody.
    result = services.results(survey)
    assert all(person is None for _text, person in result[3]["texts"])


def test_people_who_answer_before_the_invitations_leave_no_order_behind(client, edition):
    """Cy, Ben and Ann answer (in that order) before any invitation went out: the
    participations were written all at once, by name, when the first of them answered."""
    people = [
        registered(edition, first_name=name, last_name="Zed") for name in ("Ann", "Ben", "Cy")
    ]
    for person in people:
        came(person)
    survey = survey_of(edition, anonymous=True)
    assert client.get(answer_url(survey, people[2])).status_code == 200
    assert not Participation.objects.exists()  # opening the page writes nothing
    for person in reversed(people):
        Client().post(answer_url(survey, person), answers(survey))
    order = Participation.objects.order_by("pk").values_list("registration", flat=True)
    assert list(order) == [person.pk for person in people]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's transaction ids")
def test_on_postgresql_the_answer_is_not_written_in_the_participations_transaction(edition):
    person = registered(edition)
    came(person)
    survey = survey_of(edition, anonymous=True)
    Client().post(answer_url(survey, person), answers(survey))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text FROM followup_participation WHERE registration_id = %s", [person.pk]
        )
        (participation_xid,) = cursor.fetchone()
        cursor.execute("SELECT DISTINCT xmin::text FROM followup_response")
        response_xids = {row[0] for row in cursor.fetchall()}
    assert participation_xid not in response_xids


def test_an_anonymous_answer_is_changed_from_the_same_browser_only_and_never_twice(edition):
    person = registered(edition)
    came(person)
    survey = survey_of(edition, anonymous=True)
    phone, laptop = Client(), Client()
    page = phone.get(answer_url(survey, person))
    assert b"This survey is anonymous" in page.content
    phone.post(answer_url(survey, person), answers(survey, text="First"))
    page = phone.get(answer_url(survey, person))
    assert b"First" in page.content  # the phone holds the key: the answer is shown again
    phone.post(answer_url(survey, person), answers(survey, text="Second"))
    assert Response.objects.count() == 1
    assert Answer.objects.filter(text="Second").exists()
    # Another browser (or the second request of a double click) cannot add another answer.
    page = laptop.get(answer_url(survey, person))
    assert b"You have answered this survey." in page.content and b"Second" not in page.content
    laptop.post(answer_url(survey, person), answers(survey, text="Third"))
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(text="Third").exists()
    with pytest.raises(services.AlreadyAnswered):
        services.submit(survey, person, {})


# For organisers -------------------------------------------------------------------------------


@pytest.fixture
def organiser_client(edition):
    browser = Client()
    browser.force_login(member(edition, "organiser"))
    return browser


def editor_data(**fields):
    data = {
        "title_fr": "Votre avis", "title_en": "Your opinion", "introduction_fr": "",
        "introduction_en": "", "anonymous": "anonymous", "opens_at": "2030-11-06T17:00",
        "closes_at": "2030-11-20T17:00",
        "q-TOTAL_FORMS": "2", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "40",
        "q-0-position": "1", "q-0-kind": "rating", "q-0-text_fr": "Note", "q-0-text_en": "Rating",
        "q-0-required": "on",
        "q-1-position": "2", "q-1-kind": "choice", "q-1-text_fr": "Durée",
        "q-1-text_en": "Length", "q-1-choices_fr": "Courte\nLongue",
        "q-1-choices_en": "Short\nLong",
    }  # fmt: skip
    data.update(fields)
    return data


def test_an_organiser_writes_a_survey_with_its_questions(organiser_client, edition):
    url = reverse("followup:survey_new", args=[edition.number])
    page = organiser_client.get(url)
    assert page.status_code == 200
    response = organiser_client.post(url, editor_data())
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.anonymous and survey.session is None
    assert timezone.localtime(survey.opens_at).hour == 17  # Paris time
    assert [q.kind for q in survey.questions.all()] == ["rating", "choice"]
    assert survey.questions.last().options("fr") == [(0, "Courte"), (1, "Longue")]
    assert AuditEntry.objects.filter(action="survey_created").exists()
    # A second survey of the whole edition is refused next to the field, not a 500.
    page = organiser_client.post(url, editor_data())
    assert page.status_code == 200
    assert b"The edition has a survey already" in page.content


def test_the_editor_refuses_bad_questions_and_dates_and_keeps_what_was_typed(
    organiser_client, edition
):
    url = reverse("followup:survey_new", args=[edition.number])
    data = editor_data(**{"closes_at": "2030-11-01T17:00", "q-1-choices_fr": "Seule",
                          "q-1-choices_en": "", "q-0-text_fr": "Note gardée"})  # fmt: skip
    page = organiser_client.post(url, data)
    assert page.status_code == 200
    assert b"Choose a moment after the opening." in page.content
    assert b"Give at least two choices" in page.content
    assert "Note gardée".encode() in page.content
    data = editor_data(**{"q-1-choices_en": "Short\nLong\nVery long"})
    page = organiser_client.post(url, data)
    assert b"Give as many choices as in French (2)" in page.content
    page = organiser_client.post(url, editor_data(opens_at="not a date"))
    assert page.status_code == 200 and b"Enter a valid date/time." in page.content
    assert not Survey.objects.exists()


def test_once_open_the_kind_stays_and_once_answered_the_questions_stay(organiser_client, edition):
    person = registered(edition)
    came(person)
    survey = survey_of(edition, anonymous=False)
    url = reverse("followup:survey_edit", args=[edition.number, survey.pk])
    page = organiser_client.get(url)
    assert b"whether answers are named or anonymous no longer changes" in page.content
    Client().post(answer_url(survey, person), answers(survey))
    page = organiser_client.get(url)
    assert b"1 person has answered: the questions stay as they were asked." in page.content
    data = {
        "title_fr": "Votre avis", "title_en": "Your opinion", "anonymous": "anonymous",
        "opens_at": timezone.localtime(survey.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": "2031-01-01T12:00",
    }  # fmt: skip
    assert organiser_client.post(url, data).status_code == 302
    survey.refresh_from_db()
    assert not survey.anonymous  # the people were told it was named
    assert timezone.localtime(survey.closes_at).year == 2031
    assert survey.questions.count() == 4


def test_the_results_count_each_answer_with_charts_tables_and_texts(organiser_client, edition):
    people = [registered(edition, first_name=f"P{n}", last_name="Doe") for n in range(3)]
    for person in people:
        came(person)
    survey = survey_of(edition)
    for person, (rating, text) in zip(
        people, [("5", "Great"), ("4", ""), ("3", "Too long")], strict=True
    ):
        values = [rating, "1", ["0", "2"], text]
        questions = survey.questions.all()
        services.submit(survey, person, dict(zip([q.pk for q in questions], values, strict=True)))
    found = services.results(survey)
    assert found[0]["rows"] == [("1", 0), ("2", 0), ("3", 1), ("4", 1), ("5", 1)]
    assert found[0]["average"] == 4
    assert found[1]["rows"] == [("Too short", 0), ("Right", 3), ("Too long", 0)]
    assert found[2]["rows"] == [("Workshops", 3), ("Plenaries", 0), ("Meetings", 3)]
    assert {text for text, _person in found[3]["texts"]} == {"Great", "Too long"}
    page = organiser_client.get(
        reverse("followup:survey_results", args=[edition.number, survey.pk])
    )
    content = page.content.decode()
    assert "average 4.0 out of 5" in content
    assert 'class="bar-chart"' in content and "<table" in content
    assert "P0 Doe" in content  # named: the person beside their text
    export = organiser_client.get(reverse("followup:survey_xlsx", args=[edition.number, survey.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Name", "Organisation", "E-mail")
    assert len(rows) == 4
    assert {row[0] for row in rows[1:]} == {"P0 Doe", "P1 Doe", "P2 Doe"}
    assert any(row[-3:] == ("Right", "Workshops, Meetings", "Great") for row in rows[1:])
    assert AuditEntry.objects.filter(action="survey_exported").exists()


def test_an_anonymous_export_names_nobody(organiser_client, edition):
    person = registered(edition, first_name="Hidden", last_name="Person")
    came(person)
    survey = survey_of(edition, anonymous=True)
    Client().post(answer_url(survey, person), answers(survey, text="Secret remark"))
    export = organiser_client.get(reverse("followup:survey_xlsx", args=[edition.number, survey.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][0] == "Overall rating"
    assert "Hidden" not in repr(rows) and person.email not in repr(rows)
    page = organiser_client.get(
        reverse("followup:survey_results", args=[edition.number, survey.pk])
    )
    assert b"Secret remark" in page.content and b"Hidden Person" not in page.content


def test_the_sessions_ratings_sit_beside_their_attendance(organiser_client, edition):
    water = workshop(edition, title_en="Water workshop", checks_entry=True)
    people = [registered(edition, last_name=f"P{n}") for n in range(3)]
    for person in people:
        came(person)
        came(person, water)
    survey = survey_of(edition, session=water)
    rating = survey.questions.first()
    services.submit(survey, people[0], {rating.pk: "5"})
    services.submit(survey, people[1], {rating.pk: "4"})
    rows = services.session_rows(edition)
    assert [(row[0], row[1], row[2], row[3]) for row in rows] == [(survey, 3, 2, 4.5)]
    page = organiser_client.get(reverse("followup:surveys", args=[edition.number]))
    assert b"Water workshop" in page.content and b"4.5" in page.content


def test_the_erasure_takes_the_texts_of_a_named_answer(edition):
    from rencontres.privacy.services.erasure import erase_registrations

    person = registered(edition)
    came(person)
    survey = survey_of(edition)
    services.submit(
        survey,
        person,
        {q.pk: v for q, v in zip(survey.questions.all(), ["5", "", [], "Mine"], strict=True)},
    )
    erase_registrations(type(person).objects.filter(pk=person.pk))
    assert not Answer.objects.filter(text="Mine").exists()
    assert Answer.objects.filter(rating=5).exists()  # the figure stays
