"""The demo: the 15th edition with a realistic programme, and two archived editions, made
from the content in demo_data.py.

All people in it are fictitious. The current edition's year is the next one whose
17 October deadline is still ahead, so the demo always shows an open registration window; or,
given a closing day (the demo at the event's scale, rencontres/backoffice/demo), registration
closes that day and the edition starts on the first Thursday at least three days later.
"""

import datetime
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .demo_data import (
    BIOGRAPHIES,
    CATEGORIES,
    CURRENT,
    PAGES,
    PARTNERS,
    PAST,
    ROOMS,
    SESSIONS,
    SPEAKERS,
    VENUE,
)
from .models import PARIS, Edition, Page, Partner, Room, Session, SessionSpeaker, Speaker, Venue


def deadline_of(year):
    return datetime.datetime(year, 10, 17, 23, 59, tzinfo=PARIS)


def demo_year(now):
    year = now.astimezone(PARIS).year
    return year if now < deadline_of(year) + datetime.timedelta(minutes=1) else year + 1


def first_thursday_of_november(year):
    day = datetime.date(year, 11, 1)
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def logo_png(name, colour):
    """A plain wordmark, so that the demo shows logos without shipping anyone's artwork.

    In Noto Sans, the font the PDFs embed (Pillow's built-in font has no é, è or ç)."""
    import fontpkg_noto_sans
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (360, 120), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf", 22)
    font.set_variation_by_name("SemiBold")
    words, lines, line = name.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > 330 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    top = (120 - 28 * len(lines)) // 2
    for index, text in enumerate(lines):
        draw.text((180, top + 14 + 28 * index), text, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def soon_after(closes_on):
    """The first day of an edition whose registration closes on `closes_on`: the first
    Thursday at least three days later."""
    day = closes_on + datetime.timedelta(days=3)
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7)


@transaction.atomic
def load_demo(now=None, closes_on=None):
    """Create the demo once; return the current edition (existing data is never touched).
    `closes_on`: the day registration closes (23:59, Paris), the edition soon after; by
    default 17 October, the edition in November."""
    now = now or timezone.now()
    year = demo_year(now) if closes_on is None else soon_after(closes_on).year
    existing = Edition.objects.filter(number=15).first()
    if existing:
        return existing, False

    venue = Venue.objects.create(**VENUE)
    rooms = {
        name: Room.objects.create(
            venue=venue, name=name, location_fr=fr, location_en=en, seats=seats
        )
        for name, fr, en, seats in ROOMS
    }
    speakers = {}
    for key, (first, last, job_fr, job_en, organisation, country) in SPEAKERS.items():
        bio_fr, bio_en = BIOGRAPHIES.get(key, ("", ""))
        speakers[key] = Speaker.objects.create(
            first_name=first, last_name=last, job_title_fr=job_fr, job_title_en=job_en,
            organisation=organisation, country=country, biography_fr=bio_fr, biography_en=bio_en,
        )  # fmt: skip

    if closes_on is None:
        day1 = first_thursday_of_november(year)
        closes = deadline_of(year)
        opens = min(at(datetime.date(year, 6, 1), 9), at(now.astimezone(PARIS).date(), 0))
    else:
        day1 = soon_after(closes_on)
        closes = at(closes_on, 23, 59)
        # Open for about five months, as the past editions were (15 May to 17 October).
        opens = min(at(closes_on - datetime.timedelta(days=150), 9), now)
    day2 = day1 + datetime.timedelta(days=1)
    current = Edition.objects.create(
        number=15,
        **CURRENT,
        starts_on=day1,
        ends_on=day2,
        venue=venue,
        registration_opens_at=opens,
        registration_closes_at=closes,
        is_published=True,
    )
    add_categories(current)
    days = {1: day1, 2: day2}
    for row in SESSIONS:
        (kind, start, end, room, title_fr, title_en, text_fr, text_en, capacity,
         registration, languages, appearances) = row  # fmt: skip
        session = Session.objects.create(
            edition=current, kind=kind, starts_at=at(days[start[0]], *start[1:]),
            ends_at=at(days[end[0]], *end[1:]), room=rooms[room],
            title_fr=title_fr, title_en=title_en, description_fr=text_fr,
            description_en=text_en, capacity=capacity, registration_required=registration,
            interpretation_languages=languages,
        )  # fmt: skip
        add_speakers(session, speakers, appearances)

    for past in PAST:
        past_year = year - past["years_ago"]
        first = first_thursday_of_november(past_year)
        edition = Edition.objects.create(
            number=past["number"], title_fr=past["title_fr"], title_en=past["title_en"],
            theme_fr=past["theme_fr"], theme_en=past["theme_en"], starts_on=first,
            ends_on=first + datetime.timedelta(days=1), venue=venue,
            registration_opens_at=at(datetime.date(past_year, 5, 15), 9),
            registration_closes_at=deadline_of(past_year), is_published=True,
        )  # fmt: skip
        for index, (kind, title_fr, title_en, appearances) in enumerate(past["sessions"]):
            start = at(first, 9 + 2 * index)
            session = Session.objects.create(
                edition=edition, kind=kind, title_fr=title_fr, title_en=title_en,
                starts_at=start, ends_at=start + datetime.timedelta(minutes=90),
                room=rooms["Auditorium" if kind == Session.Kind.PLENARY else "Salle Europe"],
                interpretation_languages=["fr", "en"],
            )  # fmt: skip
            add_speakers(session, speakers, appearances)

    for slug, (title_fr, title_en, body_fr, body_en) in PAGES.items():
        Page.objects.create(
            edition=current if slug == Page.Slug.PRACTICAL else None, slug=slug,
            title_fr=title_fr, title_en=title_en, body_fr=body_fr, body_en=body_en,
        )  # fmt: skip

    for order, (name, kind, colour) in enumerate(PARTNERS):
        partner = Partner(edition=current, name=name, kind=kind, order=order)
        if name == "Rencontres AICT":
            partner.name = settings.BRAND["ORGANISER_NAME"]
        partner.logo.save(f"demo-{order}.png", ContentFile(logo_png(partner.name, colour)))
    return current, True


def add_speakers(session, speakers, appearances):
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, speaker=speakers[key], role=role, order=order)
        for order, (key, role) in enumerate(appearances)
    )


def add_categories(edition):
    # Registration's Category, reached through the edition's reverse key (no import up).
    category = edition.categories.model
    category.objects.bulk_create(
        category(
            edition=edition,
            code=code,
            name_fr=fr,
            name_en=en,
            needs_approval=approval,
            colour=colour,
            order=order,
        )
        for order, (code, (fr, en, approval, colour)) in enumerate(CATEGORIES.items())
    )
