"""General on full news articles under an open licence: hand IPTC labels of the Wikinews 2020 articles.

The labels (`annotations/wikinews_2020_topics.jsonl`, one line per article of
../shared/data/wikinews_2020/articles.jsonl in file order: its id, the level-1 topics it is
about with the main one first, the most specific level-2/3 codes that apply, `none_deeper`) were
written by reading each article; how is in `annotations/README.md`. The format is that of the
BBC/Reuters depth labels without the `corpus` field, so eval/depth.py reads and scores them.

Unlike those research-only labels, these describe openly licensed text (CC BY 2.5) and are
meant for choosing the full-article parameters of the shipped model. Figures on them are
therefore NOT a held-out measure; every report says so.

`score_wikinews_topics` counts, over the articles labelled with at least one level-1 topic (the
two "TEST PAGE" stubs have none, are no news, and are left out of every figure):

    top-1 main       the first level-1 topic given is the gold main topic (the first of `level1`)
    top-1 any        the first level-1 topic given is one of the gold level-1 topics
    main among given the gold main topic is among the level-1 topics given
    level-1 P/R      over (article, level-1 topic) pairs: given topics that are gold / gold topics given
    per article      the mean number of level-1 topics given (gold: the mean length of `level1`)
    depth            precision, recall and coverage of the level-2/3 codes (eval/depth.score_depth)
"""

from __future__ import annotations

from pathlib import Path

from newstag.errors import InputError
from newstag.eval.depth import DepthLabel, load_depth_labels, score_depth
from newstag.eval.metrics import prf
from newstag.eval.wikinews import ARTICLES
from newstag.topics.corpora import read_jsonl
from newstag.topics.taxonomy import Taxonomy, iptc

LABELS_FILE = "wikinews_2020_topics.jsonl"
CORPUS = "wikinews_2020"
NOT_HELD_OUT = "open full-article labels (used for choosing full-article parameters: not a held-out measure)"


def load_wikinews_topic_labels() -> list[DepthLabel]:
    """The packaged Wikinews topic labels, in file order, keyed ("wikinews_2020", id)."""
    return load_depth_labels(LABELS_FILE, corpus=CORPUS)


def wikinews_articles(shared: Path, labels: list[DepthLabel]) -> list[tuple[tuple[str, str], str, str]]:
    """((corpus, id), title, text) of every labelled article, in label order, read from ../shared.

    Raises InputError naming the first labelled id that ../shared does not hold.
    """
    found = {str(rec["id"]): (rec.get("title") or "", rec.get("text") or "") for rec in read_jsonl(Path(shared) / ARTICLES)}
    missing = [label.id for label in labels if label.id not in found]
    if missing:
        raise InputError(f"{len(missing)} labelled Wikinews articles are not in {Path(shared) / ARTICLES}, e.g. {missing[0]}")
    return [(label.key, *found[label.id]) for label in labels]


def score_wikinews_topics(predicted: dict[tuple[str, str], list[str]], labels: list[DepthLabel], tax: Taxonomy | None = None) -> dict:
    """The figures of the module docstring for `predicted`: (corpus, id) -> General codes in the order given.

    Codes of any level may be mixed; the level-1 ones are read in their order. Articles missing
    from `predicted` were given nothing.
    """
    tax = tax or iptc()
    news = [label for label in labels if label.level1]
    given = {label.key: [c for c in predicted.get(label.key, ()) if c in tax and tax[c].level == 1] for label in news}
    first = {key: codes[0] if codes else None for key, codes in given.items()}
    n = len(news)
    pairs_given = sum(len(set(codes)) for codes in given.values())
    pairs_right = sum(len(set(given[label.key]) & set(label.level1)) for label in news)
    pairs_gold = sum(len(label.level1) for label in news)
    level1 = prf(pairs_right, pairs_given - pairs_right, pairs_gold - pairs_right)

    def share(hits: int) -> float:
        return round(hits / n, 4) if n else 0.0

    depth = score_depth(predicted, news, tax)
    return {
        "articles": n,
        "left_out": len(labels) - n,
        "top1_main": share(sum(first[label.key] == label.level1[0] for label in news)),
        "top1_any": share(sum(first[label.key] in label.level1 for label in news)),
        "main_among_given": share(sum(label.level1[0] in given[label.key] for label in news)),
        "level1_precision": level1["precision"],
        "level1_recall": level1["recall"],
        "level1_per_article": round(pairs_given / n, 3) if n else 0.0,
        "gold_level1_per_article": round(pairs_gold / n, 3) if n else 0.0,
        "depth": {k: depth[k] for k in ("precision", "recall", "f1", "coverage", "articles", "predicted", "gold", "per_level", "per_branch")},
    }
