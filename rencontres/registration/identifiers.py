"""Official identifiers of French authorities, and organisation names compared loosely."""

import re
import unicodedata

INSEE_CODE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")
SIREN = re.compile(r"^\d{9}$")


def luhn_valid(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_identifier(value):
    return re.sub(r"[\s.\-]", "", value or "").upper()


def identifier_kind(value):
    """ "insee", "siren" or None for a normalised identifier."""
    if INSEE_CODE.match(value):
        return "insee"
    if SIREN.match(value) and luhn_valid(value):
        return "siren"
    return None


# Words that change nothing about which organisation is meant.
FILLER_WORDS = {
    "de", "du", "des", "la", "le", "les", "l", "d", "et", "the", "of", "and",
    "ville", "commune", "mairie", "city", "town", "municipality",
}  # fmt: skip


def name_key(name):
    """A comparison key: "Ville de Saint-Étienne " and "saint etienne" give the same key."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = text.replace("œ", "oe").replace("æ", "ae").replace("st ", "saint ")
    words = re.findall(r"[a-z0-9]+", text)
    words = ["saint" if word == "st" else "sainte" if word == "ste" else word for word in words]
    kept = [word for word in words if word not in FILLER_WORDS]
    return " ".join(kept or words)[:200]
