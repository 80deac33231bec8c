"""Logs and error reports carry ids, never names, addresses, phone numbers or link secrets."""

import logging
import sys

import pytest
from django.conf import settings

from rencontres.privacy.logs import PersonalDataFilter

pytestmark = pytest.mark.django_db


def formatted(message, *args, exc_info=None):
    record = logging.LogRecord("test", logging.ERROR, __file__, 1, message, args, exc_info)
    PersonalDataFilter().filter(record)
    return logging.Formatter().format(record)


def test_addresses_phone_numbers_and_link_secrets_are_masked():
    text = formatted(
        "E-mail to %s failed, call %s, link /fr/r/%s/%s/",
        "awa.ndiaye@example.sn",
        "+221 77 123 45 67",
        "0b9e5f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        "s3cr3tT0k3n-abcdefghijklmnopqrstuvwxyz",
    )
    assert "awa.ndiaye" not in text and "77 123" not in text and "s3cr3t" not in text
    assert "[e-mail]" in text and "[phone]" in text
    assert "0b9e5f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b" in text  # an id may stay


@pytest.mark.parametrize(
    "path",
    [
        "/en/invitation/{id}/{secret}/",
        "/en/r/{id}/feed/{secret}/sessions.ics",
        "/fr/r/{id}/feed/{secret}/agenda.ics",
        "/en/register/confirm/{secret}:1wXyZa:Ab-cDeFgHiJkLmN/",
    ],
)
def test_every_kind_of_secret_link_is_masked(path):
    uid, secret = "0b9e5f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "s3cr3tT0k3n-abcdefghijklmnop"
    text = formatted("Not Found: %s", path.format(id=uid, secret=secret))
    assert "s3cr3t" not in text and "Ab-cDeF" not in text, text


def test_ids_dates_and_times_are_left_alone():
    assert formatted("E-mail %s failed at %s", 12345, "2027-11-04 09:12") == (
        "E-mail 12345 failed at 2027-11-04 09:12"
    )


def test_tracebacks_are_masked_too():
    try:
        raise ValueError("unknown recipient awa.ndiaye@example.sn")
    except ValueError:
        text = formatted("sending failed", exc_info=sys.exc_info())
    assert "ValueError" in text and "awa.ndiaye" not in text


def test_every_log_handler_has_the_filter():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name


def test_a_failed_e_mail_is_logged_without_its_address(settings, caplog):
    from rencontres.mail.services import queue_email, send_due_emails

    settings.EMAIL_BACKEND = "rencontres.mail.tests.test_outbox.DownBackend"
    queue_email("awa.ndiaye@example.sn", "private_link", {"first_name": "Awa",
                "edition_title": "X", "private_link": "http://x/"}, "en")  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="rencontres.mail.services"):
        send_due_emails()
    assert caplog.records and "awa.ndiaye" not in caplog.text


def test_the_access_log_drops_the_secret_of_private_links_and_referers():
    import datetime
    import types

    from gunicorn.config import Config

    from rencontres.privacy.gunicorn import Logger

    link = "/en/r/0b9e5f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/s3cr3tT0k3n-abcdefghijklmnop/"
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": link, "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": link, "QUERY_STRING": "", "HTTP_REFERER": f"https://site{link}details/",
        "HTTP_USER_AGENT": "Mozilla/5.0 Chrome/120.0.0.0", "REMOTE_ADDR": "10.0.0.12",
    }  # fmt: skip
    response = types.SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = types.SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = Logger(Config()).atoms(response, request, environ, datetime.timedelta(seconds=1))
    assert "s3cr3t" not in " ".join(str(value) for value in atoms.values())
    assert atoms["a"] == "Mozilla/5.0 Chrome/120.0.0.0" and atoms["h"] == "10.0.0.12"
    assert "0b9e5f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b" in atoms["r"]


def test_error_reports_hide_what_people_typed_and_the_secrets_in_headers(rf, settings):
    from django.views.debug import ExceptionReporter

    settings.DEBUG = False
    request = rf.post(
        "/en/register/",
        {"email": "awa.ndiaye@example.sn", "last_name": "Ndiaye"},
        HTTP_REFERER="https://site/en/r/0b9e5f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/s3cr3tT0k3nabcdefghij/",
    )
    try:
        person_name = "Awa Ndiaye"  # noqa: F841  (a local variable the report would show)
        raise ValueError("boom")
    except ValueError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "boom" in report
    assert "awa.ndiaye" not in report and "Ndiaye" not in report and "s3cr3t" not in report


FORGERIES = [
    "inline\nWARNING CSP violation: forged line",
    "inline\r\nforged",
    "\x1b[2J\x1b[31mterminal escape",
    "nul\x00byte",
    "right-to-left \u202eoverride",
    "line\u2028separator",
    "tab\tand\x7fdelete",
]


@pytest.mark.parametrize("value", FORGERIES)
def test_a_value_from_a_request_stays_on_its_line(value):
    from rencontres.privacy.logs import loggable

    text = loggable(value)
    assert text.isprintable(), repr(text)
    assert formatted("value %s", value) == f"value {text}"
    assert loggable(value, 5) == text[:5]
    assert loggable("Zoé Nguyễn 李 عمر") == "Zoé Nguyễn 李 عمر"  # letters are not escapes


@pytest.mark.parametrize("value", FORGERIES)
def test_a_csp_report_writes_one_line_whatever_it_holds(client, caplog, value):
    import json

    report = {"csp-report": {"violated-directive": value, "blocked-uri": value,
                             "document-uri": "https://x.example/en/" + value}}  # fmt: skip
    response = client.post("/csp-report", json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "rencontres.views"]
    message = record.getMessage()
    assert message.startswith("CSP violation: ") and message.isprintable(), repr(message)


def test_the_access_log_escapes_what_a_client_sent():
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    from rencontres.privacy.gunicorn import Logger

    environ = {
        "REMOTE_ADDR": "203.0.113.9", "REQUEST_METHOD": "GET", "RAW_URI": "/en/%0a\x1b",
        "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/en/\n\x1b[2J", "QUERY_STRING": "q=\x00",
        "HTTP_USER_AGENT": "agent\x1b[31m\u202e", "HTTP_REFERER": "https://x.example/\r\nforged",
    }  # fmt: skip
    request = SimpleNamespace(headers=[])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = Logger(Config()).atoms(response, request, environ, datetime.timedelta(seconds=1))
    for key in ("r", "U", "q", "a", "f"):
        assert atoms[key].isprintable(), (key, atoms[key])
