"""The depth index's calibration (topics/depth.py), fitted on openly licensed data only.

Training only (scikit-learn). Where the open corpora say something finer than level 1, a
phrase-index candidate can be checked. It is right when it is one of the text's finer codes (a
level-2 topic its source label determines, shipped.LEVEL2, or a code the ../shared mappings list
as typical of the label, `iptc_detail`), an ancestor of one, or beneath one. It is wrong only
where the source label determines the level-2 topic under the candidate's level-1 topic and the
candidate is none of those: a typical list is not the whole of what a label's texts are about,
so a code outside it is not known to be wrong. Other candidates are left out. From that:

1. On the training part: per code, how often its phrases occurred where its level-1 topic is the
   text's (level-1 right / seen), and, where the text's finer codes are known under that topic,
   how often the code was right (deeper right / seen). Rates are smoothed towards their pooled
   mean with SMOOTHING pseudo-counts, so a code seen once is not certain.
2. On the validation split, every candidate under a level-1 topic the model gave (the same
   choice as tagging) that can be checked (above): a logistic regression of "right" on
   depth.candidate_features. Its output is the probability a deeper code is right given its
   level-1 topic.
3. The threshold on that probability: the best F1 of the candidates on the validation split
   (THRESHOLD_GRID), as the level-1 threshold is chosen by micro-F1.

Branches whose finer codes no open label names (sport, religion, ...) get probabilities from the
same regression, through their codes' level-1 rate and hits; there, they are extrapolation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newstag.topics.depth import DEEPEST_GIVEN, DEPTH_FEATURES, DepthIndex, candidate_features

# Pseudo-counts of the smoothed rates (step 1): a priori, not fitted.
SMOOTHING = 2.0
# Thresholds tried (step 3).
THRESHOLD_GRID = tuple(round(0.05 * k, 2) for k in range(2, 20))


@dataclass(frozen=True, slots=True)
class DepthExample:
    """One open training text with what its source label says at level 1 and deeper."""

    group: str  # the validation split's group (shipped.example_group)
    title: str
    body: str
    level1: frozenset[str]  # level-1 codes the source label implies
    finer: frozenset[str]  # codes below level 1 the source label determines or lists as typical
    determined: frozenset[str] = frozenset()  # the level-2 codes the source label determines


def _lineage(code: str, index: DepthIndex) -> set[str]:
    """The code and its ancestors down to level 2."""
    out = set()
    while code is not None and index.level.get(code, 0) >= 2:
        out.add(code)
        code = index.parent.get(code)
    return out


def is_right(code: str, finer: frozenset[str], index: DepthIndex) -> bool:
    """The code is one of `finer`, beneath one, or an ancestor of one."""
    return bool(_lineage(code, index) & finer) or any(code in _lineage(g, index) for g in finer)


def checked(code: str, ex: DepthExample, index: DepthIndex) -> bool | None:
    """Whether a candidate under one of the text's level-1 topics is right (None: not known)."""
    root = index.root.get(code)
    if root not in {index.root.get(g) for g in ex.finer}:
        return None
    if is_right(code, ex.finer, index):
        return True
    return False if root in {index.root.get(g) for g in ex.determined} else None


def code_counts(index: DepthIndex, examples: list[DepthExample]) -> dict[str, list[int]]:
    """Step 1: code -> [level-1 right, seen, deeper right, deeper seen]."""
    out: dict[str, list[int]] = {}
    for ex in examples:
        if not ex.level1:
            continue  # a desk label: the level-1 topic is not known
        for code in index.counts(ex.title, ex.body):
            c = out.setdefault(code, [0, 0, 0, 0])
            root = index.root.get(code)
            c[1] += 1
            c[0] += root in ex.level1
            right = checked(code, ex, index) if root in ex.level1 and index.level.get(code) in (2, DEEPEST_GIVEN) else None
            if right is not None:
                c[3] += 1
                c[2] += right
    return out


def _rows(index: DepthIndex, examples: list[DepthExample], given: list[set[str]], cal: dict) -> tuple[np.ndarray, np.ndarray]:
    x, y = [], []
    for ex, level1 in zip(examples, given):
        for code, n in index.counts(ex.title, ex.body).items():
            right = checked(code, ex, index) if index.level.get(code) in (2, DEEPEST_GIVEN) and index.root.get(code) in level1 else None
            if right is not None:
                x.append(candidate_features(cal["code_counts"].get(code), n, index.level[code], cal))
                y.append(right)
    return np.array(x, dtype=np.float64).reshape(-1, len(DEPTH_FEATURES)), np.array(y, dtype=bool)


def _prf(decided: np.ndarray, right: np.ndarray) -> tuple[float, float, float]:
    tp = float((decided & right).sum())
    p = tp / decided.sum() if decided.any() else 0.0
    r = tp / right.sum() if right.any() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fit_depth_calibration(doc: dict, tax, train: list[DepthExample], validation: list[DepthExample], validation_given: list[set[str]]) -> tuple[dict, dict]:
    """Steps 1-3 for the depth document `doc` (build_depth_index). `validation_given[i]` holds the
    level-1 codes the model gives validation text i. Returns (the calibration for depth.json,
    validation figures for the manifest)."""
    from sklearn.linear_model import LogisticRegression

    index = DepthIndex(doc, tax)
    counts = code_counts(index, train)
    totals = np.array(list(counts.values()), dtype=np.float64).sum(axis=0) if counts else np.zeros(4)
    cal = {
        "features": list(DEPTH_FEATURES),
        "smoothing": SMOOTHING,
        "level1_prior": float(totals[0] / totals[1]) if totals[1] else 0.5,
        "deeper_prior": float(totals[2] / totals[3]) if totals[3] else 0.5,
        "code_counts": {c: v for c, v in sorted(counts.items())},
    }
    x, y = _rows(index, validation, validation_given, cal)
    if len(set(y.tolist())) < 2:
        raise ValueError(f"depth calibration: {len(y)} validation candidates, not both right and wrong ones; is the open data there?")
    reg = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    p = reg.predict_proba(x)[:, 1]
    by_threshold = {t: _prf(p >= t, y) for t in THRESHOLD_GRID}
    threshold = max(THRESHOLD_GRID, key=lambda t: (by_threshold[t][2], t))
    # The a-priori rule it replaces, on the same candidates.
    hits = np.exp(x[:, 1])
    rule = _prf(hits >= index.min_hits - 1e-9, y)
    cal.update({"coef": [float(w) for w in reg.coef_[0]], "intercept": float(reg.intercept_[0]), "threshold": threshold})
    figures = {
        "validation_candidates": int(len(y)),
        "right_share": round(float(y.mean()), 4),
        "threshold": threshold,
        "chosen_by": "F1 of the validation candidates",
        "precision_recall_f1": [round(v, 4) for v in by_threshold[threshold]],
        "min_hits_rule_precision_recall_f1": [round(v, 4) for v in rule],
        "by_threshold": {f"{t:g}": [round(v, 4) for v in by_threshold[t]] for t in THRESHOLD_GRID},
    }
    return cal, figures
