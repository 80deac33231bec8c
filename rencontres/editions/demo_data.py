"""The demo's content: the venue, the speakers, the 15th edition's programme, two archived
editions, the pages, partners and categories. All people in it are fictitious. demo.py turns
it into rows; dates come from the year the demo is loaded in (see demo.demo_year)."""

from .models import Page, Partner, Session

K = Session.Kind

VENUE = {
    "name": "Centre de congrès de la Cité",
    "address": "12 quai de la Coopération\n75013 Paris",
    "city": "Paris",
    "country": "FR",
    "map_url": "https://www.openstreetmap.org/search?query=75013%20Paris",
    "access_fr": (
        "- **Métro** : ligne 14, station Bibliothèque François-Mitterrand (5 minutes à pied).\n"
        "- **RER** : ligne C, même station.\n"
        "- **Depuis les aéroports** : RER B depuis Roissy-Charles-de-Gaulle, puis ligne 14 ; "
        "ligne 14 directe depuis Orly.\n\n"
        "Le bâtiment est entièrement accessible de plain-pied. Une boucle magnétique équipe "
        "l'auditorium."
    ),
    "access_en": (
        "- **Metro**: line 14, Bibliothèque François-Mitterrand station (5-minute walk).\n"
        "- **RER**: line C, same station.\n"
        "- **From the airports**: RER B from Roissy-Charles-de-Gaulle, then line 14; "
        "line 14 runs directly from Orly.\n\n"
        "The whole building has step-free access. The auditorium has a hearing loop."
    ),
}

ROOMS = [
    ("Auditorium", "Rez-de-chaussée", "Ground floor", 800),
    ("Salle Europe", "Niveau 1", "Level 1", 250),
    ("Salle A", "Niveau 1", "Level 1", 60),
    ("Salle B", "Niveau 1", "Level 1", 60),
    ("Salle C", "Niveau 1", "Level 1", 45),
    ("Salle D", "Niveau 2", "Level 2", 45),
    ("Salle E", "Niveau 2", "Level 2", 40),
    ("Salle F", "Niveau 2", "Level 2", 40),
    ("Grand Hall", "Rez-de-chaussée", "Ground floor", 600),
]

# key: (first name, last name, job FR, job EN, organisation, country)
SPEAKERS = {
    "moreau": ("Claire", "Moreau", "Présidente", "President", "Rencontres AICT", "FR"),
    "diallo": (
        "Amadou",
        "Diallo",
        "Maire adjoint chargé des relations internationales",
        "Deputy Mayor for International Relations",
        "Ville de Thiès",
        "SN",
    ),
    "haddad": (
        "Rania",
        "Haddad",
        "Présidente de fédération de municipalités",
        "Chair of a Federation of Municipalities",
        "Union des municipalités du Metn",
        "LB",
    ),
    "nguyen": (
        "Thi Lan",
        "Nguyen",
        "Directrice de la coopération internationale",
        "Director of International Cooperation",
        "Comité populaire de Huế",
        "VN",
    ),
    "kovalenko": ("Olena", "Kovalenko", "Maire", "Mayor", "Ville de Bila Tserkva", "UA"),
    "rakoto": (
        "Hery",
        "Rakotomalala",
        "Secrétaire général",
        "Secretary General",
        "Région Analamanga",
        "MG",
    ),
    "joseph": (
        "Marie-Ange",
        "Joseph",
        "Chargée de mission développement local",
        "Local Development Officer",
        "Commune de Jacmel",
        "HT",
    ),
    "lefebvre": (
        "Julien",
        "Lefebvre",
        "Vice-président chargé de l'international",
        "Vice-President for International Affairs",
        "Région Centre-Loire",
        "FR",
    ),
    "garcia": (
        "Sofía",
        "García",
        "Cheffe d'unité, partenariats locaux",
        "Head of Unit, Local Partnerships",
        "Commission européenne",
        "BE",
    ),
    "benali": (
        "Youssef",
        "Benali",
        "Chargé de projets eau et assainissement",
        "Water and Sanitation Project Manager",
        "Agence de l'eau Seine-Aval",
        "FR",
    ),
    "martin": (
        "Élise",
        "Martin",
        "Déléguée pour l'action extérieure des collectivités",
        "Delegate for Local Authorities' External Action",
        "Ministère de l'Europe et des Affaires étrangères",
        "FR",
    ),
    "silva": (
        "João",
        "Silva",
        "Secrétaire aux relations internationales",
        "Secretary for International Relations",
        "Prefeitura de Belo Horizonte",
        "BR",
    ),
    "tremblay": (
        "Marc",
        "Tremblay",
        "Conseiller municipal",
        "City Councillor",
        "Ville de Sherbrooke",
        "CA",
    ),
    "dubois": (
        "Nadia",
        "Dubois",
        "Directrice des relations internationales",
        "Director of International Relations",
        "Département de l'Isère-Nord",
        "FR",
    ),
    "elamrani": (
        "Karim",
        "El Amrani",
        "Chercheur en relations internationales",
        "Researcher in International Relations",
        "Université de Rabat",
        "MA",
    ),
}

