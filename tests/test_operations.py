"""The foundation: health check, production settings, branding, the organiser account."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from rencontres.checks import check_brand_colours, contrast_ratio


@pytest.mark.django_db
def test_healthz_reports_a_working_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert client.get("/healthz?format=json").json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def run_manage(*args, env, unset=()):
    """manage.py in a process of its own, with the test run's environment (less `unset`)
    and `env`."""
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", *unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**{k: v for k, v in os.environ.items() if k not in dropped}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "0",
            "HTTPS": "1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "rencontres.example.org",
            "DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_without_https(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={"DEBUG": "0", "HTTPS": "0", "SECRET_KEY": secrets.token_urlsafe(50),
             "DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_debug_is_off_unless_asked_for(tmp_path):
    """In a process whose environment has no DEBUG (pytest-django turns DEBUG off in this one,
    whatever the settings say)."""
    code = "from django.conf import settings; print(settings.DEBUG)"

    def debug(**env):
        result = run_manage("shell", "--no-imports", "-c", code,
                            env={"DATA_DIR": str(tmp_path), **env}, unset=["DEBUG"])  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert debug() == "False"
    assert debug(DEBUG="1") == "True"  # asked for: what the default must not be


def test_the_demo_key_is_random_and_kept(tmp_path):
    env = {"DATA_DIR": str(tmp_path), "SECRET_KEY": ""}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()
    second = run_manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()
    assert len(first) >= 50 and first == second
    assert first == (tmp_path / "secret_key").read_text().strip()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_brand_colours_come_from_settings(client, settings):
    settings.BRAND = {**settings.BRAND, "PRIMARY": "#123456", "ACCENT": "#6b2c00"}
    css = client.get("/brand.css").content.decode()
    assert "--brand-primary:#123456" in css and "--brand-accent:#6b2c00" in css
    assert check_brand_colours(None) == []


def test_brand_colours_that_are_unreadable_or_invalid_stop_the_start(settings):
    settings.BRAND = {**settings.BRAND, "PRIMARY": "#ffff00", "ACCENT": "red;}body{x:y"}
    ids = [error.id for error in check_brand_colours(None)]
    assert ids == ["rencontres.E002", "rencontres.E001"]
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0


@pytest.mark.django_db
def test_the_organiser_account_is_created_once_with_its_password_shown_once(capsys):
    call_command("ensure_organiser")
    first = capsys.readouterr().out
    assert "password:" in first
    password = first.split("password:")[1].split()[0]
    user = get_user_model().objects.get(username="organiser")
    assert user.is_superuser and user.check_password(password)
    call_command("ensure_organiser")
    assert "password" not in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_the_organiser_account_can_come_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("ORGANISER_USERNAME", "claire")
    monkeypatch.setenv("ORGANISER_PASSWORD", "a-long-passphrase-42")
    call_command("ensure_organiser")
    assert "a-long-passphrase-42" not in capsys.readouterr().out
    assert get_user_model().objects.get(username="claire").check_password("a-long-passphrase-42")


@pytest.mark.django_db
def test_uploaded_logos_are_served_in_the_demo(client, settings, tmp_path):
    (tmp_path / "media" / "partners").mkdir(parents=True)
    (tmp_path / "media" / "partners" / "logo.png").write_bytes(b"\x89PNG")
    response = client.get("/media/partners/logo.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG"
