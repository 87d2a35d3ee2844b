"""The shipped IPTC model: its artifact, its manifest, and what it says about real text."""

import json
from pathlib import Path

import pytest

from newstag.topics import TopicTagger
from newstag.topics.model import shipped_model_dir
from newstag.types import Article, Span

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seed" / "000_2dc698643bc4e8cd.txt"


def _article(title: str | None, body: str) -> Article:
    return Article(id="t", text=body, title=title, title_span=None, body=Span(0, len(body)), dateline=None, agencies=(), footer=())


def test_artifact_is_small_has_no_pickle_and_names_its_training_data():
    d = shipped_model_dir()
    files = {p.name: p for p in d.iterdir()}
    assert {"model.npz", "model.json", "manifest.json"} <= set(files)
    assert sum(p.stat().st_size for p in files.values()) < 30_000_000
    manifest = json.loads(files["manifest.json"].read_text())
    corpora = {t["corpus"] for t in manifest["training_data"]}
    labelled = {t["corpus"] for t in manifest["training_data"] if t["use"].startswith("training text")}
    assert labelled == {"wikipedia_current_events", "huffpost_news_category"}
    assert "wikinews_2020" in corpora  # the head's prior, by EM, without labels
    assert "wikinews_2020 hand labels" in corpora  # depth's article calibration: our labels of open text
    assert not corpora & {"bbc_news", "ag_news", "reuters21578"}
    # Every training input names its licence, and the files from ../shared their checksum.
    assert all(t["licence"] for t in manifest["training_data"])
    assert all(len(t["sha256"]) == 64 for t in manifest["training_data"] if "file" in t and t["file"].startswith("data/"))
    assert "dev" not in json.dumps(manifest["training_data"])
    assert any("IPTC" in a and "CC BY 4.0" in a for a in manifest["attribution"])


def test_the_shipped_model_reads_articles_by_topic():
    # Written for this test (not from a news source): one story per desk the article sets cover.
    stories = {
        "medtop:15000000": ("Late goal sends United top", "A stoppage-time header from the captain gave United a 2-1 win at the stadium, lifting them to the top of the league table ahead of the cup final."),
        "medtop:04000000": ("Bank holds interest rates", "The central bank kept interest rates at 4% as inflation eased, and shares in lenders rose on the stock exchange after quarterly profits beat forecasts."),
        "medtop:13000000": ("New chip doubles laptop battery life", "The chipmaker said its new processor and software let laptops and smartphones run for two days, and the operating system update ships online next month."),
        "medtop:11000000": ("Minister resigns before vote", "The prime minister accepted the resignation of the interior minister as parliament prepared to vote on the coalition's reform bill and opposition parties called for an election."),
        "medtop:01000000": ("Director's film wins top award", "The director's new film won best picture at the festival, where the lead actress, a singer and the cast of the musical also collected awards for the album and the soundtrack."),
    }
    out = TopicTagger().predict([_article(t, b) for t, b in stories.values()])
    assert [topics[0].code for topics in out] == list(stories)


def test_desks_the_article_sets_lack_still_win_long_stories():
    # Written for this test. The top head's article prior is estimated on Wikinews (by EM,
    # topics/adapt.py), whose 2020 articles are mostly politics and health: it must not make
    # the other topics unreachable for a long story (several paragraphs, read by the head alone).
    stories = {
        "medtop:16000000": ("Troops shell rebel-held town", "Army artillery shelled the rebel-held town for a third day, killing at least 20 fighters and civilians, as government troops advanced on the insurgents' last stronghold.\n\nThe ceasefire brokered last month has collapsed, and aid agencies said thousands had fled the fighting. Witnesses said air strikes hit a market, and the rebels shot down a military helicopter.\n\nThe army said it had killed dozens of militants and captured weapons, while the rebel commander said his forces had ambushed a convoy and taken soldiers prisoner."),
        "medtop:02000000": ("Man jailed for life for murder", "A man was jailed for life on Friday for the murder of a shopkeeper who was stabbed during a robbery last year. The jury took four hours to find him guilty.\n\nDetectives said the defendant had been caught on security cameras and arrested two days later with the victim's phone. The judge told him he must serve at least 25 years in prison before he can be considered for parole.\n\nThe victim's family said outside court that justice had been done, and police thanked witnesses who came forward."),
        "medtop:03000000": ("Earthquake kills dozens", "A magnitude 6.8 earthquake struck the mountain region before dawn, collapsing houses and killing at least 40 people.\n\nRescue teams dug through rubble for survivors as aftershocks shook the area, and the regional hospital treated hundreds of injured. Roads were blocked by landslides, hampering the emergency services.\n\nThe government declared a state of emergency and sent soldiers and tents to the worst-hit villages, where thousands of families spent the night in the open."),
        "medtop:07000000": ("Flu cases rise as hospitals fill", "Hospitals reported a sharp rise in flu admissions this week, and doctors urged older patients to get vaccinated as wards filled.\n\nThe health service said the number of patients in intensive care with influenza had doubled in a fortnight, and that outbreaks in care homes were adding to pressure on emergency departments.\n\nNurses said staff sickness made the winter harder, and the health minister promised funding for extra beds and a wider vaccination campaign."),
    }
    out = TopicTagger().predict([_article(t, b) for t, b in stories.values()])
    assert [topics[0].code for topics in out] == list(stories)


