"""The queries the networking pages need: the directory, recommendations, a person's
requests and agenda, and the organisers' figures."""

import hashlib
from collections import Counter, defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from rencontres import search
from rencontres.editions.models import Edition, Session
from rencontres.registration.models import Organisation, Registration

from .models import Block, CooperationPost, Meeting, MeetingRequest, Profile, Slot, Table, Theme


def listed_profiles(edition):
    return (
        Profile.objects.listed(edition)
        .select_related("registration__organisation")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order")))
    )


def filter_profiles(profiles, query="", theme=None, countries=(), kind="", language=""):
    """Filters match only what a person shows: a hidden field never lets a search find them."""
    for word in search.words(query):
        # Each field is searched in its own table (through its index on PostgreSQL) and
        # joined back by id: no join multiplies a person's row, so no distinct is needed.
        registrations = Registration.objects.all()
        organisations = matching(Organisation.objects.all(), ["name"], word)
        theme_rows = Profile.themes.through.objects.filter(
            theme__in=matching(Theme.objects.all(), ["name_fr", "name_en"], word)
        )
        profiles = profiles.filter(
            Q(registration__in=matching(registrations, NAME_FIELDS, word))
            | Q(show_organisation=True, registration__organisation__in=organisations)
            | Q(show_job_title=True, registration__in=matching(registrations, ["job_title"], word))
            | Q(show_about=True, pk__in=matching(Profile.objects.all(), ["about"], word))
            | Q(show_countries=True, pk__in=matching(Profile.objects.all(), ["regions"], word))
            | Q(show_themes=True, pk__in=theme_rows.values("profile_id"))
        )
    if theme is not None:
        # One theme is one row of the profile's themes: still one row per person.
        profiles = profiles.filter(show_themes=True, themes=theme)
    if countries:
        profiles = profiles.filter(
            Q(show_country=True, registration__organisation__country__in=countries)
            | (Q(show_countries=True) & countries_worked_with(countries, "countries"))
        )
    if kind:
        profiles = profiles.filter(show_organisation=True, registration__organisation__kind=kind)
    if language:
        profiles = profiles.filter(show_languages=True, languages__contains=f",{language},")
    # A card's columns only: a page of 24 is sorted out of every match, and narrow rows sort
    # fast (a registration has some fifty columns).
    return profiles.only(*CARD_FIELDS).order_by(
        "registration__last_name", "registration__first_name", "pk"
    )


# What templates/networking/_profile_card.html shows.
CARD_FIELDS = [
    "languages", "countries", "show_job_title", "show_organisation", "show_country",
    "show_languages", "show_themes", "show_countries", "registration__first_name",
    "registration__last_name", "registration__job_title", "registration__organisation__name",
    "registration__organisation__country",
]  # fmt: skip

# The columns a text search looks in, each with its index on PostgreSQL
# (migrations/0005_search_indexes.py holds the same lists).
NAME_FIELDS = ["first_name", "last_name"]
POST_FIELDS = ["title", "text"]


def matching(queryset, fields, word):
    """The ids of the rows of `queryset` with `word` in one of `fields`."""
    return search.matching(queryset, fields, word).values("pk")


def countries_worked_with(countries, field):
    """Rows whose list of countries (codes joined by commas) holds one of `countries`."""
    found = Q(pk__in=[])
    for code in countries:
        found |= Q(**{f"{field}__contains": code})
    return found


def directory_countries(edition):
    """The countries the directory's filter offers: those a listed person shows (their
    organisation's, those they work with, those of their posts), no other. They are read from
    every listed profile and post, so they are cached under the edition's networking version
    (see `recommendations`)."""
    version = networking_version(edition.pk)
    key = f"networking:directory-countries:{edition.pk}:{version}"
    found = cache.get(key)
    if found is None:
        profiles = listed_profiles(edition)
        codes = set(
            profiles.filter(show_country=True).values_list(
                "registration__organisation__country", flat=True
            )
        )
        for joined in profiles.filter(show_countries=True).values_list("countries", flat=True):
            codes.update(joined.split(","))
        for joined in listed_posts(edition).values_list("countries", flat=True):
            codes.update(joined.split(","))
        found = {code for code in codes if code}
        cache.set(key, found, settings.NETWORKING_CACHE_SECONDS)
    return found


