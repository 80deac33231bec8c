"""A team member's API tokens in the back-office: the key shown once and kept hashed, scopes no
wider than the role, an expiry of a year at most, revoked by its owner only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rencontres.api.models import ApiToken, hashed
from rencontres.backoffice.tests.factories import member
from rencontres.models import AuditEntry
from rencontres.registration.tests.factories import open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition(number=15)


def url(edition, name="tokens", *args):
    with translation.override("en"):
        return reverse(f"api_pages:{name}", args=[edition.number, *args])


def form(**fields):
    in_a_month = timezone.localdate() + datetime.timedelta(days=30)
    data = {"name": "CRM sync", "scopes": ["registrations:read"], "expires_on": in_a_month}
    data.update(fields)
    return data


def test_a_token_is_shown_once_and_kept_as_a_fingerprint(client, edition):
    client.force_login(member(edition, "staff"))
    page = client.post(url(edition), form()).content.decode()
    token = ApiToken.objects.get()
    key = page.split('<code class="secret" lang="zxx" translate="no">')[1].split("</code>")[0]
    assert key.startswith("rct_") and token.key_hash == hashed(key)
    assert token.edition == edition and token.scopes == ["registrations:read"]
    again = client.get(url(edition)).content.decode()
    assert key not in again and token.prefix in again
    assert AuditEntry.objects.filter(action="api_token_created").count() == 1
    response = client.get("/api/v1/editions/15/registrations/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_scopes_beyond_the_role_and_long_expiries_are_refused(client, edition):
    client.force_login(member(edition, "staff"))
    html = client.get(url(edition)).content.decode()
    assert 'value="checkins:write"' in html and 'value="meetings:read"' not in html
    too_late = timezone.localdate() + datetime.timedelta(days=400)
    page = client.post(url(edition), form(scopes=["meetings:read"], expires_on=too_late))
    errors = page.context["form"].errors
    assert "scopes" in errors and errors["expires_on"] == ["A token lasts one year at most."]
    assert not ApiToken.objects.exists()


def test_only_its_owner_revokes_a_token(client, edition):
    owner = member(edition, "organiser")
    token, key = ApiToken.issue(owner, "x", ["registrations:read"],
                                timezone.now() + datetime.timedelta(days=3), edition)  # fmt: skip
    client.force_login(member(edition, "organiser"))
    assert client.post(url(edition, "revoke", token.pk)).status_code == 404
    client.force_login(owner)
    client.post(url(edition, "revoke", token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get("/api/v1/editions/15/registrations/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["viewer", "check_in"])
def test_viewers_and_door_staff_have_no_token_page(client, edition, role):
    client.force_login(member(edition, role))
    assert client.get(url(edition)).status_code == 403
