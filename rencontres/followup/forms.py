"""The survey forms: the organisers' editor (the survey, its questions) and the answer form a
present person fills in."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from rencontres.forms import FastSelect, SafeModelChoiceField, Textarea

from .models import Question, Survey, lines

Kind = Question.Kind
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RATING_CHOICES = [
    ("1", _("1 – very poor")),
    ("2", _("2 – poor")),
    ("3", _("3 – fair")),
    ("4", _("4 – good")),
    ("5", _("5 – very good")),
]
MOST_TEXT = 3000


class SurveyForm(forms.ModelForm):
    anonymous = forms.TypedChoiceField(
        label=_("Answers"),
        choices=[
            ("named", _("Named: each answer is kept with the person, for follow-up")),
            ("anonymous", _("Anonymous: nothing links an answer to the person")),
        ],
        coerce=lambda value: value == "anonymous",
        widget=forms.RadioSelect,
        help_text=_("Chosen before the survey opens: the form tells the people which it is."),
    )
    session = SafeModelChoiceField(
        label=_("About"),
        queryset=None,
        required=False,
        empty_label=_("The whole edition"),
        widget=FastSelect,
        help_text=_("A survey about one session is sent to the people who were at it."),
    )

    class Meta:
        model = Survey
        fields = [
            "session", "title_fr", "title_en", "introduction_fr", "introduction_en",
            "anonymous", "opens_at", "closes_at",
        ]  # fmt: skip
        widgets = {
            "introduction_fr": Textarea(attrs={"rows": 3}),
            "introduction_en": Textarea(attrs={"rows": 3}),
            "opens_at": MOMENT,
            "closes_at": MOMENT,
        }
        help_texts = {
            "opens_at": _("Paris time. When it opens, the present people get it by e-mail."),
            "closes_at": _("Paris time. Answers can be changed until then."),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["session"].queryset = edition.sessions.order_by("starts_at", "pk")
        if self.instance.pk:
            # What the people were told stays: the session, and once open, named or anonymous.
            self.fields["session"].disabled = True
            if self.instance.has_opened() or self.instance.participations.exists():
                self.fields["anonymous"].disabled = True
                self.fields["anonymous"].help_text = _(
                    "The survey is open: whether answers are named or anonymous no longer changes."
                )
        self.initial["anonymous"] = "anonymous" if self.instance.anonymous else "named"

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Choose a moment after the opening."))
        if not self.instance.pk:
            session = data.get("session")
            taken = Survey.objects.filter(edition=self.edition, session=session)
            if taken.exists():
                self.add_error(
                    "session",
                    _("This session has a survey already.")
                    if session
                    else _("The edition has a survey already: choose a session, or edit it."),
                )
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["position", "kind", "text_fr", "text_en", "choices_fr", "choices_en", "required"]
        widgets = {
            "kind": FastSelect,
            "choices_fr": Textarea(attrs={"rows": 3}),
            "choices_en": Textarea(attrs={"rows": 3}),
            "position": forms.NumberInput(attrs={"min": 0, "max": 999}),
        }
        help_texts = {
            "choices_fr": _("One per line, for a question with choices."),
            "choices_en": _("The same choices in the same order."),
        }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        french, english = lines(data.get("choices_fr")), lines(data.get("choices_en"))
        if kind in (Kind.CHOICE, Kind.CHOICES):
            if len(french) < 2 and len(english) < 2:
                self.add_error("choices_fr", _("Give at least two choices, one per line."))
            elif french and english and len(french) != len(english):
                self.add_error(
                    "choices_en",
                    _("Give as many choices as in French (%(count)s), in the same order.")
                    % {"count": len(french)},
                )
        elif kind and (french or english):
            self.add_error("kind", _("Only a question with choices lists choices."))
        return data


QuestionFormSet = inlineformset_factory(
    Survey,
    Question,
    form=QuestionForm,
    extra=2,
    can_delete=True,
    max_num=40,
    validate_max=True,
)


def field_name(question):
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question, in the active language."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            self.fields[field_name(question)] = answer_field(question)

    def values(self):
        """{question pk: cleaned value} for services.submit."""
        return {
            question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions
        }


def answer_field(question):
    common = {"label": question.text, "required": question.required}
    if question.kind == Kind.RATING:
        return forms.ChoiceField(choices=RATING_CHOICES, widget=forms.RadioSelect, **common)
    if question.kind == Kind.CHOICE:
        options = [(str(index), label) for index, label in question.options()]
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if question.kind == Kind.CHOICES:
        options = [(str(index), label) for index, label in question.options()]
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(
        max_length=MOST_TEXT, widget=Textarea(attrs={"rows": 4}), strip=True, **common
    )
