"""General: IPTC Media Topics for an article, from a linear multi-label classifier.

    taxonomy.py  IPTC Media Topics compiled into the package (`build_taxonomy`)
    features.py  the one normalizer + vocabulary; title / lead weighting for articles; vectorised
    model.py     the model directory (npz + JSON, no pickle): the top head that picks the article's
                 guaranteed topic, and calibrated one-vs-rest scores for every further topic
    train.py     Complement NB top head, one-vs-rest training, Platt calibration, per-class
                 thresholds; `train_model`
    shipped.py   the shipped model from openly licensed corpora via ../shared mappings (the protocol)
    adapt.py     label-free adaptation: the topic prior of an archive re-estimated by EM
    depth.py     IPTC levels 2 and 3 beneath a given level-1 topic, from a phrase index
    depth_fit.py the depth index's calibrated probability, fitted on open data (training only)
    seeds.py     seed lexicons for classes the training corpora barely label (labour, weather)

Tagging imports numpy only; scipy and scikit-learn are needed for training alone.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from newstag.topics.features import ArticleTokens, article_tokens
from newstag.types import Article, TopicScore

__all__ = ["NO_KNOWN_WORDS", "TopicTagger"]

# The record's warning when TopicTagger.predict gives an article no topic.
NO_KNOWN_WORDS = "General: no word of the text is in the topic model's vocabulary (not English, or too short), so no topic is given"


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

    def predict(self, articles: list[Article], max_topics: int = 8) -> list[tuple[TopicScore, ...]]:
        """Per article: topics above their thresholds, best first, each level-1 topic followed by
        its level-2 topics, each followed by its level-3 topics (topics/depth.py); at least the
        best level-1 topic, unless no word of the article is in the model's vocabulary: then
        nothing (NO_KNOWN_WORDS says why), since its scores would be the model's biases alone.
        Weak-label topics (seed lexicons) come after the gold-trained ones."""
        if not articles:
            return []
        parts = [(a.title or "", a.body_text) for a in articles]
        # Tokenised once: the classifier reads the paragraphs, the depth index the sentences.
        tokens = [article_tokens(title, body) for title, body in parts]
        scores, best, known, thresholds = self.model.score_top_known_thresholds(parts, tokens=tokens)
        return [self._select(row, int(b), max_topics, p, t, tk) if k else () for row, b, k, p, t, tk in zip(scores, best, known, parts, thresholds, tokens)]

    @property
    def depth(self):
        """The level-2/3 phrase index of the model (topics/depth.py), or None."""
        return _depth_index(str(self.model_dir) if self.model_dir else None)

    def scores(self, articles: list[Article]) -> np.ndarray:
        """Calibrated scores (articles x model labels), for evaluation."""
        return self.model.score_articles([(a.title or "", a.body_text) for a in articles])

    def _select(self, row_scores: np.ndarray, best: int, max_topics: int, part: tuple[str, str], thresholds: np.ndarray, tokens: ArticleTokens | None = None) -> tuple[TopicScore, ...]:
        model = self.model
        labels = model.labels
        # Python lists: this runs per article on a few dozen labels, where reading a numpy
        # scalar costs more than the comparison it feeds (the values are the same floats).
        above = (row_scores >= thresholds).tolist()
        row = row_scores.tolist()
        firsts = _given_level1(model, row, best, above)
        out: list[TopicScore] = []
        children = model.children
        depth = self.depth
        # With an index calibrated on full articles, depth alone gives the deeper topics: the
        # classifier's own level-2 scores were fitted on one-sentence texts and give a branch
        # to any article near it (international relations to most politics stories).
        article_calibrated = depth is not None and depth.index.article_calibrated
        kids_of = {labels[j].code: sorted((c for c in children.get(labels[j].code, ()) if not article_calibrated and above[c]), key=lambda c: -row[c]) for j in firsts}
        deeper = {}
        if depth is not None:
            given2 = frozenset(labels[c].code for kids in kids_of.values() for c in kids)
            deeper = depth.index.deeper(part[0], part[1], {labels[j].code: float(row[j]) for j in firsts}, given2, tokens)
        leads: list[int] = []  # where in `out` the level-1 topics are
        for j in firsts:
            leads.append(len(out))
            out.append(_score(labels[j], row[j]))
            level2 = [(labels[c].code, _score(labels[c], row[c])) for c in kids_of[labels[j].code]]
            given = {c for c, _ in level2}
            # A deeper tag's probability: the article calibration's is that the tag is right (its
            # level-1 topic's probability is one of its inputs); the open one's is given the
            # level-1 topic, so it is multiplied by that topic's.
            parent_p = 1.0 if article_calibrated else row[j]
            level2 += [(code, depth.topic_score(code, parent_p * p)) for code, p in deeper.get(labels[j].code, ()) if code not in given]
            for code, ts in level2:
                out.append(ts)
                out.extend(depth.topic_score(c3, parent_p * p) for c3, p in deeper.get(code, ()))
        # At most max_topics in all, and the level-1 topics are given first out of that budget: a
        # story's second subject says more than a finer tag of its first (with five, a lead topic
        # with four deeper tags used to push every further level-1 topic out). The deeper tags
        # fill what is left, in output order.
        kept = leads[:max_topics]
        lead_at = set(leads)
        kept += [i for i in range(len(out)) if i not in lead_at][: max_topics - len(kept)]
        # The order is the ranking (the head picks the lead, level-2 topics follow their parent)
        # and records are sorted by score: a topic never reports more than the one ranked above it.
        capped: list[TopicScore] = []
        for t in (out[i] for i in sorted(kept)):
            if capped and t.score > capped[-1].score:
                t = TopicScore(code=t.code, label=t.label, level=t.level, score=capped[-1].score, parent=t.parent)
            capped.append(t)
        return tuple(capped)

    def versions(self) -> dict[str, str]:
        m = self.model.manifest
        versions = {"topics_model": str(m.get("model", "custom"))}
        if m.get("iptc_version"):
            versions["iptc_mediatopics"] = f"{m['iptc_version']} (IPTC, CC BY 4.0)"
        return versions


def given_level1(model, row: np.ndarray, best: int, thresholds: np.ndarray | None = None) -> list[int]:
    """The label indexes of an article's level-1 topics, in output order: the head's pick leads,
    other top-level topics above their thresholds (the row's, from
    TopicModel.score_top_known_thresholds; default the model's) follow, best first, then
    weak-label ones."""
    above = row >= (model.thresholds if thresholds is None else thresholds)
    return _given_level1(model, row.tolist(), best, above.tolist())


def _given_level1(model, row: list[float], best: int, above: list[bool]) -> list[int]:
    """given_level1 on a row and its above-threshold flags as Python lists."""
    firsts = [best, *sorted((j for j in model.top_level_list if above[j] and j != best), key=lambda j: -row[j])]
    return firsts + sorted((j for j in model.weak_top_level_list if above[j]), key=lambda j: -row[j])


class _Depth:
    """A model's depth index with the taxonomy's labels, for output records."""

    def __init__(self, doc: dict) -> None:
        from newstag.topics.depth import DepthIndex
        from newstag.topics.taxonomy import iptc

        self.tax = iptc()
        self.index = DepthIndex(doc, self.tax)

    def topic_score(self, code: str, score: float) -> TopicScore:
        t = self.tax[code]
        return TopicScore(code=code, label=t.label, level=t.level, score=round(float(score), 4), parent=t.parent)


@functools.cache
def _depth_index(model_dir: str | None) -> _Depth | None:
    doc = _load(model_dir).depth
    return _Depth(doc) if doc is not None else None


def _score(label, score: float) -> TopicScore:
    return TopicScore(code=label.code, label=label.label, level=label.level, score=round(float(score), 4), parent=label.parent)
