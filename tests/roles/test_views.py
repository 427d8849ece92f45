"""The team page and the function matrix as a signed-in user sees them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import EventKind, Source, TimelineEvent
from roles import services
from roles.models import CommissioningFunction, Level, Post
from tests.conftest import day
from tests.factories import PersonFactory, staff_user

pytestmark = pytest.mark.django_db


def text(response):
    """The page's visible text, whitespace collapsed, for assertions a reader would make."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def as_scrutineer(client, scrutineer):
    client.force_login(scrutineer)
    return client


def test_team_page_on_13_march_shows_holders_previous_roles_and_posts_no_source_fills(
    as_scrutineer, kent_medway
):
    response = as_scrutineer.get("/team/", {"as_at": "2018-03-13"})

    page = text(response)
    assert response.status_code == 200
    assert "The shared management team on 13 March 2018" in page
    assert "5 of 9 posts filled" in page
    assert "Glenn Douglas From 12 March 2018" in page
    assert "Simon Perks Transitional From February 2018" in page
    assert "Previously accountable officer for Ashford CCG and Canterbury and Coastal CCG" in page
    # No source names a holder, nor says the post was empty: "not stated", never "vacant".
    assert "Director of finance Not stated in the sources 2 of 2 seats" in page
    assert "Director of corporate services Not stated in the sources" in page
    assert "STP medical director Not stated in the sources" in page
    assert "Vacant" not in page and "vacant" not in page
    assert "STP programme director Michael Ridgwell" in page
    # Thanet had no accountable officer until 19 March.
    assert "Thanet CCG: no accountable officer on this date. A statutory body needs one." in page
    assert 'style="' not in response.content.decode()


def test_org_chart_headings_nest_posts_under_their_locality_group(as_staff, kent_medway):
    html = as_staff.get("/team/", {"as_at": "2018-03-13"}).content.decode()

    headings = [
        (tag, re.sub(r"<[^>]+>", "", title))
        for tag, title in re.findall(r"<(h[1-6])[^>]*>(.*?)</\1>", html, flags=re.S)
    ]
    chart = headings[
        headings.index(("h2", "Org chart")) : headings.index(("h2", "The team as a table"))
    ]
    assert chart[:6] == [
        ("h2", "Org chart"),
        ("h3", "Accountable officer (strategic commissioner)"),
        ("h3", "Medway, North and West Kent"),
        ("h4", "Managing director, Medway, North and West Kent"),
        ("h3", "East Kent"),
        ("h4", "Managing director, East Kent"),
    ]
    assert ("h3", "Director of finance") in chart


def test_team_page_flags_thanet_on_1_march_and_no_ccg_on_19_march(as_staff, kent_medway):
    on_1_march = text(as_staff.get("/team/", {"as_at": "2018-03-01"}))
    on_19_march = text(as_staff.get("/team/", {"as_at": "2018-03-19"}))

    assert (
        "Thanet CCG No accountable officer No accountable officer on this date: "
        "a statutory body needs one." in on_1_march
    )
    assert "Hazel Smith: start not stated; left 28 February 2018" in on_1_march
    assert "No accountable officer on this date" not in on_19_march
    assert "Thanet CCG Glenn Douglas" in on_19_march


def test_team_page_with_a_bad_date_says_what_is_wrong(as_staff, kent_medway):
    response = as_staff.get("/team/", {"as_at": "2018-02-30"})

    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert (
        "The date to show the team on must be a real day: 30 February 2018 does not exist "
        "(February 2018 has 28 days)." in page
    )
    assert "Written YYYY-MM-DD. For example, 2018-03-13." in page
    # What was typed stays in the box, to be corrected.
    assert re.search(r'name="as_at" type="text"\s+value="2018-02-30"', response.content.decode())


def long_date(day):
    """A date as the pages write it: 13 March 2018."""
    return f"{day.day} {day:%B %Y}"


def test_team_page_defaults_to_today(as_staff, kent_medway):
    response = as_staff.get("/team/")

    today = timezone.localdate()
    assert response.context["as_at"] == today
    assert f"The shared management team on {long_date(today)}" in text(response)
    assert "Glenn Douglas" in text(response)


def test_function_matrix_defaults_to_today(as_staff, kent_medway):
    response = as_staff.get("/functions/")

    today = timezone.localdate()
    assert response.context["as_at"] == today
    assert f"Where each commissioning function sits on {long_date(today)}" in text(response)