def networking_version(edition_id):
    """Edition.networking_version as it is now in the database: a registration's edition
    loaded earlier in the request may be older than a change made since."""
    return (
        Edition.objects.filter(pk=edition_id).values_list("networking_version", flat=True).first()
    )


def listed_posts(edition):
    return (
        CooperationPost.objects.filter(
            profile__registration__edition=edition,
            profile__registration__status="confirmed",
            profile__registration__directory_opt_in=True,
        )
        .select_related("profile__registration__organisation")
        .prefetch_related("themes")
    )


def filter_posts(posts, query="", theme=None, countries=(), kind="", language="", post_kind=""):
    for word in search.words(query):
        posts = posts.filter(pk__in=matching(CooperationPost.objects.all(), POST_FIELDS, word))
    if theme is not None:
        posts = posts.filter(themes=theme)
    if countries:
        posts = posts.filter(
            countries_worked_with(countries, "countries")
            | Q(
                profile__show_country=True,
                profile__registration__organisation__country__in=countries,
            )
        )
    if kind:
        posts = posts.filter(
            profile__show_organisation=True, profile__registration__organisation__kind=kind
        )
    if language:
        posts = posts.filter(
            profile__show_languages=True, profile__languages__contains=f",{language},"
        )
    if post_kind:
        posts = posts.filter(kind=post_kind)
    # As for profiles: the words are ids of posts, one theme one row, so no distinct.
    return posts.order_by("-created_at", "-pk")


# Recommendations ---------------------------------------------------------------------------


class Interests:
    """What one person works on, offers, seeks and where: the material of a match."""

    def __init__(self, country, themes=(), countries=()):
        self.country = country
        self.themes = set(themes)
        self.countries = set(countries)
        self.offers, self.seeks = set(), set()

    def add_post(self, kind, themes, countries):
        (self.offers if kind == CooperationPost.Kind.OFFER else self.seeks).update(themes)
        self.themes.update(themes)
        self.countries.update(countries)


def codes(value):
    """Country codes from a multiple CountryField, whatever form the query returns them in."""
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [str(code) for code in value or ()]


def interests_of(profiles):
    """{profile id: Interests} for the profiles of a queryset, in five flat queries: no model
    objects, which is what keeps 2,000 candidates fast."""
    rows = profiles.values_list("pk", "registration__organisation__country", "countries")
    found = {pk: Interests(str(country), countries=codes(worked)) for pk, country, worked in rows}
    for profile, theme in Profile.themes.through.objects.filter(profile__in=profiles).values_list(
        "profile_id", "theme_id"
    ):
        found[profile].themes.add(theme)
    post_themes = defaultdict(set)
    for post, theme in CooperationPost.themes.through.objects.filter(
        cooperationpost__profile__in=profiles
    ).values_list("cooperationpost_id", "theme_id"):
        post_themes[post].add(theme)
    for post, profile, kind, countries in CooperationPost.objects.filter(
        profile__in=profiles
    ).values_list("pk", "profile_id", "kind", "countries"):
        found[profile].add_post(kind, post_themes[post], codes(countries))
    return found


