"""End to end on a small corpus written here: train -> model dir -> TopicTagger(model_dir)."""

import json
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from newstag.errors import TrainingError
from newstag.topics import TopicTagger
from newstag.topics.model import MODEL_FORMAT
from newstag.topics.train import train_model
from newstag.types import Article, Span

VOCAB = {
    "harbour": ["ferry", "harbour", "dock", "tide", "fishing boats", "pier", "cargo", "crane", "quay", "sailors"],
    "school": ["pupils", "teachers", "classroom", "exam results", "headteacher", "timetable", "homework", "school board"],
    "football": ["striker", "goalkeeper", "match", "league table", "penalty", "coach", "kick-off", "stadium"],
}
FILLER = ["the", "a", "on", "yesterday", "said", "officials", "town", "local", "new", "after", "week"]


def _sentence(rng: random.Random, topic: str) -> str:
    words = rng.sample(VOCAB[topic], 3) + rng.sample(FILLER, 4)
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def _write_corpus(path: Path, n_per_class: int = 40, seed: int = 0) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n_per_class):
            for topic in VOCAB:
                rec = {"title": _sentence(rng, topic), "text": " ".join(_sentence(rng, topic) for _ in range(3)), "desk": [topic]}
                f.write(json.dumps(rec) + "\n")


def _article(title: str, body: str) -> Article:
    return Article(id="t", text=body, title=title, title_span=None, body=Span(0, len(body)), dateline=None, agencies=(), footer=())


def test_train_then_tag_with_the_custom_model(tmp_path):
    data = tmp_path / "archive.jsonl"
    _write_corpus(data)
    manifest = train_model(data, "desk", None, tmp_path / "model")
    assert manifest["training_data"][0]["records"] == 120
    assert set(manifest["classes"]) == set(VOCAB)

    tagger = TopicTagger(tmp_path / "model")
    out = tagger.predict(
        [
            _article("Ferry delayed at the pier", "The cargo crane at the quay broke and fishing boats waited for the tide."),
            _article("Exam results out", "Pupils and teachers at the school board meeting discussed homework."),
            _article("Late penalty wins it", "The striker scored past the goalkeeper in front of a full stadium."),
        ]
    )
    assert [o[0].code for o in out] == ["harbour", "school", "football"]
    for topics in out:
        assert all(0.0 <= t.score <= 1.0 for t in topics)
        assert list(topics) == sorted(topics, key=lambda t: -t.score)


def test_training_is_deterministic_and_writes_no_pickle(tmp_path):
    data = tmp_path / "archive.jsonl"
    _write_corpus(data)
    train_model(data, "desk", None, tmp_path / "a")
    train_model(data, "desk", None, tmp_path / "b")
    a, b = np.load(tmp_path / "a" / "model.npz", allow_pickle=False), np.load(tmp_path / "b" / "model.npz", allow_pickle=False)
    for key in a.files:
        assert np.array_equal(a[key], b[key]), key
    # every array is a plain numeric array: no object arrays, so nothing in the npz needs pickle
    with zipfile.ZipFile(tmp_path / "a" / "model.npz") as z:
        for name in z.namelist():
            assert b"\x80\x04\x95" not in z.read(name)[:64]  # pickle protocol header
    assert all(a[k].dtype != object for k in a.files)
    assert json.loads((tmp_path / "a" / "model.json").read_text())["format"] == MODEL_FORMAT


def test_hierarchical_taxonomy_gives_level_two_after_its_parent(tmp_path):
    taxonomy = tmp_path / "tax.json"
    taxonomy.write_text(json.dumps([
        {"code": "sea", "label": "Sea and coast"},
        {"code": "harbour", "label": "Harbour", "parent": "sea"},
        {"code": "learning", "label": "Learning"},
        {"code": "school", "label": "Schools", "parent": "learning"},
        {"code": "football", "label": "Football"},
    ]))
    data = tmp_path / "archive.jsonl"
    _write_corpus(data)
    train_model(data, "desk", taxonomy, tmp_path / "model")
    out = TopicTagger(tmp_path / "model").predict(
        [_article("Ferry at the pier", "Fishing boats and the cargo crane at the quay, sailors waited for the tide.")]
    )[0]
    codes = [t.code for t in out]
    assert codes[0] == "sea"
    assert codes[1] == "harbour" and out[1].level == 2 and out[1].label == "Harbour"


