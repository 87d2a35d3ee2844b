"""Story-level evidence: datelines inside the text, counties, the story's home country, and the
ways a name is written that make it a place or a person. Sentences written for these tests."""

from __future__ import annotations

from tests.geo.conftest import resolved


def _by_text(places, text):
    return [r for r in places if r.mention.text == text]


def test_dateline_inside_the_text_after_a_headline(tag):
    places, regions = tag("Library to reopen next month. CHARLESTON, W.Va. -- The library board voted on Monday "
                          "to reopen the branch after repairs.")
    charleston = _by_text(places, "CHARLESTON")
    assert charleston and charleston[0].mention.in_dateline
    assert charleston[0].place.country == "US" and charleston[0].place.admin1 == "WV"
    assert _by_text(places, "W.Va.")[0].place.admin1 == "WV"
    assert regions[0].code == "US" and regions[0].relevance == "about"


def test_an_all_caps_word_in_the_middle_of_a_sentence_is_no_dateline(tag):
    places, _ = tag("The council said THE PLAN - as it called it - would cost less than a new road.")
    assert not any(r.mention.in_dateline for r in places)


def test_a_county_puts_the_story_in_the_us(tag):
    places, _ = tag("Deputies in Henry County said the fair in Paris would open on Friday as planned.")
    assert resolved(places)["Paris"] == "US"
    assert resolved(tag("The fair in Paris would open on Friday as planned.")[0])["Paris"] == "FR"


def test_home_country_from_the_other_towns_of_the_story(tag):
    text = ("Fire crews from Dublin joined teams from Fremont, Hayward, Pleasanton and Livermore to fight the "
            "blaze on the ridge.")
    places, _ = tag(text)
    assert resolved(places)["Dublin"] == "US"
    assert resolved(tag("Fire crews from Dublin fought the blaze on the ridge.")[0])["Dublin"] == "IE"


def test_sentence_initial_town_is_kept_when_the_story_names_it_elsewhere(tag):
    places, _ = tag("The race for mayor of Kirkland is close. Kirkland is my home, one candidate said.")
    assert len(_by_text(places, "Kirkland")) == 2
    # Alone, a small town opening a sentence is taken for an ordinary capitalised word.
    assert not _by_text(tag("Kirkland is my home, one candidate said.")[0], "Kirkland")


def test_a_name_before_a_reporting_verb_is_a_person(tag):
    places, _ = tag("Walters said the new bridge would open in May. The plan pleased Walters too.")
    assert not _by_text(places, "Walters")


def test_alternate_name_without_support_is_left_unresolved(tag):
    # "Trent" is an English name of Trento, and here a first name.
    places, _ = tag("His son, Trent, runs the dealership now.")
    assert all(r.place is None for r in _by_text(places, "Trent"))


def test_a_small_town_written_as_a_place_is_resolved(tag):
    places, _ = tag("Ozark police said a man was arrested after a chase on Tuesday night.")
    ozark = _by_text(places, "Ozark")
    assert ozark and ozark[0].place is not None and ozark[0].place.country == "US"
    assert ozark[0].reason == "written as a place"


def test_countries_have_coordinates(tag):
    places, _ = tag("France and Japan signed the treaty.")
    for r in places:
        assert r.place.type == "country"
        assert -90 <= r.place.lat <= 90 and -180 <= r.place.lon <= 180
    france = _by_text(places, "France")[0].place
    assert 41 < france.lat < 52 and -5 < france.lon < 10


def test_a_qualifier_that_no_namesake_matches_leaves_the_name_unresolved(tag):
    # Suffolk the county is not in the gazetteer; Suffolk, Virginia is, and is wrong here.
    places, _ = tag("Bird flu has been found on a farm in Suffolk, England, officials said on Tuesday.")
    assert resolved(places)["Suffolk"] is None
    assert resolved(places)["England"] == "GB"
    # The same name with a qualifier it matches, or with none, resolves as before.
    assert resolved(tag("The shipyard in Suffolk, Va., hired 200 workers.")[0])["Suffolk"] == "US"


def test_a_qualifier_outside_the_us_checks_the_country(tag):
    # GeoNames numbers Canada's provinces, ISO 3166-2 letters them: the country is what is compared.
    places, _ = tag("He was told to appear before a court in London, Ontario, on May 12.")
    assert resolved(places)["London"] == "CA"
    # Bradford, Ontario is not in the gazetteer: its English namesake is no answer.
    assert resolved(tag("He will appear before a court in Bradford, Ontario, on May 12.")[0])["Bradford"] is None


def test_a_list_of_countries_is_no_qualifier(tag):
    places, _ = tag("Trade ministers from France, Germany and Italy met in the capital.")
    assert {resolved(places)[n] for n in ("France", "Germany", "Italy")} == {"FR", "DE", "IT"}


