"""What the demo's people write: job titles (as a man or a woman holds them), the text of
their profiles and posts, and the messages of their meeting requests."""

# (kind of organisation or category, language): [(for a man, for a woman)]
JOB_TITLES = {
    ("elected", "commune"): [
        ("Maire", "Maire"),
        (
            "Adjoint au maire chargé des relations internationales",
            "Adjointe au maire chargée des relations internationales",
        ),
        (
            "Conseiller municipal délégué à la coopération",
            "Conseillère municipale déléguée à la coopération",
        ),
        ("Adjoint au maire chargé de la jeunesse", "Adjointe au maire chargée de la jeunesse"),
    ],
    ("elected", "region"): [
        ("Vice-président chargé de l'international", "Vice-présidente chargée de l'international"),
        ("Conseiller régional", "Conseillère régionale"),
        (
            "Président de la commission des relations internationales",
            "Présidente de la commission des relations internationales",
        ),
    ],
    ("elected", "departement"): [
        ("Vice-président chargé de la coopération", "Vice-présidente chargée de la coopération"),
        ("Conseiller départemental", "Conseillère départementale"),
    ],
    ("elected", "epci"): [
        (
            "Vice-président chargé des relations internationales",
            "Vice-présidente chargée des relations internationales",
        ),
        ("Conseiller communautaire", "Conseillère communautaire"),
    ],
    ("elected", ""): [
        ("Vice-président", "Vice-présidente"),
        ("Élu délégué à la coopération", "Élue déléguée à la coopération"),
    ],
    ("staff", ""): [
        (
            "Chargé de mission coopération décentralisée",
            "Chargée de mission coopération décentralisée",
        ),
        ("Directeur des relations internationales", "Directrice des relations internationales"),
        ("Responsable de l'action internationale", "Responsable de l'action internationale"),
        ("Chef de projet coopération", "Cheffe de projet coopération"),
        ("Chargé de projets Europe et international", "Chargée de projets Europe et international"),
        ("Directeur général adjoint des services", "Directrice générale adjointe des services"),
        ("Assistant de coopération", "Assistante de coopération"),
        ("Volontaire de solidarité internationale", "Volontaire de solidarité internationale"),
        ("Chargé de mission jumelages", "Chargée de mission jumelages"),
    ],
    ("foreign_authority", "fr"): [
        ("Maire", "Maire"),
        ("Adjoint au maire", "Adjointe au maire"),
        ("Secrétaire général", "Secrétaire générale"),
        ("Conseiller municipal", "Conseillère municipale"),
        ("Directeur de la coopération", "Directrice de la coopération"),
        ("Chargé des relations extérieures", "Chargée des relations extérieures"),
        ("Directeur des services techniques", "Directrice des services techniques"),
    ],
    ("foreign_authority", "en"): [
        ("Mayor", "Mayor"),
        ("Deputy Mayor for International Affairs", "Deputy Mayor for International Affairs"),
        ("Head of International Relations", "Head of International Relations"),
        ("International Cooperation Officer", "International Cooperation Officer"),
        ("Director of External Relations", "Director of External Relations"),
        ("City Councillor", "City Councillor"),
        ("Vice-Governor", "Vice-Governor"),
    ],
    ("embassy", ""): [
        ("Conseiller de coopération", "Conseillère de coopération"),
        ("Premier secrétaire", "Première secrétaire"),
        ("Attaché de coopération décentralisée", "Attachée de coopération décentralisée"),
        ("Ministre conseiller", "Ministre conseillère"),
        ("Ambassadeur", "Ambassadrice"),
    ],
    ("state_service", ""): [
        ("Chargé de mission", "Chargée de mission"),
        (
            "Délégué pour l'action extérieure des collectivités territoriales",
            "Déléguée pour l'action extérieure des collectivités territoriales",
        ),
        ("Chef de bureau", "Cheffe de bureau"),
        ("Chargé de partenariats", "Chargée de partenariats"),
    ],
    ("association", ""): [
        ("Directeur", "Directrice"),
        ("Chargé de projets", "Chargée de projets"),
        ("Président", "Présidente"),
        ("Coordinateur", "Coordinatrice"),
        ("Bénévole", "Bénévole"),
    ],
    ("company", ""): [
        ("Gérant", "Gérante"),
        ("Consultant", "Consultante"),
        ("Directeur commercial", "Directrice commerciale"),
        ("Ingénieur", "Ingénieure"),
        ("Chargé d'affaires", "Chargée d'affaires"),
    ],
    ("research", ""): [
        ("Maître de conférences", "Maîtresse de conférences"),
        ("Chercheur", "Chercheuse"),
        ("Doctorant", "Doctorante"),
        ("Professeur", "Professeure"),
    ],
    ("press", ""): [
        ("Journaliste", "Journaliste"),
        ("Rédacteur en chef", "Rédactrice en chef"),
        ("Photographe", "Photographe"),
        ("Correspondant", "Correspondante"),
    ],
    ("other", ""): [
        ("Chargé de partenariats", "Chargée de partenariats"),
        ("Responsable des relations internationales", "Responsable des relations internationales"),
        ("Directeur", "Directrice"),
    ],
}

