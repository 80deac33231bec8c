"""The benches' checkers can fail: each fault a bench claims to catch (a place given twice, a
message dropped or sent twice, a half-written registration, a refused confirmation, a person
left waiting beside a free place) is put into a run that held, and the bench's own counting
reports it and exits non-zero. Then one whole bench runs with --self-test."""

import collections
import contextlib
import io
import os
import pathlib
import socket
import subprocess
import sys

import pytest
from django.test import Client

from rencontres.mail.models import OutgoingEmail
from rencontres.mail.services import CLAIM_TIMEOUT, claim_due
from rencontres.registration import services
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import details, open_edition, workshop

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import _harness as harness  # noqa: E402
import db_restart  # noqa: E402
import exports as exports_bench  # noqa: E402
import invoices as invoices_bench  # noqa: E402
import mail_outage  # noqa: E402
import registration_rush  # noqa: E402

PREFIX = "rush"
pytestmark = pytest.mark.django_db


class Run:
    """What a bench saw of a run: five people registered and confirmed (the edition has
    room for four: one waits), each of their e-mails delivered once."""

    def __init__(self, prefix=PREFIX, people=5):
        self.prefix = prefix
        self.edition = open_edition(capacity=4)
        self.session = workshop(self.edition, capacity=2)
        self.accepted = []
        for number in range(people):
            email = f"{prefix}{number}@example.org"
            services.submit(
                self.edition, details(self.edition, email=email), sessions=[self.session]
            )
            self.accepted.append(email)
        self.failed = 0
        self.results = {email: (True, 0.1) for email in self.accepted}

    def confirm_everyone(self, but=()):
        for registration in Registration.objects.filter(email__startswith=self.prefix):
            if registration.email not in but:
                services.confirm_address(registration)
        return self

    def received(self):
        return collections.Counter(email.message_id for email in OutgoingEmail.objects.all())

    def burst(self, received=None):
        """The closing line of rush.py and crash.py, and their exit status."""
        counts = harness.burst_counts(self.edition, self.prefix, self.accepted, self.failed,
                                      received or self.received(), tracebacks=0)  # fmt: skip
        return closing(harness.finish_burst, counts, sum(self.received().values()), 1)


def closing(finish, *args, **kwargs):
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        status = finish(*args, **kwargs)
    lines = output.getvalue().splitlines()
    return dict(part.split("=") for part in lines[-1].split()), status, lines


ZERO = {"lost": "0", "duplicated": "0", "overbooked": "0", "errors": "0"}


def test_a_burst_that_held_closes_with_zeros_and_exits_0():
    line, status, _ = Run().confirm_everyone().burst()
    assert (line, status) == (ZERO, 0)
    assert Registration.objects.filter(status="waitlisted").count() == 1  # the run is real


def test_a_place_given_twice_is_overbooked():
    run = Run().confirm_everyone()
    assert harness.give_a_place_twice(run.session.pk)
    line, status, _ = run.burst()
    assert (line, status) == ({**ZERO, "overbooked": "1"}, 1)


def test_a_person_on_the_edition_s_waiting_list_is_overbooked_when_confirmed_by_hand():
    run = Run().confirm_everyone()
    Registration.objects.filter(status="waitlisted").update(status="confirmed")
    line, status, _ = run.burst()
    assert line["overbooked"] == "1" and status == 1


def test_a_half_written_registration_is_an_error():
    run = Run().confirm_everyone()
    assert harness.half_write(PREFIX)
    line, status, lines = run.burst()
    assert (line, status) == ({**ZERO, "errors": "1"}, 1)
    assert "half_written=1" in lines[-2]


def test_a_registration_without_its_confirmation_e_mail_is_half_written():
    run = Run().confirm_everyone()
    OutgoingEmail.objects.filter(recipient=run.accepted[0], template="confirm_address").delete()
    line, status, lines = run.burst()
    assert (line, status) == ({**ZERO, "errors": "1"}, 1)
    assert "half_written=1" in lines[-2]


def test_a_message_dropped_is_lost():
    run = Run().confirm_everyone()
    received = run.received()
    harness.drop_a_message()
    line, status, _ = run.burst(received)
    assert (line, status) == ({**ZERO, "lost": "1"}, 1)


