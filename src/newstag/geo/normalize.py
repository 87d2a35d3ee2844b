"""The one text normalizer shared by the gazetteer build and the matcher.

Both sides must fold text the same way or names stop matching, so this module is the only
place that decides it. Folding is length-preserving (character for character), so offsets
found in folded text are offsets into the original text.
"""

from __future__ import annotations

import re
import unicodedata

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


# Letters that Unicode does not decompose into a base letter and a mark, as English writes them.
_PLAIN_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                                "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d",
                                "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L"})
# The German and Scandinavian way to write a vowel without its marks: Koeln, Goeteborg, Aarhus.
_DIGRAPHS = str.maketrans({"ä": "ae", "Ä": "Ae", "ö": "oe", "Ö": "Oe", "ü": "ue", "Ü": "Ue", "å": "aa", "Å": "Aa",
                           "ø": "oe", "Ø": "Oe"})


def unaccent(text: str) -> str:
    """'Bogotá' -> 'Bogota', 'Łódź' -> 'Lodz', 'İzmir' -> 'Izmir': accents and strokes removed.

    Not length-preserving ("ß" -> "ss"): it makes gazetteer names and look-up keys, never
    offsets. ASCII text is returned as it is."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", fold(text).translate(_PLAIN_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def spellings(name: str, digraphs: bool = False) -> list[str]:
    """The ways English text writes `name`: as it is, without accents, and (`digraphs`) with
    umlauts as digraphs ('Köln' -> ['Köln', 'Koln', 'Koeln']). The build stores each as a full
    name of the place, so that text written either way matches it (and `key` finds it in any case)."""
    out = [name]
    for variant in (unaccent(name), unaccent(name.translate(_DIGRAPHS)) if digraphs else name):
        if variant not in out:
            out.append(variant)
    return out


def key(text: str) -> str:
    """Case- and accent-insensitive look-up key (dateline places, all-caps headlines, qualifiers)."""
    return " ".join(unaccent(text).lower().split())


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
