"""After the event, in Chromium: a participant opens the one-click link of her e-mail, confirms
her answer, finds it in her agenda; months later she says where the cooperation stands; an
organiser reads the outcomes page. axe-core checks each page at desktop and phone widths, in
French and English."""

import datetime
import os

import pytest
from django.db.models import F
from django.utils import timezone

from rencontres.editions.tests.test_browser import check, log_in
from rencontres.networking import services
from rencontres.networking.models import CooperationFollowUp, Meeting, MeetingRating, Slot
from rencontres.networking.services import outcomes

from .factories import open_edition, person, slots, tables

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("OUTCOMES_SCREENSHOTS")  # a folder: pages are saved there to look at


def shoot(page, name):
    if not SHOTS:
        return
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def past_meeting(live_server, settings):
    settings.SITE_URL = live_server.url
    edition = open_edition()
    alice = person(edition, "Alice", themes=["water"], organisation_name="Ville de Lyon")
    bob = person(
        edition, "Bob", country="SN", kind="foreign_authority", themes=["water"],
        organisation_name="Commune de Thiès",
    )  # fmt: skip
    slots(edition, count=1)
    tables(edition, count=1)
    request = services.request_meeting(alice, bob, "Hello")
    services.answer(request, bob, accept=True)
    run = services.start_run(edition)
    services.execute(run)
    services.publish(run)
    # The meeting took place yesterday.
    back = Slot.objects.get(edition=edition).ends_at - timezone.now() + datetime.timedelta(days=1)
    Slot.objects.filter(edition=edition).update(
        starts_at=F("starts_at") - back, ends_at=F("ends_at") - back
    )
    return edition, Meeting.objects.get(request=request), alice, bob


def test_a_participant_rates_her_meeting_and_follows_it_up(browser_page, live_server,
                                                           past_meeting):  # fmt: skip
    page = browser_page
    edition, meeting, alice, _bob = past_meeting
    assert outcomes.ask_ratings() == 2

    for language in ("fr", "en"):
        alice.language = language
        alice.save()
        token = outcomes.rating_token(meeting, alice, MeetingRating.Outcome.PROJECT_PLANNED)
        page.goto(outcomes.link(alice, "networking:rate_link", token))
        assert page.locator("input[value=project_planned]").is_checked()
        assert not MeetingRating.objects.exclude(outcome="").exists()  # opening writes nothing
        check(page)
        shoot(page, f"rate-{language}")
    page.get_by_role("button", name="Save my answer").click()
    assert "your answer is saved" in page.locator(".messages").inner_text()
    check(page)
    rating = MeetingRating.objects.get(registration=alice)
    assert rating.outcome == "project_planned"

    # Her agenda says what she answered, and lets her change it.
    page.goto(f"{live_server.url}/en/r/{alice.public_id}/{alice.secret}/network/agenda/")
    assert "Your answer: A project is planned." in page.locator("main").inner_text()
    check(page)
    shoot(page, "agenda-en")

    # On the follow-up date, she is asked where it stands.
    outcomes.set_follow_up_date(edition, timezone.localdate())
    assert outcomes.ask_follow_ups() == 2
    for language in ("fr", "en"):
        alice.language = language
        alice.save()
        page.goto(
            outcomes.link(
                alice, "networking:follow_up_link", outcomes.follow_up_token(meeting, alice)
            )
        )
        check(page)
        shoot(page, f"follow-up-{language}")
    page.get_by_label("The organisers may publish this text").check()
    page.get_by_role("button", name="Save my answer").click()
    assert page.locator("#field-text .errorlist").count() == 1  # the text to publish is missing
    check(page)
    shoot(page, "follow-up-error-en")
    page.get_by_label("A project has started").check()
    page.get_by_label("In a few words").fill("A drinking-water network in Thiès.")
    page.get_by_role("button", name="Save my answer").click()
    assert "your answer is saved" in page.locator(".messages").inner_text()
    follow_up = CooperationFollowUp.objects.get(registration=alice)
    assert (follow_up.status, follow_up.may_publish) == ("project_started", True)


def test_an_organiser_reads_the_outcomes(browser_page, live_server, past_meeting):
    page = browser_page
    edition, meeting, alice, bob = past_meeting
    outcomes.rate(meeting, alice, "project_planned")
    outcomes.rate(meeting, bob, "follow_up")
    outcomes.set_follow_up_date(edition, timezone.localdate())
    outcomes.ask_follow_ups()
    outcomes.answer_follow_up(meeting, bob, "agreement_signed", "Convention signée.", True)
    log_in(page, live_server, f"/fr/organiser/{edition.number}/outcomes/")
    page.wait_for_url(f"**/organiser/{edition.number}/outcomes/")
    assert "France – Sénégal" in page.locator("main").inner_text()
    check(page)
    shoot(page, "outcomes-fr")
    page.goto(f"{live_server.url}/en/organiser/{edition.number}/outcomes/")
    assert "France – Senegal" in page.locator("main").inner_text()
    check(page)
    shoot(page, "outcomes-en")


def test_the_next_editions_home_page_tells_what_the_last_one_led_to(browser_page, live_server,
                                                                    past_meeting):  # fmt: skip
    page = browser_page
    edition, meeting, alice, bob = past_meeting
    outcomes.rate(meeting, alice, "project_planned")
    outcomes.set_follow_up_date(edition, timezone.localdate())
    outcomes.ask_follow_ups()
    outcomes.answer_follow_up(meeting, bob, "agreement_signed", "Une convention sur l'eau.", True)
    outcomes.answer_follow_up(meeting, alice, "project_started", "Pas pour publication", False)
    following = open_edition(number=edition.number + 1, starts_on=datetime.date(2028, 11, 2),
                             ends_on=datetime.date(2028, 11, 3))  # fmt: skip
    for language, countries in (("fr", "France – Sénégal"), ("en", "France – Senegal")):
        page.goto(f"{live_server.url}/{language}/editions/{following.number}/")
        section = page.locator("section[aria-labelledby=previous-outcomes-title]")
        assert "Une convention sur l'eau." in section.inner_text()
        assert countries in section.inner_text()
        assert "Pas pour publication" not in page.content()
        check(page)
        shoot(page, f"home-{language}")
