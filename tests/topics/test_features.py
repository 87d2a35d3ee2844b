import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newstag.topics.features import FeatureConfig, Featurizer, terms, tokens


def test_one_normalizer_for_headlines_and_articles():
    # HuffPost headlines arrive lower-cased and pre-tokenized; articles do not.
    assert tokens("trump 's visit , do n't") == tokens("Trump's visit, don't")[:3] + ["do", "n", "t"]
    assert tokens("Trump's Visit") == ["trump", "s", "visit"]
    assert terms(["a", "b", "c"]) == ["a", "b", "c", "a b", "b c"]


def test_rows_are_unit_length_and_unknown_words_are_ignored():
    f = Featurizer.fit(["the bank raised rates", "the team won the cup", "rates fell at the bank"], min_df=1)
    x = f.transform_texts(["The bank cut rates", "zzz qqq", ""]).toarray()
    norms = np.sqrt((x * x).sum(axis=1))
    assert np.allclose(norms[0], 1.0)
    assert norms[1] == 0 and norms[2] == 0


def test_bigrams_are_found_by_id_pairs_and_not_across_title_and_body():
    f = Featurizer.fit(["interest rates rose", "interest rates fell", "rates rose again"], min_df=2)
    names = {f.term(j) for j in range(f.n_features)}
    assert {"interest rates", "rates rose"} <= names
    col = {f.term(j): j for j in range(f.n_features)}
    x = f.transform_texts(["Interest rates rose"]).toarray()
    assert x[0, col["interest rates"]] > 0 and x[0, col["rates rose"]] > 0
    # "... interest" ends the title and "rates ..." starts the body: no bigram across the break.
    y = f.transform_articles([("Talk of interest", "rates are a worry")], FeatureConfig()).toarray()
    assert y[0, col["interest rates"]] == 0 and y[0, col["interest"]] > 0 and y[0, col["rates"]] > 0


def test_a_batch_gives_the_same_rows_as_one_text_at_a_time():
    f = Featurizer.fit(["the bank raised rates", "the team won the cup", "rates fell at the bank", "the cup final"], min_df=1)
    parts = [("Bank raises rates", "The bank raised rates again."), ("", ""), ("Cup final", "The team won the cup. " * 20)]
    cfg = FeatureConfig(title_weight=2.0, lead_weight=1.5, lead_tokens=5)
    batch = f.transform_articles(parts, cfg).toarray()
    one_by_one = np.vstack([f.transform_articles([p], cfg).toarray() for p in parts])
    assert np.allclose(batch, one_by_one)


def test_length_drops_out_of_a_repeated_text():
    f = Featurizer.fit(["bank rates money", "team cup goal"] * 2, min_df=1)
    short = f.transform_articles([("", "bank rates money")], FeatureConfig()).toarray()
    long = f.transform_articles([("", "bank rates money. " * 50)], FeatureConfig()).toarray()
    assert np.allclose(short, long, atol=1e-6)


def test_title_weight_moves_the_article_towards_its_title():
    f = Featurizer.fit(["bank rates money", "team cup goal"] * 2, min_df=1)
    title_vec = f.transform_texts(["team cup goal"]).toarray()[0]
    parts = [("team cup goal", "bank rates money. bank rates money.")]
    light = f.transform_articles(parts, FeatureConfig(title_weight=0.5)).toarray()[0]
    heavy = f.transform_articles(parts, FeatureConfig(title_weight=3.0)).toarray()[0]
    assert heavy @ title_vec > light @ title_vec


def test_lead_weight_counts_only_the_first_body_tokens():
    f = Featurizer.fit(["alpha beta", "gamma delta"] * 2, min_df=1)
    col = {f.term(j): j for j in range(f.n_features)}
    parts = [("", "alpha beta gamma delta")]
    x = f.transform_articles(parts, FeatureConfig(lead_weight=3.0, lead_tokens=2)).toarray()[0]
    assert x[col["alpha"]] > x[col["gamma"]] and np.isclose(x[col["alpha"]], x[col["beta"]])


def test_lengths_count_title_and_body_tokens():
    f = Featurizer.fit(["a b", "c d"], min_df=1)
    _, n = f.transform_articles_with_lengths([("One two", "three four five"), ("", "six"), ("", "")], FeatureConfig())
    assert n.tolist() == [5, 1, 0]


def test_product_with_weights_equals_the_dense_product():
    f = Featurizer.fit(["the bank raised rates", "the team won the cup", "rates fell at the bank"], min_df=1)
    x = f.transform_articles([("Bank", "The bank raised rates"), ("", ""), ("Cup", "the team won the cup")], FeatureConfig(title_weight=2.0))
    w = np.random.default_rng(0).normal(size=(f.n_features, 4)).astype(np.float32)
    assert np.allclose(x @ w, x.toarray() @ w, atol=1e-5)
    assert np.allclose(x.tocsr().toarray(), x.toarray())


