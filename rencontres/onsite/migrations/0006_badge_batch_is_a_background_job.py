"""A badge batch shares the background jobs' columns (rencontres/jobs.py): its number of
badges becomes its `total`, and its progress, a percentage, the number of badges `done`."""

from django.db import migrations, models


def badges_done(apps, schema_editor):
    BadgeBatch = apps.get_model("onsite", "BadgeBatch")
    BadgeBatch.objects.filter(status="done").update(done=models.F("total"))
    BadgeBatch.objects.exclude(status="done").update(done=0)


def percentage(apps, schema_editor):
    BadgeBatch = apps.get_model("onsite", "BadgeBatch")
    BadgeBatch.objects.filter(status="done").update(done=100)
    BadgeBatch.objects.exclude(status="done").update(done=0)


class Migration(migrations.Migration):
    dependencies = [
        ("onsite", "0005_sweep_public_badge_folder"),
    ]

    operations = [
        migrations.RenameField(model_name="badgebatch", old_name="count", new_name="total"),
        migrations.RenameField(model_name="badgebatch", old_name="progress", new_name="done"),
        migrations.AlterField(
            model_name="badgebatch",
            name="done",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="badgebatch",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(badges_done, percentage, elidable=True),
    ]
