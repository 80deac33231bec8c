"""Organisations found again however they are typed, created only when new."""

from django.db import IntegrityError, transaction

from rencontres.forms import single_line

from ..identifiers import name_key, normalise_identifier
from ..models import Organisation


def find_or_create_organisation(name, kind, country, identifier=""):
    """The organisation these details describe: found by its official identifier, or by its
    name compared loosely within its country; created only when none matches."""
    name = single_line(name)
    identifier = normalise_identifier(identifier)
    if identifier:
        found = Organisation.objects.filter(identifier=identifier).first()
        if found:
            return found
    key = name_key(name)
    same_country = Organisation.objects.filter(country=country)
    found = same_country.filter(name_key=key).first()
    if found is None:
        import difflib

        keys = list(same_country.values_list("name_key", flat=True).distinct()[:5000])
        close = difflib.get_close_matches(key, keys, n=1, cutoff=0.92)
        if close:
            found = same_country.filter(name_key=close[0]).first()
    if found:
        if identifier and not found.identifier:
            found.identifier = identifier
            found.save(update_fields=["identifier", "name_key"])
        return found
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=" ".join(name.split()), kind=kind, country=country, identifier=identifier
            )
    except IntegrityError:  # the same identifier, created by a concurrent registration
        return Organisation.objects.get(identifier=identifier)
