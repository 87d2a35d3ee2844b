"""2b. Resolve: each detected mention to one GeoNames place, or explicitly unresolved.

Every candidate gets a score from
    * a prior for its type and size (countries > states > cities; log population; capitals);
    * the qualifier written after it ("Springfield, Ill." keeps only Illinois' Springfield);
    * the story's context: countries named without ambiguity (country names, demonyms, seats,
      US states, the dateline) and the US states it names lift candidates inside them;
and the best candidate wins, except that a famous place (a country, continent or region, or a
far larger and better known city) keeps its name against a town the story does not point at
("Mecca" in an American story). A small town that nothing in the story supports is left
unresolved rather than guessed (on LGL/GeoWebNews such guesses were wrong far more often than
right) unless it is well known (its standing: see FAME_MAX_POPULATION). Unresolved mentions that
are probably no place at all are then dropped (_likely_places).
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import NamedTuple

from newstag.geo.detect import Detected, make_detected
from newstag.geo.records import make_resolution
from newstag.geo.gazetteer.store import ALT, COMMON, GIVEN, NAMELIKE, Candidate, Gazetteer
from newstag.types import Resolution

# Priors and context weights, set by hand and checked together on the geo dev sets
# (`newstag eval geo`); change them together.
TYPE_PRIOR = {"country": 3.0, "continent": 2.6, "region": 2.5, "admin1": 1.6, "admin2": 1.5}
US_STATE_PRIOR = 2.2
CAPITAL_BONUS = 0.8
ALT_NAME_PENALTY = 1.2
CONTEXT_COUNTRY = 1.2
CONTEXT_ONLY_COUNTRY = 0.6  # extra when the story names no other country
CONTEXT_STATE = 0.8
WEAK_CONTEXT = 0.5  # other names in the story that could lie in the same country
WEAK_CONTEXT_NAMES = 3
WEAK_SUPPORT_NAMES = 5  # this many such names count as support for a small town
QUALIFIER_MATCH = 4.0
QUALIFIER_MISMATCH = -3.0
DATELINE_COUNTRY = 0.6
DATELINE_DIVISION_RATIO = 10
# A story's home country (see Resolver._home) lifts its candidates by this much.
HOME_BONUS = 1.2
HOME_MIN_NAMES = 2
HOME_MARGIN = 2.0
_STRONG_CONTEXT_TYPES = frozenset({"country", "admin1", "admin2"})
# Below this standing (see _standing), a city needs support from the story (its country or state
# named, or a qualifier) to be resolved.
UNSUPPORTED_MIN_POPULATION = 100_000
# Below this standing, a city matched by an alternate name only needs support too.
ALT_UNSUPPORTED_MIN_POPULATION = 500_000
# The story's spelling (detect.Detector.dialect) lifts namesakes in the countries that spell so.
DIALECT_BONUS = 0.4
DIALECT_COUNTRIES = {"US": frozenset({"US"}), "GB": frozenset({"GB", "IE", "AU", "NZ", "CA", "ZA"})}
_ENGLISH = frozenset().union(*DIALECT_COUNTRIES.values())

# A city this large is itself evidence for its country when it is the only candidate.
CERTAIN_CITY_POPULATION = 1_000_000


# Prominence, what a newsroom reader knows without being told: a city's standing is its
# population, or, where GeoNames lists it under many names (in any language and script: how
# widely it is written about; build.py stores the count), the population that many names stand
# for (fame_population, capped at FAME_MAX_POPULATION) if that is more: Valletta (6,800 people,
# 67 names) stands like a city of a million, London's standing is its population either way.
# Names that are also common first names or surnames (NAMELIKE: "Sam", "Trent") get no such lift.
# The standing decides whether a city resolves with no support in the story (UNSUPPORTED_MIN_
# POPULATION: "Rafah", "Frankfurt" or "Timbuktu" need no country beside them; a hamlet does);
# candidates are ranked by population (_city_prior). Measured: ranking by standing as well sent
# "Cambridge" and "Orange" in English and Nigerian stories to Massachusetts and New South Wales.
FAME_MAX_POPULATION = 1_000_000


def fame_population(names_listed: int) -> float:
    """The population `names_listed` GeoNames names stand for: 20 names ~ 10,000, 40 ~ 100,000, 60 ~ 1,000,000."""
    return min(10 ** (3 + names_listed / 20), FAME_MAX_POPULATION)


# A famous place (a country, a continent or region, or a city this many times as populous and
# listed under more names than a namesake of under FAMOUS_OVER_MAX_POPULATION) keeps its name
# against the namesake unless the story points at the namesake itself: a qualifier ("Moscow,
# Idaho"), or, against a city, the namesake's US state.
FAMOUS_POPULATION_RATIO = 100
# Against a town of its own country a capital needs less: there it is known beyond its size
# ("calls on Washington" is the capital, not Washington, Pennsylvania, a fiftieth of its size).
# Abroad the ratio above holds (Paris, Tennessee is not France's).
FAMOUS_CAPITAL_RATIO = 10
FAMOUS_OVER_MAX_POPULATION = 30_000
_FAMOUS_AREA_TYPES = frozenset({"country", "continent", "region"})
# A town takes the name of a country, continent, region or capital only on evidence written at
# the name itself: a qualifier ("Palestine, Texas"), the name written as a place's ("Palestine
# police", "a Paris man", "Dublin City Council") or a dateline. The story being in the town's
# US state is not enough ("Israel and Egypt" in a Pennsylvania story, "the Pacific" in one about
# Washington state, "calls on Washington"), but a county named around it is ("London" in a
# story naming Laurel County, Kentucky: within COUNTY_AROUND_KM of the county's centre).
# Measured on LGL, whose local stories name such towns often (Paris, Athens, Dublin, Lebanon,
# Palestine), that written evidence is what they have.
# Other famous cities yield to a town in a named US state, as before ("Moscow" in Idaho news).
COUNTY_AROUND_KM = 40.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    la1, la2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _city_prior(population: int) -> float:
    return 0.3 * math.log10(population + 10)


def _count_names(detected: list[Detected]) -> dict[str, int]:
    """How often each name (mention text) is written; a plain dict: Counter costs more on a few names."""
    counts: dict[str, int] = {}
    for d in detected:
        t = d.mention.text
        counts[t] = counts.get(t, 0) + 1
    return counts


# Unresolved for these reasons, a mention is still a place: one the gazetteer lacks ("Nelson
# Street", a dateline it does not know) or one its qualifier puts where no namesake lies.
_PLACES_UNKNOWN = frozenset({"not in the gazetteer", "no namesake lies where its qualifier says"})
_SMALL_PLACE = "small place, no support in the story"
_FOREIGN_DIVISION = "first-level division, its country not in the story"
_NAMELESS_REASONS = frozenset({_SMALL_PLACE, _FOREIGN_DIVISION})
# An English word or a first name (GIVEN marks only those of no prominent place), or for a single
# word an alternate name or a Census first name or surname too ("Okay", "Tell", "Coles"): such a
# name that resolved to nothing is listed only where the story writes it as a place.
_COMMON_OR_GIVEN = COMMON | GIVEN
_NOT_ONLY_A_PLACE = ALT | COMMON | GIVEN | NAMELIKE


def _likely_places(detected: list[Detected], facts: list[_Facts], resolutions: list[Resolution]) -> list[Resolution]:
    """The resolutions without the unresolved mentions that are probably no place at all.

    An unresolved mention stays (as `resolved: false`) only when it is very likely a place: the
    gazetteer lacks it (_PLACES_UNKNOWN), the story writes the name as a place somewhere (in a
    dateline, after a preposition of place: "in Zara", before a noun for its people or
    institutions: "Ozark police"), or it is the name of a small place or of a division abroad and
    nothing else (no English word, first name, or one-word alternate name or Census name:
    "Caloundra", "Abkhazia"). Every other capitalised word that
    resolved to nothing ("Vice", "Okay", "Zara Kay") is dropped: a record lists places, not the
    words that were looked up. `facts`: Resolver._facts_of each mention's candidates."""
    for r in resolutions:
        if r.place is None:
            break
    else:
        return resolutions
    written_as_place = {d.mention.text for d in detected if d.likely_place or d.placelike or d.mention.in_dateline}
    # A name that is nothing but a place ("Caloundra") stays too: no person, word or alternate
    # name of another language could have been meant.
    only_a_place = {d.mention.text for d, f in zip(detected, facts)
                    if d.candidates and not f.flags & (_NOT_ONLY_A_PLACE if " " not in d.mention.text else _COMMON_OR_GIVEN)}
    return [r for r in resolutions
            if r.place is not None or r.reason in _PLACES_UNKNOWN or r.mention.text in written_as_place
            or (r.mention.text in only_a_place and r.reason in _NAMELESS_REASONS)]


