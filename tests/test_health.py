"""/healthz reports the background worker too: a worker gone silent, or e-mails left waiting,
make it answer 503 with the reason, for a monitoring tool to raise the alarm."""

import datetime

import pytest
from django.utils import timezone

from rencontres.mail.models import OutgoingEmail
from rencontres.models import WorkerHeartbeat

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def ago(seconds):
    return timezone.now() - datetime.timedelta(seconds=seconds)


def heartbeat(seconds_ago):
    WorkerHeartbeat.objects.create(worker_id=f"w{seconds_ago}", started_at=ago(3600),
                                   seen_at=ago(seconds_ago))  # fmt: skip


def due_email(seconds_ago, **fields):
    return OutgoingEmail.objects.create(recipient="awa.ndiaye@example.org", language="fr",
                                        template="confirm_address", subject="s", body_text="t",
                                        next_attempt_at=ago(seconds_ago), **fields)  # fmt: skip


@pytest.fixture
def with_worker(settings):
    """The production set-up: tasks go to the database, for a worker to run."""
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db
def test_it_is_ok_with_a_recent_heartbeat_and_no_late_mail(client, with_worker):
    heartbeat(5)
    due_email(30)  # due half a minute ago: the worker is on it
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    detail = client.get("/healthz?format=json").json()
    assert 5 <= detail["worker"]["last_heartbeat_seconds"] < 10  # a slow machine's seconds
    assert 30 <= detail["mail"]["oldest_due_seconds"] < 35


@pytest.mark.django_db
def test_it_fails_when_no_worker_ever_reported(client, with_worker):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode().splitlines() == [
        "error", "worker: no heartbeat (is the worker running?)"]  # fmt: skip


@pytest.mark.django_db
def test_it_fails_when_the_heartbeat_is_older_than_a_minute(client, with_worker):
    heartbeat(61)
    response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    [problem] = response.json()["problems"]
    assert problem.startswith("worker: no heartbeat for 6")
    heartbeat(2)  # another worker is alive
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_it_fails_when_an_email_has_waited_more_than_five_minutes(client, with_worker):
    heartbeat(1)
    email = due_email(301)
    detail = client.get("/healthz?format=json").json()
    assert detail["status"] == "error"
    [problem] = detail["problems"]
    assert problem.startswith("mail: an e-mail has been due for 30")
    # Retried later (the mail server failed): not late, it is waiting for its time.
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=ago(-600), attempts=1)
    assert client.get("/healthz").status_code == 200
    # Claimed by a worker that died: due again once its claim runs out, late five minutes later.
    OutgoingEmail.objects.filter(pk=email.pk).update(status="sending", claimed_at=ago(600 + 301))
    assert client.get("/healthz").status_code == 503
    OutgoingEmail.objects.filter(pk=email.pk).update(status="sent")
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_its_detail_holds_no_personal_data(client, with_worker):
    heartbeat(1)
    due_email(400)
    body = client.get("/healthz?format=json").content.decode()
    assert "awa" not in body and "example.org" not in body and "w1" not in body


@pytest.mark.django_db
def test_the_web_scope_checks_the_database_only(client, with_worker):
    """For a load balancer: an app server with a database is fine, whatever the worker does."""
    response = client.get("/healthz?scope=web")
    assert (response.status_code, response.content) == (200, b"ok\n")


@pytest.mark.django_db
def test_without_a_worker_to_wait_for_it_checks_no_heartbeat(client):
    """TASKS_IMMEDIATE (the tests): tasks run in the request, no worker is expected, and mail
    left due waits for the next e-mail or for cron."""
    due_email(900)
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_it_stays_cheap(client, with_worker, django_assert_max_num_queries):
    heartbeat(1)
    with django_assert_max_num_queries(2):
        client.get("/healthz")
