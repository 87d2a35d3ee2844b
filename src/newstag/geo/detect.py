"""2a. Detect: find place names, demonyms, seats of government and region names in an article.

Raw gazetteer hits are about half false ("March", "Police", "Obama" the town in Japan, "Chad"
the first name), so most of this module is filtering:

    1. find every alias case-sensitively, leftmost-longest: at each capitalised word, the aliases
       that begin with that word (the gazetteer's first-word index) are tried longest first, so
       "turkey" and "reading" in lower case never match; all-caps headlines and datelines are
       matched in title case instead;
    2. keep hits that stand on word boundaries;
    3. drop person names, titles and the first words of longer names (persons.py; also honours,
       "the Berwick Prize", compounds of peoples, "Arab–Israeli", and a small town inside a run
       of capitalised words, "United States Postal Service"), then every other mention of a
       name found to be a person's, unless written as a place there;
    4. keep an ordinary English word that is also a place ("Reading", "Nice"; or a small town
       named like a word English writes in lower case, "Forest") only after a locative word ("in
       Reading"; "of" only as _of_place says), with a qualifier ("Nice, France") or in the
       dateline; mark a name after a locative, or in a list that one opens, as a likely place;
    5. read "City, State" / "City, Country" / "City, Calif." as a qualifier for resolution;
    6. a name that opens the name of a street, a sea or a place the gazetteer lacks ("Nelson
       Street", "Thames Valley", "Lake Cunningham") is a mention of that, unresolved.

In a title-case or all-caps headline every word is capitalised, so rules 3-4 cannot work there;
a headline keeps only strong names (countries, demonyms, states, regions, large cities) and
names the body also mentions.
"""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from newstag.geo.gazetteer.store import ALT, COMMON, GIVEN, NAMELIKE, Candidate, Gazetteer
from newstag.geo.normalize import first_word, fold, headline_case
from newstag.geo.persons import MODIFIERS, PersonNames
from newstag.geo.records import detected_maker, make_mention
from newstag.types import Article, Mention

HEADLINE_MIN_CITY_POPULATION = 100_000
# A one-word name whose places are all towns smaller than this is a "small town": written
# before another capitalised word it is taken for the first word of a longer name ("Supreme
# Court"; see persons.py), and opening a sentence for an ordinary capitalised word ("Since",
# "Drug"); big cities are left alone ("London Stock Exchange").
SMALL_TOWN_MAX_POPULATION = 100_000
# A first name before a surname is a person's unless one of its places is a city this large
# ("Paris Hilton", "the Columbus Metropolitan Library" stay the cities: a reader knows a city of
# half a million first; "George Floyd" is a person).
FIRST_NAME_MAX_POPULATION = 500_000
# After a qualifier, what shows that it was an item of a list instead.
_LIST_GOES_ON = re.compile(r",? (?:and|or|&) [A-Z]|, [A-Z]")
_QUALIFIER = re.compile(r", ?([A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?)")
# An all-caps place (up to four words), an optional ", Qualifier", an optional "(AP)", a dash;
# at the start of the text or of a sentence.
_INLINE_DATELINE = re.compile(
    r"(?:^|(?<=[.!?\"”]) +|\n)\s*([A-Z][A-Z.'\-]{2,}(?: [A-Z][A-Z.'\-]+){0,3})(, ?[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
    r" *(?:\([A-Za-z ]+\) *)?(?:—|–|--?) ", re.M)
INLINE_DATELINE_CHARS = 400  # how far into the text a dateline is looked for
# What can stand before the dash of such a dateline (spaces aside): the end of the place, of its
# qualifier, or of "(AP)". A dash after anything else ("Feb 26 - ") starts none.
_BEFORE_DATELINE_DASH = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.'-)")
# A noun for a place's people or institutions after a name makes it a place, not a person or a
# thing; a town's own institutions ("Palestine Civic Center") also tell a town from a country.
_PLACE_NOUN_AFTER = re.compile(
    r" (?:police|residents?|man|woman|men|women|boy|girl|natives?|officials|council|councilman|councilwoman|mayor|"
    r"president|trustees?|clerk|treasurer|supervisors?|"
    r"township|village|city|town|county|schools?|school district|fire department|area|neighborhood|"
    r"[Pp]olice [Dd]epartment|City Council|Town Council|Township|Village|City Hall|Fire Department|firefighters|"
    r"Civic Center|Public Library|Chamber of Commerce)\b")
# The letters that begin _PLACE_NOUN_AFTER's words (read off its alternatives, "[Pp]olice" giving
# both): a name followed by anything else needs no call of the regex.
_PLACE_NOUN_FIRST = frozenset(
    "".join(w[1 : w.index("]")] if w[0] == "[" else w[0]
            for w in _PLACE_NOUN_AFTER.pattern[len(" (?:") : -len(")\\b")].split("|")))
# An office or body of a place after a name: a place, not a person ("Enfield Council", "Laguna
# Mayor"), but no evidence for which namesake ("Enfield" is in England and in Connecticut).
_OFFICE_AFTER = re.compile(r" (?:Council|Mayor|Selectman|Selectmen|Public Schools)\b")
# A name that opens a street's, an estate's, a sea's or a small place's name (up to two more
# capitalised words before the word for its kind) is not a mention of the place but of that
# other one, which the gazetteer lacks: "Nelson Street", "Pine Needle Drive", "Southland Vista
# Court", "Northland apartments", "the Indian Ocean", "South China Sea", "the Brandenburg Gate"
# (in Berlin, not in Brandenburg), "Abu Shok refugee camp", "Thames Valley". ("Annville Township"
# is Annville: see _PLACE_NOUN_AFTER.) An abbreviation's period ends the word ("Cumberland St.,",
# "Cedar Flat Rd. in"), but not before a capitalised word: "Dr. Smith", "St. Louis" are a title and a saint.
_KIND_OF_PLACE = (r"(?:(?:Street|Avenue|Road|Drive|Boulevard|Lane|Circle|Vista|[Aa]partments|Sea|Ocean|Gate|"
                  r"(?:refugee )?[Cc]amp|Valley|Hills?|Creek|Canyon|Mountains?)\b|(?:St|Ave|Rd|Dr|Blvd|Ln)\.(?! [A-Z]))")
# (Written as "a kind, or a word and then a kind or a word and a kind" rather than "up to two
# words, then a kind": the same matches without backtracking over the words, a third faster.)
_NOT_THE_PLACE_AFTER = re.compile(
    rf" (?:{_KIND_OF_PLACE}|[A-Z][a-z]+ (?:{_KIND_OF_PLACE}|[A-Z][a-z]+ {_KIND_OF_PLACE}))")
# The kinds above that are written in lower case: a name followed by one of them needs the regex.
_LOWER_KINDS = (" apartments", " camp", " refugee camp")
# Words before "The X" that go to a place, not to a publication or a work ("visit The Crescent").
_GOING_BEFORE_THE = re.compile(r"\b(?:visit|visits|visited|visiting|near|inside|outside|into|toward|towards) $")
# A list of capitalised names after a preposition of place (or "of" after a lower-case word:
# "the communities of San Juan, Choropampa, and Magdalena"), up to the name that ends it.
_LIST_AFTER_LOCATIVE = re.compile(r"\b(?:in|at|from|near|across|around|throughout|between|visited|visiting|[a-z]+ of)"
                                  r"(?: [A-Z][\w.'-]*)+(?:,(?: [A-Z][\w.'-]*)+)*,?(?: and| or)? $")
# An honour after a name, perhaps after the rest of a person's name: "Berwick Prize", "George Pólya
# Prize", "the Stanley Cup".
_HONOUR_AFTER = re.compile(r"(?: [A-Z][^\W\d_]+){0,2} (?:Prize|Award|Medal|Trophy|Cup|Lecture|Fellowship|Scholarship)s?\b")
# Lower-case nouns for an organisation, a publication, a work or a performer, which stand before
# its name as a title stands before a person's ("the news agency Fars", "newspaper The Hill",
# "software company Red Hat", "rapper Jay-Z", "reality show Terrace House").
_ORGANISATION_NOUNS = frozenset(
    "agency newspaper magazine tabloid daily weekly website outlet network channel broadcaster company "
    "firm maker manufacturer retailer carrier airline bank band rapper singer musician actor actress "
    "show series programme film movie album brand label startup tank publisher".split())
