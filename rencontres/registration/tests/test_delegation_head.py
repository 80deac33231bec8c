"""A delegation that manages itself: through their private link, the head sees each member's
state, adds a member, replaces one who cannot come (the place passes on, the new person
confirms their own address), changes a member's sessions, sends a member their e-mail again
and removes a member, while registrations are open; nobody else reaches those pages; the head's
pages never tell whether an address is registered; members keep their own link."""

import datetime
import re

import pytest
from django.utils import timezone

from rencontres.forms import new_page_nonce
from rencontres.mail.models import OutgoingEmail
from rencontres.registration import selectors, services
from rencontres.registration.models import NamedMember, Registration, RegistrationEvent

from .factories import category, delegation, open_edition, registered, workshop

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def edition():
    return open_edition()


def confirmed_delegation(edition, members=2, sessions=()):
    """A head who confirmed their address, and their members (awaiting their own; e-mails
    in English)."""
    head = delegation(edition, members=members, sessions=sessions)
    Registration.objects.filter(delegation=head.delegation).update(language="en")
    head = services.confirm_address(head)
    return head, list(head.delegation.members.exclude(pk=head.pk).order_by("pk"))


def person(**fields):
    return {"first_name": "Zoé", "last_name": "Roy", "email": "zoe.roy@example.org",
            "job_title": "Adviser", "language": "en", **fields}  # fmt: skip


def member_details(edition, **fields):
    return {**person(**fields), "category": category(edition)}


def history(registration):
    return [(event.action, event.details) for event in registration.events.order_by("pk")]


def link(head, *rest):
    return "/".join([f"/en/r/{head.public_id}/{head.secret}", *rest]) + "/"


def states(client, head):
    """{name: state} as the head's page shows them."""
    html = client.get(link(head)).content.decode()
    rows = re.findall(r'<li class="delegation-members__member">(?:<a [^>]+>)?([^<]+)(?:</a>)? '
                      r'<span class="tag tag--[\w]+">([^<]+)</span>', html)  # fmt: skip
    return dict(rows)


# What the head sees ---------------------------------------------------------------------------


def test_the_heads_page_lists_every_member_with_their_state(client, edition):
    head, (awaiting, confirmed, waiting, cancelled) = confirmed_delegation(edition, members=4)
    services.confirm_address(confirmed)
    Registration.objects.filter(pk=awaiting.pk).update(first_name="Ana", last_name="A")
    services.cancel(cancelled)
    Registration.objects.filter(pk=waiting.pk).update(place_held_until=None)
    edition.capacity = Registration.objects.holding_a_place().count()  # full
    edition.save()
    assert services.confirm_address(waiting).status == Status.WAITLISTED
    shown = states(client, head)
    assert shown == {
        "Ana A": "Awaiting their own confirmation",
        confirmed.full_name: "Confirmed",
        waiting.full_name: "On the waiting list",
        cancelled.full_name: "Cancelled",
    }


def test_a_member_whose_address_was_registered_already_looks_like_any_member(client, edition):
    known = registered(edition, email="kay@example.org", first_name="Kim", last_name="Known")
    head, (_member,) = confirmed_delegation(edition, members=1)
    for name in ("kay", "ned"):
        services.add_member(head, member_details(edition, email=f"{name}@example.org",
                                                 first_name=name.capitalize()))  # fmt: skip
    assert NamedMember.objects.get().email == "kay@example.org"
    known.refresh_from_db()
    assert known.delegation is None and known.status == Status.CONFIRMED
    assert not OutgoingEmail.objects.filter(recipient="kay@example.org", template__in=[
        "member_confirm_address", "private_link"]).exists()  # fmt: skip
    assert OutgoingEmail.objects.filter(recipient="ned@example.org").count() == 1
    shown = states(client, head)
    assert shown["Kay Roy"] == shown["Ned Roy"] == "Awaiting their own confirmation"
    # Their own pages read alike too: the head's words, nothing of the other registration.
    pages = []
    for name in ("kay", "ned"):
        entry = next(m for m in services.roster(head) if m.full_name == f"{name.title()} Roy")
        html = client.get(link(head, "delegation", str(entry.public_id))).content.decode()
        html = html[html.index("<h1>") : html.index("Back to my registration")]
        html = html.replace(name, "NAME").replace(name.title(), "NAME")
        html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)
        pages.append(html.replace(str(entry.public_id), "ID"))
    assert pages[0] == pages[1]
    assert "Kim" not in pages[0]