_SCORE = itemgetter(0)


class _Row(NamedTuple):
    """One candidate of a name with what the scoring reads of it."""

    candidate: Candidate
    country: str | None
    type: str
    admin1: str | None
    prior: float


class _Facts(NamedTuple):
    """What never changes about a name's candidates: their rows, countries (None included) and
    types, the (country, admin1) of those that are states or counties, the US states among them
    when a country abroad has the name too ("Georgia"), and their alias flags together (bits or-ed)."""

    rows: tuple[_Row, ...]
    countries: frozenset
    types: frozenset
    divisions: frozenset
    us_states_named_like_a_country: frozenset
    flags: int
    rows_by_place: tuple[_Row, ...]  # the rows in place-id order: ties in score go to the lower id


class _Spelling:
    """The story's spelling (Detector.dialect), asked for on first need: most stories never need it."""

    __slots__ = ("_dialect_of", "_countries")

    def __init__(self, dialect) -> None:
        self._dialect_of = dialect if callable(dialect) else (lambda: dialect)
        self._countries: frozenset[str] | None = None

    def bonus(self, cc: str | None, t: str) -> float:
        """The spelling bonus of a candidate in country `cc` of type `t`."""
        if not DIALECT_BONUS or cc not in _ENGLISH or t == "country":
            return 0.0
        countries = self._countries
        if countries is None:
            countries = self.countries()
        return DIALECT_BONUS if cc in countries else 0.0

    def countries(self) -> frozenset[str]:
        """The countries the story's spelling lifts (asks for the spelling, as `bonus` would)."""
        if self._countries is None:
            self._countries = DIALECT_COUNTRIES.get(self._dialect_of(), frozenset())
        return self._countries