# A law or theorem named for a person after the name: "Newton's laws", "Kepler's and Newton's law".
_NAMED_LAW_AFTER = re.compile(r"['’]s (?:(?:and|or) [A-Z][a-z]+['’]s )?(?:laws?|theorems?|principle|equations?|constant|conjecture)\b")
# The letters after an apostrophe that make a contraction of the word before: "Don't", "We'll",
# "They're", "I'm", "You've", "He'd" (not "s": "Paris's" is the place's).
_CONTRACTION_LETTERS = frozenset("tlrmvd")
# Words after a name that make it the first word of an organisation's name, not a place: the
# nouns of institutions named for people or towns ("Clemson University", "Harvard Law School",
# "the Monmouth poll") and words of the never list that begin no place's name (the caller tells
# a place's offices, "Ozark Police", apart first: see _PLACE_NOUN_AFTER and _OFFICE_AFTER).
_INSTITUTION_AFTER = re.compile(r" (?:(?:Law |Medical |Business )?(?:University|College|School|Institute|Academy)"
                                r"|poll|polls|survey)\b")
_OPENING_QUOTES = frozenset('"“')
_CLOSING_QUOTES = frozenset('"”')
# Words of the never list for natural features and grounds: before a name they make a run of
# place words ("Paddock Hill Bend", "Trinity Beach Mooroobool"), a place's name the gazetteer
# lacks, not an organisation's ("Red Hat", "Postal Service").
_FEATURE_WORDS = frozenset("Hill Hills Park River Valley Lake Lakes Beach Bay Island Islands Mount Mountains "
                           "Coast Harbor Harbour Port Bridge Square Plains Delta Plateau Highlands".split())
# Capitalised plural nouns of persons that name fellowships with "of": "Knights of Columbus".
_FELLOWSHIP_OF = re.compile(r"\b(?:Knights|Sisters|Brothers|Sons|Daughters|Friends|Fathers|Mothers|Servants|"
                            r"Soldiers|Children|Ladies|Disciples|Followers|Heroes) $")
# A source of news before a name: "according to Forbes".
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to $")
# A name written before "de", "du", "des", "del", "della" or "di" and a capitalised word opens
# a longer name in French, Spanish or Italian ("Observatoire de Paris", "Banco de Venezuela"),
# which the gazetteer lacks when it lacks the whole.
_ROMANCE_OF = re.compile(r" (?:de|du|des|del|della|di) [A-Z]")
# How _ROMANCE_OF's and the lower-case _INSTITUTION_AFTER's matches begin: str.startswith
# settles most names without the regexes (see Detector._inside_a_name).
_ROMANCE_OF_STARTS = (" de ", " du ", " des ", " del", " di ")
_LOWER_INSTITUTION_STARTS = (" poll", " survey")
# The planets, which towns are named for ("Jupiter", Florida; "Mercury", Nevada): in a story about
# astronomy (_ASTRONOMY) the name is the planet. The class is closed, so it is listed.
_PLANETS = frozenset("Mercury Venus Mars Jupiter Saturn Uranus Neptune Pluto".split())
_ASTRONOMY = re.compile(r"\b(?:[Pp]lanet|[Oo]rbit|[Ss]olar [Ss]ystem|[Tt]elescope|[Aa]stronom|[Ss]pacecraft|"
                        r"[Gg]alax|[Ee]xoplanet)")
# A determiner before a capitalised word that ends a clause (punctuation after it): a noun the
# story writes as a common noun ("a God,", "their God."); a town's name takes none ("a Hinton
# man", "every Seattle Seahawks game": a word follows, and the name is the town's or a team's).
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|their|his|her|my|our|your|its|no|every|any) $")
_CLAUSE_END = frozenset(',.;:!?)"”')


def _in_other_script(text: str, start: int, end: int) -> bool:
    """Whether most letters within 30 characters of text[start:end] (the mention left out) are of
    a script other than Latin, Greek and Cyrillic (Devanagari, Arabic, Han: from U+0590 on)."""
    other = latin = 0
    for ch in text[max(0, start - 30) : start] + text[end : end + 30]:
        if ch.isalpha():
            if ch >= "\u0590":
                other += 1
            else:
                latin += 1
    return other > latin


# The same before the name: "Lake Cunningham", "Mount Hope".
_NOT_THE_PLACE_BEFORE = re.compile(r"(?:Lake|Mount|Mt\.) $")
# A demonym used for a language: "in Spanish,", "speaks in Spanish after", "studying Portuguese."
_LANGUAGE_BEFORE = re.compile(r"(?:\b(?:in|speaks?|spoke|speaking|studying|study|learn|learning|learned|fluent in)|"
                              r"\bin [A-Z][a-z]+ (?:and|or)) $")
_LANGUAGE_AFTER = re.compile(r"(?:[.,;:!?)\"'”]|\s+(?:and|or|after|before|with|to|as|on|at|for|by|but|"
                             r"translation|subtitles|speakers?|classes?|lessons?)\b|\s*$|-speaking|-language)")
# Spellings that tell American from Commonwealth English: the story's home among English-speaking
# countries when its towns have namesakes in both ("Mansfield", "Cambridge", "Hamilton").
# Found as a non-word character and the word after it (what \b before a letter says; the caller
# puts a space before the text for its first word), so the regex engine stops only at spaces and
# punctuation. The words matched (a prefix of the story's word: "colours", "centred") tell the
# side by SPELLING_SIDE.
_SPELLING = re.compile(
    r"\W(c(?:olou?r|ent(?:er|re)|ouncillor|ounselor)|favou?r|neighbou?r|labou?r|h(?:onou?r|arbou?r)|"
    r"t(?:heat(?:er|re)|yre|ravelled|raveled)|p(?:er ?cent|rogram(?:me)?)|organi[sz]ation|reali[sz]e|whilst|kerb|"
    r"defen[cs]e)")
# On ASCII text \W means the same in ASCII mode, where the engine tests it by table: a third faster.
_SPELLING_ASCII = re.compile(_SPELLING.pattern, re.ASCII)
_GB_SPELLINGS = ("colour favour neighbour labour honour harbour centre theatre organisation realise programme "
                 "councillor whilst tyre kerb travelled defence").split() + ["per cent"]
_US_SPELLINGS = "color favor neighbor labor honor harbor center theater percent organization realize counselor traveled defense"
SPELLING_SIDE = {**dict.fromkeys(_GB_SPELLINGS, "GB"), **dict.fromkeys(_US_SPELLINGS.split(), "US")}  # "program": both
# The end of a sentence: [.!?], closing quotes or brackets, white space; or a blank line. Written
# to begin with one character class so that the regex engine skips ahead to those characters.
_MATCH_END = re.Match.end
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=[.!?])[\"'”’)\]]*\s+|(?<=\n)\s*\n)")
_STRONG_TYPES = frozenset({"country", "admin1", "continent", "region"})


@dataclass(frozen=True, slots=True)
class Detected:
    """A mention with its gazetteer candidates and the qualifier written after it, if any."""

    mention: Mention
    candidates: tuple[Candidate, ...]
    qualifier: tuple[str, str | None] | None = None  # (country, admin1) from "City, State"
    alt: bool = False  # matched an alternate name only
    # Written the way places are: "Ozark police", "a Gainesville man".
    placelike: bool = False
    # After a preposition of place ("in Zara") or before a place's office ("Enfield Council"):
    # kept as an unresolved place if it resolves to none.
    likely_place: bool = False


make_detected = detected_maker(Detected)  # Detected(...) in half the time (see records.py)
_MENTION_START = attrgetter("mention.start")


