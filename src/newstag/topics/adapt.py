"""Label-free adaptation of the top head to an archive: the topic prior re-estimated by EM, and
self-training on the archive's text.

A newsroom's archive has its own topic mix, and the text it holds is unlike the training text.
The top head (model.TopicModel.top_coef) is trained with balanced classes, so its posteriors
assume a uniform prior over the top-level topics. Saerens, Latinne & Decaestecker (2002,
"Adjusting the outputs of a classifier to new a priori probabilities: a simple procedure")
re-estimate the prior of a new set of texts from the classifier's own posteriors alone:

    E step   p'(k | x) = p(k | x) * pi'(k) / pi(k), renormalised over k
    M step   pi'(k)    = mean over the texts of p'(k | x)

which is EM for the mixing weights of the new set, the class-conditional densities held fixed.
It needs posteriors that are probabilities: the head's values times `head_temperature` (one
scalar, fitted on held-out open data, shipped.fit_temperature) through a softmax. The new prior
enters the head as a per-class bias, log(pi'(k) / pi(k)) / temperature, in the head's own units.

`SMOOTHING` adds that many pseudo-texts to every class (a symmetric Dirichlet prior, MAP-EM), so a
topic the archive happens to lack is made rare, not impossible: a small archive cannot silence a
class for every later article.

Used by `newstag train --shipped` (the shipped prior: EM over the openly licensed, unlabelled
Wikinews 2020 full articles).

Self-training (`self_trained_head`, what `newstag train --adapt ARCHIVE.jsonl -o DIR` does). A
prior moves every article of a topic alike; what an archive's desk files where is in its words
(AG News files a software maker's results under technology, IPTC and Reuters under economy; a
sports page names players the training text never did). So the model labels the archive's own
texts with its picks, and a multinomial logistic regression learns those pseudo-labels from the
archive's text in the model's own features (self-training, e.g. Nigam et al. 2000 in its hard
form; Yarowsky 1995). The regression sees which words go with the picks that the archive's
clear stories get, and carries them to its unclear ones. The adapted head is the product of the
two experts, the model's head and the regression:

    log p(k | x)  =  T * (head(x) + bias)  +  (w_k . x + b_k)  + const

which is again one linear head, folded into the model (top_coef + w / T, top_bias + b / T): the
adapted model has the same size and speed as the one it came from. The regression's intercepts
carry the archive's (pseudo-labelled) mix, so no EM prior is added on top (it would count that
mix twice). The design is fixed a priori, no number tuned on a labelled set: hard pseudo-labels
for every text (SELF_TRAINING_KEEP says why not only the surest), one round (a second,
relabelling with the adapted head, moved the research dev figures by 0.002 at most when this was
first tried), C the model's own (the one-vs-rest C it was trained with, chosen on its open
validation split), and the IPTC pseudo-documents the head learns from, weighted so that each
topic has the weight of one text: a topic the archive lacks stays possible, the same smoothing
as EM's SMOOTHING.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# Pseudo-texts per class in the M step (Laplace); chosen a priori, not tuned.
SMOOTHING = 1.0
MAX_ITERATIONS = 200
# Self-training needs a sample of the archive, not a handful of stories (a priori).
MIN_ARCHIVE_TEXTS = 20
# A larger archive is adapted to a uniform sample of this many texts (read_archive_texts): memory
# grows about 20 kB a text in the regression (0.9 GB at 9,000, 1.1 GB at 18,500), and a sample
# of this size already holds thousands of texts of every common topic. A priori, not tuned.
MAX_ARCHIVE_TEXTS = 50_000
# The regression's iterations (lbfgs): enough to converge on a 10,000-article archive.
SELF_TRAINING_MAX_ITER = 1000
# The share of the archive's texts, the surest of the model's picks, that the regression learns
# from, how that share keeps the archive's mix (see `surest`), and how the regression and the
# model's head are combined. Fixed a priori: every text, the product. Not the optimum of the
# open-data search (`newstag eval topics --adapt-choice`, eval/topics_adapt_choice.py: a model of
# one open corpus adapted to the other's text, both ways, short texts), which is the regression
# alone on the surest 15% reweighted (mean gain +0.069 against +0.018): on full articles the
# surest picks are the stereotyped ones, and that choice, measured after it was made, gave BBC
# 0.534 and AG News 0.628 where every text with the product gives 0.910 and 0.833.
SELF_TRAINING_KEEP = 1.0
SELF_TRAINING_SELECT = "reweighted"
SELF_TRAINING_COMBINE = "product"
SELF_TRAINING_COMBINES = {"product": "the adapted head is its product with the model's head", "student": "the adapted head is the regression alone"}
# `newstag train --adapt-method` -> the manifest entry it writes.
ADAPT_METHODS = {"self-training": "adapted_head", "prior": "adapted_prior"}
TOLERANCE = 1e-6


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def head_values(model, parts: list[tuple[str, str]]) -> np.ndarray:
    """The top head's values (texts x top-level classes) without any bias."""
    x = model.featurizer.transform_articles(parts, model.config)
    return np.asarray(x @ model.top_coef, dtype=np.float64)


