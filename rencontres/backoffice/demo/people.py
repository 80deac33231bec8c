"""Making up the demo's people from a seeded random generator: a name as its culture writes it
(sometimes in its own script), an e-mail address on the demo's domain, a job title, and the
organisations they come from, created once however many people name them."""

import unicodedata

from rencontres.registration.identifiers import name_key
from rencontres.registration.models import Organisation

from .names import CULTURES, OWN_SCRIPT
from .places import ABROAD, FRANCE, FRENCH_CULTURES
from .texts import JOB_TITLES

# The demo's addresses: reserved for examples (RFC 2606), and how the demo finds its people.
DOMAIN = "demo.example.org"

# Latin letters that NFKD does not take apart.
PLAIN = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                       "œ": "oe", "Œ": "Oe", "ø": "o"})  # fmt: skip


def ascii_word(text):
    text = unicodedata.normalize("NFKD", text.translate(PLAIN))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return "".join(char if char.isalnum() else "-" for char in text if char != "'").strip("-")


def name_in(rng, culture, gender, taken=None):
    """(first name, last name as written, first name, last name in Latin letters): one
    whose Latin spelling is not in `taken` (a set of names and addresses, added to), where
    the culture has names enough."""
    women, men, last_names = CULTURES[culture]
    for _attempt in range(8):
        first, last = rng.choice(women if gender == "f" else men), rng.choice(last_names)
        if taken is None or (first, last) not in taken:
            break
    if taken is not None:
        taken.add((first, last))
    if "/" in last:
        last = last.split("/")[1 if gender == "f" else 0]
    written_first, written_last = first, last
    firsts, lasts, share = OWN_SCRIPT.get(culture, ({}, {}, 0))
    if rng.random() < share and first in firsts and last in lasts:
        written_first, written_last = firsts[first], lasts[last]
    return written_first, written_last, first, last


def email_for(rng, first, last, taken):
    """An address on the demo's domain, made as people make theirs, never one in `taken`."""
    first, last = ascii_word(first), ascii_word(last)
    forms = [f"{first}.{last}", f"{first}.{last}", f"{first[0]}.{last}", f"{first}{last}",
             f"{last}.{first}", f"{first}-{last}"]  # fmt: skip
    local = rng.choice(forms)
    address, number = f"{local}@{DOMAIN}", 1
    while address in taken:
        number += 1
        address = f"{local}{number}@{DOMAIN}"
    taken.add(address)
    return address


def culture_of(rng, country):
    cultures = FRENCH_CULTURES if country == "FR" else ABROAD[country][1]
    return rng.choice(cultures)


# Titles one person holds in an organisation (there is one mayor).
ONE_HOLDER = {"Maire", "Mayor", "Ambassadeur", "Président", "Gérant", "Rédacteur en chef",
              "Secrétaire général", "Directeur général adjoint des services"}  # fmt: skip


def job_title(rng, category, kind, language, gender, held=None):
    """A job title for this category and kind of organisation. `held`: (organisation, the
    set of (organisation, title) given already), so that an organisation has one mayor."""
    keys = [(category, kind), (category, language), (category, ""), (kind, ""), ("other", "")]
    titles = next(JOB_TITLES[key] for key in keys if key in JOB_TITLES)
    for _attempt in range(5):
        man, woman = rng.choice(titles)
        if held is None or man not in ONE_HOLDER:
            break
        organisation, given = held
        if (organisation, man) not in given:
            given.add((organisation, man))
            break
    else:  # every draw was taken: the first title nobody holds alone
        man, woman = next((m, w) for m, w in titles if m not in ONE_HOLDER)
    return woman if gender == "f" else man


# The category each kind of organisation registers in (the demo's categories).
CATEGORY_OF_KIND = {
    "foreign_authority": "foreign_authority", "embassy": "embassy_state",
    "state_service": "embassy_state", "association": "association", "company": "company",
    "research": "research", "media": "press", "other": "other",
}  # fmt: skip


def category_for(rng, kind, head=False):
    if kind in Organisation.FRENCH_AUTHORITIES:
        return "elected" if head or rng.random() < 0.35 else "staff"
    return CATEGORY_OF_KIND.get(kind, "other")


def french_organisation(rng, weights):
    kind = rng.choices(list(weights), weights=list(weights.values()))[0]
    return rng.choice(FRANCE[kind]), kind


def foreign_organisation(rng, country):
    _size, _cultures, _language, authorities, embassy, others = ABROAD[country]
    draw = rng.random()
    if embassy and draw < 0.08:
        return embassy, "embassy"
    if others and draw < 0.2:
        kind, name = rng.choice(others)
        return name, kind
    return rng.choice(authorities), "foreign_authority"


class Organisations:
    """The organisations the demo's people name, each created once: those already there
    (the project exchange's) are found again by their name's key within their country."""

    def __init__(self):
        self.found = {
            (organisation.country.code, organisation.name_key): organisation
            for organisation in Organisation.objects.all()
        }
        self.wanted = {}

    def want(self, name, kind, country):
        key = (country, name_key(name))
        if key not in self.found and key not in self.wanted:
            self.wanted[key] = Organisation(name=name, name_key=key[1], kind=kind, country=country)
        return key

    def create(self):
        """Create those wanted (bulk_create skips save(), where name_key is computed: it is
        set above)."""
        made = Organisation.objects.bulk_create(self.wanted.values())
        self.found.update(zip(self.wanted, made, strict=True))
        self.wanted = {}

    def __getitem__(self, key):
        return self.found[key]
