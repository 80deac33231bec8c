"""For the benches that run in process: Django on a fresh SQLite database in a temporary folder
(or a given PostgreSQL database), migrated, with plain static files (no collectstatic); and
confirmed people with names in every script, for the benches that draw them (badges,
certificates)."""

import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def fresh_django(database_url=""):
    """Django set up and migrated on a new SQLite file, or on the (new, empty) PostgreSQL
    database of `database_url`."""
    sys.path.insert(0, str(ROOT))
    data_dir = tempfile.mkdtemp(prefix="rencontres-bench-")
    os.environ.update(
        DATA_DIR=data_dir, STATIC_MANIFEST="0", DATABASE_URL=database_url,
        ALLOWED_HOSTS="testserver",
    )  # fmt: skip
    pathlib.Path(data_dir, "static").mkdir()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencontres.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


# Latin, Cyrillic, Arabic, Chinese, Vietnamese, a long name, Japanese, Korean, Greek.
NAMES = [
    ("Awa", "Ndiaye"), ("Олена", "Коваленко"), ("فاطمة", "العمراني"), ("王", "小明"),
    ("Nguyễn", "Văn An"), ("Maximilian-Alexander", "von Hohenzollern-Sigmaringen"),
    ("山田", "太郎"), ("김", "민준"), ("Κωνσταντίνος", "Παπαδόπουλος"), ("Claire", "Martin"),
]  # fmt: skip


def people_in_every_script(edition, count, prefix, languages=("fr",)):
    """`count` confirmed registrations of `edition` (bulk-created), their names from NAMES and
    their organisations in five scripts, their e-mails `<prefix><n>@bench.example.org`."""
    from rencontres.registration.models import Category, Organisation, Registration

    categories = list(Category.objects.filter(edition=edition))
    organisations = Organisation.objects.bulk_create(
        Organisation(name=name, name_key=name.lower(), kind="foreign_authority", country=country)
        for name, country in [("Ville de Thiès", "SN"), ("Місто Біла Церква", "UA"),
                              ("جهة الشرق", "MA"), ("上海市", "CN"), ("Thành phố Huế", "VN")]
    )  # fmt: skip
    return Registration.objects.bulk_create(
        Registration(
            edition=edition, first_name=NAMES[i % len(NAMES)][0],
            last_name=NAMES[i % len(NAMES)][1], email=f"{prefix}{i}@bench.example.org",
            job_title="Vice-présidente chargée des relations internationales",
            organisation=organisations[i % len(organisations)],
            category=categories[i % len(categories)], status="confirmed",
            privacy_notice_version="bench", privacy_accepted_at=edition.registration_opens_at,
            language=languages[i % len(languages)],
        )
        for i in range(count)
    )  # fmt: skip
