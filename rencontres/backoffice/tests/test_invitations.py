"""Invitation lists: import from CSV or Excel with a preview and each row's problems, all or
nothing; the invitation e-mails; and the invited person's form, which needs no approval."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from rencontres.backoffice import imports
from rencontres.backoffice.models import InvitationImport
from rencontres.mail.models import OutgoingEmail
from rencontres.models import AuditEntry
from rencontres.registration import services
from rencontres.registration.models import Invitation, Registration
from rencontres.registration.tests.factories import (
    category,
    delivered,
    form_data,
    form_token,
    open_edition,
    registered,
)

from .factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def organiser(client, edition):
    client.force_login(member(edition, "organiser"))
    return client


def url(name, edition, *args):
    with translation.override("en"):
        return reverse(f"backoffice:{name}", args=[edition.number, *args])


def csv_file(text, name="list.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="list.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, edition, file, send_emails=True):
    data = {"file": file}
    if send_emails:
        data["send_emails"] = "on"
    return client.post(url("invitation_import", edition), data, HTTP_ACCEPT_LANGUAGE="en")


FRENCH_LIST = (
    "Prénom;Nom;Courriel;Organisation;Type d'organisation;Pays;Catégorie;Langue\r\n"
    "Aminata;Touré;Aminata.Toure@example.ml;Commune de Ségou;Collectivité locale ou "
    "régionale étrangère;Mali;Élu·e;fr\r\n"
    "Jean;Dupré;jean.dupre@example.fr;Région Bretagne;Région française;France;elected;\r\n"
    "Olena;Kovalenko;olena@example.ua;Lviv City Council;foreign_authority;UA;;english\r\n"
)


def test_a_french_excel_csv_is_previewed_then_imported_and_the_invitations_sent(
    organiser, edition, django_capture_on_commit_callbacks
):
    response = upload(organiser, edition, csv_file(FRENCH_LIST, encoding="cp1252"))
    pending = InvitationImport.objects.get()
    assert response["Location"] == url("invitation_preview", edition, pending.pk)
    assert pending.problems == [] and len(pending.rows) == 3
    preview = organiser.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 people to invite" in preview and "Touré" in preview
    assert not Invitation.objects.exists()  # a preview imports nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(url("invitation_preview", edition, pending.pk))
    assert response["Location"] == url("invitations", edition)
    aminata = Invitation.objects.get(email="aminata.toure@example.ml")
    assert (aminata.country.code, aminata.organisation_kind, aminata.language) == (
        "ML", "foreign_authority", "fr",
    )  # fmt: skip
    assert aminata.category == category(edition)
    olena = Invitation.objects.get(email="olena@example.ua")
    assert (olena.language, olena.category) == ("en", None)
    assert AuditEntry.objects.get(action="invitations_imported").details["count"] == 3
    # The sending task runs once the import has committed.
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 3
    message = OutgoingEmail.objects.get(recipient="olena@example.ua")
    assert "You are invited" in message.subject
    assert services.invitation_link(olena) in message.body_text


def test_an_excel_list_with_errors_shows_each_row_and_imports_nothing(organiser, edition):
    rows = [
        ["E-mail", "First name", "Last name", "Country", "Category", "Notes"],
        ["good@example.org", "Ana", "Silva", "Portugal", "Press", "VIP"],
        ["not-an-address", "Ben", "Okoro", "NG", "", ""],
        ["good@example.org", "Ana", "Silva", "PT", "", ""],
        ["carla@example.org", "", "Rossi", "Atlantis", "Minister", ""],
    ]
    response = upload(organiser, edition, xlsx_file(rows))
    pending = InvitationImport.objects.get()
    problems = {(p["row"], p["column"]) for p in pending.problems}
    assert problems == {(3, "E-mail"), (4, "E-mail"), (5, "First name"), (5, "Country"),
                        (5, "Category")}  # fmt: skip
    page = organiser.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Already in row 2 of this file." in page
    assert "Nothing is imported while the list has problems" in page
    assert "Columns not used: Notes" in page
    assert "Invite 1 person" not in page

    organiser.post(url("invitation_preview", edition, pending.pk))
    assert not Invitation.objects.exists()
    pending.refresh_from_db()
    assert pending.status == "preview"


def test_a_file_without_the_required_columns_is_refused_next_to_the_field(organiser, edition):
    response = upload(organiser, edition, csv_file("Name,Mail\nAna,ana@example.org\n"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "missing: First name, Last name" in page
    assert 'aria-invalid="true"' in page
    assert not InvitationImport.objects.exists()

    for bad in (SimpleUploadedFile("list.xlsx", b"PK\x03\x04 not really"),
                SimpleUploadedFile("list.xls", b"\xd0\xcf\x11\xe0"),
                csv_file("")):  # fmt: skip
        response = upload(organiser, edition, bad)
        assert response.status_code == 200
        assert not InvitationImport.objects.exists()


def test_people_already_registered_or_invited_are_left_out_not_invited_twice(organiser, edition):
    registered(edition, email="known@example.org")
    Invitation.objects.create(edition=edition, email="asked@example.org", first_name="A",
                              last_name="B")  # fmt: skip
    text = ("email,first name,last name\nKNOWN@example.org,K,N\nasked@example.org,A,B\n"
            "new@example.org,N,W\n")  # fmt: skip
    upload(organiser, edition, csv_file(text))
    pending = InvitationImport.objects.get()
    assert [row["reason"] for row in pending.skipped] == ["registered", "invited"]
    assert [row["email"] for row in pending.rows] == ["new@example.org"]
    organiser.post(url("invitation_preview", edition, pending.pk))
    organiser.post(url("invitation_preview", edition, pending.pk))  # a double click
    assert Invitation.objects.filter(email="new@example.org").count() == 1
    assert AuditEntry.objects.filter(action="invitations_imported").count() == 1


def test_an_import_that_fails_halfway_leaves_nothing(organiser, edition, monkeypatch):
    upload(organiser, edition, csv_file("email,first name,last name\na@x.org,A,A\nb@x.org,B,B\n"))
    pending = InvitationImport.objects.get()
    # Someone invites b@x.org between the preview and the confirmation, and the check that
    # would leave it out does not see it (a race): the database's constraint stops the import.
    Invitation.objects.create(edition=edition, email="B@x.org", first_name="B", last_name="B")
    monkeypatch.setattr(imports, "taken_addresses", lambda edition_id: set())
    response = organiser.post(
        url("invitation_preview", edition, pending.pk), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response["Location"] == url("invitation_import", edition)
    assert not Invitation.objects.filter(email="a@x.org").exists()
    pending.refresh_from_db()
    assert pending.status == "preview"


def test_invitations_can_be_sent_later_from_the_list(organiser, edition):
    upload(organiser, edition, csv_file("email,first name,last name\na@x.org,A,A\n"),
           send_emails=False)  # fmt: skip
    organiser.post(url("invitation_preview", edition, InvitationImport.objects.get().pk))
    assert not OutgoingEmail.objects.exists()
    page = organiser.get(url("invitations", edition), HTTP_ACCEPT_LANGUAGE="en")
    assert "Send 1 invitation not sent yet" in page.content.decode()
    organiser.post(url("invitation_send", edition))
    organiser.post(url("invitation_send", edition))
    assert OutgoingEmail.objects.filter(template="invitation").count() == 1
    assert "Not sent yet" in organiser.get(url("invitations", edition) + "?state=not_sent",
                                           HTTP_ACCEPT_LANGUAGE="en").content.decode()  # fmt: skip


@pytest.mark.parametrize("role", ["staff", "check_in", "viewer"])
def test_only_organisers_import_invitations(client, edition, role):
    client.force_login(member(edition, role))
    for name in ("invitations", "invitation_import"):
        assert client.get(url(name, edition)).status_code == 403
    response = client.post(url("invitation_import", edition), {"file": csv_file("x")})
    assert response.status_code == 403
    assert client.post(url("invitation_send", edition)).status_code == 403
    assert not InvitationImport.objects.exists() and not OutgoingEmail.objects.exists()


# The invited person ---------------------------------------------------------------------------


@pytest.fixture
def invitation(edition):
    return Invitation.objects.create(
        edition=edition, email="ana@example.pt", first_name="Ana", last_name="Silva",
        organisation_name="Câmara Municipal do Porto", organisation_kind="foreign_authority",
        country="PT", category=category(edition, "press"), language="en",
    )  # fmt: skip


def link(invitation, secret=None):
    with translation.override("en"):
        return reverse("registration:invited",
                       args=[invitation.public_id, secret or invitation.secret])  # fmt: skip


def test_the_invited_person_finds_the_form_filled_in(client, invitation):
    page = client.get(link(invitation)).content.decode()
    assert "Invitation for Ana Silva" in page
    assert 'value="ana@example.pt"' in page and "Câmara Municipal do Porto" in page
    assert client.get(link(invitation, "x" * 43)).status_code == 404
    assert client.get(link(invitation, "é" * 43)).status_code == 404  # not a 500


def test_every_button_of_the_invitation_page_keeps_the_invitation(client, edition, invitation):
    """The page posts only to itself (in either language): never to the public /register/
    forms, which would drop the invitation, its edition and its needing no approval."""
    import re

    page = client.get(link(invitation)).content.decode()
    with translation.override("fr"):
        french = reverse("registration:invited", args=[invitation.public_id, invitation.secret])
    targets = set(re.findall(r'(?:formaction|action)="([^"]*)"', page))
    assert targets <= {"", link(invitation), french}, targets
    assert "/register/" not in "".join(targets)
    # The language switch opens the invitation in French, with what was typed...
    data = form_data(edition, email="ana@example.pt", category=category(edition, "press").pk,
                     form_token=form_token(client=client))  # fmt: skip
    again = client.post(french, {**data, "redisplay": "language", "first_name": "Anabela"})
    assert "Invitation pour Ana Silva" in again.content.decode()
    assert 'value="Anabela"' in again.content.decode()
    # ... and registering from there is the invitation's: confirmed at once, no approval.
    client.post(french, {**data, "first_name": "Anabela"})
    assert Registration.objects.get().status == "confirmed"
    invitation.refresh_from_db()
    assert invitation.registration is not None


def test_registering_through_the_invitation_confirms_at_once_without_approval(
    client, edition, invitation
):
    data = form_data(edition, email="ana@example.pt", category=category(edition, "press").pk)
    response = client.post(link(invitation), data)
    registration = Registration.objects.get()
    assert response["Location"].endswith(f"/r/{registration.public_id}/{registration.secret}/")
    assert registration.status == "confirmed"  # "press" needs approval, but she was invited
    invitation.refresh_from_db()
    assert invitation.registration == registration
    assert [m.subject for m in delivered()] == ["Your registration is confirmed"]
    assert "You have registered" in client.get(link(invitation)).content.decode()


def test_with_another_address_the_address_is_confirmed_first(client, edition, invitation):
    data = form_data(edition, email="ana.silva@example.pt", category=category(edition, "press").pk)
    client.post(link(invitation), data)
    registration = Registration.objects.get()
    assert registration.status == "awaiting_confirmation"
    registration = services.confirm_address(registration)
    assert registration.status == "confirmed"


def test_an_invited_person_may_decline_then_change_their_mind(client, edition, invitation):
    client.post(link(invitation), {"decline": "1"})
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert "cannot come" in client.get(link(invitation)).content.decode()
    client.post(link(invitation) + "?register=1", form_data(edition, email="ana@example.pt"))
    invitation.refresh_from_db()
    assert invitation.registration is not None and invitation.declined_at is None


def test_control_characters_in_a_list_do_not_reach_the_invitations(organiser, edition):
    text = "email,first name,last name\nami@example.org,A\x1b[31mmi,Diallo\x00\x07\n"
    upload(organiser, edition, csv_file(text))
    (row,) = InvitationImport.objects.get().rows
    assert (row["first_name"], row["last_name"]) == ("A[31mmi", "Diallo")


def test_registering_with_someone_s_address_never_opens_their_private_page(client, edition):
    """The shortcut to the private page is for a registration just made through an invitation
    sent to that address, never for an address already registered."""
    victim = registered(edition, email="victim@example.org")
    with translation.override("en"):
        response = client.post(reverse("registration:start"),
                                form_data(edition, email="victim@example.org"))  # fmt: skip
    assert victim.secret not in response.get("Location", "")
    assert response["Location"].endswith("/register/sent/")


def test_an_invitation_link_does_not_open_an_existing_registration(client, edition, invitation):
    victim = registered(edition, email="victim@example.org")
    response = client.post(link(invitation), form_data(edition, email="victim@example.org"))
    assert victim.secret not in response.get("Location", "")
    invitation.refresh_from_db()
    assert invitation.registration is None


def test_an_address_registered_without_its_invitation_is_not_invited(organiser, edition):
    """Imported, then registered through the public form (and cancelled, or rejected): the
    invitation counts as registered and is never sent."""
    upload(organiser, edition, csv_file(
        "email,first name,last name\nAna@x.org,Ana,Silva\nbo@x.org,Bo,Li\ncy@x.org,Cy,Ng\n"),
        send_emails=False)  # fmt: skip
    organiser.post(url("invitation_preview", edition, InvitationImport.objects.get().pk))
    ana = registered(edition, email="ana@X.org")
    services.cancel(ana)
    registered(edition, email="bo@x.org", category=category(edition, "press"))
    counts = Invitation.objects.filter(edition=edition).counts()
    assert (counts["registered"], counts["not_sent"]) == (2, 1)
    organiser.post(url("invitation_send", edition))
    sent = OutgoingEmail.objects.filter(template="invitation")
    assert list(sent.values_list("recipient", flat=True)) == ["cy@x.org"]
    page = organiser.get(url("invitations", edition) + "?state=registered",
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()  # fmt: skip
    assert "Silva" in page and "Li" in page and page.count("Registered</td></tr>") == 2


def test_the_invitations_search_matches_every_word_and_ignores_a_bad_filter(organiser, edition):
    Invitation.objects.create(
        edition=edition,
        email="yann@example.org",
        first_name="Yann",
        last_name="Le Gall",
        organisation_name="Département du Finistère",
    )
    Invitation.objects.create(edition=edition, email="ivy@example.org", first_name="Ivy",
                              last_name="Ngata", organisation_name="Wellington")  # fmt: skip

    def shown(query):
        page = organiser.get(url("invitations", edition) + query, HTTP_ACCEPT_LANGUAGE="en")
        return {name for name in ("Le Gall", "Ngata") if name in page.content.decode()}

    assert shown("?q=yann+finist") == {"Le Gall"}
    assert shown("?q=yann+wellington") == set()  # every word, in any of the columns
    # A state that is not one (an old or edited link) is marked and ignored: the search holds.
    assert shown("?q=NGATA&state=lost") == {"Ngata"}