def recommendations(registration, limit=12):
    """[(profile, score, [reasons])]: the people `registration` should meet, best first.

    Points: what they offer is what you seek (or the reverse) 4 per theme; a theme you share
    2, and 2 more when you also share a country; their country is one you work with, or yours
    one they work with, 3; a country you both work with 1. Nobody appears twice, nor yourself,
    nor anyone blocked either way or already asked. Only what a person shows counts.

    Scoring reads every listed profile of the edition, so its result (ids, points and what
    earned them: plain data) is cached under the edition's networking version, which the
    receivers in signals.py bump, and the people left out, read at each visit (a block or a
    request changes the key, not the version). Cards and sentences are made at each visit, in
    the active language, in a constant number of queries."""
    excluded = left_out(registration)
    version = networking_version(registration.edition_id)
    digest = hashlib.sha256(",".join(map(str, sorted(excluded))).encode()).hexdigest()[:16]
    key = f"networking:recommendations:{registration.pk}:{version}:{limit}:{digest}"
    scored = cache.get(key)
    if scored is None:
        scored = score_candidates(registration, excluded, limit)
        cache.set(key, scored, settings.NETWORKING_CACHE_SECONDS)
    if not scored:
        return []
    profiles = listed_profiles(registration.edition).in_bulk([pk for _s, pk, _w in scored])
    explain = Reasons()
    # A profile unlisted since the scoring (by a bulk update) is left out, not shown.
    return [(profiles[pk], score, explain(parts)) for score, pk, parts in scored if pk in profiles]


def left_out(registration):
    """Registration ids never recommended to `registration`: itself, anyone blocked either
    way, anyone with an open request either way."""
    excluded = {registration.pk}
    for blocker, blocked in Block.objects.filter(
        Q(blocker=registration) | Q(blocked=registration)
    ).values_list("blocker", "blocked"):
        excluded |= {blocker, blocked}
    for sender, recipient in MeetingRequest.objects.filter(
        Q(sender=registration) | Q(recipient=registration), status__in=MeetingRequest.OPEN
    ).values_list("sender", "recipient"):
        excluded |= {sender, recipient}
    return excluded


def score_candidates(registration, excluded, limit):
    """[(score, profile id, parts)] of the best `limit` candidates (see `recommendations`)."""
    mine = interests_of(Profile.objects.filter(registration=registration))
    if not mine:
        return []
    (mine,) = mine.values()
    candidates = Profile.objects.listed(registration.edition).exclude(registration_id__in=excluded)
    shows = {
        pk: (country, themes, countries)
        for pk, country, themes, countries in candidates.values_list(
            "pk", "show_country", "show_themes", "show_countries"
        )
    }
    # Score every candidate with set operations only; words are written for the top ones.
    scored = []
    for pk, theirs in interests_of(candidates).items():
        found = match(mine, theirs, *shows[pk])
        if found[0]:
            scored.append((found[0], pk, found[1]))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored[:limit]


def match(mine, theirs, show_country, show_themes, show_countries):
    """(score, parts): the points, and what earned them (see `recommendations`)."""
    # Posts are public: their themes count; profile themes count only when shown.
    visible_themes = theirs.themes if show_themes else theirs.offers | theirs.seeks
    give = mine.seeks & theirs.offers
    take = mine.offers & theirs.seeks
    shared_countries = mine.countries & theirs.countries if show_countries else set()
    shared = (mine.themes & visible_themes) - give - take
    score = 4 * len(give) + 4 * len(take) + 2 * len(shared)
    if shared and shared_countries:
        score += 2
    elif shared_countries:
        score += len(shared_countries)
    from_there = show_country and theirs.country in mine.countries
    with_us = not from_there and show_countries and mine.country in theirs.countries
    score += 3 * (from_there or with_us)
    return score, (give, take, shared, shared_countries, theirs.country if from_there else None,
                   mine.country if with_us else None)  # fmt: skip


