"""Every PDF the site makes prints names, jobs and organisations in every script people write
them in: the text read back from the PDF holds them (Arabic compared after its presentation
forms are folded back, in either order). A new PDF joins PDFS below.

The PDFs go through one text path (rencontres/pdf.py); this checks each of them uses it."""

import datetime

import pytest

from rencontres.networking import services as networking
from rencontres.networking.tests.factories import person, slots, tables
from rencontres.registration.tests.factories import open_edition, organisation, registered

from .documents import holds, pdf_text

pytestmark = pytest.mark.django_db

SCRIPTS = {
    # (first name, last name, job title, organisation, country); the last name of the second
    # Arabic person holds a lam-alef ligature (لا), which shaping draws as one glyph.
    "arabic": ("سلمى", "عبد السلام", "رئيسة المجلس البلدي", "بلدية الرباط", "MA"),
    "cyrillic": ("Олена", "Коваленко", "Міський голова", "Білоцерківська міська рада", "UA"),
    "greek": ("Γιώργος", "Παπαδόπουλος", "Δήμαρχος", "Δήμος Θεσσαλονίκης", "GR"),
    "chinese": ("小明", "王", "市长", "成都市人民政府", "CN"),
    "japanese": ("たろう", "山田", "市長", "京都市役所", "JP"),
    "korean": ("민준", "김", "시장", "서울특별시청", "KR"),
    "vietnamese": ("Thị Lan", "Nguyễn", "Giám đốc", "Ủy ban nhân dân Huế", "VN"),
    # Right to left without Arabic: python-bidi must run for it too.
    "hebrew": ("נועה", "כהן", "ראש העירייה", "עיריית חיפה", "IL"),
    "armenian": ("Անի", "Պետրոսյան", "Քաղաքապետ", "Երևանի քաղաքապետարան", "AM"),
    "georgian": ("ნინო", "ბერიძე", "მერი", "თბილისის მერია", "GE"),
    "thai": ("สมชาย", "ใจดี", "นายกเทศมนตรี", "เทศบาลนครเชียงใหม่", "TH"),
}


def someone(edition, script, **fields):
    first, last, job, organisation_name, country = SCRIPTS[script]
    return registered(
        edition, first_name=first, last_name=last, job_title=job,
        organisation=organisation(organisation_name, country, "foreign_authority"), **fields,
    )  # fmt: skip


def badge_a6(edition, script):
    from rencontres.onsite.badges import badges_pdf

    return badges_pdf([someone(edition, script)])[0]


def badge_a4(edition, script):
    from rencontres.onsite.badges import badges_pdf

    return badges_pdf([registered(edition), someone(edition, script)], "a4")[0]


def letter(language):
    def build(edition, script):
        from rencontres.registration.invitation import invitation_letter_pdf

        details = {"passport_name": "DOE Jane", "passport_number": "XK7736021",
                   "nationality": "MA", "date_of_birth": datetime.date(1984, 3, 9)}  # fmt: skip
        return invitation_letter_pdf(someone(edition, script, **details), language)

    return build


def agenda(edition, script):
    """The agenda of someone who meets a person of `script`, themselves of that script."""
    from rencontres.networking.agenda import agenda_pdf

    first, last, job, organisation_name, country = SCRIPTS[script]
    alice = person(edition, first, last, country=country, kind="foreign_authority",
                   organisation_name=organisation_name)  # fmt: skip
    bob = person(edition, "Bob", country=country, kind="foreign_authority",
                 organisation_name=f"{organisation_name} 2")  # fmt: skip
    type(bob).objects.filter(pk=bob.pk).update(job_title=job, last_name=last)
    slots(edition, count=1)
    tables(edition, count=1, location=organisation_name)
    request = networking.request_meeting(alice, bob, "Hello")
    networking.answer(request, bob, accept=True)
    networking.publish(networking.execute(networking.start_run(edition)))
    return agenda_pdf(alice)


def door_list(language):
    """A session's list for the door, in the organisers' `language`: the person of `script`
    holds its one place, someone else waits for it."""

    def build(edition, script):
        from django.utils import translation

        from rencontres.backoffice.session_lists import door_list_pdf
        from rencontres.backoffice.sessions import holders, waiting
        from rencontres.registration.tests.factories import workshop

        session = workshop(edition, capacity=1)
        someone(edition, script, sessions=[session])
        registered(edition, sessions=[session])
        with translation.override(language):
            return door_list_pdf(session, holders(session), waiting(session))

    return build


PDFS = {
    "badge A6": badge_a6,
    "badge A4": badge_a4,
    "letter FR": letter("fr"),
    "letter EN": letter("en"),
    "agenda": agenda,
    "door list FR": door_list("fr"),
    "door list EN": door_list("en"),
}


@pytest.mark.parametrize("script", list(SCRIPTS))
@pytest.mark.parametrize("document", list(PDFS))
def test_every_pdf_prints_names_jobs_and_organisations_in_every_script(document, script):
    edition = open_edition()
    text = pdf_text(PDFS[document](edition, script))
    first, last, job, organisation_name, _country = SCRIPTS[script]
    for value in (first, last, job, organisation_name):
        assert holds(text, value), (value, text)


def test_each_character_takes_a_font_that_holds_it():
    from rencontres import pdf

    found = {char: pdf.font_of(char, "STSong-Light") for char in "aЖλعאԱაก市"}
    assert found == {
        "a": "NotoSans", "Ж": "NotoSans", "λ": "NotoSans", "ع": "NotoSansArabic",
        "א": "NotoSansHebrew", "Ա": "NotoSansArmenian", "ა": "NotoSansGeorgian",
        "ก": "NotoSansThai", "市": "STSong-Light",
    }  # fmt: skip
    for char, font in found.items():
        assert font.startswith("ST") or pdf.holds_glyph(font, char)


def test_hebrew_is_drawn_right_to_left_as_arabic_is():
    from rencontres import pdf

    assert pdf.visual("כהן") == "ןהכ"
    assert pdf.visual("Mayor כהן נועה", base="L") == "Mayor העונ ןהכ"
    # Its words kept together (a line break never swaps them), in the Hebrew font.
    assert pdf.markup("נועה כהן – Haifa") == (
        '<font name="NotoSansHebrew">ןהכ\xa0העונ </font>– Haifa'
    )


def test_a_character_no_font_holds_is_printed_as_a_replacement_never_as_a_blank():
    """Ethiopic has no font here: each of its letters prints as �, the rest as typed."""
    from rencontres.onsite.badges import badges_pdf

    edition = open_edition()
    someone = registered(edition, first_name="Abebe", last_name="አበበ")
    text = pdf_text(badges_pdf([someone])[0])
    assert "Abebe \ufffd\ufffd\ufffd" in text, text
