"""What came of the meetings: the questions' schedule under a frozen clock (after the slot's
end, once; the follow-up on its date, once, moved by the organisers), the one-click links
(valid, altered, another person's, expired), a GET that writes nothing, a double POST, and the
agenda's link to rate past meetings."""

import datetime
import re
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from rencontres.editions.tests.factories import paris
from rencontres.mail.models import OutgoingEmail
from rencontres.networking import services
from rencontres.networking.models import CooperationFollowUp, Meeting, MeetingRating
from rencontres.networking.services import outcomes

from .factories import delivered_to, open_edition, person, slots, tables

pytestmark = pytest.mark.django_db

Outcome = MeetingRating.Outcome
Status = CooperationFollowUp.Status
# The cast's only meeting takes the first slot: 4 November 2027, 9:00–9:20, Paris time.
SLOT_END = paris(2027, 11, 4, 9, 20)


def meet(one, other):
    request = services.request_meeting(one, other, "Hello")
    services.answer(request, other, accept=True)
    return Meeting.objects.get(request=request)


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def alice(edition):
    return person(edition, "Alice", themes=["water"])


@pytest.fixture
def bob(edition):
    return person(edition, "Bob", country="SN", kind="foreign_authority", themes=["water"])


@pytest.fixture
def meeting(edition, alice, bob):
    slots(edition, count=1)
    tables(edition, count=1)
    meeting = meet(alice, bob)
    run = services.start_run(edition)
    services.execute(run)
    services.publish(run)
    meeting.refresh_from_db()
    assert meeting.slot.ends_at == SLOT_END
    return meeting


@pytest.fixture
def after_the_meeting():
    """The clock just after the slot's end (the links are e-mailed then)."""
    with mock.patch(
        "django.utils.timezone.now", return_value=SLOT_END + datetime.timedelta(minutes=1)
    ):
        yield


def asked(now):
    return [(m.pk, r.first_name) for m, r in outcomes.ratings_due(now)]


def followed(now):
    return [(m.pk, r.first_name) for m, r in outcomes.follow_ups_due(now)]


def rating_link_of(meeting, registration, outcome):
    return reverse(
        "networking:rate_link", args=[outcomes.rating_token(meeting, registration, outcome)]
    )


# The first question's schedule -------------------------------------------------------------


def test_nobody_is_asked_before_the_slot_ends(meeting):
    assert asked(SLOT_END - datetime.timedelta(minutes=1)) == []
    assert outcomes.ask_due(SLOT_END - datetime.timedelta(minutes=1)) == (0, 0)


def test_both_parties_are_asked_once_after_the_slot_ends(meeting, alice, bob):
    assert asked(SLOT_END) == [(meeting.pk, "Alice"), (meeting.pk, "Bob")]
    assert outcomes.ask_ratings(SLOT_END + datetime.timedelta(minutes=5)) == 2
    assert delivered_to(alice.email, "meeting_rating_request") == 1
    assert delivered_to(bob.email, "meeting_rating_request") == 1
    later = SLOT_END + datetime.timedelta(hours=2)
    assert asked(later) == []
    assert outcomes.ask_ratings(later) == 0
    assert OutgoingEmail.objects.filter(template="meeting_rating_request").count() == 2


def test_the_e_mail_is_in_the_persons_language(meeting, alice, bob):
    alice.language = "fr"
    alice.save()
    outcomes.ask_ratings(SLOT_END)
    email = OutgoingEmail.objects.get(recipient=alice.email, template="meeting_rating_request")
    assert email.language == "fr"
    assert "/fr/meetings/rate/" in email.body_text


def test_an_unpublished_schedule_asks_nobody(edition, alice, bob):
    slots(edition, count=1)
    tables(edition, count=1)
    meeting = meet(alice, bob)
    services.execute(services.start_run(edition))  # run, not published
    meeting.refresh_from_db()
    assert asked(SLOT_END + datetime.timedelta(hours=1)) == []


def test_cancelled_meetings_and_people_are_not_asked(meeting, alice, bob):
    bob.status = "cancelled"
    bob.save()
    assert asked(SLOT_END) == [(meeting.pk, "Alice")]
    Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=SLOT_END)
    assert asked(SLOT_END) == []


def test_an_erased_person_is_not_asked(meeting, alice, bob):
    bob.email = f"erased-{bob.pk}@erased.invalid"
    bob.save()
    assert asked(SLOT_END) == [(meeting.pk, "Alice")]