BIOGRAPHIES = {
    "moreau": (
        "Élue locale depuis vingt ans, Claire Moreau préside l'association organisatrice des "
        "Rencontres. Elle a conduit plusieurs partenariats avec des communes d'Afrique de l'Ouest.",
        "A local councillor for twenty years, Claire Moreau chairs the association that "
        "organises the Meetings. She has led several partnerships with West African towns.",
    ),
    "kovalenko": (
        "Olena Kovalenko dirige la reconstruction de services publics locaux avec l'appui de "
        "collectivités européennes partenaires.",
        "Olena Kovalenko leads the rebuilding of local public services with the support of "
        "partner European local authorities.",
    ),
    "garcia": (
        "Sofía García suit les programmes européens ouverts aux autorités locales et à leurs "
        "associations.",
        "Sofía García oversees the European programmes open to local authorities and their "
        "associations.",
    ),
}


# The 15th edition (its dates and registration window are computed by demo.load_demo).
CURRENT = dict(
    title_fr="15es Rencontres de l'action internationale des collectivités territoriales",
    title_en="15th Meetings on the International Action of Local Authorities",
    theme_fr="Diplomatie territoriale : les singularités de la coopération décentralisée",
    theme_en="Territorial diplomacy: the singularities of decentralised cooperation",
    introduction_fr=(
        "Chaque année, les Rencontres réunissent **élus, agents territoriaux, délégations "
        "étrangères, ambassades, associations et partenaires financiers** autour de l'action "
        "internationale des collectivités.\n\n"
        "Cette 15e édition interroge ce qui fait la singularité de la coopération "
        "décentralisée : une relation de territoire à territoire, inscrite dans la durée, "
        "fondée sur la réciprocité. Plénières, tables rondes, groupes pays, ateliers et "
        "rendez-vous bilatéraux : deux jours pour trouver des partenaires et construire "
        "des projets."
    ),
    introduction_en=(
        "Every year, the Meetings bring together **elected officials, local-authority staff, "
        "foreign delegations, embassies, associations and funders** around the international "
        "action of local and regional authorities.\n\n"
        "This 15th edition looks at what makes decentralised cooperation singular: a "
        "relationship from territory to territory, built over time, founded on reciprocity. "
        "Plenaries, round tables, country groups, workshops and bilateral meetings: two days "
        "to find partners and build projects."
    ),
    expected_participants=1200,
    expected_countries=40,
    capacity=1200,
)


# Interpretation in the plenaries and round tables.
INTERPRETATION = ["fr", "en", "es", "ar"]

