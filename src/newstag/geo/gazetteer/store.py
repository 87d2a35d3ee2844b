"""Read the built gazetteer (data/gazetteer.npz), the M49 table (data/m49.json) and the word table (data/word_use.json).

Loaded through importlib.resources, once per process, on first use (`load_gazetteer()`), never at
import. The artifact is stored load-ready (see build.py), so loading is a handful of numpy reads,
string splits and dict builds, ~0.1 s: no automaton is compiled and no Python object is made per
alias. Candidates and Place records are made lazily, only for the aliases and places a story
hits, and cached for the rest of the process.
"""

from __future__ import annotations

import bisect
import json
import re
import threading
from dataclasses import dataclass
from importlib import resources

from newstag.errors import ArtifactError
from newstag.geo.normalize import fold, key
from newstag.types import Place

# A word that begins more aliases of this many lengths has them grouped by their second word.
_FEW_LENGTHS = 4
# The second word of an alias or of the text: after up to three separators ("St. Louis", "U.S.").
_NEXT_WORD = re.compile(r"[^\w]{1,3}([^\W\d_]+)")
_FIX = "run `newstag build-gazetteer` (or reinstall newstag) to rebuild it"
KINDS = ("name", "demonym", "seat", "region")  # mention kinds of an alias, stored by their index
# Alias flags (bit set), written by build.py, read by the detector and the resolver.
ALT = 1  # an alternate name, not the place's own name
COMMON = 2  # also an ordinary English word: needs context ("in Reading")
GIVEN = 4  # also a common first name: rejected before a capitalised word ("Jordan Smith")
NAMELIKE = 8  # a US Census first name or surname, whatever the place's size: no fame without support
FORMAT = 3  # 1: gazetteer.sqlite; 2: load-ready arrays in gazetteer.npz; 3: + names listed, first names


@dataclass(frozen=True, slots=True)
class Candidate:
    pid: int
    kind: str  # "name" | "demonym" | "seat" | "region"
    flags: int


def _group(pairs: list[tuple[int, int]], patterns: list[str]) -> tuple[tuple[int, ...], dict[int, dict[str, int]]]:
    """(length, alias) pairs, longest first -> (distinct lengths, {length: {alias text: alias number}}).

    Keyed by text so that matching is one dict look-up per length, not a loop over the aliases.
    """
    by_length: dict[int, dict[str, int]] = {}
    for n, a in pairs:
        by_length.setdefault(n, {}).setdefault(patterns[a], a)  # alias texts are unique; first wins
    return tuple(by_length), by_length


def _strings(arrays, name: str) -> list[str]:
    data = arrays[name].tobytes().decode("utf-8")
    return data.split("\n") if data else []


