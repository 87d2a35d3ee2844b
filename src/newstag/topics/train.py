"""Training: a top head that picks an article's one guaranteed topic, and a one-vs-rest logistic
model per class, calibrated, with per-class thresholds, for every further topic.

The top head is Complement Naive Bayes over the strong top-level classes, trained on each
example's positive top-level classes (an example with several shares its weight among them) with
balanced class weights. CNB was chosen over the one-vs-rest scores and a softmax regression for
the top-1 decision: it is robust to the length shift from short training texts to full articles
(it estimates each class from the complement of the others, so a class with few, short examples
is not starved), and it fits in seconds. (Before issue 14 the choice was made on the research
dev sets, where a linear SVM head did worse; the shipped model's smoothing and view weight are
now chosen on an open validation split, see shipped.py.)

With `unigram_view` > 0 the head is an ensemble of two CNB heads on two views of the same rows:
all features (words and word pairs), plus `unigram_view` times a head fitted on the words alone.
The word-pair head's estimates are sparse for the long tail of an article's vocabulary (most of
an article's pairs are rare in short training texts); the word-only head smooths over them. The
sum of two linear heads is one linear head, so tagging costs the same.

Used twice: `build_shipped_model` (topics/shipped.py) trains the shipped IPTC model from the
CC-licensed corpora in ../shared, and `train_model` trains on a newsroom's own tagged archive:

    newstag train --data ARCHIVE.jsonl --labels-field topics [--taxonomy TAXONOMY.json] -o DIR

ARCHIVE.jsonl has one article per line: `{"text": str, "title": str (optional), <labels_field>:
[label, ...]}` (a single string is taken as one label). Labels are free strings, or codes/labels
of the taxonomy when one is given. TAXONOMY.json is a list of `{"code", "label", "parent"}` (or
`{"topics": [...]}`); a label then also counts for every ancestor, and classes are trained at
levels 1 and 2. Without --taxonomy, labels that are all `medtop:` codes use the packaged IPTC
Media Topics; other labels form a flat list.

Every class gets its own binary problem with its own rows: `known[i, k]` is False where the data
cannot say whether class k applies to example i (a desk label with several candidate topics), so
such rows are neither positive nor negative for k; `weight` softens negatives the source is unsure of.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newstag.errors import InputError, TrainingError
from newstag.eval.metrics import prf
from newstag.topics.features import FeatureConfig, Featurizer
from newstag.topics.model import Label, TopicModel
from newstag.topics.taxonomy import Taxonomy, iptc, taxonomy_from_json

# Minimum positives for a class to get a classifier: below this, logistic regression learns the
# few examples' words rather than the topic.
MIN_POSITIVES = 3
# C of the logistic regressions for a newsroom's own model (`train_model`); the shipped model
# chooses its own on an open validation split (shipped.C_GRID).
DEFAULT_C = 2.0
# Smoothing of the Complement NB top head (the default of `fit_model`); the shipped model chooses
# its own on an open validation split (shipped.HEAD_GRID).
CNB_ALPHA = 1.0
# Thresholds are kept inside this band so that one lucky tuning item cannot set a class's threshold
# to 0.99 or 0.01.
THRESHOLD_RANGE = (0.15, 0.85)


@dataclass
class Examples:
    """Training or tuning examples: (title, body) pairs and per-class label matrices."""

    parts: list[tuple[str, str]]
    positive: np.ndarray  # (n, K) bool: class k applies
    known: np.ndarray  # (n, K) bool: the data says whether class k applies
    # (n, K) training weight of each known cell; None = 1. Lets a source say "probably not k"
    # (a topic its label only sometimes implies) more softly than a plain negative.
    weight: np.ndarray | None = None
    # (n, K) positives for the top head where they differ from `positive` (None = the same): an
    # augment lexicon (seeds.py) says a text is also about a topic, which should steer the one
    # guaranteed topic of articles but not the short-text thresholds of the one-vs-rest scores.
    head_positive: np.ndarray | None = None

    def subset(self, rows: np.ndarray) -> Examples:
        w = None if self.weight is None else self.weight[rows]
        h = None if self.head_positive is None else self.head_positive[rows]
        return Examples([self.parts[i] for i in np.flatnonzero(rows)], self.positive[rows], self.known[rows], w, h)


def fit_model(
    labels: list[Label],
    train: Examples,
    calibration: Examples,
    config: FeatureConfig,
    c: float = DEFAULT_C,
    min_df: int = 2,
    max_features: int = 250_000,
    balanced: bool = True,
    top_head: bool = True,
    cnb_alpha: float = CNB_ALPHA,
    head_examples: Examples | None = None,
    head_weight: float = 1.0,
    unigram_view: float = 0.0,
) -> TopicModel:
    """Fit vocabulary, one logistic regression per class, the top head, and Platt calibration;
    thresholds 0.5. `head_examples` (weighted `head_weight` each) train the top head and the
    vocabulary only: derived texts such as taxonomy definitions, not news."""
    from sklearn.linear_model import LogisticRegression  # training only: keeps tagging start-up fast

    texts = [f"{t}\n{b}" for t, b in train.parts]
    extra = [f"{t}\n{b}" for t, b in head_examples.parts] if head_examples is not None else []
    featurizer = Featurizer.fit(texts + extra, min_df=min_df, max_features=max_features, weights=[1.0] * len(texts) + [head_weight] * len(extra))
    x = featurizer.transform_texts(texts).tocsr()
    k = len(labels)
    coef = np.zeros((featurizer.n_features, k), dtype=np.float32)
    intercept = np.zeros(k, dtype=np.float32)
    for j in range(k):
        rows = train.known[:, j]
        y = train.positive[rows, j]
        if y.sum() < 1 or y.all():
            raise TrainingError(f"class {labels[j].code!r} has no {'negative' if y.all() else 'positive'} training examples")
        # Balanced classes: the corpora's mix of sections (HuffPost has six arts sections, one
        # sports section) is not the mix of a newsroom's stories, so no class wins on its prior.
        clf = LogisticRegression(C=c, solver="liblinear", max_iter=200, class_weight="balanced" if balanced else None)
        clf.fit(x[rows], y, sample_weight=None if train.weight is None else train.weight[rows, j])
        coef[:, j] = clf.coef_[0]
        intercept[j] = clf.intercept_[0]

    model = TopicModel(labels, featurizer, coef, intercept, np.ones(k), np.zeros(k), np.full(k, 0.5), config)
    if top_head:
        model.top_coef = fit_head(head_rows(model, train, head_examples, head_weight, x), cnb_alpha, unigram_view, featurizer.n_unigrams)
    if len(calibration.parts):
        d = model.decision(featurizer.transform_texts([f"{t}\n{b}" for t, b in calibration.parts]))
        a, b = platt(d, calibration.positive, calibration.known)
        model.platt_a, model.platt_b = a.astype(np.float32), b.astype(np.float32)
    return model


def head_rows(model: TopicModel, train: Examples, head_examples: Examples | None, head_weight: float, x=None) -> tuple:
    """(rows, top-level positives, weights) the top head learns from: the training texts (`x`,
    their rows if already computed) and the derived `head_examples` weighted `head_weight`."""
    from scipy import sparse

    xs = [x if x is not None else model.featurizer.transform_texts([f"{t}\n{b}" for t, b in train.parts]).tocsr()]
    ys = [train.positive if train.head_positive is None else train.head_positive]
    ws = [np.ones(len(train.parts))]
    if head_examples is not None and len(head_examples.parts):
        xs.append(model.featurizer.transform_texts([f"{t}\n{b}" for t, b in head_examples.parts]).tocsr())
        ys.append(head_examples.positive)
        ws.append(np.full(len(head_examples.parts), head_weight))
    return sparse.vstack(xs).tocsr(), np.vstack(ys)[:, model.top_level], np.concatenate(ws)


def fit_head(rows: tuple, alpha: float, unigram_view: float, n_unigrams: int) -> np.ndarray:
    """The top head's weights from `head_rows`: CNB on all features plus `unigram_view` times a
    CNB on the words alone (see the module docstring)."""
    xh, yh, wh = rows
    coef = fit_top_head(xh, yh, wh, alpha)
    if unigram_view:
        coef[:n_unigrams] += unigram_view * fit_top_head(xh[:, :n_unigrams], yh, wh, alpha)
    return coef


def fit_top_head(x, positive: np.ndarray, example_weight: np.ndarray, alpha: float = CNB_ALPHA) -> np.ndarray:
    """Complement NB log-weights (features x classes) from rows with >= 1 positive class.

    An example with n positive classes counts 1/n for each (times its weight); classes are then
    balanced to equal total weight, so no class wins on the training mix's prior.
    """
    from sklearn.naive_bayes import ComplementNB

    rows, cls = np.nonzero(positive)
    if len(np.unique(cls)) < positive.shape[1]:
        missing = sorted(set(range(positive.shape[1])) - set(cls.tolist()))
        raise TrainingError(f"top-level classes at columns {missing} have no training examples; every top-level class needs some")
    w = example_weight[rows] / positive.sum(axis=1)[rows]
    per_class = np.bincount(cls, weights=w, minlength=positive.shape[1])
    w = w * (per_class.sum() / (len(per_class) * per_class[cls]))
    nb = ComplementNB(alpha=alpha, norm=False).fit(x[rows], cls, sample_weight=w)
    out = np.zeros((x.shape[1], positive.shape[1]), dtype=np.float32)
    out[:, nb.classes_] = nb.feature_log_prob_.T
    return out


def platt(decision: np.ndarray, positive: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per class, sigmoid(a * d + b) fitted on held-out decision values (Platt scaling).

    A class with no held-out positives or negatives keeps the model's own sigmoid (a=1, b=0).
    """
    from sklearn.linear_model import LogisticRegression

    k = decision.shape[1]
    a, b = np.ones(k), np.zeros(k)
    for j in range(k):
        rows = known[:, j]
        y = positive[rows, j]
        if y.sum() < 2 or (~y).sum() < 2:
            continue
        lr = LogisticRegression(C=1e4).fit(decision[rows, j : j + 1], y)
        if lr.coef_[0, 0] > 0:  # a reversed fit means too little data; keep the model's sigmoid
            a[j], b[j] = lr.coef_[0, 0], lr.intercept_[0]
    return a, b