# Adding a member --------------------------------------------------------------------------------


def test_a_head_adds_a_member_who_confirms_their_own_address(edition):
    head, _members = confirmed_delegation(edition, members=1)
    water = workshop(edition, capacity=5)
    OutgoingEmail.objects.all().delete()
    added = services.add_member(head, member_details(edition), sessions=[water])
    assert added.status == Status.AWAITING_CONFIRMATION and added.delegation == head.delegation
    assert added.organisation == head.organisation and added.place_held_until is not None
    assert added.choices.get().status == "requested"  # given when they confirm
    email = OutgoingEmail.objects.get()
    assert email.recipient == "zoe.roy@example.org" and email.template == "member_confirm_address"
    assert head.full_name in email.body_text
    assert ("delegation_member_added", {"by_head": head.pk}) in history(added)
    confirmed = services.confirm_address(added)
    assert confirmed.status == Status.CONFIRMED and confirmed.choices.get().status == "confirmed"


def test_a_delegation_takes_no_more_members_than_the_setting_allows(edition, settings):
    settings.DELEGATION_MAX_MEMBERS = 2
    head, members = confirmed_delegation(edition, members=2)
    with pytest.raises(services.DelegationFull):
        services.add_member(head, member_details(edition))
    services.cancel(members[0])  # a member who no longer comes frees their row
    services.add_member(head, member_details(edition))
    assert services.member_count(head) == 2


def test_the_head_cannot_add_an_address_of_their_own_delegation(edition):
    head, (member,) = confirmed_delegation(edition, members=1)
    for email in (head.email, member.email.upper()):
        with pytest.raises(services.AlreadyInDelegation):
            services.add_member(head, member_details(edition, email=email))


def test_nothing_is_added_after_the_deadline(edition):
    head, _members = confirmed_delegation(edition, members=1)
    edition.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    with pytest.raises(services.RegistrationClosed):
        services.add_member(head, member_details(edition))
    assert not Registration.objects.filter(email="zoe.roy@example.org").exists()


def test_the_same_add_form_sent_twice_adds_one_member(edition):
    head, _members = confirmed_delegation(edition, members=1)
    nonce = new_page_nonce("member")
    first = services.add_member(head, member_details(edition), nonce=nonce)
    again = services.add_member(head, member_details(edition), nonce=nonce)
    assert first == again
    assert Registration.objects.filter(email="zoe.roy@example.org").count() == 1


# Replacing a member who cannot come ---------------------------------------------------------------


def full_edition_with_a_confirmed_member(edition):
    """The edition and a one-place workshop are full: the member holds a place in both, and
    someone waits for each."""
    session = workshop(edition, capacity=2)  # the head's place and the member's
    head, (member,) = confirmed_delegation(edition, members=1, sessions=[session])
    member = services.confirm_address(member)
    assert member.choices.get().status == "confirmed"
    waiting_for_the_session = registered(edition, sessions=[session])
    edition.capacity = Registration.objects.holding_a_place().count()
    edition.save()
    waiting = registered(edition)
    assert waiting.status == Status.WAITLISTED
    return head, member, session, waiting, waiting_for_the_session


def test_a_replacement_takes_over_the_place_and_its_sessions(edition):
    head, member, session, waiting, waiting_for_session = full_edition_with_a_confirmed_member(
        edition
    )
    OutgoingEmail.objects.all().delete()
    new = services.replace_member(member, person(), head=head, nonce=new_page_nonce("replacement"))
    member.refresh_from_db()
    assert member.status == Status.CANCELLED and new.replaces == member
    assert new.status == Status.AWAITING_CONFIRMATION and new.place_held_until is not None
    assert new.category == member.category and new.delegation == head.delegation
    assert new.choices.get().status == "confirmed"  # not through the waiting list
    # Nobody moved up: the place did not come free.
    assert Registration.objects.get(pk=waiting.pk).status == Status.WAITLISTED
    assert waiting_for_session.choices.get().status == "waitlisted"
    assert selectors.places_left(edition)[session.pk] == 0
    to_new = OutgoingEmail.objects.get(recipient=new.email)
    assert to_new.template == "member_confirm_address"
    assert "You take the place of a member who cannot come." in to_new.body_text
    assert "Your places in the sessions listed above are held with it." in to_new.body_text
    to_old = OutgoingEmail.objects.get(recipient=member.email)
    assert to_old.template == "cancelled"
    assert f"{head.full_name}, the head of your delegation, has given your place" in (
        to_old.body_text
    )
    assert ("delegation_member_replaced", {"by_head": head.pk, "replaced_by": new.pk}) in (
        history(member)
    )
    assert ("delegation_member_added", {"by_head": head.pk, "replaces": member.pk}) in history(new)
    # The new person confirms their own address and has the place, and the session's.
    new = services.confirm_address(new)
    assert new.status == Status.CONFIRMED and new.choices.get().status == "confirmed"
    assert Registration.objects.get(pk=waiting.pk).status == Status.WAITLISTED