def head_posteriors(model, values: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """Probabilities over the top-level classes from head values (and a bias in head units)."""
    b = model.top_bias if bias is None else bias
    return softmax(model.head_temperature * (values + np.asarray(b, dtype=np.float64)))


def em_prior(posteriors: np.ndarray, base_prior: np.ndarray | None = None, smoothing: float = SMOOTHING) -> tuple[np.ndarray, int]:
    """The prior of the texts behind `posteriors` (rows: p(k | x) under `base_prior`, default
    uniform) by Saerens-Latinne-Decaestecker EM; returns (prior, iterations)."""
    n, k = posteriors.shape
    base = np.full(k, 1.0 / k) if base_prior is None else np.asarray(base_prior, dtype=np.float64)
    prior = base.copy()
    for it in range(1, MAX_ITERATIONS + 1):
        w = posteriors * (prior / base)
        w /= w.sum(axis=1, keepdims=True)
        new = (w.sum(axis=0) + smoothing) / (n + k * smoothing)
        done = np.abs(new - prior).max() < TOLERANCE
        prior = new
        if done:
            break
    return prior, it


def adapted_bias(model, parts: list[tuple[str, str]], smoothing: float = SMOOTHING) -> tuple[np.ndarray, np.ndarray, int]:
    """The head bias for the prior of `parts` (no labels): (bias, prior, EM iterations).

    The E step starts from the balanced head (no bias): the prior is the archive's own, not a
    correction of a correction."""
    values = head_values(model, parts)
    posteriors = head_posteriors(model, values, np.zeros(values.shape[1]))
    prior, iterations = em_prior(posteriors, smoothing=smoothing)
    k = len(prior)
    bias = (np.log(prior * k) / model.head_temperature).astype(np.float32)
    return bias, prior, iterations


def pseudo_documents(model) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The IPTC pseudo-documents of the model's top-level topics (label, definition, descendants'
    labels, and the written ones the head learns from) with their top-level column; empty for a
    model whose topics are not IPTC's."""
    from newstag.topics.shipped import taxonomy_examples
    from newstag.topics.taxonomy import iptc

    tax = iptc()
    if not all(lab.code in tax.topics for lab in model.labels):
        return [], np.zeros(0, dtype=np.int64)
    ex = taxonomy_examples(tax, model.labels)
    top = ex.positive[:, model.top_level]
    keep = top.any(axis=1)
    return [p for p, k in zip(ex.parts, keep) if k], top[keep].argmax(axis=1)


def surest(picks: np.ndarray, sure: np.ndarray, keep: float, select: str) -> tuple[np.ndarray, np.ndarray]:
    """(rows, weights) of the surest `keep` of the picks. The head is surer of some topics than of
    others (sport, markets), so the surest share of all picks is mostly those topics: "per-topic"
    takes the surest share of each topic's picks, "reweighted" the surest share of all, each
    weighted by its topic's share of all picks over its share of those taken. Either way the
    regression learns the archive's mix of picks, not the head's confidence in it."""
    if keep >= 1.0:
        return np.arange(len(picks)), np.ones(len(picks))
    if select == "per-topic":
        rows = np.concatenate([r[sure[r] >= np.quantile(sure[r], 1.0 - keep)] for r in (np.flatnonzero(picks == t) for t in np.unique(picks))])
        return np.sort(rows), np.ones(len(rows))
    if select == "reweighted":
        rows = np.flatnonzero(sure >= np.quantile(sure, 1.0 - keep))
        every = np.bincount(picks, minlength=picks.max() + 1) / len(picks)
        taken = np.bincount(picks[rows], minlength=picks.max() + 1) / len(rows)
        return rows, every[picks[rows]] / taken[picks[rows]]
    from newstag.errors import TrainingError

    raise TrainingError(f"unknown selection {select!r}; 'per-topic' or 'reweighted'")


