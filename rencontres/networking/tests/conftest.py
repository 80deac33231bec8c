"""The networking tests read messages in English, whatever test ran before them."""

import pytest


@pytest.fixture(autouse=True)
def in_english():
    from django.utils import translation

    with translation.override("en"):
        yield
