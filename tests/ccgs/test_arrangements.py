"""Choosing an arrangement: its slug, the default, and the DEFAULT_ARRANGEMENT setting."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict

from ccgs.arrangements import UnknownArrangement, choose_arrangement
from tests.factories import CommissionerFactory, second_arrangement

pytestmark = pytest.mark.django_db

STORY = "kent-and-medway-strategic-commissioner"
MERGER = "kent-and-medway-single-ccg"


def test_an_arrangement_made_by_name_gets_its_slug_from_the_name(kent_medway):
    arrangement = CommissionerFactory(name="Sussex and East Surrey: one CCG (2020)")

    assert arrangement.slug == "sussex-and-east-surrey-one-ccg-2020"


def test_without_a_setting_the_default_is_the_first_arrangement_recorded(kent_medway):
    second_arrangement()

    choice = choose_arrangement(QueryDict())

    assert choice.arrangement.slug == STORY
    assert choice.is_default
    assert choice.several
    assert choice.link("/timeline/?ccg=thanet#event-3") == "/timeline/?ccg=thanet#event-3"


def test_the_setting_names_the_default_and_the_other_is_named_in_links(kent_medway, settings):
    second_arrangement()
    settings.DEFAULT_ARRANGEMENT = MERGER

    default = choose_arrangement(QueryDict())
    story = choose_arrangement(QueryDict(f"arrangement={STORY}"))

    assert default.arrangement.slug == MERGER
    assert default.suffix == ""
    assert story.suffix == f"?arrangement={STORY}"
    assert (
        story.link("/timeline/?after=x#event-3")
        == f"/timeline/?after=x&arrangement={STORY}#event-3"
    )


def test_a_setting_that_names_no_arrangement_is_a_configuration_error(kent_medway, settings):
    settings.DEFAULT_ARRANGEMENT = "kent-and-medway-ccg"

    with pytest.raises(ImproperlyConfigured, match="DEFAULT_ARRANGEMENT is 'kent-and-medway-ccg'"):
        choose_arrangement(QueryDict())


def test_an_unknown_slug_is_refused_with_the_known_ones(kent_medway):
    with pytest.raises(UnknownArrangement) as refused:
        choose_arrangement(QueryDict("arrangement=merger"))

    assert str(refused.value) == (
        "There is no arrangement ‘merger’ in the record. The arrangements are: "
        f"‘{STORY}’ (Kent and Medway strategic commissioner)."
    )


def test_the_dashboard_follows_the_setting(client, kent_medway, scrutineer, settings):
    second_arrangement()
    settings.DEFAULT_ARRANGEMENT = MERGER
    client.force_login(scrutineer)

    merger = client.get("/").content.decode()
    story = client.get("/", {"arrangement": STORY}).content.decode()

    assert "0 of 8 CCGs have joined" in merger
    assert "Membership of Kent and Medway single CCG" in merger
    assert "7 of 8 CCGs have joined" in story
    assert 'href="/ccgs/thanet/?arrangement=kent-and-medway-strategic-commissioner"' in story
