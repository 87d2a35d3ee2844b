"""The depth calibration (topics/depth_fit.py) on texts written for these tests."""

from newstag.topics.depth import DepthIndex, build_depth_index
from newstag.topics.depth_fit import THRESHOLD_GRID, DepthExample, checked, fit_depth_calibration, is_right
from newstag.topics.seeds import DEPTH_LEXICONS
from newstag.topics.taxonomy import iptc

POLITICS, IR, DIPLOMACY, SANCTION = "medtop:11000000", "medtop:20000638", "medtop:20000639", "medtop:20000642"
ELECTION = "medtop:20000574"


def _examples(n: int) -> list[DepthExample]:
    # Envoys appear in stories whose finer code is diplomacy; sanctions in stories that are
    # about an election (so the sanction candidate is wrong there).
    talks = [DepthExample(f"t{i}", "", f"An envoy held talks in city {i}.", frozenset({POLITICS}), frozenset({DIPLOMACY})) for i in range(n)]
    votes = [DepthExample(f"v{i}", "", f"Candidates argued about sanctions before vote {i}.", frozenset({POLITICS}), frozenset({ELECTION}), frozenset({ELECTION})) for i in range(n)]
    return talks + votes


def test_right_means_the_code_its_ancestor_or_beneath_it():
    idx = DepthIndex(build_depth_index(iptc(), DEPTH_LEXICONS), iptc())
    assert is_right(IR, frozenset({DIPLOMACY}), idx)  # an ancestor of the finer code
    assert is_right(DIPLOMACY, frozenset({IR}), idx)  # beneath it
    assert not is_right(SANCTION, frozenset({ELECTION}), idx)


def test_a_code_outside_a_typical_list_is_wrong_only_where_the_label_determines_level_two():
    idx = DepthIndex(build_depth_index(iptc(), DEPTH_LEXICONS), iptc())
    typical = DepthExample("a", "", "", frozenset({POLITICS}), frozenset({ELECTION}))
    determined = DepthExample("b", "", "", frozenset({POLITICS}), frozenset({ELECTION}), frozenset({ELECTION}))
    assert checked(SANCTION, typical, idx) is None  # the label's texts may be about more than its typical codes
    assert checked(SANCTION, determined, idx) is False
    assert checked(ELECTION, typical, idx) is True
    assert checked("medtop:20000082", determined, idx) is None  # crime: no finer code known under its level-1 topic


def test_the_fitted_probability_separates_a_reliable_code_from_an_unreliable_one():
    tax = iptc()
    doc = build_depth_index(tax, DEPTH_LEXICONS)
    validation = _examples(15)
    cal, figures = fit_depth_calibration(doc, tax, _examples(30), validation, [{POLITICS}] * len(validation))
    assert cal["code_counts"][DIPLOMACY][2:] == [30, 30]  # right every time it was seen under its topic
    assert cal["code_counts"][SANCTION][2] == 0
    assert cal["threshold"] in THRESHOLD_GRID
    doc["calibration"] = cal
    idx = DepthIndex(doc, tax)
    assert idx.probability(DIPLOMACY, 1) > cal["threshold"] > idx.probability(SANCTION, 1)
    assert figures["validation_candidates"] > 0 and figures["precision_recall_f1"][0] > figures["right_share"]


def _articles(n: int):
    """Written articles: the subject (diplomacy or sanctions, alternating) in the title, the lead
    and three sentences; the other one mentioned once, at the end. Hand labels: the subject."""
    from newstag.eval.depth import DepthLabel

    arts, labels = [], []
    for i in range(n):
        if i % 2:
            subject, other, gold = ("Envoy visit", "envoy", DIPLOMACY), "sanctions", DIPLOMACY
        else:
            subject, other, gold = ("Sanctions tightened", "sanctions", SANCTION), "envoy", SANCTION
        title, word, _ = subject
        body = " ".join(f"Sentence {k} of story {i} is about the {word}." for k in range(4)) + f" Someone named the {other} once."
        arts.append((f"a{i}", title, body))
        labels.append(DepthLabel("written", f"a{i}", (POLITICS,), (gold,), False))
    return arts, labels


def test_the_article_calibration_learns_that_spread_and_lead_mark_the_subject():
    from newstag.topics.depth import ARTICLE_FEATURES
    from newstag.topics.depth_fit import ARTICLE_PER_PARENT_GRID, ARTICLE_THRESHOLD_GRID, fit_article_calibration

    tax = iptc()
    idx = DepthIndex(build_depth_index(tax, DEPTH_LEXICONS), tax)
    arts, labels = _articles(40)
    cal, figures = fit_article_calibration(idx, arts, [{POLITICS: 0.9}] * len(arts), labels, tax)
    weights = dict(zip(ARTICLE_FEATURES, cal["coef"]))
    assert weights["log sentences with a hit"] > 0 and weights["in title or lead"] > 0
    assert cal["threshold"] in ARTICLE_THRESHOLD_GRID and cal["max_per_parent"] in ARTICLE_PER_PARENT_GRID
    # Out of fold, the subject and its parent are given and the passing mention is not.
    assert figures["cross_validated"]["precision"] == 1.0 and figures["cross_validated"]["coverage"] == 1.0
    assert 0 < figures["right_share"] < 1 and figures["articles"] == 40
    doc = build_depth_index(tax, DEPTH_LEXICONS)
    doc["calibration"] = {"smoothing": 2.0, "level1_prior": 0.5, "deeper_prior": 0.5, "code_counts": {}, "coef": [0.0] * 4, "intercept": 0.0, "threshold": 0.5, "article": cal}
    chosen = DepthIndex(doc, tax).deeper(*arts[1][1:], {POLITICS: 0.9})
    assert [c for c, _ in chosen[IR]] == [DIPLOMACY]
