"""Load the 2018 Kent and Medway story from demo/data/, through every app's services."""

import datetime
import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ccgs.models import CCG, Commissioner, LocalityGroup
from decisions import services as decision_services
from records.history import save_with_history
from records.models import Source
from records.services import claim_add, conflict_record, source_create
from roles import services as role_services
from roles.models import Assignment, Person, Post, PostKind
from scrutiny.services import scrutiny_meeting_record

DATA_FILE = Path(__file__).resolve().parent / "data" / "kent_medway_2018.toml"
LOADER_USERNAME = "demo-data"


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def _time(value):
    """A TOML local time (10:00:00) or its text; none where the sources give none."""
    if value is None or isinstance(value, datetime.time):
        return value
    return datetime.time.fromisoformat(value)


def _recorded(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def loader_user():
    """The user the 2018 history rows name: the demo data, not a person."""
    user, created = get_user_model().objects.get_or_create(
        username=LOADER_USERNAME,
        defaults={
            "first_name": "Demo data",
            "last_name": "(from the 2018 sources)",
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def ccg_ao_title(ccg):
    return f"Accountable officer, {ccg.name} CCG"


class Loader:
    def __init__(self, data):
        self.data = data
        self.user = loader_user()
        self.sources = {}

    def cite(self, keys):
        return [self.sources[key] for key in keys]

    def titles(self, keys):
        """The sources as a reader cites them, by title: the keys are this file's shorthand."""
        return "; ".join(f"“{self.sources[key].title}”" for key in keys)

    def run(self):
        first_recorded = _recorded(self.data["events"][0]["recorded"])
        first_cited = {}
        for event in self.data["events"]:
            for key in event.get("sources", []):
                first_cited.setdefault(key, _recorded(event["recorded"]))
        for position, spec in enumerate(self.data["sources"]):
            # A dated source enters the record when published; one the record can date only
            # "by" a day enters when first cited (000 was public by its update of 5 March 10:30).
            published = _recorded(spec["published"] + "T08:00:00")
            cited_at = first_cited.get(spec["key"], published)
            vague = spec.get("published_precision", "day") != "day"
            recorded_at = cited_at if vague else min(published, cited_at)
            self.sources[spec["key"]] = source_create(
                key=spec["key"],
                title=spec["title"],
                publisher=spec["publisher"],
                published=_date(spec.get("published")),
                published_precision=spec.get("published_precision", "day"),
                published_note=spec.get("published_note", ""),
                url=spec.get("url", ""),
                url_description=spec.get("url_description", ""),
                title_supplied=spec.get("title_supplied", False),
                note=spec.get("note", ""),
                quote=spec["quote"],
                user=self.user,
                reason="Source document added to the record",
                recorded_at=recorded_at
                - datetime.timedelta(minutes=len(self.data["sources"]) - position),
            )
        self.organisations(first_recorded)
        for event in self.data["events"]:
            getattr(self, f"event_{event['type']}")(event, _recorded(event["recorded"]))
        self.claims_and_conflicts()

    def claims_and_conflicts(self):
        """What the sources say in their own words, and where they disagree."""
        claims = {}
        for spec in self.data.get("claims", []):
            claims[spec["id"]] = claim_add(
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

    def organisations(self, recorded_at):
        spec = self.data["commissioner"]
        self.commissioner = Commissioner(
            name=spec["name"],
            form=spec["form"],
            shadow_from=_date(spec["shadow_from"]),
            shadow_from_precision=spec["shadow_from_precision"],
            description=spec["description"],
        )
        self._create(self.commissioner, recorded_at, self.titles(spec["sources"]))
        localities = {}
        for order, spec in enumerate(self.data["localities"]):
            localities[spec["slug"]] = self._create(
                LocalityGroup(name=spec["name"], slug=spec["slug"], order=order),
                recorded_at,
                self.titles(["003"]),
            )
        self.ccgs = {}
        for spec in self.data["ccgs"]:
            ccg = CCG(
                name=spec["name"],
                slug=spec["slug"],
                ods_code=spec["ods_code"],
                ods_code_source="NHS ODS code (public listing)",
                locality_group=localities[spec["locality"]],
                locality_note=spec.get("locality_note", ""),
            )
            self.ccgs[spec["slug"]] = self._create(
                ccg, recorded_at, f"{self.titles(['003'])}; the ODS code from a public listing"
            )
        for spec in self.data["people"]:
            self._create(Person(name=spec["name"]), recorded_at, "the documents that name them")
        for order, spec in enumerate(self.data["posts"]):
            post = Post(
                title=spec["title"],
                kind=spec["kind"],
                locality_group=localities.get(spec.get("locality")),
                seats=spec.get("seats", 1),
                proposed=spec.get("proposed", False),
                note=spec.get("note", ""),
                order=order,
            )
            self._create(
                post,
                recorded_at,
                self.titles(spec["sources"]),
                cites=self.cite(spec["sources"]),
            )
        for order, ccg in enumerate(self.ccgs.values(), start=100):
            post = Post(
                title=ccg_ao_title(ccg), kind=PostKind.CCG_ACCOUNTABLE_OFFICER, ccg=ccg, order=order
            )
            self._create(post, recorded_at, "a statutory post of every CCG")

    def _create(self, obj, recorded_at, cited, **cites):
        obj.full_clean()
        save_with_history(
            obj,
            user=self.user,
            reason=f"Demo data, from {cited}",
            recorded_at=recorded_at,
            **cites,
        )
        return obj

    def event_memberships_start(self, event, recorded_at):
        """Every CCG enters the record with no status: no source gives one yet."""
        for offset, ccg in enumerate(self.ccgs.values()):
            decision_services.memberships_for_new_ccg(
                ccg=ccg,
                user=self.user,
                reason=event["reason"],
                recorded_at=recorded_at + datetime.timedelta(seconds=offset),
            )

    def event_decision(self, event, recorded_at):
        decision_services.decision_record(
            ccg=self.ccgs[event["ccg"]] if "ccg" in event else None,
            commissioner=self.commissioner,
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
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.user,
            recorded_at=recorded_at,
        )

    def event_function(self, event, recorded_at):
        role_services.function_place(
            name=event["name"],
            level=event["level"],
            since=_date(event["since"]),
            since_precision=event["since_precision"],
            placed_by=event["placed_by"],
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.user,
            recorded_at=recorded_at,
        )

    def event_assignment(self, event, recorded_at):
        role_services.assignment_start(
            person=Person.objects.get(name=event["person"]),
            post=Post.objects.get(title=event["post"]),
            start=_date(event.get("start")),
            start_precision=event.get("start_precision", "day"),
            end=_date(event.get("end")),
            end_precision=event.get("end_precision", "day"),
            transitional=event.get("transitional", False),
            note=event.get("note", ""),
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.user,
            recorded_at=recorded_at,
        )

    def event_assignment_end(self, event, recorded_at):
        role_services.assignment_end(
            assignment=Assignment.objects.get(
                person__name=event["person"], post__title=event["post"], end__isnull=True
            ),
            end=_date(event["end"]),
            end_precision=event["end_precision"],
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.user,
            recorded_at=recorded_at,
        )

    def event_meeting(self, event, recorded_at):
        scrutiny_meeting_record(
            committee=event["committee"],
            date=_date(event["date"]),
            starts_at=_time(event.get("starts_at")),
            ends_at=_time(event.get("ends_at")),
            location=event.get("location", ""),
            cancelled=event["cancelled"],
            item=event["item"],
            outcome=event["outcome"],
            sources=self.cite(event["sources"]),
            reason=event["reason"],
            user=self.user,
            recorded_at=recorded_at,
        )


@transaction.atomic
def load_kent_medway_2018(path=DATA_FILE):
    """Load the story once; return False, changing nothing, if it is already there."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    if Commissioner.objects.filter(name=data["commissioner"]["name"]).exists():
        return False
    if Source.objects.filter(key__in=[s["key"] for s in data["sources"]]).exists():
        return False
    Loader(data).run()
    return True
