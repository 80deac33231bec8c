"""The participants' and organisers' pages: who may open them, and what each form does."""

import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from rencontres.backoffice.tests.factories import member
from rencontres.networking import services
from rencontres.networking.models import Meeting, MeetingRequest, Profile, ScheduleRun, Slot
from rencontres.registration.tests.factories import registered

from .factories import open_edition, person, slots, tables, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def url(registration, name="home", *args):
    return reverse(f"networking:{name}", args=[registration.public_id, registration.secret, *args])


def test_pages_need_the_private_link(client, edition):
    alice = person(edition, "Alice")
    wrong = reverse("networking:home", args=[alice.public_id, "x" * 43])
    assert client.get(wrong).status_code == 404
    assert client.get(url(alice)).status_code == 200


def test_people_not_confirmed_are_sent_back_to_their_registration(client, edition):
    waiting = registered(edition, confirm=False)
    response = client.get(url(waiting))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registration:private", args=[waiting.public_id, waiting.secret]
    )


def test_a_profile_is_created_from_the_form_and_shown_in_the_directory(client, edition):
    alice = registered(edition, first_name="Alice")
    response = client.post(
        url(alice, "profile"),
        {
            "directory_opt_in": "on",
            "about": "Water projects in the Sahel",
            "regions": "Thiès",
            "themes": [theme("water").pk],
            "countries": ["SN"],
            "languages": ["fr", "en"],
            "accepts_requests": "on",
            "show_organisation": "on",
            "show_themes": "on",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(registration=alice)
    assert profile.language_codes == ["fr", "en"]
    assert [str(c) for c in profile.countries] == ["SN"]
    assert not profile.show_job_title
    alice.refresh_from_db()
    assert alice.directory_opt_in and alice.directory_consent_at
    viewer = registered(edition, first_name="Viewer")
    page = client.get(url(viewer, "directory"))
    assert "Alice" in page.content.decode()


def test_bad_profile_input_is_marked_and_kept(client, edition):
    alice = registered(edition, first_name="Alice")
    response = client.post(
        url(alice, "profile"),
        {
            "about": "Kept text",
            "countries": ["ZZ"],
            "themes": ["abc"],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"countries", "themes"}
    assert "Kept text" in response.content.decode()


def test_posts_are_created_edited_and_deleted_by_their_author_only(client, edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    data = {
        "kind": "request",
        "title": "Partner in Senegal",
        "text": "Water",
        "themes": [theme("water").pk],
        "countries": ["SN"],
    }
    assert client.post(url(alice, "post_new"), data).status_code == 302
    post = alice.profile.posts.get()
    assert client.get(url(bob, "post_edit", post.pk)).status_code == 404
    assert client.post(url(bob, "post_delete", post.pk)).status_code == 404
    client.post(url(alice, "post_edit", post.pk), {**data, "title": "Partner in Mali"})
    post.refresh_from_db()
    assert post.title == "Partner in Mali"
    client.post(url(alice, "post_delete", post.pk))
    assert not alice.profile.posts.exists()


def test_a_request_is_sent_accepted_and_shown_to_both(client, edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    response = client.post(url(alice, "person", bob.profile.pk), {"message": "Let us meet"})
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    # Alice cannot answer her own request; a third person cannot even see it.
    carol = person(edition, "Carol")
    assert (
        client.post(url(carol, "request_action", request.pk), {"action": "accept"}).status_code
        == 404
    )
    client.post(url(alice, "request_action", request.pk), {"action": "accept"})
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(url(bob, "request_action", request.pk), {"action": "accept"})
    request.refresh_from_db()
    assert request.status == "accepted"
    for one, other in ((alice, bob), (bob, alice)):
        home = client.get(url(one))
        assert [set(m.participants.all()) for m in home.context["meetings"]] == [{alice, bob}]
        assert f"<strong>{other.full_name}</strong>" in home.content.decode()
    assert not client.get(url(carol)).context["meetings"]


def test_an_empty_message_is_refused_next_to_the_field(client, edition):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    response = client.post(url(alice, "person", bob.profile.pk), {"message": ""})
    assert response.status_code == 200
    assert "message" in response.context["form"].errors
    assert not MeetingRequest.objects.exists()


def test_a_hidden_profile_cannot_be_opened(client, edition):
    alice, hidden = person(edition, "Alice"), person(edition, "Hidden", listed=False)
    assert client.get(url(alice, "person", hidden.profile.pk)).status_code == 404


def test_availability_is_saved_and_sessions_show_as_busy(client, edition):
    from rencontres.registration import services as registration_services
    from rencontres.registration.tests.factories import workshop

    alice = person(edition, "Alice")
    registration_services.change_sessions(alice, [workshop(edition, capacity=10, hour=14)])
    during, after = slots(edition, count=2, hour=15, minutes=30)  # the workshop ends at 15:30
    page = client.get(url(alice, "availability"))
    label = page.context["form"].fields["unavailable"].label_from_instance
    assert "in a session you registered for" in label(during)
    assert "in a session you registered for" not in label(after)
    assert page.content.decode().count("in a session you registered for") == 1
    response = client.post(url(alice, "availability"), {"unavailable": [after.pk]})
    assert response.status_code == 302
    assert list(alice.unavailable_slots.all()) == [after]


def agenda_with_a_meeting(edition):
    alice = person(edition, "Alice")
    bob = person(
        edition, "Bob", organisation_name="Ville de Thiès", country="SN", kind="foreign_authority"
    )
    slots(edition, count=1)
    tables(edition, count=1, location="Hall B")
    request = services.request_meeting(alice, bob, "Hello")
    services.answer(request, bob, accept=True)
    run = services.execute(services.start_run(edition))
    services.publish(run)
    return alice


def test_the_agenda_page_pdf_and_calendar_show_the_meeting(client, edition):
    alice = agenda_with_a_meeting(edition)
    page = client.get(url(alice, "agenda")).content.decode()
    assert "Bob" in page and "Ville de Thiès" in page and "Hall B" in page
    pdf = client.get(url(alice, "agenda_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Bob" in text and "Ville de Thiès" in text and "Hall B" in text
    ics = client.get(url(alice, "agenda_ics")).content.decode()
    assert "BEGIN:VEVENT" in ics and "Bob" in ics and "DTSTART:20271104T080000Z" in ics


# Organisers ----------------------------------------------------------------------------------


def organiser(edition=None):
    from rencontres.editions.models import Edition

    return member(edition or Edition.objects.get(), "organiser")


@pytest.mark.parametrize("role", ["staff", "check_in", "viewer", None])
def test_organiser_pages_need_login_and_the_organiser_role(client, edition, role):
    overview = reverse("networking:organiser", args=[edition.number])
    assert client.get(overview).status_code == 302
    client.force_login(member(edition, role))
    assert client.get(overview).status_code == 403
    assert client.post(overview, {"run": "1"}).status_code == 403
    assert not ScheduleRun.objects.exists()
    # An organiser of another edition is nobody here.
    client.force_login(member(open_edition(number=30), "organiser"))
    assert client.get(overview).status_code == 403


def test_organisers_set_slots_and_tables_run_and_publish(
    client, edition, django_capture_on_commit_callbacks
):
    alice, bob = person(edition, "Alice"), person(edition, "Bob")
    services.answer(services.request_meeting(alice, bob, "Hi"), bob, accept=True)
    client.force_login(organiser())
    overview = reverse("networking:organiser", args=[edition.number])
    response = client.post(
        overview,
        {
            "add_slots": "1",
            "day": "2027-11-04",
            "start": "14:00",
            "count": "8",
            "minutes": "20",
            "pause": "5",
        },
    )
    assert response.status_code == 302
    assert Slot.objects.count() == 8
    client.post(overview, {"set_tables": "1", "count": "12", "location": "Hall B"})
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit
        response = client.post(overview, {"run": "1"})
    run = ScheduleRun.objects.get()
    assert response["Location"] == reverse("networking:run", args=[edition.number, run.pk])
    page = client.get(response["Location"]).content.decode()
    assert re.search(r"100[.,]0 %", page) and "Alice" in page  # placed / proven bound
    status = client.get(reverse("networking:run_status", args=[edition.number, run.pk])).json()
    assert status == {"status": "done", "progress": 100}
    runs = client.get(overview).content.decode()  # the one meeting placed, not published
    assert 'data-label="Placed">1 / 1</td>' in runs and 'data-label="Published">no</td>' in runs
    client.post(reverse("networking:publish", args=[edition.number, run.pk]))
    assert Meeting.objects.get().table.number >= 1
    assert 'data-label="Published">no</td>' not in client.get(overview).content.decode()
    plan = client.get(reverse("networking:table_plan", args=[edition.number])).content.decode()
    assert "Alice" in plan and "Hall B" in plan


def test_a_slot_outside_the_edition_is_refused_next_to_the_field(client, edition):
    client.force_login(organiser())
    overview = reverse("networking:organiser", args=[edition.number])
    response = client.post(
        overview,
        {
            "add_slots": "1",
            "day": "2030-01-01",
            "start": "14:00",
            "count": "8",
            "minutes": "20",
            "pause": "0",
        },
    )
    assert response.status_code == 200
    assert "day" in response.context["slots_form"].errors


def test_blocking_is_only_for_people_in_the_directory(client, edition):
    alice, hidden = person(edition, "Alice"), person(edition, "Hidden", listed=False)
    response = client.post(url(alice, "block", hidden.profile.pk))
    assert response.status_code == 404
    from rencontres.networking.models import Block

    assert not Block.objects.exists()
