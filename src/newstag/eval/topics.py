"""`newstag eval topics`: General (IPTC level 1, and levels 2-3 against hand labels) on the dev splits in ../shared.

    full articles   top-1 level-1 accuracy: BBC News dev (5 classes), AG News dev (Sports,
                    Business, Sci/Tech; World is a desk, not a topic), Reuters-21578 dev (share of
                    stories with an economic topic whose top topic is economy, business and finance)
    short texts     per-class precision / recall / F1 of the emitted level-1 topics on the
                    Wikipedia Current Events + HuffPost dev splits, and their macro-F1
    thin classes    labour: recall on Reuters dev `jobs` stories; weather: items labelled Weather
    given topics    BBC: share of articles whose gold topic is among the level-1 topics given, and
                    the mean number of level-1 topics given
    depth           precision / recall / coverage of the level-2/3 tags against the hand labels
                    of BBC and Reuters dev articles (eval/depth.py)
    calibration     reliability tables and ECE (eval/topics_calibration.py)
    Wikinews        level-1 top-1, gold among given, topics per article and depth against hand
                    labels of the 124 Wikinews 2020 articles (eval/wikinews_topics.py)

How the figures come about: the shipped model reads none of these files when it is built
(topics/shipped.py, "the protocol"), so every figure here is held-out for it, except the
Wikinews section: those open labels are there for choosing full-article parameters, and the
report marks them as not held-out.

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
from newstag.topics.train import micro_f1
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
    sets = article_dev_sets(shared, tax)
    for name, s in sets.items():
        # An article given nothing (no word the model knows) counts as wrong.
        preds = tagger.predict(_articles(s.parts, name), max_topics=max_topics)
        result["top1"][name] = round(float(np.mean([bool(p) and p[0].code in g for p, g in zip(preds, s.gold)])), 4)
        result["n"][name] = len(s.parts)
        n_docs += len(s.parts)
        if name == "bbc":
            firsts = [{t.code for t in p if t.level == 1} for p in preds]
            result["bbc_given"] = {
                "gold_among_level1": round(float(np.mean([bool(f & g) for f, g in zip(firsts, s.gold)])), 4),
                "level1_per_article": round(float(np.mean([len(f) for f in firsts])), 3),
            }

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
        "micro_f1": round(micro_f1(pred, gold_m, known_m), 4),
        "top1": round(float(np.mean([bool(p) and p[0].code in {level1[j] for j in np.flatnonzero(g)} for p, g in zip(preds, gold) if g.any()])), 4),
        "per_class": per_class,
    }

    # Calibration: every known level-1 cell of the open dev splits; the head's pick on articles.
    from newstag.eval.topics_calibration import reliability

    model = tagger.model
    level1_cols = [j for j, lab in enumerate(model.labels) if lab.code in col]
    probs = tagger.scores(_articles(parts, "short"))[:, level1_cols]
    order = [col[model.labels[j].code] for j in level1_cols]
    result["calibration"] = {"one_vs_rest_open_dev": reliability(probs[known_m[:, order]], gold_m[:, order][known_m[:, order]])}
    if model.top_coef is not None and model.head_temperature:
        from newstag.topics.adapt import head_posteriors, head_values

        codes = [model.labels[j].code for j in model.top_level]
        conf, hit = [], []
        for name, s in sets.items():
            p = head_posteriors(model, head_values(model, s.parts))
            pick = p.argmax(axis=1)
            conf.append(p[np.arange(len(pick)), pick])
            hit.append(np.array([codes[k] in g for k, g in zip(pick, s.gold)]))
        result["calibration"]["head_top1_articles"] = reliability(np.concatenate(conf), np.concatenate(hit))
    result["threshold"] = float(np.min(model.thresholds)) if np.ptp(model.thresholds) == 0 else None
    # A full article's level-1 topics are scored by the article calibration, at its own
    # threshold (model.TopicModel.score_top_known_thresholds).
    result["article_threshold"] = float(model.article_calibration["threshold"]) if model.article_calibration else None

    # Depth: level-2/3 tags against the hand labels (ids and codes only; they measure, nothing is
    # fitted), at the number of General topics a record holds (`newstag tag`'s default), since
    # a shorter cut would drop the deeper tags that follow a record's later level-1 topics.
    from newstag.options import TagOptions

    result["depth"] = _depth(shared, tagger, TagOptions().max_general)

    # Open full-article labels: for choosing parameters, so not held-out (the report says so).
    result["wikinews_open"] = wikinews_open(shared, tagger, max_topics)

    # Thin classes: the only gold there is.
    result["thin_classes"] = _thin_classes(shared, tagger, max_topics)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    result["docs"] = n_docs
    return result


def _depth(shared: Path, tagger, max_topics: int) -> dict | None:
    from newstag.eval.depth import labelled_articles, load_depth_labels, score_depth

    labels = load_depth_labels()
    rows = labelled_articles(shared, labels)
    preds = tagger.predict(_articles([(t, b) for _, t, b in rows], "depth"), max_topics=max_topics)
    out = score_depth({key: [t.code for t in p] for (key, _, _), p in zip(rows, preds)}, labels)
    return {k: out[k] for k in ("precision", "recall", "f1", "coverage", "articles", "predicted", "gold", "per_corpus", "per_level", "per_branch")}


def wikinews_open(shared: Path, tagger, max_topics: int = 5) -> dict:
    """`score_wikinews_topics` of the tagger's General codes on the labelled Wikinews 2020 articles."""
    from newstag.eval.wikinews_topics import load_wikinews_topic_labels, score_wikinews_topics, wikinews_articles

    labels = load_wikinews_topic_labels()
    rows = wikinews_articles(shared, labels)
    preds = tagger.predict(_articles([(t, b) for _, t, b in rows], "wikinews"), max_topics=max_topics)
    return score_wikinews_topics({key: [t.code for t in p] for (key, _, _), p in zip(rows, preds)}, labels)


