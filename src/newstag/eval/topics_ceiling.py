"""`newstag eval topics --ceiling`: how well a linear model does IN-DOMAIN, as a yardstick.

The shipped model may only learn from openly licensed short texts (Wikipedia Current Events
summaries, HuffPost headlines) and is measured on full articles from other desks (BBC News, AG
News). Part of its error is the shift between those domains and between the desks' label
conventions (AG News files a Cisco takeover under Sci/Tech, IPTC under economy). To see how much,
this trains a throwaway TF-IDF (words and word pairs) model on each research-only corpus's OWN
train split and scores its dev split with the same top-1 measure as `newstag eval topics`.

Evaluation use only: the throwaway models live in memory and are never written, shipped or mixed
into the shipped model (research-only licences; see topics/corpora.EVALUATION_ONLY). Reuters is
left out: its economy-share figure asks whether economy beats sixteen other topics, and Reuters
train has almost no stories of those other topics to learn them from.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from newstag.topics.corpora import read_jsonl

# Corpus -> the desk labels scored (as in eval/topics.article_dev_sets: AG's World is a desk, not a topic).
CEILING_SETS = {
    "bbc_news": None,
    "ag_news": frozenset({"Sports", "Business", "Sci/Tech"}),
}


def run_ceiling(shared_dir: Path) -> dict:
    """{corpus: {"train": n, "dev": n, "logistic": acc, "complement_nb": acc}}."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB

    out = {}
    for corpus, keep in CEILING_SETS.items():
        splits = {}
        for split in ("train", "dev"):
            recs = [r for r in read_jsonl(Path(shared_dir) / "data" / corpus / f"{split}.jsonl") if r.get("topics")]
            if keep is not None:
                recs = [r for r in recs if r["topics"][0] in keep]
            splits[split] = ([f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in recs], np.array([r["topics"][0] for r in recs]))
        (train_x, train_y), (dev_x, dev_y) = splits["train"], splits["dev"]
        vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2)
        x, xd = vectorizer.fit_transform(train_x), vectorizer.transform(dev_x)
        row = {"train": len(train_y), "dev": len(dev_y)}
        for name, clf in (("logistic", LogisticRegression(C=10.0, max_iter=3000)), ("complement_nb", ComplementNB(alpha=0.3))):
            clf.fit(x, train_y)
            row[name] = round(float(np.mean(clf.predict(xd) == dev_y)), 4)
        out[corpus] = row
    return out


def print_ceiling(result: dict, shipped_top1: dict | None = None, file=sys.stdout) -> None:
    w = file.write
    w("\nIn-domain ceiling (a throwaway linear model trained on the corpus's own train split; never shipped):\n")
    w(f"  {'corpus':<10} {'train':>6} {'dev':>5} {'logistic':>9} {'CNB':>6} {'shipped':>8}\n")
    names = {"bbc_news": "bbc", "ag_news": "ag_news"}
    for corpus, v in result.items():
        shipped = (shipped_top1 or {}).get(names[corpus])
        s = f"{shipped:.3f}" if shipped is not None else "-"
        w(f"  {names[corpus]:<10} {v['train']:>6} {v['dev']:>5} {v['logistic']:>9.3f} {v['complement_nb']:>6.3f} {s:>8}\n")
