"""Feedback surveys: who is asked (the present people; for a session's survey, those who were
at it), the invitations (through the outbox, once per person), one answer per person (changed
until the survey closes), and the results organisers read.

An anonymous answer is written apart from the person (see models): the participation is
claimed in one transaction, the answers are written in another, with no key, time or order
that leads back to it."""

import hashlib
import secrets
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.mail.services import queue_email
from rencontres.onsite.certificates import present_people
from rencontres.onsite.models import CheckIn
from rencontres.registration.models import SessionChoice
from rencontres.registration.services.messages import absolute, mail_context

from .models import Answer, Participation, Question, Response, Survey

Kind = Question.Kind
RATINGS = (1, 2, 3, 4, 5)


class AlreadyAnswered(Exception):
    """An anonymous survey answered already, from another browser (or the first request of a
    double click): nothing leads to that answer, so it cannot be changed from here."""


class SurveyClosed(Exception):
    pass


# Who is asked ---------------------------------------------------------------------------------


def asked_people(survey):
    """The registrations a survey is for: the edition's present people (a check-in at least);
    for a session's survey, those of them scanned at its door or holding a confirmed place in
    it."""
    people = present_people(survey.edition)
    if survey.session_id:
        people = people.filter(
            Q(check_ins__session=survey.session_id)
            | Q(
                choices__session=survey.session_id,
                choices__status=SessionChoice.Status.CONFIRMED,
            )
        ).distinct()
    return people


def is_asked(survey, registration):
    return asked_people(survey).filter(pk=registration.pk).exists()


def surveys_for(registration, now=None):
    """[(survey, answered)] of the surveys a person may answer now or could answer (opened,
    whether or not closed since), the edition's first."""
    now = now or timezone.now()
    found = []
    surveys = Survey.objects.filter(edition=registration.edition_id, opens_at__lte=now)
    answered = set(
        Participation.objects.filter(
            registration=registration, survey__in=surveys, answered=True
        ).values_list("survey_id", flat=True)
    )
    for survey in surveys.select_related("session").order_by("session", "opens_at", "pk"):
        if is_asked(survey, registration):
            found.append((survey, survey.pk in answered))
    return found


def answer_link(survey, registration, language=None):
    language = language or registration.language
    with translation.override(language):
        return absolute(
            reverse(
                "followup:answer", args=[registration.public_id, registration.secret, survey.pk]
            )
        )


def ensure_participations(survey):
    """The participations of everyone the survey is for, written all at once in the list's
    order (by name), never one when a person opens or answers it: their order says nothing
    of who answered first."""
    Participation.objects.bulk_create(
        [Participation(survey=survey, registration=person) for person in asked_people(survey)],
        ignore_conflicts=True,
    )


def has_answered(survey, registration):
    return Participation.objects.filter(
        survey=survey, registration=registration, answered=True
    ).exists()


# Invitations ----------------------------------------------------------------------------------


def invite(survey, now=None):
    """E-mail the survey to each person asked who has not had it yet (while it is open).
    The participations are written first, all at once in the list's order (by name), then
    each is claimed with a conditional update in the transaction of its e-mail: a second run,
    or two at once, send each e-mail once. Returns how many were queued."""
    now = now or timezone.now()
    if not survey.is_open(now):
        return 0
    people = list(asked_people(survey))
    ensure_participations(survey)
    sent = 0
    for person in people:
        with transaction.atomic():
            claimed = Participation.objects.filter(
                survey=survey, registration=person, invited=False, answered=False
            ).update(invited=True)
            if not claimed:
                continue
            queue_email(
                person.email,
                "survey_invitation",
                invitation_context(survey, person),
                person.language,
                registration=person,
            )
        sent += 1
    if sent:
        Survey.objects.filter(pk=survey.pk).update(invited_at=now)
    return sent


def invitation_context(survey, person):
    language = person.language
    with translation.override(language):
        closes = timezone.localtime(survey.closes_at)
        return {
            **mail_context(person),
            "survey_title": getattr(survey, f"title_{language}") or survey.title_fr,
            "session_title": (
                getattr(survey.session, f"title_{language}") or survey.session.title_fr
            )
            if survey.session_id
            else "",
            "anonymous": survey.anonymous,
            "closes": f"{closes:%d/%m/%Y %H:%M}"
            if language == "fr"
            else f"{closes:%Y-%m-%d %H:%M}",
            "survey_link": answer_link(survey, person, language),
        }


def invite_due(now=None):
    """Invite to every open survey (the worker's task, every few minutes). Returns how many
    e-mails were queued."""
    now = now or timezone.now()
    surveys = Survey.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related(
        "edition", "session"
    )
    return sum(invite(survey, now) for survey in surveys)


# Answering ------------------------------------------------------------------------------------


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def own_response(survey, registration, edit_key=None):
    """The person's response: named, by their registration; anonymous, only by the edit key
    their browser holds."""
    if not survey.anonymous:
        return Response.objects.filter(survey=survey, registration=registration).first()
    if not edit_key:
        return None
    return Response.objects.filter(
        survey=survey, registration=None, edit_key_hash=key_hash(edit_key)
    ).first()


def previous_values(response):
    """{question pk: value} of a response, as the answer form takes them."""
    if response is None:
        return {}
    values = {}
    for answer in response.answers.select_related("question"):
        kind = answer.question.kind
        if kind == Kind.RATING:
            values[answer.question_id] = str(answer.rating) if answer.rating else ""
        elif kind == Kind.CHOICE:
            values[answer.question_id] = str(answer.choices[0]) if answer.choices else ""
        elif kind == Kind.CHOICES:
            values[answer.question_id] = [str(index) for index in answer.choices]
        else:
            values[answer.question_id] = answer.text
    return values


