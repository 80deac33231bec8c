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
    assert response.status_code == 200
    assert "if you set up an authenticator app, its current code" in response.content.decode()
    response = client.post(login, {**data, "otp_token": code(device)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    home, _setup = urls(edition)
    assert client.get(home).status_code == 200  # verified: no detour


def test_a_wrong_code_answers_as_a_wrong_password_does(client):
    """Nothing on the page tells that the password was right when the code is not: the same
    message and the same form for every failure, with or without an app set up, and each
    failure counts towards the lock."""
    from rencontres.models import Throttle

    edition = open_edition()
    claire = member(edition, "organiser", username="claire")
    member(edition, "staff", username="sami")  # no app
    device = TOTPDevice.objects.create(user=claire, name="app", confirmed=True)
    wrong_code = "000000" if code(device) != "000000" else "111111"
    with translation.override("en"):
        login = reverse("backoffice:login")
    attempts = {
        "wrong password, no code": {"username": "claire", "password": "nope"},
        "wrong password, right code": {"username": "claire", "password": "nope",
                                       "otp_token": code(device)},
        "right password, no code": {"username": "claire", "password": "pw"},
        "right password, wrong code": {"username": "claire", "password": "pw",
                                       "otp_token": wrong_code},
        "unknown account": {"username": "nobody", "password": "pw", "otp_token": wrong_code},
        "no app, wrong password": {"username": "sami", "password": "nope"},
    }  # fmt: skip
    answers = {}
    for what, data in attempts.items():
        device.throttle_reset()
        response = client.post(login, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, what
        form = response.context["form"]
        answers[what] = (form.non_field_errors(), dict(form.errors))
    first = answers["wrong password, no code"]
    assert "its current code" in first[0][0]
    assert all(answer == first for answer in answers.values()), answers
    assert Throttle.objects.get(key__startswith="login-ip:").hits == len(attempts)
