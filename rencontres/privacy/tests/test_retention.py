"""The retention purge: sensitive fields first, then every personal field at the edition's
retention date; the command's dry run lists without changing; statistics survive."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from rencontres.backoffice import dashboard
from rencontres.editions.models import Edition
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import open_edition, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    """An edition that ended on 1 March 2027, with one participant who gave everything."""
    edition = open_edition()
    Edition.objects.filter(pk=edition.pk).update(
        starts_on=datetime.date(2027, 2, 28), ends_on=datetime.date(2027, 3, 1)
    )
    edition.refresh_from_db()
    registered(
        edition, first_name="Zéphyrine", last_name="Quartermaine", access_needs="Rampe",
        diet="other", diet_details="Sans kumquat", passport_name="QUARTERMAINE Zephyrine",
        passport_number="ZQ8812347", nationality="NZ", date_of_birth=datetime.date(1981, 7, 29),
    )  # fmt: skip
    return edition


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def person():
    return Registration.objects.get(last_name__in=["Quartermaine", ""])


def test_the_default_dates_are_thirty_days_then_twelve_months_after_the_last_day(edition):
    assert edition.sensitive_data_purge_date == datetime.date(2027, 3, 31)
    assert edition.personal_data_purge_date == datetime.date(2028, 3, 1)
    edition.personal_data_retention_until = datetime.date(2027, 3, 10)
    assert edition.sensitive_data_purge_date == datetime.date(2027, 3, 10)  # never after


def test_nothing_is_due_before_the_sensitive_date(edition):
    assert "nothing to purge" in run("--today", "2027-03-30")
    assert person().passport_name


def test_the_dry_run_lists_what_it_would_do_and_changes_nothing(edition):
    out = run("--dry-run", "--today", "2028-03-01")
    assert "edition 15: would erase sensitive fields of 1 registrations" in out
    assert "edition 15: would erase personal data of 1 registrations (due 2028-03-01)" in out
    assert person().last_name == "Quartermaine" and person().passport_name
    edition.refresh_from_db()
    assert edition.personal_data_purged_at is None


def test_sensitive_fields_go_first(edition):
    out = run("--today", "2027-03-31")
    assert "edition 15: erased sensitive fields of 1 registrations" in out
    erased = person()
    assert (erased.access_needs, erased.diet, erased.diet_details, erased.passport_name) == (
        "", "", "", ""
    )  # fmt: skip
    # What the invitation letter needed goes with them.
    assert (erased.passport_number, erased.nationality, erased.date_of_birth) == ("", "", None)
    assert erased.last_name == "Quartermaine"  # the rest waits for the retention date
    assert "nothing to purge" in run("--today", "2027-04-01")  # done once


def test_sensitive_fields_typed_after_their_purge_go_on_the_next_run(edition):
    run("--today", "2027-03-31")
    first = Edition.objects.get(pk=edition.pk).sensitive_data_purged_at
    Registration.objects.filter(pk=person().pk).update(
        passport_number="ZQ0000001", nationality="NZ", date_of_birth=datetime.date(1981, 7, 29)
    )  # typed by an organiser in the admin, or from a letter form left open
    assert "edition 15: erased sensitive fields of 1 registrations" in run("--today", "2027-04-02")
    erased = person()
    assert (erased.passport_number, erased.nationality, erased.date_of_birth) == ("", "", None)
    assert erased.last_name == "Quartermaine"
    assert Edition.objects.get(pk=edition.pk).sensitive_data_purged_at == first
    assert "nothing to purge" in run("--today", "2027-04-03")


def test_everything_personal_goes_at_the_retention_date_and_only_once(edition):
    run("--today", "2028-03-01")
    erased = person()
    assert erased.first_name == erased.last_name == "" and erased.passport_name == ""
    assert erased.email.endswith(ERASED_EMAIL_DOMAIN)
    assert erased.category.code == "elected" and erased.status == "confirmed"
    edition.refresh_from_db()
    assert edition.personal_data_purged_at and edition.sensitive_data_purged_at
    assert "nothing to purge" in run("--today", "2029-01-01")


def test_a_bad_date_is_refused_with_a_message(edition):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today"):
        run("--today", "tomorrow")


STATISTICS = ["statuses", "total", "categories", "kinds", "countries", "country_count",
              "french", "foreign", "check_ins_total", "series", "curve_table"]  # fmt: skip


def test_statistics_across_editions_survive_the_purge_of_the_demos_past_editions(client):
    from rencontres.backoffice.demo import load_history
    from rencontres.editions.demo import load_demo
    from rencontres.onsite.models import CheckIn

    current, _created = load_demo()
    load_history(current)
    registered(current, first_name="Awa")  # the current edition keeps its people
    past = Edition.objects.get(number=current.number - 1)
    someone = Registration.objects.filter(edition=past, status="confirmed").first()
    CheckIn.objects.create(registration=someone, day=past.starts_on)
    with translation.override("en"):
        before = {e.number: dashboard.figures(e) for e in (current, past)}

    out = run("--today", past.personal_data_purge_date.isoformat())
    assert f"edition {past.number}: erased personal data" in out
    assert not Registration.objects.filter(edition=past).exclude(first_name="").exists()
    assert Registration.objects.filter(edition=current).exclude(first_name="").exists()

    client.force_login(User.objects.create_superuser("boss", password="pw"))
    for edition in (current, past):
        response = client.get(f"/en/organiser/{edition.number}/")
        assert response.status_code == 200
        with translation.override("en"):
            after = dashboard.figures(edition)
        for key in STATISTICS:
            assert after[key] == before[edition.number][key], key


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_daily_task_is_queued_once_for_three_in_the_morning():
    from django_tasks_db.models import DBTaskResult

    from rencontres.privacy.tasks import ensure_scheduled, purge_personal_data

    assert ensure_scheduled() is True
    assert ensure_scheduled() is False  # a worker restart does not queue a second one
    queued = DBTaskResult.objects.get(task_path=purge_personal_data.module_path)
    run_after = timezone.localtime(queued.run_after)
    assert (run_after.hour, run_after.minute) == (3, 0) and run_after > timezone.now()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_task_purges_and_queues_its_next_run(edition):
    from django_tasks_db.models import DBTaskResult

    from rencontres.privacy.tasks import purge_personal_data

    Edition.objects.filter(pk=edition.pk).update(personal_data_retention_until=timezone.localdate())
    purge_personal_data.call()
    assert person().first_name == ""
    assert DBTaskResult.objects.filter(task_path=purge_personal_data.module_path).count() == 1


def test_a_retention_date_before_the_end_of_the_edition_is_refused(edition):
    from django.core.exceptions import ValidationError

    edition.personal_data_retention_until = edition.ends_on
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert "personal_data_retention_until" in error.value.message_dict


def test_invitations_of_people_who_never_registered_are_purged_with_their_e_mails(edition):
    from rencontres.backoffice.models import InvitationImport
    from rencontres.mail.models import OutgoingEmail
    from rencontres.registration.models import Invitation
    from rencontres.registration.services import send_invitations

    listed = InvitationImport.objects.create(
        edition=edition, filename="élus-2027.csv",
        rows=[{"email": "olga@example.ua", "first_name": "Olga"}],
    )  # fmt: skip
    Invitation.objects.create(edition=edition, email="olga@example.ua", first_name="Olga",
                              last_name="Pangolin", imported_from=listed)  # fmt: skip
    send_invitations(edition.pk)
    run("--today", "2028-03-02")
    invitation = Invitation.objects.get()
    assert (invitation.first_name, invitation.last_name) == ("", "")
    assert invitation.email.endswith(ERASED_EMAIL_DOMAIN)
    email = OutgoingEmail.objects.get(template="invitation")
    assert "Olga" not in email.body_text + email.subject and email.recipient != "olga@example.ua"
    listed.refresh_from_db()
    assert (listed.rows, listed.filename) == ([], "")


def test_the_daily_purge_deletes_rate_limit_counters_and_sessions_past_their_time(settings):
    """Each counter holds a hashed address: it goes once its window is over (each action's
    own), and so do expired sessions (a registrant's holds their address). The task and the
    command both do it; a dry run only counts."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from rencontres import ratelimit
    from rencontres.models import Throttle
    from rencontres.privacy.tasks import purge_personal_data

    settings.RATE_LIMITS = {"login-user": (5, 900), "register-ip": (30, 3600)}
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)
    for action, subject, age in [
        ("login-user", "claire", 16 * minutes),  # over (15 minutes)
        ("login-user", "sami", 14 * minutes),  # still counting
        ("register-ip", "203.0.113.9", 61 * minutes),  # over (an hour)
        ("register-ip", "203.0.113.10", 59 * minutes),
        ("removed-action", "x", 61 * minutes),  # no longer configured: after the longest
    ]:
        Throttle.objects.create(
            key=ratelimit.throttle_key(action, subject), window_start=now - age, hits=3
        )
    old = SessionStore()
    old["registration_sent_to"] = "awa@example.sn"
    old.set_expiry(-60)
    old.create()
    current = SessionStore()
    current["registration_sent_to"] = "olena@example.ua"
    current.create()

    assert "rencontres.Throttle: would erase 3 past their time" in run("--dry-run")
    assert "sessions.Session: would erase 1 past their time" in run("--dry-run")
    assert Throttle.objects.count() == 5 and Session.objects.count() == 2
    assert ratelimit.exceeded("login-user", "sami", now) is False  # counted, under the limit
    assert "rencontres.Throttle: erased 3 past their time" in run()
    kept = set(Throttle.objects.values_list("key", flat=True))
    assert kept == {ratelimit.throttle_key("login-user", "sami"),
                    ratelimit.throttle_key("register-ip", "203.0.113.10")}  # fmt: skip
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]

    Throttle.objects.update(window_start=now - 2 * 60 * minutes)
    result = purge_personal_data.call()
    assert result["timed"]["rencontres.Throttle"] == 2 and not Throttle.objects.exists()
