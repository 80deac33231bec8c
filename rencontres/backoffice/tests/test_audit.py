"""The audit log records edits made in the admin (additions, changes, deletions, actions),
with ids and field names only, and shows them in the back-office."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from rencontres.audit import AuditedModelAdmin
from rencontres.editions.models import Session
from rencontres.models import AuditEntry
from rencontres.registration.tests.factories import category, open_edition, registered, workshop

from .factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("chief", password="pw")
    client.force_login(user)
    return user


PROJECT_APPS = {"editions", "registration", "networking", "onsite", "backoffice", "mail", "auth"}


def admin_url(name, *args):
    with translation.override("en"):
        return reverse(f"admin:{name}", args=args)


def test_every_admin_page_of_the_project_is_audited():
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS and model._meta.model_name != "group"
    ]
    assert len(ours) > 15
    assert [type(a).__name__ for a in ours if not isinstance(a, AuditedModelAdmin)] == []


def test_a_change_in_the_admin_is_in_the_edition_s_audit_log(client, superuser):
    edition = open_edition()
    person = registered(edition, job_title="Mayor")
    change = admin_url("registration_registration_change", person.pk)
    form = client.get(change).context["adminform"].form
    data = {**form.initial, "job_title": "Deputy mayor", "organisation": person.organisation_id,
            "category": person.category_id, "edition": edition.pk, "delegation": "",
            "days": '["' + '", "'.join(person.days) + '"]',
            "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0}  # fmt: skip
    data = {key: ("" if value is None else value) for key, value in data.items()}
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="admin_changed")
    assert (entry.user, entry.edition) == (superuser, edition)
    assert (entry.details["model"], entry.details["id"]) == ("registration.registration", person.pk)
    assert "Job title" in entry.details["fields"]
    assert "Deputy" not in str(entry.details)  # field names, never values

    with translation.override("en"):
        log = client.get(reverse("backoffice:audit", args=[edition.number]))
    assert "Changed in the admin" in log.content.decode()


def test_deletions_and_actions_in_the_admin_are_recorded(client, superuser):
    edition = open_edition()
    session = workshop(edition)
    client.post(admin_url("editions_session_delete", session.pk), {"post": "yes"})
    assert not Session.objects.filter(pk=session.pk).exists()
    deleted = AuditEntry.objects.get(action="admin_deleted")
    assert (deleted.edition, deleted.details["id"]) == (edition, session.pk)

    press = registered(edition, category=category(edition, "press"))
    client.post(admin_url("registration_registration_changelist"),
                {"action": "approve", "_selected_action": [press.pk]})  # fmt: skip
    press.refresh_from_db()
    assert press.status == "confirmed"
    action = AuditEntry.objects.get(action="admin_action")
    assert action.details == {"model": "registration.registration", "id": press.pk,
                              "name": "approve"}  # fmt: skip


def test_team_accounts_changed_in_the_admin_are_recorded(client, superuser):
    edition = open_edition()
    user = member(edition, "staff")
    client.post(admin_url("auth_user_delete", user.pk), {"post": "yes"})
    assert AuditEntry.objects.filter(action="admin_deleted", details__model="auth.user").exists()


def audit_codes():
    """Every action code the project writes with audit.log(request, edition, CODE, ...): the
    literal ones, and the f-strings of a page's actions expanded with that page's own list."""
    import ast
    from pathlib import Path

    from rencontres.backoffice import person, views

    expanded = {
        "registration_": person.ACTIONS,
        "bulk_": views.ACTIONS,
        "session_": ("move", "remove"),  # the session_person page's two buttons
        "export_": ("csv", "xlsx"),  # the list's two exports
        "invoice_journal_": ("csv", "xlsx"),  # the journal's two files
    }
    codes = set()
    for path in Path("rencontres").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            func = getattr(node, "func", None)
            if not (
                isinstance(node, ast.Call)
                and isinstance(func, ast.Attribute)
                and func.attr == "log"
                and getattr(func.value, "id", None) == "audit"
            ):
                continue  # fmt: skip
            code = node.args[2]
            if isinstance(code, ast.Constant):
                codes.add(code.value)
            elif isinstance(code, ast.IfExp):  # "fee_changed" if fee else "fee_added"
                codes.update((code.body.value, code.orelse.value))
            else:
                prefix = code.values[0].value
                codes.update(prefix + name for name in expanded[prefix])
    return codes


def test_every_line_of_the_audit_log_has_words_in_both_languages():
    codes = audit_codes()
    assert {"registration_replace_link", "bulk_resend", "session_move", "mailing"} <= codes
    for code in codes:
        entry = AuditEntry(action=code)
        with translation.override("en"):
            english = str(entry.label)
        with translation.override("fr"):
            french = str(entry.label)
        assert english != code, f"{code} has no label (rencontres.models.AuditEntry.label)"
        assert french != english, f"{code} has no French label"
