"""Membership and AuditEntry, moved from the back-office app with their tables kept
(db_table): nothing changes in the database but the content types, renamed so that
permissions granted on these models and the admin's log entries follow them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["membership", "auditentry"]


def rename_content_types(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label=old, model__in=MOVED).update(app_label=new)


def forwards(apps, schema_editor):
    rename_content_types(apps, schema_editor, "backoffice", "rencontres")


def backwards(apps, schema_editor):
    rename_content_types(apps, schema_editor, "rencontres", "backoffice")


class Migration(migrations.Migration):

    dependencies = [
        ("rencontres", "0002_worker_heartbeat"),
        ("backoffice", "0005_team_and_audit_move_to_project"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editions", "0004_images_jpeg_png_webp_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at")),
                        ("action", models.CharField(max_length=60, verbose_name="action")),
                        ("details", models.JSONField(blank=True, default=dict, verbose_name="details")),
                        ("edition", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="audit_entries", to="editions.edition", verbose_name="edition")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit log",
                        "db_table": "backoffice_auditentry",
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("organiser", "Organiser (everything)"), ("staff", "Staff (registrations, no personal data exports)"), ("check_in", "Check-in agent (check-in pages only)"), ("viewer", "Viewer (dashboards only)")], max_length=12, verbose_name="role")),
                        ("edition", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="editions.edition", verbose_name="edition")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "team member",
                        "verbose_name_plural": "team members",
                        "db_table": "backoffice_membership",
                        "constraints": [models.UniqueConstraint(fields=("user", "edition"), name="one_role_per_edition")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
