"""2b'. Region anaphora: "the Caribbean island", "the Gulf state", "the Balkan country".

News refers back to a country it has named by its region and a noun: in a story about Cuba, "a
visit to the Caribbean Island" means Cuba, not the Caribbean as a whole. After resolution, a region
mention written as `the <region> <noun>` takes the one country of that region the story names
elsewhere; with none, or with several, it stays the region it was.

Runs between resolve and focus (geo/__init__.py); it only rewrites such mentions, so every other
resolution passes through untouched.
"""

from __future__ import annotations

import re

from newstag.geo.gazetteer.store import Gazetteer
from newstag.geo.records import make_mention, make_resolution
from newstag.types import Article, Resolution

# The nouns that make a region name point at one country. Lower case and capitalised forms both
# occur ("the Caribbean Island", "the Gulf state").
_NOUN_AFTER = re.compile(r" (island nation|island state|island|nation|country|state|republic|kingdom|emirate)\b", re.IGNORECASE)
_THE_BEFORE = re.compile(r"\bthe $", re.IGNORECASE)
# Story countries are read from these resolution types: what names a country without doubt.
_COUNTRY_EVIDENCE = frozenset({"country", "demonym", "seat", "city", "admin1"})


def resolve_region_anaphora(article: Article, resolutions: list[Resolution], g: Gazetteer) -> list[Resolution]:
    anaphora = [
        i for i, r in enumerate(resolutions)
        if r.type == "region" and r.place is not None and r.place.m49 and r.mention.field == "text"
        and _THE_BEFORE.search(article.text, max(0, r.mention.start - 4), r.mention.start)
        and _NOUN_AFTER.match(article.text, r.mention.end)
    ]
    if not anaphora:
        return resolutions
    named = {r.place.country for r in resolutions if r.place is not None and r.type in _COUNTRY_EVIDENCE and r.place.country}
    out = list(resolutions)
    for i in anaphora:
        r = resolutions[i]
        code = r.place.m49
        members = {cc for cc in named if code in _areas_of(g, cc)}
        if len(members) != 1:
            continue
        (cc,) = members
        pid = g.country_pid.get(cc)
        if pid is None:
            continue
        noun = _NOUN_AFTER.match(article.text, r.mention.end)
        m = r.mention
        end = noun.end()
        mention = make_mention(article.text[m.start : end], m.start, end, m.kind, m.field, m.in_title, m.in_dateline, m.sentence)
        out[i] = make_resolution(mention, g.place(pid), r.score, "country", f"the {m.text} {noun.group(1)}: the story's {cc}")
    return out


def _areas_of(g: Gazetteer, cc: str) -> set[str]:
    row = g.m49_countries.get(cc) or {}
    return {code for code in (row.get("region"), row.get("subregion"), row.get("intermediate")) if code}
