"""Secret links: private links and address confirmations resist guessing, are compared in
constant time, and die when replaced; a cancelled registration's link shows but acts no more."""

import collections
import math
import re
import string
import uuid
from unittest import mock
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rencontres.registration import selectors, services
from rencontres.registration.models import Registration, new_secret

from .factories import delivered, open_edition, registered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL_SAFE = set(string.ascii_letters + string.digits + "-_")


@pytest.fixture
def edition():
    return open_edition()


def private_urls(registration, secret=None):
    """Every page a private link opens, registration's own and the project exchange's."""
    args = [registration.public_id, secret or registration.secret]
    names = [
        "registration:private", "registration:details", "registration:sessions",
        "registration:cancel", "registration:calendar", "registration:invitation",
        "networking:home", "networking:directory", "networking:agenda", "networking:agenda_ics",
        "onsite:own_badge",
    ]  # fmt: skip
    return [reverse(name, args=args) for name in names]


def test_secrets_carry_256_random_bits_from_the_url_safe_alphabet():
    draws = [new_secret() for _ in range(2000)]
    assert len(set(draws)) == len(draws)
    assert all(len(secret) == 43 and set(secret) <= URL_SAFE for secret in draws)
    # Every character spreads over the 64 letters of the alphabet: about 6 bits each, so
    # 43 characters hold 256 bits (a hex or a word-based secret would fall far short).
    counts = collections.Counter("".join(secret[:42] for secret in draws))
    total = sum(counts.values())
    bits_per_character = -sum(n / total * math.log2(n / total) for n in counts.values())
    assert len(counts) == 64 and bits_per_character > 5.95
    assert bits_per_character * 43 >= 128


def test_public_ids_are_random_uuids_not_counters(edition):
    people = [registered(edition) for _ in range(3)]
    assert {person.public_id.version for person in people} == {4}
    assert len({person.public_id for person in people}) == 3


def test_the_secret_is_compared_in_constant_time_and_never_searched_for(edition):
    person = registered(edition)
    with (
        mock.patch.object(
            selectors.hmac, "compare_digest", wraps=selectors.hmac.compare_digest
        ) as compare,
        CaptureQueriesContext(connection) as queries,
    ):
        found = selectors.registration_by_link(person.public_id, person.secret)
        wrong = selectors.registration_by_link(person.public_id, "x" * 43)
    assert found == person and wrong is None
    assert compare.call_args_list == [
        mock.call(person.secret.encode(), person.secret.encode()),
        mock.call(person.secret.encode(), b"x" * 43),
    ]
    # Looked up by its public id only: the database never compares the secret (an index
    # lookup's time could tell how much of a guess was right).
    assert not any(person.secret in query["sql"] for query in queries.captured_queries)
    assert not any("x" * 43 in query["sql"] for query in queries.captured_queries)


def test_a_wrong_secret_of_any_shape_is_a_404_never_an_error(client, edition):
    person = registered(edition)
    for secret in ["x" * 43, person.secret[:-1], person.secret + "x", "é" * 43, "%00", "."]:
        response = client.get(f"/en/r/{person.public_id}/{secret}/")
        assert response.status_code == 404, secret


