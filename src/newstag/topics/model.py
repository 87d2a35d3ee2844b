"""A trained topic model on disk, and scoring with it (numpy only).

A model directory holds three files, none of them a pickle:

    model.npz      coef (features x classes), intercept, platt_a, platt_b (calibration of each
                   class's decision value into [0, 1]), thresholds (per class, on the calibrated
                   score), idf (per feature), bigrams (pairs of unigram ids, see features.py);
                   optionally top_coef (features x top-level classes) and top_bias: the head that
                   picks the article's one guaranteed topic (Complement Naive Bayes, see train.py),
                   blended with the one-vs-rest scores by text length (model.json "top_head";
                   with "titled_is_article", a text with a title and a body is read by the head;
                   with "capitals_is_article", so is a text written wholly in capitals)
    model.json     format, labels [{code, label, level, parent}], vocabulary (unigrams in column
                   order), features (how an article is read: FeatureConfig, including the
                   paragraph windows that further topics are also scored on)
    manifest.json  what it was trained on (files, checksums, licences), library versions, figures
    depth.json     optional: the phrase index for IPTC levels 2 and 3 (topics/depth.py)

model.json "top_head" also holds "head_temperature": softmax(T * (head + top_bias)) is the head's
probability of each top-level topic (topics/adapt.py re-estimates top_bias from an archive).

model.json "article_calibration" (optional): the top-level scores of a full article (one read in
paragraph windows) are a second logistic regression of ARTICLE_LEVEL1_FEATURES, fitted on full
articles with hand labels, with its own threshold (shipped.py step 8c). The one-vs-rest
probabilities are calibrated on one-sentence texts, and a full article's best window over many
windows runs high (the most topical of 30 windows clears a short-text threshold for topics the
story only touches); this calibration reads the whole-article score, the best window, how many
windows there were and whether the head picked the topic, side by side.

The shipped IPTC model lives in `newstag/data/topics/iptc/`; `newstag train` writes the same
layout anywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from newstag.errors import ArtifactError
from newstag.topics.depth import DEPTH_FORMAT
from newstag.topics.features import ArticleTokens, FeatureConfig, Featurizer

MODEL_FORMAT = "newstag-topics/2"
SHIPPED_RESOURCE = ("data", "topics", "iptc")


@dataclass(frozen=True, slots=True)
class Label:
    code: str
    label: str
    level: int
    parent: str | None
    # Trained on seed-lexicon weak labels only (no gold): its score says "the lexicon's topic is
    # present" rather than "this is what the story is about", so it is listed after gold-trained
    # topics and never taken as the article's one guaranteed topic.
    weak: bool = False

    def to_json(self) -> dict:
        d = {"code": self.code, "label": self.label, "level": self.level, "parent": self.parent}
        return {**d, "weak": True} if self.weak else d


@dataclass(frozen=True, slots=True)
class ArticleReadings:
    """What TopicModel.article_readings reads of a batch (rows: its (title, body) pairs)."""

    scores: np.ndarray  # one-vs-rest probabilities of the whole text (rows x labels)
    best_window: np.ndarray  # the best window's probabilities (the whole text's without windows)
    n_windows: np.ndarray  # paragraph windows read (0: not a full article)
    top: np.ndarray  # the label index of the guaranteed topic
    known: np.ndarray  # any word or word pair of the vocabulary


# The head's pick is a feature, its probability is not: the head's softmax is fitted to pick one
# topic, so its probability of any other is near 0 whatever the story's second subject (out of
# fold on the Wikinews hand labels, log-loss 0.1280 without it, 0.1276 with it: no gain).
ARTICLE_LEVEL1_FEATURES = ("logit whole-article probability", "logit best-window probability", "log(1 + windows)", "the head's pick")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-4, 1.0 - 1e-4)
    return np.log(p / (1.0 - p))


def article_level1_features(whole: np.ndarray, best_window: np.ndarray, n_windows: np.ndarray, is_pick: np.ndarray) -> np.ndarray:
    """The article calibration's features (ARTICLE_LEVEL1_FEATURES) of articles x top-level topics,
    as (articles * topics) x features rows, article-major. The window count is there because the
    best of many windows is an order statistic: it rises with their number whatever the topic."""
    n, k = whole.shape
    cols = [_logit(whole), _logit(best_window), np.log1p(np.asarray(n_windows, dtype=np.float64))[:, None], np.asarray(is_pick, dtype=np.float64)]
    return np.stack([np.broadcast_to(c, (n, k)).reshape(-1) for c in cols], axis=1)


class TopicModel:
    def __init__(
        self,
        labels: list[Label],
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        platt_a: np.ndarray,
        platt_b: np.ndarray,
        thresholds: np.ndarray,
        config: FeatureConfig,
        manifest: dict | None = None,
        top_coef: np.ndarray | None = None,
        top_bias: np.ndarray | None = None,
        blend_tokens: float = 1.0,
        blend_weight: float = 1.0,
        titled_is_article: bool = False,
        capitals_is_article: bool = False,
        head_temperature: float = 0.0,
    ) -> None:
        self.labels = labels
        self.featurizer = featurizer
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.platt_a = np.asarray(platt_a, dtype=np.float32)
        self.platt_b = np.asarray(platt_b, dtype=np.float32)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.config = config
        self.manifest = manifest or {}
        # The output order needs these per article; computed once here.
        top = min(lab.level for lab in labels)
        strong = [j for j, lab in enumerate(labels) if lab.level == top and not lab.weak]
        self.top_level = np.array(strong or [j for j, lab in enumerate(labels) if lab.level == top], dtype=np.int64)
        self.weak_top_level = np.array([j for j, lab in enumerate(labels) if lab.level == top and lab.weak and strong], dtype=np.int64)
        # The same as lists of ints, for the per-article selection (topics/__init__.py).
        self.top_level_list: list[int] = self.top_level.tolist()
        self.weak_top_level_list: list[int] = self.weak_top_level.tolist()
        # The top head scores the strong top-level classes (columns in `top_level` order); without
        # one, the best calibrated one-vs-rest score picks the guaranteed topic.
        self.top_coef = None if top_coef is None else np.asarray(top_coef, dtype=np.float32)
        self.top_bias = np.zeros(len(self.top_level), dtype=np.float32) if top_bias is None else np.asarray(top_bias, dtype=np.float32)
        # How the guaranteed topic is chosen for a text of n tokens: with f = min(1, n / blend_tokens),
        # argmax of (1 - f) * log(one-vs-rest score) + f * blend_weight * (head + bias). Short texts
        # (the training domain) trust the calibrated one-vs-rest scores; articles trust the head,
        # whose bias corrects the training mix's prior for articles (see shipped.py).
        self.blend_tokens = float(blend_tokens)
        self.blend_weight = float(blend_weight)
        self.titled_is_article = bool(titled_is_article)
        self.capitals_is_article = bool(capitals_is_article)
        # softmax(head_temperature * (head + bias)) is the head's probability of each top-level
        # topic (0 = not calibrated); fitted on held-out open data (shipped.fit_temperature).
        self.head_temperature = float(head_temperature)
        # {"coef", "intercept", "threshold", "features"} of the full-article calibration of the
        # top-level scores (ARTICLE_LEVEL1_FEATURES), or None: full articles are scored like
        # short texts, at `thresholds`.
        self.article_calibration: dict | None = None
        self._weights = None
        # The depth index document (topics/depth.py, `depth.json`), or None: no depth below the
        # model's own classes.
        self.depth: dict | None = None
        self.children: dict[str, list[int]] = {}
        for j, lab in enumerate(labels):
            if lab.parent:
                self.children.setdefault(lab.parent, []).append(j)

    # --- scoring -----------------------------------------------------------------------------

    def decision(self, x) -> np.ndarray:
        return np.asarray(x @ self.coef) + self.intercept

    def set_head(self, top_coef: np.ndarray, top_bias: np.ndarray | None = None) -> None:
        """Replace the top head (and its bias, if given); the product matrix is rebuilt."""
        self.top_coef = np.asarray(top_coef, dtype=np.float32)
        if top_bias is not None:
            self.top_bias = np.asarray(top_bias, dtype=np.float32)
        self._weights = None

    def _all_weights(self) -> np.ndarray:
        # One matrix product per batch for both heads: [coef | top_coef], built once.
        if self._weights is None:
            self._weights = self.coef if self.top_coef is None else np.ascontiguousarray(np.hstack([self.coef, self.top_coef]))
        return self._weights

    def score_and_top(self, parts: list[tuple[str, str]], config: FeatureConfig | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated scores (one row per (title, body) pair) and the label index of each row's
        guaranteed top-level topic."""
        scores, top, _, _ = self.score_top_known_thresholds(parts, config)
        return scores, top

    def score_top_known_thresholds(self, parts: list[tuple[str, str]], config: FeatureConfig | None = None, tokens: list[ArticleTokens] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """`score_and_top`, whether each row has any word or word pair of the vocabulary (a row
        without one scores only the model's biases, which say nothing about the text), and each
        row's thresholds (rows x labels): a full article's top-level scores are the article
        calibration's probabilities, at its threshold. `tokens`: the pairs' features.article_tokens,
        when the caller has them."""
        r = self.article_readings(parts, config, tokens)
        scores, thresholds = r.scores, np.broadcast_to(self.thresholds, r.scores.shape).copy()
        full = np.flatnonzero(r.n_windows > 0)
        if len(full) and self.article_calibration is not None:
            cols = self.article_columns
            x = article_level1_features(r.scores[full][:, cols], r.best_window[full][:, cols], r.n_windows[full], cols[None, :] == r.top[full][:, None])
            cal = self.article_calibration
            z = (x @ np.asarray(cal["coef"], dtype=np.float64) + float(cal["intercept"])).reshape(len(full), len(cols))
            scores[np.ix_(full, cols)] = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
            thresholds[np.ix_(full, cols)] = float(cal["threshold"])
            rest = np.setdiff1d(np.arange(scores.shape[1]), cols)
            scores[np.ix_(full, rest)] = np.maximum(scores[np.ix_(full, rest)], r.best_window[np.ix_(full, rest)])
        elif len(full):
            # A topic is as present as its strongest window says (features.FeatureConfig.window_tokens).
            scores[full] = np.maximum(scores[full], r.best_window[full])
        return scores, r.top, r.known, thresholds

    @property
    def article_columns(self) -> np.ndarray:
        """The label indexes the article calibration scores: the top-level ones, strong then weak."""
        return np.concatenate([self.top_level, self.weak_top_level]).astype(np.int64)

    def article_readings(self, parts: list[tuple[str, str]], config: FeatureConfig | None = None, tokens: list[ArticleTokens] | None = None) -> ArticleReadings:
        """What scoring reads of each (title, body) pair, before the article calibration."""
        x, n_tokens, windows, owners = self.featurizer.transform_articles_with_windows(parts, config or self.config, tokens)
        known = np.diff(x.indptr) > 0
        d = np.asarray(x @ self._all_weights())
        k = len(self.labels)
        scores, head = self.calibrate(d[:, :k] + self.intercept), d[:, k:]
        top = self.top_level[np.argmax(self.top_choice(scores, head, self.blend_length(parts, n_tokens)), axis=1)]
        best_window = scores.copy()
        n_windows = np.zeros(len(parts), dtype=np.int64)
        if windows is not None:
            # Owners are non-decreasing: one reduceat per run of windows of the same article.
            first = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
            rows = owners[first]
            best_window[rows] = self.calibrate(np.maximum.reduceat(self.decision(windows), first, axis=0))
            n_windows = np.bincount(owners, minlength=len(parts))
        return ArticleReadings(scores, best_window, n_windows, top, known)

    def blend_length(self, parts: list[tuple[str, str]], n_tokens: np.ndarray) -> np.ndarray:
        """The length `top_choice` blends by: the token count, or no limit for a text that is an
        article whatever its length. The one-vs-rest scores are for texts like the training
        examples, a bare headline or a bare summary. With `titled_is_article`, a titled story, even
        a short brief, is an article, read by the head with its article prior. With
        `capitals_is_article`, so is a text written wholly in capitals: a news agency's headline
        (wire copy sent without a body), not the sentence-case web headline the one-vs-rest
        scores were trained on."""
        if not (self.titled_is_article or self.capitals_is_article):
            return n_tokens
        article = np.fromiter((self._reads_as_article(t, b) for t, b in parts), dtype=bool, count=len(parts))
        return np.where(article, np.inf, n_tokens)

    def _reads_as_article(self, title: str, body: str) -> bool:
        has_title, has_body = bool(title) and not title.isspace(), bool(body) and not body.isspace()
        if has_title and has_body:
            return self.titled_is_article
        # str.isupper: at least one cased letter and no lower-case one.
        return self.capitals_is_article and (title if has_title else body).isupper()

    def top_choice(self, scores: np.ndarray, head: np.ndarray | None, n_tokens: np.ndarray) -> np.ndarray:
        """The values whose argmax over the top-level classes is the guaranteed topic."""
        ovr = np.log(scores[:, self.top_level] + 1e-4)
        if self.top_coef is None or head is None:
            return ovr
        f = np.minimum(1.0, np.asarray(n_tokens, dtype=np.float32) / self.blend_tokens)[:, None]
        return (1.0 - f) * ovr + f * self.blend_weight * (head + self.top_bias)

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        z = self.platt_a * decision + self.platt_b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def score_articles(self, parts: list[tuple[str, str]], config: FeatureConfig | None = None) -> np.ndarray:
        """Calibrated scores, one row per (title, body) pair, one column per label."""
        x = self.featurizer.transform_articles(parts, config or self.config)
        return self.calibrate(self.decision(x))

    def score_texts(self, texts: list[str]) -> np.ndarray:
        return self.calibrate(self.decision(self.featurizer.transform_texts(texts)))

    # --- files -------------------------------------------------------------------------------

    def save(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        # float16 weights halve the artifact; the scores move by < 1e-3, far below any threshold step.
        np.savez_compressed(
            out_dir / "model.npz",
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            platt_a=self.platt_a,
            platt_b=self.platt_b,
            thresholds=self.thresholds,
            idf=self.featurizer.idf,
            bigrams=self.featurizer.bigrams.astype(np.int32),
            **({} if self.top_coef is None else {"top_coef": self.top_coef.astype(np.float16), "top_bias": self.top_bias}),
        )
        doc = {
            "format": MODEL_FORMAT,
            "labels": [lab.to_json() for lab in self.labels],
            "features": self.config.to_json(),
            "vocabulary": self.featurizer.vocabulary,
        }
        if self.top_coef is not None:
            doc["top_head"] = {"blend_tokens": self.blend_tokens, "blend_weight": self.blend_weight, "titled_is_article": self.titled_is_article, "capitals_is_article": self.capitals_is_article, "head_temperature": self.head_temperature}
        if self.article_calibration is not None:
            doc["article_calibration"] = self.article_calibration
        (out_dir / "model.json").write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
        if self.depth is not None:
            (out_dir / "depth.json").write_text(json.dumps(self.depth, ensure_ascii=False) + "\n", encoding="utf-8")
        (out_dir / "manifest.json").write_text(json.dumps(self.manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, model_dir) -> TopicModel:
        """Load from a directory (a Path or an importlib.resources Traversable)."""
        where = str(model_dir)
        try:
            with model_dir.joinpath("model.npz").open("rb") as f:
                arrays = dict(np.load(f, allow_pickle=False))
            import orjson

            doc = orjson.loads(model_dir.joinpath("model.json").read_bytes())
            manifest_file = model_dir.joinpath("manifest.json")
            manifest = orjson.loads(manifest_file.read_bytes()) if manifest_file.is_file() else {}
            depth_file = model_dir.joinpath("depth.json")
            depth = orjson.loads(depth_file.read_bytes()) if depth_file.is_file() else None
        except (OSError, ValueError, KeyError) as exc:
            raise ArtifactError(
                f"topic model {where} is missing or broken ({type(exc).__name__}: {exc}); a model directory "
                "needs model.npz and model.json: train one with `newstag train`, or rebuild the shipped "
                "model with `newstag train --shipped`"
            ) from exc
        if doc.get("format") != MODEL_FORMAT:
            raise ArtifactError(f"topic model {where} has format {doc.get('format')!r}, expected {MODEL_FORMAT!r}; retrain it with `newstag train`")
        labels = [Label(d["code"], d["label"], int(d["level"]), d.get("parent"), bool(d.get("weak"))) for d in doc["labels"]]
        featurizer = Featurizer(doc["vocabulary"], arrays["bigrams"], arrays["idf"])
        coef = arrays["coef"].astype(np.float32)
        if coef.shape != (featurizer.n_features, len(labels)):
            raise ArtifactError(f"topic model {where}: coef has shape {coef.shape}, expected {(featurizer.n_features, len(labels))}; retrain it")
        if depth is not None and depth.get("format") != DEPTH_FORMAT:
            raise ArtifactError(f"topic model {where}: depth.json has format {depth.get('format')!r}, expected {DEPTH_FORMAT!r}; retrain it")
        model = cls(
            labels,
            featurizer,
            coef,
            arrays["intercept"],
            arrays["platt_a"],
            arrays["platt_b"],
            arrays["thresholds"],
            FeatureConfig.from_json(doc["features"]),
            manifest,
            arrays["top_coef"].astype(np.float32) if "top_coef" in arrays else None,
            arrays.get("top_bias"),
            **doc.get("top_head", {}),
        )
        model.depth = depth
        cal = doc.get("article_calibration")
        if cal is not None:
            if len(cal.get("coef", ())) != len(ARTICLE_LEVEL1_FEATURES) or "threshold" not in cal:
                raise ArtifactError(f"topic model {where}: model.json's article_calibration needs {len(ARTICLE_LEVEL1_FEATURES)} coefficients and a threshold; rebuild it with `newstag train --shipped`")
            model.article_calibration = cal
        return model


def shipped_model_dir():
    return resources.files("newstag").joinpath(*SHIPPED_RESOURCE)
