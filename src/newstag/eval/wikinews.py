"""Place precision on real prose: the geo stage and geotext against hand-annotated Wikinews articles.

The gold is `annotations/wikinews_2020_places.jsonl` beside this module (articles of
../shared/data/wikinews_2020/, every place mention with its offsets, ISO country, GeoNames id
and kind; guidelines in `annotations/README.md`). The text is read from ../shared, never stored.
Each article carries the `batch` it was annotated in (1: the first 68, hand-picked; 2: the rest,
annotated later): the scores are given over all articles and per batch, so that batch 2 can serve
as a held-out check of changes made while looking at batch 1's errors.

Gold spans are *places* (every kind but `demonym`) or *demonyms*. Our mentions in the article
text (those in the title are left out: the title is not annotated) are place mentions, or
demonyms (mention kind or resolved type `demonym`), or seats of government ("White House",
kind or type `seat`), which the guidelines do not annotate and which are therefore only counted. Two spans match when
their offsets overlap.

    mention precision     our place mentions that overlap a gold span (place or demonym)
    mention recall        gold places that one of our mentions overlaps
    right country         of the matched gold places with a country whose first overlapping
                          mention is resolved: the share resolved to that country
    right place           the same, counting GeoNames ids, over gold places with an id
    false places          resolved place mentions overlapping no gold span (person names,
                          common words, organisations read as places), per 100 of our place
                          mentions
    unresolved non-places unresolved mentions overlapping no gold span, per 100 gold places
    famous misresolved    gold countries, continents and capitals resolved to another GeoNames id
    demonym recall        gold demonyms that one of our mentions overlaps ("European" is ours as a region)
  Our demonyms on no gold span ("Georgian" in "Georgian lari") and our seats are only counted.

geotext (a pinned test dependency) runs on the same texts. It reports names, not offsets: each
name it lists n times is taken at its first n whole-word occurrences in the text.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO

from newstag.errors import InputError
from newstag.eval.geo import _read_jsonl, _tag

ANNOTATIONS = "wikinews_2020_places.jsonl"
ARTICLES = "data/wikinews_2020/articles.jsonl"
FAMOUS_KINDS = ("country", "continent")  # and any gold place that is a capital (from the gazetteer)
EXAMPLES = 15  # most frequent texts listed per kind of error


@dataclass(frozen=True, slots=True)
class Predicted:
    """One of a system's mentions, reduced to what the scores read."""

    start: int
    end: int
    text: str
    role: str  # "place" | "demonym" | "seat"
    resolved: bool = False
    country: str | None = None
    geonameid: int | None = None
    name: str | None = None  # the resolved place's name, for the examples


def load_annotations() -> list[dict]:
    """The gold: one {"id", "batch", "places": [{"start", "end", "text", "country", "geonameid", "kind"}]} per article."""
    source = resources.files("newstag.eval") / "annotations" / ANNOTATIONS
    with source.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def newstag_mentions(resolutions) -> list[Predicted]:
    """The geo stage's resolutions in the article text as Predicted mentions."""
    out = []
    for r in resolutions:
        m = r.mention
        if m.field != "text":
            continue
        # The record is not consistent here ("Argentine" is kind name, type demonym; "White House"
        # kind name, type seat): either field decides.
        kinds = (m.kind, r.type)
        role = "demonym" if "demonym" in kinds else "seat" if "seat" in kinds else "place"
        p = r.place
        out.append(Predicted(m.start, m.end, m.text, role, p is not None, p.country if p else None,
                             p.geonameid if p else None, p.name if p else None))
    return out


def geotext_mentions(text: str) -> list[Predicted]:
    """geotext's cities and countries, placed at their first whole-word occurrences (it gives no offsets)."""
    from geotext import GeoText

    found = GeoText(text)
    out = []
    for name, n in Counter(found.cities + found.countries).items():
        spans = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)][:n]
        out += [Predicted(s, e, name, "place") for s, e in spans]
    return out


def _precision_recall(precision: float, recall: float) -> dict[str, float]:
    # Not metrics.prf: precision counts our mentions and recall gold places, and the two counts of
    # matches differ (one long gold span can hold two of our mentions).
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": round(f1, 4)}


