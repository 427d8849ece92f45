"""import_record: one arrangement's record from a TOML file, through every app's services.

The file is checked whole first (interchange.validation); only a file with no problem is
loaded, inside one transaction. Facts go in in the order the record learnt of them
(``recorded``), so the audit history and the timeline read as they happened.
"""

import datetime
import tomllib
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccgs.models import CCG, Commissioner, LocalityGroup
from decisions import services as decision_services
from records.history import save_with_history
from records.models import Source
from records.services import claim_add, conflict_record, source_create
from roles import services as role_services
from roles.models import Assignment, CommissioningFunction, Person, Post, PostKind
from scrutiny.services import scrutiny_meeting_record

from .validation import ccg_ao_title, file_problems, record_problems

# What a CCG's ODS code is taken from when the file does not say.
ODS_CODE_SOURCE = "NHS ODS code (public listing)"


class RecordProblems(Exception):
    """The file cannot be loaded; ``problems`` lists every reason, each with its path."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Imported:
    loaded: bool
    commissioner: Commissioner
    data: dict  # the file's tables, as the schema reads them


def read(text):
    """The file's tables; a file that is not TOML is one problem, with its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RecordProblems([f"the file is not valid TOML: {error}"]) from error


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def _recorded(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def named_user(username, first_name="", last_name=""):
    """The user of that name the history rows name; one the record does not hold yet is made
    so that it cannot sign in (a file's importer, or someone a file says recorded an event)."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def importer_user(spec):
    """The user the file's history rows name: the file, not a person, so it cannot sign in."""
    return named_user(spec["username"], spec["first_name"], spec["last_name"])


class Importer:
    def __init__(self, data):
        self.data = data
        self.user = importer_user(data["importer"])
        self.by = self.user  # who recorded the event being loaded
        self.recorders = {}
        self.prefix = data["importer"]["reason"]
        self.sources = {}
        self.decisions = {}

    def cite(self, keys):
        return [self.sources[key] for key in keys]

    def titles(self, keys):
        """The sources as a reader cites them, by title: the keys are the file's shorthand."""
        titles = {spec["key"]: spec["title"] for spec in self.data["sources"]}
        return "; ".join(f"“{titles[key]}”" for key in keys)

    def run(self):
        first_recorded = _recorded(self.data["events"][0]["recorded"])
        # The arrangement first: everything the file holds is part of its record.
        self.arrangement(first_recorded)
        self.add_sources()
        self.organisations(first_recorded)
        for index, event in enumerate(self.data["events"]):
            self.by = self.recorder(event)
            try:
                getattr(self, f"event_{event['type']}")(event, _recorded(event["recorded"]))
            except ValidationError as error:
                raise RecordProblems(_problems(f"events[{index}]", error)) from error
        self.claims_and_conflicts()
        return self.commissioner

    def recorder(self, event):
        """Who recorded ``event``: the file, or the user it names (``recorded_by``), a user
        made for the purpose, who cannot sign in, where the record holds none of that name."""
        username = event.get("recorded_by")
        if not username:
            return self.user
        if username not in self.recorders:
            self.recorders[username] = named_user(username)
        return self.recorders[username]

    def add_sources(self):
        first_cited = {}
        for event in self.data["events"]:
            for key in event.get("sources", []):
                first_cited.setdefault(key, _recorded(event["recorded"]))
        count = len(self.data["sources"])
        # A source the record holds already (with the same facts: the validation checks) is
        # cited as it is, e.g. a 2018 paper in another arrangement's exported file.
        held = Source.objects.in_bulk(
            [spec["key"] for spec in self.data["sources"]], field_name="key"
        )
        for position, spec in enumerate(self.data["sources"]):
            if spec["key"] in held:
                self.sources[spec["key"]] = held[spec["key"]]
                continue
            # A dated source enters the record when published; one the record can date only
            # "by" a day enters when first cited (the 2018 trade-press article of 5 March 10:30).
            published = _recorded(spec["published"] + "T08:00:00")
            cited_at = first_cited.get(spec["key"], published)
            vague = spec["published_precision"] != "day"
            recorded_at = cited_at if vague else min(published, cited_at)
            try:
                self.sources[spec["key"]] = source_create(
                    key=spec["key"],
                    title=spec["title"],
                    publisher=spec["publisher"],
                    published=_date(spec["published"]),
                    published_precision=spec["published_precision"],
                    published_note=spec.get("published_note", ""),
                    url=spec.get("url", ""),
                    url_description=spec.get("url_description", ""),
                    title_supplied=spec.get("title_supplied", False),
                    note=spec.get("note", ""),
                    quote=spec["quote"],
                    user=self.user,
                    commissioner=self.commissioner,
                    reason="Source document added to the record",
                    recorded_at=recorded_at - datetime.timedelta(minutes=count - position),
                )
            except ValidationError as error:
                raise RecordProblems(_problems(f"sources[{position}]", error)) from error

    def arrangement(self, recorded_at):
        spec = self.data["commissioner"]
        self.commissioner = self._create(
            Commissioner(
                name=spec["name"],
                form=spec["form"],
                shadow_from=_date(spec.get("shadow_from")),
                shadow_from_precision=spec.get("shadow_from_precision", "day"),
                description=spec["description"],
            ),
            recorded_at,
            self.titles(spec["sources"]),
        )

    def organisations(self, recorded_at):
        localities = {}
        for order, spec in enumerate(self.data["localities"]):
            # A locality group already in the record (same slug, same name) is the same group.
            localities[spec["slug"]] = LocalityGroup.objects.filter(
                slug=spec["slug"]
            ).first() or self._create(
                LocalityGroup(name=spec["name"], slug=spec["slug"], order=order),
                recorded_at,
                self.titles(spec["sources"]),
            )
        self.ccgs = {}
        for spec in self.data["ccgs"]:
            ccg = CCG.objects.filter(slug=spec["slug"]).first()
            if ccg is None:
                ccg = CCG(
                    name=spec["name"],
                    slug=spec["slug"],
                    ods_code=spec.get("ods_code", ""),
                    ods_code_source=spec.get("ods_code_source", ODS_CODE_SOURCE)
                    if spec.get("ods_code")
                    else "",
                    locality_group=localities.get(spec.get("locality")),
                    locality_note=spec.get("locality_note", ""),
                )
                cited = self.titles(spec["sources"])
                if ccg.ods_code:
                    cited += "; the ODS code from a public listing"
                self._create(ccg, recorded_at, cited)
            self.ccgs[spec["slug"]] = ccg
        for spec in self.data.get("people", []):
            if not Person.objects.filter(name=spec["name"]).exists():
                self._create(Person(name=spec["name"]), recorded_at, "the documents that name them")
        for order, spec in enumerate(self.data.get("posts", [])):
            post = Post(
                commissioner=self.commissioner,
                title=spec["title"],
                kind=spec["kind"],
                locality_group=localities.get(spec.get("locality")),
                seats=spec.get("seats", 1),
                proposed=spec.get("proposed", False),
                note=spec.get("note", ""),
                order=order,
            )
            self._create(
                post, recorded_at, self.titles(spec["sources"]), cites=self.cite(spec["sources"])
            )
        # Every CCG has an accountable officer, in each arrangement's record its own post.
        for order, ccg in enumerate(self.ccgs.values(), start=100):
            post = Post(
                commissioner=self.commissioner,
                title=ccg_ao_title(ccg.name),
                kind=PostKind.CCG_ACCOUNTABLE_OFFICER,
                ccg=ccg,
                order=order,
            )
            self._create(post, recorded_at, "a statutory post of every CCG")

    def _create(self, obj, recorded_at, cited, **cites):
        obj.full_clean()
        save_with_history(
            obj,
            user=self.user,
            reason=f"{self.prefix}, from {cited}",
            recorded_at=recorded_at,
            **cites,
        )
        return obj

    def claims_and_conflicts(self):
        """What the sources say in their own words, and where they disagree."""
        claims = {}
        for index, spec in enumerate(self.data.get("claims", [])):
            try:
                claims[spec["id"]] = claim_add(
                    commissioner=self.commissioner,
                    kind=spec["kind"],
                    source=self.sources[spec["source"]],
                    quote=spec["quote"],
                    said_by=spec.get("said_by", ""),
                    headline=spec.get("headline", ""),
                    date=_date(spec.get("date")),
                    date_precision=spec.get("date_precision", "day"),
                    ccg=self.ccgs[spec["ccg"]] if "ccg" in spec else None,
                    person_name=spec.get("person", ""),
                    order=spec.get("order", 0),
                    user=self.user,
                    reason=f"In the words of {self.titles([spec['source']])}",
                    recorded_at=_recorded(spec["recorded"]),
                )
            except ValidationError as error:
                raise RecordProblems(_problems(f"claims[{index}]", error)) from error
        for spec in self.data.get("conflicts", []):
            conflict_record(
                summary=spec["summary"],
                claims=[claims[key] for key in spec["claims"]],
                ccg=self.ccgs[spec["ccg"]] if "ccg" in spec else None,
                person_name=spec.get("person", ""),
                user=self.user,
                reason="The sources disagree; both are shown",
                recorded_at=_recorded(spec["recorded"]),
            )

    def event_memberships_start(self, event, recorded_at):
        """Every CCG of the file enters the arrangement with no status: no source gives one yet."""
        for offset, ccg in enumerate(self.ccgs.values()):
            decision_services.membership_add(
                ccg=ccg,
                commissioner=self.commissioner,
                user=self.by,
                reason=event["reason"],
                recorded_at=recorded_at + datetime.timedelta(seconds=offset),
            )

    def event_decision(self, event, recorded_at):
        if "corrects" in event:
            # A correction: a new decision replaces the one named; that one is kept, marked.
            record = partial(
                decision_services.decision_correct, decision=self.decisions[event["corrects"]]
            )
        else:
            record = partial(
                decision_services.decision_record,
                ccg=self.ccgs[event["ccg"]] if "ccg" in event else None,
                commissioner=self.commissioner,
            )
        decision = record(
            body=event["body"],
            outcome=event["outcome"],
            summary=event["summary"],
            data_entry_note=event.get("data_entry_note", ""),
            meeting_date=_date(event.get("meeting_date")),
            meeting_date_precision=event.get("meeting_date_precision", "day"),
            effective_date=_date(event.get("effective_date")),
            effective_date_precision=event.get("effective_date_precision", "day"),
            expected_date=_date(event.get("expected_date")),
            expected_date_precision=event.get("expected_date_precision", "day"),
            review_by=_date(event.get("review_by")),
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.by,
            recorded_at=recorded_at,
        )
        if "id" in event:
            self.decisions[event["id"]] = decision

    def event_withdrawal(self, event, recorded_at):
        decision_services.decision_withdraw(
            decision=self.decisions[event["decision"]],
            reason=event["reason"],
            user=self.by,
            recorded_at=recorded_at,
        )

    def _function(self, event):
        return {
            "level": event["level"],
            "since": _date(event["since"]),
            "since_precision": event.get("since_precision", "day"),
            "placed_by": event["placed_by"],
            "sources": self.cite(event["sources"]),
            "reason": event["reason"],
            "user": self.by,
        }

    def event_function(self, event, recorded_at):
        role_services.function_place(
            commissioner=self.commissioner,
            name=event["name"],
            recorded_at=recorded_at,
            **self._function(event),
        )

    def event_function_move(self, event, recorded_at):
        role_services.function_move(
            function=CommissioningFunction.objects.get(
                commissioner=self.commissioner, name=event["name"]
            ),
            recorded_at=recorded_at,
            **self._function(event),
        )

    def event_assignment(self, event, recorded_at):
        role_services.assignment_start(
            person=Person.objects.get(name=event["person"]),
            post=Post.objects.get(commissioner=self.commissioner, title=event["post"]),
            start=_date(event.get("start")),
            start_precision=event.get("start_precision", "day"),
            end=_date(event.get("end")),
            end_precision=event.get("end_precision", "day"),
            transitional=event.get("transitional", False),
            note=event.get("note", ""),
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.by,
            recorded_at=recorded_at,
        )

    def event_assignment_end(self, event, recorded_at):
        role_services.assignment_end(
            assignment=Assignment.objects.get(
                person__name=event["person"],
                post__commissioner=self.commissioner,
                post__title=event["post"],
                end__isnull=True,
            ),
            end=_date(event["end"]),
            end_precision=event.get("end_precision", "day"),
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.by,
            recorded_at=recorded_at,
        )

    def event_meeting(self, event, recorded_at):
        scrutiny_meeting_record(
            commissioner=self.commissioner,
            committee=event["committee"],
            date=_date(event["date"]),
            starts_at=_time(event.get("starts_at")),
            ends_at=_time(event.get("ends_at")),
            location=event.get("location", ""),
            cancelled=event["cancelled"],
            item=event["item"],
            outcome=event.get("outcome", ""),
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.by,
            recorded_at=recorded_at,
        )


def _problems(path, error):
    """A service's refusal, as problems with the file's path."""
    if hasattr(error, "message_dict"):
        return [
            f"{path}: {message}" if field == "__all__" else f"{path}: {field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [f"{path}: {message}" for message in error.messages]


def _plain(value):
    """TOML's own dates and times as the ISO text the schema reads (the file may write either)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def import_record(text):
    """Load a record file's text; nothing is written unless the whole file is sound.

    Returns ``Imported(loaded=False)`` and changes nothing when the file's arrangement is
    already in the record (the file was loaded before). Raises ``RecordProblems`` listing
    every problem, each with its path, when it cannot be loaded.
    """
    data = _plain(read(text))
    problems = file_problems(data)
    if problems:
        raise RecordProblems(problems)
    with transaction.atomic():
        existing = Commissioner.objects.filter(name=data["commissioner"]["name"]).first()
        if existing is not None:
            return Imported(loaded=False, commissioner=existing, data=data)
        problems = record_problems(data)
        if problems:
            raise RecordProblems(problems)
        return Imported(loaded=True, commissioner=Importer(data).run(), data=data)


def import_record_file(path):
    return import_record(Path(path).read_text(encoding="utf-8"))