# The current edition's programme: (kind, start, end, room, FR title, EN title, FR text, EN
# text, capacity, registration, interpretation, [(speaker, role)]); start and end are (day of
# the edition, hour, minute).
SESSIONS = [
    (
        K.PLENARY,
        (1, 9, 30),
        (1, 11, 0),
        "Auditorium",
        "Séance plénière d'ouverture : la diplomatie territoriale, une singularité française ?",
        "Opening plenary: territorial diplomacy, a French singularity?",
        "Ouverture officielle des Rencontres. Élus français et étrangers, représentants de "
        "l'État et partenaires européens dressent l'état de la coopération décentralisée et "
        "de ce qui la distingue de l'aide publique au développement.",
        "Official opening of the Meetings. French and foreign elected officials, State "
        "representatives and European partners take stock of decentralised cooperation and of "
        "what sets it apart from official development assistance.",
        None,
        False,
        [*INTERPRETATION, "fr-sign"],
        [
            ("moreau", "chair"),
            ("martin", "speaker"),
            ("diallo", "speaker"),
            ("garcia", "speaker"),
        ],
    ),
    (
        K.ROUND_TABLE,
        (1, 11, 15),
        (1, 12, 45),
        "Auditorium",
        "Villes et régions dans un monde fragmenté : la diplomatie par d'autres moyens",
        "Cities and regions in a fragmented world: diplomacy by other means",
        "Quand les relations entre États se tendent, les liens entre territoires tiennent. "
        "Comment les collectivités entretiennent-elles le dialogue, et jusqu'où ?",
        "When relations between States grow tense, links between territories hold. How do "
        "local authorities keep the dialogue going, and how far can they go?",
        None,
        False,
        INTERPRETATION,
        [
            ("elamrani", "moderator"),
            ("haddad", "speaker"),
            ("kovalenko", "speaker"),
            ("lefebvre", "speaker"),
        ],
    ),
    (
        K.ROUND_TABLE,
        (1, 11, 15),
        (1, 12, 45),
        "Salle Europe",
        "Financer la coopération décentralisée : fonds de l'État, de l'Europe et des territoires",
        "Funding decentralised cooperation: State, European and local funds",
        "Appels à projets, dispositifs « 1 % » eau, énergie et déchets, programmes européens : "
        "un panorama concret des financements et de la manière de les combiner.",
        'Calls for projects, the "1%" schemes for water, energy and waste, European '
        "programmes: a practical overview of funding and of how to combine it.",
        250,
        True,
        ["fr", "en"],
        [
            ("dubois", "moderator"),
            ("garcia", "speaker"),
            ("benali", "speaker"),
            ("martin", "speaker"),
        ],
    ),
    *[
        (
            K.COUNTRY_GROUP,
            (1, 14, 0),
            (1, 15, 30),
            room,
            f"Groupe pays {fr_name}",
            f"Country group: {en_name}",
            f"Les collectivités françaises engagées avec {fr_with} et leurs partenaires font "
            "le point sur les projets en cours et préparent les prochaines étapes.",
            f"French local authorities working with {en_with} and their partners review "
            "current projects and prepare the next steps.",
            seats,
            True,
            languages,
            speakers,
        )
        for room, fr_name, en_name, fr_with, en_with, seats, languages, speakers in [
            (
                "Salle A",
                "Sénégal",
                "Senegal",
                "le Sénégal",
                "Senegal",
                60,
                ["fr"],
                [("diallo", "chair")],
            ),
            (
                "Salle B",
                "Madagascar",
                "Madagascar",
                "Madagascar",
                "Madagascar",
                60,
                ["fr"],
                [("rakoto", "chair")],
            ),
            (
                "Salle C",
                "Liban",
                "Lebanon",
                "le Liban",
                "Lebanon",
                45,
                ["fr", "ar"],
                [("haddad", "chair")],
            ),
            (
                "Salle D",
                "Vietnam",
                "Vietnam",
                "le Vietnam",
                "Vietnam",
                45,
                ["fr", "vi"],
                [("nguyen", "chair")],
            ),
            (
                "Salle E",
                "Ukraine",
                "Ukraine",
                "l'Ukraine",
                "Ukraine",
                40,
                ["fr", "uk", "en"],
                [("kovalenko", "chair")],
            ),
            ("Salle F", "Haïti", "Haiti", "Haïti", "Haiti", 40, ["fr"], [("joseph", "chair")]),
        ]
    ],
    (
        K.WORKSHOP,
        (1, 16, 0),
        (1, 17, 30),
        "Salle A",
        "Atelier 1 – Eau et assainissement : monter un projet avec le 1 % eau",
        "Workshop 1 – Water and sanitation: building a project with the 1% water scheme",
        "Un atelier pratique, du diagnostic au suivi, avec des collectivités et des agences de "
        "l'eau qui l'ont fait.",
        "A hands-on workshop, from assessment to monitoring, with local authorities and water "
        "agencies that have done it.",
        35,
        True,
        ["fr", "en"],
        [("benali", "speaker"), ("diallo", "speaker")],
    ),
    (
        K.WORKSHOP,
        (1, 16, 0),
        (1, 17, 30),
        "Salle B",
        "Atelier 2 – Climat : l'adaptation locale en partage",
        "Workshop 2 – Climate: sharing local adaptation",
        "Îlots de chaleur, gestion des crues, littoral : ce que les territoires apprennent "
        "les uns des autres.",
        "Heat islands, flood management, coastlines: what territories learn from each other.",
        35,
        True,
        ["fr", "en", "es"],
        [("silva", "speaker"), ("nguyen", "speaker")],
    ),
    (
        K.WORKSHOP,
        (1, 16, 0),
        (1, 17, 30),
        "Salle C",
        "Atelier 3 – Jeunesse : volontariat et mobilité internationale",
        "Workshop 3 – Youth: volunteering and international mobility",
        "Volontariat de réciprocité, chantiers, échanges scolaires : faire des jeunes les "
        "acteurs de la coopération.",
        "Reciprocal volunteering, work camps, school exchanges: making young people actors "
        "of cooperation.",
        30,
        True,
        ["fr", "en"],
        [("tremblay", "speaker"), ("joseph", "speaker")],
    ),
    (
        K.SIDE_EVENT,
        (1, 18, 30),
        (1, 20, 30),
        "Grand Hall",
        "Soirée des partenaires",
        "Partners' evening",
        "Un moment convivial pour prolonger les échanges, avec les délégations étrangères.",
        "A friendly evening to carry on the conversations, with the foreign delegations.",
        None,
        True,
        [],
        [],
    ),
    (
        K.WORKSHOP,
        (2, 9, 0),
        (2, 10, 30),
        "Salle D",
        "Atelier 4 – Développement économique local et tourisme durable",
        "Workshop 4 – Local economic development and sustainable tourism",
        "Filières agricoles, artisanat, tourisme : quand la coopération crée de l'activité "
        "des deux côtés.",
        "Farming, crafts, tourism: when cooperation creates economic activity on both sides.",
        30,
        True,
        ["fr", "en"],
        [("rakoto", "speaker"), ("lefebvre", "speaker")],
    ),
    (
        K.WORKSHOP,
        (2, 9, 0),
        (2, 10, 30),
        "Salle E",
        "Atelier 5 – Culture et patrimoine, leviers de coopération",
        "Workshop 5 – Culture and heritage as levers of cooperation",
        "Restaurer, transmettre, programmer ensemble : des projets culturels qui durent.",
        "Restoring, passing on, programming together: cultural projects that last.",
        30,
        True,
        ["fr", "en"],
        [("nguyen", "speaker"), ("dubois", "speaker")],
    ),
    (
        K.WORKSHOP,
        (2, 9, 0),
        (2, 10, 30),
        "Salle F",
        "Atelier 6 – Urgence et reconstruction : accompagner les communes ukrainiennes",
        "Workshop 6 – Emergency and reconstruction: supporting Ukrainian municipalities",
        "Du soutien d'urgence à la reconstruction : outils, coordination et retours d'expérience.",
        "From emergency support to reconstruction: tools, coordination and lessons learnt.",
        30,
        True,
        ["fr", "uk", "en"],
        [("kovalenko", "speaker"), ("garcia", "speaker")],
    ),
    (
        K.ROUND_TABLE,
        (2, 11, 0),
        (2, 12, 30),
        "Auditorium",
        "Réciprocité : ce que la coopération rapporte aux territoires français",
        "Reciprocity: what cooperation brings back to French territories",
        "Compétences, ouverture, attractivité : mesurer et faire connaître les retombées "
        "locales de l'action internationale.",
        "Skills, openness, attractiveness: measuring and showing the local benefits of "
        "international action.",
        None,
        False,
        INTERPRETATION,
        [
            ("lefebvre", "moderator"),
            ("silva", "speaker"),
            ("tremblay", "speaker"),
            ("dubois", "speaker"),
        ],
    ),
    (
        K.PLENARY,
        (2, 12, 30),
        (2, 13, 0),
        "Auditorium",
        "Séance de clôture : conclusions et feuille de route",
        "Closing session: conclusions and roadmap",
        "Les rapporteurs restituent les travaux ; l'association présente ses engagements "
        "pour l'année à venir.",
        "The rapporteurs report back; the association sets out its commitments for the year ahead.",
        None,
        False,
        [*INTERPRETATION, "fr-sign"],
        [("moreau", "chair"), ("elamrani", "rapporteur")],
    ),
    (
        K.SIDE_EVENT,
        (2, 14, 0),
        (2, 17, 0),
        "Grand Hall",
        "Bourse aux projets : rendez-vous bilatéraux",
        "Project exchange: bilateral meetings",
        "Rencontres de 20 minutes entre collectivités qui cherchent et proposent des "
        "partenariats, réservées à l'avance sur la plateforme.",
        "20-minute meetings between authorities seeking and offering partnerships, booked "
        "in advance on the platform.",
        None,
        False,
        [],
        [],
    ),
]