def test_a_message_sent_twice_is_duplicated_and_one_from_elsewhere_is_an_error():
    run = Run().confirm_everyone()
    received = run.received()
    received[next(iter(received))] += 1
    line, status, _ = run.burst(received)
    assert (line, status) == ({**ZERO, "duplicated": "1"}, 1)
    received = run.received()
    received["<stranger@example.org>"] += 1
    line, status, lines = run.burst(received)
    assert (line, status) == ({**ZERO, "errors": "1"}, 1)
    assert "unknown_messages=1" in lines[-2]


def test_a_refused_confirmation_is_an_error_twice_over():
    """The request failed, and its registration never got its answer (place or waiting)."""
    run = Run()
    run.confirm_everyone(but=[run.accepted[0]])
    run.failed = 1
    line, status, lines = run.burst()
    assert (line, status) == ({**ZERO, "errors": "2"}, 1)
    assert "half_written=1 failed_requests=1" in lines[-2]


def test_a_registration_lost_or_stored_twice_is_counted():
    run = Run().confirm_everyone()
    run.accepted.append(f"{PREFIX}99@example.org")  # its client got the success page
    line, status, _ = run.burst()
    assert (line, status) == ({**ZERO, "lost": "1"}, 1)
    run.accepted.pop()
    other = open_edition(number=16)
    services.submit(other, details(other, email=run.accepted[0]), sessions=[])
    line, status, _ = run.burst()
    assert line["duplicated"] == "1" and status == 1


def test_a_person_left_waiting_beside_a_free_place_is_an_error():
    run = Run().confirm_everyone()
    type(run.edition).objects.filter(pk=run.edition.pk).update(capacity=5)
    run.edition.refresh_from_db()
    line, status, lines = run.burst()
    assert (line, status) == ({**ZERO, "errors": "1"}, 1)
    assert "left_waiting=1" in lines[-2]


def test_a_session_place_left_free_beside_a_waiting_person_is_an_error():
    run = Run().confirm_everyone()
    type(run.session).objects.filter(pk=run.session.pk).update(capacity=3)
    line, status, _ = run.burst()
    assert (line, status) == ({**ZERO, "errors": "1"}, 1)


def test_a_self_test_that_misses_a_fault_says_so_and_exits_2():
    parts = dict(harness.BURST_FAULTS)
    _line, status, lines = closing(harness.finish, 1, 1, 1, 4, harness.BURST_FAULTS, parts)
    assert status == 1 and lines[-2].endswith("all reported")
    _line, status, lines = closing(harness.finish, 1, 1, 0, 4, harness.BURST_FAULTS, parts)
    assert status == 2 and lines[-2].endswith("DIFFERS overbooked=0 (expected 1)")


def test_a_fault_missed_behind_another_error_is_seen_by_the_self_test():
    """One half-written registration more and the refused confirmation not seen: the errors
    still add up to 4, each part tells."""
    parts = {**harness.BURST_FAULTS, "half_written": 3, "failed_requests": 0}
    _line, status, lines = closing(harness.finish, 1, 1, 1, 4, harness.BURST_FAULTS, parts)
    assert status == 2
    assert lines[-2].endswith("DIFFERS half_written=3 (expected 2), failed_requests=0 (expected 1)")


def faults_put_in(run, mailoutbox, half_written):
    """The run, its first person refused, then put_faults: what the mail server received."""
    run.confirm_everyone(but=[run.accepted[0]])
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT)  # the worker sent them all
    received = run.received()
    sent = len(mailoutbox)
    harness.put_faults({"sessions": [run.session.pk]}, run.prefix, half_written=half_written)
    received.update(message.extra_headers["Message-ID"] for message in mailoutbox[sent:])
    return received


def test_the_faults_put_in_are_exactly_what_the_burst_benches_expect(mailoutbox, capsys):
    run = Run()
    received = faults_put_in(run, mailoutbox, half_written=True)
    run.failed = 1
    counts = harness.burst_counts(run.edition, PREFIX, run.accepted, 1, received, tracebacks=0)
    assert {name: counts[name] for name in harness.BURST_FAULTS} == harness.BURST_FAULTS