def score_mentions(docs: list[tuple[list[dict], list[Predicted]]], capitals: frozenset[int] = frozenset()) -> dict:
    """Score (gold places, predicted mentions) per document; `capitals`: GeoNames ids of capitals.

    Pure: the figures of the module docstring, with counts and the most frequent examples.
    """
    gold_places = gold_demonyms = predicted_places = 0
    place_hits = found = 0
    country_total = country_right = place_total = place_right = 0
    demonyms_found = seats = demonyms_off_gold = 0
    false_places: Counter = Counter()
    unresolved_nonplaces: Counter = Counter()
    missed: Counter = Counter()
    wrong_country: Counter = Counter()
    famous: Counter = Counter()
    for gold, predicted in docs:
        places = [g for g in gold if g["kind"] != "demonym"]
        demonyms = [g for g in gold if g["kind"] == "demonym"]
        gold_places += len(places)
        gold_demonyms += len(demonyms)
        for p in predicted:
            if p.role == "seat":
                seats += 1
                continue
            on_gold = any(_overlaps(p.start, p.end, g["start"], g["end"]) for g in gold)
            if p.role == "demonym":
                demonyms_off_gold += not on_gold
            else:
                predicted_places += 1
                place_hits += on_gold
                if not on_gold and p.resolved:
                    false_places[f"{p.text} -> {p.name} ({p.country or '-'})"] += 1
                if not on_gold and not p.resolved:
                    unresolved_nonplaces[p.text] += 1
        for g in demonyms:
            demonyms_found += any(_overlaps(p.start, p.end, g["start"], g["end"]) for p in predicted)
        for g in places:
            hits = sorted((p for p in predicted if _overlaps(p.start, p.end, g["start"], g["end"])),
                          key=lambda p: p.start)
            if not hits:
                missed[g["text"]] += 1
                continue
            found += 1
            first = hits[0]
            if not first.resolved:
                continue
            if g["country"] is not None:
                country_total += 1
                if first.country == g["country"]:
                    country_right += 1
                else:
                    wrong_country[f"{g['text']} -> {first.name} ({first.country or '-'}), not {g['country']}"] += 1
            if g["geonameid"] is not None:
                place_total += 1
                place_right += first.geonameid == g["geonameid"]
                is_famous = g["kind"] in FAMOUS_KINDS or g["geonameid"] in capitals
                if is_famous and first.geonameid != g["geonameid"]:
                    famous[f"{g['text']} -> {first.name} ({first.country or '-'}) #{first.geonameid}"] += 1

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    def per_100(a: int, b: int) -> float:
        return round(100 * a / b, 2) if b else 0.0

    return {
        "mention": _precision_recall(ratio(place_hits, predicted_places), ratio(found, gold_places)),
        "right_country": ratio(country_right, country_total),
        "right_place": ratio(place_right, place_total),
        "false_places_per_100_predicted": per_100(sum(false_places.values()), predicted_places),
        "unresolved_nonplaces_per_100_gold": per_100(sum(unresolved_nonplaces.values()), gold_places),
        "famous_misresolved": sum(famous.values()),
        "demonym_recall": ratio(demonyms_found, gold_demonyms),
        "counts": {
            "gold_places": gold_places, "gold_demonyms": gold_demonyms, "predicted_places": predicted_places,
            "predicted_on_gold": place_hits, "gold_found": found, "seats": seats,
            "demonyms_off_gold": demonyms_off_gold,
            "country_scored": country_total, "place_scored": place_total,
            "false_places": sum(false_places.values()), "unresolved_nonplaces": sum(unresolved_nonplaces.values()),
        },
        "examples": {
            "false_places": false_places.most_common(EXAMPLES),
            "unresolved_nonplaces": unresolved_nonplaces.most_common(EXAMPLES),
            "famous_misresolved": famous.most_common(EXAMPLES),
            "wrong_country": wrong_country.most_common(EXAMPLES),
            "missed": missed.most_common(EXAMPLES),
        },
    }


def _capitals() -> frozenset[int]:
    """GeoNames ids of the capitals the gazetteer knows (the famous-place check counts them)."""
    from newstag.geo.gazetteer.store import load_gazetteer

    g = load_gazetteer()
    return frozenset(g.place(pid).geonameid for pid, is_capital in enumerate(g.capital) if is_capital)


def _tagged(shared: Path, tagger):
    """(gold record, article, the tagger's resolutions) for each annotated article, tagged with
    its title as a user's JSON Lines record would be."""
    from newstag.types import RawDocument

    articles = {a["id"]: a for a in _read_jsonl(Path(shared) / ARTICLES)}
    gold = load_annotations()
    absent = [g["id"] for g in gold if g["id"] not in articles]
    if absent:
        raise InputError(f"{Path(shared) / ARTICLES} lacks the annotated articles {absent[:5]}: "
                         "pass the shared folder the annotations were made on")
    for g in gold:
        a = articles[g["id"]]
        raw = RawDocument(id=a["id"], text=a["text"], title=a.get("title") or "", kind="jsonl")
        yield g, a, _tag(tagger, raw)[0]


def explain(shared: Path, tagger=None, context: int = 50) -> list[str]:
    """Every false place and unresolved non-place of the geo stage on the annotated articles, one
    line each: kind, article id, the mention, what it resolved to and why, and its context."""
    if tagger is None:
        from newstag.geo import GeoTagger

        tagger = GeoTagger()
    lines = []
    for g, a, resolutions in _tagged(shared, tagger):
        text = a["text"]
        for p, r in zip(newstag_mentions(resolutions), (r for r in resolutions if r.mention.field == "text")):
            if p.role != "place" or any(_overlaps(p.start, p.end, x["start"], x["end"]) for x in g["places"]):
                continue
            what = f"{p.name} ({p.country or '-'}), {r.reason}" if p.resolved else r.reason
            around = text[max(0, p.start - context):p.end + context].replace("\n", " ")
            lines.append(f"{'false place' if p.resolved else 'unresolved'}\t{g['id']}\t{p.text}\t{what}\t...{around}...")
    return lines


