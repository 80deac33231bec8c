"""Content in French and English: `<name>_fr` / `<name>_en` fields read in the active language."""

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("fr", "en")


def active_content_language():
    language = (get_language() or "fr")[:2]
    return language if language in CONTENT_LANGUAGES else "en"


class Translated:
    """`title = Translated("title")` reads `title_fr` or `title_en`, whichever the active
    language asks for, and falls back to the other when that one is empty."""

    def __init__(self, base):
        self.base = base

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return in_active_language(lambda field: getattr(instance, field), self.base)


def in_active_language(read, base):
    """`read(f"{base}_{language}")` in the active language, else the first language that has it."""
    value = read(f"{base}_{active_content_language()}")
    if value:
        return value
    for language in CONTENT_LANGUAGES:
        value = read(f"{base}_{language}")
        if value:
            return value
    return value
