"""For the benches that run in process: Django on a fresh SQLite database in a temporary folder,
migrated, with plain static files (no collectstatic)."""

import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def fresh_django():
    sys.path.insert(0, str(ROOT))
    data_dir = tempfile.mkdtemp(prefix="rencontres-bench-")
    os.environ.update(
        DATA_DIR=data_dir, STATIC_MANIFEST="0", DATABASE_URL="", ALLOWED_HOSTS="testserver"
    )
    pathlib.Path(data_dir, "static").mkdir()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencontres.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir
