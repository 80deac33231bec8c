"""The example client (examples/api_sync.py), against a running server and with nothing but the
documented API and a token: a first sync takes everyone, the next only what changed, and it
checks people in."""

import datetime
import importlib.util
import pathlib

import pytest
from django.utils import timezone

from rencontres.api.models import ApiToken
from rencontres.backoffice.tests.factories import member
from rencontres.onsite import services as onsite
from rencontres.onsite.tokens import badge_token
from rencontres.registration import services
from rencontres.registration.tests.factories import open_edition, registered

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLE = pathlib.Path(__file__).resolve().parents[3] / "examples" / "api_sync.py"


def example():
    spec = importlib.util.spec_from_file_location("api_sync", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_client_syncs_incrementally_and_checks_people_in(live_server):
    client = example()
    edition = open_edition(number=15)
    people = [registered(edition, first_name=f"Personne {n}") for n in range(60)]
    onsite.accept_check_ins_on(edition, timezone.localdate(), None)
    _token, key = ApiToken.issue(
        member(edition, "staff"), "Partner", ["registrations:read", "checkins:write"],
        timezone.now() + datetime.timedelta(days=7), edition,
    )  # fmt: skip
    api = client.Api(live_server.url, key)
    state = {}
    assert client.sync(api, 15, state) == 60 and len(state["people"]) == 60
    # Changes since: one cancels, one is added; the next sync fetches those two (and the
    # registration at the boundary moment, asked again by design: `since` is inclusive).
    services.cancel(people[3])
    newcomer = registered(edition, first_name="Nouvelle")
    fetched = client.sync(api, 15, state)
    assert 2 <= fetched <= 3 and len(state["people"]) == 61
    assert state["people"][str(people[3].public_id)]["status"] == "cancelled"
    assert str(newcomer.public_id) in state["people"]
    status, answer = client.check_in(api, 15, badge_token(people[0]), key="door-1-scan-1")
    assert (status, answer["status"]) == (201, onsite.OK)
    again = client.check_in(api, 15, badge_token(people[0]), key="door-1-scan-1")
    assert again == (201, answer)  # a retried request: the first answer, nothing more
    status, answer = client.check_in(api, 15, badge_token(people[3]))
    assert status == 409 and answer["status"] == onsite.NOT_CONFIRMED
    # Someone asks to be erased: the next sync drops them from the copy.
    from rencontres.privacy.services.erasure import erase_registrations
    from rencontres.registration.models import Registration

    erase_registrations(Registration.objects.filter(pk=people[5].pk))
    client.sync(api, 15, state)
    assert str(people[5].public_id) not in state["people"] and len(state["people"]) == 60