PAST = [
    {
        "number": 14,
        "years_ago": 1,
        "title_fr": "14es Rencontres de l'action internationale des collectivités territoriales",
        "title_en": "14th Meetings on the International Action of Local Authorities",
        "theme_fr": "Les collectivités face aux crises mondiales : la solidarité en actes",
        "theme_en": "Local authorities facing global crises: solidarity in action",
        "sessions": [
            (
                K.PLENARY,
                "Plénière d'ouverture : solidarités territoriales en temps de crise",
                "Opening plenary: territorial solidarity in times of crisis",
                [("moreau", "chair")],
            ),
            (
                K.ROUND_TABLE,
                "Table ronde : l'action humanitaire des collectivités",
                "Round table: local authorities' humanitarian action",
                [("martin", "speaker")],
            ),
            (
                K.WORKSHOP,
                "Atelier : sécurité alimentaire et agriculture locale",
                "Workshop: food security and local farming",
                [("rakoto", "speaker")],
            ),
            (
                K.COUNTRY_GROUP,
                "Groupe pays Ukraine",
                "Country group: Ukraine",
                [("kovalenko", "chair")],
            ),
        ],
    },
    {
        "number": 13,
        "years_ago": 2,
        "title_fr": "13es Rencontres de l'action internationale des collectivités territoriales",
        "title_en": "13th Meetings on the International Action of Local Authorities",
        "theme_fr": "Jeunesse, climat, mobilités : renouveler la coopération décentralisée",
        "theme_en": "Youth, climate, mobility: renewing decentralised cooperation",
        "sessions": [
            (
                K.PLENARY,
                "Plénière d'ouverture : une coopération pour les nouvelles générations",
                "Opening plenary: cooperation for the next generations",
                [("moreau", "chair")],
            ),
            (
                K.WORKSHOP,
                "Atelier : mobilité internationale des jeunes",
                "Workshop: international mobility for young people",
                [("tremblay", "speaker")],
            ),
            (
                K.ROUND_TABLE,
                "Table ronde : villes et climat",
                "Round table: cities and climate",
                [("silva", "speaker")],
            ),
        ],
    },
]

