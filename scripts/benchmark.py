"""What the pages cost on a national record against the 2018 demo, over HTTP. `make benchmark`.

Needs DATABASE_URL pointing at a PostgreSQL server. It makes two throwaway databases
(<name>_bench_demo: the 2018 record; <name>_bench_national: the same plus
`generate_synthetic`), serves each with gunicorn (2 sync workers, DEBUG off) on
127.0.0.1, and drives every page (on the national record, those of the partnership
holding the heaviest CCG, as large as Kent and Medway; `--partnerships 1` puts all
208 CCGs in one arrangement instead) with a bounded Python load generator (8 clients, a
few seconds a page), interleaving demo and national, for three rounds. It prints one
table of median requests per second with the ratios the README quotes, and writes it
to benchmark-results.json. It asserts nothing: read the numbers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python scripts/benchmark.py
    ... scripts/benchmark.py --quick     # a smaller national record, one round: a smoke run
    ... scripts/benchmark.py --explain   # also EXPLAIN the point-in-time queries
"""

import argparse
import http.client
import json
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
from pathlib import Path

from http_session import Session

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark-passphrase-1"
CLIENTS = 8
DEMO_PORT, NATIONAL_PORT, SECOND_PORT = 8781, 8782, 8783
MEASURED_ARRANGEMENT = "synthetic-partnership-00"  # generate_synthetic's first

PAGES = [
    ("login page (the trivial view)", "/accounts/login/", None),
    ("dashboard /", "/", None),
    ("CCG page (heaviest CCG)", "/ccgs/{ccg}/", None),
    ("API membership ?as_at=", "/api/membership/?as_at=2018-03-13", None),
    ("API membership known_at", "/api/membership/?as_at=2018-03-13&known_at=2018-03-01", None),
    ("/as-at/", "/as-at/?as_at=2018-03-13&known_at=2018-03-01", None),
    ("/briefing/", "/briefing/", None),
    ("/chart/", "/chart/", None),
    ("/calendar.ics", "/calendar.ics", None),
    ("/timeline/ page 1", "/timeline/", None),
    ("/team/", "/team/", None),
    ("/functions/", "/functions/", None),
    ("feed", "/timeline/feed/", None),
    ("admin history (simple-history)", "/admin/decisions/membership/{membership}/history/", None),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small national record, one round")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the hot queries")
    parser.add_argument("--seconds", type=float, default=3.0, help="per page per round")
    parser.add_argument(
        "--partnerships",
        type=int,
        default=42,
        help="arrangements the national record's CCGs are split into (1: all in one)",
    )
    return parser.parse_args()


def urls():
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("make benchmark needs DATABASE_URL=postgres://... (PostgreSQL)")
    parts = urllib.parse.urlsplit(base)
    stem = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    return {
        kind: (parts._replace(path=f"/{stem}_bench_{kind}").geturl(), f"{stem}_bench_{kind}")
        for kind in ("demo", "national")
    }, admin


def psql(url, sql):
    return subprocess.run(
        ["psql", url, "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def manage(env, *args, quiet=True):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def build(kind, url, admin_url, name, env, quick, partnerships):
    started = time.monotonic()
    psql(admin_url, f"DROP DATABASE IF EXISTS {name}")
    psql(admin_url, f"CREATE DATABASE {name}")
    env = {**env, "DATABASE_URL": url}
    manage(env, "migrate", "-v0")
    manage({**env, "DEBUG": "true"}, "load_kent_medway_2018")
    if kind == "national":
        sizes = ["--ccgs", "40", "--history-rows", "20000", "--heavy", "600", "--events", "90000"]
        sizes = [*(sizes if quick else []), "--partnerships", str(partnerships)]
        manage(env, "generate_synthetic", *sizes, quiet=False)
    code = (
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        f"u = get_user_model().objects.create_user('bench', password='{PASSWORD}', "
        "is_staff=True, is_superuser=True, first_name='Bench', last_name='Mark'); "
        "u.groups.add(Group.objects.get(name='admins'))"
    )
    manage(env, "shell", "-c", code)
    psql(url, "ANALYZE")
    print(f"{kind}: built in {time.monotonic() - started:.0f}s")


def serve(url, port, env):
    return subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "kmcommission.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--timeout", "30", "--log-level", "error",
        ],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
    )  # fmt: skip


