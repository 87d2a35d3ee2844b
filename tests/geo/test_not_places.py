"""Capitalised words that are no places on real prose (issue 12): words of longer names, common
nouns of the story, people's names. Each rule is checked with the place it must leave alone."""

from __future__ import annotations

from tests.geo.conftest import resolved


def test_a_small_town_after_a_word_of_a_company_name_is_no_place(tag):
    places, _ = tag("The software maker Red Hat said on Monday that Red Hat engineers would move to Boston.")
    assert "Hat" not in resolved(places)
    assert resolved(places)["Boston"] == "US"


def test_a_two_word_place_after_a_preposition_stays(tag):
    places, _ = tag("Mr Wiles, from Cherry Hinton, said it was a day to remember.")
    assert "Hinton" in resolved(places)


def test_an_institution_named_like_a_small_town_is_no_place(tag):
    places, _ = tag("She teaches psychology at Clemson University and spoke in Atlanta on Friday.")
    assert "Clemson" not in resolved(places)
    assert resolved(places)["Atlanta"] == "US"
    places, _ = tag("She teaches psychology at Clemson University in Clemson, South Carolina.")
    assert resolved(places)["Clemson"] == "US"


def test_a_poll_named_like_a_town_is_no_place(tag):
    places, _ = tag("A Monmouth poll of voters in Ohio put the senator ahead.")
    assert "Monmouth" not in resolved(places)
    assert resolved(places)["Ohio"] == "US"


def test_a_contraction_is_no_town(tag):
    places, _ = tag('"Don\'t ask me," she told reporters in Lyon.')
    assert "Don" not in resolved(places)
    assert resolved(places)["Lyon"] == "FR"


def test_a_planet_in_a_story_about_astronomy(tag):
    text = "The telescope found a planet twice the size of Jupiter orbiting a young star."
    places, _ = tag(text)
    assert "Jupiter" not in resolved(places)
    places, _ = tag("The storm made landfall near Jupiter, Florida, on Tuesday.")
    assert resolved(places)["Jupiter"] == "US"


def test_a_clipping_the_story_writes_in_full(tag):
    places, _ = tag("The coronavirus spread fast. Corona closed the schools, and coronavirus tests ran short in Delhi.")
    assert "Corona" not in resolved(places)
    assert resolved(places)["Delhi"] == "IN"


def test_a_noun_after_a_determiner_is_the_story_s_word(tag):
    places, _ = tag("He said he did not believe in a God, and that their God was a story told in Cairo.")
    assert "God" not in resolved(places)
    assert resolved(places)["Cairo"] == "EG"


def test_a_first_name_before_a_surname_is_a_person(tag):
    places, _ = tag("Protests over the death of George Floyd spread from Minneapolis to London.")
    assert "George" not in resolved(places)
    assert resolved(places)["London"] == "GB"


def test_a_large_city_before_a_surname_stays_the_city(tag):
    places, _ = tag("The Columbus Metropolitan Library opened a branch on High Street.")
    assert resolved(places).get("Columbus") == "US"


def test_a_news_source_after_an_organisation_noun(tag):
    places, _ = tag("The news agency Fars reported arrests in Tehran on Monday.")
    assert "Fars" not in resolved(places)
    assert resolved(places)["Tehran"] == "IR"


def test_a_law_named_for_a_person(tag):
    places, _ = tag("The mass follows from Newton's laws of motion.")
    assert "Newton" not in resolved(places)


def test_a_genus_before_its_species(tag):
    places, _ = tag("The tools were made by Homo sapiens in caves near Bordeaux.")
    assert "Homo" not in resolved(places)
    assert resolved(places)["Bordeaux"] == "FR"


def test_an_acronym_makes_no_first_name(tag):
    places, _ = tag("After the lockdown, post COVID Melbourne will need new shops, the candidate said.")
    assert resolved(places)["Melbourne"] == "AU"


def test_a_region_before_a_demonym_is_a_group(tag):
    places, _ = tag("She is the first South Asian American to hold the office in Washington.")
    assert "South Asian" not in resolved(places)


def test_names_inside_a_quotation_in_another_script(tag):
    places, _ = tag("She said: \"हम लोग देखते थे: इटली, USA, China में जो लोग मर रहे थे\". She lives in Pune.")
    assert not {"USA", "China"} & set(resolved(places))
    assert resolved(places)["Pune"] == "IN"
