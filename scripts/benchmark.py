"""How the timeline and the dashboard cost grows with the size of the record.

Builds a throwaway database, fills it with a generated record (many CCGs, a long
membership history, a long timeline), and prints RATIOS: timeline page 500
against page 1 (keyset pagination should keep it near 1), the OFFSET query
the timeline does not use (for contrast), and the dashboard on a large record
against a small one. It asserts nothing; read the numbers.

    .venv/bin/python scripts/benchmark.py                    # temporary SQLite file
    .venv/bin/python scripts/benchmark.py --events 300000
    .venv/bin/python scripts/benchmark.py --database-url postgres://postgres@127.0.0.1:5432/km_bench

A --database-url must name a THROWAWAY database: the script migrates it and
adds rows. Without it a temporary SQLite file is used and deleted afterwards.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ccgs", type=int, default=200, help="CCGs in the large record")
    parser.add_argument("--history", type=int, default=40, help="membership history rows per CCG")
    parser.add_argument("--events", type=int, default=120_000, help="timeline events")
    parser.add_argument("--page", type=int, default=500, help="the deep page to compare")
    parser.add_argument("--repeat", type=int, default=7, help="timings per measurement")
    parser.add_argument("--database-url", help="a throwaway database (default: temporary SQLite)")
    return parser.parse_args()


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kmcommission.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, in-memory mail
    call_command("migrate", verbosity=0)


def measure(client, url, repeat):
    """(median seconds, queries) for GET url, after one warm-up request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries)