def test_every_article_with_a_known_word_gets_a_level_one_topic_with_scores_in_range():
    out = TopicTagger().predict([_article("Budget vote", "Parliament passed the budget on Tuesday."), _article(None, "Wind farm opens")])
    for topics in out:
        assert topics and topics[0].level == 1
        assert all(0.0 <= t.score <= 1.0 for t in topics)
        assert len(topics) <= 5


def test_a_text_without_a_known_word_gets_no_topic_and_the_record_says_why():
    # Issue 9: the model's biases alone would pick a topic for text it cannot read.
    from newstag.pipeline import Tagger
    from newstag.topics import NO_KNOWN_WORDS

    unreadable = ["", "東京で新しい駅が開業した。", "Αθήνα: νέος σταθμός"]
    assert TopicTagger().predict([_article(None, t) for t in unreadable]) == [(), (), ()]
    records = list(Tagger().pipe(unreadable[1:] + ["Parliament passed the budget on Tuesday."]))
    assert [r.general for r in records[:2]] == [(), ()]
    assert all(NO_KNOWN_WORDS in r.warnings for r in records[:2])
    assert records[2].general and NO_KNOWN_WORDS not in records[2].warnings


def _seed_topics():
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    from newstag.parse import parse_document
    from newstag.types import RawDocument

    article = parse_document(RawDocument(id="seed", text=SEED.read_text(encoding="utf-8")))
    return TopicTagger().predict([article])[0]


@pytest.mark.shared
def test_seed_article_is_politics_and_international_relations():
    topics = _seed_topics()
    assert topics[0].code == "medtop:11000000", topics  # politics and government
    assert topics[1].code == "medtop:20000638", topics  # international relations, under its parent


@pytest.mark.shared
def test_seed_article_goes_down_to_diplomacy_within_its_level_one_topics():
    # The story is a foreign minister's official visit: diplomacy, beneath international
    # relations, in the title, the lead and six of its fifteen sentences.
    topics = _seed_topics()
    codes = [t.code for t in topics]
    at = codes.index("medtop:20000638")
    assert codes[at + 1] == "medtop:20000639", topics  # diplomacy
    from newstag.topics.taxonomy import iptc

    level1 = {t.code for t in topics if t.level == 1}
    assert all(iptc().ancestor_at(t.code, 1).code in level1 for t in topics if t.level > 1)


# Issue 14 asks for economic sanction beside diplomacy. The article calibration (fitted on the
# Wikinews hand labels) gives the seed's sanctions, two late sentences of fifteen, one phrase, and a
# sibling of diplomacy, a probability of about 0.32, under its threshold (0.45 in this build), and
# cross-validation gives one code per parent. Tried (topics-fit, not kept): a second child under
# one parent at a bar of its own, chosen with the threshold by the same cross-validation; it
# chose a second bar of 0.7 (Wikinews candidates at p 0.3-0.5 were right about a third of the
# time), so the sanctions stayed out, and the hand-labelled dev precision fell 0.774 -> 0.727.
# Tried (topics-depth2): a feature for the code's own IPTC label named verbatim ("economic
# sanctions"), no cross-validated gain (F0.5 0.451 -> 0.451); in the Wikinews labels such a
# candidate, at level 3, outside the title and lead and not its siblings' most hit, is right 7
# times in 64, so no bar learnt from them lets it through. Tried (topics4, none kept; each
# cross-validated as depth_fit.fit_article_calibration does, 5 folds over the Wikinews articles,
# up to three codes per parent): siblings scored independently (without "most hits among
# siblings"): precision / recall 0.814 / 0.194 (now 0.806 / 0.187), the seed's sanction p 0.38;
# that and a feature for the code's own IPTC label named: p 0.42; features for the share of the
# article's sentences with evidence, for evidence from a phrase of two or more words, for evidence
# in a sentence naming the news day (a weekday, "today", "yesterday": the event reported, not
# background), and the open probability raw or its logit clipped at 5: p 0.26 to 0.37. Every time
# cross-validation chose one code per parent at p >= 0.45 or 0.5: diplomacy alone. The labels'
# nearest case, wn2020-001 (the strike on Soleimani), has "sanctions against" in two background
# sentences, labelled a passing mention: the seed's pattern on every feature above. Kept as a
# strict expected failure, so that a model that gives it shows here.
SEED_SANCTION_NOT_GIVEN = pytest.mark.xfail(
    strict=True, reason="the calibrated depth gives economic sanction p ~ 0.32, under its threshold, and one code per parent (topics/depth_fit.py)"
)


