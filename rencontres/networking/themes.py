"""The cooperation themes every edition shares (organisers can add more in the admin)."""

THEMES = [
    ("water", "Eau et assainissement", "Water and sanitation"),
    ("climate", "Climat et transition énergétique", "Climate and energy transition"),
    ("agriculture", "Agriculture et alimentation", "Agriculture and food"),
    ("education", "Éducation et formation", "Education and training"),
    ("youth", "Jeunesse et mobilité", "Youth and mobility"),
    ("culture", "Culture et patrimoine", "Culture and heritage"),
    ("health", "Santé", "Health"),
    ("economy", "Développement économique", "Economic development"),
    ("tourism", "Tourisme", "Tourism"),
    (
        "governance",
        "Gouvernance locale et décentralisation",
        "Local governance and decentralisation",
    ),
    ("urban", "Urbanisme et habitat", "Urban planning and housing"),
    ("waste", "Déchets et économie circulaire", "Waste and circular economy"),
    ("mobility", "Transports et mobilité", "Transport"),
    ("emergency", "Urgence et reconstruction", "Emergency and reconstruction"),
    ("gender", "Égalité femmes-hommes", "Gender equality"),
    ("digital", "Numérique", "Digital"),
]


def add_default_themes(theme_model):
    """Create the missing default themes (a migration passes its historical model)."""
    for order, (code, name_fr, name_en) in enumerate(THEMES):
        theme_model.objects.get_or_create(
            code=code, defaults={"name_fr": name_fr, "name_en": name_en, "order": order}
        )