def test_team_page_query_count_is_fixed(as_staff, kent_medway, django_assert_num_queries):
    # Session, user, the request's savepoint pair, groups (header role); the arrangements (the
    # page shows one arrangement's team: one more since posts belong to one); posts,
    # assignments with people, their sources, CCGs; conflicts about people and their claims
    # (2), the roles the sources give people (1): the same whatever the size of the team.
    # One more (14, was 13): the sources the proposed posts all cite, which the page names
    # from the record instead of a title written into the template.
    with django_assert_num_queries(14):
        as_staff.get("/team/", {"as_at": "2018-03-13"})


def test_function_matrix_shows_the_two_functions_at_kent_and_medway_level(
    as_scrutineer, kent_medway
):
    response = as_scrutineer.get("/functions/", {"as_at": "2018-03-13"})

    page = text(response)
    assert "Where each commissioning function sits on 13 March 2018" in page
    assert (
        "Stroke review Kent and Medway wide Sits here By 12 March 2018. "
        "Already worked on together by the eight CCGs, in a statement issued on their behalf "
        "Source: Health chiefs confirm plans"
    ) in page
    assert "Re-commissioning of NHS 111" in page
    # Scrutiny users see no edit controls.
    assert "Add a function" not in page
    assert "to another level" not in page


def test_function_matrix_before_january_2018_is_empty(as_staff, kent_medway):
    page = text(as_staff.get("/functions/", {"as_at": "2017-12-31"}))

    assert "No function had been placed at a level by 31 December 2017." in page


def test_function_matrix_with_a_bad_date_says_what_is_wrong(as_staff, kent_medway):
    response = as_staff.get("/functions/", {"as_at": "13/03/2018"})

    assert response.status_code == 400
    assert "The date to show the functions on must be a date written YYYY-MM-DD" in text(response)
    assert 'value="13/03/2018"' in response.content.decode()


def test_team_page_with_a_bad_recorded_on_date_names_it(as_staff, kent_medway):
    response = as_staff.get("/team/", {"as_at": "2018-03-13", "known_at": "yesterday"})

    assert response.status_code == 400
    assert "The ‘as recorded on’ date must be a date written YYYY-MM-DD" in text(response)


def test_function_matrix_query_count_is_fixed(as_staff, kent_medway, django_assert_num_queries):
    # Session, user, savepoint pair, groups, the user's and groups' permissions; the
    # arrangements (one arrangement's functions: one more since functions belong to one); rows
    # in effect (2), the same rows read by history id with their recorder joined in, their
    # timeline events and those events' sources; the sources' words (one query): whatever
    # the count.
    with django_assert_num_queries(14):
        as_staff.get("/functions/", {"as_at": "2018-03-13"})


def move_data(**overrides):
    data = {
        "level": Level.LOCALITY_GROUP,
        "since_day": "",
        "since_month": "5",
        "since_year": "2018",
        "since_precision": "month",
        "placed_by": "Final design workshop, May 2018",
        "sources": [Source.objects.get(key="003").pk],
        "reason": "The workshop placed it in the locality groups",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_staff_move_a_function_through_the_service(as_staff, staff, kent_medway):
    stroke = CommissioningFunction.objects.get(name="Stroke review")

    response = as_staff.post(
        reverse("roles:function-move", args=[stroke.pk]), move_data(), follow=True
    )

    assert response.redirect_chain == [(f"/functions/{stroke.pk}/", 302)]
    assert "Stroke review now sits at ‘Locality group’." in text(response)
    stroke.refresh_from_db()
    assert (stroke.level, stroke.since_display, stroke.version) == (
        Level.LOCALITY_GROUP,
        "May 2018",
        2,
    )
    latest = stroke.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        staff,
        "The workshop placed it in the locality groups",
    )
    assert TimelineEvent.objects.filter(
        kind=EventKind.FUNCTION_MOVE,
        title__startswith=stroke.name,
        title__contains="Locality group",
    ).exists()
    # The matrix as at April still shows where it sat then.
    april = text(as_staff.get("/functions/", {"as_at": "2018-04-30"}))
    assert "Stroke review Kent and Medway wide Sits here" in april
    june = text(as_staff.get("/functions/", {"as_at": "2018-06-01"}))
    assert "Stroke review Kent and Medway wide Not at this level Locality group Sits here" in june


