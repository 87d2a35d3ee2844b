"""Person-name and title evidence for the detector: is this capitalised place name a person's?

A place name is taken for part of a person's name, or of a title or an organisation, from what
stands next to it in the article, with name lists built into the gazetteer (build.py): the US
Census first names (the `names` package) and the titles of nameparser beside ours; and with the
word table (data/word_use.json, build.build_word_use): the words English writes in lower case
(`ordinary`) and the words of the never list that are person names (`never_names`: "David",
"Johnson").

    title before      "President Jordan", "Mr. Chad", "astronomer Anthony Boccaletti", "son Barron"
                      (a lower-case title only before a small town's name or before a name
                      that a surname follows: "senior US official" keeps the US, "president
                      Vladimir Putin" is a person)
    initials before   "J.M. Barrie" (a compass point is none: "S.E. Paris"); a middle initial
                      after: "Judah P. Benjamin"
    name before       "Barack Obama", "Kyle Rittenhouse", "David Blackburn": a capitalised word
                      that is not a place, a modifier ("North"), a word of the never list other
                      than a name of it, or a sentence's first word, unless that first word is a
                      known first name ("Kyle"), or no ordinary word before a surname ("Johns
                      Hopkins"); before a country or US state, only a known first name ("Michael
                      Jordan", not "Local Ireland")
    name after        a first name or a small town's name before another capitalised word that
                      is not a place: "Wayne Tseng", "Gary Johnson", "Supreme Court", "Vice
                      President", "Redfield & Wilton"
    speech after      a small town's name before "said", "told": "Walters said"
    full name         a name before a capitalised word that the story also writes alone as a
                      surname, before "said" or after a title: "Vladimir Putin ... Putin said"

The detector then drops every other mention of a name found to be a person's in the same story
(`Sanders` after "Bernie Sanders"); a name found as the first word of a longer name is dropped
only there ("Dublin Historical Society" says nothing against "in Dublin").
"""

from __future__ import annotations

import re

from newstag.geo.gazetteer.store import GIVEN, NAMELIKE, Gazetteer

# Capitalised words that may stand before a place name without making it a surname.
MODIFIERS = frozenset(
    "North South East West Northern Southern Eastern Western Central Northeast Northwest Southeast "
    "Southwest Northeastern Northwestern Southeastern Southwestern Greater Downtown Metro Upstate "
    "Downstate Lower Upper Inner Outer Suburban Rural Coastal Mid Old New Little Great Occupied "
    "Mainland Communist Democratic Socialist Imperial Colonial Tsarist Nazi Post-Soviet Modern Ancient "
    "The In At From To Near Across Outside Inside Throughout Around Visit Visiting Via Into "
    "And Or Of For With Without Both Between Like Unlike Including Except Beyond Along Within Since "
    "Until After Before During While When Where If As But So Yet Only Even All Every Each Some Many".split()
)
# (Small letters of Latin-1 and Latin Extended-A too: "Wanda Vázquez", "George Pólya".)
_WORD_AFTER = re.compile(r" ([A-Z][a-z\u00DF-\u00FF\u0100-\u017F]+)")
# The same, or a firm's second name: "Redfield & Wilton Strategies".
# (A capital of Latin-1 or Latin Extended-A first too: "Stanislav Štefl".)
_NAME_AFTER = re.compile(r" (?:& )?([A-Z\u00C0-\u00DE\u0100-\u017F][a-z\u00DF-\u00FF\u0100-\u017F]+)")
# Nouns for a person's family or spokesman, before a name as a title is: "son Barron",
# "spokesman Hami Aksoy" (nameparser's titles hold ranks and offices, not these).
PERSON_NOUNS = frozenset(
    "son sons daughter daughters wife husband widow widower nephew niece cousin grandson granddaughter "
    "stepson stepdaughter fiancé fiancée spokesman spokeswoman spokesperson".split())
