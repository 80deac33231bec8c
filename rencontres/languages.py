"""The languages the platform names (ISO 639-1, and French Sign Language): one list, each
name translated once. A session's interpretation and a profile's spoken languages each pick
theirs from it, by code."""

from django.utils.translation import gettext_lazy as _

LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("ja", _("Japanese")),
    ("wo", _("Wolof")),
    ("sw", _("Swahili")),
    ("fr-sign", _("French Sign Language")),
]
NAMES = dict(LANGUAGES)


def choices(*codes):
    """(code, name) of these languages, in the order given (a KeyError names a code the list
    does not have)."""
    return [(code, NAMES[code]) for code in codes]
