"""Label-free adaptation of the top head to an archive: the topic prior re-estimated by EM.

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
Wikinews 2020 full articles) and by `newstag train --adapt ARCHIVE.jsonl -o DIR` (a user's own
archive, no labels needed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# Pseudo-texts per class in the M step (Laplace); chosen a priori, not tuned.
SMOOTHING = 1.0
MAX_ITERATIONS = 200
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


def adapt_model(model, parts: list[tuple[str, str]], source: str, smoothing: float = SMOOTHING):
    """`model` with its head prior re-estimated on `parts`; the manifest records what from."""
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


def adapt_archive(archive: Path, out_dir: Path, base_model_dir: Path | None = None, text_field: str = "text") -> dict:
    """`newstag train --adapt ARCHIVE.jsonl -o DIR`: a copy of the model (default: the shipped one)
    whose head prior is the archive's, estimated without labels. Returns the manifest."""
    from newstag.errors import TrainingError
    from newstag.topics.model import TopicModel, shipped_model_dir
    from newstag.topics.train import read_archive_texts

    model = TopicModel.load(base_model_dir if base_model_dir else shipped_model_dir())
    if model.top_coef is None or not model.head_temperature:
        raise TrainingError(f"topic model {base_model_dir or 'shipped'} has no calibrated top head to adapt; retrain it with `newstag train --shipped`")
    parts = read_archive_texts(archive, text_field)
    if len(parts) < 20:
        raise TrainingError(f"{archive}: {len(parts)} articles with text; adapting the prior needs at least 20")
    model = adapt_model(model, parts, source=str(archive))
    model.manifest = {**model.manifest, "model": f"{model.manifest.get('model', 'custom')}+adapted"}
    model.save(out_dir)
    return model.manifest


def with_bias(model, bias: np.ndarray):
    """A shallow copy of `model` whose head carries `bias` (evaluation of an adapted prior)."""
    import copy

    out = copy.copy(model)
    out.top_bias = np.asarray(bias, dtype=np.float32)
    return out


__all__ = ["adapt_archive", "adapt_model", "adapted_bias", "em_prior", "head_posteriors", "softmax", "with_bias"]
