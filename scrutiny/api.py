"""The JSON API, served and described by django-ninja; its OpenAPI description at /api/schema/.

Each operation reads its query string with the same Django form as the pages
(``PointInTimeForm``, ``TimelineFilterForm``), so a refusal keeps their words and the
status 400. The parameters are declared as plain text, for the description only, so
ninja never refuses one before the form has said why; and each answer is built as it
always was (a ``JsonResponse``, which ninja passes through unchanged). The schemas of
the answers and the examples (``api_examples``) are what ``/api/schema/`` shows;
tests/scrutiny/test_openapi.py checks every example against the live answer.
"""

from typing import Any, Literal

from django.http import JsonResponse
from django.views.decorators.http import require_GET
from ninja import Field, NinjaAPI, Query, Schema
from ninja.openapi.schema import OpenAPISchema

from ccgs.arrangements import UnknownArrangement, choose_arrangement
from decisions.selectors import membership_as_at
from records.models import EventKind
from records.points import PointInTimeForm

from . import api_examples as examples
from . import views
from .popolo import popolo_document


class Description(OpenAPISchema):
    """Ninja's description, with each parameter's named examples on the parameter only.

    Ninja 1.7 copies them into the parameter's JSON Schema too, where OpenAPI 3.1 wants
    a list, so the document would not validate (its issue #1636 is the same fault the
    other way round). Everything else is ninja's own.
    """

    def _extract_parameters(self, model):
        parameters = super()._extract_parameters(model)
        for parameter in parameters:
            parameter["schema"].pop("examples", None)
        return parameters


class JsonApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return Description(self, path_prefix)


api = JsonApi(
    title="Kent and Medway commissioning tracker",
    version="1",
    description=(
        "The record of the Kent and Medway strategic commissioner as JSON. Every endpoint "
        "answers a signed-in user only (others are sent to the sign-in page, status 302), "
        "reads only, and refuses a bad parameter with status 400 and a message in the "
        "page's words. Dates are as precise as their sources: 2018-02 is February 2018."
    ),
    urls_namespace="api",
    # The description is served by ``schema`` below, among the site's own URLs; no
    # interactive page (Swagger UI relies on inline styles, which the CSP refuses).
    openapi_url=None,
    docs_url=None,
)


# --- What the answers look like -------------------------------------------------------------

Day = Field(description="ISO 8601 at the source's precision: 2018-03-19, 2018-04 or 2018.")


class Citation(Schema):
    title: str
    publisher: str
    published: str | None = Day
    url: str | None
    url_description: str | None = Field(
        description="Where the address is not the document itself, what it leads to."
    )
    title_supplied_by_the_record: bool


class DecisionJson(Schema):
    id: int
    body: Literal["governing_body", "gp_membership", "joint_committee", "not_stated"]
    outcome: Literal["agreed", "declined", "deferred", "noted", "considering"]
    meeting_date: str | None = Day
    effective_date: str | None = Day
    expected_date: str | None = Day
    summary: str


class Member(Schema):
    ccg: str
    ods_code: str
    locality: str | None
    status: Literal["considering", "pending", "opted_out", "joined"] | None = Field(
        description="None before the record has anything on the CCG."
    )
    since: str | None = Day
    since_precision: str | None = Field(
        description="day, month, year, on_or_before (a latest day) or by_month (a latest month)."
    )
    expected_decision: str | None = Day
    decision: DecisionJson | None
    sources: list[Citation]


class MembershipAnswer(Schema):
    as_at: str
    known_at: str | None
    members: list[Member]


class Refusal(Schema):
    error: str = Field(description="Why the request was refused, in the page's words.")


class TimelineEventJson(Schema):
    id: int
    date: str = Day
    date_precision: str
    date_display: str
    kind: Literal[tuple(EventKind.values)]
    ccg: str | None
    locality: str | None
    person: str | None
    title: str
    detail: str
    recorded_at: str = Field(description="When the record learnt of it (ISO 8601, with offset).")
    sources: list[Citation]


class TimelineAnswer(Schema):
    events: list[TimelineEventJson]
    next: str | None = Field(description="The next (later) page, or null on the last.")
    previous: str | None = Field(description="The previous page, or null on the first.")


class TimelineRefusal(Schema):
    error: str
    fields: dict[str, list[str]] = Field(description="Each refused filter and why.")


def popolo_list(kind):
    return Field(
        description=f"Popolo {kind} objects: http://www.popoloproject.com/schemas/{kind}.json"
    )


class PopoloAnswer(Schema):
    as_at: str
    known_at: str | None
    organizations: list[dict[str, Any]] = popolo_list("organization")
    persons: list[dict[str, Any]] = popolo_list("person")
    posts: list[dict[str, Any]] = popolo_list("post")
    memberships: list[dict[str, Any]] = popolo_list("membership")
    motions: list[dict[str, Any]] = popolo_list("motion")
    vote_events: list[dict[str, Any]] = popolo_list("vote_event")


# --- The parameters --------------------------------------------------------------------------

