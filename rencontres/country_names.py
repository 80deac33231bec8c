"""Country names as people write them (settings.COUNTRIES_OVERRIDE): django-countries' names
where its French or English reads like a register ("Réunion, La", "Bahamas (The)") or
misleads ("Guyane" for Guyana). The French names are the catalogue's translations of these
English ones (locale/fr), which take precedence over django-countries' own.

No module imports here: the settings read this file."""

from django.utils.translation import gettext_lazy as _

OVERRIDES = {
    "AE": _("United Arab Emirates"),
    "BL": _("Saint Barthélemy"),
    "BQ": _("Bonaire, Sint Eustatius and Saba"),
    "BS": _("Bahamas"),
    "BZ": _("Belize"),
    "FM": _("Micronesia"),
    "GT": _("Guatemala"),
    "GY": _("Guyana"),
    "MF": _("Saint Martin (French part)"),
    "MH": _("Marshall Islands"),
    "MK": _("North Macedonia"),
    "NR": _("Nauru"),
    "PS": _("Palestine"),
    "RE": _("Réunion"),
    "SA": _("Saudi Arabia"),
    "SB": _("Solomon Islands"),
    "SJ": _("Svalbard and Jan Mayen"),
    "SX": _("Sint Maarten (Dutch part)"),
    "SZ": _("Eswatini"),
    "TL": _("Timor-Leste"),
    "TT": _("Trinidad and Tobago"),
    "US": _("United States"),
    "VA": _("Holy See (Vatican)"),
    "VG": _("British Virgin Islands"),
    "VI": _("US Virgin Islands"),
    "VN": _("Vietnam"),
}
