"""Security headers: the Content Security Policy, Permissions-Policy and the rest, as the
site sends them in production (HTTPS=1) and in the demo."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from rencontres.backoffice.tests.factories import member
from rencontres.models import Membership
from rencontres.registration.tests.factories import open_edition, registered

STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "report-uri": "/csp-report",
}


def policy(response):
    directives = (
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return {name: value[0] if value else "" for name, *value in directives}


# In production ---------------------------------------------------------------------------------

# Run by manage.py shell with the production environment: a fresh SQLite database, one
# organiser, then the answers of a few pages over HTTPS, as JSON.
PRODUCTION_REQUESTS = """
import json
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
User.objects.create_superuser("organiser", "organiser@example.org", "a-long-password")
client = Client(HTTP_HOST="rencontres.example.org")
answers = {}
for name, path in [("home", "/en/"), ("admin_login", "/admin/login/"),
                   ("team_login", "/en/organiser/login/"), ("missing", "/en/nowhere/"),
                   ("healthz", "/healthz")]:
    response = client.get(path, secure=True)
    answers[name] = {"status": response.status_code, "headers": dict(response.headers),
                     "cookies": {key: dict(morsel, value=morsel.value)
                                 for key, morsel in response.cookies.items()}}
plain = client.get("/en/", secure=False)
answers["plain_http"] = {"status": plain.status_code, "location": plain.get("Location")}
client.get("/admin/login/", secure=True)
login = client.post("/admin/login/?next=/admin/", {"username": "organiser",
                    "password": "a-long-password"}, secure=True)
answers["login"] = {"status": login.status_code, "cookies": {
    key: dict(morsel, value="") for key, morsel in login.cookies.items()}}
language = client.get("/language/fr/", secure=True)
answers["language"] = {"cookies": {
    key: dict(morsel, value=morsel.value) for key, morsel in language.cookies.items()}}
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The answers of the site with production settings (a process of its own: settings are
    read from the environment when Django starts)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        # Its own SQLite database, never the suite's PostgreSQL one.
        if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="rencontres.example.org",
        DATA_DIR=str(tmp_path_factory.mktemp("production")),
        TWO_FACTOR_REQUIRED="0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_REQUESTS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("page", ["home", "admin_login", "team_login", "missing"])
def test_production_pages_send_every_security_header(production, page):
    answer = production[page]
    headers = answer["headers"]
    assert answer["status"] in {200, 404}
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    directives = policy(headers)
    assert directives == {**STRICT_POLICY, "upgrade-insecure-requests": ""}
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]


def test_production_answers_that_are_not_pages_keep_the_transport_headers(production):
    headers = production["healthz"]["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in headers  # JSON: nothing a policy could protect


def test_production_sends_plain_http_to_https(production):
    assert production["plain_http"]["status"] == 301
    assert production["plain_http"]["location"] == "https://rencontres.example.org/en/"


def test_production_cookies_are_secure(production):
    csrf = production["admin_login"]["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"
    assert production["login"]["status"] == 302
    session = production["login"]["cookies"]["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert production["language"]["cookies"]["django_language"]["secure"] is True


# In every mode --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_html_pages_get_the_strict_policy_and_the_admin_needs_no_exception(client):
    for path in ["/en/", "/fr/", "/admin/login/", "/en/organiser/login/", "/en/nowhere/"]:
        response = client.get(path)
        assert policy(response) == STRICT_POLICY, path  # demo on plain HTTP: no upgrade


@pytest.mark.django_db
def test_pdfs_and_data_get_no_policy_that_would_blank_the_pdf_viewer(client):
    edition = open_edition()
    person = registered(edition)
    badge = client.get(reverse("onsite:own_badge", args=[person.public_id, person.secret]))
    assert badge["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in badge
    assert badge["X-Frame-Options"] == "DENY"  # framing stays refused
    assert "Content-Security-Policy" not in client.get("/healthz")


@pytest.mark.django_db
def test_only_the_check_in_desk_may_use_the_camera(client):
    edition = open_edition()
    agent = member(edition, Membership.Role.CHECK_IN)
    client.force_login(agent)
    desk = client.get(reverse("onsite:desk", args=[edition.number]))
    assert desk.status_code == 200
    assert "camera=(self)" in desk["Permissions-Policy"]
    assert "microphone=()" in desk["Permissions-Policy"]
    for path in ["/en/", reverse("onsite:figures", args=[edition.number])]:
        assert "camera=()" in client.get(path)["Permissions-Policy"], path


def test_a_logo_from_another_site_is_allowed_as_an_image_and_nothing_more(tmp_path):
    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY)"
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "BRAND_LOGO": "https://cdn.example.org/brand/logo.svg",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "'img-src': [\"'self'\", 'https://cdn.example.org']" in result.stdout, result.stderr
    assert "'script-src': [\"'self'\"]" in result.stdout


@pytest.mark.django_db
def test_blocked_content_is_reported_and_logged_without_the_query(client, caplog):
    policy = client.get("/en/")["Content-Security-Policy"]
    assert "report-uri /csp-report" in policy
    report = {
        "csp-report": {
            "document-uri": "https://rencontres.example.org/en/programme/15/?q=secret-search",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    response = client.post("/csp-report", json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "rencontres.views"]
    assert (
        record.getMessage() == "CSP violation: script-src-elem blocked inline on /en/programme/15/"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[]", b'{"csp-report": []}', b'{"other": {}}', b"\xff\xfe"]
)
def test_a_junk_report_is_refused_never_an_error(client, body):
    response = client.post("/csp-report", body, content_type="application/csp-report")
    assert response.status_code == 400


@pytest.mark.django_db
def test_reports_from_one_address_are_capped(client, settings, caplog):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "csp-report-ip": (2, 3600)}
    body = json.dumps({"csp-report": {"violated-directive": "img-src"}})
    for _ in range(4):
        assert (
            client.post("/csp-report", body, content_type="application/csp-report").status_code
            == 204
        )
    assert len([r for r in caplog.records if r.name == "rencontres.views"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/organiser/logout/", "/admin/logout/"])
def test_logging_out_asks_the_browser_to_forget_what_the_site_stored(client, path):
    """The check-in desk keeps its offline list in localStorage: a logout, from any page and
    from the admin too, clears it (Clear-Site-Data), whatever the page's own script did."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("su", "su@example.org", "pw"))
    response = client.post(path)
    assert response["Clear-Site-Data"] == '"storage"'
    assert "Clear-Site-Data" not in client.get("/en/")

    # The session had ended (expired, or logged out in another tab): the desk still forgets.
    assert Client().post("/en/organiser/logout/")["Clear-Site-Data"] == '"storage"'