def test_one_class_is_not_enough(tmp_path):
    data = tmp_path / "one.jsonl"
    data.write_text("\n".join(json.dumps({"text": f"story {i}", "desk": ["only"]}) for i in range(10)))
    with pytest.raises(TrainingError, match="at least 2 classes"):
        train_model(data, "desk", None, tmp_path / "model")


def test_unknown_label_names_the_fix(tmp_path):
    taxonomy = tmp_path / "tax.json"
    taxonomy.write_text(json.dumps([{"code": "a", "label": "A"}, {"code": "b", "label": "B"}]))
    data = tmp_path / "x.jsonl"
    data.write_text(json.dumps({"text": "x", "desk": ["c"]}))
    with pytest.raises(TrainingError, match="--taxonomy"):
        train_model(data, "desk", taxonomy, tmp_path / "model")


def test_the_words_only_view_adds_to_the_word_rows_of_the_head_and_keeps_it_linear():
    from newstag.topics.features import FeatureConfig
    from newstag.topics.model import Label
    from newstag.topics.train import Examples, fit_model

    rng = random.Random(1)
    topics = list(VOCAB)
    parts = [(_sentence(rng, t), _sentence(rng, t)) for _ in range(30) for t in topics]
    positive = np.array([[t == u for u in topics] for _ in range(30) for t in topics])
    train = Examples(parts, positive, np.ones_like(positive))
    none = Examples([], positive[:0], positive[:0])
    labels = [Label(t, t, 1, None) for t in topics]
    plain = fit_model(labels, train, none, FeatureConfig())
    both = fit_model(labels, train, none, FeatureConfig(), unigram_view=0.5)
    u = plain.featurizer.n_unigrams
    assert u < plain.featurizer.n_features  # the corpus has word pairs
    np.testing.assert_array_equal(both.top_coef[u:], plain.top_coef[u:])
    assert not np.allclose(both.top_coef[:u], plain.top_coef[:u])
    # Still one linear head that reads the stories by their words.
    _, top = both.score_and_top([("Crane at the quay", "Fishing boats and sailors waited on the pier."), ("Homework", "Teachers set homework for pupils.")])
    assert [labels[j].code for j in top] == ["harbour", "school"]


def test_a_broken_article_calibration_names_the_fix(tmp_path):
    # model.json's optional article_calibration (model.ARTICLE_LEVEL1_FEATURES) must carry one
    # coefficient per feature and a threshold: a mismatched one would score every full article
    # with the wrong weights, so loading refuses it and says how to rebuild.
    from newstag.errors import ArtifactError
    from newstag.topics.model import ARTICLE_LEVEL1_FEATURES, TopicModel

    data = tmp_path / "archive.jsonl"
    _write_corpus(data)
    train_model(data, "desk", None, tmp_path / "model")
    doc_path = tmp_path / "model" / "model.json"
    doc = json.loads(doc_path.read_text())
    doc["article_calibration"] = {"coef": [1.0] * (len(ARTICLE_LEVEL1_FEATURES) + 1), "intercept": 0.0, "threshold": 0.5}
    doc_path.write_text(json.dumps(doc))
    with pytest.raises(ArtifactError, match="article_calibration.*newstag train"):
        TopicModel.load(tmp_path / "model")
    doc["article_calibration"]["coef"] = [1.0] * len(ARTICLE_LEVEL1_FEATURES)
    doc_path.write_text(json.dumps(doc))
    assert TopicModel.load(tmp_path / "model").article_calibration["threshold"] == 0.5
