"""Depth (topics/depth.py): IPTC level 2 and 3 beneath the article's level-1 topics."""

import math

import pytest

from newstag.topics.depth import DepthIndex, build_depth_index, label_phrases
from newstag.topics.seeds import DEPTH_LEXICONS
from newstag.topics.taxonomy import iptc

POLITICS, ECONOMY, SPORT = "medtop:11000000", "medtop:04000000", "medtop:15000000"
IR, DIPLOMACY, SANCTION = "medtop:20000638", "medtop:20000639", "medtop:20000642"


def _index() -> DepthIndex:
    return DepthIndex(build_depth_index(iptc(), DEPTH_LEXICONS), iptc())


def test_label_phrases_split_listed_labels_and_vary_the_number():
    assert label_phrases("economic sanction") == {"economic sanction", "economic sanctions"}
    phrases = label_phrases("refugees and internally displaced people")
    assert {"refugees", "refugee", "internally displaced people"} <= phrases
    # A qualifier in brackets is dropped; a generic word is not a phrase of its own.
    assert "constitution" in label_phrases("constitution (law)")
    assert "products" not in label_phrases("products and services")


def test_a_phrase_counts_for_its_topic_and_its_ancestors_down_to_level_two():
    counts = _index().hits([t.encode() for t in "leaders met at the summit".split()])
    assert counts["medtop:20000639"] == 1  # diplomacy, the level-3 ancestor of summit meeting (level 4)
    assert counts[IR] == 1
    assert "medtop:20000640" not in counts  # level 4 is scored as its level-3 ancestor


# Written for these tests.
STORY = (
    "Foreign minister visits Havana",
    "The foreign minister met his counterpart in Havana on an official visit, and the two "
    "governments signed accords on trade. He called on Washington to lift economic sanctions, "
    "saying the sanctions had failed.",
)


def test_deeper_topics_are_given_only_under_a_given_level_one_topic():
    idx = _index()
    under_politics = idx.deeper(*STORY, {POLITICS})
    assert [c for c, _ in under_politics[POLITICS]] == [IR]
    assert {c for c, _ in under_politics[IR]} == {DIPLOMACY, SANCTION}
    # The same words under sport alone give nothing: no depth without its level-1 topic.
    assert idx.deeper(*STORY, {SPORT}) == {}


def test_one_mention_is_not_enough_but_a_title_mention_counts_twice():
    idx = _index()
    once = ("", "The minister said sanctions were discussed.")
    assert SANCTION not in {c for kids in idx.deeper(*once, {POLITICS}).values() for c, _ in kids}
    titled = ("Sanctions on the table", "The minister spoke to reporters.")
    assert SANCTION in {c for kids in idx.deeper(*titled, {POLITICS}).values() for c, _ in kids}


def test_a_level_three_topic_can_hang_under_the_classifiers_own_level_two_topic():
    idx = _index()
    text = ("", "Talks on the embargo went on; the embargo stays, officials said.")
    assert idx.deeper(*text, {POLITICS}, frozenset({IR})).get(IR) == [(SANCTION, 1.0)]


def test_at_most_two_topics_per_parent_most_hits_first():
    idx = _index()
    body = " ".join(["oil"] * 5 + ["farmers"] * 4 + ["mining"] * 3 + ["airline"] * 2)
    chosen = idx.deeper("", body, {ECONOMY})
    kids = chosen["medtop:20000209"]  # products and services
    assert [c for c, _ in kids] == ["medtop:20000256", "medtop:20000210"]  # energy, agriculture
    assert idx.counts("", body)["medtop:20000256"] == 5


def _calibrated(code_counts: dict[str, list[int]], threshold: float = 0.5) -> DepthIndex:
    """The index with a calibration written for these tests: the probability is the code's
    smoothed deeper-right rate (weight 1 on its logit, nothing else)."""
    doc = build_depth_index(iptc(), DEPTH_LEXICONS)
    doc["calibration"] = {
        "smoothing": 2.0, "level1_prior": 0.5, "deeper_prior": 0.5, "code_counts": code_counts,
        "coef": [1.0, 0.0, 0.0, 0.0], "intercept": 0.0, "threshold": threshold,
    }
    return DepthIndex(doc, iptc())