def test_meetings_long_past_are_not_asked_about(meeting):
    assert asked(SLOT_END + outcomes.RATING_WINDOW + datetime.timedelta(minutes=1)) == []


def test_who_answered_from_the_agenda_first_gets_no_e_mail(meeting, alice):
    outcomes.rate(meeting, alice, Outcome.FOLLOW_UP, now=SLOT_END)
    assert asked(SLOT_END) == [(meeting.pk, "Bob")]


# The follow-up's schedule ----------------------------------------------------------------------


def test_the_follow_up_comes_six_months_after_the_edition(edition):
    assert outcomes.follow_up_date(edition) == datetime.date(2028, 5, 5)


def test_promising_meetings_are_followed_up_on_their_date_once(meeting, alice, bob):
    outcomes.rate(meeting, alice, Outcome.NO_SHARED_INTEREST, now=SLOT_END)
    outcomes.rate(meeting, bob, Outcome.FOLLOW_UP, now=SLOT_END)
    day_before = paris(2028, 5, 4, 23, 59)
    on_the_day = paris(2028, 5, 5, 0, 1)
    assert followed(day_before) == []
    assert followed(on_the_day) == [(meeting.pk, "Alice"), (meeting.pk, "Bob")]
    assert outcomes.ask_follow_ups(on_the_day) == 2
    assert delivered_to(alice.email, "cooperation_follow_up_request") == 1
    assert followed(paris(2028, 5, 6, 10)) == []
    assert outcomes.ask_follow_ups(paris(2028, 6, 1)) == 0


def test_a_meeting_without_promise_or_not_held_is_not_followed_up(meeting, alice, bob):
    outcomes.rate(meeting, alice, Outcome.NO_SHARED_INTEREST, now=SLOT_END)
    assert followed(paris(2028, 6, 1)) == []
    outcomes.rate(meeting, bob, Outcome.PROJECT_PLANNED, now=SLOT_END)
    assert len(followed(paris(2028, 6, 1))) == 2
    # Either party saying it did not take place counts the meeting as not held.
    outcomes.rate(meeting, alice, Outcome.NOT_HELD, now=SLOT_END)
    assert followed(paris(2028, 6, 1)) == []


def test_a_moved_follow_up_date_is_the_one_kept(meeting, alice, edition):
    outcomes.rate(meeting, alice, Outcome.FOLLOW_UP, now=SLOT_END)
    outcomes.set_follow_up_date(edition, datetime.date(2028, 1, 15))
    assert outcomes.follow_up_date(edition) == datetime.date(2028, 1, 15)
    assert followed(paris(2028, 1, 14, 12)) == []
    assert len(followed(paris(2028, 1, 15, 8))) == 2
    outcomes.set_follow_up_date(edition, datetime.date(2028, 9, 1))
    assert followed(paris(2028, 5, 6, 8)) == []


def test_the_command_sends_what_is_due_at_the_time_given(meeting, alice):
    from django.core.management import call_command

    call_command("ask_meeting_outcomes", "--now", "2027-11-04T09:10")
    assert delivered_to(alice.email, "meeting_rating_request") == 0
    call_command("ask_meeting_outcomes", "--now", "2027-11-04T09:30")
    call_command("ask_meeting_outcomes", "--now", "2027-11-04T09:40")
    assert delivered_to(alice.email, "meeting_rating_request") == 1


def test_each_link_of_the_e_mail_opens_its_own_answer(client, meeting, alice, after_the_meeting):
    outcomes.ask_ratings(SLOT_END)
    email = OutgoingEmail.objects.get(recipient=alice.email, template="meeting_rating_request")
    links = re.findall(r"https?://\S+/en/meetings/rate/[^/\s]+/", email.body_text)
    assert len(set(links)) == 4
    chosen = []
    for link in links:
        response = client.get(urlsplit(link).path)
        chosen.append(response.context["form"].initial["outcome"])
    assert sorted(chosen) == sorted(Outcome.values)
    assert "Bob" in email.body_text and "Bob" in email.body_html
    assert not MeetingRating.objects.exclude(outcome="").exists()


def test_one_party_never_sees_the_others_answer(client, meeting, alice, bob, after_the_meeting):
    outcomes.rate(meeting, alice, Outcome.NOT_HELD)
    page = client.get(
        reverse("networking:agenda", args=[bob.public_id, bob.secret])
    ).content.decode()
    assert "did not take place" not in page
    page = client.get(rating_link_of(meeting, bob, Outcome.FOLLOW_UP)).content.decode()
    assert not re.search(r'<input[^>]*value="not_held"[^>]*checked', page)
    assert "Your answer is saved" not in page


