import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def members(client, **params):
    response = client.get("/api/membership/", params)
    assert response.status_code == 200
    return {m["ccg"]: m for m in response.json()["members"]}


def test_membership_as_at_13_march_2018(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    result = members(client, as_at="2018-03-13")

    assert len(result) == 8
    assert result["Thanet"]["status"] == "opted_out"
    assert result["Thanet"]["ods_code"] == "10E"
    assert result["Thanet"]["locality"] == "East Kent"
    assert result["South Kent Coast"]["status"] == "pending"
    assert result["Ashford"]["status"] == "joined"
    assert result["Ashford"]["since"] == "2018-02-27"
    assert result["Ashford"]["since_precision"] == "on_or_before"
    # West Kent's board is dated only by the STP's update, like the other five.
    assert result["West Kent"]["since"] == "2018-02-27"


def test_thanet_joined_on_19_march_with_its_decision_and_source(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    thanet = members(client, as_at="2018-03-20")["Thanet"]

    assert thanet["status"] == "joined"
    assert thanet["since"] == "2018-03-19"
    assert thanet["decision"]["outcome"] == "agreed"
    assert thanet["decision"]["effective_date"] == "2018-03-19"
    (source,) = thanet["sources"]
    assert source["published"] == "2018-04"
    assert source["title"].startswith("Item 4")
    assert source["url_description"].startswith("Background document")


def test_known_at_answers_from_the_history_as_it_stood(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    response = client.get("/api/membership/", {"as_at": "2018-03-20", "known_at": "2018-03-01"})

    body = response.json()
    assert body["known_at"] == "2018-03-01"
    thanet = {m["ccg"]: m for m in body["members"]}["Thanet"]
    assert thanet["status"] == "opted_out"


def test_as_at_defaults_to_today(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    body = client.get("/api/membership/").json()

    assert body["as_at"] == timezone.localdate().isoformat()
    assert sum(m["status"] == "joined" for m in body["members"]) == 7


def test_before_any_record_a_ccg_has_no_status(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    assert members(client, as_at="2017-06-01")["Thanet"]["status"] is None


@pytest.mark.parametrize("bad", ["13/03/2018", "2018-3-13-1", "yesterday"])
def test_a_malformed_date_answers_400_with_a_json_error(client, scrutineer, bad):
    client.force_login(scrutineer)

    response = client.get("/api/membership/", {"as_at": bad})

    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["error"]


def test_the_api_needs_a_login(client, kent_medway):
    response = client.get("/api/membership/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_api_answers_in_a_fixed_number_of_queries(
    client, kent_medway, scrutineer, django_assert_num_queries
):
    client.force_login(scrutineer)
    # Session, user, the user's groups (a role is required), the request's savepoint and
    # release, then CCGs, the Membership rows and their decisions' sources for CCGs with
    # nothing in the log after the day, the log of the others, their decisions in effect
    # and their sources: the same for 8 CCGs or 200.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(12):
        client.get("/api/membership/", {"as_at": "2018-03-20"})


@pytest.mark.parametrize("param", ["as_at", "known_at"])
def test_a_date_far_out_of_range_is_refused_not_a_server_error(client, scrutineer, param):
    client.force_login(scrutineer)

    response = client.get("/api/membership/", {param: "9999-12-31"})

    assert response.status_code == 400
    assert "between 1900 and 2100" in response.json()["error"]


def test_the_dashboard_explains_a_far_out_date(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    response = client.get("/", {"known_at": "9999-12-31"})

    # The dashboard shows today's record beside the message, rather than nothing.
    assert response.status_code == 200
    assert "between 1900 and 2100" in response.content.decode()


def test_a_day_that_does_not_exist_is_named_in_the_json_error(client, scrutineer):
    client.force_login(scrutineer)

    response = client.get("/api/membership/", {"as_at": "2018-02-31"})

    assert response.status_code == 400
    assert "31 February 2018 does not exist" in response.json()["error"]
