"""The site-wide tests log in a lot: passwords are hashed fast here."""

import pytest

from .cast import FAST_HASHERS


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
