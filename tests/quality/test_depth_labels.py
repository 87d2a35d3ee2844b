"""The hand labels of IPTC level-2/3 topics (newstag/eval/annotations) and the depth scorer."""

from collections import Counter

import pytest

from newstag.eval.depth import (
    BBC_PER_CLASS,
    REUTERS_SAMPLE,
    DepthLabel,
    draw_depth_sample,
    labelled_articles,
    load_depth_labels,
    score_depth,
)
from newstag.topics.taxonomy import iptc, taxonomy_from_json

# Real IPTC codes used by the synthetic cases below.
POLITICS = "medtop:11000000"
INTERNATIONAL_RELATIONS = "medtop:20000638"  # level 2, politics
DIPLOMACY = "medtop:20000639"  # level 3, under international relations
SANCTION = "medtop:20000642"  # level 3, under international relations
ECONOMY = "medtop:04000000"
BUSINESS_INFORMATION = "medtop:20000170"  # level 2, economy
RESTRUCTURING = "medtop:20001366"  # level 3, under business information
MERGER = "medtop:20000204"  # level 4, under business restructuring
EARNINGS_REPORTING = "medtop:20001365"  # level 3, under business information
FOOTBALL = "medtop:20001065"  # level 3, sport


@pytest.fixture(scope="module")
def labels():
    return load_depth_labels()


def label(id_, codes, level1=None, corpus="bbc_news"):
    return DepthLabel(corpus, id_, tuple(level1 or ()), tuple(codes), not codes)


# --- the labels file -------------------------------------------------------------------------


def test_labels_cover_both_corpora_without_duplicates(labels):
    assert len(labels) >= 200
    per_corpus = Counter(label.corpus for label in labels)
    assert per_corpus == {"bbc_news": 5 * BBC_PER_CLASS, "reuters21578": REUTERS_SAMPLE}
    assert len({label.key for label in labels}) == len(labels)


def test_every_code_is_a_current_iptc_topic_at_the_right_level(labels):
    tax = iptc()
    for lab in labels:
        assert lab.level1, lab.key
        for code in lab.level1:
            assert code in tax and tax[code].level == 1, (lab.key, code)
        for code in lab.codes:
            assert code in tax, (lab.key, code)
            assert tax[code].level in (2, 3), (lab.key, code, tax[code].level)
            # A deeper code sits under one of the article's level-1 topics.
            assert tax.ancestor_at(code, 1).code in lab.level1, (lab.key, code)


def test_codes_are_most_specific_few_and_agree_with_none_deeper(labels):
    tax = iptc()
    for lab in labels:
        assert lab.none_deeper == (not lab.codes), lab.key
        assert len(lab.codes) <= 4, lab.key
        assert len(set(lab.codes)) == len(lab.codes), lab.key
        # "most specific": no labelled code is an ancestor of another labelled code
        for code in lab.codes:
            for other in lab.codes:
                above = tax.ancestor_at(other, tax[code].level) if other != code else None
                assert above is None or above.code != code, (lab.key, code, other)


def test_labels_hold_ids_and_codes_only():
    from importlib import resources
    import json

    text = resources.files("newstag").joinpath("eval", "annotations", "iptc_depth_dev.jsonl").read_text(encoding="utf-8")
    for line in text.splitlines():
        assert set(json.loads(line)) == {"corpus", "id", "level1", "codes", "none_deeper"}


@pytest.mark.shared
def test_labelled_ids_are_the_seeded_sample_of_the_dev_files(labels, shared_dir):
    assert [lab.key for lab in labels] == draw_depth_sample(shared_dir)
    articles = labelled_articles(shared_dir, labels)
    assert [key for key, _, _ in articles] == [lab.key for lab in labels]
    assert all(body.strip() for _, _, body in articles)


@pytest.mark.shared
def test_the_sample_spreads_over_classes_and_topics(shared_dir):
    from newstag.topics.corpora import read_jsonl

    sample = draw_depth_sample(shared_dir)
    bbc = {str(r["id"]): r["topics"][0] for r in read_jsonl(shared_dir / "data" / "bbc_news" / "dev.jsonl")}
    assert Counter(bbc[i] for c, i in sample if c == "bbc_news") == {
        cls: BBC_PER_CLASS for cls in ("business", "entertainment", "politics", "sport", "tech")
    }
    reuters = {str(r["id"]): r["topics"][:1] for r in read_jsonl(shared_dir / "data" / "reuters21578" / "dev.jsonl")}
    first_topics = Counter(reuters[i][0] for c, i in sample if c == "reuters21578")  # every one has TOPICS
    assert sum(first_topics.values()) == REUTERS_SAMPLE
    assert len(first_topics) >= 40  # rare commodities are in it, not only earn and acq
    assert first_topics.most_common(1)[0][1] < REUTERS_SAMPLE / 4
    assert draw_depth_sample(shared_dir, seed=15) != sample


# --- score_depth on synthetic cases ----------------------------------------------------------


def test_an_ancestor_of_a_gold_code_is_right_and_a_sibling_is_wrong():
    gold = [label("a", [DIPLOMACY], [POLITICS])]
    assert score_depth({("bbc_news", "a"): [INTERNATIONAL_RELATIONS]}, gold)["precision"] == 1.0
    result = score_depth({("bbc_news", "a"): [SANCTION, DIPLOMACY]}, gold)
    assert (result["predicted"], result["right"], result["precision"]) == (2, 1, 0.5)
    assert result["recall"] == 1.0


