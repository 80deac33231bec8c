"""The deployment files of docs/deploy/ (systemd units, nginx, cron, the environment file): they
parse, they name commands and settings that exist, so that a system administrator who copies
them gets a site that starts."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(settings.BASE_DIR) / "docs" / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
# The files' paths on the server, and where the same things are in this checkout.
SERVER_CODE, SERVER_VENV = "/srv/rencontres", "/srv/rencontres/.venv"
# Variables the environment file sets for others than settings.py.
READ_ELSEWHERE = {
    "GUNICORN_BIND": "the web unit's ExecStart",
    "WEB_CONCURRENCY": "gunicorn",
    "AWS_ACCESS_KEY_ID": "boto3",
    "AWS_SECRET_ACCESS_KEY": "boto3",
}
# What a site cannot run without being set: the environment file shows each one.
SETTINGS_THAT_MATTER = [
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "HTTPS", "BEHIND_PROXY", "DATABASE_URL",
    "DATA_DIR", "STORAGE_URL", "CACHE_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS",
    "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "DEFAULT_FROM_EMAIL",
]  # fmt: skip
MANAGE_COMMAND = re.compile(r"(?:manage\.py|rencontres-manage) +([a-z_]+)\b(?!-)")


def deploy_texts():
    """Every file of docs/deploy/ and the page that explains them."""
    files = [*sorted(DEPLOY.iterdir()), DEPLOY.parent / "deploy.md"]
    return {path.name: path.read_text() for path in files}


def settings_read_from_environment():
    source = (Path(settings.BASE_DIR) / "rencontres" / "settings.py").read_text()
    return set(
        re.findall(r"""(?:environ(?:\.get\(|\[)|env_bool\(|env_list\()\s*"([A-Z0-9_]+)\"""", source)
    )


def environment_file_names():
    text = (DEPLOY / "env.example").read_text()
    return re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE)


def test_every_command_the_deployment_runs_is_one_of_the_sites():
    commands = set(get_commands())
    named = {
        (name, command)
        for name, text in deploy_texts().items()
        for command in MANAGE_COMMAND.findall(text)
    }
    assert len({command for _, command in named}) >= 8, named
    assert {(name, c) for name, c in named if c not in commands} == set()


def test_the_environment_file_sets_only_what_something_reads():
    read = settings_read_from_environment()
    assert len(read) > 50, "the pattern no longer finds settings.py's variables"
    names = environment_file_names()
    assert [name for name in names if name not in read and name not in READ_ELSEWHERE] == []


def test_the_environment_file_shows_every_setting_that_matters():
    names = set(environment_file_names())
    assert [name for name in SETTINGS_THAT_MATTER if name not in names] == []


def test_the_web_unit_binds_where_the_environment_file_says():
    unit = (DEPLOY / "rencontres-web.service").read_text()
    assert "--bind ${GUNICORN_BIND}" in unit and "Environment=GUNICORN_BIND=" in unit


def checkout_copy(path, folder):
    """The unit as it would be on the server, pointing to this checkout and its virtualenv."""
    text = path.read_text()
    text = text.replace(SERVER_VENV, sys.prefix).replace(SERVER_CODE, str(settings.BASE_DIR))
    text = text.replace("/etc/rencontres/env", str(folder / "env"))
    (folder / path.name).write_text(text)
    return folder / path.name


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_the_systemd_units_are_valid_and_their_programs_exist(tmp_path):
    (tmp_path / "env").write_text("")
    copies = [checkout_copy(unit, tmp_path) for unit in UNITS]
    assert [unit.name for unit in UNITS] == ["rencontres-web.service", "rencontres-worker.service"]
    result = subprocess.run(
        ["systemd-analyze", "verify", *map(str, copies)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    # Unknown keys are only warnings: none may be there either (a misspelt setting is ignored).
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_the_units_start_what_the_project_has():
    from django.utils.module_loading import import_string

    web = (DEPLOY / "rencontres-web.service").read_text()
    assert "rencontres.wsgi" in web
    import_string("rencontres.wsgi.application")
    logger = re.search(r"--logger-class (\S+)", web).group(1)
    import_string(logger)


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx not installed")
def test_the_nginx_site_is_valid(tmp_path):
    # Its certificates are Let's Encrypt's on the server: a throwaway one stands in for them.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=rencontres.example.org",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = (DEPLOY / "nginx.conf").read_text()
    live = "/etc/letsencrypt/live/rencontres.example.org"
    assert f"{live}/fullchain.pem" in site and f"{live}/privkey.pem" in site
    site = site.replace(f"{live}/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace(f"{live}/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_proxy_sends_the_headers_the_site_trusts_behind_it():
    site = (DEPLOY / "nginx.conf").read_text()
    # rencontres/ratelimit.py client_ip: the last X-Forwarded-For address, the one nginx adds.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert settings_read_from_environment() >= {"BEHIND_PROXY", "HTTPS"}


def test_the_cron_lines_are_five_fields_a_user_and_a_command():
    lines = [
        line
        for line in (DEPLOY / "rencontres.cron").read_text().splitlines()
        if line.strip() and not line.startswith("#") and "=" not in line.split()[0]
    ]
    assert len(lines) >= 5
    for line in lines:
        user, command = line.split()[5], line.split()[6:]
        assert user == "rencontres" and command[0] == "rencontres-manage", line
        assert "%" not in line.replace("\\%", ""), f"cron ends the command at a bare %: {line}"


def test_the_worker_unit_queues_the_same_jobs_as_bin_serve():
    scheduled = re.compile(r"manage\.py ([a-z_]+) --schedule")
    serve = (Path(settings.BASE_DIR) / "bin" / "serve").read_text()
    unit = (DEPLOY / "rencontres-worker.service").read_text()
    assert set(scheduled.findall(unit)) == set(scheduled.findall(serve)) != set()


def test_the_manage_wrapper_is_a_valid_shell_script():
    script = DEPLOY / "rencontres-manage"
    assert script.stat().st_mode & 0o111, "installed with install -m 755, kept executable here"
    subprocess.run(["sh", "-n", str(script)], check=True, timeout=30)


def test_the_environment_file_reads_the_same_in_the_shell_as_in_systemd(tmp_path):
    # systemd reads it for the services, sh (rencontres-manage) for cron: an unquoted & or <
    # would cut a value in one and not the other. The commented examples are read too.
    lines = (DEPLOY / "env.example").read_text().splitlines()
    assignment = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]+)=(.*)$")
    pairs = [match.groups() for line in lines if (match := assignment.match(line))]
    expected = {name: value.removeprefix('"').removesuffix('"') for name, value in pairs}
    (tmp_path / "env").write_text("".join(f"{name}={value}\n" for name, value in pairs))
    script = f"set -a; . {tmp_path / 'env'}; set +a; exec env -0"
    result = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, timeout=30, env={}
    )
    assert result.returncode == 0, result.stderr
    read = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    assert {name: read.get(name) for name in expected} == expected
