"""A scheduler run shares the background jobs' columns (rencontres/jobs.py): its progress,
counted in hundredths of the scheduler's time, becomes `done` out of a `total` of 100."""

from django.db import migrations, models


def hundredths(apps, schema_editor):
    apps.get_model("networking", "ScheduleRun").objects.update(total=100)


class Migration(migrations.Migration):
    dependencies = [
        ("networking", "0002_themes"),
    ]

    operations = [
        migrations.RenameField(model_name="schedulerun", old_name="progress", new_name="done"),
        migrations.AlterField(
            model_name="schedulerun",
            name="done",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="total",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="schedulerun",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(hundredths, migrations.RunPython.noop, elidable=True),
    ]