def test_the_faults_put_in_are_exactly_what_the_mail_outage_bench_expects(mailoutbox, capsys):
    run = Run(prefix=mail_outage.PREFIX)
    received = faults_put_in(run, mailoutbox, half_written=False)
    mail_outage.hold_a_message()
    held = OutgoingEmail.objects.get(recipient="held@example.org")
    assert claim_due(10) == []  # held by the worker that died, until its claim runs out
    back_at = 1_000_000.0  # the mail server came back: every message came then, but the held one
    received[held.message_id] += 1
    arrivals = {message_id: back_at for message_id in received}
    arrivals[held.message_id] = back_at + CLAIM_TIMEOUT.total_seconds()
    run.results[run.accepted[0]] = (False, 0.1)
    recovered_s = mail_outage.recovery_seconds(arrivals, back_at)
    counts = mail_outage.counts(run.edition, run.results, received, 0, recovered_s)
    assert {name: counts[name] for name in mail_outage.FAULTS} == mail_outage.FAULTS


# mail_outage.py ------------------------------------------------------------------------------


OUTAGE_ZERO = {**ZERO, "recovered_s": "0"}


def outage(run, received=None, recovered_s=0):
    counts = mail_outage.counts(run.edition, run.results, received or run.received(), 0,
                                recovered_s)  # fmt: skip
    return closing(harness.finish, **{name: counts[name] for name in harness.CLOSING},
                   figures={"recovered_s": int(recovered_s)})  # fmt: skip


def test_the_mail_outage_bench_reports_each_fault():
    run = Run(prefix=mail_outage.PREFIX).confirm_everyone()
    assert outage(run)[:2] == (OUTAGE_ZERO, 0)
    assert outage(run, recovered_s=29.9)[:2] == ({**OUTAGE_ZERO, "recovered_s": "29"}, 0)
    assert outage(run, recovered_s=30)[:2] == (
        {**OUTAGE_ZERO, "errors": "1", "recovered_s": "30"},
        1,
    )
    received = run.received()
    harness.drop_a_message()
    assert outage(run, received)[:2] == ({**OUTAGE_ZERO, "lost": "1"}, 1)
    OutgoingEmail.objects.filter(recipient="dropped@example.org").delete()
    received[next(iter(received))] += 1
    received["<stranger@example.org>"] += 1
    assert outage(run, received)[:2] == ({**OUTAGE_ZERO, "duplicated": "1", "errors": "1"}, 1)
    run.results[run.accepted[0]] = (False, 0.1)  # its confirmation link was refused
    assert outage(run)[:2] == ({**OUTAGE_ZERO, "errors": "1"}, 1)
    run.results[run.accepted[0]] = (True, 0.1)
    assert harness.give_a_place_twice(run.session.pk)
    assert outage(run)[:2] == ({**OUTAGE_ZERO, "overbooked": "1"}, 1)


# db_restart.py -------------------------------------------------------------------------------
# Two restarts: stopping from 10 (stopped at 11), starting at 20, answering at 21; then 40 to 51.
RESTARTS = [db_restart.Outage(10, 11, 20, 21), db_restart.Outage(40, 41, 50, 51)]


def test_the_db_restart_bench_counts_answers_during_and_after_each_outage():
    answers = db_restart.Answers()
    answers.rows = [
        (5, 5.1, 200),  # before any outage: neither
        (12, 12.5, 503), (15, 16, 500),  # during the first
        (18, 30, None),  # the connection failed: no answer to count
        (22, 22.1, 200), (23, 23.2, 500),  # after the first
        (39, 41, 200),  # sent after the first, answered once the second began: neither
        (45, 52, 503),  # sent during the second
        (52, 53, 200),  # after the second
    ]  # fmt: skip
    after, during = db_restart.answer_counts(answers, RESTARTS)
    assert (after, during) == ({200: 2, 500: 1}, {503: 2, 500: 1})


HEALTHY = [(12, 12.1, 503, "database: unavailable"), (22, 22.1, 200, "ok"),
           (42, 42.1, 503, "database: unavailable"), (52, 52.1, 200, "ok")]  # fmt: skip
HEALTH_ZERO = {"health_silent": 0, "health_200_while_down": 0, "health_not_back": 0}


