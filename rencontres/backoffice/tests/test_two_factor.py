"""Organiser accounts confirm their logins with an authenticator app's code (TOTP)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencontres.registration.tests.factories import open_edition

from .factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code(device, drift=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def urls(edition):
    with translation.override("en"):
        return (reverse("backoffice:home", args=[edition.number]), reverse("backoffice:two_factor"))


def test_an_organiser_sets_up_the_app_before_reaching_the_back_office(client):
    edition = open_edition()
    home, setup = urls(edition)
    client.force_login(member(edition, "organiser"))
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(setup)
    assert client.get("/admin/").status_code == 302
    page = client.get(setup)
    assert "<svg" in page.content.decode() and page.context["secret"]
    device = TOTPDevice.objects.get()
    assert not device.confirmed
    wrong = client.post(setup, {"code": "000000" if code(device) != "000000" else "111111"})
    assert "code" in wrong.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes one wait a second after a wrong code
    response = client.post(f"{setup}?next={home}", {"code": code(device)})
    assert response["Location"] == home
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(home).status_code == 200


def test_other_roles_are_not_asked_for_a_code(client):
    edition = open_edition()
    home, _setup = urls(edition)
    client.force_login(member(edition, "staff"))
    assert client.get(home).status_code == 200


def test_a_login_with_the_app_set_up_needs_its_current_code(client):
    edition = open_edition()
    user = member(edition, "organiser", username="claire")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    with translation.override("en"):
        login = reverse("backoffice:login")
    data = {"username": "claire", "password": "pw"}
    response = client.post(login, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "6-digit code" in response.content.decode()
    response = client.post(login, {**data, "otp_token": code(device)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    home, _setup = urls(edition)
    assert client.get(home).status_code == 200  # verified: no detour
