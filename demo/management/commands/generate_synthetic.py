"""A national-scale record for the benchmark: ``manage.py generate_synthetic``.

Adds to whatever the database holds (normally the 2018 story) a generated record
with the shapes a national one would have: CCGs split among partnerships, each its
own arrangement as England's 42 STPs each had their own (``--partnerships``), in
locality groups, each CCG with a decision log (most a few decisions, one "heavy" CCG
thousands), the membership history the services would have written for them,
sources, people, posts and assignments, and a long timeline. The first partnership
holds the heavy CCG and as many CCGs as Kent and Medway (``--first-size``): it is the
one the benchmark reads, beside the 2018 record's. ``--partnerships 1`` puts every
CCG in one arrangement instead, for pages that list them all.

It is SYNTHETIC DATA for measuring, never a record: it writes in bulk through plain
querysets, going round the guards that make the application write row by row with
a user and a reason (records.history), because a million rows through the services
would take hours. Every generated name says "Synthetic".
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import QuerySet

from ccgs.models import CCG, Commissioner, LocalityGroup
from decisions.models import Decision, Membership
from records.models import EventKind, Source, TimelineEvent
from roles.models import Assignment, Person, Post, PostKind

START = datetime.date(2013, 4, 1)
OUTCOMES = [("agreed", "joined"), ("declined", "opted_out"), ("deferred", "pending")]
BATCH = 5000


class Command(BaseCommand):
    help = "Add a generated national-scale record (synthetic, for the benchmark only)."

    def add_arguments(self, parser):
        parser.add_argument("--ccgs", type=int, default=200)
        parser.add_argument("--years", type=int, default=8)
        parser.add_argument("--decisions", type=int, default=4, help="per ordinary CCG")
        parser.add_argument(
            "--history-rows", type=int, default=200_000, help="membership history rows in all"
        )
        parser.add_argument(
            "--heavy", type=int, default=3000, help="decisions and history rows of one CCG"
        )
        parser.add_argument("--events", type=int, default=900_000, help="timeline events")
        parser.add_argument(
            "--partnerships", type=int, default=42, help="arrangements the CCGs are split into"
        )
        parser.add_argument(
            "--first-size", type=int, default=8, help="CCGs of the first (the measured) one"
        )
        parser.add_argument("--seed", type=int, default=2018)

    def handle(self, *args, **options):
        self.random = random.Random(options["seed"])
        self.started = time.monotonic()
        self.days = options["years"] * 365
        self.user, _ = get_user_model().objects.get_or_create(
            username="synthetic", defaults={"first_name": "Synthetic", "last_name": "Generator"}
        )
        with transaction.atomic():
            self.sources = self.make_sources(300)
            arrangement_of = self.make_partnerships(
                options["ccgs"], options["partnerships"], options["first_size"]
            )
            ccgs = self.make_ccgs(arrangement_of)
            self.partnership = {ccg.pk: arrangement_of[n] for n, ccg in enumerate(ccgs)}
            heavy = ccgs[0]
            per_ccg = max(1, (options["history_rows"] - options["heavy"]) // len(ccgs))
            for index, ccg in enumerate(ccgs):
                count = options["heavy"] if ccg is heavy else options["decisions"]
                rows = options["heavy"] if ccg is heavy else per_ccg
                self.make_decision_log(ccg, count, rows)
                if index % 50 == 0:
                    self.progress(f"{index + 1} of {len(ccgs)} CCGs' decisions and history")
            self.make_team(ccgs)
        self.make_events(options["events"], ccgs)
        first = self.partnership[heavy.pk]
        self.progress(f"done: heavy CCG is /ccgs/{heavy.slug}/?arrangement={first.slug}")

    def progress(self, text):
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {text}")

    def day(self, offset):
        return START + datetime.timedelta(days=offset)

    def moment(self, offset):
        return datetime.datetime.combine(self.day(offset), datetime.time(10), tzinfo=datetime.UTC)

    def make_sources(self, count):
        made = QuerySet(Source).bulk_create(
            Source(
                key=f"syn-{n}",
                title=f"Synthetic governing body papers {n}",
                publisher="Synthetic CCG",
                published=self.day(n * self.days // count),
                quote="Synthetic text.",
            )
            for n in range(count)
        )
        self.progress(f"{len(made)} sources")
        return made

    def make_partnerships(self, ccg_count, count, first_size):
        """[arrangement of CCG number n]: the first ``first_size`` CCGs in the first, the
        rest dealt round the others."""
        first_size = min(first_size, ccg_count)
        count = max(1, min(count, ccg_count - first_size + 1))
        arrangements = QuerySet(Commissioner).bulk_create(
            Commissioner(
                name=f"Synthetic partnership {n:02d}",
                slug=f"synthetic-partnership-{n:02d}",
                form="Joint committee",
            )
            for n in range(count)
        )
        first_size = ccg_count if count == 1 else first_size
        self.progress(f"{count} partnerships, the first of {first_size} CCGs")
        return [
            arrangements[0] if n < first_size else arrangements[1 + (n - first_size) % (count - 1)]
            for n in range(ccg_count)
        ]

    def make_ccgs(self, arrangement_of):
        """CCG number n in ``arrangement_of[n]``, in one of its two locality groups (Kent and
        Medway had two)."""
        numbers = {}
        for arrangement in arrangement_of:
            numbers.setdefault(arrangement.pk, len(numbers))
        groups = QuerySet(LocalityGroup).bulk_create(
            LocalityGroup(
                name=f"Synthetic locality {n:03d}", slug=f"synthetic-{n:03d}", order=100 + n
            )
            for n in range(2 * len(numbers))
        )
        ccgs = QuerySet(CCG).bulk_create(
            CCG(
                name=f"Synthetic CCG {n:04d}",
                slug=f"synthetic-ccg-{n:04d}",
                locality_group=groups[2 * numbers[arrangement.pk] + n % 2],
            )
            for n, arrangement in enumerate(arrangement_of)
        )
        self.progress(f"{len(ccgs)} CCGs in {len(groups)} locality groups")
        return ccgs

    def make_decision_log(self, ccg, count, history_rows):
        step = max(1, self.days // count)
        decisions = []
        for n in range(count):
            outcome, _ = OUTCOMES[self.random.randrange(3) if n else 2]
            decisions.append(
                Decision(
                    ccg=ccg,
                    commissioner=self.partnership[ccg.pk],
                    body="governing_body",
                    outcome=outcome,
                    effective_date=self.day(n * step),
                    in_effect_from=self.day(n * step),
                    summary=f"Synthetic decision {n}",
                    reason="Synthetic",
                    recorded_by=self.user,
                    recorded_at=self.moment(n * step + 1),
                )
            )
        decisions = QuerySet(Decision).bulk_create(decisions, batch_size=BATCH)
        through = Decision.sources.through
        QuerySet(through).bulk_create(
            (
                through(decision_id=d.pk, source_id=self.random.choice(self.sources).pk)
                for d in decisions
            ),
            batch_size=BATCH,
        )
        last = decisions[-1]
        status = dict(OUTCOMES)[last.outcome]
        membership = QuerySet(Membership).bulk_create(
            [
                Membership(
                    ccg=ccg,
                    commissioner=self.partnership[ccg.pk],
                    status=status,
                    since=last.in_effect_from,
                    decision=last,
                    version=history_rows,
                )
            ]
        )[0]
        # The history the services would have written: a row per change (decisions, and the
        # reviews and notes that move the version between them).
        history = Membership.history.model
        rows_step = max(1, self.days // history_rows)
        Membership.history.bulk_create(
            (
                history(
                    id=membership.pk,
                    ccg_id=ccg.pk,
                    commissioner_id=self.partnership[ccg.pk].pk,
                    status=dict(OUTCOMES)[
                        decisions[min(n * count // history_rows, count - 1)].outcome
                    ],
                    since=self.day(n * rows_step),
                    decision_id=decisions[min(n * count // history_rows, count - 1)].pk,
                    version=n + 1,
                    history_date=self.moment(n * rows_step + 1),
                    history_type="~" if n else "+",
                    history_user=self.user,
                    history_change_reason="Synthetic",
                )
                for n in range(history_rows)
            ),
            batch_size=BATCH,
        )

    def make_team(self, ccgs):
        people = QuerySet(Person).bulk_create(
            Person(name=f"Synthetic Person {n}") for n in range(len(ccgs))
        )
        posts = QuerySet(Post).bulk_create(
            Post(
                commissioner=self.partnership[ccg.pk],
                title=f"Accountable officer, {ccg.name}",
                kind=PostKind.CCG_ACCOUNTABLE_OFFICER,
                ccg=ccg,
                order=1000 + n,
            )
            for n, ccg in enumerate(ccgs)
        )
        assignments = QuerySet(Assignment).bulk_create(
            Assignment(person=person, post=post, start=self.day(30))
            for person, post in zip(people, posts, strict=True)
        )
        through = Assignment.sources.through
        QuerySet(through).bulk_create(
            through(assignment_id=a.pk, source_id=self.sources[0].pk) for a in assignments
        )
        self.progress(f"{len(people)} people, posts and assignments")

    def make_events(self, count, ccgs):
        kinds = [EventKind.DECISION, EventKind.STATUS_CHANGE, EventKind.ASSIGNMENT_START]

        def rows(first, last):
            for n in range(first, last):
                offset = n * self.days // count
                ccg = ccgs[n % len(ccgs)]
                yield TimelineEvent(
                    commissioner=self.partnership[ccg.pk],
                    kind=kinds[n % len(kinds)],
                    date=self.day(offset),
                    sort_date=self.day(offset),
                    recorded_at=self.moment(offset + 1),
                    ccg_id=ccg.pk,
                    locality_group_id=ccg.locality_group_id,
                    title=f"Synthetic event {n}",
                )

        if connection.vendor == "postgresql":
            self.insert_events_in_the_database(count, ccgs, kinds)
            return
        step = BATCH * 20
        for first in range(0, count, step):
            QuerySet(TimelineEvent).bulk_create(
                rows(first, min(first + step, count)), batch_size=BATCH
            )
            self.progress(f"{min(first + step, count)} of {count} timeline events")

    def insert_events_in_the_database(self, count, ccgs, kinds):
        """The same rows, made by PostgreSQL itself (generate_series): a million in seconds,
        where sending them from Python takes minutes."""
        table = TimelineEvent._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (commissioner_id, kind, date, date_precision, sort_date,
                                     recorded_at, ccg_id, locality_group_id, person_name, title,
                                     detail)
                SELECT (%(commissioners)s::bigint[])[n %% %(ccg_count)s + 1],
                       (%(kinds)s::text[])[n %% %(kind_count)s + 1],
                       %(start)s::date + day,
                       'day',
                       %(start)s::date + day,
                       %(moment)s::timestamptz + make_interval(days => day),
                       (%(ccgs)s::bigint[])[n %% %(ccg_count)s + 1],
                       (%(localities)s::bigint[])[n %% %(ccg_count)s + 1],
                       '',
                       'Synthetic event ' || n,
                       ''
                FROM generate_series(0, %(count)s - 1) AS n,
                     LATERAL (SELECT (n::bigint * %(days)s / %(count)s)::int AS day) AS offsets
                """,  # noqa: S608 - the table name is the model's own; the values are parameters
                {
                    "commissioners": [self.partnership[ccg.pk].pk for ccg in ccgs],
                    "kinds": [str(kind) for kind in kinds],
                    "kind_count": len(kinds),
                    "start": START,
                    "days": self.days,
                    "count": count,
                    "moment": self.moment(1),
                    "ccgs": [ccg.pk for ccg in ccgs],
                    "localities": [ccg.locality_group_id for ccg in ccgs],
                    "ccg_count": len(ccgs),
                },
            )
        self.progress(f"{count} timeline events")
