"""Files built with personal data never reach someone who may not see them.

Every kind of file the site builds (the badge batch kept on disk; the badge, agenda, letter,
calendars, exports and data export built for each request) is built here, as the person or
role it is for. Then: the batch sits in PRIVATE_ROOT, outside every served folder, and has no
address of its own; no file lands in MEDIA_ROOT; and no URL a stranger or a team member of the
wrong role guesses under /media/ (the batch's name, its folder, `private/`, path traversal in
every spelling) returns a byte of it. Who may open each file's own route is the access table's
(tests/test_access_control.py, FILE_ROUTES)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

from .test_access_control import FILE_ROUTES, client_for, fetch

pytestmark = pytest.mark.django_db


def files_under(folder):
    folder = Path(folder)
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_the_badge_batch_is_kept_in_private_storage_outside_every_served_folder(cast):
    batch = cast.batch
    path = Path(batch.file.path).resolve()
    assert path.is_file()
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    for served in (settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not path.is_relative_to(Path(served).resolve()), served
    assert files_under(settings.MEDIA_ROOT) == []
    with pytest.raises(ValueError):
        _url = batch.file.url  # no address that would skip the view's check
    assert os.stat(path).st_mode & 0o077 == 0  # readable by the site's own user only


def test_building_every_kind_of_file_writes_nothing_where_it_is_served(cast):
    """Each file route, opened by whom it is for, answers the file and leaves MEDIA_ROOT
    empty: nothing built for a person or a list is left where /media/ would serve it."""
    for name, (actor, content_type) in FILE_ROUTES.items():
        response = fetch(cast, name, actor)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith(content_type), name
        assert b"".join(response) if response.streaming else response.content, name
    assert files_under(settings.MEDIA_ROOT) == []


def guessed_urls(cast):
    """What someone who knows how batches are named would try under /media/."""
    name = cast.batch.file.name  # badges/badges-61-<pk>.pdf
    private = Path(settings.PRIVATE_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    relative = os.path.relpath(private / name, media)  # ../private-xxx/badges/...
    absolute = str(private / name)
    file_name = Path(name).name
    return [
        f"/media/{name}",
        f"/media/badges/{file_name}",
        f"/media/badges/badges-{cast.edition.number}-1.pdf",
        f"/media/{file_name}",
        f"/media/private/{name}",
        f"/media/{relative}",
        "/media/" + relative.replace("/", "%2F"),
        "/media/" + relative.replace("..", "%2e%2e"),
        "/media/" + relative.replace("..", "%252e%252e"),
        "/media/" + relative.replace("/", "\\"),
        f"/media/{absolute}",
        f"/media//{absolute.lstrip('/')}",
        f"/media/badges/../../{relative}",
        "/media/badges/",
        "/media/",
        "/media/../private/",
    ]


@pytest.mark.parametrize("actor", ["anonymous", "registrant", "check_in", "viewer", "staff"])
def test_no_guessed_media_url_returns_a_private_file(cast, actor):
    content = Path(cast.batch.file.path).read_bytes()
    client = client_for(cast, actor) if actor != "anonymous" else Client()
    for url in guessed_urls(cast):
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        assert response.status_code in (301, 302, 400, 404), (url, response.status_code)
        assert content[:200] not in body and b"%PDF" not in body, url


def test_a_public_upload_is_served_as_an_image_and_anything_else_as_a_download(cast):
    media = Path(settings.MEDIA_ROOT)
    (media / "partners").mkdir(parents=True, exist_ok=True)
    (media / "partners" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (media / "partners" / "page.html").write_text("<script>alert(1)</script>")
    (media / "partners" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    try:
        client = Client()
        image = client.get("/media/partners/logo.png")
        assert image.status_code == 200
        assert image["Content-Type"] == "image/png"
        assert image["X-Content-Type-Options"] == "nosniff"
        assert not image.get("Content-Disposition", "").startswith("attachment")
        for name in ("page.html", "logo.svg"):
            other = client.get(f"/media/partners/{name}")
            assert other.status_code == 200
            assert other["Content-Type"] == "application/octet-stream", name
            assert other["Content-Disposition"].startswith("attachment;"), name
            assert other["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in other["Content-Security-Policy"]
    finally:
        for path in (media / "partners").iterdir():
            path.unlink()
        (media / "partners").rmdir()


def test_the_site_refuses_to_start_with_private_files_in_a_served_folder(settings, tmp_path):
    from rencontres.checks import check_private_root

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    assert check_private_root(None) == []
    for inside in (tmp_path / "media", tmp_path / "media" / "private"):
        settings.PRIVATE_ROOT = inside
        assert [error.id for error in check_private_root(None)] == ["rencontres.E003"]
    settings.PRIVATE_ROOT = Path(settings.STATIC_ROOT) / "private"
    assert [error.id for error in check_private_root(None)] == ["rencontres.E003"]
    # MEDIA_ROOT set to the data folder would serve the demo's mail, database and key too.
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.DATA_DIR, settings.EMAIL_FILE_PATH = tmp_path, tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path
    found = " ".join(error.msg for error in check_private_root(None))
    for kept in ("PRIVATE_ROOT", "EMAIL_FILE_PATH", "secret key"):
        assert kept in found


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")  # read by the check only
def test_the_site_refuses_to_start_with_the_sqlite_database_in_a_served_folder(settings, tmp_path):
    """Django opens SQLite by URI (`file:/…?mode=rw`, quoted): the check sees the file."""
    from rencontres.checks import check_private_root
    from rencontres.settings import sqlite_uri

    settings.MEDIA_ROOT = tmp_path / "media files"
    settings.PRIVATE_ROOT = tmp_path / "private"
    database = {"ENGINE": "django.db.backends.sqlite3"}
    for create in (True, False):
        name = sqlite_uri(tmp_path / "media files" / "rencontres.sqlite3", create=create)
        settings.DATABASES = {"default": {**database, "NAME": name}}
        found = check_private_root(None)
        assert [error.id for error in found] == ["rencontres.E003"], name
        assert "the SQLite database" in found[0].msg
    for elsewhere in (sqlite_uri(tmp_path / "rencontres.sqlite3", create=False), ":memory:",
                      "file:memorydb?mode=memory&cache=shared"):  # fmt: skip
        settings.DATABASES = {"default": {**database, "NAME": elsewhere}}
        assert check_private_root(None) == [], elsewhere


def test_the_migration_moves_batches_built_before_into_private_storage(settings, tmp_path):
    """Batches built before private storage sat in MEDIA_ROOT/badges/: the data migration
    moves them (same names), and the download view finds them where they are now."""
    import importlib

    from django.apps import apps
    from django.urls import reverse

    from rencontres.backoffice.tests.factories import member
    from rencontres.onsite.models import BadgeBatch
    from rencontres.registration.tests.factories import open_edition

    migration = importlib.import_module(
        "rencontres.onsite.migrations.0002_badge_files_in_private_storage"
    )
    edition = open_edition()
    old = Path(settings.MEDIA_ROOT) / "badges" / f"badges-{edition.number}-1.pdf"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF-1.4 names and QR codes")
    batch = BadgeBatch.objects.create(
        edition=edition, layout="a6", status="done", total=1, done=1, file=f"badges/{old.name}"
    )
    gone = BadgeBatch.objects.create(
        edition=edition, layout="a6", status="done", total=1, done=1, file="badges/lost.pdf"
    )
    migration.move_to_private_storage(apps, None)
    migration.move_to_private_storage(apps, None)  # twice: nothing more happens
    assert not old.exists() and not old.parent.exists()
    moved = Path(settings.PRIVATE_ROOT) / "badges" / old.name
    assert moved.read_bytes() == b"%PDF-1.4 names and QR codes"
    batch.refresh_from_db()
    assert batch.file.name == f"badges/{old.name}"
    client = Client()
    client.force_login(member(edition, "organiser"))
    response = client.get(reverse("onsite:batch_file", args=[edition.number, batch.pk]))
    assert b"".join(response) == b"%PDF-1.4 names and QR codes"
    assert client.get(f"/media/badges/{old.name}").status_code == 404
    response = client.get(reverse("onsite:batch_file", args=[edition.number, gone.pk]))
    assert response.status_code == 404


def test_the_admin_links_a_batch_to_the_view_that_checks_roles(cast):
    from django.urls import reverse

    client = client_for(cast, "superuser")
    page = client.get(f"/admin/onsite/badgebatch/{cast.batch.pk}/change/").content.decode()
    assert reverse("onsite:batch_file", args=[cast.edition.number, cast.batch.pk]) in page
    assert "/media/" not in page


def test_the_sweep_leaves_no_badge_file_under_media_root(settings):
    """What 0002 left in MEDIA_ROOT/badges/ because no batch named it (a batch or an edition
    deleted before): 0004 deletes it, moves what a batch still names, and removes the folder."""
    import importlib

    from django.apps import apps

    from rencontres.onsite.models import BadgeBatch
    from rencontres.registration.tests.factories import open_edition

    migration = importlib.import_module(
        "rencontres.onsite.migrations.0005_sweep_public_badge_folder"
    )
    edition = open_edition()
    folder = Path(settings.MEDIA_ROOT) / "badges"
    (folder / "old").mkdir(parents=True)
    for name in ("badges-15-3.pdf", "old/badges-14-1.pdf", f"badges-{edition.number}-9.pdf"):
        (folder / name).write_bytes(b"%PDF-1.4 names and QR codes")
    kept = BadgeBatch.objects.create(
        edition=edition, layout="a6", status="done", total=1,
        file=f"badges/badges-{edition.number}-9.pdf",
    )  # fmt: skip
    (Path(settings.MEDIA_ROOT) / "partners").mkdir()
    (Path(settings.MEDIA_ROOT) / "partners" / "logo.png").write_bytes(b"\x89PNG")
    migration.sweep_public_badge_folder(apps, None)
    migration.sweep_public_badge_folder(apps, None)  # twice: nothing more happens
    assert files_under(settings.MEDIA_ROOT) == ["partners/logo.png"]
    assert files_under(settings.PRIVATE_ROOT) == [f"badges/badges-{edition.number}-9.pdf"]
    kept.refresh_from_db()
    assert kept.file.name == f"badges/badges-{edition.number}-9.pdf"


def test_nothing_under_media_badges_is_served_even_if_a_file_is_put_back(settings, client):
    folder = Path(settings.MEDIA_ROOT) / "badges"
    folder.mkdir(parents=True)
    (folder / "badges-15-3.pdf").write_bytes(b"%PDF-1.4 names and QR codes")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (Path(settings.MEDIA_ROOT) / "partners").mkdir()
    for url in (
        "/media/badges/badges-15-3.pdf",
        "/media/badges/photo.png",
        "/media/./badges/badges-15-3.pdf",
        "/media/partners/../badges/badges-15-3.pdf",
        "/media//badges/badges-15-3.pdf",
        "/media/%62adges/badges-15-3.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"names" not in (b"".join(response) if response.streaming else response.content)


def test_a_deleted_batch_takes_its_file_with_it_also_with_its_edition(
    settings, django_capture_on_commit_callbacks
):
    from rencontres.onsite.models import BadgeBatch
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()
    batches = []
    for _ in range(2):
        batch = BadgeBatch.objects.create(edition=edition, layout="a6", status="done", total=1)
        batch.file.save(f"badges-{edition.number}-{batch.pk}.pdf", ContentFile(b"%PDF names"))
        batches.append(batch)
    assert len(files_under(settings.PRIVATE_ROOT)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        batches[0].delete()  # in the admin
    assert files_under(settings.PRIVATE_ROOT) == [batches[1].file.name]
    with django_capture_on_commit_callbacks(execute=True):
        edition.delete()  # the batch goes in the cascade
    assert files_under(settings.PRIVATE_ROOT) == []
