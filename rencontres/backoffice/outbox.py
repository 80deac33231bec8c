"""A failed e-mail sent again from a registration's page: to the address as it is now, and
with the person's links as they are now, never a private link replaced since."""

from rencontres.mail.services import render_email
from rencontres.mail.services import send_again as queue_again
from rencontres.networking.services import network_link
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN, is_erased
from rencontres.registration import services

from .mailings import message_for
from .models import Mailing

QUEUED, NOT_FAILED, OLD_LINK = "queued", "not_failed", "old_link"
TEXTS = ("subject", "body_text", "body_html")

# The links a message's context may hold that open the person's own pages, each made from
# their secret as it is now (a replaced link opens nothing; an address confirmation's link
# expires, and made again it lives as long as a new one).
LINKS = {
    "private_link": services.private_link,
    "confirmation_link": services.confirmation_link,
    "network_link": network_link,
    "agenda_link": lambda person: network_link(person, "networking:agenda"),
}


def context_now(person, email):
    """The message's context with the person's links as they are now; a mailing's message
    filled again from its mailing (its text holds the links, not its context)."""
    context = dict(email.context or {})
    mailing_pk = context.get("mailing") if email.template == "mailing" else None
    if mailing_pk is not None:
        mailing = Mailing.objects.filter(pk=mailing_pk, edition_id=person.edition_id).first()
        if mailing is not None:
            context["subject"], context["body"] = message_for(mailing, person)
    for key, make in LINKS.items():
        if key in context:
            context[key] = make(person)
    return context


def send_again(person, email):
    """QUEUED, NOT_FAILED (sent meanwhile, a second click, or an erased person, whose
    e-mails were stopped for good), or OLD_LINK: the message holds a link made with a secret
    replaced since, and nothing tells how to make it again (send the link again instead)."""
    if is_erased(person) or email.recipient.endswith(f"@{ERASED_EMAIL_DOMAIN}"):
        return NOT_FAILED
    context = context_now(person, email)
    content = {"subject": email.subject, "body_text": email.body_text, "body_html": email.body_html}
    if context != email.context:
        subject, text, html = render_email(email.template, context, email.language)
        content = {"context": context, "subject": subject, "body_text": text, "body_html": html}
    if services.carries_an_old_link(person, *(content[key] for key in TEXTS)):
        return OLD_LINK
    return QUEUED if queue_again(email, person.email, **content) else NOT_FAILED
