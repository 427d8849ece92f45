"""export_record: one arrangement's record written back as a record file.

What belongs to an arrangement: the arrangement itself, its member CCGs and their locality
groups, its decisions, posts (and their assignments and people), functions, meetings,
claims and conflicts, the sources its timeline holds, and the people no other
arrangement's file brought in; plus every source that what is written cites, so the file
stands on its own.

Facts come from the rows and from their audit history: an event's ``recorded`` and
``reason`` are those of the history row that recorded it, its ``sources`` those that row
cites, in the order cited. The file's shorthand that the record does not keep is made
again: a source added in the browser has no key (it is written as ``source-<id>``), and a
claim's id is ``<its source's key>-<n>``.
"""

import re

import tomli_w
from django.utils import timezone

from ccgs.models import Commissioner, LocalityGroup
from decisions.models import Decision, Withdrawal
from decisions.selectors import arrangement_ccgs
from records.models import Claim, Conflict, EventKind, Source, TimelineEvent
from records.selectors import sources_of
from roles.models import Assignment, CommissioningFunction, Person, Post, PostKind
from scrutiny.models import ScrutinyMeeting

from .importer import ODS_CODE_SOURCE

HEADER = """\
# The record of {name}, written by `python manage.py export_record`.
# A record file (docs/record-format.md): load it with `python manage.py import_record FILE`.
# A precision left out is "day"; a month is written as its last day.

"""
TITLES = re.compile(r"“([^”]*)”")


def _recorded(moment):
    """UK local time, to the second; to the microsecond where the moment has them (a change
    made in the browser), so that two made in the same second keep their order."""
    return timezone.localtime(moment).replace(tzinfo=None).isoformat()


def _dated(row, out, name, precision_name=None, always=False):
    """``name`` (ISO) and, where it is not "day" (or ``always``), its precision."""
    day = getattr(row, name)
    if day is None:
        return
    out[name] = day.isoformat()
    precision = getattr(row, precision_name or f"{name}_precision")
    if always or precision != "day":
        out[precision_name or f"{name}_precision"] = precision


def _first_row(obj):
    return obj.history.order_by("history_date", "history_id").select_related("history_user")[0]


def _put(out, key, value, default=""):
    if value != default:
        out[key] = value