def print_wikinews_open(w: dict, file=sys.stdout) -> None:
    from newstag.eval.wikinews_topics import NOT_HELD_OUT

    out = file.write
    out(f"\nWikinews 2020, {w['articles']} articles: {NOT_HELD_OUT}\n")
    out(f"  level-1 top-1 {w['top1_main']:.3f} (gold main topic), {w['top1_any']:.3f} (any gold topic); "
        f"gold main topic among given {w['main_among_given']:.3f}\n")
    out(f"  level-1 precision {w['level1_precision']:.3f}, recall {w['level1_recall']:.3f}; "
        f"{w['level1_per_article']:.2f} level-1 topics per article (gold {w['gold_level1_per_article']:.2f})\n")
    d = w["depth"]
    out(f"  level-2/3: precision {d['precision']:.3f}, recall {d['recall']:.3f}, articles with a deeper tag {d['coverage']:.3f} "
        f"({d['predicted']} tags, {d['gold']} gold codes)\n")
    if w["left_out"]:
        out(f"  ({w['left_out']} labelled pages with no topic, the TEST PAGE stubs, are left out)\n")


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
    g = result.get("bbc_given")
    if g:
        w(f"\nBBC: gold topic among the level-1 topics given {g['gold_among_level1']:.3f}, {g['level1_per_article']:.2f} level-1 topics per article\n")
    d = result.get("depth")
    if d:
        w(f"\nLevel-2/3 tags against hand labels ({d['articles']} BBC + Reuters dev articles, eval/depth.py): precision {d['precision']:.3f}, "
          f"recall {d['recall']:.3f}, articles with a deeper tag {d['coverage']:.3f} ({d['predicted']} tags, {d['gold']} gold codes)\n")
        for corpus, v in d["per_corpus"].items():
            w(f"  {corpus}: precision {v['precision']:.3f} ({v['predicted']} tags), recall {v['recall']:.3f} ({v['gold']} gold), coverage {v['coverage']:.3f} ({v['articles']} articles)\n")
        for level, v in d["per_level"].items():
            w(f"  level {level}: precision {v['precision']:.3f} ({v['predicted']} tags), recall {v['recall']:.3f} ({v['gold']} gold)\n")
        for branch, v in d["per_branch"].items():
            w(f"  {branch[:40]:<40} precision {v['precision']:.3f} ({v['predicted']:>3} tags), recall {v['recall']:.3f} ({v['gold']:>3} gold)\n")
    if result.get("wikinews_open"):
        print_wikinews_open(result["wikinews_open"], file)
    from newstag.eval.topics_calibration import print_reliability

    w("\nCalibration (ten equal-width bins):\n")
    if result.get("threshold") is not None:
        w(f"  a further topic is given when its calibrated probability is at least {result['threshold']:.3f}\n")
    if result.get("article_threshold") is not None:
        w(f"  on a full article (read in paragraph windows), a further level-1 topic when its article-calibrated probability is at least {result['article_threshold']:.3f}\n")
    names = {"one_vs_rest_open_dev": "one-vs-rest probabilities, level-1 topics, Wikipedia + HuffPost dev", "head_top1_articles": "top head's probability of its pick, BBC + AG + Reuters dev"}
    for k, table in result["calibration"].items():
        print_reliability(names.get(k, k), table, file)
    w("\nThin classes (the only gold available):\n")
    for code, v in result["thin_classes"].items():
        r = f"{v['recall']:.3f}" if v["recall"] is not None else "n/a"
        w(f"  {v['what']:<40} recall {r}  (n={v['n']})\n")
    w(f"\n{result['docs']} documents in {result['seconds']}s\n")
