"""Demo participants for the project exchange: profiles, offers and requests, meeting
requests (some accepted), slots and tables, so that `make run` shows a living exchange and the
organisers can run the scheduler at once. Created without e-mails."""

import datetime
import random

from django.utils import timezone

from rencontres.editions.demo import PARIS
from rencontres.registration.models import Category, Registration
from rencontres.registration.services import find_or_create_organisation

from .models import CooperationPost, Meeting, MeetingRequest, Profile, Slot, Table, Theme
from .themes import add_default_themes

# first name, last name, job title, organisation, kind, country, category, languages, themes,
# countries worked with
PEOPLE = [
    ("Claire", "Martin", "Vice-présidente aux relations internationales", "Région Occitanie",
     "region", "FR", "elected", "fr,en,es", "water,climate,youth", "SN,MA,TN"),
    ("Julien", "Bernard", "Chargé de mission coopération", "Département de l'Isère", "departement",
     "FR", "staff", "fr,en", "agriculture,water", "BF,ML"),
    ("Sophie", "Petit", "Adjointe au maire", "Ville de Lyon", "commune", "FR", "elected",
     "fr,en,pt", "culture,urban,youth", "VN,BR,AM"),
    ("Thomas", "Robert", "Directeur de l'action internationale", "Métropole de Lille", "epci",
     "FR", "staff", "fr,en,pl", "economy,digital,mobility", "PL,SN"),
    ("Nathalie", "Richard", "Conseillère départementale", "Département de la Gironde",
     "departement", "FR", "elected", "fr,es", "water,gender,health", "MA,BF"),
    ("Marc", "Durand", "Chef de projet", "Ville de Grenoble", "commune", "FR", "staff", "fr,en",
     "climate,waste,urban", "AM,VN"),
    ("Élodie", "Leroy", "Chargée de coopération décentralisée", "Région Bretagne", "region", "FR",
     "staff", "fr,en", "agriculture,education,tourism", "MG,SN"),
    ("Pierre", "Moreau", "Maire", "Ville de Chambéry", "commune", "FR", "elected", "fr,it",
     "youth,culture", "BF,IT"),
    ("Aminata", "Diallo", "Maire adjointe", "Ville de Thiès", "foreign_authority", "SN",
     "foreign_authority", "fr,wo", "water,waste,youth", "FR"),
    ("Moussa", "Traoré", "Secrétaire général", "Commune de Ségou", "foreign_authority", "ML",
     "foreign_authority", "fr", "agriculture,water,governance", "FR"),
    ("Fatima", "El Amrani", "Vice-présidente", "Région de l'Oriental", "foreign_authority", "MA",
     "foreign_authority", "fr,ar", "economy,tourism,gender", "FR,ES"),
    ("Youssef", "Ben Salah", "Directeur de la coopération", "Municipalité de Sfax",
     "foreign_authority", "TN", "foreign_authority", "fr,ar", "urban,mobility,waste", "FR"),
    ("Olena", "Kovalenko", "Maire adjointe", "Ville de Bila Tserkva", "foreign_authority", "UA",
     "foreign_authority", "uk,en", "emergency,education,health", "FR,PL"),
    ("Nguyen", "Van An", "Vice-président du comité populaire", "Province de Hué",
     "foreign_authority", "VN", "foreign_authority", "vi,fr", "culture,tourism,climate", "FR"),
    ("Rasoa", "Rakoto", "Directrice du développement", "Région Analamanga", "foreign_authority",
     "MG", "foreign_authority", "fr", "agriculture,health,water", "FR"),
    ("Ana", "Souza", "Secretária de relações internacionais", "Prefeitura de Belo Horizonte",
     "foreign_authority", "BR", "foreign_authority", "pt,es,en", "urban,youth,digital", "FR"),
    ("Arman", "Petrosyan", "Conseiller du gouverneur", "Province de Syunik", "foreign_authority",
     "AM", "foreign_authority", "ru,en,fr", "tourism,agriculture,emergency", "FR"),
    ("Issa", "Ouédraogo", "Maire", "Commune de Koudougou", "foreign_authority", "BF",
     "foreign_authority", "fr", "water,education,agriculture", "FR"),
    ("Katarzyna", "Nowak", "Directrice des affaires européennes", "Voïvodie de Lublin",
     "foreign_authority", "PL", "foreign_authority", "pl,en,fr", "economy,digital,youth", "FR,UA"),
    ("Hélène", "Garnier", "Chargée de mission", "Cités Unies France", "association", "FR",
     "association", "fr,en", "governance,emergency,gender", "UA,LB,ML"),
    ("Karim", "Haddad", "Conseiller", "Ambassade du Liban", "embassy", "LB", "embassy_state",
     "ar,fr,en", "emergency,culture", "FR"),
    ("Laura", "Bianchi", "Chercheuse", "Université de Turin", "research", "IT", "research",
     "it,fr,en", "governance,urban", "FR,SN"),
    ("David", "Lambert", "Chargé de partenariats", "Agence de l'eau Adour-Garonne", "other", "FR",
     "other", "fr", "water,climate", "SN,MA,BF"),
    ("Camille", "Fontaine", "Directrice", "Eau Solidaire", "association", "FR", "association",
     "fr,en", "water,health", "MG,BF,ML"),
]  # fmt: skip

