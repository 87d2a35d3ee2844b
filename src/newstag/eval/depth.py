"""Deeper General (IPTC level 2 and 3) against hand labels of BBC News and Reuters-21578 dev articles.

The labels (`annotations/iptc_depth_dev.jsonl`, one line per article: corpus, id, the level-1
codes, the most specific level-2/3 codes that apply, and `none_deeper` when no deeper code does)
were written by reading each article; how, and how the articles were drawn, is in
`annotations/README.md`. They hold ids and codes only: both corpora are research-only, so the
labels measure and nothing is fitted to them.

`score_depth` counts, over the labelled articles:

    precision   a predicted level-2/3 code is right when it equals a gold code or is an ancestor
                (at level 2 or deeper) of one: "international relations" is right for a story
                labelled "diplomacy"; "diplomacy" for a story labelled only "international
                relations" is not (the labeller judged the story not specific enough)
    recall      a gold code is found when a predicted code equals it or descends from it (so
                that "diplomacy" finds a gold "international relations" while counting as a
                wrong prediction)
    coverage    the share of articles given at least one level-2 or deeper code the taxonomy knows

Predicted codes at level 4 and below are scored as their level-3 ancestor, because the labels
stop at level 3; level-1 codes are not part of this measure; codes the taxonomy does not know
count as wrong.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from newstag.errors import ArtifactError, InputError
from newstag.eval.metrics import prf
from newstag.topics.corpora import read_jsonl
from newstag.topics.taxonomy import Taxonomy, iptc

LABELS_RESOURCE = ("eval", "annotations", "iptc_depth_dev.jsonl")
LABELS_FILE = LABELS_RESOURCE[-1]
DEEPEST_LABELLED_LEVEL = 3

# The sample behind the labels (annotations/README.md): 22 dev articles from each of the five BBC
# classes and 90 Reuters dev stories with TOPICS and a real body, spread over their first topic.
SAMPLE_SEED = 14
BBC_PER_CLASS = 22
REUTERS_SAMPLE = 90
REUTERS_MIN_BODY = 300  # characters; shorter NORM bodies are one-line briefs with nothing to label


@dataclass(frozen=True, slots=True)
class DepthLabel:
    corpus: str
    id: str
    level1: tuple[str, ...]
    codes: tuple[str, ...]  # the most specific level-2/3 codes that apply
    none_deeper: bool  # no level-2/3 code applies: the story is only as specific as its level 1

    @property
    def key(self) -> tuple[str, str]:
        return (self.corpus, self.id)


def load_depth_labels(name: str = LABELS_FILE, corpus: str | None = None) -> list[DepthLabel]:
    """The packaged hand labels in `annotations/<name>`, in file order.

    A file of one corpus's articles may leave out the `corpus` field (the Wikinews labels,
    eval/wikinews_topics.py); `corpus` then names it for every line.
    """
    resource = (*LABELS_RESOURCE[:-1], name)
    try:
        ref = resources.files("newstag").joinpath(*resource)
        lines = ref.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ArtifactError(f"the topic labels newstag/{'/'.join(resource)} are missing: {exc}") from exc
    labels = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            labels.append(
                DepthLabel(
                    corpus=row["corpus"] if corpus is None else row.get("corpus", corpus),
                    id=str(row["id"]),
                    level1=tuple(row["level1"]),
                    codes=tuple(row["codes"]),
                    none_deeper=bool(row["none_deeper"]),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ArtifactError(f"newstag/{'/'.join(resource)} line {n} is not a topic label: {exc}") from exc
    return labels


def draw_depth_sample(shared: Path, seed: int = SAMPLE_SEED) -> list[tuple[str, str]]:
    """The (corpus, id) pairs the labels were written for, drawn again from the dev files.

    BBC: `BBC_PER_CLASS` articles of each class, sampled from the class's ids in sorted order.
    Reuters: stories with at least one TOPICS code and a body of at least `REUTERS_MIN_BODY`
    characters, grouped by their first topic; each group's share of `REUTERS_SAMPLE` is
    proportional to the square root of its size (largest remainders round), so `earn` does not
    take half the sample and rare commodities still appear.
    """
    rng = random.Random(seed)
    picked: list[tuple[str, str]] = []
    by_class: dict[str, list[str]] = defaultdict(list)
    for rec in read_jsonl(shared / "data" / "bbc_news" / "dev.jsonl"):
        by_class[rec["topics"][0]].append(str(rec["id"]))
    for cls in sorted(by_class):
        picked += [("bbc_news", i) for i in rng.sample(sorted(by_class[cls]), BBC_PER_CLASS)]
    by_topic: dict[str, list[str]] = defaultdict(list)
    for rec in read_jsonl(shared / "data" / "reuters21578" / "dev.jsonl"):
        if rec["topics"] and rec.get("text_type") == "NORM" and len(rec.get("text") or "") >= REUTERS_MIN_BODY:
            by_topic[rec["topics"][0]].append(str(rec["id"]))
    weights = {t: math.sqrt(len(ids)) for t, ids in by_topic.items()}
    total = sum(weights.values())
    quota = {t: REUTERS_SAMPLE * w / total for t, w in weights.items()}
    share = {t: min(len(by_topic[t]), math.floor(q)) for t, q in quota.items()}
    for t in sorted(quota, key=lambda t: (-(quota[t] - math.floor(quota[t])), t)):
        if sum(share.values()) >= REUTERS_SAMPLE:
            break
        if share[t] < len(by_topic[t]):
            share[t] += 1
    for t in sorted(by_topic):
        picked += [("reuters21578", i) for i in rng.sample(sorted(by_topic[t]), share[t])]
    return picked


def labelled_articles(shared: Path, labels: list[DepthLabel]) -> list[tuple[tuple[str, str], str, str]]:
    """((corpus, id), title, body) of every labelled article, in label order, read from ../shared.

    For the evaluation: tag these, collect each article's General codes into the `predicted`
    mapping of `score_depth`. Raises InputError naming the article when one is missing.
    """
    wanted = {label.key for label in labels}
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for corpus in sorted({label.corpus for label in labels}):
        for rec in read_jsonl(shared / "data" / corpus / "dev.jsonl"):
            key = (corpus, str(rec["id"]))
            if key in wanted:
                found[key] = (rec.get("title") or "", rec.get("text") or "")
    missing = [label.key for label in labels if label.key not in found]
    if missing:
        raise InputError(f"{len(missing)} labelled articles are not in the dev files of {shared}/data, e.g. {missing[0]}")
    return [(label.key, *found[label.key]) for label in labels]


def _scored_code(code: str, tax: Taxonomy) -> str | None:
    """The level-2/3 code a prediction is scored as: itself, its level-3 ancestor, or None (level 1)."""
    topic = tax.topics.get(code)
    if topic is None:
        return code  # unknown: kept, and wrong
    if topic.level < 2:
        return None
    if topic.level > DEEPEST_LABELLED_LEVEL:
        return tax.ancestor_at(code, DEEPEST_LABELLED_LEVEL).code
    return code


def _lineage(code: str, tax: Taxonomy) -> set[str]:
    """The code and its ancestors down to level 2."""
    out = set()
    topic = tax.topics.get(code)
    while topic is not None and topic.level >= 2:
        out.add(topic.code)
        topic = tax.topics.get(topic.parent) if topic.parent else None
    return out


def _level(code: str, tax: Taxonomy) -> int | str:
    return tax[code].level if code in tax else "unknown"


def _branch(code: str, tax: Taxonomy) -> str:
    top = tax.ancestor_at(code, 1)
    return top.label if top is not None else "unknown"


def score_depth(
    predicted: dict[tuple[str, str], list[str]], labels: list[DepthLabel], tax: Taxonomy | None = None
) -> dict:
    """Precision, recall and coverage of predicted level-2/3 codes against `labels`.

    `predicted` maps (corpus, id) to every General code given to the article (any level; level 1 is
    ignored); articles of `labels` missing from it were given nothing, and articles it holds
    beyond `labels` are not scored. Returns overall figures, `per_corpus` (with each corpus's
    coverage), `per_level` (precision by the predicted code's level, recall by the gold code's;
    codes the taxonomy does not know under "unknown") and `per_branch` (by the code's level-1
    topic), each with its counts.
    """
    tax = tax or iptc()
    # counts[group] = [right predictions, wrong predictions, gold found, gold missed]
    counts: dict[tuple[str, object], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    covered: dict[str, int] = defaultdict(int)
    articles: dict[str, int] = defaultdict(int)
    for label in labels:
        scored = {c for c in (_scored_code(c, tax) for c in predicted.get(label.key, ())) if c is not None}
        articles[label.corpus] += 1
        covered[label.corpus] += any(c in tax for c in scored)  # an unknown code is no deeper topic
        gold_lineage = set().union(*(_lineage(g, tax) for g in label.codes))
        for code in scored:
            slot = 0 if code in gold_lineage else 1
            for group in (("all", None), ("level", _level(code, tax)), ("branch", _branch(code, tax)), ("corpus", label.corpus)):
                counts[group][slot] += 1
        predicted_lineage = set().union(*(_lineage(c, tax) for c in scored))
        for gold in label.codes:
            slot = 2 if gold in predicted_lineage else 3
            for group in (("all", None), ("level", _level(gold, tax)), ("branch", _branch(gold, tax)), ("corpus", label.corpus)):
                counts[group][slot] += 1

    def figures(c: list[int]) -> dict:
        # Two counts, not one confusion table: one prediction can cover two gold codes (an
        # ancestor of both), so right predictions and found gold codes are counted apart.
        precision = prf(c[0], c[1], 0)["precision"]
        recall = prf(c[2], 0, c[3])["recall"]
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1, "predicted": c[0] + c[1], "right": c[0], "gold": c[2] + c[3], "found": c[2]}

    groups = [g for g in counts if g[0] != "all"]
    return {
        **figures(counts[("all", None)]),
        "articles": len(labels),
        "articles_with_gold": sum(1 for label in labels if label.codes),
        "coverage": round(sum(covered.values()) / len(labels), 4) if labels else 0.0,
        "per_corpus": {
            g[1]: {**figures(counts[g]), "articles": articles[g[1]], "coverage": round(covered[g[1]] / articles[g[1]], 4)}
            for g in sorted(g for g in groups if g[0] == "corpus")
        },
        "per_level": {g[1]: figures(counts[g]) for g in sorted((g for g in groups if g[0] == "level"), key=lambda g: str(g[1]))},
        "per_branch": {g[1]: figures(counts[g]) for g in sorted(g for g in groups if g[0] == "branch")},
    }
