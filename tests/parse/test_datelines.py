import pytest

from newstag.parse.datelines import find_dateline


@pytest.mark.parametrize(
    "opening, place, date, agency",
    [
        ("Moscow - Cuban Foreign Minister", "Moscow", None, None),
        ("HONG KONG, April 8 - Stocks fell", "HONG KONG", "April 8", None),
        ("WASHINGTON (Reuters) - The Senate", "WASHINGTON", None, "Reuters"),
        ("LOS ANGELES, Feb 26 -\nShares of", "LOS ANGELES", "Feb 26", None),
        ("FORT WORTH, Texas, March 12 - The trust", "FORT WORTH, Texas", "March 12", None),
        ("MOSCOW, Nov. 18 (AP) -- Officials", "MOSCOW", "Nov. 18", "AP"),
        ("RIO DE JANEIRO, MARCH 18 - Prices", "RIO DE JANEIRO", "MARCH 18", None),
        ("NEW DELHI: India's cabinet", "NEW DELHI", None, None),
        ("Paris \u2014 The government", "Paris", None, None),
        # Capital letters with accents, as wire copy keeps them in some names.
        ("\u00dcR\u00dcMQI, Jan 5 (Reuters) - Police in", "\u00dcR\u00dcMQI", "Jan 5", "Reuters"),
        ("\u0130ZMIR (Reuters) - A ferry", "\u0130ZMIR", None, "Reuters"),
        ("\u00c7ANKAYA, Turkey, May 3 - The council", "\u00c7ANKAYA, Turkey", "May 3", None),
        ("\u00c1LVARO OBREG\u00d3N - Residents", "\u00c1LVARO OBREG\u00d3N", None, None),
        ("\u0141\u00f3d\u017a - The city", "\u0141\u00f3d\u017a", None, None),
    ],
)
def test_datelines(opening, place, date, agency):
    dl, credited = find_dateline(opening, 0, len(opening))
    assert dl is not None
    assert dl.text == place and opening[dl.start : dl.end] == place
    assert dl.date == date
    assert credited == agency


@pytest.mark.parametrize(
    "opening",
    [
        "The company said - no comment.",
        "Note: figures are provisional.",
        "Shares rose 5 pct on Monday - the best day this year.",
        "In a statement issued late on Tuesday by the ministry of finance - officials said",
        # A word in lower case opens no dateline, in any alphabet.
        "\u00e9lan, May 4 - the mood",
        "\u00fcber alles - a song",
    ],
)
def test_not_datelines(opening):
    assert find_dateline(opening, 0, len(opening)) == (None, None)


def test_glued_image_alt_text_is_debris():
    text = "Japan FlagTokyo - The central bank"
    dl, _ = find_dateline(text, 0, len(text))
    assert dl.text == "Tokyo" and dl.debris == "Japan Flag"
    assert text[dl.start : dl.end] == "Tokyo"


def test_offsets_are_into_the_whole_text():
    text = "Headline\n\nBERLIN, May 2 - Body"
    dl, _ = find_dateline(text, 10, len(text))
    assert text[dl.start : dl.end] == "BERLIN"


@pytest.mark.parametrize(
    "opening, place",
    [
        ("New york, March 2 - Shares", "New york"),
        ("BRUSSELS, MARch 9 - The EC", "BRUSSELS"),
        ("****RIO DE JANEIRO, March 19 - Brazil", "RIO DE JANEIRO"),
        ("CAMP MURRAY, Wash. - The Guard", "CAMP MURRAY, Wash."),
        ("Hanoi (VNA) \u2013 Vietnam", "Hanoi"),
    ],
)
def test_wire_typos_and_markup(opening, place):
    dl, _ = find_dateline(opening, 0, len(opening))
    assert dl is not None and dl.text == place


def test_labels_are_not_places():
    assert find_dateline("BREAKING NEWS: A fire", 0, 21) == (None, None)