POSTS = [
    ("Claire", "request", "Nous recherchons un partenaire au Sénégal sur l'eau et l'assainissement",
     "We seek a partner in Senegal on water and sanitation: a three-year programme with our water "
     "agency, open to a commune or a department.", "water", "SN"),
    ("Aminata", "request", "Recherche appui pour la gestion des déchets à Thiès",
     "Our city wants to set up sorting and composting; we seek a French authority with "
     "experience of waste management and training.", "waste", ""),
    ("Julien", "offer", "Notre expérience des filières agricoles locales",
     "Ten years of cooperation with farmers' groups in Burkina Faso and Mali: we offer to share "
     "our methods and contacts.", "agriculture", "BF,ML"),
    ("Sophie", "offer", "Nous proposons notre expérience des échanges de jeunes",
     "Youth exchanges with Vietnam and Brazil since 2015: volunteering, civic service, "
     "school partnerships.", "youth", "VN,BR"),
    ("Olena", "request", "Reconstruction d'écoles : nous cherchons des partenaires",
     "Bila Tserkva seeks partners to rebuild and equip two schools, and for teacher exchanges.",
     "emergency,education", "UA"),
    ("Moussa", "request", "Maraîchage et irrigation à Ségou",
     "We seek technical partners for small-scale irrigation and market gardening.",
     "agriculture,water", "ML"),
    ("David", "offer", "Financement 1 % eau pour vos projets",
     "The water agency co-funds decentralised cooperation projects on water and sanitation "
     "(Oudin-Santini law).", "water", "SN,MA,BF,MG"),
    ("Nguyen", "request", "Valorisation du patrimoine de Hué",
     "We seek a French city with experience of heritage tourism and site management.",
     "culture,tourism", "VN"),
    ("Thomas", "offer", "Mobilité urbaine et numérique",
     "Our metropolis offers expertise on public transport and open data.", "mobility,digital",
     ""),
    ("Rasoa", "request", "Santé communautaire en Analamanga",
     "We seek partners for community health centres and training of health workers.",
     "health", "MG"),
    ("Camille", "offer", "Accompagnement de projets eau et santé",
     "Our association supports local authorities from the first idea to the funding file.",
     "water,health", "MG,BF,ML"),
    ("Fatima", "request", "Tourisme durable dans l'Oriental",
     "We seek a French region to build a sustainable tourism route with women's cooperatives.",
     "tourism,gender", "MA"),
]  # fmt: skip


def load_networking_demo(edition, seed=15):
    """Create the demo exchange once for `edition`; returns the number of people added."""
    if Profile.objects.filter(registration__edition=edition).exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    add_default_themes(Theme)  # in case a test flushed the database after the migrations
    themes = {theme.code: theme for theme in Theme.objects.all()}
    categories = {category.code: category for category in Category.objects.filter(edition=edition)}
    people = {}
    for row in PEOPLE:
        first, last, job, org_name, kind, country, category, languages, theme_codes, works = row
        organisation = find_or_create_organisation(org_name, kind, country)
        email = f"{first}.{last}".lower().replace(" ", "-") + "@demo.example.org"
        registration = Registration.objects.create(
            edition=edition, first_name=first, last_name=last, email=email, job_title=job,
            organisation=organisation, category=categories.get(category) or
            next(iter(categories.values())), language="fr" if "fr" in languages else "en",
            status=Registration.Status.CONFIRMED, email_confirmed_at=now,
            privacy_notice_version="demo", privacy_accepted_at=now, directory_opt_in=True,
            directory_consent_at=now, days=[day.isoformat() for day in edition.days],
        )  # fmt: skip
        profile = Profile(
            registration=registration,
            countries=works.split(","),
            about=f"{job}, {org_name}.",  # a colon would need its French space
        )
        profile.language_codes = languages.split(",")
        profile.save()
        profile.themes.set([themes[code] for code in theme_codes.split(",")])
        people[first] = registration
    for first, kind, title, text, theme_codes, countries in POSTS:
        post = CooperationPost.objects.create(
            profile=people[first].profile, kind=kind, title=title, text=text,
            countries=[c for c in countries.split(",") if c],
        )  # fmt: skip
        post.themes.set([themes[code] for code in theme_codes.split(",")])

    add_slots_and_tables(edition)
    everyone = list(people.values())
    pairs = set()
    while len(pairs) < 60:
        sender, recipient = rng.sample(everyone, 2)
        if (recipient.pk, sender.pk) not in pairs:
            pairs.add((sender.pk, recipient.pk))
    by_pk = {person.pk: person for person in everyone}
    for number, (sender, recipient) in enumerate(sorted(pairs)):
        status = ("accepted", "accepted", "accepted", "pending", "declined")[number % 5]
        request = MeetingRequest.objects.create(
            edition=edition, sender=by_pk[sender], recipient=by_pk[recipient], status=status,
            message="Nous aimerions échanger sur nos projets. / We would like to talk about "
                    "our projects.",
            answered_at=now if status != "pending" else None,
        )  # fmt: skip
        if status == "accepted":
            meeting = Meeting.objects.create(edition=edition, request=request)
            meeting.participants.set([by_pk[sender], by_pk[recipient]])
    return len(people)


def add_slots_and_tables(edition):
    """The programme's project exchange (second day, 14:00 to 17:00): nine slots of 20
    minutes; 20 tables."""
    for day, hour, count in ((edition.ends_on, 14, 9),):
        start = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=PARIS)
        for index in range(count):
            begins = start + datetime.timedelta(minutes=20 * index)
            Slot.objects.get_or_create(
                edition=edition, starts_at=begins,
                defaults={"ends_at": begins + datetime.timedelta(minutes=20)},
            )  # fmt: skip
    for number in range(1, 21):
        Table.objects.get_or_create(
            edition=edition, number=number,
            defaults={"location": "Hall B" if number <= 12 else "Hall C"},
        )  # fmt: skip
