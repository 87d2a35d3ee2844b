"""Text -> sparse feature rows: one normalizer and one vocabulary for training and tagging.

Training texts are short (Wikipedia event summaries, HuffPost headlines); newstag tags full
articles. An article is therefore cut into three parts, each turned into an L2-normalised
TF-IDF row over the same vocabulary:

    title   the headline (weighted up: editors put the subject there)
    lead    the first sentences of the body, up to `lead_chars` (the summary-like part)
    body    the whole body (length-normalised, so a long story does not drown the title)

and the article's row is the weighted sum of the three, L2-normalised again. A training text
has one part only, so the weights do not change it: the classifier learns in one space, and
the weights (tuned on dev articles, never learned from them) only say how to read an article.

Only numpy and scipy are imported here: importing scikit-learn costs about a second of
start-up, and tagging must not pay it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

# Words are runs of letters or digits after lower-casing. The same rule splits "Trump's" and
# HuffPost's pre-tokenized "trump 's" into the same tokens, so headlines and articles agree.
_TOKEN = re.compile(r"[^\W_]+")
# Sentence ends for cutting the lead; good enough for a length budget, not for linguistics.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?\s")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def terms(toks: Sequence[str]) -> list[str]:
    """Unigrams and adjacent bigrams ("a b"): the feature names."""
    return [*toks, *(f"{a} {b}" for a, b in zip(toks, toks[1:]))]


def lead_of(body: str, lead_chars: int) -> str:
    """The body up to the first sentence end after `lead_chars` characters."""
    if len(body) <= lead_chars:
        return body
    m = _SENTENCE_END.search(body, lead_chars)
    return body[: m.end()] if m and m.end() - lead_chars < 400 else body[:lead_chars]


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """How an article is read. Calibrated together on dev articles (see topics/shipped.py)."""

    title_weight: float = 1.0
    lead_weight: float = 1.0
    body_weight: float = 1.0
    lead_chars: int = 400

    def to_json(self) -> dict:
        return {
            "title_weight": self.title_weight,
            "lead_weight": self.lead_weight,
            "body_weight": self.body_weight,
            "lead_chars": self.lead_chars,
        }

    @classmethod
    def from_json(cls, d: dict) -> FeatureConfig:
        return cls(
            title_weight=float(d["title_weight"]),
            lead_weight=float(d["lead_weight"]),
            body_weight=float(d["body_weight"]),
            lead_chars=int(d["lead_chars"]),
        )


class Featurizer:
    """Vocabulary (term -> column) and idf; turns texts or (title, body) pairs into CSR rows."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        self.vocabulary = list(vocabulary)
        self.index = {t: i for i, t in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)
        if len(self.idf) != len(self.index):
            raise ValueError(f"vocabulary has {len(self.index)} terms but idf has {len(self.idf)} values")

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    @classmethod
    def fit(cls, texts: Iterable[str], min_df: int = 2, max_features: int = 250_000) -> Featurizer:
        df: dict[str, int] = {}
        n = 0
        for text in texts:
            n += 1
            for t in set(terms(tokens(text))):
                df[t] = df.get(t, 0) + 1
        kept = [(c, t) for t, c in df.items() if c >= min_df]
        # Most frequent first, ties by term, so that the same data gives the same columns.
        kept.sort(key=lambda ct: (-ct[0], ct[1]))
        kept = kept[:max_features]
        vocab = [t for _, t in kept]
        idf = np.array([math.log((1 + n) / (1 + c)) + 1.0 for c, _ in kept], dtype=np.float32)
        return cls(vocab, idf)

    def transform_texts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """One L2-normalised sublinear TF-IDF row per text."""
        get = self.index.get
        indptr = [0]
        cols: list[int] = []
        for text in texts:
            ids = [j for j in map(get, terms(tokens(text))) if j is not None]
            cols.extend(ids)
            indptr.append(len(cols))
        data = np.ones(len(cols), dtype=np.float32)
        x = sparse.csr_matrix(
            (data, np.asarray(cols, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
            shape=(len(texts), self.n_features),
        )
        x.sum_duplicates()
        np.log(x.data, out=x.data)
        x.data += 1.0
        x.data *= self.idf[x.indices]
        return _l2_rows(x)

    def transform_articles(self, parts: Sequence[tuple[str, str]], config: FeatureConfig) -> sparse.csr_matrix:
        """Rows for (title, body) pairs, read as title + lead + body with the configured weights."""
        titles = [t for t, _ in parts]
        bodies = [b for _, b in parts]
        leads = [lead_of(b, config.lead_chars) for b in bodies]
        x = config.title_weight * self.transform_texts(titles)
        x = x + config.lead_weight * self.transform_texts(leads)
        x = x + config.body_weight * self.transform_texts(bodies)
        return _l2_rows(x.tocsr())


def _l2_rows(x: sparse.csr_matrix) -> sparse.csr_matrix:
    sq = np.asarray(x.multiply(x).sum(axis=1)).ravel()
    norms = np.sqrt(sq, dtype=np.float64)
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags((1.0 / norms).astype(np.float32)) @ x)