def self_trained_head(
    model, parts: list[tuple[str, str]], c: float | None = None, keep: float | None = None, combine: str | None = None, select: str | None = None
) -> tuple[np.ndarray, np.ndarray, dict]:
    """(top_coef, top_bias, facts) of `model`'s head self-trained on `parts` (no labels): see the
    module docstring. `c` defaults to the model's own C (manifest "c"); `keep` (the share of the
    surest picks learnt from), `select` (how: see `surest`) and `combine` ("product" or
    "student") to the module's choices."""
    from sklearn.linear_model import LogisticRegression  # training only
    from scipy import sparse

    from newstag.errors import TrainingError
    from newstag.topics.train import DEFAULT_C

    c = float(c or model.manifest.get("c") or DEFAULT_C)
    keep = SELF_TRAINING_KEEP if keep is None else float(keep)
    combine = combine or SELF_TRAINING_COMBINE
    select = select or SELF_TRAINING_SELECT
    if combine not in SELF_TRAINING_COMBINES:
        raise TrainingError(f"unknown combination {combine!r}; 'product' or 'student'")
    k = len(model.top_level)
    codes = [model.labels[j].code for j in model.top_level]
    column = {j: i for i, j in enumerate(model.top_level)}
    _, picks = model.score_and_top(parts)
    y = np.array([column[j] for j in picks], dtype=np.int64)
    x = model.featurizer.transform_articles(parts, model.config).tocsr()
    mix = np.bincount(y, minlength=k) / max(len(y), 1)
    # How sure the head is of each pick; the regression learns from the surest `keep` of them.
    sure = head_posteriors(model, np.asarray(x @ model.top_coef, dtype=np.float64))[np.arange(len(y)), y] if keep < 1.0 else np.ones(len(y))
    chosen, weight = surest(y, sure, keep, select)
    x, y = x[chosen], y[chosen]
    doc_parts, doc_y = pseudo_documents(model)
    if len(doc_y):
        per_topic = np.bincount(doc_y, minlength=k).astype(np.float64)
        x = sparse.vstack([x, model.featurizer.transform_texts([f"{t}\n{b}" for t, b in doc_parts]).tocsr()]).tocsr()
        weight = np.concatenate([weight, SMOOTHING / per_topic[doc_y]])
        y = np.concatenate([y, doc_y])
    seen = np.unique(y)
    if len(seen) < 2:
        raise TrainingError(f"every article of the archive got the same topic ({codes[seen[0]]}) and the model has no IPTC pseudo-documents; self-training needs two topics at least")
    lr = LogisticRegression(C=c, max_iter=SELF_TRAINING_MAX_ITER).fit(x, y, sample_weight=weight)
    w = np.zeros((x.shape[1], k))
    b = np.full(k, lr.intercept_.min())  # a topic no text has (a non-IPTC model): the rarest's odds
    if len(seen) == 2:  # binary: sklearn keeps one row, for the second class
        w[:, seen[1]] = lr.coef_[0]
        b[seen] = (0.0, lr.intercept_[0])
    else:
        w[:, seen] = lr.coef_.T
        b[seen] = lr.intercept_
    top_coef, top_bias = combined_head(model, w, b, combine)
    facts = {
        "method": f"self-training: a logistic regression on the archive's text learns the model's {'picks' if keep >= 1.0 else f'surest {keep:.0%} of picks ({select})'}; {SELF_TRAINING_COMBINES[combine]} (no labels)",
        "texts": len(picks),
        "learnt_from": int(len(chosen)),
        "keep": keep,
        "select": select,
        "combine": combine,
        "pseudo_documents": int(len(doc_y)),
        "c": c,
        "pseudo_label_mix": {cd: round(float(m), 4) for cd, m in zip(codes, mix) if m > 0},  # of every text
    }
    return top_coef, top_bias, facts


