"""A mailing shares the background jobs' columns and states (rencontres/jobs.py): the
messages `queued` become the units `done`, and "sending" and "sent" the states every job has,
"running" and "done" (still shown as "Sending" and "Sent")."""

from django.db import migrations, models

STATES = {"sending": "running", "sent": "done"}


def job_states(apps, schema_editor):
    Mailing = apps.get_model("backoffice", "Mailing")
    for old, new in STATES.items():
        Mailing.objects.filter(status=old).update(status=new)


def mailing_states(apps, schema_editor):
    Mailing = apps.get_model("backoffice", "Mailing")
    for old, new in STATES.items():
        Mailing.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0005_team_and_audit_move_to_project"),
    ]

    operations = [
        migrations.RenameField(model_name="mailing", old_name="queued", new_name="done"),
        migrations.AddField(
            model_name="mailing",
            name="error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="mailing",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="mailing",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Sending"),
                    ("done", "Sent"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.RunPython(job_states, mailing_states, elidable=True),
    ]