@pytest.mark.shared
@SEED_SANCTION_NOT_GIVEN
def test_seed_article_goes_down_to_diplomacy_and_economic_sanction():
    # Issue 14: the story is a foreign minister's official visit and a call to review economic
    # sanctions; both level-3 topics follow international relations, and nothing deeper is given
    # outside the article's level-1 topics.
    topics = _seed_topics()
    codes = [t.code for t in topics]
    at = codes.index("medtop:20000638")
    beneath = codes[at + 1 : at + 3]
    assert set(beneath) == {"medtop:20000639", "medtop:20000642"}, topics  # diplomacy, economic sanction
    assert all(t.level == 3 for t in topics[at + 1 : at + 3])
    from newstag.topics.taxonomy import iptc

    level1 = {t.code for t in topics if t.level == 1}
    assert all(iptc().ancestor_at(t.code, 1).code in level1 for t in topics if t.level > 1)


@pytest.mark.shared
def test_seed_article_also_has_economy():
    # Its economy is two paragraphs of a diplomacy story (deals in the automotive, nickel and
    # energy sectors; economic sanctions): found by the paragraph windows, not the whole article.
    topics = _seed_topics()
    assert "medtop:04000000" in [t.code for t in topics], topics
    assert topics[0].code == "medtop:11000000"


def test_short_texts_follow_one_vs_rest_and_articles_follow_the_top_head():
    import numpy as np

    from newstag.topics.model import TopicModel

    model: TopicModel = TopicTagger().model
    assert model.top_coef is not None and 0 < model.blend_tokens
    k = len(model.top_level)
    scores = np.full((2, len(model.labels)), 0.01, dtype=np.float32)
    scores[:, model.top_level[0]] = 0.9  # one-vs-rest prefers the first class
    head = np.zeros((2, k), dtype=np.float32) - model.top_bias
    head[:, 1] += 100.0  # the head (after its bias) prefers the second
    choice = model.top_choice(scores, head, np.array([0, 10 * model.blend_tokens]))
    assert np.argmax(choice, axis=1).tolist() == [0, 1]


def test_a_titled_story_is_an_article_and_a_bare_headline_or_summary_is_not():
    import numpy as np

    model = TopicTagger().model
    assert model.titled_is_article
    parts = [("Bank holds rates", "The central bank kept rates on hold."), ("Bank holds rates", ""), ("", "The central bank kept rates on hold."), ("  ", "x")]
    n = np.array([11, 3, 8, 1])
    assert model.blend_length(parts, n).tolist() == [np.inf, 3, 8, 1]


def test_a_headline_in_capitals_is_read_as_wire_copy_by_the_head():
    import numpy as np

    model = TopicTagger().model
    assert model.capitals_is_article
    # A wire headline sent without a body, in capitals, in either field; a sentence-case web
    # headline and a text with no letters stay with their token count.
    parts = [("CENTRAL BANK HOLDS RATES AT 4 PCT", ""), ("", "OIL OUTPUT CUT AGREED"), ("Central bank holds rates", ""), ("", "1987 - 88")]
    n = np.array([7, 4, 4, 2])
    assert model.blend_length(parts, n).tolist() == [np.inf, np.inf, 4, 2]


@pytest.mark.shared
def test_seed_article_footer_reads_as_the_topic_tree(seed_text):
    # What the newsroom's General field shows for the seed: the politics branch down to
    # diplomacy, and the economy branch beside it.
    from newstag.emit.text import general_paths
    from newstag.pipeline import Tagger

    paths = general_paths(Tagger().tag(seed_text))
    assert paths[0].startswith("politics and government > international relations > diplomacy"), paths
    assert any(p.startswith("economy, business and finance") for p in paths[1:])


@pytest.mark.shared
def test_a_short_topic_budget_keeps_the_seed_articles_second_subject():
    # max_topics counts every level: the level-1 topics are given first out of it, and the
    # deeper tags of the lead topic fill what is left. The seed article's lead topic has three
    # deeper tags; with a budget of three, economy must still be given, after one of them.
    from newstag.parse import parse_document
    from newstag.types import RawDocument

    if not SEED.is_file():
        pytest.skip(f"the seed article is absent ({SEED})")
    article = parse_document(RawDocument(id="seed", text=SEED.read_text(encoding="utf-8")))
    full = TopicTagger().predict([article], max_topics=8)[0]
    short = TopicTagger().predict([article], max_topics=3)[0]
    level1 = [t.code for t in full if t.level == 1]
    assert len(level1) >= 2 and len(full) > 3, full  # the case the budget is about
    assert [t.code for t in short if t.level == 1] == level1[:3], short
    assert short[0].code == full[0].code and len(short) == 3
    # Order and scores stay as in the full list: a kept deeper tag follows its parent.
    order = [t.code for t in full]
    assert [order.index(t.code) for t in short] == sorted(order.index(t.code) for t in short)
    assert all(a.score >= b.score for a, b in zip(short, short[1:]))


