"""GET /api/popolo/: the record in the Popolo shape, checked against the published schemas."""

import datetime
import json
from pathlib import Path

import pytest
from jsonschema import Draft3Validator
from referencing import Registry
from referencing.jsonschema import DRAFT3

from scrutiny.popolo import popolo_document

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "scrutiny" / "popolo_schemas"
# Each list of the answer and the schema its items follow.
LISTS = {
    "organizations": "organization",
    "persons": "person",
    "posts": "post",
    "memberships": "membership",
    "motions": "motion",
    "vote_events": "vote_event",
}


def local_registry():
    """The vendored schemas under the ids their $refs name; nothing is fetched."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resource = DRAFT3.create_resource(schema)
        resources += [(schema["id"], resource), (schema["id"].rstrip("#"), resource)]
    return Registry().with_resources(resources)


REGISTRY = local_registry()


def schema_errors(kind, item):
    """Every way ``item`` breaks the Popolo schema of ``kind``, formats (uri, dates) included."""
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text())
    validator = Draft3Validator(
        schema, registry=REGISTRY, format_checker=Draft3Validator.FORMAT_CHECKER
    )
    return [
        f"{kind} {item.get('id')}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(item)
    ]


def popolo(client, **params):
    response = client.get("/api/popolo/", params)
    assert response.status_code == 200, response.content
    return response.json()


def by_id(items):
    return {item["id"]: item for item in items}


@pytest.mark.parametrize(
    "params",
    [
        {"as_at": "2017-06-01"},
        {"as_at": "2018-03-13"},
        {"as_at": "2018-03-20", "known_at": "2018-03-01"},
        {"as_at": "2018-05-01"},
        {},
    ],
)
def test_every_item_validates_against_the_popolo_schemas(client, kent_medway, scrutineer, params):
    client.force_login(scrutineer)

    document = popolo(client, **params)

    errors = [
        problem
        for name, kind in LISTS.items()
        for item in document[name]
        for problem in schema_errors(kind, item)
    ]
    assert errors == []
    assert document["organizations"], "an empty answer would validate trivially"


def test_the_check_refuses_what_the_standard_does_not_allow():
    # The validation above must be able to fail: a date in words, a source link without
    # its url (through a $ref to link.json), a url that is no URI, a motion dated by day only.
    membership = {
        "id": "m",
        "start_date": "27 February 2018",
        "sources": [{"note": "no url"}, {"url": "not a uri at all"}],
    }
    assert len(schema_errors("membership", membership)) == 3
    assert schema_errors("motion", {"id": "x", "date": "2018-03-19"}) != []


def test_organizations_are_the_arrangement_its_locality_groups_and_the_ccgs(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    organizations = by_id(popolo(client, as_at="2018-03-13")["organizations"])

    arrangement = organizations["arrangement/kent-and-medway-strategic-commissioner"]
    assert arrangement["name"] == "Kent and Medway strategic commissioner"
    assert organizations["locality-group/east-kent"]["parent_id"] == arrangement["id"]
    thanet = organizations["ccg/thanet"]
    assert thanet["name"] == "Thanet CCG"
    assert thanet["parent_id"] == "locality-group/east-kent"
    assert thanet["identifiers"] == [{"scheme": "NHS ODS code", "identifier": "10E"}]
    assert (
        sum(o["classification"] == "clinical commissioning group" for o in organizations.values())
        == 8
    )


def test_thanet_is_no_member_after_opting_out_and_its_decision_is_a_vote_event(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    document = popolo(client, as_at="2018-03-13")

    members = {m["member"]["id"] for m in document["memberships"] if "member" in m}
    assert "ccg/thanet" not in members
    assert "ccg/ashford" in members
    (declined,) = [v for v in document["vote_events"] if v["organization_id"] == "ccg/thanet"]
    assert declined["result"] == "declined"
    motion = by_id(document["motions"])[declined["motion_id"]]
    assert motion["text"].startswith("Thanet CCG is “not pursuing a path")
    # The STP's update dates the decision only "by 27 February 2018": no day is claimed.
    assert declined["legislative_session"]["start_date"] is None
    assert declined["legislative_session"]["start_date_no_later_than"] == "2018-02-27"
    assert declined["sources"][0]["note"].startswith(
        "Kent and Medway Strategic Commissioner Update February 2018."
    )


def test_thanet_is_a_member_from_19_march_with_its_source(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    document = popolo(client, as_at="2018-03-20")

    thanet = by_id(document["memberships"])["membership/thanet"]
    assert thanet["member"] == {"@type": "Organization", "id": "ccg/thanet"}
    assert thanet["organization_id"] == "arrangement/kent-and-medway-strategic-commissioner"
    assert thanet["start_date"] == "2018-03-19"
    (source,) = thanet["sources"]
    assert (
        source["url"] == "https://democracy.kent.gov.uk/ieListDocuments.aspx?CId=112&MId=7639&Ver=4"
    )
    assert source["note"].startswith("Item 4: Kent and Medway Strategic Commissioner.")
    assert "The address leads to: Background document" in source["note"]
    results = [v["result"] for v in document["vote_events"] if v["organization_id"] == "ccg/thanet"]
    assert results == ["declined", "agreed"]


def test_as_recorded_on_1_march_thanet_had_not_joined(client, kent_medway, scrutineer):
    # The same point in time as /api/membership/ answers (tests/scrutiny/test_api.py).
    client.force_login(scrutineer)

    document = popolo(client, as_at="2018-03-20", known_at="2018-03-01")

    assert document["known_at"] == "2018-03-01"
    assert "membership/thanet" not in by_id(document["memberships"])
    results = [v["result"] for v in document["vote_events"] if v["organization_id"] == "ccg/thanet"]
    assert results == ["declined"]


def test_a_ccg_that_joined_by_a_day_has_no_start_date_but_its_bound(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    ashford = by_id(popolo(client, as_at="2018-03-13")["memberships"])["membership/ashford"]

    assert ashford["start_date"] is None
    assert ashford["start_date_no_later_than"] == "2018-02-27"


def test_a_month_precise_start_is_given_as_the_month(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    document = popolo(client, as_at="2018-03-13")

    persons = {p["name"]: p["id"] for p in document["persons"]}
    posts = {p["label"]: p for p in document["posts"]}
    (partnerships,) = [
        m
        for m in document["memberships"]
        if m.get("person_id") == persons["Hazel Smith"]
        and m["post_id"] == posts["Director of Partnerships"]["id"]
    ]
    # "from February" in the STP's update: the month, never 28 February.
    assert partnerships["start_date"] == "2018-02"
    assert partnerships["organization_id"] == "arrangement/kent-and-medway-strategic-commissioner"
    assert partnerships["sources"]


def test_a_source_without_a_web_address_is_named_by_its_permanent_tag(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    document = popolo(client, as_at="2018-03-13")

    notes = {
        link["note"]: link["url"] for item in document["vote_events"] for link in item["sources"]
    }
    url = notes[
        "Kent and Medway Strategic Commissioner Update February 2018. Kent and Medway "
        "Sustainability and Transformation Partnership, 27 February 2018. "
        "No web address: cite it by its title."
    ]
    assert url.startswith("tag:kmcommission.invalid,2018:source/")


def test_before_any_record_there_are_no_members_and_no_motions(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    document = popolo(client, as_at="2017-06-01")

    assert [m for m in document["memberships"] if "member" in m] == []
    assert document["motions"] == []
    assert len(document["organizations"]) == 11


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_at": "13/03/2018"}, "must be a date written YYYY-MM-DD"),
        ({"as_at": "2018-02-31"}, "31 February 2018 does not exist"),
        ({"known_at": "2300-01-01"}, "must be between 1900 and 2100"),
    ],
)
def test_a_bad_date_answers_400_with_the_message(client, scrutineer, params, message):
    client.force_login(scrutineer)

    response = client.get("/api/popolo/", params)

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_signed_out_the_answer_is_a_sign_in_redirect(client):
    response = client.get("/api/popolo/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("known_at", [None, "2018-03-01"])
def test_the_document_costs_the_same_few_queries(kent_medway, django_assert_num_queries, known_at):
    known = datetime.date.fromisoformat(known_at) if known_at else None
    # Membership states (4: CCGs, the decision log, the decisions in effect and their
    # sources), arrangements, locality groups, posts and their sources, assignments and
    # their sources, decisions and their sources.
    with django_assert_num_queries(12):
        popolo_document(datetime.date(2018, 5, 1), known)


@pytest.mark.parametrize(
    "params",
    [
        {"as_at": "2018-02-01"},
        {"as_at": "2018-03-13"},
        {"as_at": "2018-03-20", "known_at": "2018-03-01"},
        {"as_at": "2018-05-01"},
    ],
)
def test_the_members_are_the_ccgs_the_membership_api_says_had_joined(
    client, kent_medway, scrutineer, params
):
    client.force_login(scrutineer)

    joined = {
        member["ccg"]
        for member in client.get("/api/membership/", params).json()["members"]
        if member["status"] == "joined"
    }
    document = popolo(client, **params)

    names = {
        o["id"]: o["other_names"][0]["name"]
        for o in document["organizations"]
        if "other_names" in o
    }
    members = {names[m["member"]["id"]] for m in document["memberships"] if "member" in m}
    assert members == joined