PAGES = {
    Page.Slug.PRACTICAL: (
        "Informations pratiques",
        "Practical information",
        "## Lieu\n\nLes Rencontres se tiennent au **Centre de congrès de la Cité**, "
        "12 quai de la Coopération, 75013 Paris.\n\n"
        "## Accueil\n\nL'accueil ouvre à 8 h 30 le premier jour. Munissez-vous de votre badge "
        "(envoyé par e-mail) ou d'une pièce d'identité.\n\n"
        "## Langues\n\nLes plénières et tables rondes sont interprétées en français, anglais, "
        "espagnol et arabe ; les plénières aussi en langue des signes française.\n\n"
        "## Visas\n\nLes participants étrangers inscrits peuvent télécharger une lettre "
        "d'invitation depuis leur espace d'inscription. Déposez votre demande de visa au moins "
        "six semaines avant l'événement.\n\n"
        "## Hébergement\n\nDes hôtels à tarif négocié se trouvent à moins de 15 minutes à pied.",
        "## Venue\n\nThe Meetings take place at the **Centre de congrès de la Cité**, "
        "12 quai de la Coopération, 75013 Paris.\n\n"
        "## Welcome desk\n\nThe welcome desk opens at 8:30 on the first day. Bring your badge "
        "(sent by e-mail) or an identity document.\n\n"
        "## Languages\n\nPlenaries and round tables are interpreted into French, English, "
        "Spanish and Arabic; plenaries also into French Sign Language.\n\n"
        "## Visas\n\nRegistered foreign participants can download an invitation letter from "
        "their registration page. Apply for your visa at least six weeks before the event.\n\n"
        "## Accommodation\n\nHotels with negotiated rates are within a 15-minute walk.",
    ),
    Page.Slug.ABOUT: (
        "À propos",
        "About",
        "Les **Rencontres de l'action internationale des collectivités territoriales** "
        "réunissent chaque année les collectivités françaises et leurs partenaires étrangers "
        "engagés dans la coopération décentralisée.\n\n"
        "Elles sont organisées par une association de collectivités territoriales, avec le "
        "ministère des Affaires étrangères, l'agence de développement et des partenaires "
        "européens.\n\n*Les personnes citées sur ce site de démonstration sont fictives.*",
        "The **Meetings on the International Action of Local Authorities** bring together, "
        "every year, French local and regional authorities and their foreign partners engaged "
        "in decentralised cooperation.\n\n"
        "They are organised by an association of local authorities, with the foreign ministry, "
        "the development agency and European partners.\n\n"
        "*The people named on this demonstration site are fictitious.*",
    ),
    Page.Slug.LEGAL: (
        "Mentions légales",
        "Legal notice",
        "**Éditeur** : l'association organisatrice des Rencontres.\n\n"
        "**Directrice de la publication** : la présidente de l'association.\n\n"
        "**Hébergement** : serveurs situés dans l'Union européenne.\n\n"
        "Contact : contact@example.org",
        "**Publisher**: the association that organises the Meetings.\n\n"
        "**Publication director**: the association's president.\n\n"
        "**Hosting**: servers located in the European Union.\n\n"
        "Contact: contact@example.org",
    ),
    # The privacy notice is generated from settings.PRIVACY (rencontres/privacy).
    Page.Slug.ACCESSIBILITY: (
        "Déclaration d'accessibilité",
        "Accessibility statement",
        "Ce site vise la conformité au niveau AA des règles WCAG 2.1. Chaque page publique est "
        "vérifiée automatiquement (contraste, titres, repères, formulaires) en français et en "
        "anglais, sur ordinateur et sur téléphone.\n\n"
        "Si vous rencontrez une difficulté, écrivez à contact@example.org : nous vous "
        "répondrons et vous fournirons l'information sous une autre forme.",
        "This site aims to meet WCAG 2.1 level AA. Every public page is checked automatically "
        "(contrast, headings, landmarks, forms) in French and English, on desktop and on a "
        "phone.\n\n"
        "If something is hard to use, write to contact@example.org: we will answer and give "
        "you the information in another form.",
    ),
}