def test_a_gold_code_is_found_by_itself_or_a_descendant_not_by_an_ancestor():
    gold = [label("a", [RESTRUCTURING], [ECONOMY])]
    assert score_depth({("bbc_news", "a"): [MERGER]}, gold)["recall"] == 1.0  # level 4 under it
    found_by_ancestor = score_depth({("bbc_news", "a"): [BUSINESS_INFORMATION]}, gold)
    assert found_by_ancestor["recall"] == 0.0 and found_by_ancestor["precision"] == 1.0


def test_a_more_specific_guess_than_the_label_finds_it_but_is_wrong():
    # The labeller gave only "international relations": "diplomacy" was judged not to apply. The
    # guess still finds the gold code (a descendant of it), so recall counts it and precision not.
    gold = [label("a", [INTERNATIONAL_RELATIONS], [POLITICS])]
    result = score_depth({("bbc_news", "a"): [DIPLOMACY]}, gold)
    assert result["precision"] == 0.0 and result["recall"] == 1.0


def test_level_one_is_ignored_deep_codes_are_cut_to_level_three_unknown_codes_are_wrong():
    gold = [label("a", [RESTRUCTURING], [ECONOMY])]
    result = score_depth({("bbc_news", "a"): [ECONOMY, POLITICS, MERGER, "medtop:99999999"]}, gold)
    assert result["predicted"] == 2 and result["right"] == 1  # MERGER as RESTRUCTURING; the unknown code
    assert result["per_level"][3]["right"] == 1
    assert result["per_level"]["unknown"]["predicted"] == 1 and result["per_branch"]["unknown"]["right"] == 0
    # Two level-4 codes under one level-3 code count once.
    twice = score_depth({("bbc_news", "a"): [MERGER, "medtop:20000200"]}, gold)  # + joint venture
    assert twice["predicted"] == 1


def test_coverage_counts_articles_with_a_deeper_code_and_missing_articles_get_nothing():
    gold = [
        label("a", [DIPLOMACY], [POLITICS]),
        label("b", [FOOTBALL], ["medtop:15000000"]),
        label("c", [], [ECONOMY]),
        label("d", [EARNINGS_REPORTING], [ECONOMY], corpus="reuters21578"),
    ]
    predicted = {
        ("bbc_news", "a"): [POLITICS, DIPLOMACY],
        ("bbc_news", "b"): ["medtop:15000000"],  # level 1 only: not covered
        ("bbc_news", "c"): [EARNINGS_REPORTING],  # none deeper in gold: a wrong guess
        ("bbc_news", "d"): [EARNINGS_REPORTING],  # wrong corpus: article d gets nothing
    }
    result = score_depth(predicted, gold)
    assert result["articles"] == 4 and result["articles_with_gold"] == 3
    assert result["coverage"] == 0.5
    assert (result["right"], result["predicted"]) == (1, 2)
    assert (result["found"], result["gold"]) == (1, 3)
    assert result["recall"] == round(1 / 3, 4)


def test_breakdowns_by_level_and_branch_add_up():
    gold = [
        label("a", [DIPLOMACY, RESTRUCTURING], [POLITICS, ECONOMY]),
        label("b", [BUSINESS_INFORMATION], [ECONOMY]),
    ]
    predicted = {("bbc_news", "a"): [INTERNATIONAL_RELATIONS, SANCTION, RESTRUCTURING], ("bbc_news", "b"): [EARNINGS_REPORTING]}
    result = score_depth(predicted, gold)
    assert result["per_branch"]["politics and government"] == {
        "precision": 0.5, "recall": 0.0, "f1": 0.0, "predicted": 2, "right": 1, "gold": 1, "found": 0,
    }
    econ = result["per_branch"]["economy, business and finance"]
    assert (econ["right"], econ["predicted"], econ["found"], econ["gold"]) == (1, 2, 2, 2)
    assert sum(v["predicted"] for v in result["per_level"].values()) == result["predicted"]
    assert sum(v["gold"] for v in result["per_branch"].values()) == result["gold"]
    assert result["per_level"][2]["gold"] == 1 and result["per_level"][3]["gold"] == 2


def test_one_ancestor_prediction_can_cover_two_gold_codes():
    gold = [label("a", [DIPLOMACY, SANCTION], [POLITICS])]
    result = score_depth({("bbc_news", "a"): [INTERNATIONAL_RELATIONS, DIPLOMACY, SANCTION]}, gold)
    assert (result["precision"], result["recall"]) == (1.0, 1.0)
    assert (result["predicted"], result["found"]) == (3, 2)


def test_a_users_taxonomy_can_be_passed():
    tax = taxonomy_from_json([
        {"code": "news", "label": "news", "parent": None},
        {"code": "sport", "label": "sport", "parent": "news"},
        {"code": "tennis", "label": "tennis", "parent": "sport"},
        {"code": "golf", "label": "golf", "parent": "sport"},
    ])
    gold = [label("a", ["tennis"], ["news"])]
    result = score_depth({("bbc_news", "a"): ["sport", "golf"]}, gold, tax)
    assert (result["right"], result["predicted"], result["recall"]) == (1, 2, 0.0)
    assert set(result["per_branch"]) == {"news"}


def test_perfect_predictions_on_the_real_labels_score_one(labels):
    result = score_depth({lab.key: list(lab.codes) for lab in labels}, labels)
    assert result["precision"] == result["recall"] == 1.0
    assert result["coverage"] == round(sum(1 for lab in labels if lab.codes) / len(labels), 4)


def test_an_article_given_only_an_unknown_code_is_not_covered():
    gold = [label("a", [DIPLOMACY], [POLITICS])]
    result = score_depth({("bbc_news", "a"): ["medtop:99999999"]}, gold)
    assert result["coverage"] == 0.0 and (result["predicted"], result["right"]) == (1, 0)
