"""Every field of every model that points at a registration is classified (kept, erased or
sensitive): a new field or model fails here until someone decides what it is."""

from django.apps import apps

from rencontres.privacy.registry import FIELDS, classified_fields, registration_graph
from rencontres.registration.models import Registration


def models_pointing_at_registrations():
    """The test's own walk of the model graph (not the registry's): Registration, and every
    model with a relation to one of the models found, until nothing new is found."""
    found = {Registration}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            for field in model._meta.get_fields():
                forward = field.is_relation and not field.auto_created
                if forward and field.related_model in found:
                    found.add(model)
                    grew = True
                    break
    return found


def test_the_registry_walks_every_model_that_points_at_a_registration():
    assert set(registration_graph()) == models_pointing_at_registrations()


def test_every_field_of_those_models_is_classified_and_nothing_else_is():
    for model in models_pointing_at_registrations():
        label = model._meta.label
        assert label in FIELDS, f"{label} points at a registration: classify its fields"
        names = {field.name for field in classified_fields(model)}
        assert names == set(FIELDS[label]), (
            f"{label}: unclassified {sorted(names - set(FIELDS[label]))}, "
            f"unknown {sorted(set(FIELDS[label]) - names)}"
        )
    assert set(FIELDS) == {model._meta.label for model in models_pointing_at_registrations()}


def test_what_is_kept_only_for_a_while_is_described_field_by_field():
    """Throttle and Session hold personal data (a hashed address, a registrant's address in
    the session): the registry says what each field holds and how long it is kept."""
    from rencontres.privacy.registry import TIMED

    for label, entry in TIMED.items():
        model = apps.get_model(label)
        names = {field.name for field in model._meta.concrete_fields}
        assert set(entry["holds"]) == names, label
        assert entry["kept"], label
