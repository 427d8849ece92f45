"""The one derivation of a CCG's membership at a point in time, from its decision log.

Every page, the API and the exports answer "in effect on D, as recorded on K"
through here, and the services keep the ``Membership`` row (the record now) in
step with it. The rules:

- Only decisions the record held at K count, less those corrected or withdrawn by
  then (``Decision.objects.current(K)``); a "noted" decision moves no status.
- A decision holds from ``in_effect_from``: the date it took effect, else its
  meeting, else "by" the date of its evidence. It is in effect on D once that day
  has come; a date known only as "by" a day is in effect from that day.
- Of the decisions in effect, the one that took effect last gives the status;
  among the same day, the one recorded last. A decision known only "by" a day
  took effect no later than any decision recorded after it, so it is placed
  before one of those that took effect earlier (a late "agreed on 26 April" comes
  after an earlier-recorded "deferred, by 27 April").
- The status holds "since" the first decision of the unbroken run of that status.
"""

import datetime
from dataclasses import dataclass

from .models import Decision, OrderedInALog


@dataclass(frozen=True, slots=True)
class LoggedDecision(OrderedInALog):
    """A decision as a log holds it: what orders it and dates its status, and no more.

    A national record's logs hold thousands of decisions; a page completes only the few
    in effect (``decisions.selectors.member_states``). It reads as a ``Decision`` here.
    """

    pk: int
    ccg_id: int
    outcome: str
    in_effect_from: datetime.date
    in_effect_from_precision: str
    recorded_at: datetime.datetime

    FIELDS = ("pk", "ccg_id", "outcome", "in_effect_from", "in_effect_from_precision",
              "recorded_at")  # fmt: skip


@dataclass
class LogState:
    """What a CCG's decision log says on a day: the decision in effect and where its run began."""

    decision: Decision | LoggedDecision | None  # the one that gives the status
    first: Decision | LoggedDecision | None  # the first of the unbroken run of that status

    @property
    def status(self):
        return self.decision.new_status if self.decision else None


def in_order(decisions):
    """A CCG's status-moving decisions in the order they took effect (see the module's rules)."""
    by_recording = sorted(decisions, key=lambda d: (d.recorded_at, d.pk))
    position = {}
    earliest_later = None
    for decision in reversed(by_recording):
        day = decision.in_effect_from
        if decision.known_only_by and earliest_later is not None:
            day = min(day, earliest_later)
        position[decision.pk] = day
        if earliest_later is None or decision.in_effect_from < earliest_later:
            earliest_later = decision.in_effect_from
    return sorted(by_recording, key=lambda d: (position[d.pk], d.recorded_at, d.pk))


def state_on(ordered, on: datetime.date) -> LogState:
    """The state on ``on`` of a log already put ``in_order``."""
    in_effect = [decision for decision in ordered if decision.in_effect_from <= on]
    if not in_effect:
        return LogState(None, None)
    last = first = in_effect[-1]
    for decision in reversed(in_effect):
        if decision.new_status != last.new_status:
            break
        first = decision
    return LogState(last, first)


def changes(ordered):
    """[(day, LogState)] each day the state may change, in order: the chart's segments.

    The same as ``state_on`` for each of those days, in one pass rather than one per day
    (a CCG with thousands of decisions): decisions come into effect in the order of their
    days, and the one in effect is the latest, in ``ordered``, of those that have.
    """
    rank = {decision.pk: index for index, decision in enumerate(ordered)}
    by_day = sorted(ordered, key=lambda decision: decision.in_effect_from)
    result = []
    latest = -1
    index = 0
    while index < len(by_day):
        day = by_day[index].in_effect_from
        while index < len(by_day) and by_day[index].in_effect_from == day:
            latest = max(latest, rank[by_day[index].pk])
            index += 1
        last = first = ordered[latest]
        # Back from the latest by index: a slice a day would copy the log once per day.
        for position in range(latest - 1, -1, -1):
            decision = ordered[position]
            if decision.in_effect_from > day:  # not yet in effect on that day
                continue
            if decision.new_status != last.new_status:
                break
            first = decision
        result.append((day, LogState(last, first)))
    return result
