"""2b. Resolve: each detected mention to one GeoNames place, or explicitly unresolved.

Every candidate gets a score from
    * a prior for its type and size (countries > states > cities; log population; capitals);
    * the qualifier written after it ("Springfield, Ill." keeps only Illinois' Springfield);
    * the story's context: countries named without ambiguity (country names, demonyms, seats,
      US states, the dateline) and the US states it names lift candidates inside them;
and the best candidate wins. A small town that nothing in the story supports is left unresolved
rather than guessed: on LGL/GeoWebNews such guesses were wrong far more often than right.
"""

from __future__ import annotations

import math

from newstag.geo.detect import Detected
from newstag.geo.gazetteer.store import Candidate, Gazetteer
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
# Below this population, a city needs support from the story (its country or state named, or a
# qualifier) to be resolved.
UNSUPPORTED_MIN_POPULATION = 100_000
# A city this large is itself evidence for its country when it is the only candidate.
CERTAIN_CITY_POPULATION = 1_000_000


def _city_prior(population: int) -> float:
    return 0.3 * math.log10(population + 10)


class Resolver:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.g = gazetteer

    def _prior(self, c: Candidate) -> float:
        g = self.g
        t = g.ptype[c.pid]
        if c.kind != "name":
            return TYPE_PRIOR["country"] if t == "country" else TYPE_PRIOR.get(t, 2.0)
        if t == "city":
            p = _city_prior(g.population[c.pid]) + CAPITAL_BONUS * g.capital[c.pid]
        elif t == "admin1" and g.pcountry[c.pid] == "US":
            p = US_STATE_PRIOR
        else:
            p = TYPE_PRIOR.get(t, 1.0)
        if c.flags & 1:  # alternate name
            p -= ALT_NAME_PENALTY
        return p

    def _context(self, detected: list[Detected]) -> tuple[set[str], set[str], str | None]:
        """Countries and US states the story names without ambiguity, and the dateline country."""
        g = self.g
        countries: set[str] = set()
        states: set[str] = set()
        dateline_country = None
        for d in detected:
            cs = {g.pcountry[c.pid] for c in d.candidates}
            types = {g.ptype[c.pid] for c in d.candidates}
            if len(cs) != 1 or None in cs:
                if d.mention.in_dateline and d.candidates:
                    best = max(d.candidates, key=self._prior)
                    dateline_country = g.pcountry[best.pid]
                continue
            (cc,) = cs
            strong = (
                d.mention.kind in ("demonym", "seat")
                or types <= {"country", "admin1"}
                or (len(d.candidates) == 1 and g.population[d.candidates[0].pid] >= CERTAIN_CITY_POPULATION)
                or d.qualifier is not None
            )
            if d.mention.in_dateline:
                dateline_country = cc
            if strong:
                countries.add(cc)
                for c in d.candidates:
                    if g.ptype[c.pid] == "admin1" and cc == "US":
                        states.add(g.padmin1[c.pid])
            if d.qualifier is not None:
                countries.add(d.qualifier[0])
                if d.qualifier[1]:
                    states.add(d.qualifier[1])
        if dateline_country:
            countries.add(dateline_country)
        return countries, states, dateline_country

    @staticmethod
    def _weak_context(detected: list[Detected], g: Gazetteer) -> dict[str, set[str]]:
        """For each country, the distinct names in the story that could be in it.

        Local news names many small places and rarely its own country: "Mansfield", "Ozark" and
        "Dublin" in one story all have a US candidate, and that agreement is the evidence.
        """
        weak: dict[str, set[str]] = {}
        for d in detected:
            for cc in {g.pcountry[c.pid] for c in d.candidates}:
                if cc is not None:
                    weak.setdefault(cc, set()).add(d.mention.text)
        return weak

    def resolve(self, detected: list[Detected]) -> list[Resolution]:
        g = self.g
        countries, states, dateline_country = self._context(detected)
        weak = self._weak_context(detected, g)
        out: list[Resolution] = []
        for d in detected:
            m = d.mention
            if not d.candidates:
                out.append(Resolution(m, None, 0.0, "unresolved", "not in the gazetteer"))
                continue
            scored = []
            for c in d.candidates:
                cc = g.pcountry[c.pid]
                s = self._prior(c)
                support = []
                if d.qualifier is not None:
                    qc, qa = d.qualifier
                    if cc == qc and (qa is None or g.padmin1[c.pid] == qa or g.ptype[c.pid] == "country"):
                        s += QUALIFIER_MATCH
                        support.append("qualifier")
                    else:
                        s += QUALIFIER_MISMATCH
                if cc is not None and cc in countries:
                    s += CONTEXT_COUNTRY + (CONTEXT_ONLY_COUNTRY if len(countries) == 1 else 0.0)
                    support.append(f"co-occurs with {cc}")
                    if cc == "US" and g.ptype[c.pid] != "admin1" and g.padmin1[c.pid] in states:
                        s += CONTEXT_STATE
                        support.append(f"co-occurs with {g.padmin1[c.pid]}")
                others = len(weak.get(cc, ())) - 1 if cc is not None else 0
                if others > 0:
                    s += WEAK_CONTEXT * min(others, WEAK_CONTEXT_NAMES) / WEAK_CONTEXT_NAMES
                    if others >= WEAK_SUPPORT_NAMES and not support:
                        support.append(f"{others} other names could be in {cc}")
                if cc is not None and cc == dateline_country and not m.in_dateline:
                    s += DATELINE_COUNTRY
                scored.append((s, c, support))
            scored.sort(key=lambda x: (-x[0], x[1].pid))
            best_s, best, support = scored[0]
            z = sum(math.exp(s - best_s) for s, _, _ in scored)
            confidence = 1.0 / z
            t = g.ptype[best.pid]
            if (
                best.kind == "name"
                and t == "city"
                and g.population[best.pid] < UNSUPPORTED_MIN_POPULATION
                and not support
                and not m.in_dateline
            ):
                out.append(Resolution(m, None, round(confidence * 0.5, 4), "unresolved", "small place, no support in the story"))
                continue
            reason = ", ".join(support) if support else ("dateline" if m.in_dateline else "prior")
            rtype = best.kind if best.kind in ("demonym", "seat") else t
            # A confident prior still leaves room for doubt when the name has many namesakes.
            score = confidence * (0.98 if support or len(scored) == 1 else 0.9)
            out.append(Resolution(m, g.place(best.pid), round(score, 4), rtype, reason))
        return out
