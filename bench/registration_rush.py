"""Registration rush: N concurrent clients through the real form on the production server.

Usage:
  .venv/bin/python bench/registration_rush.py --backend sqlite|postgres --clients 50 --seconds 20

Starts gunicorn on a fresh database (SQLite file, or a PostgreSQL database rencontres_bench),
loads the demo, then for --seconds: each client GETs the form and POSTs it (ticking a workshop
with few places). Then the same clients hit a bare view (/healthz?scope=web: one query, no
worker to ask about) for --seconds. Then every
registration is confirmed through its e-mail link, concurrently, which is where places are
taken. Prints throughput, latencies, the ratio to the bare view and the places given beyond
capacity. Last line: regs_per_s=N p50_ms=N p95_ms=N bare_rps=N ratio=N overbooked=N
"""

import argparse
import http.client
import http.cookies
import os
import pathlib
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765


# The bare view: the app server's own health check (one query; /healthz would also ask about
# the worker, which this bench does not run).
BARE = "/healthz?scope=web"


def environment(backend, data_dir):
    env = {
        **os.environ,
        "DATA_DIR": data_dir,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "REGISTRATION_MIN_SECONDS": "0",
        "RATE_LIMIT_SCALE": "100000",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": "",
    }
    if backend == "postgres":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/rencontres_bench"
        for command in (["dropdb", "--if-exists"], ["createdb"]):
            subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", "rencontres_bench"],
                           check=True)  # fmt: skip
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


class Client:
    """One browser: its own cookies, one request at a time."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body, doseq=True)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
        connection.close()
        return response.status, response.headers, content


def register_once(client, number, workshop, category):
    status, _, html = client.request("GET", "/en/register/")
    assert status == 200, status
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    token = re.search(r'name="form_token" value="([^"]+)"', html)[1]
    status, headers, html = client.request("POST", "/en/register/", {
        "csrfmiddlewaretoken": csrf, "form_token": token, "first_name": "Rush",
        "last_name": f"Person {number}", "email": f"rush{number}@example.org",
        "job_title": "Officer", "category": category, "language": "en",
        "organisation_name": f"Commune {number % 50}", "organisation_kind": "foreign_authority",
        "organisation_country": "SN", "days": ["2027-11-04", "2027-11-05"],
        "sessions": [workshop], "privacy": "on",
    })  # fmt: skip
    return status == 302 and headers["Location"].endswith("/register/sent/")


def run_clients(count, seconds, work):
    """`work(client, number)` in `count` threads for `seconds`: (successes, latencies, errors)."""
    deadline = time.perf_counter() + seconds
    latencies, results, lock = [], {"ok": 0, "errors": 0}, threading.Lock()
    numbers = iter(range(10**9))

    def loop():
        client = Client()
        while time.perf_counter() < deadline:
            with lock:
                number = next(numbers)
            start = time.perf_counter()
            try:
                ok = work(client, number)
            except Exception:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                results["ok" if ok else "errors"] += 1

    threads = [threading.Thread(target=loop) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results["ok"], latencies, results["errors"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="rencontres-rush-")
    env = environment(args.backend, data_dir)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rencontres.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from rencontres.editions.models import Edition, Session
    from rencontres.registration import services
    from rencontres.registration.models import Category, Registration, SessionChoice

    edition = Edition.objects.get(number=15)
    workshop = Session.objects.filter(edition=edition, kind="workshop").order_by("capacity").first()
    category = Category.objects.get(edition=edition, code="foreign_authority").pk

    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "rencontres.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                if Client().request("GET", BARE)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)

        regs, latencies, errors = run_clients(
            args.clients, args.seconds, lambda c, n: register_once(c, n, workshop.pk, category)
        )
        bare, bare_latencies, bare_errors = run_clients(
            args.clients, args.seconds, lambda c, n: c.request("GET", BARE)[0] == 200
        )
        # Places are taken when people confirm their address: all of them at once.
        people = Registration.objects.filter(edition=edition)
        pending = list(people.values_list("public_id", flat=True))
        tokens = iter([services.confirmation_token(Registration(public_id=p)) for p in pending])
        token_lock = threading.Lock()

        def confirm(client, _number):
            with token_lock:
                token = next(tokens, None)
            if token is None:
                time.sleep(0.01)
                return True
            path = f"/en/register/confirm/{token}/"
            _status, _, html = client.request("GET", path)
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
            return client.request("POST", path, {"csrfmiddlewaretoken": csrf})[0] == 302

        confirm_seconds = max(5.0, len(pending) / 20)
        run_clients(args.clients, confirm_seconds, confirm)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    taken = SessionChoice.objects.filter(session=workshop, status="confirmed",
                                         registration__status="confirmed").count()  # fmt: skip
    confirmed = Registration.objects.filter(edition=edition, status="confirmed").count()
    overbooked = max(0, taken - workshop.capacity) + max(
        0, confirmed - (edition.capacity or confirmed)
    )
    regs_per_s = regs / args.seconds
    bare_rps = bare / args.seconds
    print(f"backend={args.backend} clients={args.clients} seconds={args.seconds} "
          f"workers={args.workers}")  # fmt: skip
    print(f"registrations={regs} errors={errors} bare_requests={bare} bare_errors={bare_errors}")
    print(f"confirmed={confirmed} workshop_places={taken}/{workshop.capacity} "
          f"bare_p50_ms={statistics.median(bare_latencies or [0]):.0f}")  # fmt: skip
    print(
        f"regs_per_s={regs_per_s:.1f} p50_ms={statistics.median(latencies or [0]):.0f} "
        f"p95_ms={percentile(latencies, 0.95):.0f} bare_rps={bare_rps:.1f} "
        f"ratio={regs_per_s / bare_rps if bare_rps else 0:.2f} overbooked={overbooked}"
    )
    return 1 if overbooked or errors else 0


if __name__ == "__main__":
    sys.exit(main())
