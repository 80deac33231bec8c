"""Background jobs (rencontres/jobs.py): how far a job got, what it keeps when it ends, and the
one progress fragment that the scheduler run, badge batch and mailing pages share."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.backoffice.models import Mailing
from rencontres.backoffice.tests.factories import member
from rencontres.networking.models import ScheduleRun
from rencontres.onsite.models import BadgeBatch
from rencontres.registration.tests.factories import open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def test_a_job_shows_nothing_done_until_it_has_counted_its_work(edition):
    batch = BadgeBatch.objects.create(edition=edition, layout="a6")
    assert (batch.is_active, batch.percent) == (True, 0)
    batch.start()
    assert batch.percent == 0


def test_a_job_shows_a_full_bar_only_once_it_is_done(edition):
    batch = BadgeBatch.objects.create(edition=edition, layout="a6")
    batch.start(total=300)
    batch.advance(150)
    assert BadgeBatch.objects.get().percent == 50
    batch.advance(300)  # every badge drawn, the file not stored yet
    assert BadgeBatch.objects.get().percent == 99
    batch.succeed()
    stored = BadgeBatch.objects.get()
    assert (stored.status, stored.percent, stored.done, stored.total) == ("done", 100, 300, 300)
    assert stored.started_at <= stored.finished_at and not stored.is_active


def test_a_failed_job_keeps_the_kind_of_error_and_when_it_stopped(edition):
    run = ScheduleRun.objects.create(edition=edition)
    run.start(total=100)
    run.fail(ZeroDivisionError("division by zero"))
    stored = ScheduleRun.objects.get()
    assert (stored.status, stored.error, stored.is_active) == ("failed", "ZeroDivisionError", False)
    assert stored.finished_at is not None


def test_the_worker_does_not_undo_what_a_page_wrote_meanwhile(edition):
    run = ScheduleRun.objects.create(edition=edition)
    run.start(total=100)
    published = timezone.now()
    ScheduleRun.objects.filter(pk=run.pk).update(published_at=published)  # another process
    run.succeed(result={"scheduled": []})
    stored = ScheduleRun.objects.get()
    assert stored.published_at == published and stored.result == {"scheduled": []}


def test_a_mailing_s_states_are_a_job_s_in_its_own_words(edition):
    mailing = Mailing.objects.create(edition=edition, subject_fr="Bonjour", nonce="n")
    mailing.start(total=4)
    with translation.override("en"):
        assert (mailing.status, mailing.get_status_display()) == ("running", "Sending")
        mailing.succeed()
        assert (mailing.status, mailing.get_status_display(), mailing.done) == ("done", "Sent", 4)


def jobs(edition):
    """(page, status url, job) of each kind of job, each half done."""
    run = ScheduleRun.objects.create(edition=edition)
    batch = BadgeBatch.objects.create(edition=edition, layout="a6")
    mailing = Mailing.objects.create(edition=edition, subject_fr="Bonjour", nonce="n")
    for job in (run, batch, mailing):
        job.start(total=8)
        job.advance(3)
    number = edition.number
    return [
        (
            reverse(f"{app}:{name}", args=[number, job.pk]),
            reverse(f"{app}:{status}", args=[number, job.pk]),
        )
        for app, name, status, job in [
            ("networking", "run", "run_status", run),
            ("onsite", "batch", "batch_status", batch),
            ("backoffice", "mailing", "mailing_status", mailing),
        ]
    ]


def test_every_job_page_shows_the_same_bar_that_follows_the_job(client, edition):
    client.force_login(member(edition))
    for page, status_url in jobs(edition):
        html = client.get(page).content.decode()
        assert f'data-progress-url="{status_url}"' in html, page
        assert '<progress id="job-progress" max="100" value="37">37 %</progress>' in html, page
        assert "js/progress" in html, page
        assert client.get(status_url).json() == {"status": "running", "progress": 37}, page