def test_a_replacement_who_does_not_confirm_in_time_leaves_the_place_to_those_who_wait(edition):
    head, member, _session, waiting, waiting_for_session = full_edition_with_a_confirmed_member(
        edition
    )
    new = services.replace_member(member, person(), head=head)
    later = new.place_held_until + datetime.timedelta(minutes=1)
    services.places.release_expired_holds_of(edition.pk, now=later)
    assert Registration.objects.get(pk=waiting.pk).status == Status.CONFIRMED
    assert waiting_for_session.choices.get().status == "confirmed"
    assert Registration.objects.get(pk=new.pk).choices.get().status == "requested"


def test_a_replacement_in_a_category_with_approval_keeps_the_approved_place(edition):
    press = category(edition, "press")
    head, (member,) = confirmed_delegation(edition, members=1)
    Registration.objects.filter(pk=member.pk).update(category=press)
    member = services.confirm_address(Registration.objects.get(pk=member.pk))
    assert member.status == Status.AWAITING_APPROVAL
    member = services.approve(member, actor=None)
    new = services.replace_member(member, person(), head=head)
    assert new.category == press
    assert services.confirm_address(new).status == Status.CONFIRMED


def test_a_replacement_keeps_the_turn_on_the_waiting_list(edition):
    edition.capacity = 2
    edition.save()
    head, (member,) = confirmed_delegation(edition, members=1)
    registered(edition)  # takes the place held for the member once it is released
    services.places.release_expired_holds_of(edition.pk, now=member.place_held_until
                                              + datetime.timedelta(minutes=1))  # fmt: skip
    member = services.confirm_address(Registration.objects.get(pk=member.pk))
    assert member.status == Status.WAITLISTED
    later = registered(edition)
    new = services.replace_member(member, person(), head=head)
    new = services.confirm_address(new)
    assert new.status == Status.WAITLISTED
    assert new.waitlisted_at == member.waitlisted_at < later.waitlisted_at


def test_the_same_replacement_sent_twice_makes_one_person(edition):
    head, (member,) = confirmed_delegation(edition, members=1)
    nonce = new_page_nonce("replacement")
    first = services.replace_member(member, person(), head=head, nonce=nonce)
    again = services.replace_member(member, person(), head=head, nonce=nonce)
    assert first == again
    assert Registration.objects.filter(email="zoe.roy@example.org").count() == 1
    with pytest.raises(services.MemberGone):  # another form, for the member replaced already
        services.replace_member(member, person(email="x@example.org"), head=head)


def test_a_replacement_whose_address_is_registered_already_is_only_named(edition):
    head, member, _session, waiting, waiting_for_session = full_edition_with_a_confirmed_member(
        edition
    )
    known = registered(edition, email="known@example.org")
    OutgoingEmail.objects.all().delete()
    named = services.replace_member(member, person(email="known@example.org"), head=head)
    assert isinstance(named, NamedMember) and named.head == head
    known.refresh_from_db()
    assert known.delegation is None and not known.choices.exists()
    assert not OutgoingEmail.objects.filter(recipient="known@example.org").exists()
    # The member is told the same words as when the place passes on.
    to_old = OutgoingEmail.objects.get(recipient=member.email)
    assert "has given your place in the delegation to someone else" in to_old.body_text
    # The places go to those who wait.
    assert Registration.objects.get(pk=waiting.pk).status == Status.CONFIRMED
    assert waiting_for_session.choices.get().status == "confirmed"


