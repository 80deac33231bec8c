"""Logins lock after repeated failures; sessions do not outlive a working day."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="203.0.113.5"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_five_failed_logins_lock_the_account_even_with_the_right_password(client):
    User.objects.create_superuser("claire", "claire@example.org", "the-right-password")
    for _ in range(5):
        assert attempt(client, "claire", "wrong").status_code == 200
    response = attempt(client, "claire", "the-right-password")
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_twenty_failures_from_one_address_lock_that_address(client):
    User.objects.create_superuser("claire", "claire@example.org", "the-right-password")
    for number in range(20):
        attempt(client, f"guess{number}", "wrong")
    assert (
        "Too many failed logins" in attempt(client, "claire", "the-right-password").content.decode()
    )
    assert attempt(client, "claire", "the-right-password", "198.51.100.7").status_code == 302


def test_a_good_login_works_and_sessions_expire_within_a_working_day(client):
    User.objects.create_superuser("claire", "claire@example.org", "the-right-password")
    response = attempt(client, "claire", "the-right-password")
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert 0 < client.session.get_expiry_age() <= 8 * 3600
    assert 0 < int(response.cookies["sessionid"]["max-age"]) <= 8 * 3600