def test_a_stale_move_is_refused_saying_what_changed_and_by_whom(
    client, staff, kent_medway, django_user_model, django_assert_num_queries
):
    other = staff_user(username="other.staff", first_name="Sam", last_name="Other")
    stroke = CommissioningFunction.objects.get(name="Stroke review")
    client.force_login(other)
    client.post(
        reverse("roles:function-move", args=[stroke.pk]),
        move_data(level=Level.CCG, reason="Sam's change"),
    )
    client.force_login(staff)

    # Pat opened the form at version 1, before Sam's change.
    data = move_data()
    # Session, user, savepoint pair, permissions (2), groups; the function, the chosen
    # sources; the refused write: savepoint, rollback, release, the locked row, the changes
    # since with who made them; the page: the function now, the sources re-checked and listed.
    # One more: the arrangements, so that the menu and the back link keep the one shown.
    with django_assert_num_queries(18):
        response = client.post(reverse("roles:function-move", args=[stroke.pk]), data)

    assert response.status_code == 409
    page = text(response)
    assert "Nothing was saved: someone else changed this function" in page
    assert "Sam Other placed it at ‘Individual CCG’ since May 2018" in page
    assert "(reason: Sam's change)" in page
    stroke.refresh_from_db()
    assert (stroke.level, stroke.version) == (Level.CCG, 2)
    assert stroke.history.count() == 2
    # The form now carries the current version: a deliberate second submit goes through.
    assert response.context["form"]["version"].value() == 2


def test_move_form_errors_use_the_error_summary_and_keep_the_values(as_staff, kent_medway):
    stroke = CommissioningFunction.objects.get(name="Stroke review")

    response = as_staff.post(
        reverse("roles:function-move", args=[stroke.pk]),
        move_data(since_day="5", since_month="", reason="", sources=[]),
    )

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Date placed at this level must include a month" in page
    assert "Cite at least one source." in page
    assert "Give the reason for this change." in page
    assert 'href="#id_since_day"' in response.content.decode()
    assert 'value="Final design workshop, May 2018"' in response.content.decode()
    stroke.refresh_from_db()
    assert stroke.version == 1


def test_add_form_errors_link_to_their_fields_and_are_read_out_with_them(as_staff, kent_medway):
    response = as_staff.post(
        reverse("roles:function-add"),
        {
            "name": "",
            "description": "Hyper-acute stroke units",
            "since_day": "31",
            "since_month": "2",
            "since_year": "2018",
            "since_precision": "sometime",
        },
    )

    html = response.content.decode()
    summary = html[html.index("There is a problem") : html.index("<h1")]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets == [
        "id_name",
        "id_level",
        "id_since_day",
        "id_since_precision",
        "id_placed_by",
        "id_sources",
        "id_reason",
    ]
    for target in targets:
        assert f'id="{target}"' in html
    # Each error is read out with the control (or the group) it is about.
    for described in ("id_name", "id_since_precision", "id_placed_by", "id_reason"):
        control = re.search(rf'<(input|select|textarea)[^>]* id="{described}"[^>]*>', html)[0]
        assert f"{described}-error" in control
    for group in ("id_level", "id_since", "id_sources"):
        assert re.search(rf'<fieldset[^>]*aria-describedby="[^"]*{group}-error', html)
    assert "Date placed at this level must be a real date" in text(response)
    # What was typed stays, to be corrected rather than typed again.
    assert re.search(r"<textarea[^>]*>\s*Hyper-acute stroke units</textarea>", html)
    assert 'name="since_day" type="text" inputmode="numeric" value="31"' in html
    assert not CommissioningFunction.objects.filter(description__contains="Hyper").exists()


def test_staff_add_a_function(as_staff, staff, kent_medway):
    response = as_staff.post(
        reverse("roles:function-add"),
        move_data(
            name="Urgent care",
            description="",
            level=Level.LOCALITY_GROUP,
            placed_by="Design workshop, March 2018",
            since_month="3",
            reason="Workshop outcome",
        ),
    )

    assert response.status_code == 302
    added = CommissioningFunction.objects.get(name="Urgent care")
    assert (added.level, added.since_display, added.version) == (
        Level.LOCALITY_GROUP,
        "March 2018",
        1,
    )
    assert added.history.get().history_user == staff
    page = text(as_staff.get(reverse("roles:function-detail", args=[added.pk])))
    assert "Locality group March 2018 Design workshop, March 2018" in page


def test_adding_a_function_twice_is_refused(as_staff, kent_medway):
    response = as_staff.post(reverse("roles:function-add"), move_data(name="stroke review"))

    assert response.status_code == 200
    assert "There is already a function with that name: move it instead." in text(response)


@pytest.mark.parametrize("name", ["roles:function-add", "roles:function-move"])
def test_scrutiny_users_may_not_move_or_add_functions(as_scrutineer, kent_medway, name):
    stroke = CommissioningFunction.objects.get(name="Stroke review")
    url = reverse(name, args=[stroke.pk] if name.endswith("move") else [])

    assert as_scrutineer.get(url).status_code == 403
    assert as_scrutineer.post(url, move_data(name="X")).status_code == 403
    stroke.refresh_from_db()
    assert stroke.version == 1
    assert not CommissioningFunction.objects.filter(name="X").exists()


