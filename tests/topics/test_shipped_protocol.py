"""The honest protocol (topics/shipped.py), end to end on a small slice of the open corpora: the
shipped build needs nothing but the open train files, Wikinews (text, and our hand labels of it
in the package) and the mappings. A ../shared
without BBC News, AG News, Reuters-21578 and without any dev file still builds, so the build
cannot be reading them."""

import json
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _slice(src: Path, dst: Path, every: int) -> int:
    dst.parent.mkdir(parents=True, exist_ok=True)
    with src.open(encoding="utf-8") as f, dst.open("w", encoding="utf-8") as out:
        lines = [line for i, line in enumerate(f) if i % every == 0]
        out.writelines(lines)
    return len(lines)


def test_the_shipped_build_reads_only_open_training_inputs(tmp_path):
    if not (SHARED / "data" / "wikinews_2020" / "articles.jsonl").exists():
        pytest.skip("../shared/data is absent")
    from newstag.topics.shipped import build_shipped_model

    shared = tmp_path / "shared"
    shutil.copytree(SHARED / "data" / "mappings", shared / "data" / "mappings")
    # Every 5th training line of each open corpus: all sections, some 15,000 examples.
    _slice(SHARED / "data" / "wikipedia_current_events" / "train.jsonl", shared / "data" / "wikipedia_current_events" / "train.jsonl", 5)
    _slice(SHARED / "data" / "huffpost_news_category" / "train.jsonl", shared / "data" / "huffpost_news_category" / "train.jsonl", 5)
    _slice(SHARED / "data" / "wikinews_2020" / "articles.jsonl", shared / "data" / "wikinews_2020" / "articles.jsonl", 1)
    out = tmp_path / "model"
    manifest = build_shipped_model(shared, out_dir=out, c=2.0, log=lambda *_: None)

    files = {t["file"] for t in manifest["training_data"] if "file" in t}
    assert {"data/wikipedia_current_events/train.jsonl", "data/huffpost_news_category/train.jsonl", "data/wikinews_2020/articles.jsonl"} <= files
    assert manifest["top_head"]["prior"]["texts"] == 124
    assert 0.0 < manifest["threshold"]["probability"] < 1.0
    # Step 8: the full-article reading is chosen on our Wikinews hand labels (open text), from
    # its grids, and the head's bias is that share of the EM prior.
    from newstag.topics.shipped import LEAD_WEIGHT_GRID, PRIOR_WEIGHT_GRID, TITLE_WEIGHT_GRID

    reading = manifest["article_reading"]
    assert reading["articles"] == 122 and len(reading["tried_top1_main_any"]) == len(PRIOR_WEIGHT_GRID) * len(TITLE_WEIGHT_GRID) * len(LEAD_WEIGHT_GRID)
    assert reading["prior_weight"] in PRIOR_WEIGHT_GRID and reading["title_weight"] in TITLE_WEIGHT_GRID and reading["lead_weight"] in LEAD_WEIGHT_GRID
    assert max(sum(v) for v in reading["tried_top1_main_any"].values()) == pytest.approx(sum(reading["top1_main_any"]))
    assert any(t["corpus"].endswith("wikinews_2020_topics.jsonl") for t in manifest["training_data"])
    # The model it wrote loads and tags; its scores are probabilities, its head calibrated.
    from newstag.topics.model import TopicModel

    model = TopicModel.load(out)
    assert model.head_temperature > 0 and model.depth is not None
    # Depth's article calibration: fitted on the Wikinews hand labels, listed as a training input.
    assert model.depth["calibration"]["article"]["threshold"] > 0
    assert manifest["derived_inputs"]["depth_index"]["article_calibration"]["articles"] == 122  # the news ones, not the TEST PAGE stubs
    assert "newstag/eval/annotations/wikinews_2020_topics.jsonl" in files
    # Step 8c: the full-article calibration of the level-1 scores, on the same hand labels, at
    # the cross-validated precision-recall break-even point of its grid.
    from newstag.topics.model import ARTICLE_LEVEL1_FEATURES
    from newstag.topics.shipped import ARTICLE_LEVEL1_THRESHOLD_GRID

    level1 = manifest["article_level1_calibration"]
    assert level1["articles"] == 122 and level1["threshold"] in ARTICLE_LEVEL1_THRESHOLD_GRID
    tried = level1["tried_min_precision_recall_per_article"]
    assert len(tried) == len(ARTICLE_LEVEL1_THRESHOLD_GRID)
    assert tried[f"{level1['threshold']:g}"][0] == max(v[0] for v in tried.values())
    assert model.article_calibration["threshold"] == level1["threshold"] and len(model.article_calibration["coef"]) == len(ARTICLE_LEVEL1_FEATURES)
    scores, top = model.score_and_top([("Central bank raises rates", "The central bank raised interest rates as inflation rose.")])
    assert ((scores >= 0) & (scores <= 1)).all()
    assert json.loads((out / "manifest.json").read_text())["model"].endswith("-open")
