"""`newstag eval topics --adapt-choice`: self-training's choices, searched on open data.

Self-training (topics/adapt.py) has three choices: how much of the archive to learn from (the
share `keep` of its texts whose pick the model's head is surest of), how that share keeps the
archive's mix of topics (`select`: the surest of each topic, or the surest of all reweighted) and
whether the adapted head is the product of the regression and the model's head or the
regression alone. None may be read from the research-only dev sets, so they are searched on a
shift between the two open corpora:

    a throwaway model is trained on one open corpus's train split (Wikipedia Current Events, or
    HuffPost), as the shipped one is but without the other corpus; it is self-trained on the
    other corpus's train-split TEXT (labels unread) and scored, top-1 level-1 accuracy, on that
    other corpus's dev labels (open, CC BY-SA / CC BY 4.0)

in both directions, and the variant with the best mean gain over the throwaway model is printed.
It is NOT what topics/adapt.py ships. On these short texts learning from the surest picks alone
wins (the regression alone on the surest 15%, reweighted: +0.069 against +0.018 for every text
with the product); on full articles the surest picks are the stereotyped ones, and that
variant, measured on the research dev sets after it was chosen, fell to BBC 0.534 and AG News
0.628 (every text with the product: 0.910 and 0.833). The shipped choice stays the a-priori one
(SELF_TRAINING_KEEP, SELF_TRAINING_COMBINE), and this search is kept as the record of why. The
throwaway models are never written. Runs for about ten minutes on two cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

# Shares of the archive learnt from, and the combinations, tried.
KEEP_GRID = (1.0, 0.5, 0.25, 0.15, 0.1)
SELECTS = ("per-topic", "reweighted")
COMBINES = ("product", "student")
DIRECTIONS = (("wikipedia_current_events", "huffpost_news_category"), ("huffpost_news_category", "wikipedia_current_events"))


def _source_model(train, groups: list[str], tax, labels, shipped: dict):
    """A model trained on `train` (one open corpus; `groups` its examples' groups), by the shipped
    model's choices (`shipped`: its manifest's C, head smoothing and view) without choosing them again."""
    from newstag.topics.features import FeatureConfig
    from newstag.topics.shipped import CAPITALS_IS_ARTICLE, PSEUDO_DOC_WEIGHT, TITLED_IS_ARTICLE, VALIDATION_SHARE, fit_temperature, taxonomy_examples, top_level_gold
    from newstag.topics.train import Examples, fit_model, split_rows

    pseudo = taxonomy_examples(tax, labels)
    held = split_rows(groups, share=VALIDATION_SHARE)
    fit, calibration = train.subset(~held), train.subset(held)
    # One corpus lacks some topics (Wikipedia has no human-interest items): the taxonomy's
    # pseudo-documents are added as training texts too, so every class has positives.
    ones = np.ones(pseudo.positive.shape, dtype=np.float32)
    fit = Examples(
        fit.parts + pseudo.parts,
        np.vstack([fit.positive, pseudo.positive]),
        np.vstack([fit.known, pseudo.known]),
        np.vstack([fit.weight, ones]),
        np.vstack([fit.head_positive, pseudo.positive]),
    )
    c, head = float(shipped["c"]), shipped["top_head"]
    model = fit_model(labels, fit, calibration, FeatureConfig(), c=c, head_examples=pseudo, head_weight=PSEUDO_DOC_WEIGHT, cnb_alpha=head["cnb_alpha"], unigram_view=head["unigram_view"])
    model.titled_is_article, model.capitals_is_article = TITLED_IS_ARTICLE, CAPITALS_IS_ARTICLE
    keep, gold = top_level_gold(model, calibration)
    values = np.asarray(model.featurizer.transform_articles([p for p, k in zip(calibration.parts, keep) if k], model.config) @ model.top_coef, dtype=np.float64)
    model.head_temperature = fit_temperature(values, gold)
    model.manifest = {"c": c}
    return model


def _top1(model, parts, gold) -> float:
    _, top = model.score_and_top(parts)
    column = {j: i for i, j in enumerate(model.top_level)}
    return float(np.mean([gold[i, column[j]] for i, j in enumerate(top)]))


def run_adapt_choice(shared_dir: Path, keeps=KEEP_GRID, log=None) -> dict:
    """{"directions": {"src->tgt": {"source": top-1, "<combine> <select> <keep>": top-1, ...}},
    "mean_gain": {variant: gain}, "chosen": {"combine": c, "select": s, "keep": k}}."""
    from newstag.topics.adapt import self_trained_head, with_head
    from newstag.topics.model import TopicModel, shipped_model_dir
    from newstag.topics.shipped import corpus_examples, shipped_labels, top_level_gold
    from newstag.topics.taxonomy import iptc

    shared = Path(shared_dir)
    tax = iptc()
    labels = shipped_labels(tax)
    shipped = TopicModel.load(shipped_model_dir()).manifest
    train, groups = corpus_examples(shared, "train", tax, labels)
    dev, dev_groups = corpus_examples(shared, "dev", tax, labels)
    t0 = time.time()
    out: dict = {"directions": {}}
    for source, target in DIRECTIONS:
        rows = np.array([g.startswith(source) for g in groups])
        model = _source_model(train.subset(rows), [g for g, r in zip(groups, rows) if r], tax, labels, shipped)
        target_text = [p for p, g in zip(train.parts, groups) if g.startswith(target)]
        target_dev = dev.subset(np.array([g.startswith(target) for g in dev_groups]))
        known, gold = top_level_gold(model, target_dev)
        dev_parts = [p for p, k in zip(target_dev.parts, known) if k]
        row = {"source": _top1(model, dev_parts, gold), "target_texts": len(target_text), "dev_texts": len(dev_parts)}
        for select in SELECTS:
            for keep in keeps:
                if keep >= 1.0 and select != SELECTS[0]:
                    continue  # no selection: the same as the first
                name = "all" if keep >= 1.0 else f"{select} {keep:g}"
                coef, bias, _ = self_trained_head(model, target_text, keep=keep, combine="product", select=select)
                row[f"product {name}"] = _top1(with_head(model, coef, bias), dev_parts, gold)
                # The regression alone is the product less the model's head.
                row[f"student {name}"] = _top1(with_head(model, coef - model.top_coef, bias - model.top_bias), dev_parts, gold)
                if log:
                    log(f"{source} -> {target}, {name}: product {row[f'product {name}']:.4f}, student {row[f'student {name}']:.4f} ({time.time() - t0:.0f}s)")
        out["directions"][f"{source}->{target}"] = row
    rows = list(out["directions"].values())
    variants = [n for n in rows[0] if n.startswith(COMBINES)]
    out["mean_gain"] = {n: float(np.mean([r[n] - r["source"] for r in rows])) for n in variants}
    best = max(out["mean_gain"], key=out["mean_gain"].get)
    combine, *rest = best.split()
    out["chosen"] = {"combine": combine, "select": rest[0] if len(rest) == 2 else None, "keep": float(rest[1]) if len(rest) == 2 else 1.0}
    return out


def print_adapt_choice(result: dict, file=sys.stdout) -> None:
    w = file.write
    w("\nSelf-training's choices, on open data only (a model of one open corpus adapted to the other's text, scored on its dev labels):\n")
    directions = list(result["directions"])
    w(f"  {'variant':<30} " + " ".join(f"{d.split('->')[0][:9] + '->' + d.split('->')[1][:9]:>20}" for d in directions) + f" {'mean gain':>10}\n")
    w(f"  {'the source model':<30} " + " ".join(f"{result['directions'][d]['source']:>20.4f}" for d in directions) + "\n")
    for name, gain in result["mean_gain"].items():
        w(f"  {name:<30} " + " ".join(f"{result['directions'][d][name]:>20.4f}" for d in directions) + f" {gain:>+10.4f}\n")
    c = result["chosen"]
    how = "every text" if c["select"] is None else f"the surest {c['keep']:.0%} ({c['select']})"
    w(f"  best on these short texts: {c['combine']}, learning from {how} (not shipped: topics/adapt.py SELF_TRAINING_KEEP says why)\n")