# What a profile says, in French or in English; {organisation}, {since}, {themes}, {countries}.
ABOUT = {
    "fr": [
        "{organisation} mène des projets de coopération depuis {since}. Nos thèmes\u202f: "
        "{themes}. Pays partenaires\u202f: {countries}.",
        "Nous cherchons à rencontrer des collectivités qui travaillent sur {themes}, et à "
        "partager ce que nous faisons avec nos partenaires ({countries}).",
        "Élus et services de {organisation} engagés à l'international depuis {since}, "
        "surtout sur {themes}.",
        "{organisation}, en coopération avec {countries}. Nous venons pour trouver de "
        "nouveaux partenaires sur {themes}.",
    ],
    "en": [
        "{organisation} has worked with partners in {countries} since {since}, mostly on {themes}.",
        "We would like to meet local authorities working on {themes}, and to share what we "
        "have learnt with our partners ({countries}).",
        "{organisation}: international cooperation since {since}, on {themes}. We are looking "
        "for new partners.",
    ],
}

# theme: (an offer, a request), each (title, text), in French; {place}: a country's name.
POSTS = {
    "water": (
        (
            "Notre expérience des services d'eau en milieu rural",
            "Vingt ans de forages, de bornes-fontaines et de comités de gestion de l'eau : "
            "nous partageons nos méthodes et nos contacts.",
        ),
        (
            "Partenaire recherché pour l'assainissement d'un quartier",
            "Nous cherchons une collectivité ou une agence de l'eau pour un programme "
            "d'assainissement sur trois ans ({place}).",
        ),
    ),
    "climate": (
        (
            "Plan climat : ce que nous avons appris",
            "Notre plan climat-air-énergie et son suivi, présentés à qui veut s'en "
            "inspirer ; visites possibles.",
        ),
        (
            "Adaptation au changement climatique",
            "Sécheresses, inondations : nous cherchons des partenaires pour un plan "
            "d'adaptation local ({place}).",
        ),
    ),
    "agriculture": (
        (
            "Filières agricoles locales et circuits courts",
            "Dix ans d'appui aux groupements de producteurs : formation, "
            "transformation, vente sur les marchés.",
        ),
        (
            "Maraîchage et irrigation",
            "Nous cherchons des partenaires techniques pour la petite irrigation et "
            "le maraîchage ({place}).",
        ),
    ),
    "education": (
        (
            "Échanges d'enseignants et formation professionnelle",
            "Nos lycées professionnels accueillent des enseignants partenaires et "
            "montent des formations communes.",
        ),
        (
            "Construire et équiper des écoles",
            "Nous cherchons des partenaires pour équiper des écoles et former des "
            "enseignants ({place}).",
        ),
    ),
    "youth": (
        (
            "Volontariat et échanges de jeunes",
            "Service civique, chantiers de jeunes, volontariat de réciprocité : nous "
            "proposons d'accueillir et d'envoyer des jeunes.",
        ),
        (
            "Mobilité internationale des jeunes",
            "Nous cherchons une collectivité pour des échanges de jeunes dès l'an "
            "prochain ({place}).",
        ),
    ),
    "culture": (
        (
            "Patrimoine et métiers d'art",
            "Nos services du patrimoine partagent leur expérience de la restauration et "
            "de la médiation culturelle.",
        ),
        (
            "Valoriser un centre historique",
            "Nous cherchons une ville qui connaît la gestion d'un site patrimonial et le "
            "tourisme culturel ({place}).",
        ),
    ),
    "health": (
        (
            "Centres de santé et formation des soignants",
            "Nos hôpitaux et nos écoles de soins infirmiers accueillent des soignants partenaires.",
        ),
        (
            "Santé communautaire",
            "Nous cherchons des partenaires pour des centres de santé de proximité et la "
            "formation d'agents de santé ({place}).",
        ),
    ),
    "economy": (
        (
            "Accompagner l'entrepreneuriat local",
            "Pépinières d'entreprises, microcrédit, marchés publics : ce que nous "
            "faisons pour l'emploi, à partager.",
        ),
        (
            "Développement économique local",
            "Nous cherchons un partenaire pour une zone d'activités et l'appui aux "
            "artisans ({place}).",
        ),
    ),
    "tourism": (
        (
            "Tourisme durable et itinéraires",
            "Nous avons créé des itinéraires de randonnée et des gîtes avec les "
            "habitants ; nous partageons notre méthode.",
        ),
        (
            "Tourisme communautaire",
            "Nous cherchons une région pour construire une route touristique avec des "
            "coopératives de femmes ({place}).",
        ),
    ),
    "governance": (
        (
            "Finances locales et budget participatif",
            "Notre budget participatif a cinq ans : nous proposons de le présenter "
            "et d'accueillir des élus partenaires.",
        ),
        (
            "Appui à la décentralisation",
            "Nous cherchons un appui pour former nos élus et nos agents à la gestion "
            "communale ({place}).",
        ),
    ),
    "urban": (
        (
            "Urbanisme et habitat social",
            "Nos services d'urbanisme partagent leur expérience de la rénovation des "
            "quartiers anciens.",
        ),
        (
            "Plan d'urbanisme et cadastre",
            "Nous cherchons une ville partenaire pour notre premier plan d'urbanisme et "
            "un cadastre numérique ({place}).",
        ),
    ),
    "waste": (
        (
            "Tri, compostage et recyclage",
            "Notre syndicat des déchets propose formations et visites de ses centres de "
            "tri et de compostage.",
        ),
        (
            "Gestion des déchets",
            "Nous voulons organiser la collecte et le tri ; nous cherchons une collectivité "
            "qui l'a fait ({place}).",
        ),
    ),
    "mobility": (
        (
            "Transports publics et données ouvertes",
            "Notre réseau de bus et nos données ouvertes, présentés à qui veut s'en inspirer.",
        ),
        (
            "Mobilité urbaine",
            "Nous cherchons des partenaires pour un plan de déplacements et des "
            "pistes cyclables ({place}).",
        ),
    ),
    "emergency": (
        (
            "Aide d'urgence et reconstruction",
            "Nous savons envoyer vite du matériel et des équipes techniques ; nous "
            "proposons notre appui.",
        ),
        (
            "Reconstruction après la crise",
            "Nous cherchons des partenaires pour reconstruire des équipements publics "
            "et accueillir des familles ({place}).",
        ),
    ),
    "gender": (
        (
            "Égalité femmes-hommes dans les politiques locales",
            "Budget sensible au genre, formation des élues : nous partageons nos outils.",
        ),
        (
            "Coopératives de femmes",
            "Nous cherchons un appui pour des coopératives de femmes et l'accès au "
            "crédit ({place}).",
        ),
    ),
    "digital": (
        (
            "Services publics numériques",
            "État civil en ligne, open data, formation des agents : notre expérience à partager.",
        ),
        (
            "Numériser l'état civil",
            "Nous cherchons une collectivité pour numériser notre état civil et former "
            "nos agents ({place}).",
        ),
    ),
}

# The message of a meeting request, in the sender's language.
MESSAGES = {
    "fr": [
        "Bonjour, nous aimerions échanger sur nos projets lors des Rencontres.",
        "Votre annonce nous intéresse beaucoup : pouvons-nous nous voir à la bourse aux projets ?",
        "Nous travaillons sur les mêmes thèmes ; un rendez-vous de vingt minutes ?",
        "Bonjour, je serais ravie de vous présenter notre coopération.",
    ],
    "en": [
        "Hello, we would like to talk about our projects during the Meetings.",
        "Your post is of great interest to us: could we meet at the project exchange?",
        "We work on the same themes; would you have twenty minutes?",
    ],
}