def test_a_named_member_is_replaced_like_any_other(edition):
    registered(edition, email="known@example.org")
    head, _members = confirmed_delegation(edition, members=1)
    named = services.add_member(head, member_details(edition, email="known@example.org"))
    new = services.replace_member(named, person(), head=head)
    assert not NamedMember.objects.exists()
    assert new.status == Status.AWAITING_CONFIRMATION and new.category == category(edition)
    assert OutgoingEmail.objects.filter(recipient=new.email, template="member_confirm_address")


# Sessions, the e-mail again, removal --------------------------------------------------------------


def test_the_head_changes_a_members_sessions_as_the_member_would(edition):
    full = workshop(edition, capacity=1, hour=10)
    free = workshop(edition, capacity=5, hour=16)
    registered(edition, sessions=[full])
    head, (member,) = confirmed_delegation(edition, members=1)
    member = services.confirm_address(member)
    OutgoingEmail.objects.all().delete()
    waiting = services.change_member_sessions(head, member, [full, free])
    assert waiting == [full]
    statuses = dict(member.choices.values_list("session_id", "status"))
    assert statuses == {full.pk: "waitlisted", free.pk: "confirmed"}
    email = OutgoingEmail.objects.get(recipient=member.email)
    assert email.template == "registration_changed"
    assert f"{head.full_name}, the head of your delegation, has just changed" in email.body_text
    assert "someone else has your link" not in email.body_text
    action, details = history(member)[-1]
    assert action == "sessions_changed" and details["by_head"] == head.pk


def test_the_head_sends_a_member_their_email_again(edition):
    _head, (member,) = confirmed_delegation(edition, members=1)
    OutgoingEmail.objects.all().delete()
    services.resend_member_link(member)
    assert OutgoingEmail.objects.get().template == "member_confirm_address"
    services.confirm_address(member)
    OutgoingEmail.objects.all().delete()
    services.resend_member_link(member)
    assert OutgoingEmail.objects.get().template == "private_link"


def test_the_head_removes_a_member_and_their_places_go_to_those_who_wait(edition):
    head, member, _session, waiting, _waiting_for_session = full_edition_with_a_confirmed_member(
        edition
    )
    assert services.remove_member(member, head=head)
    member.refresh_from_db()
    assert member.status == Status.CANCELLED
    assert ("delegation_member_removed", {"by_head": head.pk}) in history(member)
    assert Registration.objects.get(pk=waiting.pk).status == Status.CONFIRMED
    to_old = OutgoingEmail.objects.get(recipient=member.email, template="cancelled")
    assert f"{head.full_name}, the head of your delegation, has cancelled" in to_old.body_text
    assert not services.remove_member(member, head=head)  # a second click: nothing more


def test_named_members_go_when_an_unconfirmed_members_link_would_expire(edition, settings):
    registered(edition, email="known@example.org")
    head, (member,) = confirmed_delegation(edition, members=1)
    services.add_member(head, member_details(edition, email="known@example.org"))
    later = timezone.now() + datetime.timedelta(hours=settings.REGISTRATION_CONFIRMATION_HOURS + 1)
    services.delete_never_confirmed(now=later)
    assert not Registration.objects.filter(pk=member.pk).exists()
    assert not NamedMember.objects.exists()


def test_erasing_a_person_takes_the_name_a_head_gave_them(edition):
    from rencontres.privacy.services.erasure import erase_registrations

    known = registered(edition, email="known@example.org")
    head, _members = confirmed_delegation(edition, members=1)
    services.add_member(head, member_details(edition, email="Known@example.org"))
    erase_registrations(Registration.objects.filter(pk=known.pk))
    assert not NamedMember.objects.exists()


def test_erasing_a_head_erases_the_names_they_gave(edition):
    from rencontres.privacy.services.erasure import erase_registrations

    registered(edition, email="known@example.org")
    head, (_member,) = confirmed_delegation(edition, members=1)
    services.add_member(head, member_details(edition, email="known@example.org"))
    erase_registrations(Registration.objects.filter(pk=head.pk))
    named = NamedMember.objects.get()
    assert named.first_name == "" and named.email.endswith("@erased.invalid")


