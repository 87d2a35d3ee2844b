"""Datelines: the place (and date) that opens a wire story.

    Moscow -                         place only
    HONG KONG, April 8 -             place, date
    WASHINGTON (Reuters) -           place, agency
    LOS ANGELES, Feb 26 -            place, abbreviated month
    FORT WORTH, Texas, March 12 -    city, state, date
    MOSCOW, Nov. 18 (AP) --          date and agency, double hyphen
    Russia FlagMoscow -              scraping debris glued in front ("Russia Flag" is image alt text)

The separator is a hyphen, en or em dash, or a double hyphen, with spaces around it (or only after
it, as in Reuters' `SALVADOR, Feb 26 -`). An all-caps place may also end with a colon
(`NEW DELHI:`), as some agencies write it.
"""

from __future__ import annotations

import re

from newstag.types import Dateline

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
# Case-insensitive months: wire copy has "MARch 9" and "march 31" typos.
_DATE = rf"(?i:{_MONTH})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# One word of a place name: capitalised (Moscow, Fort, St., al-Quds, O'Hare) or all caps (NEW, YORK),
# in any alphabet's letters (ÜRÜMQI, İZMIR, ŁÓDŹ): a letter here, its case checked after the match
# (find_dateline), since a regex class cannot say "an upper-case letter" beyond ASCII.
_WORD = r"[^\W\d_][\w'’.\-]*"
# Later words may be lower-case ("New york, March 2 -"); _plausible_place decides whether to accept.
_NEXT_WORD = r"[^\W\d_][\w'’.\-]*"
# Up to five words, joined by spaces: "RIO DE JANEIRO" needs lower-case particles too.
_NAME = rf"{_WORD}(?:[ \t]+{_NEXT_WORD}){{0,5}}"

_DATELINE_RE = re.compile(
    rf"""
    ^(?P<lead>\s*[*#>]*\s*)                       # "****RIO DE JANEIRO": markup debris
    (?P<place>{_NAME}(?:,[ \t]+{_NAME})?)           # place, optionally ", State" / ", Country"
    (?:,?\s+(?P<date>{_DATE}|{_WEEKDAY}))?        # ", April 8"
    (?:\s*\((?P<agency>[A-Za-z][\w .\-]{{0,30}}?)\))?  # " (Reuters)"
    \s*(?P<sep>--|-|–|—|:)\s
    """,
    re.VERBOSE,
)

# Debris: a word glued to the place with no space, as in "FlagMoscow": the scraper dropped the
# space between an image's alt text and the first word of the story.
_GLUE_RE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_DEBRIS_WORDS = {"flag", "photo", "image", "picture", "file", "icon", "logo", "map", "video", "graphic"}


def find_dateline(text: str, start: int, end: int) -> tuple[Dateline | None, str | None]:
    """The dateline at `text[start:end]`'s opening, and the agency it credits, if any.

    Offsets of the returned Dateline point into `text`.
    """
    # Only the opening of the body can hold a dateline; cap the window so a hostile long line
    # costs nothing.
    window = text[start : min(end, start + 160)]
    m = _DATELINE_RE.match(window)
    if not m or not m.group("place")[0].isupper():
        return None, None
    place = m.group("place")
    sep = m.group("sep")
    place_start = start + m.start("place")
    debris = None

    pieces = _GLUE_RE.split(place)
    if len(pieces) > 1:
        # "Russia FlagMoscow": the place is what follows the last glue point.
        glued_at = place.rfind(pieces[-1])
        debris = place[:glued_at].strip() or None
        place = place[glued_at:]
        place_start += glued_at
    else:
        words = place.split()
        # "Photo Moscow -" style debris: a known alt-text word ahead of a one- or two-word place.
        for i, w in enumerate(words[:-1]):
            if w.lower().strip(".:") in _DEBRIS_WORDS:
                cut = place.find(words[i + 1], place.find(w) + len(w))
                debris = place[:cut].strip()
                place = place[cut:]
                place_start += cut
                break

    if not _plausible_place(place, sep, m.group("date"), m.group("agency")):
        return None, None
    dateline = Dateline(
        text=place,
        start=place_start,
        end=place_start + len(place),
        date=m.group("date"),
        raw=window[m.start("place") : m.end("sep")].strip() if debris is None else text[place_start : start + m.end("sep")].strip(),
        debris=debris,
    )
    return dateline, m.group("agency")


_PARTICLES = {"de", "da", "do", "del", "la", "le", "el", "al", "of", "am", "upon", "sur", "en", "dos", "das"}
# All-caps labels that open web copy the way a dateline does, but name no place.
_LABELS = {"BREAKING", "BREAKING NEWS", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH", "VIDEO", "PHOTOS", "CORRECTION",
           "ANALYSIS", "OPINION", "EDITORIAL", "COMMENT", "LIVE", "REVIEW", "NOTE", "EDITOR'S NOTE", "FILE", "RPT"}


def _plausible_place(place: str, sep: str, date: str | None, agency: str | None) -> bool:
    """Reject openings that only look like datelines ("The company said - ...")."""
    words = place.replace(",", " ").split()
    if not words or len(words) > 6 or place.upper() in _LABELS:
        return False
    all_caps = place.upper() == place
    if sep == ":" and not all_caps:
        return False  # "Note: ..." / "Update: ..." are not datelines
    if date:
        return len(words) <= 5  # "New york, March 2 -": the date vouches for a lower-case typo
    if agency or all_caps:
        return all(w[0].isupper() or w in _PARTICLES for w in words)
    # Mixed case with no date or agency: every word must be capitalised or a particle, and the
    # opening must be short ("Moscow", "New York", "Rio de Janeiro, Brazil").
    return len(words) <= 4 and all(w[0].isupper() or w in _PARTICLES for w in words)