class _StoryWords:
    """What the common-noun checks need to know of one story's one-word town names and first
    names (`_Alias.noun_check`), noted by _scan as it keeps each mention, so that
    Detector._without_common_nouns need not walk the mentions again."""

    __slots__ = ("evidence", "after_locative", "towns", "small", "given", "determined")

    def __init__(self) -> None:
        self.evidence: set[str] = set()  # written as a place somewhere: a qualifier, "X police", a dateline
        self.after_locative: set[str] = set()  # written after a preposition of place somewhere
        self.towns: set[str] = set()
        self.small: set[str] = set()  # small towns among them
        self.given: set[str] = set()  # first names too (GIVEN)
        self.determined: set[str] = set()  # written after a determiner and before punctuation: "a God,"


class _Segment(NamedTuple):
    """A stretch of text the detector scans: the body, or the title (in the text or apart). A
    named tuple, not a frozen dataclass: two are made per story, and a frozen dataclass's
    __init__ costs ~0.3 µs a field (see records.py)."""

    text: str
    folded: str  # normalize.fold(text): same length
    start: int
    end: int
    headline: bool  # title-case or all-caps: only strong names count (module docstring)
    field: str  # "text" | "title": what the mentions' offsets point into
    in_title: bool
    numbered: bool  # mentions get their sentence's number (Mention.sentence): the body; 0 in a title
    skip: tuple[int, int] | None  # the dateline's span: matched by the parser already
    # _mostly_upper of the segment's first 400 characters (all caps: matched in title case), or
    # None for _scan to work it out (the caller has it for a title).
    upper: bool | None = None


@dataclass(frozen=True, slots=True)
class _Alias:
    """What the filters need to know about one alias, worked out once per process."""

    text: str
    candidates: tuple[Candidate, ...]
    is_name: bool  # every candidate is a plain place name (not a demonym, seat or region)
    given: bool  # a common first name ("Jordan")
    common: bool  # every candidate is also an ordinary English word ("Reading"), or a small town named like one ("Forest")
    alt: bool  # an alternate name of every candidate
    namelike: bool  # also a US Census first name or surname (NAMELIKE): "Hopkins"
    small_town: bool  # one word, only cities under SMALL_TOWN_MAX_POPULATION
    one_word_city: bool  # one word, only cities (of any size: "Vladimir")
    strong: bool  # may stand in a headline on its own
    kind: str
    # A US Census first name whose places are all cities under FIRST_NAME_MAX_POPULATION:
    # before a surname it is a person's ("George Floyd", "Donald Trump").
    first_name: bool = False
    # One word, a plain name, and a town's name (every place a city that is no capital) or a first
    # name too: the common-noun checks (_StoryWords, Detector._without_common_nouns) read it.
    town: bool = False
    noun_check: bool = False
    # None of given, small_town, first_name, one_word_city, common: of the person and name rules
    # of Detector._scan only the word before can apply (every later rule asks for one of those).
    plain: bool = False


def _title_case(title: str) -> tuple[bool, bool]:
    """(upper, headline) of a title: _mostly_upper of its first 400 characters, as _scan reads a
    segment, and whether it is written as a headline (all caps or _is_headline)."""
    upper = _mostly_upper(title[:400])
    return upper, (upper if len(title) <= 400 else _mostly_upper(title)) or _is_headline(title)


def _is_headline(s: str) -> bool:
    words = [w for w in s.split() if w[:1].isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.75


_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = b"abcdefghijklmnopqrstuvwxyz"
# Where an alias may begin: a capital and the letters after it (its first word). No look-behind
# in the pattern: it would make the regex engine try every position; the caller checks instead.
_CAPITAL_WORD = re.compile(r"[A-Z\u00C0-\u00DE\u0100-\u024F][^\W\d_]*")
# The same on ASCII text, where it can only match [A-Z][A-Za-z]*: plain byte classes, a third faster.
_CAPITAL_WORD_ASCII = re.compile(r"[A-Z][A-Za-z]*")

_LOWER_WORD = re.compile(r"[a-z]+\b")
# The word before a mention, for the person-name rules: a word, then exactly one space.
_PREV_WORD = re.compile(r"[A-Za-z][\w.'\-]*$")


def _mostly_upper(s: str) -> bool:
    """More than four ASCII capitals [A-Z] to each ASCII small letter [a-z]."""
    # Counted in C by deleting the letters from the UTF-8 bytes (other characters encode to
    # bytes >= 0x80, never letters): this runs on every title and body.
    data = s.encode("utf-8", "surrogatepass")  # a stray surrogate in the input must not raise
    lower = len(data) - len(data.translate(None, _ASCII_LOWER))
    if 5 * lower >= len(data):
        return False  # capitals are at most the other fifth: no more than four to each small letter
    upper = len(data) - len(data.translate(None, _ASCII_UPPER))
    return upper > 0 and upper > 4 * lower


# Capitalised words for a kind of place, which "of" and a place's name follow ("County of Brant").
_PLACE_KIND = frozenset(
    "City Town Township Village County Borough District Province State Republic Kingdom Commonwealth "
    "Emirate Principality Island Islands Isle Gulf Bay Port Cape Lake Mount Strait".split())


# The prepositions that put a person or a thing at a place, before a name of two words.
_AT_A_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near) $")
# Capitalised words after a small town's name that make it part of a person's or a party's
# name: a compass point ("Kanye West"; a town's quarter is written "West Kanye"), "Party" ("the
# Bread and Roses Party"), "House" (a house is named for a family or a show, "Terrace House";
# a building named for the town is not the town either). Words for a town's bodies or buildings ("Venice Commission", "Hinton
# Park") keep the town: they are named for it.
_NAME_PART_AFTER = frozenset("West East North South Party House".split())


# Lower-case nouns for a place, its parts, its people or its offices, before "of" and its name.
_PLACE_NOUNS = frozenset(
    "mayor mayors governor governors people residents citizens natives city town village county state province "
    "region capital suburb suburbs outskirts centre center heart streets part parts area areas district "
    "neighborhood neighbourhood council police officials north south east west".split())


def _of_place(folded: str, start: int, of_start: int, person_name: bool) -> bool:
    """Whether the "of" at folded[of_start] is a preposition of place for the name after it.

    After a kind of place it is ("County of Brant", "Republic of Korea"); after another
    capitalised word it is inside a name ("Court of Justice", "Union of Rail"); after a lower-case
    word it is, but before a name that is also a person's (`person_name`) only after a noun for a
    place, its people or its offices ("mayor of Kirkland"; not "purchases of Andres toilet paper")."""
    i = of_start - 1
    if i <= start or folded[i] != " ":
        return not person_name
    j = folded.rfind(" ", start, i)
    word = folded[j + 1 : i]
    if word[:1].isupper():
        return word in _PLACE_KIND
    return not person_name or word in _PLACE_NOUNS


def _sentence_starts(text: str, start: int, end: int) -> list[int]:
    return list(map(_MATCH_END, _SENTENCE_END.finditer(text, start, end)))  # a C loop: one a sentence of every story


