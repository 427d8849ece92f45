"""GET /api/schema/: the OpenAPI description of the JSON API, checked against the live API."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from scrutiny.api_examples import EXAMPLES

pytestmark = pytest.mark.django_db

PATHS = {"membership": "/api/membership/", "popolo": "/api/popolo/", "timeline": "/api/timeline/"}


@pytest.fixture
def schema(client, scrutineer):
    client.force_login(scrutineer)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return response.json()


def shows(example, live):
    """Whether ``live`` shows what ``example`` does: each key of an object with what it shows,
    each item of a list in a live item of its own, in the same order; else equal."""
    if isinstance(example, dict):
        return isinstance(live, dict) and all(
            key in live and shows(value, live[key]) for key, value in example.items()
        )
    if isinstance(example, list):
        if not isinstance(live, list):
            return False
        remaining = iter(live)
        return all(any(shows(item, candidate) for candidate in remaining) for item in example)
    return example == live


def test_the_check_of_an_example_can_fail():
    live = {"members": [{"ccg": "Ashford", "status": "joined"}, {"ccg": "Thanet", "status": None}]}

    assert shows({"members": [{"ccg": "Thanet"}]}, live)
    assert not shows({"members": [{"ccg": "Thanet", "status": "joined"}]}, live)
    assert not shows({"members": [{"ccg": "Thanet"}, {"ccg": "Ashford"}]}, live)
    assert not shows({"known_at": None}, live)


def test_the_description_is_valid_openapi_3_1(schema):
    assert schema["openapi"] == "3.1.0"
    validate(schema)


def api_routes(patterns=None, prefix=""):
    """Every route of the site under /api/, as written in the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            yield "/" + route


def test_every_api_endpoint_is_described_with_its_answer_and_its_refusal(schema):
    assert set(schema["paths"]) == set(api_routes()) - {"/api/schema/"}
    for path, item in schema["paths"].items():
        responses = item["get"]["responses"]
        assert set(responses) == {"200", "400"}, path
        for status, response in responses.items():
            content = response["content"]["application/json"]
            assert content["schema"]["$ref"].startswith("#/components/schemas/")
            assert content["examples"], f"{path} {status} has no example"


def test_the_timeline_describes_its_filters_and_paging(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/timeline/"]["get"]["parameters"]}

    assert set(parameters) == {
        "ccg",
        "locality",
        "date_from",
        "date_to",
        "known_at",
        "recorded_since",
        "kind",
        "after",
        "before",
        "arrangement",
    }
    assert parameters["after"]["description"] == "Paging: the cursor of the `next` link."
    assert parameters["kind"]["schema"]["anyOf"][0]["type"] == "array"


def test_the_urls_keep_their_names():
    assert reverse("api-membership") == "/api/membership/"
    assert reverse("scrutiny:api-timeline") == "/api/timeline/"
    assert reverse("api-popolo") == "/api/popolo/"
    assert reverse("api-schema") == "/api/schema/"


def documented_examples():
    return [(operation, name) for operation, named in EXAMPLES.items() for name in named]


@pytest.mark.parametrize(("operation", "name"), documented_examples())
def test_each_documented_example_is_what_the_api_answers(
    client, kent_medway, schema, operation, name
):
    path = PATHS[operation]
    described = schema["paths"][path]["get"]
    # The request: the parameters' examples of this name, as the description gives them.
    params = {
        parameter["name"]: parameter["examples"][name]["value"]
        for parameter in described["parameters"]
        if name in (parameter.get("examples") or {})
    }
    assert params, f"{name} names no parameter"
    ((status, example),) = [
        (int(status), content["application/json"]["examples"][name]["value"])
        for status, response in described["responses"].items()
        for content in [response["content"]]
        if name in content["application/json"].get("examples", {})
    ]

    response = client.get(path, params)

    assert response.status_code == status
    live = response.json()
    assert shows(example, live), f"{operation} {name}: the live answer differs from the example"
    # And the whole live answer has the shape described for that status.
    documented = described["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**documented, "components": schema["components"]})
    assert [error.message for error in validator.iter_errors(live)] == []


def test_signed_out_the_schema_is_a_sign_in_redirect(client):
    response = client.get("/api/schema/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