# One-click links ------------------------------------------------------------------------------


def test_a_link_shows_the_choice_preselected_and_writes_nothing(
    client, meeting, alice, after_the_meeting
):
    outcomes.ask_ratings(SLOT_END)
    before = list(MeetingRating.objects.values_list("outcome", "rated_at"))
    response = client.get(rating_link_of(meeting, alice, Outcome.PROJECT_PLANNED))
    assert response.status_code == 200
    assert re.search(r'<input[^>]*value="project_planned"[^>]*checked', response.content.decode())
    assert response.context["form"].initial == {"outcome": "project_planned"}
    assert list(MeetingRating.objects.values_list("outcome", "rated_at")) == before
    assert b"Bob" in response.content


def test_posting_the_link_saves_and_a_second_post_changes_nothing_more(
    client, meeting, alice, after_the_meeting
):
    url = rating_link_of(meeting, alice, Outcome.FOLLOW_UP)
    for _ in range(2):
        response = client.post(url, {"outcome": "follow_up"})
        assert response.status_code == 302
    rating = MeetingRating.objects.get()
    assert (rating.registration, rating.outcome) == (alice, "follow_up")


def test_a_new_answer_replaces_the_first(client, meeting, alice, after_the_meeting):
    client.post(rating_link_of(meeting, alice, Outcome.FOLLOW_UP), {"outcome": "follow_up"})
    client.post(rating_link_of(meeting, alice, Outcome.FOLLOW_UP), {"outcome": "not_held"})
    assert MeetingRating.objects.get().outcome == "not_held"


def test_an_altered_link_is_refused(client, meeting, alice):
    token = outcomes.rating_token(meeting, alice, Outcome.FOLLOW_UP)
    other = outcomes.rating_token(meeting, alice, Outcome.NOT_HELD)
    # Another answer's payload under this link's signature.
    altered = other.split(":")[0] + ":" + token.split(":", 1)[1]
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), altered, "x", "a:b:c"):
        assert client.get(reverse("networking:rate_link", args=[bad])).status_code == 404
    assert client.post(reverse("networking:rate_link", args=[token[:-1]])).status_code == 404
    assert not MeetingRating.objects.exists()


def test_a_link_for_someone_elses_meeting_is_refused(client, meeting, edition, alice):
    carol = person(edition, "Carol")
    response = client.get(rating_link_of(meeting, carol, Outcome.FOLLOW_UP))
    assert response.status_code == 404
    assert client.post(rating_link_of(meeting, carol, Outcome.FOLLOW_UP)).status_code == 404
    assert not MeetingRating.objects.exists()


def test_a_link_expires_after_a_year(client, meeting, alice, after_the_meeting):
    import time

    issued = time.time() - outcomes.TOKEN_MAX_AGE.total_seconds() - 60
    with mock.patch("django.core.signing.time.time", return_value=issued):
        url = rating_link_of(meeting, alice, Outcome.FOLLOW_UP)
    assert client.get(url).status_code == 404
    with mock.patch("django.core.signing.time.time", return_value=issued + 120):
        url = rating_link_of(meeting, alice, Outcome.FOLLOW_UP)
    assert client.get(url).status_code == 200


def test_a_rating_link_does_not_open_the_follow_up(client, meeting, alice):
    token = outcomes.rating_token(meeting, alice, Outcome.FOLLOW_UP)
    assert client.get(reverse("networking:follow_up_link", args=[token])).status_code == 404


def test_the_follow_up_link_works_once_asked(client, meeting, alice, bob):
    outcomes.rate(meeting, alice, Outcome.FOLLOW_UP, now=SLOT_END)
    url = reverse("networking:follow_up_link", args=[outcomes.follow_up_token(meeting, bob)])
    assert client.get(url).status_code == 404  # not asked yet
    outcomes.ask_follow_ups(paris(2028, 6, 1))
    assert client.get(url).status_code == 200
    assert not CooperationFollowUp.objects.filter(answered_at__isnull=False).exists()
    data = {"status": "project_started", "text": "A water project in Thiès.", "may_publish": "on"}
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    follow_up = CooperationFollowUp.objects.get(registration=bob)
    assert (follow_up.status, follow_up.text, follow_up.may_publish) == (
        "project_started",
        "A water project in Thiès.",
        True,
    )


