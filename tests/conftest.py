"""The site-wide tests: the cast (tests/cast.py) once per module, its files kept for the
module, and fast password hashing (they log in a lot)."""

import pytest

from .cast import FAST_HASHERS, cast_for_module


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def private_root(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def cast_media(request, settings, media_in_tmp):
    """With the cast, uploads and private files are the module's folders, not the test's: the
    cast's files (a badge batch) stay where it wrote them."""
    if "cast" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("media_root")
        settings.PRIVATE_ROOT = request.getfixturevalue("private_root")


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker, media_root, private_root):
    with cast_for_module(django_db_blocker, media_root, private_root) as cast:
        yield cast