def load(sessions, path, seconds, signed_in=True):
    """Requests per second from CLIENTS threads for ``seconds`` (requests in flight finish)."""
    done, errors = [], []
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    def client(number):
        session = sessions[number % len(sessions)]
        while time.monotonic() < deadline:
            status = session.get(path, signed_in=signed_in).status
            (done if status == 200 else errors).append(status)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        print(f"  {path}: {len(errors)} answers not 200: {sorted(set(errors))}")
    return len(done) / elapsed


def worker_rss(server):
    """Resident memory (MB) of the gunicorn workers under ``server``."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    return total / 1024


def csv_check(session, server):
    rss_before = worker_rss(server)
    started = time.monotonic()
    try:
        answer = session.get("/timeline/?format=csv")
    except (OSError, http.client.HTTPException) as error:
        return {
            "status": f"cut off after {time.monotonic() - started:.0f} s ({type(error).__name__})",
            "first_byte_s": None,
            "total_s": None,
            "megabytes": None,
            "worker_rss_growth_mb": round(worker_rss(server) - rss_before, 1),
        }
    return {
        "status": answer.status,
        "first_byte_s": round(answer.first_byte, 3),
        "total_s": round(answer.elapsed, 1),
        "megabytes": round(answer.size / 1e6, 1),
        "worker_rss_growth_mb": round(worker_rss(server) - rss_before, 1),
    }


def explain(url):
    """The plans of the queries behind the point-in-time pages (verbose mode)."""
    print("\nEXPLAIN ANALYZE: the national dashboard's decision log query")
    sql = (
        "EXPLAIN ANALYZE SELECT d.id FROM decisions_decision d WHERE d.ccg_id IS NOT NULL "
        "AND d.outcome <> 'noted' AND d.recorded_at <= now() AND NOT EXISTS (SELECT 1 FROM "
        "decisions_decision c WHERE c.corrects_id = d.id) AND NOT EXISTS (SELECT 1 FROM "
        "decisions_withdrawal w WHERE w.decision_id = d.id)"
    )
    print(psql(url, sql))


def main():
    args = parse_args()
    databases, admin_url = urls()
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": uuid.uuid4().hex * 2}
    env |= {"ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR", "TWO_FACTOR_REQUIRED": "false"}
    env |= {"AXES_ENABLED": "false"}
    started = time.monotonic()
    manage(env, "collectstatic", "--noinput", "-v0")
    for kind, (url, name) in databases.items():
        build(kind, url, admin_url, name, env, args.quick, args.partnerships)
    national_url = databases["national"][0]
    # The national pages are those of the partnership with the heaviest CCG, at the same
    # addresses as the demo's (its default arrangement is the 2018 one).
    national_env = {**env, "DEFAULT_ARRANGEMENT": MEASURED_ARRANGEMENT}
    heavy = psql(
        national_url, "SELECT slug FROM ccgs_ccg WHERE slug LIKE 'synthetic-%' ORDER BY id LIMIT 1"
    )
    subjects = {}
    for kind, (url, _) in databases.items():
        slug = heavy if kind == "national" else "thanet"
        membership = psql(
            url,
            "SELECT m.id FROM decisions_membership m JOIN ccgs_ccg c ON c.id = m.ccg_id "
            f"WHERE c.slug = '{slug}'",
        )
        subjects[kind] = {"ccg": slug, "membership": membership}
    counts = {
        table: psql(national_url, f"SELECT count(*) FROM {table}")
        for table in [
            "ccgs_commissioner",
            "ccgs_ccg",
            "decisions_decision",
            "decisions_historicalmembership",
            "records_timelineevent",
        ]
    }
    print("national record:", ", ".join(f"{t} {n}" for t, n in counts.items()))
    if args.explain:
        explain(national_url)

    servers = {
        "demo": serve(databases["demo"][0], DEMO_PORT, env),
        "national": serve(national_url, NATIONAL_PORT, national_env),
    }
    try:
        sessions = {
            "demo": [Session(DEMO_PORT).sign_in("bench", PASSWORD)],
            "national": [Session(NATIONAL_PORT).sign_in("bench", PASSWORD)],
        }
        rounds = 1 if args.quick else 3
        results = {label: {"demo": [], "national": []} for label, _, _ in PAGES}
        for round_number in range(1, rounds + 1):
            print(f"round {round_number} of {rounds}")
            for label, path, _ in PAGES:
                for kind in ("demo", "national"):
                    url_path = path.format(**subjects[kind])
                    signed_in = not path.startswith("/accounts/login/")
                    rate = load(sessions[kind], url_path, args.seconds, signed_in)
                    results[label][kind].append(rate)
        table = []
        for label, _, _ in PAGES:
            demo = statistics.median(results[label]["demo"])
            national = statistics.median(results[label]["national"])
            table.append(
                {
                    "page": label,
                    "demo_rps": round(demo, 1),
                    "national_rps": round(national, 1),
                    "ratio": round(national / demo, 3) if demo else None,
                }
            )
        by_page = {row["page"]: row for row in table}
        csv = csv_check(sessions["national"][0], servers["national"])

        # Scale out: the national dashboard from one instance, then from two sharing PostgreSQL.
        one = load(sessions["national"], "/", args.seconds)
        servers["second"] = serve(national_url, SECOND_PORT, national_env)
        two_sessions = [sessions["national"][0], Session(SECOND_PORT).sign_in("bench", PASSWORD)]
        two = load(two_sessions, "/", args.seconds)
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    ccg_page = by_page["CCG page (heaviest CCG)"]["national_rps"]
    admin_history = by_page["admin history (simple-history)"]["national_rps"]
    trivial = by_page["login page (the trivial view)"]["national_rps"]
    dashboard = by_page["dashboard /"]["national_rps"]
    ratios = {
        "scale_worst": min(row["ratio"] for row in table if row["ratio"] is not None),
        "peer_ccg_page_over_admin_history": round(ccg_page / admin_history, 2),
        "framework_dashboard_over_trivial": round(dashboard / trivial, 2),
        "scale_out_two_over_one_instance": round(two / one, 2),
    }
    print()
    print(f"{'page':42} {'demo req/s':>11} {'national':>9} {'ratio':>6}  target >= 0.67")
    for row in table:
        mark = "" if (row["ratio"] or 0) >= 0.67 else "  below"
        print(
            f"{row['page']:42} {row['demo_rps']:11.1f} {row['national_rps']:9.1f} "
            f"{row['ratio']:6.2f}{mark}"
        )
    print()
    peer, framework = (
        ratios["peer_ccg_page_over_admin_history"],
        ratios["framework_dashboard_over_trivial"],
    )
    print(f"peer: CCG page / admin history of the same membership: {peer:.2f} (target >= 5)")
    print(f"framework: dashboard / trivial view (national): {framework:.2f} (target >= 0.40)")
    print(
        f"CSV (national, whole timeline): {csv['status']}, "
        f"first byte {csv['first_byte_s']} s (target <= 1), "
        f"{csv['megabytes']} MB in {csv['total_s']} s (gunicorn timeout 30 s), "
        f"worker RSS growth {csv['worker_rss_growth_mb']} MB (target <= 50)"
    )
    scale_out = ratios["scale_out_two_over_one_instance"]
    print(f"scale out: dashboard with 2 instances / 1 instance: {scale_out:.2f}")
    output = {
        "machine": f"{os.cpu_count()} CPUs, {platform_name()}",
        "national_record": counts,
        "partnerships": args.partnerships,
        "pages": table,
        "ratios": ratios,
        "csv": csv,
        "minutes": round((time.monotonic() - started) / 60, 1),
    }
    (ROOT / "benchmark-results.json").write_text(json.dumps(output, indent=2) + "\n")
    print(f"\nWritten to benchmark-results.json; {output['minutes']} minutes in all.")
    for _, name in databases.values():
        psql(admin_url, f"DROP DATABASE IF EXISTS {name}")


def platform_name():
    import platform

    return f"{platform.system()} {platform.release()}, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