def test_html_entities_are_punctuation_even_without_their_ampersand():
    assert tokens("Google #39;s  quot;new quot; deal with AT amp;T") == ["google", "s", "new", "deal", "with", "at", "t"]
    assert tokens("Shares &lt;b&gt;rose&lt;/b&gt; 5;") == ["shares", "b", "rose", "b", "5"]
    # Only whole entities: a name inside a word, or five digits, is text (features._ENTITY).
    assert tokens("Squot; and galt; stay words; #12345; is not one, a#12;b and x&amp;y are") == [
        "squot", "and", "galt", "stay", "words", "12345", "is", "not", "one", "a", "b", "and", "x", "y", "are"
    ]


def test_windows_follow_paragraphs_and_short_bodies_have_none():
    f = Featurizer.fit(["alpha beta gamma", "delta epsilon"], min_df=1)
    first = " ".join(["alpha"] * 7)
    second = " ".join(["delta"] * 2)  # under half a window: joins the next paragraph
    third = " ".join(["beta"] * 5)
    wire = "gamma gamma gamma\n    " + " ".join(["epsilon"] * 6)  # wire copy: indented new line
    parts = [("Title", f"{first}\n\n{second}\n\n{third}"), ("", "alpha beta"), ("", wire + " alpha")]
    x, n, w, owners = f.transform_articles_with_windows(parts, FeatureConfig(window_tokens=6))
    assert x.shape[0] == 3 and n.tolist() == [15, 2, 10]
    # 7 alphas (one window, the tail of 1 joins it), then delta x2 + beta x5 as one window; the
    # short body has no windows; the wire story splits at its indented line.
    assert owners.tolist() == [0, 0, 2, 2]
    dense = w.toarray()
    col = {f.term(j): j for j in range(f.n_features)}
    assert dense[0, col["alpha"]] > 0 and dense[0, col["delta"]] == 0
    assert dense[1, col["delta"]] > 0 and dense[1, col["beta"]] > 0 and dense[1, col["alpha"]] == 0
    assert dense[2, col["gamma"]] > 0 and dense[3, col["epsilon"]] > 0 and dense[3, col["gamma"]] == 0
    _, _, none, owners = f.transform_articles_with_windows(parts, FeatureConfig())
    assert none is None and len(owners) == 0


def test_parted_tokens_are_the_tokens_of_each_part_with_a_break_between():
    from newstag.topics.features import PART_BREAK, parted_token_bytes, token_bytes

    parts = [
        "Minister\x00visits &lt;Ottawa&gt;",  # a NUL of the text: a separator, as token_bytes has it
        "",
        "Café “talks” — #39;quot;",
        "...",
        "AT&amp;T said; 12345;",
    ]
    expected = token_bytes(parts[0])
    for p in parts[1:]:
        expected += [PART_BREAK, *token_bytes(p)]
    assert parted_token_bytes(parts) == expected
    assert expected[:4] == [b"minister", b"visits", b"ottawa", PART_BREAK]


def test_article_tokens_are_the_sentences_tokens_and_the_bodys_tokens():
    # One tokenising serves the classifier (title, then the body's tokens, paragraph by paragraph)
    # and the depth index (a break before each sentence): both must be what tokenising the text
    # their own way gives. Written for this test: wire-style paragraphs, a paragraph ending in a
    # mark, a lone mark as a "sentence", an indented paragraph and entities.
    from newstag.topics.features import _PARAGRAPH, PART_BREAK, article_tokens, parted_token_bytes, sentences_of, token_bytes

    title = "Talks resume &amp; envoys meet"
    body = (
        "The envoy arrived on Monday. Talks began at noon!\n\n"
        "Officials said: \"We are hopeful.\" . .\n\n"
        "   An indented wire paragraph follows? Yes.\n"
        "  Another one, then a blank line.\n\n\n"
        "Café owners said #39;no#39;. The end."
    )
    art = article_tokens(title, body)
    assert art.title == token_bytes(title)
    assert art.sentence_stream() == parted_token_bytes([title, *sentences_of(body)])
    assert art.sentences == len(sentences_of(body)) == 8
    paragraphs = [[t for t in toks if t != PART_BREAK] for toks, _ in art.paragraphs]
    assert paragraphs == [token_bytes(p) for p in _PARAGRAPH.split(body)]
    assert [t for p in paragraphs for t in p] == token_bytes(body)


# Texts of the characters that end sentences and paragraphs, with words, entities and NULs.
_PIECES = st.sampled_from(["a", "B", " ", ".", "!", "?", "\n", "\n\n", "\n   ", "\t", "é", "&amp;", "\x00", "-", "1"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=4).map("".join), st.lists(_PIECES, max_size=24).map("".join))
def test_article_tokens_agree_with_each_readers_own_tokenising(title, body):
    from newstag.topics.features import PART_BREAK, article_tokens, parted_token_bytes, sentences_of, token_bytes

    art = article_tokens(title, body)
    assert art.sentence_stream() == parted_token_bytes([title, *sentences_of(body)])
    assert art.sentences == len(sentences_of(body))
    assert [t for toks, _ in art.paragraphs for t in toks if t != PART_BREAK] == token_bytes(body)