def tune_thresholds(scores: np.ndarray, positive: np.ndarray, known: np.ndarray, default: float = 0.5) -> np.ndarray:
    """Per class, the threshold on calibrated scores that maximises F1 on tuning examples."""
    lo, hi = THRESHOLD_RANGE
    grid = np.round(np.arange(lo, hi + 1e-9, 0.025), 3)
    out = np.full(scores.shape[1], default, dtype=np.float32)
    for j in range(scores.shape[1]):
        rows = known[:, j]
        s, y = scores[rows, j], positive[rows, j]
        if y.sum() < 3:
            continue
        pred = s[:, None] >= grid[None, :]
        tp = (pred & y[:, None]).sum(0)
        fp = (pred & ~y[:, None]).sum(0)
        fn = (~pred & y[:, None]).sum(0)
        f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
        out[j] = grid[int(np.argmax(f1))]
    return out


def tune_global_threshold(scores: np.ndarray, positive: np.ndarray, known: np.ndarray) -> float:
    """The one threshold on calibrated probabilities that maximises micro-F1 over every known
    (example, class) cell of the tuning examples."""
    lo, hi = THRESHOLD_RANGE
    grid = np.round(np.arange(lo, hi + 1e-9, 0.025), 3)
    f1 = [micro_f1(scores >= t, positive, known) for t in grid]
    return float(grid[int(np.argmax(f1))])