IN_EFFECT = "In effect on this day (YYYY-MM-DD, 1900 to 2100); default today."
AS_RECORDED = (
    "As the record stood at the end of this day (YYYY-MM-DD), before any later "
    "corrections; default now."
)


def query(name, description):
    """A query parameter of the operation and name ``name`` ("timeline.ccg"), as text, with
    the examples that use it."""
    return Query(None, description=description, examples=examples.parameter(name))


ARRANGEMENT = (
    "The slug of the arrangement the answer is about; default: the one DEFAULT_ARRANGEMENT "
    "names, else the first the record held."
)


def _refused(dates):
    return JsonResponse({"error": " ".join(dates.messages())}, status=400)


def _arrangement(request):
    """The arrangement asked for, or the JSON refusal of one the record does not hold."""
    try:
        return choose_arrangement(request.GET), None
    except UnknownArrangement as error:
        return None, JsonResponse({"error": str(error)}, status=400)


# --- The endpoints ---------------------------------------------------------------------------


@api.get(
    "/api/membership/",
    url_name="api-membership",
    summary="Each CCG's membership at a point in time",
    response={200: MembershipAnswer, 400: Refusal},
    openapi_extra=examples.responses("membership"),
)
def membership(
    request,
    as_at: str | None = query("membership.as_at", IN_EFFECT),
    known_at: str | None = query("membership.known_at", AS_RECORDED),
    arrangement: str | None = query("membership.arrangement", ARRANGEMENT),
):
    """Each CCG's status in an arrangement, since when, the decision in effect and its
    sources."""
    chosen, refused = _arrangement(request)
    if refused:
        return refused
    dates = PointInTimeForm(request.GET)
    if not dates.is_valid():
        return _refused(dates)
    as_at, known_at = dates.as_at_day, dates.known_at_day
    states = membership_as_at(as_at, known_at, chosen.arrangement)
    return JsonResponse(
        {
            "as_at": as_at.isoformat(),
            "known_at": known_at.isoformat() if known_at else None,
            "members": [state.as_json() for state in states],
        }
    )


@api.get(
    "/api/popolo/",
    url_name="api-popolo",
    summary="The record at a point in time in the Popolo shape",
    response={200: PopoloAnswer, 400: Refusal},
    openapi_extra=examples.responses("popolo"),
)
def popolo(
    request,
    as_at: str | None = query("popolo.as_at", IN_EFFECT),
    known_at: str | None = query("popolo.known_at", AS_RECORDED),
    arrangement: str | None = query("popolo.arrangement", ARRANGEMENT),
):
    """Organizations, persons, posts, memberships, motions and vote events, each with its
    sources, as civic-data tools exchange them (popoloproject.com); the memberships of
    CCGs and the motions are the arrangement's. The choices the mapping needed are written
    out in the README ("The JSON API")."""
    chosen, refused = _arrangement(request)
    if refused:
        return refused
    dates = PointInTimeForm(request.GET)
    if not dates.is_valid():
        return _refused(dates)
    document = popolo_document(
        dates.as_at_day,
        dates.known_at_day,
        commissioner=chosen.arrangement,
        commissioners=chosen.choices,
    )
    return JsonResponse(document)


DATE_FILTER = "YYYY-MM-DD, 1900 to 2100."
KINDS = "Kinds of event, any of: " + ", ".join(EventKind.values) + "."


@api.get(
    "/api/timeline/",
    url_name="api-timeline",
    summary="The timeline's events, filtered, 50 a page",
    response={200: TimelineAnswer, 400: TimelineRefusal},
    openapi_extra=examples.responses("timeline"),
)
def timeline(
    request,
    ccg: str | None = query("timeline.ccg", "A CCG's slug, e.g. thanet."),
    locality: str | None = query("timeline.locality", "A locality group's slug, e.g. east-kent."),
    date_from: str | None = query("timeline.date_from", f"Events from this day. {DATE_FILTER}"),
    date_to: str | None = query("timeline.date_to", f"Events up to this day. {DATE_FILTER}"),
    known_at: str | None = query("timeline.known_at", AS_RECORDED),
    recorded_since: str | None = query(
        "timeline.recorded_since",
        f"Only what the record learnt after the end of this day. {DATE_FILTER}",
    ),
    # A declaration ninja reads once, not a default value shared between calls.
    kind: list[str] | None = query("timeline.kind", KINDS),  # noqa: B008
    after: str | None = query("timeline.after", "Paging: the cursor of the `next` link."),
    before: str | None = query("timeline.before", "Paging: the cursor of the `previous` link."),
    arrangement: str | None = query("timeline.arrangement", ARRANGEMENT),
):
    """Every event in the order it took effect, with its sources; `next` and `previous` are
    the links to the pages either side (keyset paging: a page stays put as events are added)."""
    return views.api_timeline(request)


# The views ninja made, by name, to mount at the URLs and names the endpoints always had.
VIEWS = {pattern.name: pattern.callback for pattern in api.urls[0] if pattern.name}


@require_GET
def schema(request):
    """GET /api/schema/: the OpenAPI description of the endpoints above, made by ninja."""
    return JsonResponse(api.get_openapi_schema(path_prefix=""))
