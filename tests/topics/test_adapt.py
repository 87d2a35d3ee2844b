"""Label-free adaptation (topics/adapt.py): EM re-estimation of the topic prior, self-training."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from newstag.cli import app
from newstag.topics.adapt import em_prior, head_posteriors, head_values, softmax
from newstag.topics.model import TopicModel, shipped_model_dir


def test_em_recovers_the_prior_of_a_shifted_sample():
    # Posteriors of a classifier trained with a uniform prior, computed exactly from known
    # class-conditional likelihoods, on texts drawn 70/20/10: EM must find that mix.
    rng = np.random.default_rng(0)
    true_prior = np.array([0.7, 0.2, 0.1])
    labels = rng.choice(3, size=4000, p=true_prior)
    means = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, -2.0]])
    x = means[labels] + rng.normal(size=(4000, 2))
    loglik = -0.5 * ((x[:, None, :] - means[None]) ** 2).sum(axis=2)
    posteriors = softmax(loglik)  # uniform prior
    prior, iterations = em_prior(posteriors, smoothing=0.0)
    assert np.abs(prior - true_prior).max() < 0.03
    assert iterations > 1
    # Smoothing keeps a class the sample lacks possible.
    absent = em_prior(posteriors[labels != 2], smoothing=1.0)[0]
    assert 0 < absent[2] < 0.02


# Written for this test: an archive of sports stories, no labels.
SPORT = [
    {"title": f"United win {n}-1 away", "text": f"A late goal from the striker gave United a {n}-1 league win; the coach praised the defence and the goalkeeper saved a penalty before the cup tie."}
    for n in range(2, 32)
]


def test_train_adapt_prior_writes_a_model_whose_prior_follows_the_archive(tmp_path):
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(json.dumps(r) for r in SPORT) + "\nnot json\n", encoding="utf-8")
    bad = CliRunner().invoke(app, ["train", "--adapt", str(archive), "--adapt-method", "prior", "-o", str(tmp_path / "m")])
    assert bad.exit_code != 0 and "line 31" in (bad.output + str(bad.exception))
    archive.write_text("\n".join(json.dumps(r) for r in SPORT) + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["train", "--adapt", str(archive), "--adapt-method", "prior", "-o", str(tmp_path / "m")])
    assert out.exit_code == 0, out.output
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    prior = manifest["adapted_prior"]["prior"]
    assert max(prior, key=prior.get) == "medtop:15000000"  # sport
    assert manifest["adapted_prior"]["texts"] == len(SPORT)
    assert "adapted_head" not in manifest
    assert (tmp_path / "m" / "depth.json").is_file()


# Written for this test: a club's desk. Its stories are sport; they name the club's owner, a
# brewery, whose name alone says nothing of sport to the shipped model.
CLUB = [
    {"title": f"Harbour Brewery XI take derby {n}-0", "text": f"The Harbour Brewery side won the derby {n}-0 at home; the striker scored twice and the keeper kept a clean sheet in the league."}
    for n in range(1, 21)
] + [
    {"title": f"Brewery XI draw in the cup, round {n}", "text": f"Harbour Brewery drew {n}-{n} in the cup tie after extra time; the coach rested three players before the league match."}
    for n in range(1, 21)
]
ELECTION = ("Parliament votes on the budget", "The prime minister lost a vote in parliament on the budget, and the opposition called for an election; ministers met the president.")


def _sport_and_pick(model_dir, parts):
    model = TopicModel.load(model_dir)
    p = head_posteriors(model, head_values(model, parts))
    sport = [model.labels[j].code for j in model.top_level].index("medtop:15000000")
    _, top = model.score_and_top(parts)
    return p[:, sport], [model.labels[j].code for j in top]


def test_self_training_carries_the_archive_words_to_its_unclear_stories(tmp_path):
    archive = tmp_path / "club.jsonl"
    archive.write_text("\n".join(json.dumps(r) for r in CLUB) + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["train", "--adapt", str(archive), "-o", str(tmp_path / "m")])
    assert out.exit_code == 0, out.output
    facts = json.loads((tmp_path / "m" / "manifest.json").read_text())["adapted_head"]
    assert facts["texts"] == facts["archive_texts"] == len(CLUB) and facts["pseudo_label_mix"]["medtop:15000000"] > 0.9
    assert facts["pseudo_documents"] > 500  # every IPTC topic keeps the weight of one text
    # A story that names the club and nothing of the game: the archive taught that its name is sport.
    unclear = [("Harbour Brewery news", "Harbour Brewery announced its plans for the new season on Tuesday.")]
    before, _ = _sport_and_pick(shipped_model_dir(), unclear)
    after, _ = _sport_and_pick(tmp_path / "m", unclear)
    assert after[0] > before[0] + 0.2, (before, after)
    # A topic the archive lacks stays possible: a plain politics story is still politics.
    _, picks = _sport_and_pick(tmp_path / "m", [ELECTION])
    assert picks == ["medtop:11000000"]


def test_train_adapt_refuses_a_tiny_archive(tmp_path):
    archive = tmp_path / "small.jsonl"
    archive.write_text("\n".join(json.dumps(r) for r in SPORT[:5]) + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["train", "--adapt", str(archive), "-o", str(tmp_path / "m")])
    assert out.exit_code == 4
    assert "at least 20" in out.output
    out = CliRunner().invoke(app, ["train", "--adapt", str(archive), "--adapt-method", "guess", "-o", str(tmp_path / "m")])
    assert out.exit_code == 4 and "unknown adaptation" in out.output


@pytest.mark.parametrize("bins", [10])
def test_reliability_of_calibrated_and_overconfident_scores(bins):
    from newstag.eval.topics_calibration import reliability

    rng = np.random.default_rng(1)
    p = rng.uniform(size=20000)
    calibrated = reliability(p, rng.uniform(size=p.size) < p, bins)
    assert calibrated["ece"] < 0.02 and calibrated["n"] == p.size
    over = reliability(np.where(p > 0.5, 0.99, 0.01), rng.uniform(size=p.size) < p, bins)
    assert over["ece"] > 0.2


def test_self_training_learns_from_the_surest_share_and_combines_either_way():
    from newstag.topics.adapt import self_trained_head

    model = TopicModel.load(shipped_model_dir())
    parts = [(r["title"], r["text"]) for r in CLUB + SPORT] + [ELECTION] * 10
    product_coef, product_bias, facts = self_trained_head(model, parts, keep=0.5, combine="product")
    assert facts["texts"] == len(parts) and abs(facts["learnt_from"] - len(parts) / 2) <= 1
    student_coef, student_bias, facts_s = self_trained_head(model, parts, keep=0.5, combine="student")
    assert facts_s["learnt_from"] == facts["learnt_from"]
    # The product is the model's head plus the regression; the student is the regression alone.
    assert np.allclose(product_coef - model.top_coef, student_coef, atol=1e-3)
    assert np.allclose(product_bias - model.top_bias, student_bias, atol=1e-3)
    with pytest.raises(Exception, match="unknown combination"):
        self_trained_head(model, parts, combine="sum")


def test_the_surest_share_keeps_the_archive_mix():
    from newstag.topics.adapt import surest

    # 900 picks of topic 0, of which the head is sure, and 100 of topic 1, of which it is not.
    picks = np.array([0] * 900 + [1] * 100)
    sure = np.concatenate([np.linspace(0.8, 1.0, 900), np.linspace(0.3, 0.6, 100)])
    rows, weight = surest(picks, sure, 0.5, "per-topic")
    assert np.bincount(picks[rows]).tolist() == [450, 50] and (weight == 1).all()
    assert sure[rows][picks[rows] == 1].min() >= 0.45  # the surer half of topic 1's picks
    rows, weight = surest(picks, sure, 0.5, "reweighted")
    assert (picks[rows] == 0).all()  # the surest half of all picks is topic 0's alone ...
    assert np.allclose(weight, 0.9)  # its share of all picks over its share of those taken
    rows, weight = surest(picks, sure, 0.95, "reweighted")
    mix = np.bincount(picks[rows], weights=weight) / weight.sum()
    assert np.allclose(mix, [0.9, 0.1])  # ... and reweighting gives the taken ones the archive's mix
    rows, weight = surest(picks, sure, 1.0, "per-topic")
    assert len(rows) == len(picks)


def test_a_large_archive_is_read_as_a_uniform_seeded_sample(tmp_path):
    from newstag.topics.train import read_archive_texts

    archive = tmp_path / "big.jsonl"
    rows = [{"title": f"t{n}", "text": f"story number {n}"} for n in range(1000)] + [{"text": "  "}]
    archive.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    every, n = read_archive_texts(archive)
    assert n == 1000 and len(every) == 1000  # the blank text is not counted
    sample, n = read_archive_texts(archive, limit=100)
    assert n == 1000 and len(sample) == len(set(sample)) == 100
    numbers = [int(t[1:]) for t, _ in sample]
    assert numbers == sorted(numbers)  # in file order
    assert numbers[0] < 100 and numbers[-1] >= 900  # from the whole file, not its head
    assert read_archive_texts(archive, limit=100)[0] == sample  # the same file, the same sample
