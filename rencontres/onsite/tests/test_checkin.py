"""The check-in desk: one check-in per person and day whatever the scans, clear refusals,
offline scans merged, the list for offline devices, the figures, and who may use it."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.backoffice.tests.factories import member
from rencontres.onsite import selectors, services
from rencontres.onsite.models import CheckIn
from rencontres.onsite.tests.factories import running_edition
from rencontres.onsite.tokens import badge_token, token_hash
from rencontres.registration import services as registration_services
from rencontres.registration.tests.factories import open_edition, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return running_edition()


@pytest.fixture
def agent(client, edition):
    user = member(edition, "check_in")
    client.force_login(user)
    return user


def scan(client, edition, token, **fields):
    with translation.override("en"):
        url = reverse("onsite:api_scan", args=[edition.number])
    response = client.post(
        url, json.dumps({"token": token, **fields}), content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()


def test_scanning_twice_records_one_check_in_and_says_when_and_where(client, edition, agent):
    person = registered(edition, first_name="Awa")
    first = scan(client, edition, badge_token(person), door="B")
    assert first["status"] == "ok" and first["name"].startswith("Awa")
    again = scan(client, edition, badge_token(person), door="A")
    assert again["status"] == "already" and again["first_door"] == "B"
    assert again["first_at"] == timezone.localtime(CheckIn.objects.get().at).strftime("%H:%M")
    assert CheckIn.objects.count() == 1


def test_the_next_day_is_a_new_check_in(edition):
    person = registered(edition)
    day_one = timezone.now() - datetime.timedelta(days=1)
    assert services.check_in(edition, person, at=day_one)[0] == "ok"
    assert services.check_in(edition, person)[0] == "ok"
    assert CheckIn.objects.count() == 2


def test_cancelled_unknown_and_other_editions_badges_are_refused(client, edition, agent):
    cancelled = registered(edition)
    registration_services.cancel(cancelled)
    result = scan(client, edition, badge_token(cancelled))
    assert result["status"] == "not_confirmed" and "cancelled" in result["reason"].lower()
    assert scan(client, edition, "forged:token")["status"] == "unknown"
    elsewhere = registered(running_edition(number=16))
    assert scan(client, edition, badge_token(elsewhere))["status"] == "unknown"
    assert not CheckIn.objects.exists()


def test_offline_scans_are_merged_once_and_keep_the_earliest_time(client, edition, agent):
    person, other = registered(edition), registered(edition)
    now = timezone.now()
    scan(client, edition, badge_token(person), door="A")  # online, now
    earlier = (now - datetime.timedelta(minutes=20)).isoformat()
    items = [
        {"id": "1", "token": badge_token(person), "door": "B", "at": earlier},
        {"id": "2", "token": badge_token(other), "door": "B", "at": earlier},
        {"id": "2", "token": badge_token(other), "door": "B", "at": earlier},  # sent twice
        {"id": "3", "token": "nonsense", "door": "B"},
        "not an object",
    ]
    response = client.post(
        reverse("onsite:api_sync", args=[edition.number]),
        json.dumps({"items": items}),
        content_type="application/json",
    )
    statuses = [row["status"] for row in response.json()["results"]]
    assert statuses == ["already", "ok", "already", "unknown", "unknown"]
    assert CheckIn.objects.count() == 2
    first = CheckIn.objects.get(registration=person)
    assert first.door == "B" and first.offline  # the offline scan came first
    assert abs(first.at - (now - datetime.timedelta(minutes=20))) < datetime.timedelta(seconds=1)


def test_a_device_clock_in_the_future_is_not_believed(client, edition, agent):
    person = registered(edition)
    future = (timezone.now() + datetime.timedelta(hours=3)).isoformat()
    client.post(
        reverse("onsite:api_sync", args=[edition.number]),
        json.dumps({"items": [{"token": badge_token(person), "at": future}]}),
        content_type="application/json",
    )
    assert CheckIn.objects.get().at <= timezone.now() + services.CLOCK_SLACK


def test_bad_requests_get_a_400_not_an_error(client, edition, agent):
    for body in (b"not json", b"[1, 2]", json.dumps({"items": "x"}).encode()):
        response = client.post(
            reverse("onsite:api_sync", args=[edition.number]), body, content_type="application/json"
        )
        assert response.status_code == 400
    response = client.post(
        reverse("onsite:api_scan", args=[edition.number]), b"{", content_type="application/json"
    )
    assert response.status_code == 400


def test_the_offline_list_has_hashes_names_and_categories_only(client, edition, agent):
    person = registered(edition, first_name="Awa", email="awa@example.sn")
    registered(edition, confirm=False)
    data = client.get(reverse("onsite:api_list", args=[edition.number])).json()
    assert list(data["people"]) == [token_hash(badge_token(person))]
    name, category, inside, sessions = data["people"][token_hash(badge_token(person))]
    assert name.startswith("Awa") and data["categories"][category] == person.category.name
    assert inside == 0 and sessions == []
    assert set(data) == {
        "generated_at", "expires_at", "days", "sessions", "categories", "people"
    }  # fmt: skip
    body = json.dumps(data)
    assert "awa@example.sn" not in body and badge_token(person) not in body
    assert person.organisation.name not in body and person.category.colour not in body


def test_the_offline_list_expires_within_a_day_and_with_the_edition(client, edition, agent):
    import datetime

    from django.utils.dateparse import parse_datetime

    registered(edition)
    url = reverse("onsite:api_list", args=[edition.number])
    expires = parse_datetime(client.get(url).json()["expires_at"])
    assert timezone.now() < expires <= timezone.now() + datetime.timedelta(hours=24)
    type(edition).objects.filter(pk=edition.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
        ends_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    assert parse_datetime(client.get(url).json()["expires_at"]) <= timezone.now()


def test_on_an_extra_day_after_the_edition_the_offline_list_lasts_until_its_end(
    client, edition, agent
):
    from django.utils.dateparse import parse_datetime

    today = timezone.localdate()
    type(edition).objects.filter(pk=edition.pk).update(
        starts_on=today - datetime.timedelta(days=3), ends_on=today - datetime.timedelta(days=2)
    )
    edition.refresh_from_db()
    services.accept_check_ins_on(edition, today, agent)
    registered(edition)
    data = client.get(reverse("onsite:api_list", args=[edition.number])).json()
    assert today.isoformat() in data["days"]
    end_of_today = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), timezone.get_current_timezone()
    )
    assert timezone.now() < parse_datetime(data["expires_at"]) <= end_of_today


def test_an_unchanged_offline_list_answers_304_and_a_change_a_new_list(client, edition, agent):
    from rencontres.registration import services as registration_services

    person, other = registered(edition), registered(edition)
    url = reverse("onsite:api_list", args=[edition.number])
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    registration_services.cancel(other)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert list(changed.json()["people"]) == [token_hash(badge_token(person))]


def test_without_javascript_the_scan_form_and_the_search_work(client, edition, agent):
    person = registered(edition, first_name="Zeynep", last_name="Yilmaz")
    desk = reverse("onsite:desk", args=[edition.number])
    response = client.post(
        reverse("onsite:api_scan", args=[edition.number]),
        {"token": badge_token(person), "door": "C"},
    )
    assert response["Location"] == desk
    assert "Zeynep" in client.get(desk).content.decode()
    other = registered(edition, first_name="Jonas", last_name="Berg")
    page = client.get(desk, {"q": "berg"}).content.decode()
    assert "Jonas Berg" in page and "Zeynep" not in page
    client.post(reverse("onsite:desk_check_in", args=[edition.number, other.pk]))
    assert CheckIn.objects.count() == 2


def test_the_figures_count_arrivals_by_quarter_category_and_door(client, edition, agent):
    people = [registered(edition) for _ in range(3)]
    yesterday = timezone.localtime() - datetime.timedelta(days=1)  # scans are never in the future
    base = yesterday.replace(hour=9, minute=2, second=0, microsecond=0)
    for person, minutes, door in zip(people, (0, 5, 20), ("A", "A", "B"), strict=True):
        at = base + datetime.timedelta(minutes=minutes)
        services.check_in(edition, person, door=door, at=at)
    figures = services.figures(edition, base.date())
    assert [count for _quarter, count in figures["quarters"]] == [2, 1]
    assert figures["doors"] == [("A", 2), ("B", 1)]
    assert (figures["present"], figures["expected"]) == (3, 3)
    page = client.get(
        reverse("onsite:figures", args=[edition.number]), {"day": base.date().isoformat()}
    )
    assert page.status_code == 200 and "09:00" in page.content.decode()


def test_the_desk_is_for_check_in_agents_staff_and_organisers(client, edition):
    person = registered(edition)
    urls = [
        ("get", reverse("onsite:desk", args=[edition.number])),
        ("get", reverse("onsite:api_list", args=[edition.number])),
        ("post", reverse("onsite:api_scan", args=[edition.number])),
        ("post", reverse("onsite:api_sync", args=[edition.number])),
        ("get", reverse("onsite:figures", args=[edition.number])),
        ("post", reverse("onsite:one_badge", args=[edition.number, person.public_id])),
        ("post", reverse("onsite:desk_check_in", args=[edition.number, person.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 302, url  # to the login page
    for role in ("viewer", None):
        client.force_login(member(edition, role))
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (role, url)
    for role in ("staff", "organiser"):
        client.force_login(member(edition, role))
        assert client.get(urls[0][1]).status_code == 200
    assert not CheckIn.objects.exists()


def test_a_session_door_admits_its_list_once_apart_from_the_venue(client, edition, agent):
    from rencontres.registration import services as registration_services
    from rencontres.registration.tests.factories import workshop

    session = workshop(edition, capacity=5, checks_entry=True)
    holder, other = registered(edition), registered(edition)
    registration_services.change_sessions(holder, [session])
    assert scan(client, edition, badge_token(holder))["status"] == "ok"  # the venue
    assert scan(client, edition, badge_token(holder), session=session.pk)["status"] == "ok"
    assert scan(client, edition, badge_token(holder), session=session.pk)["status"] == "already"
    refused = scan(client, edition, badge_token(other), session=session.pk)
    assert refused["status"] == "not_on_list" and "Water" in refused["reason"]
    plain = workshop(edition, capacity=5, hour=16)  # its door does not scan
    assert scan(client, edition, badge_token(holder), session=plain.pk)["status"] == "unknown"
    assert CheckIn.objects.filter(session=session).count() == 1
    assert CheckIn.objects.filter(session=None).count() == 1
    data = client.get(reverse("onsite:api_list", args=[edition.number])).json()
    assert data["sessions"] == {str(session.pk): False}
    assert data["people"][token_hash(badge_token(holder))][3] == [session.pk]


def test_staff_register_someone_at_the_door_only_when_the_edition_allows_it(client, edition, agent):
    from rencontres.registration.tests.factories import category

    url = reverse("onsite:register", args=[edition.number])
    assert client.get(url).status_code == 404
    edition.allows_onsite_registration = True
    edition.save()
    data = {
        "first_name": "Lin", "last_name": "Wei", "email": "Lin.Wei@example.cn",
        "job_title": "Deputy mayor", "organisation_name": "Ville de Suzhou",
        "organisation_kind": "foreign_authority", "organisation_country": "CN",
        "category": category(edition).pk, "language": "en",
    }  # fmt: skip
    from rencontres.registration.models import Registration

    refused = client.post(url, {**data, "email": "not an e-mail"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "email" in refused.context["form"].errors
    assert not Registration.objects.exists() and not CheckIn.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302

    person = Registration.objects.get(email="lin.wei@example.cn")
    assert person.status == "confirmed"
    assert CheckIn.objects.filter(registration=person).count() == 1
    client.post(url, data)  # the same person again: nothing twice
    assert Registration.objects.filter(email="lin.wei@example.cn").count() == 1
    assert CheckIn.objects.count() == 1


def test_impossible_or_implausible_device_times_never_break_the_sync(client, edition, agent):
    people = [registered(edition) for _ in range(3)]
    items = [
        {"token": badge_token(people[0]), "at": "2027-02-30T10:00:00+01:00"},
        {"token": badge_token(people[1]), "at": "0001-01-01T00:00:00+01:00"},
        {"token": badge_token(people[2]), "at": "2020-01-01T09:00:00+01:00"},
    ]
    response = client.post(
        reverse("onsite:api_sync", args=[edition.number]),
        json.dumps({"items": items}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["ok", "ok", "ok"]
    assert set(CheckIn.objects.values_list("day", flat=True)) == {timezone.localdate()}


def test_someone_who_never_confirmed_their_address_is_let_in_at_the_door(client, edition, agent):
    from rencontres.registration.tests.factories import category

    edition.allows_onsite_registration = True
    edition.save()
    waiting = registered(edition, confirm=False, email="late@example.org")
    client.post(
        reverse("onsite:register", args=[edition.number]),
        {
            "first_name": "Late",
            "last_name": "Comer",
            "email": "late@example.org",
            "job_title": "Mayor",
            "organisation_name": "Ville de Lyon",
            "organisation_kind": "commune",
            "organisation_country": "FR",
            "category": category(edition).pk,
            "language": "fr",
        },
    )
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert CheckIn.objects.filter(registration=waiting).exists()


# Only on the edition's days, unless an organiser accepts check-ins outside them -------------


@pytest.fixture
def coming(client):
    """An edition whose days are next year: today is not one of them."""
    return open_edition(number=30)


def test_no_check_in_outside_the_edition_s_days_and_a_clear_reason(coming):
    person = registered(coming)
    status, details = services.check_in(coming, person)
    assert status == services.OUTSIDE_DAYS and details["name"] == person.full_name
    with translation.override("en"):
        assert services.check_in(coming, person)[1]["reason"] == (
            "Check-ins are accepted on the days of the edition only (4 November – 5 November 2027)."
        )
    # An offline scan dated yesterday, or a hand check-in: the same rule.
    yesterday = timezone.now() - datetime.timedelta(days=1)
    assert services.check_in(coming, person, at=yesterday, offline=True)[0] == services.OUTSIDE_DAYS
    assert not CheckIn.objects.exists()


def test_the_edition_s_first_and_last_days_check_in(edition):
    person = registered(edition)
    for day in (edition.starts_on, edition.ends_on):
        assert selectors.accepts_check_ins(edition, day)
    assert not selectors.accepts_check_ins(edition, edition.ends_on + datetime.timedelta(days=1))
    assert not selectors.accepts_check_ins(edition, edition.starts_on - datetime.timedelta(days=1))
    assert services.check_in(edition, person)[0] == services.OK


def test_an_organiser_accepts_check_ins_today_seen_on_every_desk_and_audited(client, coming):
    from rencontres.models import AuditEntry

    person = registered(coming, first_name="Awa")
    organiser = member(coming, "organiser", username="claire")
    agent = member(coming, "check_in")
    with translation.override("en"):
        desk = reverse("onsite:desk", args=[coming.number])
        switch = reverse("onsite:check_in_days", args=[coming.number])
    client.force_login(agent)
    page = client.get(desk).content.decode()
    assert "Today is not a day of the edition: check-ins are refused." in page
    assert "Accept check-ins today" not in page  # an agent cannot switch it on
    assert client.post(switch, {"accept": "1"}).status_code == 403
    assert scan(client, coming, badge_token(person))["status"] == services.OUTSIDE_DAYS
    data = client.get(reverse("onsite:api_list", args=[coming.number])).json()
    assert data["days"] == ["2027-11-04", "2027-11-05"]  # the offline desk knows it too

    client.force_login(organiser)
    assert "Accept check-ins today" in client.get(desk).content.decode()
    assert client.post(switch, {"accept": "1"})["Location"] == desk
    client.post(switch, {"accept": "1"})  # twice: one switch, one line in the log
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.details) == (
        "check_in_day_opened", organiser, {"day": timezone.localdate().isoformat()})  # fmt: skip

    client.force_login(agent)
    page = client.get(desk).content.decode()
    assert "Check-ins are accepted today, outside the edition" in page
    assert "Switched on by claire at" in page
    assert scan(client, coming, badge_token(person))["status"] == services.OK
    data = client.get(reverse("onsite:api_list", args=[coming.number])).json()
    assert timezone.localdate().isoformat() in data["days"]
    # Tomorrow is another day: the switch was for today only.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert not selectors.accepts_check_ins(coming, tomorrow)

    client.force_login(organiser)
    client.post(switch, {"accept": "0"})
    assert AuditEntry.objects.filter(action="check_in_day_closed").count() == 1
    assert not selectors.accepts_check_ins(coming, timezone.localdate())


def test_an_edition_s_own_day_needs_no_switch(edition):
    assert services.accept_check_ins_on(edition, timezone.localdate(), None) is False
    assert not services.ExtraCheckInDay.objects.exists()


def test_registering_at_the_door_outside_the_days_says_why_there_is_no_check_in(client, coming):
    from rencontres.registration.tests.factories import category

    coming.allows_onsite_registration = True
    coming.save()
    client.force_login(member(coming, "check_in"))
    with translation.override("en"):
        url = reverse("onsite:register", args=[coming.number])
    client.post(url, {
        "first_name": "Lin", "last_name": "Wei", "email": "lin@example.cn", "job_title": "Mayor",
        "organisation_name": "Ville de Suzhou", "organisation_kind": "foreign_authority",
        "organisation_country": "CN", "category": category(coming).pk, "language": "en",
    })  # fmt: skip
    with translation.override("en"):
        page = client.get(reverse("onsite:desk", args=[coming.number])).content.decode()
    assert "No check-in today" in page and "on the days of the edition only" in page
    assert not CheckIn.objects.exists()
