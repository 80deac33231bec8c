"""Static files in production: collected with hashed names (the manifest), served by WhiteNoise
compressed and cached by browsers for ten years, as nothing at a hashed name ever changes."""

import gzip

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

from rencontres.settings import storage_settings

# What production runs (STATIC_MANIFEST unset); the suite itself runs without the manifest.
PRODUCTION_STORAGES = storage_settings(None)


@pytest.fixture
def collected(tmp_path):
    """collectstatic into a folder of the test's own, with the production storage. Only the
    project's own static/ (not the admin's and the API's): the same storage, a tenth of the
    time."""
    with override_settings(
        STATIC_ROOT=tmp_path / "static",
        STORAGES=PRODUCTION_STORAGES,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path / "static"


def test_a_hashed_file_is_cached_for_ten_years_and_sent_compressed(collected):
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css"), "the name carries its hash"
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    assert gzip.decompress(body) == (collected / "css" / "site.css").read_bytes()


def test_a_client_that_takes_no_compression_gets_the_file_as_it_is(collected):
    response = Client().get(static("css/site.css"), HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200 and "Content-Encoding" not in response
    body = b"".join(response.streaming_content)
    assert body == (collected / "css" / "site.css").read_bytes()


def test_a_file_at_its_unhashed_name_is_cached_briefly_only(collected):
    # Its content changes with each release: a browser must ask again soon.
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