def test_the_follow_up_form_says_what_is_wrong(client, meeting, alice):
    outcomes.rate(meeting, alice, Outcome.FOLLOW_UP, now=SLOT_END)
    outcomes.ask_follow_ups(paris(2028, 6, 1))
    url = reverse("networking:follow_up_link", args=[outcomes.follow_up_token(meeting, alice)])
    response = client.post(url, {"status": "bogus", "text": "x" * 601, "may_publish": "on"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"status", "text"}
    response = client.post(url, {"status": "stopped", "may_publish": "on"})
    assert "text" in response.context["form"].errors
    assert not CooperationFollowUp.objects.filter(answered_at__isnull=False).exists()


# From the agenda --------------------------------------------------------------------------------


def agenda_of(client, registration):
    return client.get(
        reverse("networking:agenda", args=[registration.public_id, registration.secret])
    )


def test_the_agenda_links_past_meetings_to_their_rating(client, meeting, alice):
    rate_url = reverse("networking:rate", args=[alice.public_id, alice.secret, meeting.pk])
    with mock.patch(
        "django.utils.timezone.now", return_value=SLOT_END - datetime.timedelta(hours=1)
    ):
        assert rate_url not in agenda_of(client, alice).content.decode()
        assert b"once the meeting has taken place" in client.get(rate_url).content
        client.post(rate_url, {"outcome": "project_planned"})
        assert not MeetingRating.objects.exists()
    with mock.patch("django.utils.timezone.now", return_value=SLOT_END):
        assert rate_url in agenda_of(client, alice).content.decode()
        assert client.post(rate_url, {"outcome": "project_planned"}).status_code == 302
        page = agenda_of(client, alice).content.decode()
    assert "A project is planned" in page
    assert MeetingRating.objects.get().outcome == "project_planned"


def test_nobody_rates_a_meeting_that_is_not_theirs(client, meeting, edition):
    carol = person(edition, "Carol")
    url = reverse("networking:rate", args=[carol.public_id, carol.secret, meeting.pk])
    with mock.patch("django.utils.timezone.now", return_value=SLOT_END):
        assert client.post(url, {"outcome": "follow_up"}).status_code == 404
    assert not MeetingRating.objects.exists()


def test_the_rating_page_is_translated(client, meeting, alice):
    with translation.override("fr"):
        url = rating_link_of(meeting, alice, Outcome.FOLLOW_UP)
    assert url.startswith("/fr/")


# The task and the command -------------------------------------------------------------------


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_task_is_queued_once_and_queues_its_next_run(meeting):
    from django_tasks_db.models import DBTaskResult

    from rencontres.networking.tasks import ask_meeting_outcomes, ensure_outcomes_scheduled

    assert ensure_outcomes_scheduled() is True
    assert ensure_outcomes_scheduled() is False
    queued = DBTaskResult.objects.get(task_path=ask_meeting_outcomes.module_path)
    queued.delete()
    with mock.patch("django.utils.timezone.now", return_value=SLOT_END):
        assert ask_meeting_outcomes.call() == {"ratings": 2, "follow_ups": 0}
    assert DBTaskResult.objects.filter(task_path=ask_meeting_outcomes.module_path).count() == 1


def test_the_command_lists_without_sending_on_a_dry_run(meeting, alice):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("ask_meeting_outcomes", "--dry-run", "--now", "2027-11-04T09:30", stdout=out)
    assert out.getvalue().count("rating: meeting") == 2
    assert delivered_to(alice.email, "meeting_rating_request") == 0


# Erasure --------------------------------------------------------------------------------------


def test_an_erased_persons_text_leaves_the_follow_up_and_the_public_summary(meeting, alice, bob):
    from rencontres.networking.outcomes import public_summary
    from rencontres.privacy.services import erase_registrations
    from rencontres.registration.models import Registration

    outcomes.rate(meeting, alice, Outcome.PROJECT_PLANNED, now=SLOT_END)
    outcomes.ask_follow_ups(paris(2028, 6, 1))
    outcomes.answer_follow_up(meeting, alice, "agreement_signed", "Alice's words", True)
    after = paris(2028, 6, 2)
    assert public_summary(meeting.edition, now=after)["stories"] != []
    erase_registrations(Registration.objects.filter(pk=alice.pk))
    follow_up = CooperationFollowUp.objects.get(registration=alice)
    assert (follow_up.text, follow_up.may_publish, follow_up.status) == (
        "",
        False,
        "agreement_signed",
    )
    summary = public_summary(meeting.edition, now=after)
    assert summary["stories"] == [] and summary["started"] == 1
    assert MeetingRating.objects.get(registration=alice).outcome == "project_planned"