def test_erasing_a_replaced_member_keeps_the_history_ids(edition):
    from rencontres.privacy.services.erasure import erase_registrations

    head, (member,) = confirmed_delegation(edition, members=1)
    new = services.replace_member(member, person(), head=head)
    erase_registrations(Registration.objects.filter(pk__in=[member.pk, new.pk]))
    event = RegistrationEvent.objects.get(registration=member, action="delegation_member_replaced")
    assert event.details == {"by_head": head.pk, "replaced_by": new.pk}
    assert Registration.objects.get(pk=new.pk).first_name == ""


# The head's pages ---------------------------------------------------------------------------------


def member_link(head, member, *rest):
    return link(head, "delegation", str(member.public_id), *rest)


def form_nonce(html):
    return re.search(r'name="form_nonce" value="([^"]+)"', html)[1]


def test_only_the_head_reaches_their_members_pages(client, edition):
    head, (member,) = confirmed_delegation(edition, members=1)
    other_head, (other_member,) = confirmed_delegation(edition, members=1)
    assert client.get(member_link(head, member)).status_code == 200
    refused = [
        member_link(member, member),  # the member's own link: a member is no head
        f"/en/r/{member.public_id}/{member.secret}/delegation/add/",
        member_link(other_head, member),  # another delegation's head
        member_link(head, other_member),
        member_link(head, head),  # the head is not one of their members
        f"/en/r/{head.public_id}/{'x' * 43}/delegation/{member.public_id}/",
    ]
    for url in refused:
        assert client.get(url).status_code == 404, url
        assert client.post(url + "send-link/").status_code == 404, url
    assert client.post(member_link(member, member, "remove")).status_code == 404
    assert Registration.objects.get(pk=member.pk).status == Status.AWAITING_CONFIRMATION


def test_a_head_who_has_not_confirmed_their_address_manages_nothing_yet(client, edition):
    head = delegation(edition, members=1)
    member = head.delegation.members.exclude(pk=head.pk).get()
    assert client.get(member_link(head, member)).status_code == 404
    assert "Add a member" not in client.get(link(head)).content.decode()


def test_the_head_adds_a_member_through_the_form(client, edition):
    head, _members = confirmed_delegation(edition, members=1)
    url = link(head, "delegation", "add")
    html = client.get(url).content.decode()
    data = {**person(category=category(edition).pk), "form_nonce": form_nonce(html)}
    # A mistake is shown next to its field, and what was typed stays.
    response = client.post(url, {**data, "email": "not an address"})
    html = response.content.decode()
    assert response.status_code == 200 and "Enter a valid email address." in html
    assert 'value="Zoé"' in html
    response = client.post(url, {**data, "email": head.email})
    assert "This address is already in your delegation." in response.content.decode()
    response = client.post(url, data, follow=True)
    assert "Zoé Roy will get an e-mail to confirm their address" in response.content.decode()
    assert client.post(url, data).status_code == 302  # a second click
    assert Registration.objects.filter(email="zoe.roy@example.org").count() == 1


@pytest.mark.parametrize("page", ["add", "replace"])
def test_adding_and_replacing_count_in_the_registration_forms_limits(client, edition, settings,
                                                                     page):  # fmt: skip
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-ip": (3, 3600)}
    head, (member,) = confirmed_delegation(edition, members=1)
    url = link(head, "delegation", "add") if page == "add" else member_link(head, member, page)
    data = {**person(category=category(edition).pk), "form_nonce": new_page_nonce("member")}
    for _ in range(3):  # refused ones count too
        assert client.post(url, {**data, "first_name": ""}).status_code == 200
    response = client.post(url, data)
    assert "Too many registrations from here" in response.content.decode()
    assert not Registration.objects.filter(email="zoe.roy@example.org").exists()


