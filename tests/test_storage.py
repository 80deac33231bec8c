"""Where uploads and generated files go: folders on this machine (a shared mount for several
app servers), or an S3-compatible bucket with STORAGE_URL, parsed in one place."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.urls import reverse

from rencontres.backoffice.tests.factories import member
from rencontres.onsite import services as onsite
from rencontres.onsite.models import BadgeBatch
from rencontres.registration.tests.factories import open_edition, registered
from rencontres.settings import storage_settings


def test_without_storage_url_files_stay_in_the_folders():
    storages = storage_settings(None)
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["private"] == {"BACKEND": "rencontres.storage.PrivateStorage"}
    assert storage_settings("") == storages


def test_the_production_default_serves_static_files_with_hashed_names():
    backend = storage_settings(None)["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    plain = storage_settings(None, static_manifest=False)["staticfiles"]["BACKEND"]
    assert plain == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_an_s3_url_puts_public_and_private_files_in_one_bucket_under_two_prefixes():
    storages = storage_settings(
        "s3://rencontres-files/prod?endpoint_url=https://s3.fr-par.scw.cloud&region=fr-par"
    )
    common = {
        "bucket_name": "rencontres-files",
        "endpoint_url": "https://s3.fr-par.scw.cloud",
        "region_name": "fr-par",
        "file_overwrite": False,
    }
    assert storages["default"] == {
        "BACKEND": "rencontres.s3.PublicS3Storage",
        "OPTIONS": {**common, "location": "prod/media"},
    }
    assert storages["private"] == {
        "BACKEND": "rencontres.s3.PrivateS3Storage",
        "OPTIONS": {**common, "location": "prod/private"},
    }
    assert storages["staticfiles"] == storage_settings(None)["staticfiles"]


def test_an_s3_url_without_prefix_or_options_uses_the_bucket_root_and_boto3s_defaults():
    storages = storage_settings("s3://Rencontres")
    assert storages["default"]["OPTIONS"] == {
        "bucket_name": "Rencontres",
        "file_overwrite": False,
        "location": "media",
    }
    assert storages["private"]["OPTIONS"]["location"] == "private"


@pytest.mark.parametrize(
    "url",
    [
        "https://rencontres-files.s3.amazonaws.com",  # not s3://
        "s3://",  # no bucket
        "s3://KEY:SECRET@rencontres-files",  # keys belong in AWS_* variables, not in logs
        "s3://rencontres-files?regoin=fr-par",  # a typo must not pass unnoticed
        "s3://rencontres-files?endpoint_url",
    ],
)
def test_a_storage_url_that_cannot_be_meant_stops_the_site(url):
    with pytest.raises(ImproperlyConfigured):
        storage_settings(url)


# Several app servers: no file on this machine's disk ------------------------------------------


class NoLocalFiles(Storage):
    """A storage as several app servers share it (a bucket): files in memory, reached through
    the storage's API only, never at a path on this machine."""

    def __init__(self):
        self.files = {}

    def _save(self, name, content):
        self.files[name] = b"".join(content.chunks())
        return name

    def _open(self, name, mode="rb"):
        if name not in self.files:
            raise FileNotFoundError(name)
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def delete(self, name):
        self.files.pop(name, None)

    def size(self, name):
        return len(self.files[name])

    def path(self, name):
        raise AssertionError(f"{name} asked for at a local path: another server has no such file")


@pytest.fixture
def shared_private_storage(monkeypatch):
    """Badge batches in a storage with no local path, as they would be in a bucket (the
    field holds its storage from start-up, so it is swapped there)."""
    storage = NoLocalFiles()
    monkeypatch.setattr(BadgeBatch._meta.get_field("file"), "storage", storage)
    return storage


@pytest.mark.django_db
def test_a_badge_batch_is_stored_and_served_through_the_storage_alone(
    client, shared_private_storage
):
    edition = open_edition()
    registered(edition, last_name="Ndiaye")
    batch = onsite.start_batch(edition, None, "a6")
    onsite.build_batch(batch)
    batch.refresh_from_db()
    assert shared_private_storage.exists(batch.file.name)
    client.force_login(member(edition, "organiser"))
    response = client.get(reverse("onsite:batch_file", args=[edition.number, batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and body == shared_private_storage.open(batch.file.name).read()
    shared_private_storage.delete(batch.file.name)  # gone, or kept where this server cannot see
    response = client.get(reverse("onsite:batch_file", args=[edition.number, batch.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_public_uploads_are_served_from_the_storage_with_their_headers(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_storage.NoLocalFiles"},
    }
    name = default_storage.save("partners/logo.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    default_storage.save("partners/page.html", ContentFile(b"<script>alert(1)</script>"))
    image = client.get(f"/media/{name}")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == b"\x89PNG\r\n\x1a\n"
    page = client.get("/media/partners/page.html")
    assert page["Content-Type"] == "application/octet-stream"
    assert page["Content-Disposition"].startswith("attachment;")
    assert (
        page["X-Content-Type-Options"] == "nosniff" and "sandbox" in page["Content-Security-Policy"]
    )
    for missing in ("partners/other.png", "partners", "../private/x.pdf", "badges/b.pdf"):
        assert client.get(f"/media/{missing}").status_code == 404, missing


def test_in_a_bucket_uploads_keep_their_address_on_the_site_and_private_files_have_none():
    pytest.importorskip("storages", reason="the s3 extra (pip install '.[s3]')")
    from rencontres.s3 import PrivateS3Storage, PublicS3Storage

    options = storage_settings("s3://rencontres-files?region=fr-par")
    public = PublicS3Storage(**options["default"]["OPTIONS"])
    assert public.url("partners/logo é.png") == "/media/partners/logo%20%C3%A9.png"
    private = PrivateS3Storage(**options["private"]["OPTIONS"])
    assert private.default_acl is None and private.location == "private"
    with pytest.raises(ValueError, match="no public address"):
        private.url("badges/badges-15-1.pdf")


def test_the_site_warns_when_uploads_in_a_bucket_would_not_be_served(settings):
    from rencontres.checks import check_uploads_are_served

    settings.STORAGES = storage_settings("s3://rencontres-files")
    settings.SERVE_MEDIA = True
    assert check_uploads_are_served(None) == []
    settings.SERVE_MEDIA = False
    assert [warning.id for warning in check_uploads_are_served(None)] == ["rencontres.W001"]
    settings.STORAGES = storage_settings(None)  # folders: the proxy may serve MEDIA_ROOT
    assert check_uploads_are_served(None) == []
