"""The demo edition: realistic, complete, and loaded only once."""

import datetime

import pytest
from django.core.management import call_command

from rencontres.editions.demo import demo_year, load_demo
from rencontres.editions.models import PARIS, Edition, Page, Session

pytestmark = pytest.mark.django_db


def test_the_demo_year_is_the_next_one_with_its_deadline_ahead():
    assert demo_year(datetime.datetime(2026, 10, 17, 23, 59, 59, tzinfo=PARIS)) == 2026
    assert demo_year(datetime.datetime(2026, 10, 18, 0, 0, tzinfo=PARIS)) == 2027


def test_the_demo_has_the_programme_the_event_needs():
    now = datetime.datetime(2026, 11, 29, 12, tzinfo=PARIS)
    edition, created = load_demo(now)
    assert created and edition.number == 15
    assert edition.theme_en == (
        "Territorial diplomacy: the singularities of decentralised cooperation"
    )
    assert edition.registration_status(now).is_open
    closes = edition.registration_closes_at.astimezone(PARIS)
    assert (closes.month, closes.day, closes.hour, closes.minute) == (10, 17, 23, 59)
    assert closes.year == edition.year == 2027
    sessions = Session.objects.filter(edition=edition)
    kinds = [s.kind for s in sessions]
    assert kinds.count(Session.Kind.PLENARY) >= 1
    assert sessions.order_by("starts_at").first().kind == Session.Kind.PLENARY
    assert kinds.count(Session.Kind.ROUND_TABLE) >= 2
    assert kinds.count(Session.Kind.COUNTRY_GROUP) == 6
    workshops = sessions.filter(kind=Session.Kind.WORKSHOP)
    assert workshops.count() == 6 and all(w.capacity for w in workshops)
    assert {s.day for s in sessions} == set(edition.days) and len(edition.days) == 2
    assert all(s.appearances.exists() for s in sessions.exclude(kind=Session.Kind.SIDE_EVENT))
    assert all(s.title_fr and s.title_en for s in sessions)
    assert Edition.objects.filter(is_published=True).count() == 3
    # The privacy notice is generated from settings (rencontres/privacy), not written here.
    assert set(Page.objects.values_list("slug", flat=True)) == set(Page.Slug.values) - {"privacy"}
    assert edition.partners.exclude(logo="").count() == edition.partners.count() > 0


def test_loading_twice_keeps_the_data(capsys):
    call_command("load_demo", "--scale", "small")
    edition = Edition.objects.get(number=15)
    edition.theme_en = "Changed by an organiser"
    edition.save()
    call_command("load_demo", "--scale", "small")
    assert Edition.objects.get(number=15).theme_en == "Changed by an organiser"
    assert Edition.objects.count() == 3
    assert "nothing changed" in capsys.readouterr().out


def test_the_partner_logos_draw_every_letter_of_their_names():
    """A font without é, è or ç draws its 'missing glyph' box instead (Pillow's built-in font
    did, on "Ministère" and "Réseau"): each letter of each name must draw something else than
    a character no font has."""
    from rencontres.editions.demo import PARTNERS, logo_png

    missing = logo_png("\U000f0000", "#000000")  # a private-use character: no glyph anywhere
    letters = {char for name, _kind, _colour in PARTNERS for char in name if not char.isspace()}
    for char in sorted(letters | set("éèçàôÉ")):
        assert logo_png(char, "#000000") != missing, f"{char!r} is drawn as a missing glyph"
