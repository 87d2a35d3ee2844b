"""`newstag eval topics`: General (IPTC level 1) on the dev splits in ../shared.

    full articles   top-1 level-1 accuracy: BBC News dev (5 classes), AG News dev (Sports,
                    Business, Sci/Tech; World is a desk, not a topic), Reuters-21578 dev (share of
                    stories with an economic topic whose top topic is economy, business and finance)
    short texts     per-class precision / recall / F1 of the emitted level-1 topics on the
                    Wikipedia Current Events + HuffPost dev splits, and their macro-F1
    thin classes    labour: recall on Reuters dev `jobs` stories; weather: items labelled Weather

Scoring of the short texts: a source label's implied topics are gold; topics it leaves open (a
desk's `candidates`, a label's `also_possible`) are not scored for that item, neither as a hit
nor as a false alarm. Classes with no gold item in dev get no F1 (shown as n/a) and are left out
of the macro average; the report says how many classes the average covers.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newstag.eval.metrics import prf
from newstag.topics.corpora import TRAINING_CORPORA, load_mapping, read_jsonl
from newstag.topics.taxonomy import Taxonomy, iptc
from newstag.types import Article, Span

ECONOMY = "medtop:04000000"
LABOUR = "medtop:09000000"
WEATHER = "medtop:17000000"


@dataclass(frozen=True, slots=True)
class ArticleSet:
    parts: list[tuple[str, str]]  # (title, body)
    gold: list[frozenset[str]]  # level-1 codes any of which counts as a correct top-1


def article_dev_sets(shared: Path, tax: Taxonomy) -> dict[str, ArticleSet]:
    out = {}
    for corpus in ("bbc_news", "ag_news", "reuters21578"):
        mapping = load_mapping(shared, corpus, tax)
        parts, gold = [], []
        for rec in read_jsonl(shared / "data" / corpus / "dev.jsonl"):
            codes = frozenset(c for lab in rec["topics"] for c in mapping[lab].implied if lab in mapping)
            if corpus == "reuters21578":
                # The figure is "top topic is economy" over stories with an economic topic.
                codes = frozenset({ECONOMY}) if ECONOMY in codes else frozenset()
            if not codes:
                continue  # AG World, Reuters stories without (economic) topics
            parts.append((rec.get("title") or "", rec.get("text") or ""))
            gold.append(codes)
        out[{"bbc_news": "bbc", "ag_news": "ag_news", "reuters21578": "reuters"}[corpus]] = ArticleSet(parts, gold)
    return out


def top1_accuracy(model, parts, gold, config=None) -> float:
    _, top = model.score_and_top(parts, config)
    return float(np.mean([model.labels[j].code in g for j, g in zip(top, gold)]))


def _articles(parts: list[tuple[str, str]], prefix: str) -> list[Article]:
    return [
        Article(id=f"{prefix}{i}", text=body, title=title or None, title_span=None, body=Span(0, len(body)), dateline=None, agencies=(), footer=())
        for i, (title, body) in enumerate(parts)
    ]


def run_topics_eval(shared_dir: Path, model_dir: Path | None = None, max_topics: int = 5) -> dict:
    """All figures of `newstag eval topics` as a dict (see the module docstring)."""
    from newstag.topics import TopicTagger

    shared = Path(shared_dir)
    tax = iptc()
    tagger = TopicTagger(model_dir)
    result: dict = {"model": tagger.versions(), "top1": {}, "n": {}}
    t0 = time.perf_counter()
    n_docs = 0
    for name, s in article_dev_sets(shared, tax).items():
        preds = tagger.predict(_articles(s.parts, name), max_topics=max_topics)
        result["top1"][name] = round(float(np.mean([p[0].code in g for p, g in zip(preds, s.gold)])), 4)
        result["n"][name] = len(s.parts)
        n_docs += len(s.parts)

    # Short texts: per-class P/R/F1 over the 17 level-1 topics.
    level1 = sorted(t.code for t in tax.topics.values() if t.level == 1)
    col = {c: j for j, c in enumerate(level1)}
    parts, gold, known = [], [], []
    for corpus in TRAINING_CORPORA:
        mapping = load_mapping(shared, corpus, tax)
        for rec in read_jsonl(shared / "data" / corpus / "dev.jsonl"):
            g = np.zeros(len(level1), dtype=bool)
            k = np.ones(len(level1), dtype=bool)
            for lab in rec["topics"]:
                m = mapping[lab]
                for c in m.implied:
                    g[col[c]] = True
                for c in (*m.candidates, *m.also_possible):
                    k[col[c]] &= g[col[c]]
            parts.append((rec.get("title") or "", rec.get("text") or ""))
            gold.append(g)
            known.append(k)
    preds = tagger.predict(_articles(parts, "short"), max_topics=max_topics)
    n_docs += len(parts)
    pred = np.zeros((len(parts), len(level1)), dtype=bool)
    for i, p in enumerate(preds):
        for ts in p:
            if ts.code in col:
                pred[i, col[ts.code]] = True
    gold_m, known_m = np.array(gold), np.array(known)
    per_class = {}
    for c, j in col.items():
        rows = known_m[:, j]
        p, y = pred[rows, j], gold_m[rows, j]
        scores = prf(int((p & y).sum()), int((p & ~y).sum()), int((~p & y).sum()))
        per_class[c] = {
            "label": tax[c].label,
            "support": int(y.sum()),
            "predicted": int(p.sum()),
            **scores,
            "f1": scores["f1"] if y.sum() else None,
        }
    scored = [v["f1"] for v in per_class.values() if v["f1"] is not None]
    result["short_texts"] = {
        "n": len(parts),
        "macro_f1": round(float(np.mean(scored)), 4),
        "classes_scored": len(scored),
        "micro_f1": _micro(pred, gold_m, known_m),
        "top1": round(float(np.mean([p[0].code in {level1[j] for j in np.flatnonzero(g)} for p, g in zip(preds, gold) if g.any()])), 4),
        "per_class": per_class,
    }

    # Thin classes: the only gold there is.
    result["thin_classes"] = _thin_classes(shared, tagger, max_topics)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    result["docs"] = n_docs
    return result


def _micro(pred, gold, known) -> float:
    tp = int((pred & gold & known).sum())
    fp = int((pred & ~gold & known).sum())
    fn = int((~pred & gold & known).sum())
    return round(2 * tp / max(2 * tp + fp + fn, 1), 4)


def _thin_classes(shared: Path, tagger, max_topics: int) -> dict:
    out = {}
    jobs = [r for r in read_jsonl(shared / "data" / "reuters21578" / "dev.jsonl") if "jobs" in r["topics"]]
    weather = [r for r in read_jsonl(shared / "data" / "wikipedia_current_events" / "dev.jsonl") if "Weather" in r["topics"]]
    for code, name, recs in ((LABOUR, "labour (Reuters dev 'jobs')", jobs), (WEATHER, "weather (Wikipedia dev 'Weather')", weather)):
        parts = [(r.get("title") or "", r.get("text") or "") for r in recs]
        preds = tagger.predict(_articles(parts, "thin"), max_topics=max_topics) if parts else []
        hits = sum(any(t.code == code for t in p) for p in preds)
        out[code] = {"what": name, "n": len(parts), "recall": round(hits / len(parts), 4) if parts else None}
    return out


def print_topics_report(result: dict, file=sys.stdout) -> None:
    w = file.write
    w(f"General (IPTC Media Topics), model {result['model']}\n\n")
    w("Top-1 level-1 accuracy on full articles (dev):\n")
    names = {"bbc": "BBC News (5 classes)", "ag_news": "AG News (Sports, Business, Sci/Tech)", "reuters": "Reuters-21578 (economy share)"}
    for k, v in result["top1"].items():
        w(f"  {names.get(k, k):<40} {v:.3f}  (n={result['n'][k]})\n")
    s = result["short_texts"]
    w(f"\nWikipedia Current Events + HuffPost dev ({s['n']} items): macro-F1 {s['macro_f1']:.3f} over {s['classes_scored']} classes "
      f"with gold, micro-F1 {s['micro_f1']:.3f}, top-1 {s['top1']:.3f}\n")
    w(f"  {'code':<16} {'label':<42} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}\n")
    for code, v in s["per_class"].items():
        f1 = f"{v['f1']:.3f}" if v["f1"] is not None else "n/a"
        w(f"  {code:<16} {v['label']:<42} {v['precision']:>6.3f} {v['recall']:>6.3f} {f1:>6} {v['support']:>6} {v['predicted']:>6}\n")
    w("\nThin classes (the only gold available):\n")
    for code, v in result["thin_classes"].items():
        r = f"{v['recall']:.3f}" if v["recall"] is not None else "n/a"
        w(f"  {v['what']:<40} recall {r}  (n={v['n']})\n")
    w(f"\n{result['docs']} documents in {result['seconds']}s\n")