def test_the_shipped_depth_alone_gives_the_deeper_topics_with_its_probabilities():
    # The shipped depth index carries the article calibration (fitted on the Wikinews hand
    # labels), so the classifier's own level-2 scores, fitted on one-sentence texts, give no
    # deeper topic: every level-2/3 topic of a record is one the depth index chose, with its
    # probability. Written for this test: a story whose politics is an election, not diplomacy.
    from newstag.topics import given_level1

    tagger = TopicTagger()
    depth = tagger.depth.index
    assert depth.article_calibrated
    title, body = "Voters choose a new parliament", (
        "Voters went to the polls on Sunday to elect a new parliament, with turnout above 60% by noon.\n\n"
        "The ballot follows a campaign in which the two main candidates argued over taxes and schools.\n\n"
        "Polling stations close at eight, and the first results are expected overnight."
    )
    topics = tagger.predict([_article(title, body)])[0]
    row, best, _, thresholds = tagger.model.score_top_known_thresholds([(title, body)])
    level1 = {tagger.model.labels[j].code: float(row[0][j]) for j in given_level1(tagger.model, row[0], int(best[0]), thresholds[0])}
    chosen = {c: p for kids in depth.deeper(title, body, level1).values() for c, p in kids}
    deeper = [t for t in topics if t.level > 1]
    assert deeper and {t.code for t in deeper} <= set(chosen)
    assert "medtop:20000574" in {t.code for t in deeper}  # election
    assert all(t.score <= round(chosen[t.code], 4) + 1e-9 for t in deeper)


# Written for this test (not from a news source): a football report of several paragraphs, one
# of which mentions the concert and the fire alarm of the night before in passing.
MATCH_REPORT = (
    "United beat City to go top",
    "A stoppage-time header from the captain gave United a 2-1 win over City on Saturday, lifting them to the top of the league table.\n\n"
    "City had led through their striker's penalty before half-time, after the goalkeeper brought down the winger in the box.\n\n"
    "The manager brought on two substitutes after the break and United pressed until the equaliser, a low shot from the edge of the area.\n\n"
    "The stadium had hosted a pop concert on Friday night, and a fire alarm delayed the opening of the gates by twenty minutes.\n\n"
    "The winner came in the fourth minute of added time, when the captain rose above the defenders to meet a corner.\n\n"
    "United play away at the league leaders' closest rivals next week before the cup quarter-final, and the coach said the squad was fit.",
)


def test_a_full_article_is_scored_by_the_article_calibration_and_a_short_text_is_not():
    # shipped.py step 8c: a text read in paragraph windows gets its top-level probabilities
    # from the calibration fitted on full articles, at its threshold; a one-sentence text keeps
    # the short-text probabilities and their threshold.
    import numpy as np

    model = TopicTagger().model
    cal = model.article_calibration
    assert cal is not None and 0.0 < cal["threshold"] < 1.0
    short = ("Late goal sends United top", "A header from the captain gave United a 2-1 win.")
    scores, top, known, thresholds = model.score_top_known_thresholds([MATCH_REPORT, short])
    readings = model.article_readings([MATCH_REPORT, short])
    cols = model.article_columns
    assert readings.n_windows[0] > 1 and readings.n_windows[1] == 0
    assert np.all(thresholds[0, cols] == np.float32(cal["threshold"])) and np.array_equal(thresholds[1], model.thresholds)
    assert np.allclose(scores[1], readings.scores[1])  # the short text as the one-vs-rest scores have it
    assert ((scores >= 0) & (scores <= 1)).all()
    # What it learned: the best window counts for the topic, and the more windows an article
    # has, the less its best one says (an order statistic).
    weights = dict(zip(cal["features"], cal["coef"]))
    assert weights["logit best-window probability"] > 0 > weights["log(1 + windows)"]


def test_a_passing_mention_in_a_long_story_is_not_a_topic():
    # The over-tagging of full articles (issue 14): at the short-text threshold, one paragraph
    # of a match report that mentions a concert or a fire alarm made arts or disaster a further
    # topic of the story.
    topics = TopicTagger().predict([_article(*MATCH_REPORT)])[0]
    assert [t.code for t in topics if t.level == 1] == ["medtop:15000000"], topics  # sport only
