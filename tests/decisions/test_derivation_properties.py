"""Property test: any sequence of recording, late facts, corrections and withdrawals, read at
any (in effect on D, as recorded on K), gives the same answer from the selector, the API, the
dashboard and the Membership row as a small reference model written plainly here.

Hypothesis drives the services with random outcomes, effective dates and precisions, and
recording times that run ahead of or behind the dates the decisions take effect.
"""

import calendar
import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ccgs.models import Commissioner
from decisions import services
from decisions.derivation import changes, in_order, state_on
from decisions.derivation_sql import latest_in_order
from decisions.models import Decision, Membership
from decisions.selectors import decision_logs, member_states, membership_as_at
from tests.factories import CCGFactory, SourceFactory, UserFactory, scrutiny_user

pytestmark = pytest.mark.django_db

STATUS = {"agreed": "joined", "declined": "opted_out", "deferred": "pending", "noted": None}
START = datetime.datetime(2018, 1, 1, 9, tzinfo=datetime.UTC)
DAYS = [datetime.date(2018, 1, 1) + datetime.timedelta(days=n) for n in range(0, 200, 7)]
counter = itertools.count()


@dataclass
class Entry:
    """One decision as the reference model sees it."""

    pk: int
    ccg: object
    status: str | None  # None: noted, moves no status
    start: datetime.date  # the day it holds from
    by: bool  # known only "by" that day
    recorded: datetime.datetime
    expected: datetime.date | None
    gone: datetime.datetime | None = None  # corrected or withdrawn at


def end_of(day):
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)


def reference(entries, ccg, on, known_at=None):
    """(status, since, expected) of ``ccg`` on ``on`` as recorded by the end of ``known_at``."""
    moment = end_of(known_at) if known_at else datetime.datetime.max.replace(tzinfo=datetime.UTC)
    log = [
        e
        for e in entries
        if e.ccg == ccg
        and e.status is not None
        and e.recorded <= moment
        and not (e.gone and e.gone <= moment)
    ]

    def position(entry):
        later = [e.start for e in log if (e.recorded, e.pk) > (entry.recorded, entry.pk)]
        day = min([entry.start, *later]) if entry.by else entry.start
        return (day, entry.recorded, entry.pk)

    positions = {entry.pk: position(entry) for entry in log}
    log.sort(key=lambda entry: positions[entry.pk])
    in_effect = [e for e in log if e.start <= on]
    if not in_effect:
        return (None, None, None)
    last = in_effect[-1]
    first = last
    for entry in reversed(in_effect):
        if entry.status != last.status:
            break
        first = entry
    return (last.status, first.start, last.expected)