def test_an_address_that_keeps_guessing_is_refused_its_guesses_not_its_links(
    client, edition, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link-guess-ip": (3, 3600)}
    person = registered(edition)
    right = reverse("registration:private", args=[person.public_id, person.secret])
    for _ in range(5):  # opening one's own link counts nothing
        assert client.get(right).status_code == 200
    for _ in range(3):
        wrong = reverse("registration:private", args=[person.public_id, new_secret()])
        assert client.get(wrong).status_code == 404
    refused = client.get(reverse("registration:private", args=[person.public_id, new_secret()]))
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    # Behind the same address (a venue's Wi-Fi), a right link still opens.
    assert client.get(right).status_code == 200


def test_a_replaced_link_opens_nothing_and_the_new_one_everything(client, edition):
    person = registered(edition, passport_name="NDIAYE Awa")
    old_secret = person.secret
    delivered().clear()
    services.replace_link(person)
    person.refresh_from_db()
    assert person.secret != old_secret
    for url in private_urls(person, secret=old_secret):
        assert client.get(url).status_code == 404, url
    for url in private_urls(person):
        assert client.get(url).status_code in {200, 302}, url  # 302: new post form, etc.
    assert client.get(private_urls(person)[0]).status_code == 200
    (message,) = delivered()
    assert person.secret in message.body and old_secret not in message.body
    assert person.events.filter(action="link_replaced").exists()


def test_organisers_replace_a_link_from_the_admin(client, edition):
    person = registered(edition)
    old_secret = person.secret
    client.force_login(User.objects.create_superuser("organiser", "o@example.org", "pw"))
    response = client.post(
        reverse("admin:registration_registration_changelist"),
        {"action": "replace_link", "_selected_action": [person.pk]},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.secret != old_secret
    event = person.events.get(action="link_replaced")
    assert event.actor.username == "organiser"


def confirmation_path(registration):
    with_token = services.confirmation_link(registration)
    return re.sub(r"^https?://[^/]+", "", with_token)


def test_a_confirmation_link_dies_with_the_secret_it_leads_to(client, edition):
    """The confirmation page leads to the private page: after a new secret, a confirmation
    e-mail lying in an old mailbox must not hand it out."""
    person = registered(edition, confirm=False)
    before = confirmation_path(person)
    assert client.get(before).status_code == 200
    services.replace_link(person)
    person.refresh_from_db()
    assert client.get(before).status_code == 404
    assert client.post(before).status_code == 404
    person.refresh_from_db()
    assert person.status == Registration.Status.AWAITING_CONFIRMATION
    after = confirmation_path(person)
    assert client.post(after)["Location"].endswith(f"/{person.secret}/")


def test_a_confirmation_link_of_a_confirmed_person_leads_to_the_current_link_only(client, edition):
    person = registered(edition)
    html = client.get(confirmation_path(person)).content.decode()
    assert "already confirmed" in html and person.secret in html


def test_a_forged_confirmation_token_opens_nothing(client, edition):
    from django.core import signing

    from rencontres.registration.services.common import CONFIRM_SALT

    person = registered(edition, confirm=False)
    without_fingerprint = signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(person.public_id))
    not_an_id = signing.TimestampSigner(salt=CONFIRM_SALT).sign("not-a-uuid:x")
    for token in [without_fingerprint, not_an_id, "garbage", confirmation_path(person)[-20:]]:
        url = reverse("registration:confirm", args=[token.strip("/")])
        assert client.get(url).status_code == 404, token


def test_a_cancelled_registration_link_shows_the_cancellation_and_nothing_to_do(client, edition):
    person = registered(edition, passport_name="NDIAYE Awa")
    services.cancel(person)
    urls = dict(zip(["private", "details", "sessions", "cancel", "calendar", "invitation",
                     "network", "directory", "agenda", "agenda_ics", "badge"],
                    private_urls(person), strict=True))  # fmt: skip
    page = client.get(urls["private"])
    html = page.content.decode()
    assert page.status_code == 200 and "Cancelled" in html
    for action in ["details", "sessions", "cancel", "invitation", "badge"]:
        assert f'href="{urls[action]}"' not in html
        assert client.get(urls[action]).status_code == 404, action
        assert client.post(urls[action]).status_code == 404, action
    for action in ["network", "directory", "agenda", "agenda_ics"]:
        # The project exchange sends them back to their page, which says why.
        assert client.get(urls[action])["Location"] == urls["private"], action
    assert "VEVENT" not in client.get(urls["calendar"]).content.decode()
    person.refresh_from_db()
    assert person.status == Registration.Status.CANCELLED


def test_unknown_public_ids_and_secrets_look_the_same(client, edition):
    person = registered(edition)
    unknown_id = f"r/{uuid.uuid4()}/{person.secret}/"
    wrong_secret = f"r/{person.public_id}/{new_secret()}/"
    answers = [client.get(f"/en/{path}") for path in (unknown_id, wrong_secret)]
    assert [answer.status_code for answer in answers] == [404, 404]
    # The same page but for the address itself (in the language switch's links).
    pages = [
        answer.content.decode().replace(path, "PATH").replace(quote(f"/en/{path}", safe=""), "PATH")
        for answer, path in zip(answers, (unknown_id, wrong_secret), strict=True)
    ]
    assert pages[0] == pages[1]


def test_calendar_feeds_have_read_only_addresses_that_die_with_the_secret(client, edition):
    """Calendar services keep a feed's address on their servers: it opens the calendar and
    nothing else, and replacing the private link retires it."""
    person = registered(edition)
    sessions_token, agenda_token = person.feed_token("sessions"), person.feed_token("agenda")
    assert len({sessions_token, agenda_token, person.secret}) == 3
    assert len(sessions_token) == 43 and set(sessions_token) <= URL_SAFE  # 256 bits
    feeds = [
        reverse("registration:calendar_feed", args=[person.public_id, sessions_token]),
        reverse("networking:agenda_feed", args=[person.public_id, agenda_token]),
    ]
    for feed in feeds:
        response = client.get(feed)
        assert response.status_code == 200, feed
        assert response["Content-Type"].startswith("text/calendar")
    # The private page offers the feed, never a calendar link carrying the secret.
    html = client.get(reverse("registration:private", args=[person.public_id, person.secret]))
    assert feeds[0] in html.content.decode()
    agenda = client.get(reverse("networking:agenda", args=[person.public_id, person.secret]))
    assert feeds[1] in agenda.content.decode()
    assert f"{person.secret}/network/agenda.ics" not in agenda.content.decode()
    # A feed token is no private link, and one feed's token opens no other feed.
    for token in [sessions_token, agenda_token]:
        assert client.get(f"/en/r/{person.public_id}/{token}/").status_code == 404
    swapped = reverse("networking:agenda_feed", args=[person.public_id, sessions_token])
    assert client.get(swapped).status_code == 404
    services.replace_link(person)
    for feed in feeds:
        assert client.get(feed).status_code == 404, feed
    person.refresh_from_db()
    new_feed = reverse(
        "registration:calendar_feed", args=[person.public_id, person.feed_token("sessions")]
    )
    assert client.get(new_feed).status_code == 200


def test_feed_tokens_are_compared_in_constant_time_and_guesses_count(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link-guess-ip": (2, 3600)}
    person = registered(edition)
    with mock.patch.object(
        selectors.hmac, "compare_digest", wraps=selectors.hmac.compare_digest
    ) as compare:
        assert selectors.registration_by_feed(person.public_id, "agenda", "é" * 43) is None
    assert compare.call_count == 1
    for _ in range(2):
        guess = reverse("networking:agenda_feed", args=[person.public_id, new_secret()])
        assert client.get(guess).status_code == 404
    guess = reverse("networking:agenda_feed", args=[person.public_id, new_secret()])
    assert client.get(guess).status_code == 429
    right = reverse("networking:agenda_feed", args=[person.public_id, person.feed_token("agenda")])
    assert client.get(right).status_code == 200


def test_a_cancelled_registration_agenda_feed_is_gone(client, edition):
    person = registered(edition)
    services.cancel(person)
    feed = reverse("networking:agenda_feed", args=[person.public_id, person.feed_token("agenda")])
    assert client.get(feed).status_code == 404