def health(rows, quiet=0, worker=None):
    parts = db_restart.health_counts(rows, RESTARTS, quiet, worker)
    return parts, db_restart.health_ok(parts)


def test_the_db_restart_bench_sees_healthz_tell_each_outage_and_each_return():
    assert health(HEALTHY) == (HEALTH_ZERO, 1)
    # A 200 sent while the database was stopped but answered once it was starting again:
    # the database may have answered it, so it is no fault.
    assert health([*HEALTHY, (19.9, 20.5, 200, "ok")]) == (HEALTH_ZERO, 1)


def test_the_db_restart_bench_reports_a_healthz_200_while_the_database_was_stopped():
    assert health([*HEALTHY, (15, 15.1, 200, "ok")]) == (
        {**HEALTH_ZERO, "health_200_while_down": 1},
        0,
    )


def test_the_db_restart_bench_reports_healthz_silent_or_not_back():
    without_first_503 = [row for row in HEALTHY if row[0] != 12]
    assert health(without_first_503) == ({**HEALTH_ZERO, "health_silent": 1}, 0)
    assert health(without_first_503, quiet=1) == (HEALTH_ZERO, 1)  # nobody asked then
    late = [row if row[0] != 52 else (82, 82.1, 200, "ok") for row in HEALTHY]
    assert health(late) == ({**HEALTH_ZERO, "health_not_back": 1}, 0)


def test_the_db_restart_bench_wants_healthz_to_name_the_stopped_worker():
    worker = (60, 135)
    told = [*HEALTHY, (100, 100.1, 503, "worker: no heartbeat for 70 s"), (140, 140.1, 200, "")]
    assert health(told, worker=worker) == (HEALTH_ZERO, 1)
    vague = [*HEALTHY, (100, 100.1, 503, "database: slow"), (140, 140.1, 200, "")]
    assert health(vague, worker=worker) == ({**HEALTH_ZERO, "health_silent": 1}, 0)
    assert health(HEALTHY, worker=worker) == ({**HEALTH_ZERO, "health_silent": 1,
                                                "health_not_back": 1}, 0)  # fmt: skip


def test_the_db_restart_bench_exits_1_on_a_missed_target_and_0_when_it_held():
    assert closing(db_restart.finish, dict(db_restart.TARGETS), 3)[:2] == (
        {"errors_after": "0", "lost": "0", "duplicated": "0", "overbooked": "0",
         "worker_recovered_s": "3", "health_ok": "1"}, 0,
    )  # fmt: skip
    for name in ("tracebacks_logged", "half_written", "worker_late", "failed_people"):
        assert closing(db_restart.finish, {**db_restart.TARGETS, name: 1}, 3)[1] == 1, name


def test_the_db_restart_self_test_exits_1_when_it_reports_its_faults_exactly():
    faults = dict(db_restart.FAULTS)
    _line, status, lines = closing(db_restart.finish, faults, 3, db_restart.FAULTS)
    assert status == 1 and lines[-2].endswith("all reported")
    # health_ok is 0 all the same, for a reason that is not the fault put in: a miss.
    other = {**faults, "health_200_while_down": 0, "health_not_back": 1}
    _line, status, lines = closing(db_restart.finish, other, 3, db_restart.FAULTS)
    assert status == 2 and "DIFFERS health_200_while_down=0 (expected 1)" in lines[-2]


# exports.py ----------------------------------------------------------------------------------


def exported(run):
    """The CSV and XLSX of the run's registrations list (its default filter), in French."""
    from django.utils import translation

    from rencontres.backoffice import exports
    from rencontres.backoffice.selectors import registrations

    with translation.override("fr"):
        people = registrations(run.edition, sort="name")
        return (exports.as_csv(people, run.edition, hidden=set()),
                exports.as_xlsx(people, run.edition, hidden=set()))  # fmt: skip


def test_the_exports_bench_counts_the_rows_the_files_hold():
    run = Run().confirm_everyone()
    csv_data, xlsx_data = exported(run)
    found = exports_bench.counts(csv_data, ";", xlsx_data, 0.1, 0.2, target=5)
    assert found == {"csv_rows": 5, "xlsx_rows": 5, "csv_slow": 0, "xlsx_slow": 0}
    line, status, _ = closing(exports_bench.finish, found, 5, 0.1, 0.2)
    assert (line["csv_rows"], line["xlsx_rows"], status) == ("5", "5", 0)


