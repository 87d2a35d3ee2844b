"""Names of people, titles and organisations are not places; unresolved means a likely place."""

from __future__ import annotations

from tests.geo.conftest import resolved


def test_first_names_are_people_here_and_later(tag):
    places, _ = tag("Bernie Sanders spoke to voters in Iowa on Sunday. Afterwards Bernie thanked the volunteers.")
    assert "Bernie" not in resolved(places)
    assert resolved(places)["Iowa"] == "US"


def test_a_surname_after_a_first_name_opening_a_sentence(tag):
    places, _ = tag("Kyle Rittenhouse appeared in court in Wisconsin. Rittenhouse did not speak.")
    assert "Rittenhouse" not in resolved(places)


def test_a_lower_case_title_before_a_small_town_name(tag):
    places, _ = tag("The find was made by astronomer Anthony Boccaletti and his team in France.")
    assert "Anthony" not in resolved(places)


def test_a_lower_case_title_does_not_hide_a_country(tag):
    places, _ = tag("A senior US official said the talks would resume in Geneva.")
    assert resolved(places)["US"] == "US"


def test_capitalised_words_that_resolve_to_nothing_are_not_listed(tag):
    places, _ = tag("Zara Kay told the meeting that Okay was not the answer, and Tell me more, she said.")
    assert not {"Zara", "Okay", "Tell"} & set(resolved(places))


def test_an_unknown_place_written_as_one_stays_unresolved(tag):
    places, _ = tag("He lived for years near Lake Cunningham before the road was built.")
    assert any(r.place is None and r.mention.text.startswith("Lake") for r in places)


def test_a_state_abbreviation_is_the_state_not_a_town(tag):
    places, _ = tag("He drove her to Monroeville, Ala. An alert was issued.")
    assert resolved(places)["Ala."] == "US"


def test_a_small_place_named_like_a_title_is_the_title(tag):
    places, _ = tag("The Vice President and the Supreme Court disagreed, and the Sultan of Oman stayed away.")
    assert not {"Vice", "Supreme", "Sultan"} & set(resolved(places))
    assert resolved(places)["Oman"] == "OM"


def test_a_currency_sign_is_no_place(tag):
    places, _ = tag("The fine was set at US$500 in the state of Texas.")
    assert "US" not in resolved(places)


def test_a_city_name_before_a_surname_the_story_writes_alone_is_a_first_name(tag):
    places, _ = tag("Opposition leaders criticised the Russian president Vladimir Putin on Friday. Putin said the "
                    "protests in Moscow were illegal.")
    found = resolved(places)
    assert "Vladimir" not in found and found["Moscow"] == "RU"


def test_a_city_name_before_a_word_never_written_alone_stays_a_place(tag):
    places, _ = tag("Officials in Russia said the Vladimir Cathedral would reopen; tourists returned to Vladimir "
                    "this summer.")
    assert resolved(places).get("Vladimir") == "RU"


def test_a_small_towns_name_after_the_is_a_title(tag):
    places, _ = tag("The report first appeared in The Atlantic, the senator from Iowa said on Monday.")
    assert "Atlantic" not in resolved(places)


def test_a_country_after_a_capitalised_word_that_is_no_first_name_stays_a_country(tag):
    places, _ = tag("The scheme is run by Local Ireland, a group of councils. Politics Ukraine reported the vote.")
    assert resolved(places)["Ireland"] == "IE" and resolved(places)["Ukraine"] == "UA"
    # After a first name it is a surname, as before.
    places, _ = tag("Michael Jordan played his last game in Chicago.")
    assert "Jordan" not in resolved(places)


def test_a_compass_point_before_a_name_is_no_initials(tag):
    places, _ = tag("Crews were called to a house fire in S.E. Portland, Oregon, on Friday night.")
    assert resolved(places)["Portland"] == "US"


def test_a_name_written_as_a_place_stays_a_place_where_it_was_a_persons_elsewhere(tag):
    text = ("Singer Jackson Browne played a concert in Mississippi on Friday. On Saturday Jackson police closed "
            "the roads around the stadium.")
    places, _ = tag(text)
    kept = [r for r in places if r.mention.text == "Jackson"]
    assert [r.mention.start for r in kept] == [text.index("Jackson police")]
    assert kept[0].place is not None and kept[0].place.country == "US"
