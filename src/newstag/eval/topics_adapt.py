"""`newstag eval topics --adapt`: label-free adaptation of the top head, measured honestly.

For each research-only article corpus, the model is adapted (topics/adapt.py) on the TEXT of the
corpus's train split, its labels never read, both ways: the head's prior re-estimated by EM, and
the head self-trained (`newstag train --adapt`'s default). Each adapted model is scored on the dev
split with the same top-1 measure as `newstag eval topics`. This is research use of
those corpora: the adapted models live in memory and are never written or shipped. It answers
"how much does `newstag train --adapt ARCHIVE.jsonl` help a newsroom whose archive is like this".
"""

from __future__ import annotations

import sys
from pathlib import Path



from newstag.topics.corpora import read_jsonl

ADAPT_CORPORA = {"bbc_news": "bbc", "ag_news": "ag_news", "reuters21578": "reuters"}


def run_adapt_eval(shared_dir: Path, model_dir: Path | None = None) -> dict:
    """{set: {"train_texts": n, "before": top-1, "after": top-1 with the EM prior, "prior": {code: p},
    "self_trained": top-1 self-trained, "pseudo_label_mix": {code: share}}}."""
    from newstag.eval.topics import article_dev_sets, top1_accuracy
    from newstag.topics import TopicTagger
    from newstag.topics.adapt import adapted_bias, self_trained_head, with_bias, with_head
    from newstag.topics.taxonomy import iptc

    shared = Path(shared_dir)
    model = TopicTagger(model_dir).model
    if model.top_coef is None or not model.head_temperature:
        return {}
    sets = article_dev_sets(shared, iptc())
    codes = [model.labels[j].code for j in model.top_level]
    out = {}
    for corpus, name in ADAPT_CORPORA.items():
        train_text = [(r.get("title") or "", r.get("text") or "") for r in read_jsonl(shared / "data" / corpus / "train.jsonl")]
        train_text = [p for p in train_text if (p[0] + p[1]).strip()]
        bias, prior, iterations = adapted_bias(model, train_text)
        top_coef, top_bias, facts = self_trained_head(model, train_text)
        s = sets[name]
        out[name] = {
            "train_texts": len(train_text),
            "iterations": iterations,
            "before": round(top1_accuracy(model, s.parts, s.gold), 4),
            "after": round(top1_accuracy(with_bias(model, bias), s.parts, s.gold), 4),
            "prior": {c: round(float(p), 3) for c, p in zip(codes, prior) if p >= 0.02},
            "self_trained": round(top1_accuracy(with_head(model, top_coef, top_bias), s.parts, s.gold), 4),
            "pseudo_label_mix": {c: round(p, 3) for c, p in facts["pseudo_label_mix"].items() if p >= 0.02},
        }
    return out


def print_adapt(result: dict, file=sys.stdout) -> None:
    w = file.write
    w("\nLabel-free adaptation to the train split's text (no labels; scored on dev; never shipped):\n")
    if not result:
        w("  the model has no calibrated top head to adapt\n")
        return
    w(f"  {'set':<10} {'texts':>6} {'shipped':>8} {'EM prior':>9} {'self-trained':>13}  EM prior (>= 0.02)\n")
    for name, v in result.items():
        prior = ", ".join(f"{c.split(':')[1][:2]}:{p:.2f}" for c, p in sorted(v["prior"].items(), key=lambda cp: -cp[1]))
        w(f"  {name:<10} {v['train_texts']:>6} {v['before']:>8.3f} {v['after']:>9.3f} {v['self_trained']:>13.3f}  {prior}\n")