def test_function_detail_shows_the_history(as_scrutineer, kent_medway):
    stroke = CommissioningFunction.objects.get(name="Stroke review")

    page = text(as_scrutineer.get(reverse("roles:function-detail", args=[stroke.pk])))

    assert (
        "Kent and Medway wide by 12 March 2018 Already worked on together by the eight CCGs" in page
    )
    assert "KentOnline: the eight CCGs already work together on the stroke review" in page


def test_anonymous_visitors_are_sent_to_sign_in(client, kent_medway):
    for url in ("/team/", "/functions/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_team_page_query_count_does_not_grow_with_the_team(
    as_staff, admin, kent_medway, django_assert_num_queries
):
    for number in range(5):
        services.assignment_start(
            person=PersonFactory(name=f"Finance Director {number}"),
            post=Post.objects.get(title="Director of finance"),
            start=day(f"2018-0{number + 4}-01"),
            end=day(f"2018-0{number + 4}-20"),
            sources=[Source.objects.get(key="003")],
            reason="Test",
            user=admin,
        )
    # As test_team_page_query_count_is_fixed (the arrangements are one of them; 14, was 13,
    # with the sources the proposed posts all cite).
    with django_assert_num_queries(14):
        as_staff.get("/team/", {"as_at": "2018-03-13"})


def test_team_page_as_recorded_on_a_day(as_staff, kent_medway):
    response = as_staff.get("/team/", {"as_at": "2018-03-01", "known_at": "2018-03-05"})

    page = text(response)
    assert "As the record stood at the end of 5 March 2018." in page
    # By the end of 5 March the record knew Hazel Smith had left Thanet on 28 February.
    assert "Thanet CCG No accountable officer" in page
    assert "Hazel Smith: start not stated; left 28 February 2018" in page
    assert "1 of 9 posts filled" in page


def test_function_pages_query_counts_are_fixed(as_staff, kent_medway, django_assert_num_queries):
    stroke = CommissioningFunction.objects.get(name="Stroke review")
    # Session, user, savepoint pair, groups, permissions (2); the function with its
    # arrangement, the arrangements (its back link keeps the arrangement: one more since
    # functions belong to one), its history with recorders, its timeline events and sources.
    with django_assert_num_queries(12):
        as_staff.get(reverse("roles:function-detail", args=[stroke.pk]))
    # Session, user, savepoint pair, groups, permissions (2); the function; sources to cite.
    # One more: the arrangements, so that the menu and the back link keep the one shown.
    with django_assert_num_queries(10):
        as_staff.get(reverse("roles:function-move", args=[stroke.pk]))
    # As above without the function, with the arrangements (the function is added to the one
    # the page shows: one more since functions belong to one).
    with django_assert_num_queries(9):
        as_staff.get(reverse("roles:function-add"))


def test_the_team_page_shows_both_sides_on_hazel_smith_and_everyone_the_sources_name(
    as_scrutineer, kent_medway
):
    response = as_scrutineer.get("/team/", {"as_at": "2018-04-27"})

    page = text(response)
    # South Kent Coast's row is marked, and both claims are quoted with their sources.
    assert "South Kent Coast CCG The sources disagree Hazel Smith" in page
    assert "she remains as accountable officer for South Kent Coast CCG" in page
    assert "Previously accountable officer for […] South Kent Coast CCG, Thanet CCG" in page
    assert "Source: CCG opts out of regional strategic commissioning arrangement" in page
    assert "Source: Item 4: Kent and Medway Strategic Commissioner (April 2018)" in page
    # Everyone the sources name, with the role in the source's words and its date.
    for words in (
        "Lizzy Adam By: Lizzy Adam, Scrutiny Research Officer",
        "Michael Ridgwell […] Michael Ridgwell (Programme Director, Kent and Medway STP)",
        "Director of Acute Strategy",
        "Chief Executive Kent and Medway Sustainability and Transformation Partnership",
    ):
        assert words in page


def test_the_functions_page_says_what_the_commissioner_would_and_would_not_do(
    as_scrutineer, kent_medway
):
    response = as_scrutineer.get("/functions/", {"as_at": "2018-04-27"})

    page = text(response)
    would = page[page.index("It would ") : page.index("It would not")]
    would_not = page[page.index("It would not") : page.index("What the sources announce")]
    assert "directly commission some services" in would
    assert "each CCG remains a statutory organisation" in would_not
    assert "A proposal to merge would require all the CCGs involved" in would_not
    announced = page[page.index("What the sources announce") :]
    for words in (
        "March 2018 Two design workshops held",
        "May 2018 Final design session expected, early May",
        "April 2018 The strategic commissioner to be established in shadow form",
        "April 2019 A single CCG possible, no earlier than April 2019",
        "19 April 2018 South Kent Coast CCG expected to make a decision",
    ):
        assert words in announced
