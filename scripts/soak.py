"""Soak: reads and writes from concurrent clients against gunicorn and PostgreSQL, with the
app's database connections killed mid-run, then a count of what was lost. `make soak`.

Needs DATABASE_URL pointing at a PostgreSQL server; it creates and drops its own database
(<name>_soak) and serves on 127.0.0.1 only. Bounded: SOAK_SECONDS (60) and the clients'
request loops stop by themselves.

Prints requests, errors by status, p50/p95 latency, and the writes: acknowledged (the app
answered "recorded"), lost (acknowledged but not in the database), phantom (in the database
but never acknowledged and not refused in flight), half-written (a decision without its
timeline event or its history row). 5xx outside the fault windows are listed.
"""

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

from http_session import Session, csrf

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("SOAK_PORT", "8765"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "6"))
KILLS = 3
PASSWORD = "soak-test-passphrase-1"


def database_urls():
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("make soak needs DATABASE_URL=postgres://... (PostgreSQL)")
    parts = urllib.parse.urlsplit(base)
    name = parts.path.lstrip("/") + "_soak"
    return parts._replace(path="/" + name).geturl(), parts._replace(path="/postgres").geturl(), name


def psql(url, sql):
    return subprocess.run(
        ["psql", url, "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.latencies = []
        self.acknowledged = set()
        self.in_doubt = set()  # sent, then the answer was a 5xx or lost: may or may not exist
        self.late_5xx = []

    def record(self, status, elapsed, when, faults):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(elapsed)
            if status >= 500 and not any(start <= when <= end for start, end in faults):
                self.late_5xx.append((round(when, 1), status))


def client_loop(number, deadline, results, faults, started):
    try:
        browser = Session(PORT, timeout=30).sign_in(f"soak{number}", PASSWORD)
    except (OSError, http.client.HTTPException, SystemExit) as error:
        print(f"client {number} could not start: {error}", file=sys.stderr)
        return
    ccg = ["ashford", "canterbury-and-coastal", "swale", "medway", "thanet", "west-kent"][
        number % 6
    ]
    reads = ["/", "/timeline/", "/api/membership/?as_at=2018-03-13", f"/ccgs/{ccg}/"]
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            if n % 3:
                answer = browser.get(reads[n % len(reads)])
                status, elapsed = answer.status, answer.elapsed
            else:
                status, elapsed = write(browser, ccg, results)
        except (OSError, http.client.HTTPException):
            status, elapsed = 599, 0.0
        results.record(status, elapsed, time.monotonic() - started, faults)


def write(browser, ccg, results):
    """Record a 'noted' decision with a unique summary; remember what the app answered."""
    path = f"/ccgs/{ccg}/decisions/new/"
    answer = browser.get(path)
    status, page, elapsed = answer.status, answer.text, answer.elapsed
    if status != 200:
        return status, elapsed
    version = re.search(r'name="version" value="(\d+)"', page)
    source = re.search(r'<option value="(\d+)"', page)
    if not (version and source):
        return 598, elapsed
    marker = f"soak {uuid.uuid4()}"
    form = {
        "csrfmiddlewaretoken": csrf(page),
        "body": "governing_body",
        "outcome": "noted",
        "summary": marker,
        "source": source[1],
        "reason": "soak test",
        "version": version[1],
        **{f"{d}_precision": "day" for d in ("meeting_date", "effective_date", "expected_date")},
        "new_source_published_precision": "day",
    }
    try:
        answer = browser.request("POST", path, form)
        status, location, elapsed = answer.status, answer.location, answer.elapsed
    except (OSError, http.client.HTTPException):
        with results.lock:
            results.in_doubt.add(marker)
        raise
    with results.lock:
        if status == 302 and "/recorded/" in location:
            results.acknowledged.add(marker)
        elif status >= 500:
            results.in_doubt.add(marker)
    return status, elapsed


def main():
    url, admin_url, name = database_urls()
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": uuid.uuid4().hex * 2}
    # The soak signs in with passwords only: two-factor sign-in is tested on its own.
    env |= {"ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR", "TWO_FACTOR_REQUIRED": "false"}
    psql(admin_url, f"DROP DATABASE IF EXISTS {name}")
    psql(admin_url, f"CREATE DATABASE {name}")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "-v0")
    manage({**env, "DEBUG": "true"}, "load_kent_medway_2018")
    code = (
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        "staff = Group.objects.get(name='stp_staff'); "
        f"[get_user_model().objects.create_user('soak%d' % n, password='{PASSWORD}')"
        f".groups.add(staff) for n in range({CLIENTS})]"
    )
    manage(env, "shell", "-c", code)
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "kmcommission.wsgi", "--bind",
            f"127.0.0.1:{PORT}", "--workers", "3", "--timeout", "30", "--log-level", "error",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        time.sleep(3)
        results, faults = Results(), []
        started = time.monotonic()
        deadline = started + SECONDS
        threads = [
            threading.Thread(target=client_loop, args=(n, deadline, results, faults, started))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for kill in range(1, KILLS + 1):
            time.sleep(max(0, started + SECONDS * kill / (KILLS + 1) - time.monotonic()))
            at = time.monotonic() - started
            faults.append((at - 0.5, at + 3))
            psql(
                admin_url,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
            )
        for thread in threads:
            thread.join(timeout=SECONDS + 60)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(url, results, faults)
    psql(admin_url, f"DROP DATABASE IF EXISTS {name}")


def report(url, results, faults):
    stored = set(
        psql(url, "SELECT summary FROM decisions_decision WHERE summary LIKE 'soak %'").split("\n")
    ) - {""}
    lost = results.acknowledged - stored
    phantom = stored - results.acknowledged - results.in_doubt
    # Every decision is written with its history row and its timeline line, or not at all.
    half = psql(
        url,
        "SELECT count(*) FROM decisions_decision d WHERE d.summary LIKE 'soak %' AND ("
        "NOT EXISTS (SELECT 1 FROM records_timelineevent e JOIN django_content_type c "
        "ON c.id = e.subject_type_id AND c.model = 'decision' WHERE e.subject_id = d.id) "
        "OR NOT EXISTS (SELECT 1 FROM decisions_historicaldecision h WHERE h.id = d.id))",
    )
    latencies = sorted(results.latencies) or [0.0]
    print(f"requests: {sum(results.statuses.values())}")
    print("by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(results.statuses.items())))
    print(f"p50: {statistics.median(latencies) * 1000:.0f} ms")
    print(f"p95: {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms")
    print(f"fault windows (s): {[(round(a, 1), round(b, 1)) for a, b in faults]}")
    print(f"5xx outside the fault windows: {len(results.late_5xx)} {results.late_5xx[:10]}")
    print(f"writes acknowledged: {len(results.acknowledged)}")
    print(f"writes lost: {len(lost)}")
    print(f"writes phantom: {len(phantom)} (in doubt, answered 5xx: {len(results.in_doubt)})")
    print(f"writes half-written: {half}")
    if lost or phantom or half != "0" or results.late_5xx:
        sys.exit(1)


if __name__ == "__main__":
    main()
