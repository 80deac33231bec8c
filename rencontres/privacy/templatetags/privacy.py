"""{% privacy_information form "registration" %}: the information given where personal data
are collected, from the same settings as the privacy notice page."""

from django import template

from ..notice import FORM_PURPOSES, notice, required_fields

register = template.Library()


@register.inclusion_tag("privacy/_at_collection.html")
def privacy_information(form, purposes):
    required, optional = required_fields(form) if form is not None else ([], [])
    return {
        "notice": notice(FORM_PURPOSES[purposes]),
        "required": required,
        "optional": optional,
    }
