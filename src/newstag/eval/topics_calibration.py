"""Calibration of General's scores: reliability table and expected calibration error (ECE).

    one-vs-rest   every calibrated score of a level-1 topic on the Wikipedia Current Events +
                  HuffPost dev splits (open, and read by no step of the shipped build), each
                  (item, topic) cell whose gold is known; the event is "the topic applies"
    top head      the head's probability of its pick (softmax of the tempered head, topics/adapt.py)
                  on each article dev set; the event is "the pick is a gold topic"

ECE = sum over bins of (bin count / N) * |observed frequency - mean score|, ten equal-width bins.
"""

from __future__ import annotations

import sys

import numpy as np

BINS = 10


def reliability(scores: np.ndarray, outcome: np.ndarray, bins: int = BINS) -> dict:
    """{"ece", "n", "bins": [{"lo", "hi", "n", "mean_score", "observed"}]} over flat arrays."""
    scores = np.asarray(scores, dtype=np.float64).ravel()
    outcome = np.asarray(outcome, dtype=bool).ravel()
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, scores, side="right") - 1, 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        m = which == b
        n = int(m.sum())
        if not n:
            rows.append({"lo": round(edges[b], 2), "hi": round(edges[b + 1], 2), "n": 0, "mean_score": None, "observed": None})
            continue
        conf, freq = float(scores[m].mean()), float(outcome[m].mean())
        ece += n / len(scores) * abs(freq - conf)
        rows.append({"lo": round(edges[b], 2), "hi": round(edges[b + 1], 2), "n": n, "mean_score": round(conf, 4), "observed": round(freq, 4)})
    return {"ece": round(ece, 4), "n": int(len(scores)), "bins": rows}


def print_reliability(name: str, table: dict, file=sys.stdout) -> None:
    w = file.write
    w(f"  {name}: ECE {table['ece']:.3f} over {table['n']} scores\n")
    w(f"    {'bin':<11} {'n':>7} {'mean score':>11} {'observed':>9}\n")
    for r in table["bins"]:
        if r["n"]:
            w(f"    {r['lo']:.1f}-{r['hi']:.1f}    {r['n']:>7} {r['mean_score']:>11.3f} {r['observed']:>9.3f}\n")
