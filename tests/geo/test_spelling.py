"""Place names as English news spells them: accents dropped, umlauts as digraphs, any case."""

from __future__ import annotations

import pytest

from newstag.geo.normalize import key, spellings, unaccent
from tests.geo.conftest import countries


def test_one_normalizer_folds_accents_for_names_and_keys():
    assert unaccent("Bogotá") == "Bogota"
    assert unaccent("Łódź") == "Lodz"
    assert spellings("Köln", digraphs=True) == ["Köln", "Koln", "Koeln"]
    assert spellings("Zürich") == ["Zürich", "Zurich"]
    assert key("BOGOTÁ") == key("Bogota") == "bogota"
    assert unaccent("Plain ASCII") == "Plain ASCII"


@pytest.mark.parametrize("name, country", [
    ("Bogota", "CO"), ("Medellin", "CO"), ("Sao Paulo", "BR"), ("Malmo", "SE"), ("Zurich", "CH"),
    ("Eskisehir", "TR"), ("Koeln", "DE"), ("Dusseldorf", "DE"), ("Goteborg", "SE"), ("Cancun", "MX"),
])
def test_accent_free_city_names_resolve_alone(tag, name, country):
    places, regions = tag(f"Trade unions gathered in {name} on Friday to protest against the new pension law.")
    assert countries(places) == {country}
    assert regions[0].code == country


@pytest.mark.parametrize("dateline, country", [("BOGOTA", "CO"), ("MERIDA", "MX"), ("MEDELLIN", "CO"), ("SALE", "MA")])
def test_accent_free_datelines(tag, dateline, country):
    places, regions = tag(f"{dateline} (Reuters) - Police said on Tuesday that two bridges would stay shut.",
                          kind="raw")
    about = [r.code for r in regions if r.kind == "country" and r.relevance == "about"]
    assert about == [country]


def test_an_accent_free_village_does_not_take_a_country_name(tag):
    # "Cañada" (villages in Spain and Mexico) is "Canada" without its tilde.
    places, _ = tag("Canada will send two ships, the minister told parliament.")
    assert [r.place.type for r in places if r.mention.text == "Canada"] == ["country"]


def test_a_dateline_with_accented_capitals_resolves(tag):
    places, regions = tag("\u00dcR\u00dcMQI, Jan 5 (Reuters) - Police said on Monday they had detained two men.", kind="raw")
    assert places[0].mention.in_dateline and places[0].place.country == "CN"
    assert regions[0].code == "CN"
