"""Attendance certificates: only from check-ins, exactly the days and sessions checked in, in
French and English and every script, checked by a public page that tells genuine from forged,
altered and replaced; the organisers' batch, e-mails sent once, check-ins added by hand."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from rencontres.audit import AuditEntry
from rencontres.backoffice.tests.factories import member
from rencontres.mail.models import OutgoingEmail
from rencontres.onsite import certificates
from rencontres.onsite.models import Certificate, CertificateBatch, CheckIn
from rencontres.registration.tests.factories import open_edition, registered, workshop
from tests.documents import holds, pdf_pages, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def organiser(edition):
    return member(edition, "organiser")


def own_url(person, language=None):
    url = reverse("onsite:own_certificate", args=[person.public_id, person.secret])
    return f"{url}?language={language}" if language else url


def came(person, day, session=None):
    return CheckIn.objects.create(registration=person, day=day, session=session, door="A")


def test_nobody_gets_a_certificate_without_a_check_in(client, edition):
    person = registered(edition)
    assert certificates.issue(person) is None
    assert client.get(own_url(person)).status_code == 404
    page = client.get(reverse("registration:private", args=[person.public_id, person.secret]))
    assert own_url(person).encode() not in page.content
    assert not Certificate.objects.exists()


def test_the_certificate_lists_exactly_the_days_and_sessions_checked_in(client, edition):
    first, second = edition.starts_on, edition.ends_on
    assert first != second
    attended = workshop(edition, title_en="Water and sanitation", checks_entry=True)
    missed = workshop(edition, hour=16, title_en="Urban mobility", checks_entry=True)
    person = registered(edition, first_name="Awa", last_name="Diallo", sessions=[attended, missed])
    came(person, first)
    came(person, first, attended)
    page = client.get(reverse("registration:private", args=[person.public_id, person.secret]))
    assert own_url(person).encode() in page.content

    response = client.get(own_url(person, "en"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Certificate of attendance" in text and "Awa Diallo" in text
    assert "Water and sanitation" in text and "Urban mobility" not in text
    certificate = Certificate.objects.get()
    assert certificate.days == [first.isoformat()]
    assert list(certificate.sessions.all()) == [attended]
    assert certificate.reference in text.replace(" ", "")
    assert pdf_pages(response.content) == 1


def test_a_new_check_in_issues_a_new_certificate_and_the_old_one_says_it_was_replaced(
    client, edition
):
    person = registered(edition)
    came(person, edition.starts_on)
    old = certificates.issue(person)
    assert certificates.issue(person) == old  # unchanged: the same certificate
    came(person, edition.ends_on)
    new = certificates.issue(person)
    assert new != old and new.days == [edition.starts_on.isoformat(), edition.ends_on.isoformat()]
    old.refresh_from_db()
    assert old.replaced_at is not None
    page = client.get(reverse("onsite:certificate_check", args=[old.reference]))
    assert page.status_code == 200 and b"no longer valid" in page.content
    assert person.full_name.encode() not in page.content


def test_the_certificate_is_in_french_or_english_and_draws_every_script(client, edition):
    person = registered(edition, first_name="ليلى", last_name="بن علي", language="fr")
    came(person, edition.starts_on)
    french = pdf_text(client.get(own_url(person)).content)
    assert "Attestation de présence" in french and holds(french, "ليلى بن علي")
    english = pdf_text(client.get(own_url(person, "en")).content)
    assert "Certificate of attendance" in english
    for first_name, last_name in [("伟", "王"), ("Олена", "Коваленко"), ("Nguyễn", "Văn An")]:
        other = registered(edition, first_name=first_name, last_name=last_name)
        came(other, edition.starts_on)
        assert f"{first_name} {last_name}" in pdf_text(client.get(own_url(other)).content)


def test_the_verification_page_says_what_a_genuine_certificate_states_and_nothing_more(
    client, edition
):
    session = workshop(edition, title_en="Secret workshop", checks_entry=True)
    person = registered(edition, first_name="Awa", last_name="Diallo", email="awa@ex.org")
    came(person, edition.starts_on, session)
    certificate = certificates.issue(person)
    page = client.get(
        reverse("onsite:certificate_check", args=[certificate.reference]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    content = page.content.decode()
    assert page.status_code == 200 and "This certificate is genuine" in content
    assert "Awa Diallo" in content and edition.title_en in content
    assert "awa@ex.org" not in content and person.organisation.name not in content
    assert "Secret workshop" not in content


@pytest.mark.parametrize(
    "change",
    [
        lambda reference: reference[:-1] + ("A" if reference[-1] != "A" else "B"),  # altered
        lambda reference: "Zm9yZ2VkLXJlZmVyZW5jZQ",  # forged
        lambda reference: "x" * 41,
    ],
)
def test_a_forged_or_altered_reference_says_so(client, edition, change):
    person = registered(edition)
    came(person, edition.starts_on)
    certificate = certificates.issue(person)
    page = client.get(reverse("onsite:certificate_check", args=[change(certificate.reference)]))
    assert page.status_code == 404 and b"not one of ours" in page.content


def test_wrong_references_are_rate_limited(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link-guess-ip": (2, 3600)}
    url = reverse("onsite:certificate_check", args=["wrong-reference-0000"])
    assert [client.get(url).status_code for _ in range(3)] == [404, 404, 429]


def test_an_organiser_adds_a_check_in_by_hand_audited_in_the_persons_history(
    client, edition, organiser
):
    person = registered(edition)
    client.force_login(organiser)
    url = reverse("onsite:certificates", args=[edition.number])
    data = {"email": person.email, "day": edition.ends_on.isoformat()}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # twice: one check-in
    check_in = CheckIn.objects.get(registration=person)
    assert check_in.day == edition.ends_on and check_in.agent == organiser
    assert person.events.filter(action="checked_in_by_hand").count() == 1
    assert AuditEntry.objects.filter(action="check_in_added").count() == 1
    history = client.get(reverse("backoffice:registration", args=[edition.number, person.pk]))
    assert "Check-in added by hand" in history.content.decode()
    page = client.get(url)
    assert person.full_name in page.content.decode()


def test_a_check_in_by_hand_for_an_unknown_address_or_day_is_refused_next_to_the_field(
    client, edition, organiser
):
    client.force_login(organiser)
    url = reverse("onsite:certificates", args=[edition.number])
    page = client.post(url, {"email": "nobody@example.org", "day": "2001-01-01"})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.errors.keys() == {"email", "day"}
    assert not CheckIn.objects.exists()


def test_the_batch_builds_every_present_persons_certificate_in_one_pdf(
    client, edition, organiser, django_capture_on_commit_callbacks
):
    present = [registered(edition) for _ in range(3)]
    absent = registered(edition)
    for person in present:
        came(person, edition.starts_on)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("onsite:certificate_batch_new", args=[edition.number]))
    batch = CertificateBatch.objects.get()
    page = client.get(response["Location"])
    assert b"Download the PDF" in page.content
    assert response["Location"] == reverse(
        "onsite:certificate_batch", args=[edition.number, batch.pk]
    )
    assert batch.status == "done" and batch.percent == 100  # the immediate backend in tests
    status = client.get(reverse("onsite:certificate_batch_status", args=[edition.number, batch.pk]))
    assert status.json() == {"status": "done", "progress": 100}
    pdf = client.get(reverse("onsite:certificate_batch_file", args=[edition.number, batch.pk]))
    content = b"".join(pdf.streaming_content)
    assert pdf_pages(content) == 3
    text = pdf_text(content)
    assert all(person.last_name in text for person in present)
    assert absent.last_name not in text


def test_certificates_are_emailed_once_to_each_present_person(client, edition, organiser):
    present = [registered(edition) for _ in range(2)]
    registered(edition)  # absent
    for person in present:
        came(person, edition.starts_on)
    OutgoingEmail.objects.all().delete()
    client.force_login(organiser)
    page = client.get(reverse("onsite:certificates", args=[edition.number]))
    nonce = page.context["nonce"]
    url = reverse("onsite:certificates_email", args=[edition.number])
    client.post(url, {"nonce": nonce})
    client.post(url, {"nonce": nonce})  # a double submit
    client.post(url, {"nonce": page.context["nonce"].replace("a", "b")})  # another page
    emails = OutgoingEmail.objects.filter(template="certificate_ready")
    assert sorted(emails.values_list("recipient", flat=True)) == sorted(p.email for p in present)
    body = emails.get(registration=present[0]).body_text
    assert own_url(present[0]) in body
    del mail.outbox[:]


def test_reissuing_gives_a_new_reference_and_voids_the_old(client, edition, organiser):
    person = registered(edition)
    came(person, edition.starts_on)
    old = certificates.issue(person)
    client.force_login(organiser)
    response = client.post(reverse("onsite:certificate_reissue", args=[edition.number, person.pk]))
    assert response.status_code == 302
    new = Certificate.objects.get(replaced_at=None)
    assert new.reference != old.reference
    assert person.events.filter(action="certificate_reissued").exists()
    old_page = client.get(reverse("onsite:certificate_check", args=[old.reference]))
    assert b"no longer valid" in old_page.content
    absent = registered(edition)
    refused = client.post(reverse("onsite:certificate_reissue", args=[edition.number, absent.pk]))
    assert refused.status_code == 404


def test_days_are_the_checked_in_days_whatever_the_door(edition):
    person = registered(edition)
    session = workshop(edition, checks_entry=True)
    came(person, edition.ends_on, session)  # a session's door only
    days, sessions = certificates.attendance(person)
    assert days == [edition.ends_on] and sessions == [session]
    assert edition.starts_on not in days
    assert isinstance(days[0], datetime.date)
