"""Badge tokens: unguessable and unforgeable (signed and checked by Django's Signer, which
compares in constant time), carrying nothing personal; a cancelled registration's badge is
refused at the door, online and offline."""

import json
import string

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from rencontres.backoffice.tests.factories import member
from rencontres.models import Membership
from rencontres.onsite import services
from rencontres.onsite.models import CheckIn
from rencontres.onsite.tests.factories import running_edition
from rencontres.onsite.tokens import badge_token, public_id_from_token, token_hash
from rencontres.registration import services as registration_services
from rencontres.registration.tests.factories import registered

pytestmark = pytest.mark.django_db

URL_SAFE = set(string.ascii_letters + string.digits + "-_")


@pytest.fixture
def edition():
    return running_edition()


@pytest.fixture
def agent(client, edition):
    user = member(edition, Membership.Role.CHECK_IN)
    client.force_login(user)
    return user


def test_a_badge_token_is_the_random_public_id_and_a_256_bit_signature(edition):
    person = registered(edition, first_name="Olena", email="olena@example.ua")
    token = badge_token(person)
    value, signature = token.split(":")
    assert value == person.public_id.hex and person.public_id.version == 4  # 122 random bits
    assert len(signature) == 43 and set(signature) <= URL_SAFE  # HMAC-SHA256
    assert "Olena" not in token and "olena" not in token and person.secret not in token
    assert public_id_from_token(token) == person.public_id


def test_a_forged_or_altered_badge_is_unknown(edition, settings):
    person, other = registered(edition), registered(edition)
    token = badge_token(person)
    value, signature = token.split(":")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    forgeries = [
        f"{value}:{flipped}",  # one character of the signature changed
        f"{other.public_id.hex}:{signature}",  # someone else's id under this signature
        value,  # no signature
        signing.Signer(salt="registration.confirm-address").sign(person.public_id.hex),
        "x" * 500,
        "é" * 43,
    ]
    for forged in forgeries:
        assert public_id_from_token(forged) is None, forged
        assert services.check_in_token(edition, forged)[0] == services.UNKNOWN
    settings.SECRET_KEY = "another-site-" + "k" * 50
    assert public_id_from_token(token) is None  # signed by another site's key


def test_a_cancelled_registration_badge_is_refused_and_leaves_the_offline_list(
    client, edition, agent
):
    person = registered(edition)
    token = badge_token(person)
    url = reverse("onsite:api_list", args=[edition.number])
    assert token_hash(token) in client.get(url).json()["people"]
    registration_services.cancel(person)
    assert token_hash(token) not in client.get(url).json()["people"]
    # A desk that went offline before the cancellation let them in: the sync refuses it.
    scanned = {"id": "1", "token": token, "door": "A", "at": timezone.now().isoformat()}
    response = client.post(
        reverse("onsite:api_sync", args=[edition.number]),
        json.dumps({"items": [scanned]}),
        content_type="application/json",
    )
    assert [row["status"] for row in response.json()["results"]] == ["not_confirmed"]
    scan = client.post(
        reverse("onsite:api_scan", args=[edition.number]),
        json.dumps({"token": token}),
        content_type="application/json",
    ).json()
    assert scan["status"] == "not_confirmed"
    assert not CheckIn.objects.exists()


def test_a_replaced_private_link_keeps_the_printed_badge_valid(edition):
    """The badge is paper in a pocket: it carries the public id, not the link's secret, so
    replacing a link that went astray does not leave the person at the door."""
    person = registered(edition)
    token = badge_token(person)
    registration_services.replace_link(person)
    assert services.check_in_token(edition, token)[0] == services.OK
