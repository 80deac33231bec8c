"""Badge tokens and PDFs: what a badge says, in every script, and who may print which."""

import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from rencontres.backoffice.tests.factories import member
from rencontres.onsite.badges import badges_pdf
from rencontres.onsite.models import BadgeBatch, BadgePrinting
from rencontres.onsite.tokens import badge_token, public_id_from_token
from rencontres.registration.tests.factories import (
    category,
    open_edition,
    organisation,
    registered,
)
from tests.documents import holds, page_images, qr_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def text_of(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_token_carries_the_random_public_id_signed_and_nothing_personal(edition):
    person = registered(edition, first_name="Awa", email="awa@example.sn")
    token = badge_token(person)
    assert public_id_from_token(token) == person.public_id
    assert str(person.pk) != token.split(":")[0] and "awa" not in token.lower()


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: "0" * 32 + t[32:],  # another id with this signature
        lambda t: t.split(":")[0],  # no signature
        lambda t: "",
        lambda t: "x" * 500,
    ],
)
def test_a_forged_or_altered_token_is_refused(edition, change):
    assert public_id_from_token(change(badge_token(registered(edition)))) is None


def test_a_badge_shows_name_job_organisation_country_and_category(edition):
    person = registered(
        edition,
        first_name="Olena",
        last_name="Kovalenko",
        job_title="Mayor",
        organisation=organisation("Ville de Bila Tserkva", "UA", "foreign_authority"),
    )
    content, pages = badges_pdf([person])  # in the person's language, English here
    text = text_of(content)
    assert pages == 1
    for expected in ("Olena Kovalenko", "Mayor", "Ville de Bila Tserkva", "UA", "ELECTED OFFICIAL"):
        assert expected in text, expected


def test_long_and_non_latin_names_fit_in_their_script(edition):
    people = [
        registered(edition, first_name="Олена", last_name="Коваленко"),
        registered(
            edition,
            first_name="Maximilian-Alexander-Friedrich",
            last_name="von Hohenzollern-Sigmaringen-Württemberg-Baden",
        ),
        registered(edition, first_name="عبد الرحمن بن محمد", last_name="بن عبد العزيز آل سعود"),
    ]
    content = badges_pdf(people)[0]
    text = text_of(content)
    assert "Олена Коваленко" in text
    assert "Hohenzollern" in text
    # A long Arabic name wraps in reading order: its first words on the first line.
    arabic = [
        line for line in text.splitlines() if holds(line, "آل سعود") or holds(line, "عبد الرحمن")
    ]
    assert len(arabic) == 2 and holds(arabic[0], "عبد الرحمن"), arabic

    text = text_of(
        badges_pdf(
            [
                registered(edition, first_name="فاطمة", last_name="العمراني"),
                registered(edition, first_name="王", last_name="小明"),
            ]
        )[0]
    )
    assert "王 小明" in text
    # Arabic is drawn with its letters joined (presentation forms), which NFKC reads back.
    assert "فاطمة العمراني" in unicodedata.normalize("NFKC", text)
    assert any("\ufe70" <= character <= "\ufeff" for character in text)


def test_the_badge_qr_code_reads_back_as_the_signed_token(edition):
    """What the door's scanner reads from a printed badge (one per A6 page, four per A4
    sheet): each badge's own signed token, that the check-in accepts."""
    people = [registered(edition) for _ in range(4)]
    page = page_images(badges_pdf(people[:1])[0], dpi=150)[0]
    assert qr_codes(page) == [badge_token(people[0])]
    sheet = page_images(badges_pdf(people, "a4")[0], dpi=150)[0]
    found = qr_codes(sheet)
    assert sorted(found) == sorted(badge_token(person) for person in people)
    assert {public_id_from_token(token) for token in found} == {p.public_id for p in people}


def test_a4_sheets_hold_four_badges_and_a6_one(edition):
    people = [registered(edition) for _ in range(5)]
    assert badges_pdf(people, "a4")[1] == 2
    assert badges_pdf(people, "a6")[1] == 5


def test_a_confirmed_participant_downloads_their_badge_others_not(client, edition):
    person = registered(edition)
    response = client.get(reverse("onsite:own_badge", args=[person.public_id, person.secret]))
    assert response["Content-Type"] == "application/pdf"
    assert person.full_name in text_of(response.content)
    waiting = registered(edition, confirm=False)
    assert (
        client.get(
            reverse("onsite:own_badge", args=[waiting.public_id, waiting.secret])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("onsite:own_badge", args=[person.public_id, "x" * 43])).status_code
        == 404
    )


def organiser(edition=None):
    from rencontres.editions.models import Edition

    return member(edition or Edition.objects.get(), "organiser")


@pytest.mark.parametrize("role", ["staff", "check_in", "viewer", None])
def test_the_badge_screen_is_for_organisers(client, edition, role):
    url = reverse("onsite:badges", args=[edition.number])
    assert client.get(url).status_code == 302
    client.force_login(member(edition, role))
    assert client.get(url).status_code == 403


def test_a_filtered_batch_is_built_with_progress_and_marks_badges_printed(
    client, edition, django_capture_on_commit_callbacks
):
    elected = [registered(edition, organisation=organisation("Ville de Lyon")) for _ in range(3)]
    registered(edition, organisation=organisation("Ville de Thiès", "SN", "foreign_authority"))
    registered(edition, category=category(edition, "press"))  # awaits approval: no badge
    client.force_login(organiser())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onsite:badges", args=[edition.number]),
            {
                "layout": "a4",
                "categories": [category(edition).pk],
                "country": "FR",
            },
        )
    batch = BadgeBatch.objects.get()
    assert response["Location"] == reverse("onsite:batch", args=[edition.number, batch.pk])
    assert (batch.status, batch.percent, batch.done, batch.total) == ("done", 100, 3, 3)
    pdf = client.get(reverse("onsite:batch_file", args=[edition.number, batch.pk]))
    text = text_of(b"".join(pdf.streaming_content))
    assert all(person.last_name in text for person in elected)
    assert BadgePrinting.objects.count() == 3
    # Not printed yet: only the one from Senegal is left.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("onsite:badges", args=[edition.number]), {"layout": "a6", "not_printed": "on"}
        )
    assert BadgeBatch.objects.first().total == 1


def test_a_batch_whose_file_is_gone_is_not_found_rather_than_an_error(client, edition):
    from rencontres.onsite import services

    registered(edition)
    batch = services.start_batch(edition, None, "a6")
    services.build_batch(batch)
    batch.refresh_from_db()
    batch.file.storage.delete(batch.file.name)
    client.force_login(organiser())
    response = client.get(reverse("onsite:batch_file", args=[edition.number, batch.pk]))
    assert response.status_code == 404


def test_a_batch_deleted_by_an_erasure_says_so_and_is_not_found(client, edition):
    from rencontres.onsite import services
    from rencontres.onsite.models import BadgeBatch
    from rencontres.privacy.services.erasure import delete_badge_files

    registered(edition)
    batch = services.start_batch(edition, None, "a6")
    services.build_batch(batch)
    delete_badge_files([edition.pk])
    assert BadgeBatch.objects.get(pk=batch.pk).file.name == ""
    client.force_login(organiser())
    response = client.get(reverse("onsite:batch_file", args=[edition.number, batch.pk]))
    assert response.status_code == 404
    with translation.override("en"):  # the page's language is its URL's prefix
        page = client.get(reverse("onsite:batch", args=[edition.number, batch.pk]))
    assert "This PDF was deleted" in page.content.decode()
