"""2c. Focus: which countries and UN M49 regions a story is about, and which it only mentions.

A country's weight is the sum over its resolved mentions of (mention kind weight) x (position
weight: dateline > title > lead sentence > later). Scores are weights relative to the top
country (the top scores 1.0). A country is "about" when its score reaches ABOUT_RATIO, or when it
is the dateline's country; every other country is "mentioned". Countries roll up to their M49
intermediate region, sub-region and region (score: the best member's; "about" when a member is).
Region names the text writes itself ("Latin America", "the Caribbean") are added as mentioned,
or as about when the story names no country at all ("Drought in the Sahel"): then the regions
are all it says it is about.

The constants are a handful of hand-set numbers, not trained weights; they were checked
together against the Reuters-21578 dev figures of `newstag eval geo` (not tuned on them
case by case). Tuning them on the Reuters *train* split is an open follow-up.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter

from newstag.geo.gazetteer.store import Gazetteer
from newstag.geo.records import make_region_score
from newstag.types import RegionScore, Resolution

KIND_WEIGHT = {"country": 1.0, "seat": 1.0, "demonym": 0.7, "city": 0.8, "admin1": 0.8, "admin2": 0.6}
DATELINE_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 1.5  # first sentence of the body
EARLY_WEIGHT = 1.2  # second and third sentences
ABOUT_RATIO = 0.5
_KIND_ORDER = {"country": 0, "intermediate": 1, "subregion": 2, "region": 3}
# RegionScores are frozen records and most recur from story to story ("US", about, 1.0, and its
# regions): one object per distinct record, made once (bounded; a record is cheap to make again).
_MADE: dict[tuple, RegionScore] = {}
_RANK = itemgetter(0, 1, 2)


def _region_score(code: str, name: str, kind: str, relevance: str, score: float) -> RegionScore:
    key = (code, name, kind, relevance, score)  # every field: another gazetteer may name a code otherwise
    made = _MADE.get(key)
    if made is None:
        made = make_region_score(code, name, kind, relevance, score)
        if len(_MADE) < 100_000:
            _MADE[key] = made
    return made


def focus(resolutions: list[Resolution], g: Gazetteer) -> list[RegionScore]:
    weight: dict[str, float] = defaultdict(float)
    about_forced: set[str] = set()
    region_weight: dict[str, float] = defaultdict(float)
    m49_countries = g.m49_countries
    for r in resolutions:
        p = r.place
        if p is None:
            continue
        # The position weight: dateline > title > lead sentence > the next two > later.
        m = r.mention
        if m.in_dateline:
            w = DATELINE_WEIGHT
        elif m.in_title:
            w = TITLE_WEIGHT
        elif m.sentence == 0:
            w = LEAD_WEIGHT
        elif m.sentence <= 2:
            w = EARLY_WEIGHT
        else:
            w = 1.0
        w *= 0.5 + 0.5 * r.score
        if p.country is None:
            if p.m49 and p.m49 in g.m49_areas:
                region_weight[p.m49] += w
            continue
        if p.country not in m49_countries:
            continue
        weight[p.country] += w * KIND_WEIGHT.get(r.type, 0.8)
        if m.in_dateline:
            about_forced.add(p.country)
    if not weight and not region_weight:
        return []
    top = max(list(weight.values()) + list(region_weight.values()))
    out: dict[tuple[str, str], RegionScore] = {}
    # M49 areas: [about, score] gathered over their member countries, made into RegionScores once
    # at the end (the score is rounded at each step, as the result was before).
    areas: dict[tuple[str, str], list] = {}
    m49_areas = g.m49_areas
    rollup = g.m49_rollup
    for cc, w in weight.items():
        score = w / top
        about = score >= ABOUT_RATIO or cc in about_forced
        rounded = round(score, 4)  # (weights are positive: the score is too)
        out[("country", cc)] = _region_score(cc, m49_countries[cc]["name"], "country", "about" if about else "mentioned",
                                             rounded)
        for area in rollup[cc]:
            prev = areas.get(area)
            if prev is None:
                areas[area] = [about, rounded]
            else:
                prev[0] = about or prev[0]
                if rounded > prev[1]:  # the best member's score, rounded (rounding keeps the order)
                    prev[1] = rounded
    for code, w in region_weight.items():
        kind = m49_areas[code]["kind"]
        score = min(1.0, w / top)
        prev = areas.get((kind, code))
        if prev is not None:
            prev[1] = max(prev[1], round(score, 4))
        else:
            areas[(kind, code)] = [not weight and score >= ABOUT_RATIO, round(score, 4)]
    for (kind, code), (about, score) in areas.items():
        out[(kind, code)] = _region_score(code, m49_areas[code]["name"], kind, "about" if about else "mentioned", score)
    # Best score first, then countries before their areas, then by code (an itemgetter for the
    # key: no Python function called per record).
    ranked = sorted([(-r.score, _KIND_ORDER[kind], r.code, r) for (kind, _), r in out.items()], key=_RANK)
    return [entry[3] for entry in ranked]