class Record(RuleBasedStateMachine):
    decisions = Bundle("decisions")

    @initialize()
    def setup(self):
        self.user = UserFactory(username=f"prop{next(counter)}")
        self.reader = Client()
        self.reader.force_login(scrutiny_user(username=f"reader{next(counter)}"))
        self.commissioner = Commissioner.objects.get()
        self.clock = START
        self.entries = []
        self.ccgs = []
        for _ in range(2):
            ccg = CCGFactory()
            membership = services.membership_open(
                ccg=ccg,
                commissioner=self.commissioner,
                since=datetime.date(2017, 12, 1),
                since_precision="day",
                sources=[SourceFactory(published=datetime.date(2017, 12, 1))],
                reason="Considering",
                user=self.user,
                recorded_at=self.clock,
            )
            self.ccgs.append(ccg)
            self.entries.append(
                Entry(membership.decision_id, ccg, "considering", datetime.date(2017, 12, 1),
                      False, self.clock, None)
            )  # fmt: skip

    def tick(self, days):
        self.clock += datetime.timedelta(days=days, minutes=1)
        return self.clock

    @rule(
        target=decisions,
        which=st.integers(0, 1),
        outcome=st.sampled_from(list(STATUS)),
        day=st.sampled_from(DAYS),
        precision=st.sampled_from(["day", "on_or_before", "month", "none"]),
        expected=st.one_of(st.none(), st.sampled_from(DAYS)),
        wait=st.integers(1, 40),
    )
    def record(self, which, outcome, day, precision, expected, wait):
        ccg = self.ccgs[which]
        if outcome in ("agreed", "declined") and precision == "none":
            precision = "day"  # the form requires the date a decision takes effect
        if precision == "month":
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        expected = expected if outcome == "deferred" else None
        recorded = self.tick(wait)
        source = SourceFactory(published=day)  # the evidence, for a decision with no date
        decision = services.decision_record(
            ccg=ccg,
            commissioner=self.commissioner,
            body="governing_body",
            outcome=outcome,
            effective_date=None if precision == "none" else day,
            effective_date_precision="day" if precision == "none" else precision,
            expected_date=expected,
            summary="Property test",
            sources=[source],
            reason="Property test",
            user=self.user,
            recorded_at=recorded,
        )
        by = precision in ("on_or_before", "none")
        entry = Entry(decision.pk, ccg, STATUS[outcome], day, by, recorded, expected)
        self.entries.append(entry)
        return entry

    @rule(
        original=consumes(decisions),
        outcome=st.sampled_from(["agreed", "declined", "deferred"]),
        day=st.sampled_from(DAYS),
        wait=st.integers(1, 40),
    )
    def correct(self, original, outcome, day, wait):
        if original.gone:
            return
        recorded = self.tick(wait)
        decision = services.decision_correct(
            decision=Decision.objects.get(pk=original.pk),
            body="governing_body",
            outcome=outcome,
            effective_date=day,
            summary="Corrected",
            sources=[SourceFactory(published=day)],
            reason="Property test correction",
            user=self.user,
            recorded_at=recorded,
        )
        original.gone = recorded
        self.entries.append(
            Entry(decision.pk, original.ccg, STATUS[outcome], day, False, recorded, None)
        )

    @rule(original=consumes(decisions), wait=st.integers(1, 40))
    def withdraw(self, original, wait):
        if original.gone:
            return
        recorded = self.tick(wait)
        services.decision_withdraw(
            decision=Decision.objects.get(pk=original.pk),
            reason="Entered in error",
            user=self.user,
            recorded_at=recorded,
        )
        original.gone = recorded

    @invariant()
    def every_reading_agrees_with_the_model(self):
        if not self.ccgs:
            return
        known = [None, *sorted({e.recorded.date() for e in self.entries})[-3:]]
        for known_at in known:
            logs = decision_logs(known_at, ccgs=self.ccgs)
            for on in DAYS[::3]:
                for state in member_states(self.ccgs, logs, on):
                    got = (state.status, state.since, state.expected_decision)
                    want = reference(self.entries, state.ccg, on, known_at)
                    assert got == want, (state.ccg, on, known_at)

    @invariant()
    def the_pages_reading_agrees_with_the_model(self):
        # What pages read: the Membership rows where nothing takes effect after the day,
        # else only the decisions in effect by the day.
        if not self.ccgs:
            return
        for known_at in [None, self.clock.date()]:
            for on in DAYS[1::4]:
                for state in membership_as_at(on, known_at, self.commissioner):
                    if state.ccg in self.ccgs:
                        got = (state.status, state.since, state.expected_decision)
                        want = reference(self.entries, state.ccg, on, known_at)
                        assert got == want, (state.ccg, on, known_at)

    @invariant()
    def the_ccg_pages_latest_decisions_are_the_end_of_the_log_in_order(self):
        for ccg in self.ccgs:
            decisions = Decision.objects.filter(ccg=ccg).exclude(outcome="considering")
            ordered = [d.pk for d in in_order(decisions)]
            for latest in (1, 3, 50):
                shown, total = latest_in_order(decisions, latest)
                assert ([d.pk for d in shown], total) == (ordered[-latest:], len(ordered))

    @invariant()
    def the_charts_changes_are_the_state_on_each_day(self):
        for log in decision_logs(ccgs=self.ccgs).values():
            days = sorted({decision.in_effect_from for decision in log})
            assert changes(log) == [(day, state_on(log, day)) for day in days]

    def teardown(self):
        """The API and the dashboard read through the selector the invariants check at every
        step, so one reading of each history's end shows they agree; rendering the dashboard
        after every step would triple the test's time for no more certainty."""
        if not self.ccgs:
            return
        on, known_at = DAYS[len(self.entries) % len(DAYS)], self.clock.date()
        for day in (on, DAYS[-1]):
            params = {"as_at": day.isoformat(), "known_at": known_at.isoformat()}
            api = self.reader.get("/api/membership/", params).json()["members"]
            api = {member["ccg"]: member["status"] for member in api}
            dashboard = self.reader.get("/", params).context["groups"]
            shown = {s.ccg.pk: s.status for group in dashboard for s in group.states}
            for ccg in self.ccgs:
                expected = reference(self.entries, ccg, day, known_at)[0]
                assert api[ccg.name] == expected, (day, known_at)
                assert shown[ccg.pk] == expected, (day, known_at)

    @invariant()
    def the_membership_row_is_the_record_now(self):
        for ccg in self.ccgs:
            membership = Membership.objects.get(ccg=ccg)
            status, since, expected = reference(self.entries, ccg, datetime.date(2100, 12, 31))
            assert (membership.status, membership.since) == (status, since)
            assert membership.expected_decision == expected


def test_every_reading_of_any_history_of_decisions_agrees_with_the_reference_model(kent_medway):
    run_state_machine_as_test(
        Record,
        settings=settings(
            max_examples=12,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,  # a fixed budget of the same examples in CI every time
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
