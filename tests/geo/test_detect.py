"""Matching and filtering on sentences written for these tests."""

from __future__ import annotations

from tests.geo.conftest import countries, resolved


def test_common_words_and_lower_case_are_not_places(tag):
    places, _ = tag("In March the English teacher cooked a turkey and went reading by the lake.")
    assert countries(places) == set()


def test_person_names_are_not_places(tag):
    places, _ = tag(
        "President Jordan met reporters on Monday. Later, Chad Johnson and Jordan Smith spoke to "
        "Mr. Chad about the budget, said Councilman Robert Ellison."
    )
    assert countries(places) == set()


def test_countries_and_demonyms(tag):
    places, regions = tag("The Cuban minister flew to Moscow. Jordan and Chad signed a deal with Turkey.")
    assert {"CU", "RU", "JO", "TD", "TR"} <= countries(places)
    kinds = {r.mention.text: r.type for r in places}
    assert kinds["Cuban"] == "demonym"


def test_common_word_place_needs_locative_context(tag):
    assert "GB" not in countries(tag("Reading is a pleasure for the whole family.")[0])
    assert "GB" in countries(tag("The fire broke out in Reading on Tuesday.")[0])
    assert "FR" in countries(tag("The festival in Nice, France, drew crowds.")[0])


def test_city_state_qualifier(tag):
    places, _ = tag("The plant near Springfield, Ill., will close, and so will one in Paris, Texas.")
    spring = [r for r in places if r.mention.text == "Springfield"][0]
    assert spring.place.country == "US" and spring.place.admin1 == "IL"
    paris = [r for r in places if r.mention.text == "Paris"][0]
    assert paris.place.country == "US" and paris.place.admin1 == "TX"


def test_all_caps_dateline_resolves(tag):
    places, regions = tag("SALVADOR, Feb 26 - Cocoa farmers in the state said the rains had come late.")
    assert resolved(places).get("SALVADOR") == "BR"
    assert regions[0].code == "BR" and regions[0].relevance == "about"


def test_seats_of_government(tag):
    places, regions = tag("The Kremlin rejected the plan, and the White House said talks would go on.")
    assert resolved(places) == {"Kremlin": "RU", "White House": "US"}
    assert {r.type for r in places} == {"seat"}


def test_region_names_appear_in_regions(tag):
    _, regions = tag("Exports to Latin America and Southeast Asia rose sharply last year.")
    codes = {r.code: r for r in regions}
    assert codes["419"].kind == "subregion" and codes["035"].kind == "subregion"


def test_written_regions_are_about_only_a_story_without_countries(tag):
    _, regions = tag("Drought in the Sahel and the Horn of Africa left millions short of food, aid agencies said.")
    assert {r.code: r.relevance for r in regions} == {"011": "about", "014": "about"}
    _, regions = tag("Kenya asked donors for help as drought in the Sahel spread, aid agencies said.")
    relevance = {r.code: r.relevance for r in regions}
    assert relevance["KE"] == "about" and relevance["011"] == "mentioned"


def test_headline_only_keeps_strong_names(tag):
    # A title-case headline: "Wilson" and "Borrowing" are capitalised words, not places.
    places, _ = tag("Ottawa said it would borrow more.", title="CANADA'S WILSON SEEKS TEMPORARY BORROWING")
    title_places = [r for r in places if r.mention.field == "title"]
    assert [r.mention.text for r in title_places] == ["CANADA"]
    assert title_places[0].place.country == "CA"


def test_small_namesake_without_support_is_unresolved(tag):
    # "Rest" is not a place here; "Hamid" after a hyphen is part of a name.
    places, _ = tag("After a short rest, Abdul-Hamid scored twice for the visitors.")
    assert countries(places) == set()


def test_an_english_word_in_a_headline_needs_the_body(tag):
    # "SPLIT" is Split in Croatia only when the story names it: here it is a share split.
    places, _ = tag("Shareholders of the Dallas company approved a one-for-100 reverse split on Thursday.",
                    title="CARIBOU ENERGY REVERSE SPLIT APPROVED")
    assert "HR" not in countries(places)
    places, _ = tag("The ferry from Split to the islands was cancelled because of the storm.",
                    title="Storm Halts Ferries To And From Split")
    assert [r.place.country for r in places if r.mention.field == "title"] == ["HR"]


def test_a_street_abbreviation_ends_the_streets_name(tag):
    places, _ = tag("The service will be held at the funeral home, 508 Cumberland St., Lebanon, Pennsylvania.")
    assert resolved(places)["Cumberland St."] is None
    places, _ = tag("The shooting happened on Cedar Flat Rd. in Metcalfe County, Kentucky.")
    assert resolved(places)["Cedar Flat Rd."] is None
    # Before a capitalised word the abbreviation is a title or a saint: "Dr. Smith", "St. Louis".
    places, _ = tag("In Houston Dr. Smith said the clinic in Lebanon St. Louis had opened.")
    assert not any(r.mention.text.endswith((" Dr.", " St.")) for r in places)
