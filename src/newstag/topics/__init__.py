"""General: IPTC Media Topics for an article, from a linear multi-label classifier.

    taxonomy.py  IPTC Media Topics compiled into the package (`build_taxonomy`)
    features.py  the one normalizer + vocabulary; title / lead weighting for articles; vectorised
    model.py     the model directory (npz + JSON, no pickle): the top head that picks the article's
                 guaranteed topic, and calibrated one-vs-rest scores for every further topic
    train.py     Complement NB top head, one-vs-rest training, Platt calibration, per-class
                 thresholds; `train_model`
    shipped.py   the shipped model from CC-licensed corpora via ../shared mappings
    seeds.py     seed lexicons for classes the training corpora barely label (labour, weather)

Tagging imports numpy only; scipy and scikit-learn are needed for training alone.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from newstag.types import Article, TopicScore

__all__ = ["TopicTagger"]


@functools.cache
def _load(model_dir: str | None):
    from newstag.topics.model import TopicModel, shipped_model_dir

    return TopicModel.load(Path(model_dir) if model_dir else shipped_model_dir())


class TopicTagger:
    """Predicts IPTC Media Topics (or a custom model's topics) for articles in batches.

    The model loads on first use, once per process per model directory.
    """

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir

    @property
    def model(self):
        return _load(str(self.model_dir) if self.model_dir else None)

    def predict(self, articles: list[Article], max_topics: int = 5) -> list[tuple[TopicScore, ...]]:
        """Per article: topics above their thresholds, best first, each level-1 topic followed by
        its level-2 topics; always at least the best level-1 topic (an article always has one).
        Weak-label topics (seed lexicons) come after the gold-trained ones."""
        if not articles:
            return []
        scores, best = self.model.score_and_top([(a.title or "", a.body_text) for a in articles])
        return [self._select(row, int(b), max_topics) for row, b in zip(scores, best)]

    def scores(self, articles: list[Article]) -> np.ndarray:
        """Calibrated scores (articles x model labels), for evaluation."""
        return self.model.score_articles([(a.title or "", a.body_text) for a in articles])

    def _select(self, row: np.ndarray, best: int, max_topics: int) -> tuple[TopicScore, ...]:
        model = self.model
        labels = model.labels
        top_level = model.top_level
        above = row >= model.thresholds
        # The head's pick leads; other top-level topics above their thresholds follow, best first.
        firsts = [best, *sorted((j for j in top_level if above[j] and j != best), key=lambda j: -row[j])]
        out: list[TopicScore] = []
        children = model.children
        firsts += sorted((j for j in model.weak_top_level if above[j]), key=lambda j: -row[j])
        for j in firsts:
            out.append(_score(labels[j], row[j]))
            kids = sorted((c for c in children.get(labels[j].code, ()) if above[c]), key=lambda c: -row[c])
            out.extend(_score(labels[c], row[c]) for c in kids)
        # The order is the ranking (the head picks the lead, level-2 topics follow their parent)
        # and records are sorted by score: a topic never reports more than the one ranked above it.
        capped: list[TopicScore] = []
        for t in out[:max_topics]:
            if capped and t.score > capped[-1].score:
                t = TopicScore(code=t.code, label=t.label, level=t.level, score=capped[-1].score)
            capped.append(t)
        return tuple(capped)

    def versions(self) -> dict[str, str]:
        m = self.model.manifest
        versions = {"topics_model": str(m.get("model", "custom"))}
        if m.get("iptc_version"):
            versions["iptc_mediatopics"] = f"{m['iptc_version']} (IPTC, CC BY 4.0)"
        return versions


def _score(label, score: float) -> TopicScore:
    return TopicScore(code=label.code, label=label.label, level=label.level, score=round(float(score), 4))