def changed(response, values):
    """Whether `values` say something else than the response holds."""

    def kept(found):
        return {
            pk: sorted(value) if isinstance(value, list) else value
            for pk, value in found.items()
            if value not in (None, "", [])
        }

    return kept(values) != kept(previous_values(response))


def write_answers(response, questions, values):
    """Replace the response's answers by `values` ({question pk: cleaned value}); an
    unanswered question has no row."""
    Answer.objects.filter(response=response).delete()
    rows = []
    for question in questions:
        value = values.get(question.pk)
        if value in (None, "", []):
            continue
        answer = Answer(response=response, question=question)
        if question.kind == Kind.RATING:
            answer.rating = int(value)
        elif question.kind == Kind.CHOICE:
            answer.choices = [int(value)]
        elif question.kind == Kind.CHOICES:
            answer.choices = sorted(int(index) for index in value)
        else:
            answer.text = value
        rows.append(answer)
    Answer.objects.bulk_create(rows)


def submit(survey, registration, values, edit_key=None, now=None):
    """Record the person's answers ({question pk: cleaned value}). Returns (response, new edit
    key or None). Named: one response per person, changed in place (a double click writes it
    twice, never two). Anonymous: the first answer claims the participation, then the answers
    are written apart; later changes need the edit key. Raises SurveyClosed, AlreadyAnswered."""
    now = now or timezone.now()
    if not survey.is_open(now):
        raise SurveyClosed
    questions = list(survey.questions.all())
    ensure_participations(survey)
    if not survey.anonymous:
        return submit_named(survey, registration, questions, values, now), None
    response = own_response(survey, registration, edit_key)
    if response is not None:
        if not changed(response, values):
            return response, None
        with transaction.atomic():
            write_answers(response, questions, values)
        return response, None
    with transaction.atomic():
        claimed = Participation.objects.filter(
            survey=survey, registration=registration, answered=False
        ).update(answered=True)
    if not claimed:
        raise AlreadyAnswered
    key = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, edit_key_hash=key_hash(key))
            write_answers(response, questions, values)
    except Exception:
        Participation.objects.filter(survey=survey, registration=registration).update(
            answered=False
        )
        raise
    return response, key


def submit_named(survey, registration, questions, values, now):
    for _attempt in range(2):
        try:
            with transaction.atomic():
                # The participation's row locked: two requests at once write one response.
                Participation.objects.filter(survey=survey, registration=registration).update(
                    answered=True
                )
                response = Response.objects.filter(survey=survey, registration=registration).first()
                if response is None:
                    response = Response.objects.create(
                        survey=survey, registration=registration, submitted_at=now, updated_at=now
                    )
                elif not changed(response, values):
                    return response  # sent again as it was: nothing to write
                else:
                    Response.objects.filter(pk=response.pk).update(updated_at=now)
                write_answers(response, questions, values)
                return response
        except IntegrityError:  # SQLite without the row lock: the other request made it
            continue
    raise AlreadyAnswered


# Results --------------------------------------------------------------------------------------


def answered_count(survey):
    return Participation.objects.filter(survey=survey, answered=True).count()


def results(survey):
    """[{question, kind, count, rows: [(label, count)], average, texts: [(text, person)]}] per
    question, in the survey's order. `person` is the registration for a named survey, None for
    an anonymous one."""
    questions = list(survey.questions.all())
    answers = list(
        Answer.objects.filter(response__survey=survey).select_related(
            "response__registration__organisation"
        )
    )
    by_question = {question.pk: [] for question in questions}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    found = []
    for question in questions:
        given = by_question[question.pk]
        entry = {"question": question, "kind": question.kind, "count": len(given),
                 "rows": [], "average": None, "texts": []}  # fmt: skip
        if question.kind == Kind.RATING:
            counts = Counter(answer.rating for answer in given)
            entry["rows"] = [(str(value), counts.get(value, 0)) for value in RATINGS]
            if given:
                entry["average"] = sum(answer.rating for answer in given) / len(given)
        elif question.has_choices:
            counts = Counter(index for answer in given for index in answer.choices)
            entry["rows"] = [(label, counts.get(index, 0)) for index, label in question.options()]
        else:
            entry["texts"] = [
                (answer.text, answer.response.registration if not survey.anonymous else None)
                for answer in sorted(given, key=lambda answer: str(answer.pk))
            ]
        found.append(entry)
    return found


def average_rating(survey):
    """The mean of the survey's rating answers (all its rating questions), or None."""
    ratings = list(
        Answer.objects.filter(
            response__survey=survey, question__kind=Kind.RATING, rating__isnull=False
        ).values_list("rating", flat=True)
    )
    return sum(ratings) / len(ratings) if ratings else None


def session_rows(edition):
    """[(survey, attendance, answered, average rating)] of the edition's session surveys:
    attendance is the people scanned at the session's door."""
    surveys = list(
        Survey.objects.filter(edition=edition, session__isnull=False)
        .select_related("session")
        .annotate(answered=Count("participations", filter=Q(participations__answered=True)))
        .order_by("session__starts_at", "pk")
    )
    present = dict(
        CheckIn.objects.filter(session__in=[survey.session_id for survey in surveys])
        .values("session")
        .annotate(people=Count("registration", distinct=True))
        .values_list("session", "people")
    )
    return [
        (survey, present.get(survey.session_id, 0), survey.answered, average_rating(survey))
        for survey in surveys
    ]
