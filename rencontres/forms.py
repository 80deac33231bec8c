"""Form rendering (our field template) and form fields that refuse impossible input."""

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"


class SafeModelMultipleChoiceField(ModelMultipleChoiceField):
    """Refuses ids the database cannot even compare (a 30-digit number overflows SQLite)."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or len(str(pk)) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super()._check_values(value)


class SafeModelChoiceField(ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and (not str(value).isdigit() or len(str(value)) > 18):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice",
                params={"value": value},
            )  # fmt: skip
        return super().to_python(value)