def test_a_dateline_qualifier_picks_the_namesake(tag):
    places, regions = tag("LONDON, Ky. (WKYT) - London police have arrested two people on theft charges.")
    assert all(r.place.country == "US" for r in _by_text(places, "London"))
    assert regions[0].code == "US"


def test_a_street_or_a_sea_is_no_mention_of_the_place_it_is_named_after(tag):
    places, _ = tag("Crews repaired a water main on Nelson Street near the harbour. The ship sailed into the "
                    "Indian Ocean on Monday.")
    assert resolved(places)["Nelson Street"] is None
    assert resolved(places)["Indian Ocean"] is None
    assert not any(r.place is not None for r in places)
    places, _ = tag("The runner crossed the line at the Brandenburg Gate in Berlin on Sunday.")
    assert resolved(places)["Brandenburg Gate"] is None and resolved(places)["Berlin"] == "DE"


def test_a_language_or_a_surname_is_not_its_country(tag):
    places, _ = tag("The video shows a man who speaks in Spanish, then walks off. The song was written by Percy "
                    "French in the 1890s.")
    assert not {"ES", "FR"} & {r.place.country for r in places if r.place is not None}
    # A demonym about people or things still counts.
    places, _ = tag("Spanish fishermen were stopped by the coast guard.")
    assert "ES" in {r.place.country for r in places if r.place is not None}


def test_us_territories_are_countries_of_their_own(tag):
    places, _ = tag("The team has trips planned to Hawaii and Guam, Louisiana and Nevada this spring.")
    assert resolved(places)["Guam"] == "GU"


def test_the_story_spelling_picks_between_english_speaking_namesakes(tag):
    us = "The Mansfield council voted to refinance the debt at the center, the mayor's office said."
    gb = "The Mansfield council voted to refinance the debt at the centre, councillors said."
    assert resolved(tag(us)[0])["Mansfield"] == "US"
    assert resolved(tag(gb)[0])["Mansfield"] == "GB"


def test_a_country_name_is_not_taken_by_a_town_on_country_evidence_alone(tag):
    text = "Officials in the United States said travellers from Lebanon and Egypt would be screened."
    places, _ = tag(text)
    assert resolved(places)["Lebanon"] == "LB" and resolved(places)["Egypt"] == "EG"
    # With its state named, the town wins.
    assert resolved(tag("She died at a nursing home in Lebanon, Pa., on Thursday.")[0])["Lebanon"] == "US"


def test_provinces_states_and_counties_have_geonames_ids_and_points(tag):
    places, _ = tag("Floods cut roads across Queensland this week. Queensland officials said more rain was due.")
    queensland = _by_text(places, "Queensland")[0].place
    assert queensland.type == "admin1" and queensland.country == "AU" and queensland.geonameid is not None
    assert -29 < queensland.lat < -10 and 138 < queensland.lon < 154  # inside the state, where its people are
    places, _ = tag("Snow fell across Manitoba on Sunday. Roads in Manitoba were closed.")
    manitoba = _by_text(places, "Manitoba")[0].place
    assert manitoba.geonameid is not None and 49 < manitoba.lat < 60 and -102 < manitoba.lon < -89
    places, _ = tag("Henry County in Georgia opened shelters after the storm, the sheriff said.")
    county = _by_text(places, "Henry County")[0].place
    assert county.type == "admin2" and county.admin1 == "GA" and county.geonameid is not None
    assert 33 < county.lat < 34 and -85 < county.lon < -83.5
    # "X, Georgia" is read as the Georgia that holds an X, and a named Georgia points a US county
    # at the state's own namesake.
    for text, expected in (("The flight from Atlanta, Georgia, landed late on Monday.", ("admin1", "US")),
                           ("Officials in Tbilisi, Georgia, said the talks went well.", ("country", "GE"))):
        georgia = _by_text(tag(text)[0], "Georgia")[0].place
        assert (georgia.type, georgia.country) == expected
    # Different subdivisions never share an id.
    assert len({queensland.geonameid, manitoba.geonameid, county.geonameid}) == 3


def test_a_foreign_first_level_division_named_once_needs_its_country(tag):
    places, _ = tag("Fans of the Grad rock band queued outside the arena on Friday.")
    assert all(r.place is None for r in places if r.mention.text == "Grad")
    places, _ = tag("Snow fell across Manitoba on Sunday. Roads in Manitoba were closed.")
    assert {r.place.country for r in places if r.place is not None} == {"CA"}


def test_initials_make_a_place_name_a_person(tag):
    places, _ = tag("The ballet is based on the book by J.M. Barrie and opens this weekend.")
    assert not any(r.place is not None for r in places if r.mention.text == "Barrie")