def micro_f1(pred: np.ndarray, positive: np.ndarray, known: np.ndarray) -> float:
    """Micro-F1 over the known (example, class) cells."""
    tp = int((pred & positive & known).sum())
    fp = int((pred & ~positive & known).sum())
    fn = int((~pred & positive & known).sum())
    return 2 * tp / max(2 * tp + fp + fn, 1)


def split_rows(keys: list[str], share: int = 10) -> np.ndarray:
    """Deterministic held-out rows: sha1(key) % 100 < share."""
    return np.array([int(hashlib.sha1(k.encode("utf-8")).hexdigest(), 16) % 100 < share for k in keys], dtype=bool)


def library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    from newstag import __version__

    return {"newstag": __version__, "numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__, "python": platform.python_version()}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- a newsroom's own archive --------------------------------------------------------------------


def train_model(
    data: Path,
    labels_field: str,
    taxonomy: Path | None,
    out_dir: Path,
    *,
    max_level: int = 2,
    c: float = DEFAULT_C,
    config: FeatureConfig | None = None,
) -> dict:
    """Train a topic model on a tagged JSON Lines archive and write it to `out_dir`.

    Returns the manifest (also written to out_dir/manifest.json), including per-class
    precision/recall/F1 on the held-out tenth used for calibration and thresholds.
    """
    config = config or FeatureConfig()
    records = _read_jsonl(data, labels_field)
    tax = _load_taxonomy(taxonomy, [lab for _, _, labs in records for lab in labs])

    # Resolve every label to its class codes (itself plus ancestors up to max_level).
    def classes_of(raw_label: str) -> list[str]:
        if tax is None:
            return [raw_label]
        topic = tax.topics.get(raw_label) or tax.by_label(raw_label)
        if topic is None:
            raise TrainingError(
                f"{data}: label {raw_label!r} is neither a code nor a label of the taxonomy "
                f"{taxonomy or 'IPTC Media Topics'}; fix the label or pass the right --taxonomy"
            )
        out = []
        for lvl in range(1, min(topic.level, max_level) + 1):
            anc = tax.ancestor_at(topic.code, lvl)
            if anc is not None:
                out.append(anc.code)
        return out

    example_classes = [sorted({c for lab in labs for c in classes_of(lab)}) for _, _, labs in records]
    counts = Counter(c for cs in example_classes for c in cs)
    kept = sorted(c for c, n in counts.items() if n >= MIN_POSITIVES)
    if len(kept) < 2:
        raise TrainingError(
            f"{data}: need at least 2 classes with {MIN_POSITIVES}+ examples in field {labels_field!r}, found {dict(counts)}"
        )
    labels = []
    for code in kept:
        if tax is None:
            labels.append(Label(code, code, 1, None))
        else:
            t = tax[code]
            labels.append(Label(t.code, t.label, t.level, t.parent))
    # Level 1 first, then by code: output order of the scores' columns, stable across runs.
    labels.sort(key=lambda lab: (lab.level, lab.code))
    col = {lab.code: j for j, lab in enumerate(labels)}
    positive = np.zeros((len(records), len(labels)), dtype=bool)
    for i, cs in enumerate(example_classes):
        for c_ in cs:
            if c_ in col:
                positive[i, col[c_]] = True
    # A level-2 class is only asked of articles under its parent: siblings' articles are its
    # negatives, articles of other level-1 topics say nothing about it.
    known = np.ones_like(positive)
    for lab in labels:
        if lab.parent and lab.parent in col:
            j = col[lab.code]
            known[:, j] = positive[:, col[lab.parent]]
            if positive[known[:, j], j].all():
                # The only child the archive uses under this parent: it cannot be told apart from
                # its siblings, so it learns against every other article instead.
                known[:, j] = True
    parts = [(title, text) for title, text, _ in records]
    ex = Examples(parts, positive, known)

    held = split_rows([f"{i}:{t}{b[:200]}" for i, (t, b) in enumerate(parts)])
    if held.sum() < 2 or (~held).sum() < 2:
        held = np.zeros(len(parts), dtype=bool)
    train, tune = ex.subset(~held), ex.subset(held)
    model = fit_model(labels, train, tune, config, c=c, min_df=1 if len(parts) < 2000 else 2, top_head=False)
    figures: dict = {}
    if len(tune.parts):
        scores = model.score_articles(tune.parts)
        model.thresholds = tune_thresholds(scores, tune.positive, tune.known)
        figures = per_class_prf(scores >= model.thresholds, tune.positive, tune.known, labels)
    model.manifest = {
        "model": f"custom:{out_dir.name}",
        "built_by": "newstag.topics.train.train_model",
        "training_data": [{"path": str(data), "sha256": sha256_of(data), "records": len(records), "labels_field": labels_field}],
        "taxonomy": (
            {"path": str(taxonomy), "sha256": sha256_of(taxonomy)}
            if taxonomy
            else ({"name": "IPTC Media Topics", "version": tax.version, "attribution": tax.attribution} if tax else None)
        ),
        "classes": {lab.code: int(counts[lab.code]) for lab in labels},
        "held_out_figures": figures,
        "features": config.to_json(),
        "c": c,
        "versions": library_versions(),
    }
    model.save(out_dir)
    return model.manifest


def per_class_prf(pred: np.ndarray, positive: np.ndarray, known: np.ndarray, labels: list[Label]) -> dict:
    out = {}
    for j, lab in enumerate(labels):
        rows = known[:, j]
        p, y = pred[rows, j], positive[rows, j]
        scores = prf(int((p & y).sum()), int((p & ~y).sum()), int((~p & y).sum()))
        out[lab.code] = {"label": lab.label, **scores, "support": int(y.sum())}
    return out


def _jsonl_objects(data: Path, what: str):
    """(line number, object) of each non-empty line; an unreadable file or a line that is not a
    JSON object is an InputError naming it."""
    import orjson

    try:
        handle = data.open("rb")  # read line by line: an archive may be larger than memory
    except OSError as exc:
        raise InputError(f"cannot read {what} {data}: {exc}") from exc
    with handle:
        for n, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"{data}, line {n}: not JSON ({exc}); each line must be one JSON object") from exc
            if not isinstance(rec, dict):
                raise InputError(f"{data}, line {n}: not a JSON object; each line must be one JSON object")
            yield n, rec


