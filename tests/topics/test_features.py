import numpy as np

from newstag.topics.features import FeatureConfig, Featurizer, lead_of, terms, tokens


def test_one_normalizer_for_headlines_and_articles():
    # HuffPost headlines arrive lower-cased and pre-tokenized; articles do not.
    assert tokens("trump 's visit , do n't") == tokens("Trump's visit, don't")[:3] + ["do", "n", "t"]
    assert tokens("Trump's Visit") == ["trump", "s", "visit"]
    assert terms(["a", "b", "c"]) == ["a", "b", "c", "a b", "b c"]


def test_rows_are_unit_length_and_unknown_words_are_ignored():
    f = Featurizer.fit(["the bank raised rates", "the team won the cup", "rates fell at the bank"], min_df=1)
    x = f.transform_texts(["The bank cut rates", "zzz qqq", ""])
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    assert np.allclose(norms[0], 1.0)
    assert norms[1] == 0 and norms[2] == 0


def test_title_weight_moves_the_article_towards_its_title():
    f = Featurizer.fit(["bank rates money", "team cup goal"] * 2, min_df=1)
    title_vec = f.transform_texts(["team cup goal"])
    parts = [("team cup goal", "bank rates money. bank rates money.")]
    light = f.transform_articles(parts, FeatureConfig(title_weight=0.5))
    heavy = f.transform_articles(parts, FeatureConfig(title_weight=3.0))
    assert (heavy @ title_vec.T).toarray()[0, 0] > (light @ title_vec.T).toarray()[0, 0]


def test_lead_stops_at_a_sentence_end():
    body = "First sentence here. Second one is longer than the budget. Third."
    assert lead_of(body, 10) == "First sentence here. "
    assert lead_of("short", 100) == "short"
