"""The demo `manage.py load_demo` loads, at one of two scales: "small" (the programme, two
dozen people in the project exchange and a few hundred in the past editions: what the tests
use) or "event" (an edition as the real one is a few days before its deadline: about 800
people, made from a seed). It lives in the back-office app because it fills every app
(editions, registration, fees, networking, onsite, the overview's history)."""

import datetime

from django.utils import timezone

from rencontres.editions.demo import load_demo as load_programme
from rencontres.editions.models import PARIS
from rencontres.fees.demo import load_fees_demo
from rencontres.networking.demo import load_networking_demo

from .event import DAYS_LEFT, load_event
from .history import load_history, spread_current
from .people import DOMAIN

SCALES = ("event", "small")

__all__ = ["DOMAIN", "SCALES", "load", "load_event", "load_history", "spread_current"]


def load(scale="small", seed=15, now=None):
    """Load the demo once (running it again changes nothing); returns (edition, what was
    made: {"created", "fees", "people", "event", "past"})."""
    if scale not in SCALES:
        raise ValueError(f"scale: one of {SCALES}")
    now = now or timezone.now()
    closes_on = None
    if scale == "event":  # registration closes in a few days: the week before the event
        closes_on = now.astimezone(PARIS).date() + datetime.timedelta(days=DAYS_LEFT)
    edition, created = load_programme(now, closes_on=closes_on)
    made = {"created": created, "fees": load_fees_demo(edition, now)}
    made["people"] = load_networking_demo(edition)
    if made["people"]:
        spread_current(edition)
    made["event"] = load_event(edition, seed, now) if scale == "event" and created else None
    made["past"] = load_history(edition)
    return edition, made