class _Reads(NamedTuple):
    """What Resolver._best_of reads of the story for a name of several candidates, by the name's
    candidates: the countries among them, the states of their US towns, and whether the
    story's spelling can rank them (DIALECT_BONUS: namesakes in several countries, one of them
    English-speaking and no country itself)."""

    countries: tuple[str, ...]
    us_town_states: frozenset
    spelled: bool


class Resolver:
    """Scores each detected mention's candidates and picks one (module docstring). Holds only
    caches of what never changes between stories; everything about a story is passed along."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.g = gazetteer
        self._priors: dict[tuple[int, str, int], float] = {}
        # _best for names with one candidate, by everything it reads: most mentions are such
        # names (countries, demonyms, states), and they repeat across stories.
        self._single: dict[tuple, tuple] = {}
        # What never changes about a name's candidates, worked out once per candidate tuple (the
        # gazetteer hands out one tuple per alias): keyed by id, the tuple kept beside its facts
        # so that the id stays its own.
        self._facts: dict[int, tuple] = {}
        # _famous_over by (famous place, its kind, namesake): the same pairs meet in story after story.
        self._famous: dict[tuple[int, str, int], bool] = {}
        # _best_of for names of several candidates ("London", "Georgia"), by the candidate tuple
        # and what it reads of the story (_story_key): such names repeat across stories in few
        # contexts, and scoring every namesake again was a tenth of the stage. Values keep the
        # candidate tuple, so that its id stays its own.
        self._several: dict[tuple, tuple] = {}
        self._reads: dict[int, tuple] = {}  # _Reads per candidate tuple, as self._facts

    def _facts_of(self, cands: tuple[Candidate, ...]) -> _Facts:
        """What _Facts holds of `cands`: their rows in candidate order and in place-id order, the
        sets of their countries and types, the divisions and the US states named like a country
        among them, and their flags or-ed; cached per candidate tuple (see self._facts)."""
        got = self._facts.get(id(cands))
        if got is not None and got[0] is cands:
            return got[1]
        g = self.g
        rows = tuple(_Row(c, g.pcountry[c.pid], g.ptype[c.pid], g.padmin1[c.pid], self._prior(c)) for c in cands)
        like_a_country = frozenset(r.admin1 for r in rows if r.country == "US" and r.type == "admin1") \
            if any(r.type == "country" and r.country != "US" for r in rows) else frozenset()
        flags = 0
        for c in cands:
            flags |= c.flags
        facts = _Facts(rows, frozenset(r.country for r in rows), frozenset(r.type for r in rows),
                       frozenset((r.country, r.admin1) for r in rows
                                 if r.candidate.kind == "name" and r.type in ("admin1", "admin2")),
                       like_a_country, flags, tuple(sorted(rows, key=lambda r: r.candidate.pid)))
        if len(self._facts) < 200_000:
            self._facts[id(cands)] = (cands, facts)
        return facts

    def _prior(self, c: Candidate) -> float:
        k = (c.pid, c.kind, c.flags)
        p = self._priors.get(k)
        if p is not None:
            return p
        g = self.g
        t = g.ptype[c.pid]
        if c.kind != "name":
            p = TYPE_PRIOR["country"] if t == "country" else TYPE_PRIOR.get(t, 2.0)
        else:
            if t == "city":
                p = _city_prior(g.population[c.pid]) + CAPITAL_BONUS * g.capital[c.pid]
            elif t == "admin1" and g.pcountry[c.pid] == "US":
                p = US_STATE_PRIOR
            else:
                p = TYPE_PRIOR.get(t, 1.0)
            if c.flags & ALT:
                p -= ALT_NAME_PENALTY
        if len(self._priors) < 200_000:
            self._priors[k] = p
        return p

    def _context(self, detected: list[Detected], counts: dict[str, int], facts: list[_Facts],
                 spelling: _Spelling) -> tuple[set[str], set[str], str | None]:
        """Countries and US states the story names without ambiguity, and the dateline country.

        `counts`: how often each name is written (mention text -> count); `facts`: `_facts_of`
        each mention's candidates."""
        g = self.g
        countries: set[str] = set()
        states: set[str] = set()
        dateline_country = None
        # A US state named like a country ("Georgia"): the state if the story is in the US on
        # other evidence (see the end). Only a country namesake: a state shared with towns and
        # provinces elsewhere ("Victoria", "Washington") is no sign of its own.
        shared_state_names: set[str] = set()
        dateline_by_prior: tuple | None = None  # the dateline's candidates, when its prior chose
        for d, (rows, cs, types, _, like_a_country, _, _) in zip(detected, facts):
            if len(cs) != 1 or None in cs:
                # (Rows unpacked, not read by field name: this runs for every ambiguous name, and
                # a NamedTuple's fields are slower to read than to unpack.)
                if like_a_country and d.mention.kind == "name":
                    shared_state_names |= like_a_country
                if d.mention.in_dateline and d.candidates and dateline_country is None:
                    if d.qualifier is not None:  # "LONDON, Ky."
                        dateline_country = d.qualifier[0]
                        if d.qualifier[1]:
                            states.add(d.qualifier[1])
                    else:
                        # The candidate of the highest prior (and spelling), the first of equals;
                        # looked at again below if the story names one of the others' countries.
                        several = len(rows) > 1
                        best_score = best = None
                        for c, cc, t, _, prior in rows:
                            score = prior + spelling.bonus(cc, t) if several and cc in _ENGLISH else prior
                            if best_score is None or score > best_score:
                                best_score, dateline_country, best = score, cc, c
                        if not g.capital[best.pid] and g.ptype[best.pid] != "country":
                            dateline_by_prior = d.candidates
                continue
            (cc,) = cs
            if cc != "US" and types == {"admin1"} and counts[d.mention.text] < 2 and d.qualifier is None \
                    and not d.mention.in_dateline:
                continue  # "Grad", "Yap": an ISO division named once is no evidence of its country

            strong = (
                d.mention.kind in ("demonym", "seat")
                # a country, a state, a county ("Henry County" is in ten states, all in the US)
                or types <= _STRONG_CONTEXT_TYPES
                or (len(d.candidates) == 1 and g.population[d.candidates[0].pid] >= CERTAIN_CITY_POPULATION)
                # a city that is also its county, under that name: "Athens-Clarke County"
                or (len(d.candidates) == 1 and d.mention.text.endswith(" County"))
                or d.qualifier is not None
            )
            if d.mention.in_dateline and dateline_country is None:
                dateline_country = cc
            if strong:
                countries.add(cc)
                if cc == "US":
                    named = {g.padmin1[c.pid] for c in d.candidates if g.ptype[c.pid] in ("admin1", "admin2")}
                    if len(named) == 1:  # "Henry County" alone names no state
                        states |= named
            if d.qualifier is not None:
                countries.add(d.qualifier[0])
                if d.qualifier[1]:
                    states.add(d.qualifier[1])
        if dateline_by_prior is not None:
            # "HAMILTON -" in a story about Butler County's taxes: the Hamilton in a county or
            # state the story names (Butler County, Ohio, is one of several), not the largest
            # Hamilton; when only one country's are, the largest is no capital ("LONDON -" stays
            # London whatever the story names) and at most DATELINE_DIVISION_RATIO times as
            # populous ("FRANKFURT -" in a story naming Kentucky stays Frankfurt am Main).
            divisions = [f.divisions for d, f in zip(detected, facts) if f.divisions and not d.mention.in_dateline]
            if divisions:  # most stories name no state or county
                divisions = set().union(*divisions)
                largest = max(g.population[c.pid] for c in dateline_by_prior)
                named = {g.pcountry[c.pid] for c in dateline_by_prior
                         if (g.pcountry[c.pid], g.padmin1[c.pid]) in divisions and g.ptype[c.pid] == "city"
                         and g.population[c.pid] * DATELINE_DIVISION_RATIO >= largest}
                if len(named) == 1:
                    (dateline_country,) = named
        if dateline_country:
            countries.add(dateline_country)
        if shared_state_names and "US" in countries:
            states |= shared_state_names  # "Henry County in Georgia": Georgia's Henry County
        return countries, states, dateline_country

    @staticmethod
    def _weak_context(detected: list[Detected], facts: list[_Facts]) -> dict[str, set[str]]:
        """For each country, the distinct names in the story that could be in it.

        Local news names many small places and rarely its own country: "Mansfield", "Ozark" and
        "Dublin" in one story all have a US candidate, and that agreement is the evidence.
        """
        weak: dict[str, set[str]] = {}
        for d, (_, cs, _, _, _, _, _) in zip(detected, facts):
            text = d.mention.text
            for cc in cs:
                if cc is not None:
                    names = weak.get(cc)
                    if names is None:  # (no set made and thrown away per name, as setdefault would)
                        weak[cc] = {text}
                    else:
                        names.add(text)
        return weak

    def _home(self, detected: list[Detected], first: list[Resolution]) -> str | None:
        """The story's home country: where most of the distinct names it resolved lie.

        Local news seldom names its own country, but resolves several of its towns there through
        their state, county or each other ("Boulder City", "Mercer", "Terry"); a namesake abroad
        ("Dublin") should then lose to the one at home. Needs HOME_MIN_NAMES names and
        HOME_MARGIN times as many as the next country.
        """
        by_country: dict[str, set[str]] = {}
        for r in first:
            p = r.place
            if p is not None and p.country is not None and r.type != "demonym":
                names = by_country.get(p.country)
                if names is None:
                    by_country[p.country] = {r.mention.text}
                else:
                    names.add(r.mention.text)
        if not by_country:
            return None
        if len(by_country) == 1:  # most stories: no runner-up to rank
            ((home, names),) = by_country.items()
            return home if len(names) >= HOME_MIN_NAMES else None
        ranked = sorted(((len(v), cc) for cc, v in by_country.items()), reverse=True)
        n, home = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0
        return home if n >= HOME_MIN_NAMES and n >= HOME_MARGIN * runner_up else None

    @staticmethod
    def _carry_qualifiers(detected: list[Detected]) -> list[Detected]:
        """A name qualified once ("in Suffolk, England") keeps that qualifier in the rest of the story."""
        qualified: dict[str, tuple[str, str | None]] = {}
        for d in detected:
            if d.qualifier is not None:
                qualified.setdefault(d.mention.text, d.qualifier)
        if not qualified:
            return detected
        return [make_detected(d.mention, d.candidates, qualified[d.mention.text], d.alt, d.placelike, d.likely_place)
                if d.qualifier is None and d.candidates and d.mention.text in qualified else d
                for d in detected]

    def resolve(self, detected: list[Detected], dialect=None) -> list[Resolution]:
        """`dialect`: "US", "GB", None, or a function returning one (called only if a name needs it)."""
        detected = self._carry_qualifiers(detected)
        spelling = _Spelling(dialect)
        counts = _count_names(detected)
        # (_facts_of's cache read in place for each mention: a call fewer per name.)
        known, facts_of = self._facts, self._facts_of
        facts = [got[1] if (got := known.get(id(c := d.candidates))) is not None and got[0] is c else facts_of(c)
                 for d in detected]
        context = self._context(detected, counts, facts, spelling)
        # Counties the story names (any reading of the name): evidence for a town named like a
        # famous place (see COUNTY_AROUND_KM). Most stories name none.
        counties = [r.candidate.pid for f in facts if "admin2" in f.types for r in f.rows if r.type == "admin2"]
        weak = self._weak_context(detected, facts)
        first = self._resolve(detected, context, weak, None, counts, spelling, counties)
        home = self._home(detected, first) if HOME_BONUS else None
        if home is None or home in context[0]:
            # The home bonus goes only to candidates in a country the story does not name
            # (see _best_of): with home among the named countries nothing changes.
            return _likely_places(detected, facts, first)
        return _likely_places(detected, facts, self._resolve(detected, context, weak, home, counts, spelling, counties, first))

    def _resolve(self, detected: list[Detected], context, weak: dict[str, set[str]], home: str | None,
                 counts: dict[str, int], spelling: _Spelling, counties: list[int],
                 without_home: list[Resolution] | None = None) -> list[Resolution]:
        """One pass over the mentions. `without_home`: this pass's results with home None; a name
        with no candidate in `home` scores the same with it, so its result is taken from there."""
        g = self.g
        countries, states, dateline_country = context
        out: list[Resolution] = []
        # Mentions of the same name with the same qualifier and position score alike: score once.
        memo: dict[tuple, tuple] = {}
        # A small town written as a place ("Ozark police") needs no other support.
        placelike = {d.mention.text for d in detected if d.placelike}
        # A division named more than once ("Manitoba ... in Manitoba") is the story's subject.
        repeated = {t for t, n in counts.items() if n > 1}
        facts_of = self._facts_of
        for i, d in enumerate(detected):
            m = d.mention
            if not d.candidates:
                out.append(make_resolution(m, None, 0.0, "unresolved", "not in the gazetteer"))
                continue
            if without_home is not None and home not in facts_of(d.candidates).countries:
                out.append(without_home[i])
                continue
            # Keyed by the candidate tuple's identity (the tuples live in `detected` meanwhile):
            # hashing the candidates themselves costs more than an occasional second scoring.
            key = (id(d.candidates), d.qualifier, m.in_dateline, m.text)
            result = memo.get(key)
            if result is None:
                result = memo[key] = self._best(d, countries, states, dateline_country, weak, home,
                                                m.text in placelike, m.text in repeated, spelling, counties)
            place_pid, score, rtype, reason = result
            out.append(make_resolution(m, None if place_pid is None else g.place(place_pid), score, rtype, reason))
        return out

    def _standing(self, c: Candidate) -> float:
        """A city's population, or the population its names listed stand for if more (not for NAMELIKE names)."""
        g = self.g
        population = g.population[c.pid]
        if c.flags & NAMELIKE:
            return population
        return max(population, fame_population(g.names_listed[c.pid]))

    def _county_around(self, town: int, counties: list[int]) -> bool:
        """Whether one of `counties` (place ids) lies in the town's state within COUNTY_AROUND_KM of it."""
        if not counties:
            return False  # most stories name no county: no Place built (and cached) for the town
        g = self.g
        here = g.place(town)
        if here.lat is None:
            return False
        for pid in counties:
            county = g.place(pid)
            if county.admin1 == here.admin1 and county.country == here.country and county.lat is not None \
                    and km(here.lat, here.lon, county.lat, county.lon) <= COUNTY_AROUND_KM:
                return True
        return False

    def _famous_over(self, famous: Candidate, namesake: Candidate) -> bool:
        """Whether `famous` is a famous place beside the town `namesake` (FAMOUS_POPULATION_RATIO)."""
        g = self.g
        if famous.kind != "name":
            return False
        t = g.ptype[famous.pid]
        if t in _FAMOUS_AREA_TYPES:
            return True
        home_capital = g.capital[famous.pid] and g.pcountry[famous.pid] == g.pcountry[namesake.pid]
        ratio = FAMOUS_CAPITAL_RATIO if home_capital else FAMOUS_POPULATION_RATIO
        return (t == "city" and g.population[namesake.pid] < FAMOUS_OVER_MAX_POPULATION
                and g.population[famous.pid] >= ratio * max(g.population[namesake.pid], 1)
                and g.names_listed[famous.pid] > g.names_listed[namesake.pid])

    def _best(self, d: Detected, countries, states, dateline_country, weak, home, placelike: bool,
              repeated: bool, spelling: _Spelling, counties: list[int]) -> tuple:
        """(place id or None, score, type, reason) of the best candidate; names with one candidate
        are cached by everything the scoring reads of the story (the spelling ranks namesakes
        only, and one candidate has none)."""
        if len(d.candidates) == 1:
            g = self.g
            c = d.candidates[0]
            cc = g.pcountry[c.pid]
            key = (c.pid, c.kind, c.flags, d.qualifier, d.mention.in_dateline, cc is not None and cc in countries, len(countries) == 1,
                   g.padmin1[c.pid] in states, cc == home, len(weak.get(cc, ())) if cc else 0,
                   cc == dateline_country, placelike, repeated)
            found = self._single.get(key)
            if found is None:
                found = self._best_of(d, countries, states, dateline_country, weak, home, placelike, repeated, spelling, counties)
                if len(self._single) < 200_000:
                    self._single[key] = found
            return found
        key = self._story_key(d, countries, states, dateline_country, weak, home, placelike, repeated, spelling, counties)
        got = self._several.get(key)
        if got is not None and got[0] is d.candidates:
            return got[1]
        found = self._best_of(d, countries, states, dateline_country, weak, home, placelike, repeated, spelling, counties)
        if len(self._several) < 200_000:
            self._several[key] = (d.candidates, found)
        return found

    def _reads_of(self, cands: tuple[Candidate, ...]) -> _Reads:
        """_Reads of `cands`, cached per candidate tuple (as _facts_of is)."""
        got = self._reads.get(id(cands))
        if got is not None and got[0] is cands:
            return got[1]
        facts = self._facts_of(cands)
        several_countries = len(facts.countries) > 1
        reads = _Reads(tuple(sorted(cc for cc in facts.countries if cc is not None)),
                       frozenset(r.admin1 for r in facts.rows if r.country == "US" and r.type != "admin1"),
                       several_countries and any(r.country in _ENGLISH and r.type != "country" for r in facts.rows))
        if len(self._reads) < 200_000:
            self._reads[id(cands)] = (cands, reads)
        return reads

    def _story_key(self, d: Detected, countries, states, dateline_country, weak, home, placelike: bool,
                   repeated: bool, spelling: _Spelling, counties: list[int]) -> tuple:
        """Everything _best_of reads, for a name of several candidates: the name (its candidate
        tuple, qualifier, dateline, whether it is one word), and for each country of its
        candidates whether the story names it, is at home there, how many of its other names
        could lie there and whether the dateline is there; the named US states its US towns lie
        in, the spelling where it can rank them, and the counties the story names."""
        m = d.mention
        reads = self._reads_of(d.candidates)
        return (id(d.candidates), d.qualifier, m.in_dateline, " " in m.text, placelike, repeated, len(countries) == 1,
                tuple([(cc in countries, cc == home, len(weak.get(cc, ())), cc == dateline_country)
                       for cc in reads.countries]),
                reads.us_town_states.intersection(states) if "US" in countries else None,
                spelling.countries() if reads.spelled else None,
                tuple(counties) if counties else None)

    def _best_of(self, d: Detected, countries, states, dateline_country, weak, home, placelike: bool,
                 repeated: bool, spelling: _Spelling, counties: list[int]) -> tuple:
        g = self.g
        m = d.mention
        scored = []
        specific: set[int] = set()  # candidates the qualifier or a named US state points at
        _, cand_countries, _, _, _, _, rows = self._facts_of(d.candidates)
        # The spelling only ranks namesakes in different countries: looked at only then.
        spelled = len(cand_countries) > 1
        qualifier = d.qualifier
        only_country = CONTEXT_ONLY_COUNTRY if len(countries) == 1 else 0.0
        for c, cc, t, admin1, prior in rows:
            # (bonus is 0 outside the English-speaking countries: no call for those)
            s = prior + spelling.bonus(cc, t) if spelled and cc in _ENGLISH else prior
            support = []
            if qualifier is not None:
                qc, qa = qualifier
                # Only US states share their codes between the state and its towns (GeoNames
                # numbers other countries' first-level divisions, ISO 3166-2 letters them), so
                # elsewhere the qualifier's country is what can be checked.
                if cc == qc and (qa is None or qc != "US" or admin1 == qa or t == "country"):
                    s += QUALIFIER_MATCH
                    support.append("qualifier")
                    specific.add(c.pid)
                else:
                    s += QUALIFIER_MISMATCH
            if cc is not None and cc in countries:
                s += CONTEXT_COUNTRY + only_country
                support.append(f"co-occurs with {cc}")
                if cc == "US" and t != "admin1" and admin1 in states:
                    s += CONTEXT_STATE
                    support.append(f"co-occurs with {admin1}")
                    specific.add(c.pid)
            elif cc is not None and cc == home:
                s += HOME_BONUS
                support.append(f"the story's other places are in {cc}")
            others = len(weak.get(cc, ())) - 1 if cc is not None else 0
            if others > 0:
                s += WEAK_CONTEXT * min(others, WEAK_CONTEXT_NAMES) / WEAK_CONTEXT_NAMES
                if others >= WEAK_SUPPORT_NAMES and not support:
                    support.append(f"{others} other names could be in {cc}")
            if cc is not None and cc == dateline_country and not m.in_dateline:
                s += DATELINE_COUNTRY
            scored.append((s, c, support))
        # Best score first, ties to the lower place id: the rows come in place-id order and the
        # sort is stable (no key function called per candidate).
        scored.sort(key=_SCORE, reverse=True)
        best_s, best, support = scored[0]
        if len(scored) > 1 and best.kind == "name" and g.ptype[best.pid] == "city" and "qualifier" not in support:
            # The story's country is not enough for a town to take the name of a famous place
            # ("Egypt", "Mecca", "the Pacific"): a qualifier is, and against a city, the town's state.
            written = placelike or m.in_dateline or (counties and self._county_around(best.pid, counties))
            known = self._famous
            for entry in scored[1:]:
                famous = entry[1]
                over = known.get((famous.pid, famous.kind, best.pid))
                if over is None:
                    over = self._famous_over(famous, best)
                    if len(known) < 200_000:
                        known[(famous.pid, famous.kind, best.pid)] = over
                if over and (
                        best.pid not in specific
                        or (not written and (g.ptype[famous.pid] in _FAMOUS_AREA_TYPES or g.capital[famous.pid]))):
                    best_s, best, support = entry
                    break
        if d.qualifier is not None and "qualifier" not in support and all(g.ptype[c.pid] == "city" for c in d.candidates):
            # "Suffolk, England", "Surrey, UK": the place is one the gazetteer lacks, and its
            # namesakes elsewhere are wrong; the qualifier is a mention of its own.
            return None, 0.0, "unresolved", "no namesake lies where its qualifier says"
        if placelike and not support:
            # "Ozark police", "in Berea": a place for sure; which namesake is the prior's guess.
            support = ["written as a place"]
        z = sum([math.exp(s - best_s) for s, _, _ in scored])
        confidence = 1.0 / z
        t = g.ptype[best.pid]
        standing = self._standing(best) if t == "city" else 0.0
        if (
            best.kind == "name"
            and t == "city"
            and standing < UNSUPPORTED_MIN_POPULATION
            and not g.capital[best.pid]  # a capital is known whatever its size ("Suva", "Honiara")
            and not support
            and not m.in_dateline
        ):
            return None, round(confidence * 0.5, 4), "unresolved", _SMALL_PLACE
        if best.kind == "name" and t == "admin1" and g.pcountry[best.pid] != "US" \
                and not support and (not repeated or best.flags & NAMELIKE) and not m.in_dateline:
            # ISO 3166-2 lists every country's divisions under their local names, many of them
            # ordinary words or names abroad ("Northland", "Grad", "Magdalena", "Yap"); a name
            # that is also a surname is no subject for being repeated ("Falcon", Falcón). A
            # well-known city of the same name in that country is what is meant ("Ramallah",
            # "Idlib": the governorate is named for it).
            for score_c, c, _ in scored[1:]:
                if c.kind == "name" and g.ptype[c.pid] == "city" and g.pcountry[c.pid] == g.pcountry[best.pid] \
                        and self._standing(c) >= UNSUPPORTED_MIN_POPULATION:
                    return c.pid, round(math.exp(score_c - best_s) / z * 0.9, 4), "city", "prior"
            return None, round(confidence * 0.5, 4), "unresolved", _FOREIGN_DIVISION
        if best.kind == "name" and t == "city" and best.flags & ALT and not support and not m.in_dateline \
                and " " not in m.text and (standing < ALT_UNSUPPORTED_MIN_POPULATION or best.flags & NAMELIKE):
            # "Trent" is Trento's English name, and far more often a first name; "Sam" is listed
            # for Damascus, and is a first name before anything else. A name of several words
            # ("Athens-Clarke County") is no word or person's name.
            return None, round(confidence * 0.5, 4), "unresolved", "alternate name, no support in the story"
        reason = ", ".join(support) if support else ("dateline" if m.in_dateline else "prior")
        rtype = best.kind if best.kind in ("demonym", "seat") else t
        # A confident prior still leaves room for doubt when the name has many namesakes.
        score = confidence * (0.98 if support or len(scored) == 1 else 0.9)
        return best.pid, round(score, 4), rtype, reason
