"""The privacy information, built from settings.PRIVACY: the same facts on every form that
collects personal data (a short first layer) and on the privacy notice page (all of it)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# The purposes each form serves (codes of settings.PRIVACY["PURPOSES"]).
FORM_PURPOSES = {
    "registration": [
        "registration",
        "invoicing",
        "needs",
        "invitation",
        "directory",
        "photos",
        "next_editions",
        "statistics",
    ],
    "payer": ["invoicing"],
    "door": ["registration", "statistics"],
    "profile": ["directory"],
    "letter": ["invitation"],
}


@dataclass
class Notice:
    controller_name: str
    controller_address: str
    controller_email: str
    dpo_email: str
    purposes: list
    recipients: str
    transfers: str
    retention: list
    authority_name: str
    authority_address: str
    authority_url: str
    version: str


def retention_periods():
    months = settings.PERSONAL_DATA_RETENTION_MONTHS
    days = settings.SENSITIVE_DATA_RETENTION_DAYS
    hours = settings.REGISTRATION_CONFIRMATION_HOURS
    return [
        ngettext(
            "A registration whose e-mail address is never confirmed: deleted, with everything "
            "it holds, the day after its confirmation link expires (%(hours)s hour after it "
            "was sent).",
            "A registration whose e-mail address is never confirmed: deleted, with everything "
            "it holds, the day after its confirmation link expires (%(hours)s hours after it "
            "was sent).",
            hours,
        )
        % {"hours": hours},
        ngettext(
            "Access needs, diet and what the invitation letter needs (name as in the passport, "
            "passport number, nationality, date of birth): erased %(days)s day after the "
            "edition.",
            "Access needs, diet and what the invitation letter needs (name as in the passport, "
            "passport number, nationality, date of birth): erased %(days)s days after the "
            "edition.",
            days,
        )
        % {"days": days},
        ngettext(
            "Everything else that identifies you: erased %(months)s month after the edition "
            "(the date of each edition is on its page in the archive), or earlier at your "
            "request.",
            "Everything else that identifies you: erased %(months)s months after the edition "
            "(the date of each edition is on its page in the archive), or earlier at your "
            "request.",
            months,
        )
        % {"months": months},
        _("Invoices, credit notes and the payments received on them (the payer's name, "
          "address, SIRET or VAT number, the names of the participants they bill, and the "
          "bank transfers' labels): kept ten years after the end of the year they were issued "
          "in, as French commercial law requires (Code de commerce, article L123-22), then "
          "deleted; your erasure leaves them as they are."),
        _("Statistics that identify nobody (counts by category, country, kind of organisation "
          "and attendance) are kept."),
    ]  # fmt: skip


def notice(purposes=None):
    """The privacy information; `purposes`: the codes a form serves (None: all)."""
    config = settings.PRIVACY
    chosen = [
        {"short": purpose["purpose"], **purpose}  # a setting without the short wording
        for purpose in config["PURPOSES"]
        if purposes is None or purpose["code"] in purposes
    ]
    return Notice(
        controller_name=config["CONTROLLER_NAME"],
        controller_address=config["CONTROLLER_ADDRESS"],
        controller_email=config["CONTROLLER_EMAIL"],
        dpo_email=config["DPO_EMAIL"],
        purposes=chosen,
        recipients=config["RECIPIENTS"],
        transfers=config["TRANSFERS"],
        retention=retention_periods(),
        authority_name=config["AUTHORITY_NAME"],
        authority_address=config["AUTHORITY_ADDRESS"],
        authority_url=config["AUTHORITY_URL"],
        version=settings.PRIVACY_NOTICE_VERSION,
    )


def required_fields(form):
    """Labels of the fields a form needs, and of those one may leave empty."""
    required, optional = [], []
    for field in form:
        # Hidden fields, the honeypot and the consent boxes (explained on their own).
        if field.is_hidden or field.name == "website" or field.widget_type == "checkbox":
            continue
        (required if field.field.required else optional).append(str(field.label).rstrip("?"))
    return required, optional