PARTNERS = [
    ("Rencontres AICT", Partner.Kind.ORGANISER, "#1f4e79"),
    ("Ministère de l'Europe et des Affaires étrangères", Partner.Kind.INSTITUTIONAL, "#2b3a67"),
    ("Agence française de développement", Partner.Kind.INSTITUTIONAL, "#0b6e4f"),
    ("Union européenne", Partner.Kind.INSTITUTIONAL, "#003399"),
    ("Réseau des villes partenaires", Partner.Kind.PARTNER, "#7a3b69"),
    ("La Lettre des territoires", Partner.Kind.MEDIA, "#8a3300"),
]


# code: (French, English, needs approval, badge colour)
CATEGORIES = {
    "elected": ("Élu·e", "Elected official", False, "#1f4e79"),
    "staff": ("Agent·e de collectivité", "Local-authority staff", False, "#2e6b30"),
    "foreign_authority": ("Collectivité étrangère", "Foreign authority", False, "#7a3b69"),
    "embassy_state": ("Ambassade ou service de l'État", "Embassy or State service", False,
                      "#2b3a67"),
    "association": ("Association", "Association", False, "#8a5300"),
    "company": ("Entreprise", "Company", False, "#4d4d4d"),
    "research": ("Recherche", "Research", False, "#005f73"),
    "press": ("Presse", "Press", True, "#a4262c"),
    "other": ("Autre", "Other", False, "#555555"),
}  # fmt: skip
