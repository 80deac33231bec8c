"""Nothing built with names stays under MEDIA_ROOT/badges/: 0002 moved the files a batch row
named, and left the others (a batch or an edition deleted before, a file copied back) where
/media/ served them. Each file still there moves to the private storage if a batch names it
and its private copy is missing; every other one is deleted (no row leads to it, and it holds
names and the QR codes that open the door)."""

from django.db import migrations


def sweep_public_badge_folder(apps, schema_editor):
    import os

    from django.core.files.storage import storages

    public, private = storages["default"], storages["private"]
    folder = os.path.join(public.location, "badges")
    if not os.path.isdir(folder):
        return
    BadgeBatch = apps.get_model("onsite", "BadgeBatch")
    named = set(BadgeBatch.objects.exclude(file="").values_list("file", flat=True))
    for parent, _folders, files in os.walk(folder, topdown=False):
        for file_name in files:
            path = os.path.join(parent, file_name)
            name = os.path.relpath(path, public.location).replace(os.sep, "/")
            if name in named and not private.exists(name):
                with open(path, "rb") as content:
                    stored = private.save(name, content)
                if stored != name:
                    BadgeBatch.objects.filter(file=name).update(file=stored)
            os.remove(path)
        if not os.listdir(parent):
            os.rmdir(parent)


class Migration(migrations.Migration):
    dependencies = [
        ("onsite", "0004_badge_batch_names"),
    ]

    operations = [
        migrations.RunPython(sweep_public_badge_folder, migrations.RunPython.noop, elidable=True),
    ]
