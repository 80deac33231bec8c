"""The directory's full-text search indexes, on PostgreSQL only (rencontres/search.py): not in
the models' Meta, so SQLite, which has no GIN index, never builds them. Each list of columns is
one the directory searches (networking/selectors.py): the index is used only when its
expression is the query's."""

from django.db import migrations

from rencontres import search

INDEXES = [
    ("registration", "Registration", ["first_name", "last_name"], "registration_name_search"),
    ("registration", "Registration", ["job_title"], "registration_job_search"),
    ("registration", "Organisation", ["name"], "organisation_name_search"),
    ("networking", "Profile", ["about"], "profile_about_search"),
    ("networking", "Profile", ["regions"], "profile_regions_search"),
    ("networking", "CooperationPost", ["title", "text"], "post_search"),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for app, model, fields, name in INDEXES:
            schema_editor.add_index(apps.get_model(app, model), search.index(fields, name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for app, model, fields, name in INDEXES:
            schema_editor.remove_index(apps.get_model(app, model), search.index(fields, name))


class Migration(migrations.Migration):
    dependencies = [
        ("networking", "0004_meeting_outcomes"),
        ("registration", "0008_starred_sessions"),
    ]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