def test_the_exports_bench_reports_a_list_that_shrank_and_exits_1():
    """People still to confirm their address are not in the list's default filter: an export
    of five registrations with three rows is a fault, not a figure."""
    run = Run()
    run.confirm_everyone(but=run.accepted[:2])
    csv_data, xlsx_data = exported(run)
    found = exports_bench.counts(csv_data, ";", xlsx_data, 0.1, 0.2, target=5)
    assert (found["csv_rows"], found["xlsx_rows"]) == (3, 3)
    line, status, _ = closing(exports_bench.finish, found, 5, 0.1, 0.2)
    assert (line["rows"], line["csv_rows"], status) == ("5", "3", 1)


def test_the_exports_bench_reports_a_time_over_its_target():
    assert exports_bench.target_seconds(10000) == 5 and exports_bench.target_seconds(100) == 5
    assert exports_bench.target_seconds(20000) == 10
    found = {"csv_rows": 5, "xlsx_rows": 5, "csv_slow": 0, "xlsx_slow": 1}
    assert closing(exports_bench.finish, found, 5, 0.1, 6)[1] == 1


def test_the_exports_bench_self_test_reports_its_faults_and_exits_non_zero(tmp_path):
    result = subprocess.run(
        [sys.executable, "exports.py", "--rows", "20", "--self-test"],
        cwd=BENCH, env={**os.environ, "TMPDIR": str(tmp_path)}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines[-2].endswith("csv_rows=17 xlsx_rows=17 csv_slow=1 xlsx_slow=1: all reported")
    assert lines[-1].startswith("rows=20 csv_rows=17 xlsx_rows=17 ")


# invoices.py ---------------------------------------------------------------------------------


def test_the_invoices_bench_counts_numbers_missing_or_given_twice():
    found = invoices_bench.counts([1, 2, 3, 4], 0, 0, 10.0, target=60, count=4)
    assert found == {"missing": 0, "duplicated": 0, "files_wrong": 0, "slow": 0}
    line, status, _ = closing(invoices_bench.finish, found, 4, 10.0)
    assert (line["invoices"], status) == ("4", 0)
    found = invoices_bench.counts([1, 2, 2, 5], 1, 0, 10.0, target=60, count=5)
    assert (found["missing"], found["duplicated"]) == (2, 2)  # 3 and 4; 2 twice, one refused
    assert closing(invoices_bench.finish, found, 5, 10.0)[1] == 1


def test_the_invoices_bench_reports_a_wrong_file_or_a_time_over_its_target():
    assert invoices_bench.target_seconds(2000) == 60 and invoices_bench.target_seconds(4000) == 120
    found = invoices_bench.counts([1, 2], 0, 1, 61.0, target=60, count=2)
    assert (found["files_wrong"], found["slow"]) == (1, 1)
    assert closing(invoices_bench.finish, found, 2, 61.0)[1] == 1


def test_the_invoices_bench_self_test_reports_its_faults_and_exits_non_zero(tmp_path):
    result = subprocess.run(
        [sys.executable, "invoices.py", "--count", "12", "--self-test"],
        cwd=BENCH, env={**os.environ, "TMPDIR": str(tmp_path)}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines[-3].endswith("files_wrong=0 slow=1: all reported")
    assert lines[-2] == "missing=1 duplicated=1 files_wrong=0 slow=1"
    assert lines[-1].startswith("invoices=12 seconds=")


# registration_rush.py ------------------------------------------------------------------------


def rush_counts(run, confirmations=None):
    free, seats = registration_rush.free_places(run.edition, run.category, run.session)
    for registration in Registration.objects.filter(email__startswith=PREFIX):
        if confirmations is None or confirmations[registration.email][0]:
            services.confirm_address(registration)
    confirmations = confirmations or {email: (True, 0.1) for email in run.accepted}
    found = registration_rush.counts(run.edition, run.session, run.accepted, confirmations,
                                     free, seats)  # fmt: skip
    return found, registration_rush.errors(found, failed_requests=0)


@pytest.fixture
def rush_run():
    run = Run(people=3)
    type(run.edition).objects.filter(pk=run.edition.pk).update(capacity=None)
    run.edition.refresh_from_db()
    run.category = Registration.objects.first().category
    return run


def test_the_registration_rush_counts_everyone_confirmed(rush_run):
    found, errors = rush_counts(rush_run)
    assert (found["confirmed"], found["allowed"], found["overbooked"], errors) == (3, 3, 0, 0)
    assert found["workshop_taken"] == 2


def test_the_registration_rush_reports_a_refused_confirmation(rush_run):
    confirmations = {email: (True, 0.1) for email in rush_run.accepted}
    confirmations[rush_run.accepted[0]] = (False, 0.1)
    found, errors = rush_counts(rush_run, confirmations)
    assert (found["refused"], found["confirmed"], found["short"], errors) == (1, 2, 1, 2)


def test_the_registration_rush_reports_people_not_confirmed_though_the_site_said_so(rush_run):
    """What the first version of the bench never saw: every link answered, nobody confirmed."""
    free, seats = registration_rush.free_places(rush_run.edition, rush_run.category,
                                                rush_run.session)  # fmt: skip
    confirmations = {email: (True, 0.1) for email in rush_run.accepted}
    found = registration_rush.counts(rush_run.edition, rush_run.session, rush_run.accepted,
                                     confirmations, free, seats)  # fmt: skip
    assert (found["confirmed"], found["short"]) == (0, 3)
    assert registration_rush.errors(found, 0) == 3


def test_the_registration_rush_reports_a_place_given_twice(rush_run):
    rush_counts(rush_run)
    assert harness.give_a_place_twice(rush_run.session.pk)
    found = registration_rush.counts(rush_run.edition, rush_run.session, rush_run.accepted,
                                     {e: (True, 0) for e in rush_run.accepted}, 3, 2)  # fmt: skip
    assert found["overbooked"] == 1 and found["workshop_taken"] == 3


def test_the_registration_rush_reports_a_workshop_seat_left_free(rush_run):
    """Three confirmed who all ticked the workshop, three seats free before: two taken."""
    rush_counts(rush_run)
    found = registration_rush.counts(rush_run.edition, rush_run.session, rush_run.accepted,
                                     {e: (True, 0) for e in rush_run.accepted}, 3, 3)  # fmt: skip
    assert found["workshop_short"] == 1 and registration_rush.errors(found, 0) == 1


def test_a_registration_rush_that_registered_nobody_is_an_error(rush_run):
    found = registration_rush.counts(rush_run.edition, rush_run.session, [], {}, 3, 2)
    assert found["nobody"] == 1 and registration_rush.errors(found, 0) == 1
    found = registration_rush.counts(rush_run.edition, rush_run.session, ["rush7@example.org"],
                                     {}, 3, 2)  # fmt: skip
    assert found["lost"] == 1 and registration_rush.errors(found, 2) == 3


# The bench's own link: the one the site wrote, never one rebuilt ------------------------------


def test_a_bench_person_opens_the_link_of_their_e_mail_and_a_forged_one_is_refused():
    run = Run(people=1)
    person = harness.Person(0, PREFIX, form={})
    path, public_id = person.confirmation_link()
    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302 and response["Location"].startswith(f"/en/r/{public_id}/")
    assert Registration.objects.get(email=run.accepted[0]).status == "confirmed"
    person.forged = True
    forged, _ = person.confirmation_link()
    assert forged != path and Client().get(forged).status_code == 404


# One whole bench, with its faults ------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_registration_rush_self_test_reports_its_faults_and_exits_non_zero(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "registration_rush.py", "--backend", "sqlite", "--clients", "2",
         "--seconds", "1", "--workers", "1", "--port", str(free_port()), "--self-test"],
        cwd=BENCH, env={**env, "TMPDIR": str(tmp_path)}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines[-2] == (
        "self-test: faults put in, expecting exactly failed_requests=0 nobody=0 lost=0 "
        "refused=1 short=1 workshop_short=0 overbooked=1 errors=2: all reported"
    )
    last = dict(part.split("=") for part in lines[-1].split())
    assert (last["overbooked"], last["errors"]) == ("1", "2"), lines[-1]
    assert int(last["confirmed"]) >= 1