class Exporter:
    def __init__(self, commissioner):
        self.commissioner = commissioner
        first = _first_row(commissioner)
        self.user = first.history_user
        self.first_reason = first.history_change_reason or ""
        # Another arrangement's file: the user its import made, who cannot sign in (the people
        # it brought in are its own). An arrangement an admin added is not a file's.
        others = set()
        for other in Commissioner.objects.exclude(pk=commissioner.pk):
            user = _first_row(other).history_user
            if user is not None and user != self.user and not user.is_active:
                others.add(user.pk)
        self.others = others
        self.source_keys = {}

    def ours(self, model):
        """The rows of ``model`` that are this arrangement's: its own (a post, a function, a
        meeting, a claim, a conflict), an assignment to one of its posts, a source on its
        timeline; and the people no other arrangement's file brought into the record."""
        rows = model.objects.all()
        if model is Assignment:
            rows = rows.filter(post__commissioner=self.commissioner)
        elif model is Source:
            rows = sources_of(self.commissioner)
        elif model is Person:
            history = model.history.model
            theirs = history.objects.filter(history_type="+", history_user__in=self.others)
            rows = rows.exclude(pk__in=theirs.values("id"))
        else:
            rows = rows.filter(commissioner=self.commissioner)
        return rows.order_by("pk")

    def credit(self, out, user):
        """``recorded_by``: who recorded the event, where it was not the file (a decision
        recorded in the browser is its recorder's, not the importer's)."""
        if user is not None and user != self.user:
            out["recorded_by"] = user.get_username()

    def key(self, source):
        return self.source_keys.setdefault(source.pk, source.key or f"source-{source.pk}")

    def keys_of(self, cited):
        """Keys of the sources a history row cites ([{id, title}]), in the order cited."""
        sources = Source.objects.in_bulk([item["id"] for item in cited])
        return [self.key(sources[item["id"]]) for item in cited if item["id"] in sources]

    def keys_named(self, reason):
        """Keys of the sources a reason names by title (“…”), for rows that keep no sources."""
        keys = []
        for title in TITLES.findall(reason.partition(", from ")[2]):
            source = Source.objects.filter(title=title).order_by("pk").first()
            if source is not None:
                keys.append(self.key(source))
        return keys

    def run(self):
        members = list(arrangement_ccgs(self.commissioner).order_by("pk"))
        body = {
            "commissioner": self.commissioner_table(),
            "localities": self.localities(members),
            "ccgs": [self.ccg(ccg) for ccg in members],
        }
        people, posts, events = self.people_posts_and_events(members)
        body["people"] = people
        body["posts"] = posts
        body["events"] = events
        body["claims"], body["conflicts"] = self.claims_and_conflicts()
        head = {
            "importer": {
                "username": self.user.username,
                "first_name": self.user.first_name,
                "last_name": self.user.last_name,
                "reason": self.first_reason.partition(", from ")[0],
            },
            "sources": self.sources(),
        }
        return {**head, **{name: rows for name, rows in body.items() if rows}}

    def commissioner_table(self):
        c = self.commissioner
        out = {"name": c.name, "form": c.form}
        _dated(c, out, "shadow_from", always=True)
        out["sources"] = self.keys_named(self.first_reason)
        out["description"] = c.description
        return out

    def localities(self, members):
        ids = {ccg.locality_group_id for ccg in members if ccg.locality_group_id}
        rows = []
        for group in LocalityGroup.objects.filter(pk__in=ids).order_by("pk"):
            reason = _first_row(group).history_change_reason or ""
            rows.append(
                {"name": group.name, "slug": group.slug, "sources": self.keys_named(reason)}
            )
        return rows

    def ccg(self, ccg):
        out = {"name": ccg.name, "slug": ccg.slug}
        _put(out, "ods_code", ccg.ods_code)
        if ccg.ods_code:
            _put(out, "ods_code_source", ccg.ods_code_source, ODS_CODE_SOURCE)
        if ccg.locality_group:
            out["locality"] = ccg.locality_group.slug
        _put(out, "locality_note", ccg.locality_note)
        out["sources"] = self.keys_named(_first_row(ccg).history_change_reason or "")
        return out

    def people_posts_and_events(self, members):
        events = [self.memberships_start()]
        decisions = Decision.objects.filter(commissioner=self.commissioner)
        decisions = decisions.select_related("ccg", "recorded_by").order_by("recorded_at", "pk")
        decisions = list(decisions)
        withdrawals = Withdrawal.objects.filter(decision__commissioner=self.commissioner)
        # A decision a correction or a withdrawal names gets an id: its place in the list.
        named = {d.corrects_id for d in decisions} | {w.decision_id for w in withdrawals}
        self.decision_ids = {
            d.pk: f"decision-{number}"
            for number, d in enumerate(decisions, start=1)
            if d.pk in named
        }
        events += [self.decision(decision) for decision in decisions]
        withdrawals = withdrawals.select_related("recorded_by").order_by("recorded_at", "pk")
        events += [self.withdrawal(w) for w in withdrawals]
        assignments = list(self.ours(Assignment).select_related("person", "post"))
        for assignment in assignments:
            events += self.assignment(assignment)
        for function in self.ours(CommissioningFunction):
            events += self.function(function)
        events += [self.meeting(meeting) for meeting in self.ours(ScrutinyMeeting)]
        events = [event for _, event in sorted(events, key=lambda pair: pair[0])]

        named = {a.person_id for a in assignments}
        people = Person.objects.filter(pk__in=named) | self.ours(Person)
        posts = {a.post_id for a in assignments}
        posts = (Post.objects.filter(pk__in=posts) | self.ours(Post)).exclude(
            kind=PostKind.CCG_ACCOUNTABLE_OFFICER
        )
        return (
            [{"name": person.name} for person in people.order_by("pk").distinct()],
            [self.post(post) for post in posts.select_related("locality_group").order_by("pk")],
            events,
        )

    def post(self, post):
        out = {"title": post.title, "kind": post.kind}
        if post.locality_group:
            out["locality"] = post.locality_group.slug
        _put(out, "seats", post.seats, 1)
        _put(out, "proposed", post.proposed, False)
        _put(out, "note", post.note)
        latest = post.history.order_by("-history_date", "-history_id")[0]
        out["sources"] = self.keys_of(latest.cited_sources)
        return out

    def memberships_start(self):
        rows = [_first_row(m) for m in self.commissioner.memberships.order_by("pk")]
        first = min(rows, key=lambda row: (row.history_date, row.history_id))
        event = {
            "recorded": _recorded(first.history_date),
            "type": "memberships_start",
            "reason": first.history_change_reason,
        }
        self.credit(event, first.history_user)
        return (first.history_date, 0, 0), event

    def decision(self, decision):
        out = {"recorded": _recorded(decision.recorded_at), "type": "decision"}
        if decision.pk in self.decision_ids:
            out["id"] = self.decision_ids[decision.pk]
        if decision.corrects_id:
            out["corrects"] = self.decision_ids[decision.corrects_id]
        if decision.ccg:
            out["ccg"] = decision.ccg.slug
        out["body"] = decision.body
        _dated(decision, out, "meeting_date")
        out["outcome"] = decision.outcome
        _dated(decision, out, "effective_date")
        _dated(decision, out, "expected_date")
        if decision.review_by and decision.review_by != decision.expected_date:
            out["review_by"] = decision.review_by.isoformat()
        out["sources"] = self.keys_of(_first_row(decision).cited_sources)
        out["summary"] = decision.summary
        _put(out, "data_entry_note", decision.data_entry_note)
        out["reason"] = decision.reason
        self.credit(out, decision.recorded_by)
        return (decision.recorded_at, 1, decision.pk), out

    def withdrawal(self, withdrawal):
        out = {
            "recorded": _recorded(withdrawal.recorded_at),
            "type": "withdrawal",
            "decision": self.decision_ids[withdrawal.decision_id],
            "reason": withdrawal.reason,
        }
        self.credit(out, withdrawal.recorded_by)
        return (withdrawal.recorded_at, 1, withdrawal.decision_id), out

    def assignment(self, assignment):
        rows = assignment.history.select_related("history_user")
        rows = list(rows.order_by("history_date", "history_id"))
        first = rows[0]
        out = {
            "recorded": _recorded(first.history_date),
            "type": "assignment",
            "person": assignment.person.name,
            "post": assignment.post.title,
        }
        _dated(first, out, "start")
        _dated(first, out, "end")
        _put(out, "transitional", first.transitional, False)
        out["sources"] = self.keys_of(first.cited_sources)
        _put(out, "note", first.note)
        out["reason"] = first.history_change_reason
        self.credit(out, first.history_user)
        events = [((first.history_date, 2, assignment.pk), out)]
        ended = next((row for row in rows[1:] if row.end is not None), None)
        if first.end is None and ended is not None:
            end = {
                "recorded": _recorded(ended.history_date),
                "type": "assignment_end",
                "person": assignment.person.name,
                "post": assignment.post.title,
            }
            _dated(ended, end, "end")
            line = TimelineEvent.objects.about(assignment).filter(kind=EventKind.ASSIGNMENT_END)
            end["sources"] = [self.key(s) for s in line[0].sources.order_by("pk")] if line else []
            end["reason"] = ended.history_change_reason
            self.credit(end, ended.history_user)
            events.append(((ended.history_date, 2, assignment.pk), end))
        return events

    def function(self, function):
        events = []
        rows = function.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
        for number, row in enumerate(rows):
            out = {
                "recorded": _recorded(row.history_date),
                "type": "function" if number == 0 else "function_move",
                "name": row.name,
                "level": row.level,
            }
            _dated(row, out, "since")
            out["placed_by"] = row.placed_by
            out["sources"] = self.keys_of(row.cited_sources)
            out["reason"] = row.history_change_reason
            self.credit(out, row.history_user)
            events.append(((row.history_date, 3, function.pk), out))
        return events

    def meeting(self, meeting):
        first = _first_row(meeting)
        out = {
            "recorded": _recorded(first.history_date),
            "type": "meeting",
            "committee": first.committee,
            "date": first.date.isoformat(),
        }
        if first.starts_at:
            out["starts_at"] = first.starts_at.isoformat()
        if first.ends_at:
            out["ends_at"] = first.ends_at.isoformat()
        _put(out, "location", first.location)
        out["cancelled"] = first.cancelled
        out["item"] = first.item
        _put(out, "outcome", first.outcome)
        out["sources"] = self.keys_of(first.cited_sources)
        out["reason"] = first.history_change_reason
        self.credit(out, first.history_user)
        return (first.history_date, 4, meeting.pk), out

    def claims_and_conflicts(self):
        claims, ids, counts = [], {}, {}
        for claim in self.ours(Claim).select_related("source", "ccg"):
            key = self.key(claim.source)
            counts[key] = counts.get(key, 0) + 1
            ids[claim.pk] = f"{key}-{counts[key]}"
            out = {"id": ids[claim.pk], "kind": claim.kind, "source": key}
            if claim.ccg:
                out["ccg"] = claim.ccg.slug
            _put(out, "person", claim.person_name)
            _put(out, "said_by", claim.said_by)
            _put(out, "headline", claim.headline)
            out["quote"] = claim.quote
            _dated(claim, out, "date")
            _put(out, "order", claim.order, 0)
            out["recorded"] = _recorded(_first_row(claim).history_date)
            claims.append(out)
        conflicts = []
        for conflict in self.ours(Conflict).select_related("ccg"):
            out = {}
            if conflict.ccg:
                out["ccg"] = conflict.ccg.slug
            _put(out, "person", conflict.person_name)
            out["claims"] = [ids[c.pk] for c in conflict.claims.order_by("pk") if c.pk in ids]
            out["summary"] = conflict.summary
            out["recorded"] = _recorded(conflict.recorded_at)
            conflicts.append(out)
        return claims, conflicts

    def sources(self):
        """Every source of this arrangement's, and every source what is written cites."""
        cited = set(self.source_keys)
        rows = Source.objects.filter(pk__in=cited) | self.ours(Source)
        out = []
        for source in rows.order_by("pk").distinct():
            row = {"key": self.key(source), "title": source.title}
            _put(row, "title_supplied", source.title_supplied, False)
            row["publisher"] = source.publisher
            _dated(source, row, "published", always=True)
            _put(row, "published_note", source.published_note)
            _put(row, "url", source.url)
            _put(row, "url_description", source.url_description)
            _put(row, "note", source.note)
            row["quote"] = source.quote
            out.append(row)
        return out


def export_record(commissioner):
    """The arrangement's record as a record file's tables."""
    return Exporter(commissioner).run()


def dumps(commissioner):
    """The arrangement's record as a record file's text: the same record gives the same bytes."""
    return HEADER.format(name=commissioner.name) + tomli_w.dumps(export_record(commissioner))
