"""The surveys a person may answer, for their private page (the registration app's template
loads this: its code imports nothing of the apps above it)."""

from django import template

from rencontres.followup import services

register = template.Library()


@register.simple_tag
def surveys_for(registration):
    """[(survey, answered)] of the person's surveys, opened (and closed since too)."""
    return services.surveys_for(registration)
