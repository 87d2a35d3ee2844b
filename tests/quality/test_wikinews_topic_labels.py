"""The hand IPTC labels of the Wikinews 2020 articles (newstag/eval/annotations) and their scorer."""

import json
from importlib import resources

import pytest

from newstag.eval.depth import DepthLabel
from newstag.eval.wikinews_topics import (
    CORPUS,
    LABELS_FILE,
    load_wikinews_topic_labels,
    score_wikinews_topics,
    wikinews_articles,
)
from newstag.errors import InputError
from newstag.topics.corpora import read_jsonl
from newstag.topics.taxonomy import iptc

POLITICS = "medtop:11000000"
HEALTH = "medtop:07000000"
SPORT = "medtop:15000000"
ELECTION = "medtop:20000574"  # level 2, politics
PRIMARY = "medtop:20000583"  # level 3, under election
DISEASE = "medtop:20000448"  # communicable disease, level 3, health
BASKETBALL = "medtop:20000851"  # level 3, sport


@pytest.fixture(scope="module")
def labels():
    return load_wikinews_topic_labels()


def label(id_, level1, codes=()):
    return DepthLabel(CORPUS, id_, tuple(level1), tuple(codes), not codes)


# --- the labels file -------------------------------------------------------------------------


def test_the_file_holds_ids_and_codes_only():
    text = resources.files("newstag").joinpath("eval", "annotations", LABELS_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        assert set(json.loads(line)) == {"id", "level1", "codes", "none_deeper"}


@pytest.mark.shared
def test_every_article_is_labelled_once_in_file_order(labels, shared_dir):
    ids = [str(r["id"]) for r in read_jsonl(shared_dir / "data" / "wikinews_2020" / "articles.jsonl")]
    assert [lab.id for lab in labels] == ids
    rows = wikinews_articles(shared_dir, labels)
    assert [key for key, _, _ in rows] == [lab.key for lab in labels]


def test_codes_are_current_iptc_topics_under_the_articles_level1(labels):
    tax = iptc()
    for lab in labels:
        assert lab.key[0] == CORPUS
        assert len(set(lab.level1)) == len(lab.level1), lab.id
        for code in lab.level1:
            assert code in tax and tax[code].level == 1, (lab.id, code)
        for code in lab.codes:
            assert code in tax, (lab.id, code)
            assert tax[code].level in (2, 3), (lab.id, code)
            assert tax.ancestor_at(code, 1).code in lab.level1, (lab.id, code)


def test_codes_are_most_specific_few_and_agree_with_none_deeper(labels):
    tax = iptc()
    for lab in labels:
        assert lab.none_deeper == (not lab.codes), lab.id
        assert len(lab.codes) <= 4 and len(set(lab.codes)) == len(lab.codes), lab.id
        for code in lab.codes:
            for other in lab.codes:
                if other != code:
                    above = tax.ancestor_at(other, tax[code].level)
                    assert above is None or above.code != code, (lab.id, code, other)


def test_only_the_two_test_pages_have_no_topic(labels):
    assert [lab.id for lab in labels if not lab.level1] == ["wn2020-103", "wn2020-104"]
    assert all(lab.codes == () for lab in labels if not lab.level1)


@pytest.mark.shared
def test_an_id_missing_from_shared_is_named(shared_dir):
    with pytest.raises(InputError, match="wn2020-999"):
        wikinews_articles(shared_dir, [label("wn2020-999", [POLITICS])])


# --- score_wikinews_topics on synthetic cases ------------------------------------------------


def test_top1_reads_the_first_level1_code_given():
    gold = [label("a", [POLITICS, HEALTH], [PRIMARY, DISEASE]), label("b", [SPORT], [BASKETBALL])]
    predicted = {
        (CORPUS, "a"): [PRIMARY, HEALTH, POLITICS],  # a deeper code first; the first level-1 is health
        (CORPUS, "b"): [SPORT, BASKETBALL],
    }
    result = score_wikinews_topics(predicted, gold)
    assert result["top1_main"] == 0.5  # health is not a's main topic
    assert result["top1_any"] == 1.0
    assert result["main_among_given"] == 1.0
    assert result["level1_per_article"] == 1.5 and result["gold_level1_per_article"] == 1.5
    assert (result["level1_precision"], result["level1_recall"]) == (1.0, 1.0)


def test_wrong_and_missing_topics_count_against_precision_and_recall():
    gold = [label("a", [POLITICS], [ELECTION]), label("b", [HEALTH])]
    predicted = {(CORPUS, "a"): [SPORT, POLITICS, PRIMARY]}  # b was given nothing
    result = score_wikinews_topics(predicted, gold)
    assert (result["top1_main"], result["top1_any"], result["main_among_given"]) == (0.0, 0.0, 0.5)
    assert result["level1_precision"] == 0.5 and result["level1_recall"] == round(1 / 2, 4)
    assert result["level1_per_article"] == 1.0
    # "primary elections" under a gold "election" finds it but is more specific than the labeller
    # judged the story to be: scored as eval/depth.py scores it, a find and a wrong guess.
    assert (result["depth"]["precision"], result["depth"]["recall"]) == (0.0, 1.0)
    assert result["depth"]["coverage"] == 0.5


def test_pages_with_no_topic_are_left_out_of_every_figure():
    gold = [label("a", [SPORT], [BASKETBALL]), label("test", [])]
    predicted = {(CORPUS, "a"): [SPORT, BASKETBALL], (CORPUS, "test"): [POLITICS, PRIMARY]}
    result = score_wikinews_topics(predicted, gold)
    assert (result["articles"], result["left_out"]) == (1, 1)
    assert result["top1_main"] == 1.0 and result["level1_precision"] == 1.0
    assert result["depth"]["articles"] == 1 and result["depth"]["precision"] == 1.0


def test_perfect_predictions_on_the_real_labels_score_one(labels):
    result = score_wikinews_topics({lab.key: [*lab.level1, *lab.codes] for lab in labels}, labels)
    assert result["articles"] == len(labels) - 2
    assert result["top1_main"] == result["main_among_given"] == 1.0
    assert result["level1_precision"] == result["level1_recall"] == 1.0
    assert result["depth"]["precision"] == result["depth"]["recall"] == 1.0


# --- the report on the shipped model ---------------------------------------------------------


@pytest.mark.shared
def test_the_report_scores_the_shipped_model_and_says_it_is_not_held_out(shared_dir):
    import io

    from newstag.eval.topics import print_wikinews_open, wikinews_open
    from newstag.eval.wikinews_topics import NOT_HELD_OUT
    from newstag.topics import TopicTagger

    result = wikinews_open(shared_dir, TopicTagger())
    assert (result["articles"], result["left_out"]) == (122, 2)
    # The shipped model knows what most of these stories are about; a scorer that misread the
    # labels or the predictions would land far from this.
    assert result["top1_any"] >= 0.6 and result["main_among_given"] >= 0.6
    assert 1.0 <= result["level1_per_article"] <= 3.0
    assert 0.0 < result["depth"]["precision"] <= 1.0 and result["depth"]["articles"] == 122
    out = io.StringIO()
    print_wikinews_open(result, out)
    assert NOT_HELD_OUT in out.getvalue() and "not a held-out measure" in NOT_HELD_OUT