class Reasons:
    """Turns the parts of a match into sentences, in the active language."""

    def __init__(self):
        from django_countries import countries

        self.country_name = countries.name
        self.themes = {theme.pk: theme.name for theme in Theme.objects.all()}

    def names(self, ids):
        return ", ".join(sorted(self.themes[i] for i in ids))

    def places(self, codes):
        return ", ".join(sorted(self.country_name(code) for code in codes))

    def __call__(self, parts):
        give, take, shared, shared_countries, from_there, with_us = parts
        why = []
        if give:
            why.append(_("They offer what you seek: %(themes)s") % {"themes": self.names(give)})
        if take:
            why.append(_("They seek what you offer: %(themes)s") % {"themes": self.names(take)})
        if shared and shared_countries:
            why.append(
                _("You both work on %(themes)s in %(countries)s")
                % {"themes": self.names(shared), "countries": self.places(shared_countries)}
            )
        elif shared:
            why.append(_("You both work on %(themes)s") % {"themes": self.names(shared)})
        elif shared_countries:
            why.append(
                _("You both work with %(countries)s") % {"countries": self.places(shared_countries)}
            )
        if from_there:
            why.append(
                _("They come from %(country)s, where you work")
                % {"country": self.country_name(from_there)}
            )
        elif with_us:
            why.append(
                _("They work with your country, %(country)s")
                % {"country": self.country_name(with_us)}
            )
        return why


# A person's requests and agenda --------------------------------------------------------------


def requests_of(registration):
    related = ("sender__organisation", "recipient__organisation")
    received = MeetingRequest.objects.filter(recipient=registration).select_related(*related)
    sent = MeetingRequest.objects.filter(sender=registration).select_related(*related)
    return received, sent


def meetings_of(registration):
    return (
        Meeting.objects.filter(participants=registration, cancelled_at__isnull=True)
        .select_related("slot", "table", "request")
        .prefetch_related("participants__organisation")
        .order_by("slot__starts_at", "pk")
    )


def agenda(registration):
    """[(start, end, kind, object)] of the person's sessions and placed meetings, in order,
    and the accepted meetings not placed yet."""
    sessions = (
        Session.objects.filter(choices__registration=registration, choices__status="confirmed")
        .select_related("room")
        .order_by("starts_at")
    )
    items = [(s.starts_at, s.ends_at, "session", s) for s in sessions]
    waiting = []
    for meeting in meetings_of(registration):
        meeting.others = [p for p in meeting.participants.all() if p.pk != registration.pk]
        if meeting.slot_id:
            items.append((meeting.slot.starts_at, meeting.slot.ends_at, "meeting", meeting))
        else:
            waiting.append(meeting)
    items = [(localtime(start), localtime(end), kind, item) for start, end, kind, item in items]
    items.sort(key=lambda item: (item[0], item[2]))
    return items, waiting


# Organisers' figures ---------------------------------------------------------------------------


def request_counts(edition):
    counts = Counter(
        dict(
            MeetingRequest.objects.filter(edition=edition)
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
    )
    meetings = Meeting.objects.filter(edition=edition, cancelled_at__isnull=True)
    return {
        "requested": sum(counts.values()),
        "pending": counts[MeetingRequest.Status.PENDING],
        "accepted": counts[MeetingRequest.Status.ACCEPTED],
        "declined": counts[MeetingRequest.Status.DECLINED],
        "meetings": meetings.count(),
        "placed": meetings.filter(slot__isnull=False).count(),
        "profiles": Profile.objects.listed(edition).count(),
        "posts": listed_posts(edition).count(),
    }


def table_plan(edition):
    """[(slot, [(table, meeting or None)])]: every table of every slot, for printing."""
    slots = list(Slot.objects.filter(edition=edition))
    tables = list(Table.objects.filter(edition=edition))
    placed = defaultdict(dict)
    for meeting in (
        Meeting.objects.filter(edition=edition, cancelled_at__isnull=True, slot__isnull=False)
        .select_related("request")
        .prefetch_related("participants__organisation")
    ):
        placed[meeting.slot_id][meeting.table_id] = meeting
    return [(slot, [(table, placed[slot.pk].get(table.pk)) for table in tables]) for slot in slots]
