"""Membership and AuditEntry now belong to the project package (rencontres/models.py): the
back-office app forgets them here, their tables and rows stay as they are, and the
project's migration 0003 takes them over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("backoffice", "0004_mailing_counts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="Membership"),
            ],
            database_operations=[],
        ),
    ]
