"""Text -> sparse feature rows: one normalizer and one vocabulary for training and tagging.

Training texts are short (Wikipedia event summaries, HuffPost headlines); newstag tags full
articles. An article is read as one bag of words in which

    title   tokens count `title_weight` times (editors put the subject there)
    lead    the first `lead_tokens` tokens of the body count `lead_weight` times (the summary-like part)
    body    the rest counts once

then sublinear term frequency (log(1 + tf)), idf, and L2 normalisation of the whole row, so that
a long story is not "more" of anything than a headline: length drops out. A training text has one
part only, so the weights do not change it: the classifier learns in one space, and the weights
only say how to read an article (the shipped model's are chosen on hand labels of openly
licensed full articles, shipped.py step 8).

For "which further topics are present", a long body is also read as windows of about two
sentences (its paragraphs, cut or joined to `window_tokens`): each window is a text of the length
the model and its thresholds know, so a topic that fills one paragraph of a long story is seen.
Windows are slices of the article's token ids: no text is tokenised twice. An article is
tokenised once for the whole topic stage (`article_tokens`: its title, and each paragraph's
sentences with a break token between them): the classifier reads the paragraphs, the depth index
(depth.py) the sentences.

Features are unigrams and adjacent bigrams of known unigrams. Speed is the point of the layout: a
batch is tokenised with a byte table per text and one dict lookup per token (C-level `map`),
and everything after that (bigram keys, weights, tf, idf, norms) is vectorised numpy over the whole
batch. Bigrams are found by `searchsorted` of (first id, second id) keys, never by building strings.

Only numpy is imported here: importing scikit-learn costs about a second of start-up and
scipy.sparse half a second, and tagging must pay neither. Rows are a small CSR structure of our
own (`Rows`) whose product with a dense weight matrix is a gather and a segment sum; training
converts it to scipy's CSR with `tocsr()`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

# Words are runs of letters or digits after lower-casing. The same rule splits "Trump's" and
# HuffPost's pre-tokenized "trump 's" into the same tokens, so headlines and articles agree.
# Tokenising is the largest per-document cost, so it works on UTF-8 bytes: one table maps every
# ASCII byte that is not a letter or digit to a space (bytes.translate, then bytes.split, both C
# loops, ~5x faster than a Unicode regex findall). Bytes >= 0x80 are kept, so accented letters
# stay inside their words; the punctuation and symbols outside ASCII that news text uses (curly
# quotes, dashes, ellipsis, NBSP, currency signs, «», °) are first blanked by a byte regex, only
# in texts that are not pure ASCII.
_BYTE_MAP = bytes(c if (48 <= c <= 57 or 97 <= c <= 122 or c >= 128) else (c + 32 if 65 <= c <= 90 else 32) for c in range(256))
_NON_ASCII_PUNCT = re.compile(rb"\xe2\x80[\x80-\xbf]|\xe2\x82[\x80-\xbf]|\xe2\x84[\x80-\xbf]|\xc2[\x80-\xbf]|\xc3[\x97\xb7]")
# Marks a break (between title and body, between documents) in a batch's token stream: it is
# never in the vocabulary, so its id is -1 and no bigram spans it.
_BREAK = b""
# HTML entities, also with the ampersand lost ("Google #39;s", " quot;Yes quot;", "AT amp;T", as
# wire feeds scraped into some corpora have them): punctuation, not the words "39" or "quot".
# The lookahead gives the regex engine the few bytes an entity can start with, so it skips to them
# (the leading optional "&" left it none, and the scan of every byte cost more than the rest of
# tokenising a Reuters story, whose "&lt;" puts most of them through it); matches are unchanged.
_ENTITY = re.compile(rb"(?=[&#qalgn])(?:&?#\d{2,4};|&?\b(?:quot|amp|lt|gt|nbsp|apos);)")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[ \t]{2,}\S)")


def _token_bytes(text: str, table: bytes = _BYTE_MAP) -> list[bytes]:
    raw = text.lower().encode("utf-8")
    if not text.isascii():
        raw = _NON_ASCII_PUNCT.sub(b" ", raw)
    if b";" in raw and (b"#" in raw or b"quot;" in raw or b"amp;" in raw or b"lt;" in raw or b"gt;" in raw or b"nbsp;" in raw or b"apos;" in raw):
        raw = _without_entities(raw)
    return raw.translate(table).split()


# The longest entity _ENTITY matches ("&#1234;"): every one ends at a ";".
_ENTITY_LONGEST = 7


def _without_entities(raw: bytes) -> bytes:
    """_ENTITY.sub(b" ", raw), with the regex run only on the bytes before each ";" (an entity
    ends at one and is at most _ENTITY_LONGEST long): a scan of every byte was a third of
    tokenising a Reuters story, whose "&lt;" brings most of them here. The same leftmost matches:
    the search starts after the last replacement, and the bytes before its start still count for
    \b (re's pos argument)."""
    out = []
    done = 0  # raw[:done] is in `out`
    at = raw.find(b";")
    while at >= 0:
        m = _ENTITY.search(raw, max(done, at + 1 - _ENTITY_LONGEST), at + 1)
        if m is not None:
            out.append(raw[done : m.start()])
            out.append(b" ")
            done = m.end()
        at = raw.find(b";", at + 1)
    if not out:
        return raw
    out.append(raw[done:])
    return b"".join(out)


# The token parted_token_bytes puts before each part after the first: NUL, which _BYTE_MAP turns
# into a space, so it is never a token of a text.
PART_BREAK = b"\x00"
_BYTE_MAP_KEEPING_NUL = PART_BREAK + _BYTE_MAP[1:]
# Its id in Featurizer._ids, which drops it.
_PART_ID = -2


def _cut(start: int, end: int, size: int) -> list[tuple[int, int]]:
    """[start, end) as consecutive windows of `size` tokens; a tail under half a window joins
    the window before it."""
    out = []
    for a in range(start, max(start + 1, end - size // 2), size):
        out.append((a, a + size if a + size < end - size // 2 else end))
    return out


def tokens(text: str) -> list[str]:
    return [t.decode("utf-8") for t in _token_bytes(text)]


def token_bytes(text: str) -> list[bytes]:
    """The normalised tokens as UTF-8 bytes, as the vocabulary and the depth index key them."""
    return _token_bytes(text)


def parted_token_bytes(parts: Sequence[str]) -> list[bytes]:
    """The tokens of each part (token_bytes), with PART_BREAK before every part after the first,
    from one tokenising call (the depth index reads an article's sentences so: a call per sentence
    was most of its time). The same tokens as part by part: the parts are joined by a NUL between
    spaces, which splits no token and starts none, and a NUL in a part is first made the space
    token_bytes makes of it."""
    text = " \x00 ".join(parts)
    if text.count("\x00") != len(parts) - 1:
        text = " \x00 ".join(p.replace("\x00", " ") for p in parts)
    return _token_bytes(text, _BYTE_MAP_KEEPING_NUL)


# Where a sentence ends (depth.py counts evidence per sentence): a full stop, question or
# exclamation mark before a space, or a line break.
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_MARKS = ".!?"


def sentences_of(body: str) -> list[str]:
    """The body's sentences and paragraph lines (a full stop, question or exclamation mark before
    a space, or a line break, ends one), without blank ones: where an article's evidence is
    counted."""
    return list(filter(str.strip, _SENTENCE_END.split(body)))


@dataclass(frozen=True, slots=True)
class ArticleTokens:
    """An article tokenised once for the whole topic stage (`article_tokens`): the classifier
    reads its title and paragraphs, the depth index its sentences."""

    title: list[bytes]  # token_bytes of the title
    # Per paragraph of the body (_PARAGRAPH): its tokens with PART_BREAK between its sentences
    # (parted_token_bytes of its sentences_of), and how many sentences it has.
    paragraphs: list[tuple[list[bytes], int]]

    def sentence_stream(self) -> list[bytes]:
        """The title's tokens, then PART_BREAK before each sentence of the body and its tokens:
        parted_token_bytes([title, *sentences_of(body)])."""
        out = list(self.title)
        for toks, n in self.paragraphs:
            if n:
                out.append(PART_BREAK)
                out.extend(toks)
        return out

    @property
    def sentences(self) -> int:
        """The number of sentences of the body (len(sentences_of(body)))."""
        return sum(n for _, n in self.paragraphs)


def article_tokens(title: str, body: str) -> ArticleTokens:
    """The title's tokens and each paragraph's sentences' tokens, from one tokenising call per
    paragraph: the classifier and the depth index both read these (each tokenised the text
    apart, a tenth of the stage).

    The paragraphs' sentences are the body's (sentences_of(body)): a paragraph break starts with
    a line break, which ends a sentence, so no sentence spans two paragraphs; and where a mark
    ends a paragraph, the body's split takes it with the line break after it as one sentence end,
    so it is dropped here too (a paragraph ending in ". ." would otherwise keep a sentence ".")."""
    paras = _PARAGRAPH.split(body)
    last = len(paras) - 1
    out = []
    for k, para in enumerate(paras):
        if k < last and para and para[-1] in _MARKS:
            para = para[:-1]
        sentences = sentences_of(para)
        out.append((parted_token_bytes(sentences) if sentences else [], len(sentences)))
    return ArticleTokens(_token_bytes(title) if title else [], out)


def terms(toks: Sequence[str]) -> list[str]:
    """Unigrams and adjacent bigrams ("a b"): the feature names."""
    return [*toks, *(f"{a} {b}" for a, b in zip(toks, toks[1:]))]


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """How an article is read: title and lead weights, and the paragraph windows (the shipped
    model chooses the weights on open full-article labels and the windows from its training texts,
    shipped.py)."""

    title_weight: float = 1.0
    lead_weight: float = 1.0
    lead_tokens: int = 80
    # Windows for "is this topic present" (0 = none): a body longer than 1.5 windows is also read
    # as consecutive windows of this many tokens, each scored like a training text (a summary or a
    # headline), and a topic's score is its best over the whole article and its windows. A
    # secondary topic of a long story (one economy paragraph in a diplomacy story) is then judged
    # at the length the thresholds were tuned on, instead of being diluted by the rest.
    window_tokens: int = 0

    def to_json(self) -> dict:
        return {"title_weight": self.title_weight, "lead_weight": self.lead_weight, "lead_tokens": self.lead_tokens, "window_tokens": self.window_tokens}

    @classmethod
    def from_json(cls, d: dict) -> FeatureConfig:
        return cls(
            title_weight=float(d["title_weight"]),
            lead_weight=float(d["lead_weight"]),
            lead_tokens=int(d["lead_tokens"]),
            window_tokens=int(d.get("window_tokens", 0)),
        )


@dataclass(frozen=True, slots=True)
class Rows:
    """L2-normalised rows in CSR layout (indices sorted within each row), numpy only."""

    indptr: np.ndarray  # (n + 1,) int64
    indices: np.ndarray  # (nnz,) int64 column ids
    data: np.ndarray  # (nnz,) float32
    shape: tuple[int, int]

    def __matmul__(self, w: np.ndarray) -> np.ndarray:
        """Dense (n x k) product with a dense (features x k) matrix."""
        w = np.asarray(w)
        out = np.zeros((self.shape[0], w.shape[1]), dtype=np.result_type(w.dtype, np.float32))
        if len(self.data):
            prod = np.take(w, self.indices, axis=0)
            prod *= self.data[:, None]
            starts = self.indptr[:-1]
            filled = self.indptr[1:] > starts
            out[filled] = np.add.reduceat(prod, starts[filled], axis=0)
        return out

    def toarray(self) -> np.ndarray:
        out = np.zeros(self.shape, dtype=np.float32)
        out[np.repeat(np.arange(self.shape[0]), np.diff(self.indptr)), self.indices] = self.data
        return out

    def tocsr(self):
        """scipy.sparse CSR (for training with scikit-learn; imports scipy)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


class Featurizer:
    """Unigram vocabulary, bigrams as pairs of unigram ids, and idf; turns texts into CSR rows.

    Columns: unigrams 0..U-1 in `vocabulary` order, then bigrams U..U+B-1 in `bigrams` order
    (rows of (first, second) unigram ids, sorted by first * U + second).
    """

    def __init__(self, vocabulary: Sequence[str], bigrams: np.ndarray, idf: np.ndarray) -> None:
        self.vocabulary = list(vocabulary)
        self.index = dict(zip((t.encode("utf-8") for t in self.vocabulary), range(len(self.vocabulary))))
        # The ids' lookup: the vocabulary, and PART_BREAK (never a token of a text) as _PART_ID.
        self._lookup = {**self.index, PART_BREAK: _PART_ID}
        u = len(self.vocabulary)
        pairs = np.asarray(bigrams, dtype=np.int64).reshape(-1, 2)
        self.bigrams = pairs
        self.bigram_keys = pairs[:, 0] * u + pairs[:, 1]
        if len(self.bigram_keys) > 1 and np.any(np.diff(self.bigram_keys) <= 0):
            raise ValueError("bigram pairs must be sorted by key and unique")
        self.starts_bigram = np.zeros(max(u, 1), dtype=bool)
        self.starts_bigram[pairs[:, 0]] = True
        self.idf = np.asarray(idf, dtype=np.float32)
        if len(self.idf) != self.n_features:
            raise ValueError(f"vocabulary has {self.n_features} terms but idf has {len(self.idf)} values")

    @property
    def n_unigrams(self) -> int:
        return len(self.vocabulary)

    @property
    def n_features(self) -> int:
        return len(self.vocabulary) + len(self.bigram_keys)

    def term(self, column: int) -> str:
        """The feature name of a column (for inspection)."""
        u = self.n_unigrams
        if column < u:
            return self.vocabulary[column]
        a, b = self.bigrams[column - u]
        return f"{self.vocabulary[a]} {self.vocabulary[b]}"

    @classmethod
    def fit(cls, texts: Iterable[str], min_df: int = 2, max_features: int = 250_000, weights: Iterable[float] | None = None) -> Featurizer:
        """Vocabulary of terms in >= min_df texts (document frequency; `weights` lets a text count
        for less or more than one), most frequent first up to max_features; smoothed idf."""
        uni: Counter = Counter()
        bi: Counter = Counter()
        n = 0.0
        for text, w in zip(texts, weights if weights is not None else repeat(1.0)):
            n += w
            toks = tokens(text)
            for t in set(toks):
                uni[t] += w
            for p in set(zip(toks, toks[1:])):
                bi[p] += w
        kept_uni = sorted((t for t, c in uni.items() if c >= min_df), key=lambda t: (-uni[t], t))
        uid = {t: i for i, t in enumerate(kept_uni)}
        kept_bi = [(c, p) for p, c in bi.items() if c >= min_df and p[0] in uid and p[1] in uid]
        kept_bi.sort(key=lambda cp: (-cp[0], cp[1]))
        kept_bi = kept_bi[: max(0, max_features - len(kept_uni))]
        u = len(kept_uni)
        pairs = np.array([(uid[a], uid[b]) for _, (a, b) in kept_bi], dtype=np.int64).reshape(-1, 2)
        order = np.argsort(pairs[:, 0] * u + pairs[:, 1], kind="stable")
        pairs = pairs[order]
        dfs = np.array([uni[t] for t in kept_uni] + [kept_bi[i][0] for i in order], dtype=np.float64)
        idf = (np.log((1.0 + n) / (1.0 + dfs)) + 1.0).astype(np.float32)
        return cls(kept_uni, pairs, idf)

    # --- rows ----------------------------------------------------------------------------------

    def transform_texts(self, texts: Sequence[str]) -> Rows:
        """One L2-normalised sublinear TF-IDF row per text (every token weighs 1)."""
        streams = [_token_bytes(t) for t in texts]
        return self._rows(streams, [0] * len(texts), 1.0, 1.0, 0)

    def transform_articles(self, parts: Sequence[tuple[str, str]], config: FeatureConfig) -> Rows:
        """Rows for (title, body) pairs, read with the configured title and lead weights."""
        return self.transform_articles_with_lengths(parts, config)[0]

    def transform_articles_with_lengths(self, parts: Sequence[tuple[str, str]], config: FeatureConfig) -> tuple[Rows, np.ndarray]:
        """Rows for (title, body) pairs, and each pair's number of tokens (title + body)."""
        x, lengths, _, _ = self.transform_articles_with_windows(parts, config)
        return x, lengths

    def transform_articles_with_windows(
        self, parts: Sequence[tuple[str, str]], config: FeatureConfig, tokens: Sequence[ArticleTokens] | None = None
    ) -> tuple[Rows, np.ndarray, Rows | None, np.ndarray]:
        """Rows for (title, body) pairs, each pair's number of tokens (title + body), and the rows
        of the bodies' windows (`config.window_tokens`; None when no body is long enough) with
        the index of the pair each window belongs to. Every text is tokenised and looked up once:
        a window is a slice of its article's token ids. `tokens`: the pairs' article_tokens, when
        the caller has them (TopicTagger, for the depth index too)."""
        if tokens is None:
            tokens = [article_tokens(title, body) for title, body in parts]
        streams, title_lens, lengths_ = [], [], []
        spans: list[tuple[int, int, int]] = []  # (pair, first token, end) in the pair's token ids
        size = config.window_tokens
        for i, ((_, body), art) in enumerate(zip(parts, tokens)):
            tt = list(art.title)
            if tt:
                tt.append(_BREAK)
            title_lens.append(len(tt))
            # A paragraph's tokens without the PART_BREAK between its sentences (the ids drop
            # them: _ids), so a bigram spans a sentence end as it did in one tokenised body.
            paras = [len(toks) - max(n - 1, 0) for toks, n in art.paragraphs]
            if size and len(body) >= 6 * size:  # at least ~1.5 windows of words: look at paragraphs
                # Paragraphs (blank line, or a new line indented as in wire copy); one shorter than
                # half a window joins the next, one longer than two windows is cut.
                n_body = sum(paras)
                if n_body > size + size // 2:
                    at = start = len(tt)
                    for para in paras:
                        at += para
                        if at - start >= size // 2:
                            spans.extend((i, a, b) for a, b in _cut(start, at, size))
                            start = at
                    if at > start:
                        spans.extend((i, a, b) for a, b in _cut(start, at, size))
            lengths_.append(len(tt) + sum(paras) - bool(tt))
            for toks, _ in art.paragraphs:
                tt.extend(toks)
            streams.append(tt)
        lengths = np.asarray(lengths_, dtype=np.int64)
        ids, doc, starts = self._ids(streams)
        pos = np.arange(len(ids), dtype=np.int64) - starts[doc]
        tl = np.asarray(title_lens, dtype=np.int64)[doc]
        weight = np.where(
            pos < tl, np.float32(config.title_weight), np.where(pos - tl < config.lead_tokens, np.float32(config.lead_weight), np.float32(1.0))
        ).astype(np.float32)
        bigram_cols = self._bigram_columns(ids)
        x = self._rows_of(ids, doc, weight, len(streams), bigram_cols)
        if not spans:
            return x, lengths, None, np.zeros(0, dtype=np.int64)
        owner, a, b = (np.array(c, dtype=np.int64) for c in zip(*spans))
        n = b - a
        first = starts[owner] + a
        offsets = np.zeros(len(n), dtype=np.int64)
        np.cumsum(n[:-1], out=offsets[1:])
        take = np.repeat(first - offsets, n) + np.arange(int(n.sum()), dtype=np.int64)
        w_doc = np.repeat(np.arange(len(n), dtype=np.int64), n)
        # A window's last token pairs with the next window's first: _rows_of drops that bigram.
        w = self._rows_of(ids[take], w_doc, np.ones(len(take), dtype=np.float32), len(n), bigram_cols[np.minimum(take[:-1], len(bigram_cols) - 1)])
        return x, lengths, w, owner

    def _ids(self, streams: list[list[bytes]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vocabulary ids of a batch's tokens (a break, id -1, after each stream; PART_BREAK
        tokens are dropped), the stream of each token, and where each stream starts."""
        n_docs = len(streams)
        lens = np.fromiter(map(len, streams), dtype=np.int64, count=n_docs) + 1  # + the break after each doc
        total = int(lens.sum())
        flat: list[bytes] = []
        for s_ in streams:
            flat.extend(s_)
            flat.append(_BREAK)
        ids = np.fromiter(map(self._lookup.get, flat, repeat(-1)), dtype=np.int64, count=total)
        doc = np.repeat(np.arange(n_docs, dtype=np.int64), lens)
        parted = ids == _PART_ID
        if parted.any():  # sentence breaks inside a stream (article_tokens): not tokens of it
            keep = ~parted
            ids, doc = ids[keep], doc[keep]
            lens = np.bincount(doc, minlength=n_docs)
        starts = np.zeros(n_docs, dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        return ids, doc, starts

    def _rows(self, streams: list[list[bytes]], title_lens: list[int], title_w: float, lead_w: float, lead_n: int) -> Rows:
        ids, doc, starts = self._ids(streams)
        pos = np.arange(len(ids), dtype=np.int64) - starts[doc]
        tl = np.asarray(title_lens, dtype=np.int64)[doc]
        weight = np.where(pos < tl, np.float32(title_w), np.where(pos - tl < lead_n, np.float32(lead_w), np.float32(1.0))).astype(np.float32)
        return self._rows_of(ids, doc, weight, len(streams))

    def _bigram_columns(self, ids: np.ndarray) -> np.ndarray:
        """Per position t < len(ids) - 1: the column of the bigram (ids[t], ids[t + 1]), or -1."""
        out = np.full(max(len(ids) - 1, 0), -1, dtype=np.int64)
        if len(self.bigram_keys) and len(ids) > 1:
            a, b = ids[:-1], ids[1:]
            # Only words that start some bigram are searched for (about half of the pairs).
            ok = np.flatnonzero((a >= 0) & (b >= 0) & self.starts_bigram[np.maximum(a, 0)])
            keys = a[ok] * self.n_unigrams + b[ok]
            # Searched in increasing order: numpy's binary search then keeps the previous key's
            # place as its lower bound and walks the table in order, a third of the time of the
            # search in text order on a batch of 256 articles, argsort included; the same places.
            order = np.argsort(keys)
            at = np.empty(len(keys), dtype=np.int64)
            at[order] = np.searchsorted(self.bigram_keys, keys[order])
            at[at == len(self.bigram_keys)] = 0
            hit = self.bigram_keys[at] == keys
            out[ok[hit]] = at[hit] + self.n_unigrams
        return out

    def _rows_of(self, ids: np.ndarray, doc: np.ndarray, weight: np.ndarray, n_docs: int, bigram_cols: np.ndarray | None = None) -> Rows:
        """Rows from token ids (-1 = unknown or a break), the row of each token (non-decreasing)
        and each token's weight; `bigram_cols` (see _bigram_columns) counts for the first token's
        row where the next token is in the same row."""
        known = ids >= 0
        u_doc, u_col, u_w = doc[known], ids[known], weight[known]
        if bigram_cols is None:
            bigram_cols = self._bigram_columns(ids)
        if len(bigram_cols):
            hit = np.flatnonzero((bigram_cols >= 0) & (doc[:-1] == doc[1:]))
            rows = np.concatenate([u_doc, doc[hit]])
            cols = np.concatenate([u_col, bigram_cols[hit]])
            vals = np.concatenate([u_w, weight[hit]])
        else:
            rows, cols, vals = u_doc, u_col, u_w
        # Sum the weights of repeated (row, column) cells, then sublinear tf, idf and L2 per row.
        n_feat = self.n_features
        cells, where = np.unique(rows * n_feat + cols, return_inverse=True)
        tf = np.bincount(where, weights=vals, minlength=len(cells))
        cell_row = cells // n_feat
        cell_col = cells - cell_row * n_feat
        data = (np.log1p(tf) * self.idf[cell_col]).astype(np.float32)
        norms = np.sqrt(np.bincount(cell_row, weights=np.square(data, dtype=np.float64), minlength=n_docs))
        norms[norms == 0] = 1.0
        data /= norms[cell_row].astype(np.float32)
        indptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(cell_row, minlength=n_docs), out=indptr[1:])
        return Rows(indptr, cell_col, data, (n_docs, n_feat))