def _read_jsonl(data: Path, labels_field: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for _, rec in _jsonl_objects(data, "training data"):
        labels = rec.get(labels_field)
        if isinstance(labels, str):
            labels = [labels]
        if not labels:
            continue  # an untagged article teaches nothing about which topics apply
        out.append((str(rec.get("title") or ""), str(rec.get("text") or ""), [str(x) for x in labels]))
    if not out:
        raise TrainingError(f"{data}: no line has labels in field {labels_field!r}; pass the field that holds the tags with --labels-field")
    return out


def read_archive_texts(data: Path, text_field: str = "text", limit: int | None = None) -> tuple[list[tuple[str, str]], int]:
    """((title, text) of the lines of a JSON Lines archive with text, labels or not; how many lines
    have text), for `newstag train --adapt`. With `limit`, an archive with more such lines gives a
    uniform sample of `limit` of them (reservoir sampling, seeded: the same file gives the same
    sample), in file order."""
    import random

    rng = random.Random(0)
    out: list[tuple[int, tuple[str, str]]] = []
    seen = 0
    for _, rec in _jsonl_objects(data, "the archive"):
        text = str(rec.get(text_field) or "")
        if not text.strip():
            continue
        item = (seen, (str(rec.get("title") or ""), text))
        seen += 1
        if limit is None or len(out) < limit:
            out.append(item)
        else:
            j = rng.randrange(seen)
            if j < limit:
                out[j] = item
    return [part for _, part in sorted(out)], seen


def _load_taxonomy(path: Path | None, labels: list[str]) -> Taxonomy | None:
    if path is not None:
        try:
            return taxonomy_from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"cannot read taxonomy {path}: {exc}; expected a JSON list of {{\"code\", \"label\", \"parent\"}}"
            ) from exc
    if labels and all(lab.startswith("medtop:") for lab in labels):
        return iptc()
    return None