def test_an_address_named_too_often_is_refused_here_too(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-email": (1, 3600)}
    head, (_member,) = confirmed_delegation(edition, members=1)
    other_head, _members = confirmed_delegation(edition, members=1)
    data = {**person(category=category(edition).pk), "form_nonce": new_page_nonce("member")}
    assert client.post(link(head, "delegation", "add"), data).status_code == 302
    data["form_nonce"] = new_page_nonce("member")
    response = client.post(link(other_head, "delegation", "add"), data)
    assert "Too many registrations from here" in response.content.decode()


def test_the_add_button_goes_when_the_delegation_is_full(client, edition, settings):
    settings.DELEGATION_MAX_MEMBERS = 1
    head, _members = confirmed_delegation(edition, members=1)
    assert "Add a member" not in client.get(link(head)).content.decode()
    response = client.get(link(head, "delegation", "add"), follow=True)
    assert "Your delegation has the most members allowed here (1)" in response.content.decode()


def test_the_head_replaces_a_member_once_whatever_the_clicks(client, edition):
    head, (member,) = confirmed_delegation(edition, members=1)
    member = services.confirm_address(member)
    url = member_link(head, member, "replace")
    data = {**person(), "form_nonce": form_nonce(client.get(url).content.decode())}
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert f"Zoé Roy takes the place of {member.full_name}." in html
    assert client.post(url, data).status_code in (302, 404)  # the second click: nothing more
    assert Registration.objects.filter(email="zoe.roy@example.org").count() == 1
    assert Registration.objects.get(pk=member.pk).status == Status.CANCELLED
    assert states(client, head) == {
        "Zoé Roy": "Awaiting their own confirmation",
        member.full_name: "Replaced by someone else",
    }
    # The one replaced can no longer be replaced or removed.
    assert client.get(url).status_code == 404


def test_the_head_changes_a_members_sessions_through_the_form(client, edition):
    water = workshop(edition, capacity=5, title_en="Water")
    head, (member,) = confirmed_delegation(edition, members=1)
    assert client.get(member_link(head, member, "sessions")).status_code == 404  # not yet
    member = services.confirm_address(member)
    response = client.post(
        member_link(head, member, "sessions"), {"sessions": [water.pk]}, follow=True
    )
    html = response.content.decode()
    assert f"The sessions of {member.full_name} are saved." in html
    assert re.search(r"Water</a>[^<]*<span class=\"tag\">Confirmed", html)


def test_sending_a_members_email_again_is_rate_limited(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link-email": (2, 3600)}
    head, (member,) = confirmed_delegation(edition, members=1)
    OutgoingEmail.objects.all().delete()
    for _ in range(3):
        response = client.post(member_link(head, member, "send-link"), follow=True)
    assert "Too many requests" in response.content.decode()
    assert OutgoingEmail.objects.filter(recipient=member.email).count() == 2
    assert client.get(member_link(head, member, "send-link")).status_code == 405


def test_the_head_removes_a_member_after_saying_yes(client, edition):
    head, (member,) = confirmed_delegation(edition, members=1)
    page = client.get(member_link(head, member, "remove")).content.decode()
    assert "Yes, remove them" in page
    assert Registration.objects.get(pk=member.pk).status == Status.AWAITING_CONFIRMATION
    response = client.post(member_link(head, member, "remove"), follow=True)
    assert f"{member.full_name} is no longer in your delegation." in response.content.decode()
    assert Registration.objects.get(pk=member.pk).status == Status.CANCELLED


def test_after_the_deadline_the_head_sees_the_members_and_changes_nothing(client, edition):
    head, (member,) = confirmed_delegation(edition, members=1)
    edition.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    html = client.get(link(head)).content.decode()
    assert member.full_name in html and "Add a member" not in html
    assert f'href="{member_link(head, member)}"' not in html
    for url in (member_link(head, member, "replace"), link(head, "delegation", "add")):
        response = client.post(url, {**person(), "category": category(edition).pk}, follow=True)
        assert "Registrations closed on" in response.content.decode()
    assert not Registration.objects.filter(email="zoe.roy@example.org").exists()


def test_a_member_changes_and_cancels_their_own_registration_with_their_own_link(client, edition):
    water = workshop(edition, capacity=5)
    head, (member,) = confirmed_delegation(edition, members=1)
    member = services.confirm_address(member)
    own = f"/en/r/{member.public_id}/{member.secret}/"
    assert client.post(own + "sessions/", {"sessions": [water.pk]}).status_code == 302
    assert member.choices.get().session == water
    action, details = history(member)[-1]
    assert action == "sessions_changed" and "by_head" not in details
    assert client.post(own + "cancel/").status_code == 302
    assert Registration.objects.get(pk=member.pk).status == Status.CANCELLED
    assert states(client, head) == {member.full_name: "Cancelled"}
