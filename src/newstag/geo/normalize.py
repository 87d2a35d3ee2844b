"""The one text normalizer shared by the gazetteer build and the matcher.

Both sides must fold text the same way or names stop matching, so this module is the only
place that decides it. Folding is length-preserving (character for character), so offsets
found in folded text are offsets into the original text.
"""

from __future__ import annotations

import re

# Typographic apostrophes and dashes that news text uses interchangeably with ASCII ones.
_FOLD = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u00a0": " "}


def fold(text: str) -> str:
    """Case-preserving fold used for matching: same length as `text`."""
    # Every character folded is non-ASCII, and most stories are ASCII: nothing to do. Otherwise a
    # replace per character (a C scan each) beats str.translate's per-character dict look-up.
    if text.isascii():
        return text
    for typographic, plain in _FOLD.items():
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


def key(text: str) -> str:
    """Case-insensitive look-up key (dateline places, all-caps headlines)."""
    return " ".join(fold(text).lower().split())


def headline_case(text: str) -> str:
    """'HONG KONG, April 8' -> 'Hong Kong, April 8' when that keeps every offset, else `text`.

    All-caps segments (wire headlines and datelines) would otherwise match nothing, because
    place names are matched case-sensitively to keep "turkey" and "march" out.
    """
    titled = text.title()
    # str.title() capitalises after apostrophes ("Canada'S"): harmless for matching, since the
    # character after a name is only checked for being a letter or digit.
    return titled if len(titled) == len(text) else text


# The first run of letters of an alias: "San" of "San José", "U" of "U.A.E.". The matcher keys
# aliases by it, so the build (which stores the index) and the matcher must cut it the same way.
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def first_word(text: str, pos: int = 0) -> str | None:
    m = _FIRST_WORD.match(text, pos)
    return m.group() if m else None
