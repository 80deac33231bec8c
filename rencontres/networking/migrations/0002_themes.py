"""The default cooperation themes."""

from django.db import migrations


def add_themes(apps, schema_editor):
    from rencontres.networking.themes import add_default_themes

    add_default_themes(apps.get_model("networking", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("networking", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