class Detector:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.g = gazetteer
        # Aliases that begin in lower case, with their first word.
        self._lower = [(a, first_word(a)) for a in gazetteer.lower_aliases]
        self._aliases: dict[int, _Alias] = {}
        self._place_words: dict[str, bool] = {}
        # One tuple per name for what is made of gazetteer candidates here (a dateline's places
        # without demonyms, a state's abbreviation): the resolver caches its work per tuple.
        self._no_demonyms: dict[int, tuple] = {}
        self._state_candidates: dict[int, tuple[Candidate, ...]] = {}
        self._strong_of: dict[int, tuple] = {}
        self.persons = PersonNames(gazetteer, self._is_place_word, self._sentence_initial)

    def _places_only(self, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """`cands` without demonyms (a dateline names a place), the same tuple for the same `cands`."""
        got = self._no_demonyms.get(id(cands))
        if got is not None and got[0] is cands:
            return got[1]
        places = tuple(c for c in cands if c.kind != "demonym")
        if len(self._no_demonyms) < 100_000:
            self._no_demonyms[id(cands)] = (cands, places)  # `cands` kept: its id stays its own
        return places

    def _alias(self, idx: int) -> _Alias:
        info = self._aliases.get(idx)
        if info is None:
            g = self.g
            cands = g.candidates(idx)
            text = g.patterns[idx]
            town = all(g.ptype[c.pid] == "city" and not g.capital[c.pid] for c in cands)
            is_name = all(c.kind == "name" for c in cands)
            given = any(c.flags & GIVEN for c in cands)
            small_town = self._small_town(cands, text, SMALL_TOWN_MAX_POPULATION)
            # The gazetteer's COMMON flag, or a small town named like a word that English writes
            # in lower case (g.ordinary: "Forest", "Century", "Rail").
            common = all(c.flags & COMMON for c in cands) or (text in g.ordinary and small_town)
            one_word_city = self._small_town(cands, text, 10**10)
            first_name = text in g.given_names and self._small_town(cands, text, FIRST_NAME_MAX_POPULATION)
            info = self._aliases[idx] = _Alias(
                text=text,
                candidates=cands,
                is_name=is_name,
                given=given,
                common=common,
                alt=all(c.flags & ALT for c in cands),
                namelike=any(c.flags & NAMELIKE for c in cands),
                small_town=small_town,
                one_word_city=one_word_city,
                strong=any(self._strong(c) for c in cands),
                kind=self._kind(cands),
                first_name=first_name,
                town=town,
                noun_check=" " not in text and is_name and (town or given),
                plain=not (given or small_town or first_name or one_word_city or common),
            )
        return info

    def _matches(self, folded: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """(alias number, start, end) of every alias in folded[start:end], leftmost-longest.

        An alias begins at a capital that is not glued to a word before it (nor to "@"/"#":
        handles and tags) and ends on a word boundary (the next character is not a letter or
        digit): "Georgia" is not found in "Georgian", and "Georgian" (a demonym) is found instead.
        """
        g = self.g
        # This loop runs for every capitalised word of every story: look-ups bound to locals,
        # and a word that begins no alias (half of them) is settled by the cache alone.
        cached = g.first_word_entries.get
        entry_of = g._entry
        longest_in = g.longest_in
        out = []
        taken = start
        lower = []
        for alias, w in self._lower:
            i = folded.find(alias, start, end)
            while i >= 0:
                lower.append((i, w))
                i = folded.find(alias, i + 1, end)
        capital_word = _CAPITAL_WORD_ASCII if folded.isascii() else _CAPITAL_WORD
        if lower:  # "the Gulf": rare, so looked for by name instead of in the regex
            starts = heapq.merge(((m.start(), m[0]) for m in capital_word.finditer(folded, start, end)),
                                 sorted(lower))
        else:
            # (start, word) pairs made lazily: most words begin no alias, so m.start() is asked
            # only after the cache says one may (m[0] costs less than m.group()).
            starts = None
        for m in capital_word.finditer(folded, start, end) if starts is None else starts:
            if starts is None:
                word = m[0]
                entry = cached(word, False)
                if entry is None:
                    continue
                s = m.start()
            else:
                s, word = m
                entry = cached(word, False)
                if entry is None:
                    continue
            if s < taken:
                continue
            if s:
                c = folded[s - 1]
                if c.isalnum() or c == "@" or c == "#":
                    continue
            if entry is False:
                entry = entry_of(word)
                if entry is None:
                    continue
            lengths, by_length, by_second, next_two = entry
            after_word = s + len(word)
            if next_two is not None and folded[after_word : after_word + 2] not in next_two:
                continue  # "The company", "It was": no alias of the word goes on like that
            if by_second is None:
                # Most words begin aliases of no second-word groups: Gazetteer.longest_of_lengths
                # written out here (this runs for every capitalised word that may begin an alias).
                for n in lengths:
                    e = s + n
                    if e > end or (e < end and folded[e].isalnum()):
                        continue
                    idx = by_length[n].get(folded[s:e])
                    if idx is not None:
                        out.append((idx, s, e))
                        taken = e
                        break
            else:
                hit = longest_in(entry, folded, s, word, end)
                if hit is not None:
                    out.append((hit[0], s, hit[1]))
                    taken = hit[1]
        return out

    # -- one pass over a segment --------------------------------------------------------------
    def _scan(self, seg: _Segment, persons: set[str], words: _StoryWords,
              body_names: set[str] | None = None) -> tuple[list[Detected], list[Detected]]:
        """(mentions, deferred) in seg.text[seg.start:seg.end]. Deferred: small towns opening a
        sentence or a longer name, which the caller keeps when the story names the same place
        elsewhere. `persons` (the story's, shared by its segments) gains the names found to be
        people's; `words` (the story's too) what the common-noun checks read of the mentions kept.
        `body_names`, given for a headline apart from the text: the names its body mentions; there
        a name of no strong place is dropped unless the body names it (as detect() would)."""
        text, folded_text, start, end, headline, field, in_title, numbered, skip, upper = seg
        initial: list[Detected] = []
        g = self.g
        if upper is None:
            upper = _mostly_upper(text[start:min(end, start + 400)])  # a wire headline or an all-caps story shows it early
        headline = headline or upper
        if upper:
            # Title-case the segment alone; the rest of the text keeps its offsets.
            folded = folded_text[:start] + headline_case(folded_text[start:end]) + folded_text[end:]
        else:
            folded = folded_text
        out: list[Detected] = []
        aliases = self._aliases
        names, locative = self.persons, g.locative
        hits = self._matches(folded, start, end)
        # Sentence starts up to the last name only: mentions are numbered by the starts at or
        # before them, and a quarter of a story's text follows its last name. (A start is the end
        # of a run of punctuation and white space, which never reaches into a name.)
        sentences = _sentence_starts(folded_text, start, hits[-1][1] + 1) if numbered and hits else None
        for idx, a, b in hits:
            info = aliases.get(idx) or self._alias(idx)
            # The characters just before and after the name (empty at the text's edges; each rule
            # keeps its own bound on the segment): most names stand between a space and a space,
            # comma or period, and these settle most rules below without a further look.
            ch_before = folded[a - 1] if a else ""
            ch_after = folded[b : b + 1]
            if a >= start + 2 and ch_before in "-'’" and folded[a - 2].isalpha() \
                    and (ch_before != "-" or info.candidates[0].kind == "name"):
                # "Abdul-Hamid": the second half of a name ("anti-American" is a demonym and stays);
                # "Pech-de-l’Azé", "O'Hare": the second half of a name after an elision or "O'"
                continue
            if b + 1 < end and ch_after != " ":
                if ch_after in "-–" and folded[b + 1].isupper() and (info.small_town or info.kind == "region") \
                        and self._demonym_at(folded, b + 1):
                    # "the Arab–Israeli conflict", "Asian-American": peoples, not a town or a region
                    # ("Nigeria-Ukrainian" stays)
                    continue
                if ch_after in "'’" and folded[b + 1] in _CONTRACTION_LETTERS:
                    continue  # "Don't", "Won't", "We'll": a contraction, not the town (a possessive's "s" stays)
            if skip is not None and a < skip[1] and b > skip[0]:
                continue
            if ch_after == " " and b + 1 < end:
                if info.kind == "region" and self._demonym_at(folded, b + 1):
                    continue  # "South Asian American", "Latin American Spanish": a group of people, not the region
                if info.alt and info.one_word_city and b + 4 < end and "a" <= folded[b + 1] <= "z" \
                        and self._rare_word_at(folded, b + 1):
                    # "Homo sapiens" (an alternate name of Qom): a capitalised word before a lower-case
                    # word that English text seldom writes is a genus before its species, or a phrase
                    # of another language; a place's name alone is no evidence against that.
                    continue
            # Most names are followed by something else than " Word": the regexes only where it is.
            word_after = b + 1 < end and ch_after == " " and folded[b + 1].isupper()
            street = _NOT_THE_PLACE_AFTER.match(folded, b) \
                if word_after or (ch_after == " " and folded.startswith(_LOWER_KINDS, b)) else None
            before = None
            if street is None and a >= start + 4 and ch_before == " " and folded[a - 2] in "ekt.":
                before = _NOT_THE_PLACE_BEFORE.search(folded, max(start, a - 6), a)
            if street is not None or before is not None:
                # A place of its own that the gazetteer lacks: a mention, resolved to nothing.
                lo, hi = (a, street.end()) if street is not None else (before.start(), b)
                out.append(Detected(Mention(text=text[lo:hi], start=lo, end=hi, kind="name",
                                            field=field, in_title=in_title,  # type: ignore[arg-type]
                                            sentence=bisect.bisect_right(sentences, lo) if sentences is not None else 0),
                                    ()))
                continue
            if body_names is not None and not info.strong and text[a:b] not in body_names:
                # A headline apart from the text: detect() keeps its weak names only where the
                # body names them too, and nothing below notes anything of them (no person rules
                # in a headline, no common-noun notes outside the text).
                continue
            is_name = info.is_name
            if is_name and b < end and ch_after == "$":
                continue  # "US$500": a currency sign ("US dollars" is annotated as the place in GeoWebNews)
            alias = info.text
            qualifier = self._qualifier(folded, b, info.candidates) if is_name and b < end and ch_after == "," else None
            # (_PLACE_NOUN_AFTER begins with a space and one of _PLACE_NOUN_FIRST: most names are
            # followed by something else, settled without the regex.)
            placelike = is_name and ch_after == " " and folded[b + 1 : b + 2] in _PLACE_NOUN_FIRST \
                and _PLACE_NOUN_AFTER.match(folded, b) is not None
            if qualifier is None and not placelike and not headline and info.kind == "name" and alias in persons:
                # Already a person's name in this story ("Tony Blair ... Blair said") and not written
                # as a place here: detect() drops the mention whatever the rules below find, and
                # what they note of it (`persons`, `words`) matters only for mentions of this same
                # name, which detect() drops too unless they are written as a place (and then note
                # that themselves). (Outside headlines `alias` is the text as folded, as detect()
                # compares it; about a fifth of all names in wire copy are such repeats.)
                continue
            prev = None
            prev_start = a
            # The word before: read by the person and demonym rules below (not in headlines).
            if not headline and (is_name or info.kind == "demonym") and a >= start + 2 and ch_before == " " \
                    and not folded[a - 2].isspace():
                lo = a - 41 if a - 41 > start else start
                j = folded.rfind(" ", lo, a - 1)
                k = folded.rfind("\n", lo, a - 1)
                if k > j:
                    j = k
                lo = j + 1 if j >= 0 else lo
                token = folded[lo : a - 1]
                if token.isalpha() and token.isascii():
                    # Most words before a name are plain ASCII words ("in", "President"), which
                    # _PREV_WORD matches whole: settled without the regex.
                    prev, prev_start = token, lo
                else:
                    pm = _PREV_WORD.search(folded, lo, a - 1)  # after the last space, within 41
                    if pm is not None:
                        prev, prev_start = pm.group(), pm.start()
            if info.kind == "demonym" and not headline:
                # (name_before asks for a capitalised word first, and _LANGUAGE_BEFORE ends in a space:
                # both settled here for most demonyms, "the British", "Iranian-backed".)
                if prev is not None and prev[0].isupper() and names.name_before(prev, folded, prev_start):
                    continue  # "Percy French", "Stephen English": a surname
                if ch_before == " " and _LANGUAGE_BEFORE.search(folded, max(start, a - 30), a) \
                        and _LANGUAGE_AFTER.match(folded, b):
                    continue
            office = is_name and word_after and _OFFICE_AFTER.match(folded, b) is not None
            likely_place = office or (prev is not None and prev.lower() in locative
                                      and (prev != "of" or _of_place(folded, start, prev_start, info.given or info.namelike)))
            if not likely_place and prev is not None and prev[0].isupper() and prev_start - 2 > start \
                    and folded[prev_start - 1] == " ":
                # "from Cherry Hinton": a place's name of two words, after a preposition of place.
                j = folded.rfind(" ", max(start, prev_start - 14), prev_start - 1)
                before = folded[j + 1 : prev_start - 1]
                likely_place = before != "of" and before in locative
            if not likely_place and is_name and (prev in ("and", "or") or folded[a - 2 : a] == ", "):
                # "residents in Sharon, Cornwall and Salisbury": each item of a list of names that
                # a preposition of place opens.
                likely_place = _LIST_AFTER_LOCATIVE.search(folded, max(start, a - 80), a) is not None
            if info.one_word_city and prev == "of" and qualifier is None and not placelike \
                    and _FELLOWSHIP_OF.search(folded, max(start, prev_start - 14), prev_start):
                # "Knights of Columbus", "Sisters of Mercy", "Friends of Hinton": a fellowship's
                # name (a capitalised plural noun of persons, then "of"), not a mention of the town.
                initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False, likely_place))
                continue
            if is_name and not headline and prev in _ORGANISATION_NOUNS and qualifier is None and not placelike:
                # (An office after the name is none of a town's here: "think tank Atlantic Council".)
                # "news agency Fars", "newspaper The Hill", "software company Red Hat", "rapper
                # Jay-Z", "show Terrace House": a noun for an organisation, a work or a performer
                # names what follows, as a title names a person. A name that is no strong place
                # (no country, state, region or large city) is then that thing everywhere in the
                # story, as a person's name is (`persons`); a strong one only here.
                if not info.strong:
                    persons.add(alias)
                continue
            if is_name and not headline:
                # The word before can make a person's name only if it is capitalised, ends in a
                # period (initials) or is a title; most are not ("in", "of"): no calls for those.
                if (prev is not None and (prev[0].isupper() or prev[-1] == "." or prev in names.title_words)
                        and (names.title_before(prev, info.small_town, folded if word_after else "", b)
                             or names.name_before(prev, folded, prev_start, alias, info.namelike and info.one_word_city,
                                                  info.small_town))) \
                        or (word_after and names.middle_initial_after(folded, b)):
                    persons.add(alias)  # "President Jordan", "Judah P. Benjamin", "Barack Obama"
                    continue
                # A country, a region, a name of several words (_Alias.plain): none of the rules
                # below applies, each asks for a first name, a town or a common word.
                if not info.plain:
                    if qualifier is None and not (placelike or office) and (info.given or info.small_town) \
                            and names.name_after(folded, b):
                        if info.given:
                            persons.add(alias)  # "Jordan Smith": a first name, here and everywhere in the story
                        else:
                            # "Supreme Court", "Ozark Dodge": the first word of a longer name; a place
                            # only if the story also names it on its own ("in Ozark").
                            initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False,
                                                          likely_place))
                        continue
                    if info.first_name and word_after and qualifier is None and not (placelike or office) \
                            and names.surname_after(folded, b, never=False):
                        # "George Floyd", "George Stephanopoulos": a first name before a capitalised
                        # word that is no place, no English word and no word of the never list
                        # ("Augusta Herald", "Cleveland Republican", "Venice Commission").
                        if info.given:
                            persons.add(alias)
                        else:  # the place only if the story also names it on its own
                            initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False,
                                                          likely_place))
                        continue
                    if info.small_town and qualifier is None and not (placelike or office) and prev is not None \
                            and names.opens_a_name(prev) and self._sentence_initial(folded, prev_start):
                        # "Deutsche Welle ...": a sentence opened by a word that is no English word
                        # and no place, then a small town's name: a name of two words; the town only
                        # if the story also names it on its own.
                        initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False, likely_place))
                        continue
                    if word_after and qualifier is None and not (placelike or office) and info.one_word_city \
                            and (info.small_town or info.namelike) and _HONOUR_AFTER.match(folded, b):
                        # "the Berwick Prize", "the George Pólya Prize": honours are named for people;
                        # the town only if the story also names it on its own.
                        initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False, likely_place))
                        continue
                    if info.small_town and qualifier is None and not (placelike or office) and b < end \
                            and folded[b] in ",." and _ACCORDING_TO.search(folded, max(start, a - 13), a):
                        # "according to Forbes,": a source of news named like a small town (a source
                        # named for a town is followed by its kind: "according to DeKalb Police"); the
                        # town only if the story also names it on its own.
                        initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False, likely_place))
                        continue
                    if (info.small_town or (info.alt and info.one_word_city)) and qualifier is None and not (placelike or office) \
                            and self._inside_a_name(folded, a, b, start, end, prev, prev_start, word_after, likely_place):
                        # "United States Postal Service", "Red Hat", "Kanye West", "Clemson
                        # University", "the Monmouth poll", "Department of Homeland Security",
                        # "Observatoire de Paris": a small town's name inside a longer name (see
                        # _inside_a_name); the town only if the story also names it on its own.
                        initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False, likely_place))
                        continue
                    if info.one_word_city and b < end and folded[b] in "'’" and qualifier is None and not (placelike or office) \
                            and _NAMED_LAW_AFTER.match(folded, b):
                        # "Newton's laws", "Kepler's and Newton's law": laws and theorems are named
                        # for people, as honours are.
                        initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False, likely_place))
                        continue
                    if info.small_town and not likely_place and names.speech_after(folded, b):
                        persons.add(alias)  # "Walters said": a person, here and everywhere in the story
                        continue
                    if qualifier is None and info.small_town and self._sentence_initial(folded, a) and not (placelike or office):
                        # "Since ...", "Drug ...": a capitalised word opening a sentence; unless the
                        # story names it elsewhere too ("Kirkland is my home.")
                        initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False, likely_place))
                        continue
                    if info.common and qualifier is None and (not likely_place or word_after):
                        continue  # "Reading is fun"; "in Reading" is the town, "in Vice President ..." is not
                    if info.small_town and prev == "The" and qualifier is None and not (placelike or office) \
                            and not _GOING_BEFORE_THE.search(folded, max(start, prev_start - 12), prev_start):
                        # "The Atlantic", "The Independent": a town's name takes no article, a title
                        # does; a building's too, and one goes there ("visit The Crescent").
                        continue
                    if word_after and qualifier is None and not (placelike or office) and info.one_word_city \
                            and names.full_name_after(folded, alias, b, start, end):
                        if info.given:
                            persons.add(alias)
                        else:  # "Vladimir Putin": a place only if the story also names it on its own
                            initial.append(self._detected(text, a, b, info, field, in_title, sentences, None, False,
                                                          likely_place))
                        continue
            if info.noun_check and field == "text":
                t = text[a:b]
                if qualifier or placelike:
                    words.evidence.add(t)
                else:
                    if likely_place:
                        # No evidence against a planet ("like Jupiter") or a determiner ("in God
                        # ... a God"); it is against a clipping.
                        words.after_locative.add(t)
                    if info.town:
                        words.towns.add(t)
                        if info.small_town:
                            words.small.add(t)
                            if b < end and folded[b] in _CLAUSE_END and t not in words.determined \
                                    and _DETERMINER_BEFORE.search(folded, max(start, a - 6), a):
                                words.determined.add(t)
                    if info.given:
                        words.given.add(t)
            # (self._detected written out: this runs for every name kept.)
            out.append(make_detected(
                make_mention(text[a:b], a, b, info.kind, field, in_title, False,
                             bisect.bisect_right(sentences, a) if sentences is not None else 0),
                info.candidates, qualifier, info.alt, placelike, likely_place))
        return out, initial

    @staticmethod
    def _detected(text, a, b, info: _Alias, field, in_title, sentences, qualifier, placelike: bool,
                  likely_place: bool) -> Detected:
        sentence = bisect.bisect_right(sentences, a) if sentences is not None else 0
        return make_detected(make_mention(text[a:b], a, b, info.kind, field, in_title, False, sentence),
                             info.candidates, qualifier, info.alt, placelike, likely_place)

    def _inside_a_name(self, folded: str, a: int, b: int, start: int, end: int, prev: str | None,
                       prev_start: int, word_after: bool, likely_place: bool) -> bool:
        """Whether the small town's name at folded[a:b] is a word of a longer name the gazetteer
        lacks, not the town:

            after a capitalised word of the never list (not a modifier such as "North") inside
            a sentence: "United States Postal Service", "Red Hat";
            before a compass point or "Party" (_NAME_PART_AFTER): "Kanye West", "the Bread and
            Roses Party";
            before the noun of an institution: "Clemson University", "the Monmouth poll";
            after "of" that follows a capitalised word other than a kind of place, and before
            another capitalised word: "Department of Homeland Security";
            before "de" and a capitalised word: "Observatoire de Paris";
            after "and" that follows a capitalised word no place has: "Party for Socialism and
            Liberation";
            as the second word of a quotation of two: '"Job Weaver" initiatives'.

        The caller keeps such a mention only when the story also names the place on its own.
        """
        g = self.g
        if prev is not None and prev[0].isupper() and prev_start > start and folded[prev_start - 1] in _OPENING_QUOTES \
                and b < end and folded[b] in _CLOSING_QUOTES:
            return True  # '"Job Weaver" initiatives': a quotation of two capitalised words names a thing
        if prev is not None and prev[0].isupper() and prev in g.never and prev not in MODIFIERS \
                and prev not in _PLACE_KIND and prev not in _FEATURE_WORDS and not self._sentence_initial(folded, prev_start):
            if not _AT_A_PLACE_BEFORE.search(folded, max(start, prev_start - 6), prev_start):
                return True
            # After "in", "at", "from", "near" the two words are a place's name that the
            # gazetteer lacks ("from Cherry Hinton"), unless the story writes them elsewhere
            # without such a preposition, as a thing's name ("Red Hat announced ... at Red Hat").
            pair = folded[prev_start:b]
            n = folded.count(pair, start, end)
            return n > 1 and n > self._after_places(folded, pair, start, end)
        if prev == "and" and not likely_place and prev_start - 2 > start and folded[prev_start - 1] == " " and folded[prev_start - 2].isalpha():
            # "Party for Socialism and Liberation", "Bread and Roses": after "and" that follows a
            # capitalised word the gazetteer does not know (no place: not "Sharon, Cornwall and
            # Salisbury") and that is no word of a place's name ("Trinity Beach and Mooroobool"),
            # outside a list of places ("at Cattai and Wilberforce"), the pair is a name's "X and Y".
            j = folded.rfind(" ", max(start, prev_start - 30), prev_start - 1)
            before = folded[j + 1 : prev_start - 1]
            if before[:1].isupper() and before.isalpha() and not g.lookup(before) and before not in g.never \
                    and not self._sentence_initial(folded, j + 1):
                return True
        if word_after:
            m = _CAPITAL_WORD.match(folded, b + 1)
            after = m.group() if m is not None else ""
            if after in _NAME_PART_AFTER:
                return True
            if prev == "of" and prev_start - 2 > start and folded[prev_start - 1] == " " \
                    and folded[prev_start - 2].isalpha():
                j = folded.rfind(" ", max(start, prev_start - 30), prev_start - 1)
                before = folded[j + 1 : prev_start - 1]
                if before[:1].isupper() and before not in _PLACE_KIND and not self._sentence_initial(folded, j + 1):
                    return True
            return _INSTITUTION_AFTER.match(folded, b) is not None  # "Medical School"
        # A lower-case word after: the regexes only where one of their words follows (str.startswith
        # settles most names: this runs for every small town).
        return (folded.startswith(_LOWER_INSTITUTION_STARTS, b) and _INSTITUTION_AFTER.match(folded, b) is not None) \
            or (folded.startswith(_ROMANCE_OF_STARTS, b) and _ROMANCE_OF.match(folded, b) is not None)

    def _rare_word_at(self, folded: str, pos: int) -> bool:
        """Whether the lower-case word at folded[pos] (four letters or more) is none of the words
        the word tables know English to write (g.ordinary, g.never: "district", "council"):
        "sapiens", "deus"."""
        m = _LOWER_WORD.match(folded, pos)
        if m is None or len(m.group()) < 4:
            return False
        word = m.group().capitalize()
        return word not in self.g.ordinary and word not in self.g.never

    @staticmethod
    def _after_places(folded: str, pair: str, start: int, end: int) -> int:
        """How often folded[start:end] writes `pair` after "in", "at", "from" or "near"."""
        n = 0
        i = folded.find(pair, start, end)
        while i >= 0:
            n += _AT_A_PLACE_BEFORE.search(folded, max(start, i - 6), i) is not None
            i = folded.find(pair, i + len(pair), end)
        return n

    def _inline_datelines(self, text: str, folded: str, body_start: int, body_end: int,
                          skip: tuple[int, int] | None) -> list[Detected]:
        """Datelines inside the text: "... fund-raiser. CHARLESTON, W.Va. -- Volunteers ...".

        Text that joins a headline and its story in one paragraph (as many feeds do) leaves the
        story's dateline after the headline, where the parser does not look for one: an all-caps
        place (with its "City, ST" qualifier) followed by a dash, near the start of the text.
        """
        out: list[Detected] = []
        end = min(body_end, body_start + INLINE_DATELINE_CHARS)
        if not self._dateline_dash(folded, body_start, end):
            return out
        for m in _INLINE_DATELINE.finditer(folded, body_start, end):
            a, b = m.span(1)
            if skip is not None and a < skip[1] and b > skip[0]:
                continue
            cands = self._places_only(self.g.lookup(folded[a:b]))
            if not cands:
                continue
            qualifier = self._qualifier(headline_case(folded[b:m.end()]), 0, cands) if m.group(2) else None
            out.append(Detected(Mention(text=text[a:b], start=a, end=b, kind=self._kind(cands), in_dateline=True,
                                        sentence=0), cands, qualifier))
        return out

    @staticmethod
    def _dateline_dash(folded: str, start: int, end: int) -> bool:
        """Whether folded[start:end] has a dash that _INLINE_DATELINE could end on.

        Every match ends in "- ", "-- ", "– " or "— " after a letter, ".", "'", "-" or ")" (spaces
        between allowed); a few str.find calls rule out most stories, whose only dash follows a
        date ("OTTAWA, Feb 26 - "), before the regex tries every position.
        """
        for dash in ("- ", "— ", "– "):
            i = folded.find(dash, start, end)
            while i >= 0:
                j = i - 1
                while j >= start and folded[j] == " ":
                    j -= 1
                if j >= start and folded[j] in _BEFORE_DATELINE_DASH:
                    return True
                i = folded.find(dash, i + 1, end)
        return False

    def _demonym_at(self, folded: str, pos: int) -> bool:
        """Whether the capitalised word at folded[pos] is a demonym ("Israeli")."""
        m = _CAPITAL_WORD.match(folded, pos)
        return m is not None and any(c.kind == "demonym" for c in self.g.lookup(m.group()))

    def _strong(self, c: Candidate) -> bool:
        g = self.g
        return c.kind != "name" or g.ptype[c.pid] in _STRONG_TYPES or g.population[c.pid] >= HEADLINE_MIN_CITY_POPULATION

    def _small_town(self, cands: tuple[Candidate, ...], alias: str, max_population: int) -> bool:
        g = self.g
        return " " not in alias and all(
            c.kind == "name" and g.ptype[c.pid] == "city" and g.population[c.pid] < max_population for c in cands
        )

    def _is_place_word(self, word: str) -> bool:
        known = self._place_words.get(word)
        if known is not None:
            return known
        g = self.g
        # Only names that are places before anything else: ISO subdivisions such as Uruguay's
        # "Rivera" are surnames far more often.
        known = any(
            c.kind != "name" or g.ptype[c.pid] in ("country", "continent", "region")
            or (g.ptype[c.pid] == "admin1" and g.pcountry[c.pid] == "US")
            for c in g.lookup(word)
        )
        if len(self._place_words) < 100_000:
            self._place_words[word] = known
        return known

    def _sentence_initial(self, text: str, pos: int) -> bool:
        if pos > 0 and text[pos - 1] in _OPENING_QUOTES:
            return True  # a quotation opens a sentence: ', "Hey, you're ...', '"Participate Melbourne"'
        i = pos - 1
        while i >= 0 and text[i] in " \t\"'“‘(":
            i -= 1
        if i < 0 or text[i] in "!?:\n;—–":
            return True
        if text[i] != ".":
            return False
        # "Lt. Pat Nelson", "Rep. Charles Rangel": a period after an abbreviation ends no sentence.
        j = i
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        token = text[j : i + 1]
        return not (token in self.g.titles or (len(token) <= 4 and token[:1].isupper()))

    def _qualifier(self, text: str, end: int, qualified: tuple[Candidate, ...] = ()) -> tuple[str, str | None] | None:
        """'Springfield, Ill.' -> ("US", "IL"); 'Salvador, Brazil' -> ("BR", None).

        `qualified`: the candidates of the place before the comma. A qualifier that is itself
        ambiguous ("Henry County, Georgia": the country or the US state) is read as the one that
        holds one of them: "X, Y" says that X lies in Y."""
        m = _QUALIFIER.match(text, end)
        if not m:
            return None
        words = m.group(1)
        # "France, Germany and Italy" is a list, not France qualified by Germany.
        in_list = _LIST_GOES_ON.match(text, m.end()) is not None
        g = self.g
        for cand in (words, words.split(" ")[0]):
            state = g.us_state_abbr.get(cand)
            if state is not None:
                return ("US", state)
            if in_list:
                continue
            readings = []
            for c in g.lookup(cand.rstrip(".")):
                t = g.ptype[c.pid]
                if c.kind == "name" and t == "country":
                    readings.append((g.pcountry[c.pid], None))
                elif c.kind == "name" and t == "admin1":
                    readings.append((g.pcountry[c.pid], g.padmin1[c.pid]))
            if len(readings) > 1:
                for cc, admin1 in readings:
                    if any(g.pcountry[q.pid] == cc and (admin1 is None or g.padmin1[q.pid] == admin1) for q in qualified):
                        return (cc, admin1)
            if readings:
                return readings[0]
        return None

    @staticmethod
    def _kind(cands: tuple[Candidate, ...]) -> str:
        kinds = {c.kind for c in cands}
        for k in ("name", "region", "seat", "demonym"):
            if k in kinds:
                return k
        return "name"

    # -- the article --------------------------------------------------------------------------
    def detect(self, article: Article) -> list[Detected]:
        g = self.g
        text = article.text
        folded = fold(text)  # once per article: same length, so offsets carry over
        persons: set[str] = set()
        words = _StoryWords()
        found: list[Detected] = []

        dl = article.dateline
        dl_span = None
        if dl is not None and dl.text:
            # Scraping debris before a dateline ("Russia Flag") is page furniture, not text.
            dl_span = (article.body.start if dl.debris else dl.start, dl.end)
            cands = g.lookup(dl.text)
            dl_qualifier = None
            if not cands and "," in dl.text:  # "SPRINGFIELD, Ill." written in the place itself
                place, _, rest = dl.text.partition(",")
                cands = g.lookup(place)
                # "LONDON, Ky.": the qualifier picks the namesake, as it does in the text.
                dl_qualifier = self._qualifier(headline_case("," + rest), 0, cands)
            # (The makers of records.py: most wire stories have a dateline.)
            found.append(make_detected(
                make_mention(text[dl.start : dl.end], dl.start, dl.end, self._kind(cands) if cands else "name", "text",
                             False, True, 0),
                self._places_only(cands) or cands, dl_qualifier, False, False, False))

        body = article.body
        body_hits, initial = self._scan(_Segment(text, folded, body.start, body.end, False, "text", False, True,
                                                 dl_span), persons, words)
        inline = self._inline_datelines(text, folded, body.start, body.end, dl_span)
        if inline:
            body_hits = [d for d in body_hits if not any(d.mention.start < i.mention.end and d.mention.end > i.mention.start
                                                        for i in inline)]
            found.extend(inline)

        title_hits: list[Detected] = []
        if article.title_span is not None:
            ts = article.title_span
            seg = text[ts.start : ts.end]
            upper, headline = _title_case(seg)
            title_hits, deferred = self._scan(_Segment(text, folded, ts.start, ts.end, headline, "text", True, False, dl_span,
                                                       upper), persons, words)
            initial += deferred
        elif article.title:
            seg = article.title
            upper, headline = _title_case(seg)
            body_aliases = {d.mention.text for d in body_hits}
            title_hits, _ = self._scan(_Segment(seg, fold(seg), 0, len(seg), headline, "title", True, False, None, upper),
                                       persons, words, body_aliases if headline else None)
        if title_hits:
            if article.title_span is not None:
                body_aliases = {d.mention.text for d in body_hits}
            title_hits = [
                d for d in title_hits
                # In a headline a three-letter alternate name is an abbreviation ("COS" for
                # companies, an alternate name of Jos) before it is a place, and an ordinary
                # English word is a word ("REVERSE SPLIT APPROVED"): the body must name them.
                if d.mention.text in body_aliases
                or (self._strong_candidates(d.candidates) and not (d.alt and len(d.mention.text) <= 3)
                    and not all(c.flags & COMMON for c in d.candidates))
            ]

        if initial:
            named = {d.mention.text for d in title_hits + body_hits} | {d.mention.text.title() for d in found}
            kept = [d for d in initial if d.mention.text in named and d.mention.field == "text"]
            if kept:
                body_hits = sorted(body_hits + kept, key=lambda d: d.mention.start)
        # A name that was a person's name somewhere in the story is a person everywhere in it,
        # except where it is written as a place ("Paris firefighters", "Paris, Texas").
        if persons:
            for d in title_hits + body_hits:
                if d.mention.kind == "name" and fold(d.mention.text) in persons and not (d.placelike or d.qualifier):
                    continue
                found.append(d)
        else:
            found.extend(title_hits + body_hits)
        if words.towns or words.given:
            words.evidence.update(d.mention.text for d in found if d.mention.in_dateline)
            found = self._without_common_nouns(folded, found, words)
        if not text.isascii():
            # Latin-script names inside a quotation in another script ("इटली, USA, China में"):
            # the quotation is no English prose, and the names in it are not read as places.
            # (Curly quotes make most stories non-ASCII: the window of each mention is asked first.)
            found = [d for d in found if text[max(0, d.mention.start - 30) : d.mention.end + 30].isascii()
                     or not _in_other_script(text, d.mention.start, d.mention.end)]
        states = self._state_abbreviations(text, folded, body_hits + inline)
        if states:
            spans = [(d.mention.start, d.mention.end) for d in states]
            found = [d for d in found if d.mention.field != "text"
                     or not any(d.mention.start < e and d.mention.end > s for s, e in spans)]
            found.extend(states)
        # Titles apart from the text first, then by offset (a C key, and a stable split).
        found.sort(key=_MENTION_START)
        if title_hits and title_hits[0].mention.field == "title":  # a title apart from the text
            found = [d for d in found if d.mention.field == "title"] + [d for d in found if d.mention.field != "title"]
        return found

    def _without_common_nouns(self, folded: str, found: list[Detected], words: _StoryWords) -> list[Detected]:
        """`found` without the names the story uses for something other than a town: a planet in a
        story about astronomy ("bigger than Jupiter"), a clipped word the story also writes in
        full ("Corona" beside "coronavirus"), a noun after a determiner ("a God", "their God"),
        and (of any place) a first name the story writes as a longer one ("Chad", "Chadwick").

        Only one-word names of towns (no country, state, region or capital), and only where no
        mention of the name in the story is written as a place (a qualifier, a noun for a place's
        people or offices, a preposition of place, a dateline): "in Jupiter, Florida" stays.
        `words`: what _scan noted of the story's names."""
        evidence = words.evidence
        names = words.towns - evidence
        given = words.given - evidence
        nicknames = {t for t in given if self._nickname(folded, t)} if given else set()
        if nicknames:
            found = [d for d in found if d.mention.text not in nicknames or d.mention.field != "text"]
        if not names:
            return found
        nouns = set()
        astronomy = None
        for name in names:
            if name in _PLANETS:
                if astronomy is None:
                    astronomy = _ASTRONOMY.search(folded) is not None
                if astronomy:
                    nouns.add(name)
                    continue
            if (name in words.small and name in words.determined) \
                    or (name not in words.after_locative and self._clipped(folded, name.lower())):
                nouns.add(name)
        if not nouns:
            return found
        return [d for d in found if d.mention.text not in nouns or d.mention.field != "text"]

    def _nickname(self, folded: str, name: str) -> bool:
        """Whether the story writes a longer first name that begins with `name`, a first name too:
        "Chad" for "Chadwick" Boseman (not the country). The longer name must be a US Census first
        name (g.given_names), so that "Israel" stays beside "Israelites"."""
        i = folded.find(name)
        while i >= 0:
            m = _CAPITAL_WORD.match(folded, i)
            if m is not None and m.end() - i > len(name) + 2 and (i == 0 or not folded[i - 1].isalpha()) \
                    and m.group() in self.g.given_names:
                return True
            i = folded.find(name, i + len(name))
        return False

    @staticmethod
    def _clipped(text: str, word: str) -> bool:
        """Whether `text` (the story) writes `word` (a name in lower case) at least twice as the
        start of a longer word: "corona" in "coronavirus" (a clipping of it, not the town Corona).
        (One str.find loop over the text as it is, not over a copy in lower case: this runs on most
        stories. An accepted gap: "Uni" beside "University", written capitalised.)"""
        n = 0
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            tail = text[j : j + 3]
            if (i == 0 or not text[i - 1].isalpha()) and len(tail) == 3 and tail.isalpha() and tail.islower():
                n += 1
                if n >= 2:
                    return True
            i = text.find(word, j)
        return False

    @staticmethod
    def dialect(article: Article) -> str | None:
        """"US" or "GB" (Commonwealth) by the story's spelling; None when it does not tell."""
        us = gb = 0
        text = article.text
        for word in (_SPELLING_ASCII if text.isascii() else _SPELLING).findall(" " + text):
            side = SPELLING_SIDE.get(word)
            if side == "GB":
                gb += 1
            elif side == "US":
                us += 1
        if us > gb:
            return "US"
        if gb > us:
            return "GB"
        return None

    def _strong_candidates(self, cands: tuple[Candidate, ...]) -> bool:
        """Whether one of `cands` may stand in a headline on its own (_strong), cached per candidate tuple."""
        got = self._strong_of.get(id(cands))
        if got is not None and got[0] is cands:
            return got[1]
        strong = any(self._strong(c) for c in cands)
        if len(self._strong_of) < 100_000:
            self._strong_of[id(cands)] = (cands, strong)  # `cands` kept: its id stays its own
        return strong

    def _state_abbreviations(self, text: str, folded: str, hits: list[Detected]) -> list[Detected]:
        """'Springfield, Ill.': the abbreviation is a mention of the state too (the caller drops
        any other reading of it: "Ala" is also a town)."""
        out = []
        for d in hits:
            q = d.qualifier
            if q is None or q[0] != "US" or q[1] is None:
                continue
            m = _QUALIFIER.match(folded, d.mention.end)
            abbr = m.group(1).split(" ")[0] if m else ""
            a = m.start(1) if m else 0
            if abbr in self.g.us_state_abbr and q[1] in self.g.us_state_pid:
                pid = self.g.us_state_pid[q[1]]
                cands = self._state_candidates.get(pid)
                if cands is None:
                    cands = self._state_candidates[pid] = (Candidate(pid, "name", 0),)
                out.append(Detected(Mention(text[a : a + len(abbr)], a, a + len(abbr), "name", sentence=d.mention.sentence),
                                    cands))
        return out
