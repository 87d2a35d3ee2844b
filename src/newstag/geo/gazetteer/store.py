"""Read the built gazetteer (data/gazetteer.sqlite) and the M49 table (data/m49.json).

Loaded through importlib.resources, once per process, on first use (`load_gazetteer()`), never at
import. Everything the matcher needs per document is in memory afterwards: the Aho-Corasick
automaton over every alias, the candidates of each alias, and the place rows.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from importlib import resources

from newstag.errors import ArtifactError
from newstag.geo.normalize import key
from newstag.types import Place

MAX_CANDIDATES = 12
_FIX = "run `newstag build-gazetteer` (or reinstall newstag) to rebuild it"


@dataclass(frozen=True, slots=True)
class Candidate:
    pid: int
    kind: str  # "name" | "demonym" | "seat" | "region"
    flags: int


class Gazetteer:
    def __init__(self, db_path: str, m49: dict) -> None:
        import ahocorasick_rs

        try:
            # The connection stays open for `place()`, which reads whole rows only for the
            # few places a story resolves to; read-only, so threads may share it.
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
            columns = db.execute("SELECT type, country, admin1, population, capital FROM places ORDER BY pid").fetchall()
            alias_rows = db.execute("SELECT alias, pid, kind, flags FROM aliases ORDER BY alias, pid").fetchall()
            word_rows = db.execute("SELECT list, word FROM words").fetchall()
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise ArtifactError(f"gazetteer {db_path} does not load ({exc}): {_FIX}") from exc
        self._db = db
        self.build_id = meta.get("build_id", "unknown")
        self.manifest = json.loads(meta.get("manifest", "{}"))
        self._places: dict[int, Place] = {}
        self.ptype, self.pcountry, self.padmin1, self.population, self.capital = (list(c) for c in zip(*columns))
        self.country_pid = {cc: pid for pid, (t, cc) in enumerate(zip(self.ptype, self.pcountry)) if t == "country"}
        self.us_state_pid = {
            a1: pid for pid, (t, cc, a1) in enumerate(zip(self.ptype, self.pcountry, self.padmin1))
            if t == "admin1" and cc == "US"
        }

        patterns: list[str] = []
        cands: list[tuple[Candidate, ...]] = []
        current: dict[int, Candidate] = {}
        for alias, pid, kind, flags in alias_rows:
            if not patterns or patterns[-1] != alias:
                if patterns:
                    cands.append(self._ranked(current.values()))
                patterns.append(alias)
                current = {}
            # One candidate per place: "Caribbean" is both the M49 area's name and a region
            # name we listed; the specific kind wins over "name".
            if pid not in current or current[pid].kind == "name":
                current[pid] = Candidate(pid, kind, flags)
        if patterns:
            cands.append(self._ranked(current.values()))
        if not patterns:
            raise ArtifactError(f"gazetteer {db_path} has no names: {_FIX}")
        self.patterns = patterns
        self.candidates = cands
        # Aliases are stored folded, so lower-casing them gives `normalize.key` of each.
        self.by_key: dict[str, list[int]] = {}
        for i, p in enumerate(patterns):
            self.by_key.setdefault(p.lower(), []).append(i)
        self.automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

        words: dict[str, set[str]] = {}
        for lst, w in word_rows:
            words.setdefault(lst, set()).add(w)
        self.titles = frozenset(words.get("titles", ()))
        self.locative = frozenset(words.get("locative", ()))
        self.never = frozenset(words.get("never", ()))
        self.us_state_abbr = {w: lst.split(":", 1)[1] for lst, ws in words.items() if lst.startswith("us_state:") for w in ws}

        self.m49_countries: dict[str, dict] = m49["countries"]
        self.m49_areas: dict[str, dict] = m49["areas"]

    def _ranked(self, cands) -> tuple[Candidate, ...]:
        # "Springfield" has dozens of namesakes; the resolver scores each in Python, so keep the
        # largest few. A namesake below the cut would need a qualifier to win anyway.
        ranked = sorted(cands, key=lambda c: (self.ptype[c.pid] == "city", -self.population[c.pid], c.pid))
        return tuple(ranked[:MAX_CANDIDATES])

    def place(self, pid: int) -> Place:
        p = self._places.get(pid)
        if p is None:
            row = self._db.execute(
                "SELECT geonameid, name, country, lat, lon, type, population, admin1, m49 FROM places WHERE pid = ?",
                (pid,),
            ).fetchone()
            p = self._places[pid] = Place(*row)
        return p

    def lookup(self, text: str) -> tuple[Candidate, ...]:
        """Candidates for a name written in any case (datelines, all-caps headlines)."""
        out: list[Candidate] = []
        for i in self.by_key.get(key(text), ()):
            out.extend(self.candidates[i])
        return tuple(out)


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def _data_file(name: str):
    return resources.files("newstag") / "data" / name


def load_m49() -> dict:
    path = _data_file("m49.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"the UN M49 table {path} does not load ({exc}): {_FIX}") from exc


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first call."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                path = _data_file("gazetteer.sqlite")
                with resources.as_file(path) as real:
                    if not real.is_file():
                        raise ArtifactError(f"the gazetteer {real} is missing: {_FIX}")
                    _GAZETTEER = Gazetteer(str(real), load_m49())
    return _GAZETTEER