# A reporting verb straight after a name: "Walters said", "Kelly told reporters".
_SPEECH_AFTER = re.compile(r" (?:said|says|told|added|asked|explained|noted|stated|wrote|argued|replied)\b")
# Initials before a name, or a middle initial after it, make it a person's: "J.M. Barrie", "Judah P. Benjamin".
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}$")
# ... but not a compass point written so: "S.E. Paris", "N.W. Washington".
_COMPASS_POINT = re.compile(r"[NS]\.[EW]\.$")
_POSSESSIVES = ("'s ", "’s ")
_MIDDLE_INITIAL = re.compile(r" [A-Z]\. [A-Z][a-z]")


class PersonNames:
    """The person-name rules over one gazetteer's word lists; `is_place_word` tells a word that
    is a place before anything else (a country, a US state) and so never part of a person's name;
    `sentence_initial(text, pos)` whether text[pos] opens a sentence."""

    def __init__(self, g: Gazetteer, is_place_word, sentence_initial) -> None:
        self._g = g
        self.titles = g.titles
        self.given_names = g.given_names
        self.never = g.never
        # The words of `never` that are person names ("David", "Johnson": build.build_word_use):
        # beside a place name they make it a person's, as any other name does.
        self.never_names = g.never_names
        self.ordinary = g.ordinary
        # Words that may stand before a name as a title does (title_before reads them).
        # Plurals of the lower-case titles too: "US presidents George Washington and Ulysses S. Grant".
        self.title_words = self.titles | PERSON_NOUNS | {t + "s" for t in self.titles if t.isalpha() and t.islower()}
        self._is_place_word = is_place_word
        self._sentence_initial = sentence_initial

    def _surname_only(self, word: str) -> bool:
        """Whether every reading of `word` in the gazetteer is a Census name (NAMELIKE) that is no
        common first name (GIVEN) and no country: "Washington"."""
        cands = self._g.lookup(word)
        return bool(cands) and all(c.flags & NAMELIKE and not c.flags & GIVEN and self._g.ptype[c.pid] != "country"
                                   for c in cands)

    def title_before(self, prev: str | None, small_town: bool, folded: str = "", end: int = 0) -> bool:
        """"President Jordan", "J.M. Barrie"; a lower-case title ("astronomer") only before a small
        town or before a name that a surname follows at folded[end] ("president Vladimir Putin")."""
        if prev is None:
            return False
        if prev in self.title_words:
            return prev[0].isupper() or small_town or self.surname_after(folded, end)
        # (Initials end in a period: the regexes only then. This runs for most names.)
        return prev[-1] == "." and _INITIALS.match(prev) is not None and _COMPASS_POINT.match(prev) is None

    @staticmethod
    def middle_initial_after(folded: str, end: int) -> bool:
        return _MIDDLE_INITIAL.match(folded, end) is not None

    def name_before(self, prev: str | None, folded: str, prev_start: int, name: str | None = None,
                    surname: bool = False, small_town: bool = False) -> bool:
        """"Barack Obama": `prev`, the word at folded[prev_start:] before the name, is a capitalised
        word that is not a place or modifier; a sentence's first word only when it is a known first
        name ("Kyle Rittenhouse ..."). Before a `surname` (a one-word city that is also a Census
        name: "Blackburn", "Hopkins") or a small town's name, a first name of the never list counts
        too ("David Blackburn", "Erik Martin Vik"); before a surname, a sentence's first word that
        is no ordinary English word too ("Johns Hopkins"). A country keeps its name ("Christian
        Lebanon"). Before a `name` that is a place first of all (a country, a US state), only a
        known first name: "Michael Jordan", but "Politics Ukraine's", "Local Ireland" keep their
        country."""
        return (
            prev is not None
            and prev[0].isupper()
            and prev.isalpha()
            and prev not in MODIFIERS
            # An acronym names no person: "Post COVID Melbourne".
            and not prev.isupper()
            and (prev not in self.never or ((surname or small_town) and prev in self.never_names))
            # "An Albany man" opens a sentence with "An", a first name too: two letters are not
            # enough. (Asked last: most words before a name are settled by the checks above.)
            and ((len(prev) > 2 and (prev in self.given_names or (surname and prev not in self.ordinary)))
                 or not self._sentence_initial(folded, prev_start))
            and not self._is_place_word(prev)
            and (name is None or prev in self.given_names or not self._is_place_word(name)
                 or self._title_at(folded, prev_start))
        )

    def _title_at(self, folded: str, pos: int) -> bool:
        """Whether the word before folded[pos] (one space between) is a title: "Actor Denzel
        Washington", "President Barack Obama" (a first name and a title: a person's full name)."""
        if pos < 2 or folded[pos - 1] != " ":
            return False
        j = folded.rfind(" ", max(0, pos - 30), pos - 1)
        word = folded[j + 1 : pos - 1]
        return word in self.title_words or word.lower() in self.title_words

    def opens_a_name(self, prev: str) -> bool:
        """Whether `prev`, a sentence's first word, is one that no English sentence opens with:
        capitalised, no ordinary word (build.build_word_use), no modifier and no place
        ("Deutsche" in "Deutsche Welle")."""
        return (len(prev) > 2 and prev[0].isupper() and prev.isalpha() and prev not in self.ordinary
                and prev not in MODIFIERS and not self._is_place_word(prev))

    def name_after(self, folded: str, end: int) -> bool:
        """A capitalised word after the name that is not a place: "Jordan Smith", "Supreme Court",
        "Redfield & Wilton"."""
        after = _NAME_AFTER.match(folded, end)
        if after is None:
            return False
        word = after.group(1)
        return (word not in self.never or word in self.never_names) and not self._is_place_word(word)

    def full_name_after(self, folded: str, name: str, end: int, start: int, stop: int) -> bool:
        """"Vladimir Putin ... Putin said": the capitalised word after the name is written alone
        elsewhere in folded[start:stop] as a person's surname is, before a reporting verb or
        after a title ("Putin said", "President Putin"). An organisation's head noun written alone
        ("the Chronicle") is no such evidence, nor is a place or a modifier."""
        after = _WORD_AFTER.match(folded, end)
        if after is None:
            return False
        word = after.group(1)
        if word in MODIFIERS or self._is_place_word(word):
            return False
        full = name + " "
        if folded.count(word, start, stop) <= folded.count(full + word, start, stop):
            return False  # never written without the name (counted in C: the usual answer)
        at = folded.find(word, start, stop)
        while at >= 0:
            tail = at + len(word)
            if folded[at - len(full):at] != full and not folded[tail:tail + 1].isalnum():
                prev = folded[max(start, at - 20):at].rsplit(None, 1)
                if _SPEECH_AFTER.match(folded, tail) or (prev and at > 0 and folded[at - 1] == " " and prev[-1] in self.titles):
                    return True
                if folded.startswith(_POSSESSIVES, tail) and word not in self.ordinary:
                    return True  # "George Floyd ... Floyd's death": a surname alone, as a person's
            at = folded.find(word, tail, stop)
        return False

    def surname_after(self, folded: str, end: int, never: bool = True) -> bool:
        """A capitalised word after the name that is no place and no ordinary English word (see
        build.build_word_use): a surname, "Vladimir Putin", "Kobe Bryant". With `never` False,
        a word of the never list counts only if it is a person's name (never_names): "Augusta
        Herald" and "Cleveland Republican" are no person's."""
        after = _WORD_AFTER.match(folded, end)
        if after is None:
            return False
        word = after.group(1)
        if not never and word in self.never and word not in self.never_names:
            return False
        if word in self.ordinary:
            return False
        # A place word that is a Census surname and no first name, as a state's name can be:
        # "George Washington" (not "Jordan Georgia": Georgia is a first name too).
        return not self._is_place_word(word) or (not never and self._surname_only(word))

    @staticmethod
    def speech_after(folded: str, end: int) -> bool:
        return _SPEECH_AFTER.match(folded, end) is not None
