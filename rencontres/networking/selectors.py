"""The queries the networking pages need: the directory, recommendations, a person's
requests and agenda, and the organisers' figures."""

from collections import Counter, defaultdict

from django.db.models import Count, Prefetch, Q
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from rencontres.editions.models import Session

from .models import Block, CooperationPost, Meeting, MeetingRequest, Profile, Theme


def listed_profiles(edition):
    return (
        Profile.objects.listed(edition)
        .select_related("registration__organisation")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order")))
    )


def filter_profiles(profiles, query="", theme=None, country="", kind="", language=""):
    """Filters match only what a person shows: a hidden field never lets a search find them."""
    if query:
        words = Q()
        for word in query.split()[:6]:
            words &= (
                Q(registration__first_name__icontains=word)
                | Q(registration__last_name__icontains=word)
                | Q(show_organisation=True, registration__organisation__name__icontains=word)
                | Q(show_job_title=True, registration__job_title__icontains=word)
                | Q(show_about=True, about__icontains=word)
                | Q(show_countries=True, regions__icontains=word)
                | Q(show_themes=True, themes__name_fr__icontains=word)
                | Q(show_themes=True, themes__name_en__icontains=word)
            )
        profiles = profiles.filter(words)
    if theme is not None:
        profiles = profiles.filter(show_themes=True, themes=theme)
    if country:
        profiles = profiles.filter(
            Q(show_country=True, registration__organisation__country=country)
            | Q(show_countries=True, countries__contains=country)
        )
    if kind:
        profiles = profiles.filter(show_organisation=True, registration__organisation__kind=kind)
    if language:
        profiles = profiles.filter(show_languages=True, languages__contains=f",{language},")
    # A word found in two themes joins two rows: the distinct keeps one card per person.
    return profiles.distinct().order_by("registration__last_name", "registration__first_name", "pk")


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


def filter_posts(posts, query="", theme=None, country="", kind="", language="", post_kind=""):
    if query:
        words = Q()
        for word in query.split()[:6]:
            words &= Q(title__icontains=word) | Q(text__icontains=word)
        posts = posts.filter(words)
    if theme is not None:
        posts = posts.filter(themes=theme)
    if country:
        posts = posts.filter(
            Q(countries__contains=country)
            | Q(profile__show_country=True, profile__registration__organisation__country=country)
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
    return posts.distinct().order_by("-created_at", "-pk")


# Recommendations ---------------------------------------------------------------------------


class Interests:
    """What one person works on, offers, seeks and where: the material of a match."""

    def __init__(self, profile, posts):
        registration = profile.registration
        self.profile = profile
        self.country = registration.organisation.country.code
        self.themes = {theme.pk for theme in profile.themes.all()}
        self.offers, self.seeks = set(), set()
        self.countries = {str(code) for code in profile.countries}
        for post in posts:
            themes = {theme.pk for theme in post.themes.all()}
            (self.offers if post.kind == CooperationPost.Kind.OFFER else self.seeks).update(themes)
            self.countries.update(str(code) for code in post.countries)
        self.themes |= self.offers | self.seeks


def recommendations(registration, limit=12):
    """[(profile, score, [reasons])]: the people `registration` should meet, best first.

    Points: what they offer is what you seek (or the reverse) 4 per theme; a theme you share
    2, and 2 more when you also share a country; their country is one you work with, or yours
    one they work with, 3; a country you both work with 1. Nobody appears twice, nor yourself,
    nor anyone blocked either way or already asked."""
    me = (
        Profile.objects.filter(registration=registration)
        .select_related("registration__organisation")
        .prefetch_related("themes", "posts__themes")
        .first()
    )
    if me is None:
        return []
    mine = Interests(me, me.posts.all())
    excluded = {registration.pk}
    excluded |= set(Block.objects.filter(blocker=registration).values_list("blocked", flat=True))
    excluded |= set(Block.objects.filter(blocked=registration).values_list("blocker", flat=True))
    excluded |= set(
        MeetingRequest.objects.filter(
            sender=registration, status__in=MeetingRequest.OPEN
        ).values_list("recipient", flat=True)
    )
    excluded |= set(
        MeetingRequest.objects.filter(
            recipient=registration, status__in=MeetingRequest.OPEN
        ).values_list("sender", flat=True)
    )
    candidates = (
        listed_profiles(registration.edition)
        .exclude(registration_id__in=excluded)
        .prefetch_related(
            Prefetch("posts", queryset=CooperationPost.objects.prefetch_related("themes"))
        )
    )
    themes = {theme.pk: theme.name for theme in Theme.objects.all()}
    from django_countries import countries as country_names

    def names(ids):
        return ", ".join(sorted(themes[i] for i in ids))

    found = []
    for profile in candidates:
        theirs = Interests(profile, profile.posts.all())
        visible_themes = theirs.themes if profile.show_themes else set()
        score, why = 0, []
        if give := mine.seeks & theirs.offers:
            score += 4 * len(give)
            why.append(_("They offer what you seek: %(themes)s") % {"themes": names(give)})
        if take := mine.offers & theirs.seeks:
            score += 4 * len(take)
            why.append(_("They seek what you offer: %(themes)s") % {"themes": names(take)})
        shared_countries = mine.countries & theirs.countries if profile.show_countries else set()
        if shared := (mine.themes & visible_themes) - give - take:
            score += 2 * len(shared)
            if shared_countries:
                score += 2
                why.append(
                    _("You both work on %(themes)s in %(countries)s")
                    % {
                        "themes": names(shared),
                        "countries": ", ".join(
                            sorted(country_names.name(c) for c in shared_countries)
                        ),
                    }
                )
            else:
                why.append(_("You both work on %(themes)s") % {"themes": names(shared)})
        elif shared_countries:
            score += len(shared_countries)
            why.append(
                _("You both work with %(countries)s")
                % {"countries": ", ".join(sorted(country_names.name(c) for c in shared_countries))}
            )
        if profile.show_country and theirs.country in mine.countries:
            score += 3
            why.append(
                _("They come from %(country)s, where you work")
                % {"country": country_names.name(theirs.country)}
            )
        elif profile.show_countries and mine.country in theirs.countries:
            score += 3
            why.append(
                _("They work with your country, %(country)s")
                % {"country": country_names.name(mine.country)}
            )
        if score:
            found.append((profile, score, why))
    found.sort(key=lambda item: (-item[1], item[0].registration.last_name, item[0].pk))
    return found[:limit]


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
    from .models import Slot, Table

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