def combined_head(model, w: np.ndarray, b: np.ndarray, combine: str) -> tuple[np.ndarray, np.ndarray]:
    """The adapted head (top_coef, top_bias) from the regression's weights and intercepts, in the
    head's units (divided by its temperature)."""
    from newstag.errors import TrainingError

    t = model.head_temperature
    if combine == "product":
        return (model.top_coef.astype(np.float64) + w / t).astype(np.float32), (np.asarray(model.top_bias, dtype=np.float64) + b / t).astype(np.float32)
    if combine == "student":
        return (w / t).astype(np.float32), (b / t).astype(np.float32)
    raise TrainingError(f"unknown combination {combine!r}; 'product' or 'student'")


def adapt_model(model, parts: list[tuple[str, str]], source: str, smoothing: float = SMOOTHING):
    """`model` with its head prior re-estimated on `parts` by EM; the manifest records what from."""
    bias, prior, iterations = adapted_bias(model, parts, smoothing)
    model.top_bias = bias
    codes = [model.labels[j].code for j in model.top_level]
    model.manifest = {
        **model.manifest,
        "adapted_prior": {
            "method": "EM re-estimation of the top-level prior from the model's own posteriors (Saerens et al. 2002), no labels",
            "source": source,
            "texts": len(parts),
            "smoothing": smoothing,
            "iterations": iterations,
            "prior": {c: round(float(p), 4) for c, p in zip(codes, prior)},
        },
    }
    return model


def self_train_model(model, parts: list[tuple[str, str]], source: str):
    """`model` with its head self-trained on `parts`; the manifest records what from."""
    top_coef, top_bias, facts = self_trained_head(model, parts)
    model.set_head(top_coef, top_bias)
    model.manifest = {**model.manifest, "adapted_head": {**facts, "source": source}}
    return model


def adapt_archive(archive: Path, out_dir: Path, base_model_dir: Path | None = None, text_field: str = "text", method: str = "self-training") -> dict:
    """`newstag train --adapt ARCHIVE.jsonl -o DIR`: a copy of the model (default: the shipped one)
    adapted to the archive without labels: self-trained (the default) or, with method "prior",
    only its head prior re-estimated by EM. Returns the manifest's entry for the adaptation."""
    from newstag.errors import TrainingError
    from newstag.topics.model import TopicModel, shipped_model_dir
    from newstag.topics.train import read_archive_texts

    if method not in ADAPT_METHODS:
        raise TrainingError(f"unknown adaptation {method!r}; choose one of {', '.join(ADAPT_METHODS)}")
    model = TopicModel.load(base_model_dir if base_model_dir else shipped_model_dir())
    if model.top_coef is None or not model.head_temperature:
        raise TrainingError(f"topic model {base_model_dir or 'shipped'} has no calibrated top head to adapt; retrain it with `newstag train --shipped`")
    parts, in_archive = read_archive_texts(archive, text_field, limit=MAX_ARCHIVE_TEXTS)
    if len(parts) < MIN_ARCHIVE_TEXTS:
        raise TrainingError(f"{archive}: {len(parts)} articles with text; adapting needs at least {MIN_ARCHIVE_TEXTS}")
    if method == "prior":
        model = adapt_model(model, parts, source=str(archive))
    else:
        model = self_train_model(model, parts, source=str(archive))
    key = ADAPT_METHODS[method]
    model.manifest[key] = {**model.manifest[key], "archive_texts": in_archive}
    model.manifest = {**model.manifest, "model": f"{model.manifest.get('model', 'custom')}+adapted"}
    model.save(out_dir)
    return model.manifest[key]


def with_bias(model, bias: np.ndarray):
    """A shallow copy of `model` whose head carries `bias` (evaluation of an adapted prior)."""
    return with_head(model, model.top_coef, bias)


def with_head(model, top_coef: np.ndarray, bias: np.ndarray):
    """A shallow copy of `model` with another head (evaluation of an adapted one)."""
    import copy

    out = copy.copy(model)
    out.set_head(top_coef, bias)
    return out


__all__ = ["ADAPT_METHODS", "adapt_archive", "adapt_model", "adapted_bias", "em_prior", "head_posteriors", "self_train_model", "self_trained_head", "softmax", "with_bias", "with_head"]
