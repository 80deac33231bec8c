"""What the networking services share: the error people see, links and e-mails."""

from django.urls import reverse
from django.utils import translation

from rencontres.mail.services import queue_email
from rencontres.registration.services import private_link
from rencontres.registration.services.messages import absolute, mail_context


class NetworkingError(Exception):
    """An action the rules refuse; the message is for the person who tried."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def network_link(registration, name="networking:home"):
    with translation.override(registration.language):
        return absolute(reverse(name, args=[registration.public_id, registration.secret]))


def person_summary(registration):
    """How a person is named to another in e-mails: name, job, organisation, country."""
    organisation = registration.organisation
    return (
        f"{registration.full_name} – {registration.job_title}, {organisation.name} "
        f"({organisation.country.code})"
    )


def notify(registration, template, **extra):
    context = {
        **mail_context(registration),
        "network_link": network_link(registration),
        "agenda_link": network_link(registration, "networking:agenda"),
        **extra,
    }
    return queue_email(
        registration.email, template, context, registration.language, registration=registration
    )


__all__ = ["NetworkingError", "network_link", "notify", "person_summary", "private_link"]