def run_wikinews_eval(shared: Path, tagger=None) -> dict:
    """Score the geo stage and geotext on the annotated articles; returns the figures.

    The figures over all articles ("articles", "newstag", "geotext"), the same per annotation
    batch under "batches" ({batch: {"articles", "newstag", "geotext"}}), and the tagger's versions.

    `tagger`: a `newstag.geo.GeoTagger` (made here when None) or anything with its `tag(article)`
    and `versions()`. Each article is tagged with its title, as a user's JSON Lines record would be.
    """
    if tagger is None:
        from newstag.geo import GeoTagger

        tagger = GeoTagger()  # just the geo stage, as `newstag eval geo` measures it
    ours, theirs, gold = [], [], []
    for g, a, resolutions in _tagged(shared, tagger):
        gold.append(g)
        ours.append((g["places"], newstag_mentions(resolutions)))
        theirs.append((g["places"], geotext_mentions(a["text"])))
    capitals = _capitals()
    result = _scores(ours, theirs, capitals)
    result["versions"] = tagger.versions()
    result["batches"] = {}
    for batch in sorted({g["batch"] for g in gold}):
        pick = [i for i, g in enumerate(gold) if g["batch"] == batch]
        result["batches"][batch] = _scores([ours[i] for i in pick], [theirs[i] for i in pick], capitals)
    return result


def _scores(ours: list, theirs: list, capitals: frozenset[int]) -> dict:
    """newstag's and geotext's figures on one set of (gold places, predicted mentions) documents."""
    baseline = score_mentions(theirs)
    return {
        "articles": len(ours),
        "newstag": score_mentions(ours, capitals),
        # geotext resolves nothing: only its mention figures mean anything.
        "geotext": {"mention": baseline["mention"],
                    "counts": {k: baseline["counts"][k] for k in ("gold_places", "predicted_places",
                                                                  "predicted_on_gold", "gold_found")}},
    }


def print_wikinews_report(result: dict, file: TextIO = sys.stdout) -> None:
    """The figures of `run_wikinews_eval` as a table (all articles, then each batch), then the most
    frequent errors over all articles."""
    sets = [("all", result)] + [(f"batch {b}", r) for b, r in result.get("batches", {}).items()]
    sizes = ", ".join(f"{name}: {r['articles']}" for name, r in sets[1:])
    c = result["newstag"]["counts"]
    print(f"Wikinews 2020, {result['articles']} hand-annotated articles ({sizes}): {c['gold_places']} places, "
          f"{c['gold_demonyms']} demonyms (gazetteer {result['versions'].get('gazetteer', '?')})", file=file)
    width = 9 * len(sets)  # each column is a space and 8 characters
    print(f"{'':<36} {'newstag':^{width - 1}} {'geotext':^{width - 1}}", file=file)
    head = f"{'measure':<36}" + "".join(f" {name:>8}" for name, _ in sets) * 2
    print(head, file=file)
    print("-" * len(head), file=file)
    rows = [
        ("gold places", lambda o: o["counts"]["gold_places"], lambda t: t["counts"]["gold_places"]),
        ("mention precision", lambda o: o["mention"]["precision"], lambda t: t["mention"]["precision"]),
        ("mention recall", lambda o: o["mention"]["recall"], lambda t: t["mention"]["recall"]),
        ("right country (matched, resolved)", lambda o: o["right_country"], None),
        ("right place, GeoNames id", lambda o: o["right_place"], None),
        ("false places per 100 predicted", lambda o: o["false_places_per_100_predicted"], None),
        ("unresolved non-places per 100 gold", lambda o: o["unresolved_nonplaces_per_100_gold"], None),
        ("famous places misresolved", lambda o: o["famous_misresolved"], None),
        ("demonym recall", lambda o: o["demonym_recall"], None),
    ]
    for label, ours, theirs in rows:
        line = f"{label:<36}" + "".join(f" {ours(r['newstag']):>8}" for _, r in sets)
        if theirs is not None:
            line += "".join(f" {theirs(r['geotext']):>8}" for _, r in sets)
        print(line.rstrip(), file=file)
    for kind, examples in result["newstag"]["examples"].items():
        if examples:
            print(f"{kind.replace('_', ' ')}: " + "; ".join(f"{t} x{n}" if n > 1 else t for t, n in examples),
                  file=file)


def main(shared: Path = Path("../shared"), explain_errors: bool = False) -> dict:
    """Evaluate and print the report: `python -m newstag.eval.wikinews [SHARED] [--explain]`;
    with --explain, then every false place and unresolved non-place in its context."""
    result = run_wikinews_eval(shared)
    print_wikinews_report(result)
    if explain_errors:
        print("\n".join(explain(shared)))
    return result


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--explain"]
    main(Path(args[0]) if args else Path("../shared"), "--explain" in sys.argv[1:])
