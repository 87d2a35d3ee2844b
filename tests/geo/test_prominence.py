"""Prominent places win over namesakes without evidence; namesakes win with it."""

from __future__ import annotations

import pytest

from tests.geo.conftest import countries, resolved


@pytest.mark.parametrize("name, country", [
    ("Frankfurt", "DE"), ("Cologne", "DE"), ("Valletta", "MT"), ("Ramallah", "PS"), ("Timbuktu", "ML"),
    ("Hodeidah", "YE"), ("Fez", "MA"), ("Kosovo", "XK"), ("Suva", "FJ"),
])
def test_well_known_places_resolve_with_nothing_else_named(tag, name, country):
    places, _ = tag(f"A new hospital opened in {name} this week after two years of building work.")
    assert resolved(places).get(name) == country


def test_a_famous_city_keeps_its_name_in_an_american_story(tag):
    places, _ = tag("The senator from Ohio said pilgrims to Mecca would be flown from Chicago next month.")
    assert resolved(places)["Mecca"] == "SA"


def test_a_qualifier_gives_the_name_to_the_namesake(tag):
    places, _ = tag("The university in Moscow, Idaho, cancelled classes because of the snow.")
    assert resolved(places)["Moscow"] == "US"


def test_the_hague_and_the_pacific_resolve(tag):
    places, regions = tag("The case was heard in the Hague, and the fleet sailed on across the Pacific.")
    assert resolved(places)["Hague"] == "NL"
    pacific = [r for r in places if r.mention.text == "Pacific"][0]
    assert pacific.place is not None and pacific.place.m49 == "009"


def test_kosovo_rolls_up_to_southern_europe(tag):
    _, regions = tag("Kosovo and Serbia agreed to reopen the border crossing.")
    codes = {r.code for r in regions}
    assert {"XK", "RS", "039", "150"} <= codes


def test_a_namesake_in_a_named_county_takes_the_dateline(tag):
    places, regions = tag("HAMILTON - Butler County commissioners voted on Tuesday to repave two roads.", kind="raw")
    assert [r.code for r in regions if r.kind == "country"][:1] == ["US"]


def test_a_country_keeps_its_name_in_a_story_about_the_towns_state(tag):
    # Egypt, Pennsylvania exists; the story being in Pennsylvania is no evidence for it.
    places, _ = tag("Pennsylvania voters heard the senator praise the peace between Israel and Egypt at a rally "
                    "in Harrisburg on Saturday.")
    assert resolved(places)["Egypt"] == "EG"


def test_a_town_named_like_a_country_takes_the_name_when_written_as_a_town(tag):
    places, _ = tag("The Texas Forestry Service will hand out free trees on Saturday, just past the Palestine "
                    "Civic Center.")
    assert resolved(places)["Palestine"] == "US"


def test_a_county_named_around_the_town_gives_it_a_capitals_name(tag):
    places, _ = tag("Three families in Laurel County, Kentucky, lost relatives in the crash. His widow has lived "
                    "in London for more than thirty years.")
    assert resolved(places)["London"] == "US"


def test_without_that_evidence_the_capital_keeps_its_name(tag):
    places, _ = tag("Three families in Kentucky lost relatives in the crash. His widow has lived in London for "
                    "more than thirty years.")
    assert resolved(places)["London"] == "GB"
