"""Badge batches move from MEDIA_ROOT (served to anyone) to the private storage: the field
names its new storage, and the files already built are moved there, under the same names."""

from django.db import migrations, models

import rencontres.storage


def move_to_private_storage(apps, schema_editor):
    import os

    from django.core.files.storage import storages

    public, private = storages["default"], storages["private"]
    BadgeBatch = apps.get_model("onsite", "BadgeBatch")
    for batch in BadgeBatch.objects.exclude(file="").only("pk", "file"):
        name = batch.file.name
        if not public.exists(name):
            continue  # already moved, or lost: the download view answers 404
        with public.open(name, "rb") as content:
            stored = private.save(name, content) if not private.exists(name) else name
        if stored != name:
            BadgeBatch.objects.filter(pk=batch.pk).update(file=stored)
        public.delete(name)
    folder = os.path.join(public.location, "badges")
    if os.path.isdir(folder) and not os.listdir(folder):
        os.rmdir(folder)


class Migration(migrations.Migration):
    dependencies = [
        ("onsite", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="badgebatch",
            name="file",
            field=models.FileField(
                blank=True, storage=rencontres.storage.private_storage, upload_to="badges/"
            ),
        ),
        # Going back leaves the files where they are safe; the old download view then answers
        # 404 for them, and organisers build the batch again.
        migrations.RunPython(move_to_private_storage, migrations.RunPython.noop, elidable=True),
    ]