def time_query(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def make_record(*, first_ccg, ccgs, history, source, commissioner, groups, user):
    """CCGs with memberships and a long history each, written in bulk (benchmark only:
    the application itself writes through its services)."""
    from django.db.models import QuerySet

    from ccgs.models import CCG
    from decisions.models import Decision, Membership, MembershipStatus

    # A plain QuerySet: the models' own refuse bulk writes, which leave no history rows.
    statuses = list(MembershipStatus.values)
    made = QuerySet(CCG).bulk_create(
        CCG(
            name=f"Generated CCG {n:04d}",
            slug=f"generated-ccg-{n:04d}",
            locality_group=groups[n % len(groups)],
        )
        for n in range(first_ccg, first_ccg + ccgs)
    )
    start = datetime.date(2016, 1, 1)
    outcomes = ["agreed", "declined", "deferred"]
    QuerySet(Membership).bulk_create(
        Membership(
            ccg=ccg,
            commissioner=commissioner,
            status=statuses[(history - 1) % len(statuses)],
            since=start + datetime.timedelta(days=30 * (history - 1)),
            version=history,
        )
        for ccg in made
    )
    # The record the pages derive from: each CCG's decision log, one decision a month.
    recorded = datetime.datetime(2016, 1, 2, tzinfo=datetime.UTC)
    decisions = [
        Decision(
            ccg=ccg,
            commissioner=commissioner,
            body="governing_body",
            outcome=outcomes[step % len(outcomes)],
            effective_date=start + datetime.timedelta(days=30 * step),
            in_effect_from=start + datetime.timedelta(days=30 * step),
            summary="generated for the benchmark",
            reason="generated for the benchmark",
            recorded_by=user,
            recorded_at=recorded + datetime.timedelta(days=30 * step),
        )
        for ccg in made
        for step in range(history)
    ]
    QuerySet(Decision).bulk_create(decisions, batch_size=2000)
    return made


def make_events(count, ccgs, source):
    from records.models import EventKind, TimelineEvent

    kinds = list(EventKind.values)
    start = datetime.date(2012, 1, 1)
    now = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    batch = 5000
    for offset in range(0, count, batch):
        events = TimelineEvent.objects.bulk_create(
            TimelineEvent(
                kind=kinds[n % len(kinds)],
                # Several events share each date, so the id tie-break is exercised too.
                date=start + datetime.timedelta(days=n // 20),
                sort_date=start + datetime.timedelta(days=n // 20),
                recorded_at=now,
                ccg=ccgs[n % len(ccgs)],
                locality_group=ccgs[n % len(ccgs)].locality_group,
                title=f"Generated event {n}",
            )
            for n in range(offset, min(offset + batch, count))
        )
        TimelineEvent.sources.through.objects.bulk_create(
            TimelineEvent.sources.through(timelineevent_id=event.pk, source_id=source.pk)
            for event in events
        )


def main():
    args = parse_args()
    if args.database_url:
        run(args, args.database_url)
        return
    with tempfile.TemporaryDirectory(prefix="km-bench-") as folder:
        run(args, f"sqlite:///{Path(folder) / 'bench.sqlite3'}")


def run(args, database_url):
    started = time.perf_counter()
    setup_django(database_url)
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client

    from ccgs.models import Commissioner, LocalityGroup
    from records.models import Source, TimelineEvent
    from records.permissions import SCRUTINY
    from scrutiny.selectors import PAGE_SIZE, Cursor, timeline_events, timeline_page

    print(
        f"Database: {connection.vendor} ({'temporary file' if not args.database_url else 'given'})"
    )
    user, _ = User.objects.get_or_create(username="benchmark-officer")
    user.groups.add(Group.objects.get(name=SCRUTINY))
    client = Client()
    client.force_login(user)

    groups = [
        LocalityGroup.objects.get_or_create(
            slug=f"bench-group-{n}", defaults={"name": f"Bench {n}"}
        )[0]
        for n in range(2)
    ]
    commissioner, _ = Commissioner.objects.get_or_create(name="Benchmark commissioner")
    source, _ = Source.objects.get_or_create(
        key="bench", defaults={"title": "Generated", "publisher": "Benchmark", "quote": "-"}
    )

    # The dashboard on a small record (8 CCGs, short history), then on a large one.
    small = make_record(
        first_ccg=0,
        ccgs=8,
        history=3,
        source=source,
        commissioner=commissioner,
        groups=groups,
        user=user,
    )
    dash_small, dash_small_q = measure(client, "/", args.repeat)
    large = small + make_record(
        first_ccg=8,
        ccgs=args.ccgs - 8,
        history=args.history,
        source=source,
        commissioner=commissioner,
        groups=groups,
        user=user,
    )
    dash_large, dash_large_q = measure(client, "/", args.repeat)

    deep_index = args.page * PAGE_SIZE
    events = max(args.events, deep_index + PAGE_SIZE)
    make_events(events, large, source)
    print(
        f"Generated {len(large)} CCGs, {len(large) * args.history} membership history rows, "
        f"{TimelineEvent.objects.count()} timeline events in {time.perf_counter() - started:.1f}s"
    )

    # The cursor a user would hold after clicking "Later events" page-1 times.
    before_deep = timeline_events()[deep_index - 1 : deep_index].get()
    cursor = Cursor.of(before_deep)
    page_1, page_1_q = measure(client, "/timeline/", args.repeat)
    page_n, page_n_q = measure(client, f"/timeline/?after={cursor}", args.repeat)
    api_1, _ = measure(client, "/api/timeline/", args.repeat)
    api_n, _ = measure(client, f"/api/timeline/?after={cursor}", args.repeat)

    # The queries alone: the keyset one the timeline runs, and (for contrast only)
    # the OFFSET one it does not, at page 1 and at the deep page.
    ordered = timeline_events()
    keyset_first = time_query(lambda: list(timeline_page(ordered).events), args.repeat)
    keyset_deep = time_query(lambda: list(timeline_page(ordered, after=cursor).events), args.repeat)
    offset_first = time_query(lambda: list(ordered[:PAGE_SIZE]), args.repeat)
    offset_deep = time_query(
        lambda: list(ordered[deep_index : deep_index + PAGE_SIZE]), args.repeat
    )
    print()
    print(f"Timeline page 1:            {page_1 * 1000:8.1f} ms, {page_1_q} queries")
    print(f"Timeline page {args.page}:          {page_n * 1000:8.1f} ms, {page_n_q} queries")
    print(f"  RATIO page {args.page} / page 1 (time):    {page_n / page_1:6.2f}")
    print(f"  RATIO page {args.page} / page 1 (queries): {page_n_q / page_1_q:6.2f}")
    print(f"  RATIO API page {args.page} / page 1 (time): {api_n / api_1:6.2f}")
    print(f"  RATIO keyset query page {args.page} / page 1:  {keyset_deep / keyset_first:6.2f}")
    print(f"  contrast: OFFSET query page {args.page} / page 1: {offset_deep / offset_first:6.2f}")
    print()
    print(f"Dashboard, 8 CCGs:          {dash_small * 1000:8.1f} ms, {dash_small_q} queries")
    print(
        f"Dashboard, {len(large)} CCGs:        {dash_large * 1000:8.1f} ms, {dash_large_q} queries"
    )
    print(
        f"  RATIO large / small (time):    {dash_large / dash_small:6.2f}  "
        f"(CCGs x{len(large) / 8:.0f}, history rows x{len(large) * args.history / 24:.0f})"
    )
    print(f"  RATIO large / small (queries): {dash_large_q / dash_small_q:6.2f}")
    print(f"\nDone in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