def test_a_calibrated_index_gives_a_deeper_code_only_when_its_probability_passes_the_threshold():
    # Diplomacy was right 18 times in 20 in the open texts, economic sanction 2 in 20.
    idx = _calibrated({IR: [20, 20, 20, 20], DIPLOMACY: [20, 20, 18, 20], SANCTION: [20, 20, 2, 20]})
    chosen = idx.deeper(*STORY, {POLITICS})
    assert [c for c, _ in chosen[IR]] == [DIPLOMACY]
    (_, p), = chosen[IR]
    assert math.isclose(p, (18 + 1) / 22, rel_tol=1e-6)  # (right + smoothing * prior) / (seen + smoothing)
    assert idx.probability(SANCTION, 3) < 0.5 <= idx.probability(DIPLOMACY, 1)
    # One mention is enough when the code is reliable; still nothing without the level-1 topic.
    assert DIPLOMACY in {c for c, _ in _calibrated({IR: [9, 9, 9, 9], DIPLOMACY: [9, 9, 9, 9]}).deeper("", "An envoy arrived.", {POLITICS}).get(IR, [])}
    assert idx.deeper(*STORY, {SPORT}) == {}


def test_a_code_never_seen_in_the_open_texts_gets_the_prior():
    idx = _calibrated({}, threshold=0.6)
    assert math.isclose(idx.probability(DIPLOMACY, 4), 0.5, rel_tol=1e-6)
    assert idx.deeper(*STORY, {POLITICS}) == {}


# --- evidence in a full article and the article calibration -------------------------------

# Written for these tests: an envoy's visit throughout, the sanctions once, at the end.
VISIT = (
    "Envoy arrives for talks",
    "The envoy arrived in the capital on Monday for two days of talks.\n\n"
    "She met the foreign minister and the ambassador of the neighbouring state.\n\n"
    "Officials said the talks covered water rights and a new border crossing.\n\n"
    "The diplomat is due to travel on to the coast on Wednesday. Sanctions were not discussed.",
)


def test_evidence_counts_sentences_and_the_title_and_lead():
    idx = _index()
    counts, sentences, lead, n_sentences, phrases = idx.evidence(*VISIT)
    assert n_sentences == 6  # five sentences of the body and the title
    # diplomacy: the title (twice), envoy, foreign minister + ambassador, diplomat
    assert sentences[DIPLOMACY] == 4 and counts[DIPLOMACY] == 6
    assert DIPLOMACY in lead and SANCTION not in lead
    assert sentences[SANCTION] == 1
    # A phrase does not run across a sentence end.
    assert idx.evidence("", "They met the foreign. Minister Ross spoke.")[0][DIPLOMACY] == 0


def test_evidence_counts_distinct_phrases_apart_from_hits():
    idx = _index()
    # diplomacy in VISIT: envoy (title and body), foreign minister, ambassador, diplomat; sanctions once
    phrases = idx.evidence(*VISIT)[4]
    assert phrases[DIPLOMACY] == 4 and phrases[SANCTION] == 1
    # One phrase repeated: three hits in two sentences, one phrase.
    counts, sentences, _, _, phrases = idx.evidence("", "The envoy met the envoy. The envoy left.")
    assert (counts[DIPLOMACY], sentences[DIPLOMACY], phrases[DIPLOMACY]) == (3, 2, 1)


def _article_calibrated(threshold: float = 0.5) -> DepthIndex:
    """The index with an article calibration written for these tests: evidence in several
    sentences and in the lead make a code likely, the open probability and the rest count
    for nothing."""
    doc = build_depth_index(iptc(), DEPTH_LEXICONS)
    doc["calibration"] = {
        "smoothing": 2.0, "level1_prior": 0.5, "deeper_prior": 0.5, "code_counts": {},
        "coef": [1.0, 0.0, 0.0, 0.0], "intercept": 0.0, "threshold": 0.5,
        "article": {"coef": [0.0, 2.0, 0.0, 2.0, 0.0, 0.0, 0.0], "intercept": -3.0, "threshold": threshold, "max_per_parent": 1},
    }
    return DepthIndex(doc, iptc())


def test_an_article_calibrated_index_gives_the_subject_and_not_a_passing_mention():
    idx = _article_calibrated()
    assert idx.article_calibrated and idx.max_per_parent == 1
    chosen = idx.deeper(*VISIT, {POLITICS: 0.9})
    assert chosen[POLITICS] == [(IR, pytest.approx(chosen[POLITICS][0][1]))]
    assert [c for c, _ in chosen[IR]] == [DIPLOMACY]  # the sanctions' one late sentence is not enough
    cands, n = idx.candidates(*VISIT, {POLITICS: 0.9})
    by_code = {c.code: c for c in cands}
    assert idx.article_probability(by_code[DIPLOMACY], n) > 0.5 > idx.article_probability(by_code[SANCTION], n)
    assert by_code[DIPLOMACY].level1_probability == 0.9 and by_code[DIPLOMACY].dominant
    # Still nothing without the level-1 topic.
    assert idx.deeper(*VISIT, {SPORT: 0.9}) == {}
