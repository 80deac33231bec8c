"""bin/serve keeps the site's two processes running: a worker or a gunicorn that dies is
started again, SIGTERM stops everything, and nothing is left running after it. The served
site (SQLite in a temporary folder) also shows what a database file gone means: the 503
page, a worker that waits, and both back when the file is. The tests share one served site
(setting it up takes half a minute) and run in order: the last one stops it."""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# The served site is SQLite whatever the suite runs on: once is enough (CI's PostgreSQL run
# sets DATABASE_URL).
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="bin/serve is tested in the SQLite run"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": "text/html"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def eventually(check, seconds=60, message="it did not happen"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(message)


def processes_in_session(mark):
    """(pid, command line) of every process left by bin/serve: those that carry its test's
    mark in their environment (they run in process groups and sessions of their own, and
    gunicorn's workers outlive a killed master under another parent)."""
    found = []
    needle = f"SERVE_TEST_MARK={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if state != "Z":
            found.append((int(entry.name), command))
    return found


def parent(pid):
    return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[2])


def pids_of(session, word):
    return sorted(pid for pid, command in processes_in_session(session) if word in command)


class Served:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.data = tmp_path
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DATABASE_URL", "TASKS_IMMEDIATE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            },
            "DATA_DIR": str(tmp_path),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
            "DEBUG": "0",
            "STATIC_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
            "SECRET_KEY": "a-test-key-" + "x" * 50,
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "REGISTRATION_MIN_SECONDS": "0",
            "SERVE_TEST_MARK": secrets.token_hex(8),
        }
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["load_demo", "--scale", "small"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env,
                           check=True, stdout=subprocess.DEVNULL, timeout=300)  # fmt: skip
        self.log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 (closed by close())
        self.process = subprocess.Popen([str(ROOT / "bin/serve")], cwd=ROOT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # fmt: skip
        self.session = self.env["SERVE_TEST_MARK"]
        eventually(lambda: get(self.port, "/healthz")[0] == 200, 90, "the site did not start")

    def log_text(self):
        return (self.data / "serve.log").read_text(errors="replace")

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(60)
        for pid, _command in processes_in_session(self.session):
            os.kill(pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = Served(tmp_path_factory.mktemp("served"))
    yield site
    site.close()


def test_a_worker_that_dies_is_started_again(served):
    [worker] = pids_of(served.session, "manage.py worker")
    os.kill(worker, signal.SIGKILL)

    def others():
        return [pid for pid in pids_of(served.session, "manage.py worker") if pid != worker]

    new = eventually(others, 30, "the worker was not started again")
    assert len(new) == 1
    assert "the worker process ended (status 137): starting it again" in served.log_text()
    eventually(lambda: get(served.port, "/healthz")[0] == 200, 30, "no heartbeat after the restart")


def test_a_gunicorn_that_dies_is_started_again_and_leaves_no_worker_behind(served):
    masters = [
        pid for pid, command in processes_in_session(served.session) if "gunicorn" in command
    ]
    master = min(masters)  # the master starts first
    os.killpg(master, signal.SIGKILL)  # master and its workers: a crash
    eventually(lambda: get(served.port, "/healthz?scope=web")[0] == 200, 60, "gunicorn is not back")
    assert "the web process ended (status 137): starting it again" in served.log_text()
    assert all(pid not in masters for pid in pids_of(served.session, "gunicorn"))


@contextlib.contextmanager
def database_file_away(served):
    """The SQLite file (and its WAL files) moved away, as a disk not mounted would."""
    away = served.data / "away"
    away.mkdir(exist_ok=True)
    moved = list(served.data.glob("rencontres.sqlite3*"))
    for path in moved:
        path.rename(away / path.name)
    try:
        yield
    finally:
        for path in moved:
            (away / path.name).rename(path)


def test_a_missing_sqlite_file_gets_the_503_page_and_the_worker_waits(served):
    assert get(served.port, "/en/")[0] == 200
    outages = served.log_text().count("Database unavailable (OperationalError): waiting")
    with database_file_away(served):
        status, html = get(served.port, "/en/register/")
        assert status == 503
        assert "Back in a moment" in html and "Traceback" not in html
        status, html = get(served.port, "/fr/")
        assert status == 503 and "De retour dans un instant" in html
        assert get(served.port, "/healthz")[0] == 503

        def waiting():
            return served.log_text().count("Database unavailable (OperationalError): waiting")

        # The worker notices at its next poll (later on a loaded machine), then polls on.
        eventually(lambda: waiting() > outages, 30, "the worker did not wait")
        time.sleep(4)  # several polls of the worker
        assert waiting() == outages + 1  # one line for the outage, not one per poll
    assert (served.data / "rencontres.sqlite3").exists()
    eventually(lambda: get(served.port, "/en/register/")[0] == 200, 30, "the site is not back")
    eventually(lambda: "Database back after" in served.log_text(), 30, "the worker did not resume")
    assert "Traceback" not in served.log_text()


@pytest.mark.browser
def test_a_form_sent_during_an_outage_comes_back_as_typed(served, browser_page):
    """Fill the form, the database goes, send: the 503 page; back: the form as typed; the
    database back, send again: registered."""
    from rencontres.editions.tests.test_browser import check
    from rencontres.registration.tests.test_browser import fill_person

    page = browser_page
    page.goto(f"http://127.0.0.1:{served.port}/en/register/")
    fill_person(page, "olena.outage@example.ua")
    page.get_by_label("I have read the privacy notice").check()
    with database_file_away(served):
        page.get_by_role("button", name="Register", exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == "Back in a moment"
        assert "has not been recorded yet" in page.locator("main").inner_text()
        check(page)
        page.screenshot(path=str(served.data / "503-en.png"), full_page=True)
        page.get_by_role("button", name="Back to the form").click()
        page.wait_for_url("**/en/register/")
        assert page.get_by_label("First name").first.input_value() == "Olena"
        assert page.get_by_label("E-mail").first.input_value() == "olena.outage@example.ua"
        assert page.get_by_label("Country of the organisation").input_value() == "UA"
        assert page.get_by_label("I have read the privacy notice").is_checked()
    eventually(lambda: get(served.port, "/healthz?scope=web")[0] == 200, 30, "not back")
    page.get_by_role("button", name="Register", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"


def test_sigterm_stops_everything(served):
    assert pids_of(served.session, "gunicorn") and pids_of(served.session, "manage.py worker")
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(60) == 0
    eventually(lambda: not processes_in_session(served.session), 10, "processes were left running")
