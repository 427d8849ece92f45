"""Every problem with a record file, each with its path, found before anything is written.

Two passes: the JSON Schema (record.schema.json) for types, required keys and known values,
then the checks that need more than one table or the record already in the database.
The second pass reads the data defensively, so a file with schema problems still gets
all of its other problems listed too.
"""

import calendar
import datetime
import json
from collections import defaultdict
from pathlib import Path

from django.utils.text import slugify
from jsonschema import Draft202012Validator

from ccgs.models import CCG, Commissioner, LocalityGroup
from records.models import Source

SCHEMA = json.loads((Path(__file__).resolve().parent / "record.schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
# Dates and their precisions: "<name>" and "<name>_precision" wherever they appear.
DATE_KEYS = (
    "published",
    "shadow_from",
    "meeting_date",
    "effective_date",
    "expected_date",
    "review_by",
    "start",
    "end",
    "since",
    "date",
)


def ccg_ao_title(name):
    """The accountable officer's post every CCG has, made when the CCG enters the record."""
    return f"Accountable officer, {name} CCG"


def where(path):
    """events[12].sources[1], from a list of keys and indexes."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


def _items(data, table):
    """(index, row) for the rows of ``table`` that are tables; the schema reports the rest."""
    rows = data.get(table) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return []
    return [(index, row) for index, row in enumerate(rows) if isinstance(row, dict)]


def _strings(value):
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# What each pattern of the schema asks for, in words: jsonschema would quote the regular
# expression. The patterns end with "(?![\\s\\S])" (the end of the text), not "$", which
# lets a final newline through ("staff\\n" would pass for a username).
PATTERN_MEANS = {
    SCHEMA["$defs"]["slug"]["pattern"]: "lower-case letters, digits, - and _ (at most 50)",
    SCHEMA["$defs"]["date"]["pattern"]: "a date written YYYY-MM-DD",
    SCHEMA["$defs"]["recorded"]["pattern"]: "a time written YYYY-MM-DDTHH:MM (or with :SS)",
    SCHEMA["$defs"]["time"]["pattern"]: "a time of day written HH:MM",
    SCHEMA["$defs"]["username"]["pattern"]: (
        "a username: letters, digits and @ . + - _ (at most 150)"
    ),
}


def _message(error):
    if error.validator != "pattern":
        return error.message
    if error.validator_value == SCHEMA["$defs"]["text"]["pattern"]:
        return "is empty; write the text out"
    means = PATTERN_MEANS.get(error.validator_value, "in the form this key takes")
    return f"{error.instance!r} is not {means}"


def schema_problems(data):
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{where(list(error.absolute_path))}: {_message(error)}" for error in errors]


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def date_problems(row, path):
    """A date that is not one, outside 1900-2100, or more precise than its precision: a month
    is written as its last day, a year as 31 December (the file's convention)."""
    problems = []
    for key in DATE_KEYS:
        text = row.get(key)
        if not isinstance(text, str):
            continue
        day = _date(text)
        if day is None:
            problems.append(f"{where([*path, key])}: {text!r} is not a date (YYYY-MM-DD)")
            continue
        if not EARLIEST <= day <= LATEST:
            problems.append(f"{where([*path, key])}: {text} is not from 1900 to 2100")
        precision = row.get(f"{key}_precision", "day")
        last = calendar.monthrange(day.year, day.month)[1]
        if precision in ("month", "by_month") and day.day != last:
            problems.append(
                f"{where([*path, key])}: {text} is more precise than its precision "
                f"{precision!r}: a month is written as its last day "
                f"({day.replace(day=last).isoformat()})"
            )
        if precision == "year" and (day.month, day.day) != (12, 31):
            problems.append(
                f"{where([*path, key])}: {text} is more precise than its precision 'year': "
                f"a year is written as 31 December ({day.year}-12-31)"
            )
    return problems


def _recorded(text):
    try:
        return datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


class Checker:
    """The checks across tables; ``problems`` collects them in the order of the file."""

    def __init__(self, data):
        self.data = data if isinstance(data, dict) else {}
        self.problems = []
        self.sources = self._keys("sources", "key")
        self.localities = self._keys("localities", "slug")
        self.ccgs = self._keys("ccgs", "slug")
        self.people = self._keys("people", "name")
        self.posts = self._keys("posts", "title")
        self.claims = self._keys("claims", "id")
        self.ccg_posts = {
            ccg_ao_title(row["name"]) for _, row in _items(self.data, "ccgs") if "name" in row
        }

    def _keys(self, table, key):
        seen = {}
        for index, row in _items(self.data, table):
            value = row.get(key)
            if not isinstance(value, str):
                continue
            if value in seen:
                self.problems.append(
                    f"{table}[{index}].{key}: {value!r} is used twice "
                    f"(first at {table}[{seen[value]}])"
                )
            seen.setdefault(value, index)
        return seen

    def known(self, path, value, names, what):
        if isinstance(value, str) and value not in names:
            self.problems.append(f"{where(path)}: unknown {what} {value!r}")

    def cited(self, row, path):
        for number, key in enumerate(row.get("sources") or []):
            self.known([*path, "sources", number], key, self.sources, "source key")

    def run(self):
        commissioner = self.data.get("commissioner")
        if isinstance(commissioner, dict):
            self.cited(commissioner, ["commissioner"])
            self.problems += date_problems(commissioner, ["commissioner"])
        for index, row in _items(self.data, "sources"):
            self.problems += date_problems(row, ["sources", index])
        for table in ("localities", "ccgs", "posts"):
            for index, row in _items(self.data, table):
                self.cited(row, [table, index])
                self.known(
                    [table, index, "locality"],
                    row.get("locality"),
                    self.localities,
                    "locality group",
                )
        self.events()
        for index, row in _items(self.data, "claims"):
            path = ["claims", index]
            self.known([*path, "source"], row.get("source"), self.sources, "source key")
            self.known([*path, "ccg"], row.get("ccg"), self.ccgs, "CCG")
            self.problems += date_problems(row, path)
            if row.get("kind") == "announced" and not (row.get("headline") and row.get("date")):
                self.problems.append(
                    f"{where(path)}: an announced event needs a headline and a date"
                )
        for index, row in _items(self.data, "conflicts"):
            path = ["conflicts", index]
            self.known([*path, "ccg"], row.get("ccg"), self.ccgs, "CCG")
            for number, claim in enumerate(_strings(row.get("claims"))):
                self.known([*path, "claims", number], claim, self.claims, "claim id")
        return self.problems

    def events(self):
        previous = None
        members = False
        functions = set()
        decisions = {}  # id -> [index, CCG, where it was corrected or withdrawn]
        terms = defaultdict(list)  # post title -> [[person, start, end, path]]
        for index, event in _items(self.data, "events"):
            path = ["events", index]
            self.cited(event, path)
            self.problems += date_problems(event, path)
            recorded = _recorded(event.get("recorded"))
            if isinstance(event.get("recorded"), str) and recorded is None:
                self.problems.append(f"{where([*path, 'recorded'])}: not a date and time")
            if recorded and previous and recorded < previous[0]:
                self.problems.append(
                    f"{where([*path, 'recorded'])}: {event['recorded']} is before the event above "
                    f"it (events[{previous[1]}]); events are listed in the order the record "
                    "learnt of them"
                )
            if recorded:
                previous = (recorded, index)
            kind = event.get("type")
            if kind == "memberships_start":
                members = True
            elif kind == "decision":
                self.known([*path, "ccg"], event.get("ccg"), self.ccgs, "CCG")
                if "ccg" in event and not members:
                    self.problems.append(
                        f"{where(path)}: a decision on a CCG comes after the memberships_start "
                        "event that enters the CCGs in the arrangement"
                    )
                if "ccg" not in event and event.get("outcome") not in (None, "noted"):
                    self.problems.append(
                        f"{where(path)}: a decision that changes membership names its CCG"
                    )
                self.replaces(decisions, event.get("corrects"), [*path, "corrects"], index)
                corrected = decisions.get(event.get("corrects"))
                if corrected and corrected[1] != event.get("ccg"):
                    self.problems.append(
                        f"{where([*path, 'ccg'])}: a correction names the CCG of the decision "
                        f"it corrects ({corrected[1]!r})"
                    )
                if isinstance(event.get("id"), str):
                    if event["id"] in decisions:
                        self.problems.append(
                            f"{where([*path, 'id'])}: {event['id']!r} is used twice "
                            f"(first at events[{decisions[event['id']][0]}])"
                        )
                    else:
                        decisions[event["id"]] = [index, event.get("ccg"), None]
            elif kind == "withdrawal":
                self.replaces(decisions, event.get("decision"), [*path, "decision"], index)
            elif kind in ("assignment", "assignment_end"):
                self.known([*path, "person"], event.get("person"), self.people, "person")
                post = event.get("post")
                if isinstance(post, str) and post not in self.posts and post not in self.ccg_posts:
                    self.problems.append(f"{where([*path, 'post'])}: unknown post {post!r}")
                self.term(terms, event, path)
            elif kind == "function":
                name = event.get("name")
                if name in functions:
                    self.problems.append(
                        f"{where([*path, 'name'])}: {name!r} is placed twice; "
                        "move it with a function_move event"
                    )
                functions.add(name)
            elif kind == "function_move" and event.get("name") not in functions:
                self.problems.append(
                    f"{where([*path, 'name'])}: {event.get('name')!r} is moved before it is placed"
                )
        self.overlaps(terms)

    def replaces(self, decisions, key, path, index):
        """A correction or withdrawal of a decision above, not already corrected or withdrawn."""
        if not isinstance(key, str):
            return
        if key not in decisions:
            self.problems.append(f"{where(path)}: unknown decision id {key!r} (above this event)")
        elif decisions[key][2] is not None:
            self.problems.append(
                f"{where(path)}: decision {key!r} was already corrected or withdrawn at "
                f"events[{decisions[key][2]}]"
            )
        else:
            decisions[key][2] = index

    def term(self, terms, event, path):
        person, post = event.get("person"), event.get("post")
        start, end = _date(event.get("start")), _date(event.get("end"))
        if event.get("type") == "assignment":
            if start and end and end < start:
                self.problems.append(f"{where([*path, 'end'])}: the end is before the start")
            terms[post].append([person, start, end, path])
            return
        open_terms = [t for t in terms[post] if t[0] == person and t[2] is None]
        if not open_terms:
            self.problems.append(
                f"{where(path)}: {person} holds no open assignment to {post!r} above this event"
            )
        else:
            open_terms[-1][2] = end

    def overlaps(self, terms):
        seats = {row.get("title"): row.get("seats", 1) for _, row in _items(self.data, "posts")}
        for post, held in terms.items():
            for number, (person, start, end, path) in enumerate(held):
                clashes = [
                    other
                    for other in held[:number]
                    if (start is None or other[2] is None or other[2] > start)
                    and (end is None or other[1] is None or other[1] < end)
                ]
                same = [other for other in clashes if other[0] == person]
                if same:
                    self.problems.append(
                        f"{where(path)}: {person}'s assignment to {post!r} overlaps their "
                        f"assignment at {where(same[0][3])}"
                    )
                elif len(clashes) >= seats.get(post, 1):
                    names = ", ".join(f"{o[0]} ({where(o[3])})" for o in clashes)
                    self.problems.append(
                        f"{where(path)}: {post!r} has {seats.get(post, 1)} seat(s), already "
                        f"held for those dates by {names}"
                    )


def file_problems(data):
    """Every problem the file has on its own: its schema, then across its tables."""
    return schema_problems(data) + Checker(data).run()


def _arrangement_name_problems(data):
    """An arrangement's address (``?arrangement=``) is made from its name: a name that makes
    none, or the address of another arrangement, would leave it unreachable."""
    name = data.get("commissioner", {}).get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        return []  # the schema says so
    slug = slugify(name)[:80]
    if not slug:
        return [
            f"commissioner.name: {name!r} gives no address for the arrangement's pages; "
            "put some letters a-z or digits in it"
        ]
    other = Commissioner.objects.filter(slug=slug).first()
    if other is not None:
        return [
            f"commissioner.name: {name!r} would have the address ‘{slug}’, which is "
            f"{other.name!r}'s; give the arrangement a name of its own"
        ]
    return []


def record_problems(data):
    """What the file says that the record already holds differently: a CCG or locality group
    with the same slug but other facts, or a source key already there. (Its posts and
    functions are its arrangement's own, so they may share titles with another's.)"""
    problems = _arrangement_name_problems(data)
    localities = {group.slug: group for group in LocalityGroup.objects.all()}
    for index, row in _items(data, "localities"):
        group = localities.get(row.get("slug"))
        if group and group.name != row.get("name"):
            problems.append(
                f"localities[{index}]: the record already has {row['slug']!r} "
                f"as {group.name!r}, not {row.get('name')!r}"
            )
    groups = {row.get("slug"): row.get("name") for _, row in _items(data, "localities")}
    for index, row in _items(data, "ccgs"):
        ccg = CCG.objects.select_related("locality_group").filter(slug=row.get("slug")).first()
        if ccg is None:
            if CCG.objects.filter(name=row.get("name")).exists():
                problems.append(
                    f"ccgs[{index}].name: the record already has a CCG named "
                    f"{row.get('name')!r} under another slug"
                )
            continue
        theirs = {
            "name": ccg.name,
            "ods_code": ccg.ods_code,
            "locality": ccg.locality_group.slug if ccg.locality_group else "",
        }
        ours = {
            "name": row.get("name"),
            "ods_code": row.get("ods_code", ""),
            "locality": row.get("locality", ""),
        }
        differs = [
            f"{key} {ours[key]!r} (the record has {theirs[key]!r})"
            for key in theirs
            if theirs[key] != ours[key]
        ]
        if differs:
            problems.append(
                f"ccgs[{index}]: {row['slug']!r} is already in the record with other facts: "
                + "; ".join(differs)
            )
        elif ours["locality"] and groups.get(ours["locality"]) != ccg.locality_group.name:
            problems.append(f"ccgs[{index}].locality: the locality group differs from the record's")
    held = Source.objects.in_bulk(
        [row.get("key") for _, row in _items(data, "sources")], field_name="key"
    )
    for index, row in _items(data, "sources"):
        source = held.get(row.get("key"))
        if source is None:
            continue
        # The same document in another arrangement's record (an export of an arrangement
        # beside 2018 carries the 2018 paper its CCGs cite): cited, not added again.
        differs = [
            f"{key} {ours!r} (the record has {theirs!r})"
            for key, ours, theirs in _source_facts(row, source)
            if ours != theirs
        ]
        if differs:
            problems.append(
                f"sources[{index}].key: {row['key']!r} is already a source in the record with "
                "other facts: " + "; ".join(differs) + "; give this file's source a key of its own"
            )
    return problems


def _source_facts(row, source):
    """(key, the file's value, the record's) for each fact of a source."""
    for key, default in (
        ("title", ""),
        ("publisher", ""),
        ("published_precision", "day"),
        ("published_note", ""),
        ("url", ""),
        ("url_description", ""),
        ("title_supplied", False),
        ("note", ""),
        ("quote", ""),
    ):
        yield key, row.get(key, default), getattr(source, key)
    published = source.published.isoformat() if source.published else None
    yield "published", row.get("published"), published
