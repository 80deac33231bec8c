"""Surveys: the answer page a present person opens from their private link (or the e-mail),
and the organisers' pages (the list with the sessions' ratings beside their attendance, the
editor, the results with their charts and tables, the export)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rencontres import audit
from rencontres.backoffice import exports
from rencontres.backoffice.dashboard import bars
from rencontres.forms import with_errors
from rencontres.registration.views import registration_or_404
from rencontres.roles import SURVEYS, edition_page

from . import services
from .forms import AnswerForm, QuestionFormSet, SurveyForm, field_name
from .models import Question, Survey

organiser_page = edition_page(SURVEYS)


# The person's answer --------------------------------------------------------------------------


def edit_key_cookie(survey, registration):
    """The cookie holding a person's edit key: named for the survey and the person (a keyed
    hash of their id, which only the server can make), so that two people answering from one
    browser (a kiosk, a shared computer) each keep their own."""
    from django.utils.crypto import salted_hmac

    mark = salted_hmac("rencontres.followup.edit-key", str(registration.public_id),
                       algorithm="sha256").hexdigest()[:16]  # fmt: skip
    return f"survey-{survey.pk}-{mark}"


@never_cache
def answer(request, public_id, secret, pk):
    """The survey in the page's language, for a person it is for (others: 404). Named: their
    answer, changed until it closes. Anonymous: the answer is kept apart from them; the
    browser that sent it holds the key to change it."""
    registration = registration_or_404(request, public_id, secret)
    survey = get_object_or_404(
        Survey.objects.select_related("session", "edition"),
        pk=pk,
        edition=registration.edition_id,
        opens_at__lte=timezone.now(),
    )
    if not services.is_asked(survey, registration):
        raise Http404
    key = request.COOKIES.get(edit_key_cookie(survey, registration))
    response = services.own_response(survey, registration, key)
    answered = services.has_answered(survey, registration)
    previous = services.previous_values(response)
    open_now = survey.is_open()
    # An anonymous answer sent from another browser cannot be shown, nor changed from here.
    locked = survey.anonymous and answered and response is None
    form = AnswerForm(
        request.POST if request.method == "POST" and open_now and not locked else None,
        survey=survey,
        initial={
            field_name(question): previous.get(question.pk) for question in survey.questions.all()
        },
    )
    if form.is_bound and form.is_valid():
        try:
            _saved, new_key = services.submit(survey, registration, form.values(), edit_key=key)
        except services.SurveyClosed:
            messages.error(request, _("This survey is closed: your answers could not be saved."))
            return redirect(request.path)
        except services.AlreadyAnswered:
            messages.info(request, _("Your answers were saved already. Thank you."))
            return redirect(request.path)
        messages.success(request, _("Thank you: your answers are saved."))
        done = redirect(request.path)
        if new_key:
            done.set_cookie(
                edit_key_cookie(survey, registration),
                new_key,
                expires=survey.closes_at,
                path="/",  # the same page in both languages (/fr/…, /en/…)
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return done
    return render(
        request,
        "followup/answer.html",
        {
            "survey": survey,
            "registration": registration,
            "edition": registration.edition,
            "form": form,
            "error_forms": with_errors(form),
            "answered": answered,
            "open": open_now,
            "locked": locked,
            "cancel_url": redirect(
                "registration:private", registration.public_id, registration.secret
            ).url,
        },
    )


# For organisers -------------------------------------------------------------------------------


@organiser_page
def surveys(request, edition):
    found = list(Survey.objects.filter(edition=edition).select_related("session"))
    counts = {survey.pk: services.answered_count(survey) for survey in found}
    rows = services.session_rows(edition)
    return render(
        request,
        "followup/surveys.html",
        {
            "edition": edition,
            "surveys": [(survey, counts[survey.pk]) for survey in found],
            "sessions": rows,
            "chart": bars(
                [(row[0].session.title, round(row[3], 1)) for row in rows if row[3] is not None],
                limit=20,
            ),
        },
    )


@organiser_page
def survey_edit(request, edition, pk=None):
    survey = get_object_or_404(Survey, pk=pk, edition=edition) if pk else Survey(edition=edition)
    answers = services.answered_count(survey) if survey.pk else 0
    # Once someone answered, the questions stay as they were asked.
    questions_locked = answers > 0
    data = request.POST if request.method == "POST" else None
    form = SurveyForm(data, instance=survey, edition=edition)
    formset = None if questions_locked else QuestionFormSet(data, instance=survey, prefix="q")
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        creating = survey.pk is None
        changed = form.changed_data + (
            ["questions"] if formset is not None and formset.has_changed() else []
        )
        with transaction.atomic():
            survey = form.save()
            if formset is not None:
                formset.instance = survey
                formset.save()
        if creating:
            audit.log(request, edition, "survey_created", survey=survey.pk)
        elif changed:
            audit.log(request, edition, "survey_changed", survey=survey.pk, fields=changed)
        messages.success(request, _("The survey is saved."))
        return redirect("followup:survey_edit", edition.number, survey.pk)
    forms_with_errors = with_errors(form, *(formset.forms if formset is not None else []))
    return render(
        request,
        "followup/survey_form.html",
        {
            "edition": edition,
            "survey": survey if survey.pk else None,
            "form": form,
            "formset": formset,
            "formset_errors": formset.non_form_errors() if formset is not None else [],
            "error_forms": forms_with_errors,
            "answers": answers,
            "questions": list(survey.questions.all()) if questions_locked else [],
        },
    )


@organiser_page
def survey_results(request, edition, pk):
    survey = get_object_or_404(Survey.objects.select_related("session"), pk=pk, edition=edition)
    found = services.results(survey)
    for entry in found:
        entry["chart"] = bars(entry["rows"], limit=40, ranked=False) if entry["rows"] else []
    asked = survey.participations.count()
    return render(
        request,
        "followup/survey_results.html",
        {
            "edition": edition,
            "survey": survey,
            "results": found,
            "answered": services.answered_count(survey),
            "asked": asked,
        },
    )


@organiser_page
def survey_xlsx(request, edition, pk):
    """One row per response, one column per question; named surveys with the person."""
    survey = get_object_or_404(Survey, pk=pk, edition=edition)
    questions = list(survey.questions.all())
    T, D = exports.TEXT, exports.DATE
    header = []
    if not survey.anonymous:
        header += [(_("Name"), T), (_("Organisation"), T), (_("E-mail"), T), (_("Sent at"), D)]
    header += [(question.text, T) for question in questions]
    options = {question.pk: dict(question.options()) for question in questions}
    body = []
    responses = survey.responses.select_related("registration__organisation").prefetch_related(
        "answers"
    )
    for response in responses.order_by("id"):
        given = {answer.question_id: answer for answer in response.answers.all()}
        line = []
        if not survey.anonymous:
            person = response.registration
            line += [
                exports.guard(person.full_name) if person else "",
                exports.guard(person.organisation.name) if person else "",
                exports.guard(person.email) if person else "",
                timezone.localtime(response.updated_at or response.submitted_at).replace(
                    tzinfo=None
                )
                if response.submitted_at
                else None,
            ]
        for question in questions:
            answer = given.get(question.pk)
            line.append(exports.guard(answer_text(question, answer, options)) if answer else "")
        body.append(line)
    audit.log(request, edition, "survey_exported", survey=survey.pk, rows=len(body))
    return exports.xlsx_download(
        exports.workbook(_("Answers"), header, body), f"survey-{edition.number}-{survey.pk}"
    )


def answer_text(question, answer, options):
    if question.kind == Question.Kind.RATING:
        return str(answer.rating or "")
    if question.has_choices:
        return ", ".join(options[question.pk].get(index, "?") for index in answer.choices)
    return answer.text