class Gazetteer:
    def __init__(self, source, name: str | None = None) -> None:
        """`source`: a path or a binary file of gazetteer.npz; `name`: how errors name it."""
        import numpy as np

        path = name or source

        try:
            with np.load(source, allow_pickle=False) as z:
                arrays = {name: z[name] for name in z.files}
        except (OSError, ValueError, KeyError) as exc:
            raise ArtifactError(f"gazetteer {path} does not load ({exc}): {_FIX}") from exc
        try:
            self.manifest = json.loads(arrays["manifest"].tobytes().decode("utf-8"))
            if self.manifest.get("format") != FORMAT:
                raise ArtifactError(
                    f"gazetteer {path} has format {self.manifest.get('format')}, this newstag reads {FORMAT}: {_FIX}")
            self.build_id = self.manifest.get("build_id", "unknown")
            self.patterns = _strings(arrays, "alias_names")
            # Read per hit, through the cache in `candidates()`: left as arrays.
            self._alias_offsets = arrays["alias_offsets"]
            self._cand_pid = arrays["cand_pid"]
            self._cand_kind = arrays["cand_kind"]
            self._cand_flags = arrays["cand_flags"]
            # Sorted, searched by bisection (a dict of 176k words costs 0.1 s of start-up); what
            # a story asks for is cached in `_by_first`, words found or not.
            self._first_words = _strings(arrays, "first_words")
            self._first_offsets = arrays["first_offsets"].tolist()
            self._first_lengths = arrays["first_lengths"].tolist()
            self._first_alias = arrays["first_alias"].tolist()
            # Alias numbers sorted by look-up key, searched by bisection; results are cached.
            self._key_order = arrays["key_order"].tolist()
            self._lookups: dict[str, tuple[Candidate, ...]] = {}

            obj = np.array(_strings(arrays, "type_vocab"), dtype=object)
            self.ptype: list[str] = obj[arrays["place_type"]].tolist()
            self.pcountry: list[str | None] = self._column(arrays, "place_country", "country_vocab")
            self.padmin1: list[str | None] = self._column(arrays, "place_admin1", "admin1_vocab")
            self._pm49: list[str | None] = self._column(arrays, "place_m49", "m49_vocab")
            self.population: list[int] = arrays["place_population"].tolist()
            self.capital: list[int] = arrays["place_capital"].tolist()
            # How many names GeoNames lists for a city (build.py): the resolver's sign of fame.
            self.names_listed: list[int] = arrays["place_names_listed"].tolist()
            self._geonameid = arrays["place_geonameid"]
            self._lat = arrays["place_lat"]
            self._lon = arrays["place_lon"]
            self._name_bytes = arrays["place_name"].tobytes()
            self._name_offsets = arrays["place_name_offsets"]
            self.lower_aliases = _strings(arrays, "lower_aliases")
            self.titles = frozenset(_strings(arrays, "words_titles"))
            self.given_names = frozenset(_strings(arrays, "words_given"))
            self.locative = frozenset(_strings(arrays, "words_locative"))
            self.never = frozenset(_strings(arrays, "words_never"))
            self.ordinary: frozenset[str] = frozenset()  # set_word_use
            self.never_names: frozenset[str] = frozenset()
            self.us_state_abbr = dict(line.split("\t", 1) for line in _strings(arrays, "words_us_states"))
        except KeyError as exc:
            raise ArtifactError(f"gazetteer {path} lacks the array {exc}: {_FIX}") from exc
        if not self.patterns:
            raise ArtifactError(f"gazetteer {path} has no names: {_FIX}")
        ptype = arrays["place_type"]
        types = _strings(arrays, "type_vocab")
        countries = np.nonzero(ptype == types.index("country"))[0].tolist() if "country" in types else []
        self.country_pid = {self.pcountry[pid]: pid for pid in countries}
        admin1 = np.nonzero(ptype == types.index("admin1"))[0].tolist() if "admin1" in types else []
        self.us_state_pid = {self.padmin1[pid]: pid for pid in admin1 if self.pcountry[pid] == "US"}
        self._places: dict[int, Place] = {}
        self._by_first: dict[str, tuple | None] = {}
        # The same cache, for the matcher to read without a call: {word: entry or None}, words
        # not looked up yet absent (`_entry` fills it). Half of all capitalised words begin no
        # alias, and one dict look-up settles those.
        self.first_word_entries = self._by_first
        self._candidates: dict[int, tuple[Candidate, ...]] = {}
        self.m49_countries: dict[str, dict] = {}
        self.m49_areas: dict[str, dict] = {}
        self.m49_rollup: dict[str, tuple[tuple[str, str], ...]] = {}

    @staticmethod
    def _column(arrays, codes: str, vocab: str) -> list[str | None]:
        import numpy as np

        values = np.array([v or None for v in _strings(arrays, vocab)], dtype=object)
        return values[arrays[codes]].tolist()

    def set_m49(self, m49: dict) -> None:
        """The UN M49 table (data/m49.json); `m49_rollup` gives each country the (kind, code) of
        the areas it belongs to that the table describes: intermediate region, sub-region, region."""
        self.m49_countries = m49["countries"]
        self.m49_areas = m49["areas"]
        self.m49_rollup = {
            cc: tuple((kind, info[kind]) for kind in ("intermediate", "subregion", "region")
                      if info.get(kind) and info[kind] in self.m49_areas)
            for cc, info in self.m49_countries.items()
        }

    def set_word_use(self, word_use: dict) -> None:
        """How English writes words (data/word_use.json, build.build_word_use): `ordinary`, the
        capitalised forms of ordinary lower-case words; `never_names`, the words of `never` that
        are person names."""
        self.ordinary = frozenset(word_use["ordinary"])
        self.never_names = frozenset(word_use["never_names"])

    def _entry(self, word: str):
        """The aliases beginning with the word `word`, grouped for matching; None if there are none.

        (lengths, by_length, by_second, next_two): lengths longest first and {length: {alias text:
        alias number}}; when a word begins many aliases ("The", "New", "San"), by_second groups
        those of two or more words by their second word ({second word: (lengths, by_length)}) and
        the first two fields keep only the rest. next_two: the set of the two characters that
        follow the word in each alias, or None when an alias has fewer; text whose next two
        characters are not in it matches none of the aliases ("The company" against "The Hague",
        "The Bronx", ...), and the matcher skips it without a look at the lengths.
        Made from the stored index on first use and cached.
        """
        entry = self._by_first.get(word, False)
        if entry is not False:
            return entry
        i = bisect.bisect_left(self._first_words, word)
        entry = None
        if i < len(self._first_words) and self._first_words[i] == word:
            span = range(self._first_offsets[i], self._first_offsets[i + 1])
            pairs = [(self._first_lengths[k], self._first_alias[k]) for k in span]  # longest first
            n_word = len(word)
            next_two: frozenset[str] | None = frozenset(self.patterns[a][n_word : n_word + 2] for _, a in pairs)
            if any(len(two) < 2 for two in next_two):
                next_two = None
            by_second: dict[str, list[tuple[int, int]]] | None = None
            if len({n for n, _ in pairs}) > _FEW_LENGTHS:
                by_second, rest = {}, []
                for n, a in pairs:
                    m = _NEXT_WORD.match(self.patterns[a], len(word))
                    if m is None:
                        rest.append((n, a))
                    else:
                        by_second.setdefault(m.group(1), []).append((n, a))
                pairs = rest
            patterns = self.patterns
            entry = (*_group(pairs, patterns),
                     {w: _group(ps, patterns) for w, ps in by_second.items()} if by_second else None, next_two)
        if len(self._by_first) < 500_000:
            self._by_first[word] = entry
        return entry

    def longest_at(self, text: str, start: int, word: str, limit: int) -> tuple[int, int] | None:
        """The longest alias written at text[start:limit] that ends on a word boundary: (alias, end).

        `word` is the run of letters at `start` (normalize.first_word). `limit` ends the segment
        and counts as a boundary. A boundary is a character that is not a letter or digit, so
        "Georgia" is not found in "Georgian".
        """
        entry = self._entry(word)
        if entry is None:
            return None
        return self.longest_in(entry, text, start, word, limit)

    def longest_in(self, entry, text: str, start: int, word: str, limit: int) -> tuple[int, int] | None:
        """`longest_at` for an entry already looked up (not None)."""
        lengths, by_length, by_second, _ = entry
        if by_second is not None:
            m = _NEXT_WORD.match(text, start + len(word), limit)
            group = by_second.get(m.group(1)) if m is not None else None
            if group is not None:
                found = self.longest_of_lengths(text, start, limit, *group)
                if found is not None:
                    return found
        return self.longest_of_lengths(text, start, limit, lengths, by_length)

    @staticmethod
    def longest_of_lengths(text, start, limit, lengths, by_length) -> tuple[int, int] | None:
        """The longest alias at text[start:limit] among `by_length` ({length: {alias text: alias
        number}}), tried in the order of `lengths`, that ends on a word boundary: (alias, end)."""
        for n in lengths:
            end = start + n
            if end > limit or (end < limit and text[end].isalnum()):
                continue
            a = by_length[n].get(text[start:end])
            if a is not None:
                return a, end
        return None

    def candidates(self, idx: int) -> tuple[Candidate, ...]:
        """The candidates of alias number `idx` (ranked: non-cities first, then by population)."""
        c = self._candidates.get(idx)
        if c is None:
            a, b = int(self._alias_offsets[idx]), int(self._alias_offsets[idx + 1])
            c = self._candidates[idx] = tuple(
                Candidate(pid, KINDS[kind], flags)
                for pid, kind, flags in zip(self._cand_pid[a:b].tolist(), self._cand_kind[a:b].tolist(),
                                            self._cand_flags[a:b].tolist())
            )
        return c

    def place(self, pid: int) -> Place:
        p = self._places.get(pid)
        if p is None:
            lat, lon = float(self._lat[pid]), float(self._lon[pid])
            p = self._places[pid] = Place(
                int(self._geonameid[pid]) or None,
                self._name_bytes[int(self._name_offsets[pid]): int(self._name_offsets[pid + 1])].decode("utf-8"),
                self.pcountry[pid],
                None if lat != lat else round(lat, 5), None if lon != lon else round(lon, 5),  # NaN: none
                self.ptype[pid], self.population[pid], self.padmin1[pid], self._pm49[pid],
            )
        return p

    def lookup(self, text: str) -> tuple[Candidate, ...]:
        """Candidates for a name written in any case (datelines, all-caps headlines)."""
        found = self._lookups.get(text)
        if found is not None:
            return found
        k = key(text)
        found = self._lookups.get(k)
        if found is None:
            order, patterns = self._key_order, self.patterns
            i = bisect.bisect_left(order, k, key=lambda a: key(patterns[a]))
            same_key = []
            while i < len(order) and key(patterns[order[i]]) == k:
                same_key.append(order[i])
                i += 1
            # Accents count when an alias has the text's own ("CANADA" is Canada, not the
            # village Cañada, whose key is the same); "BOGOTA" finds Bogotá's accent-free name.
            lowered = " ".join(fold(text).lower().split())
            exact = [a for a in same_key if patterns[a].lower() == lowered]
            out: dict[int, Candidate] = {}  # "Bogotá" and "Bogota" name the same place: once
            for a in exact or same_key:
                for c in self.candidates(a):
                    out.setdefault(c.pid, c)
            found = tuple(out.values())
        if len(self._lookups) < 100_000:  # bounded: words repeat across stories
            self._lookups[k] = self._lookups[text] = found
        return found


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def _data_file(name: str):
    return resources.files("newstag") / "data" / name


def _load_json(name: str, what: str) -> dict:
    path = _data_file(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"{what} {path} does not load ({exc}): {_FIX}") from exc


def load_m49() -> dict:
    return _load_json("m49.json", "the UN M49 table")


def load_word_use() -> dict:
    """data/word_use.json (build.build_word_use): see Gazetteer.set_word_use."""
    return _load_json("word_use.json", "the word table")


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first call."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                path = _data_file("gazetteer.npz")
                try:
                    with path.open("rb") as f:
                        g = Gazetteer(f, str(path))
                except FileNotFoundError:
                    raise ArtifactError(f"the gazetteer {path} is missing: {_FIX}") from None
                g.set_m49(load_m49())
                g.set_word_use(load_word_use())
                _GAZETTEER = g
    return _GAZETTEER
