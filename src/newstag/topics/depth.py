"""Deeper General: IPTC level 2 and 3 beneath the level-1 topics an article was given.

The level-1 decision is the classifier's (topics/__init__.TopicTagger). Below it, no openly
licensed corpus labels enough of IPTC's 120 level-2 and 515 level-3 topics to train on, so depth
comes from a phrase index over the whole taxonomy, built by `newstag train --shipped` into the
model directory (`depth.json`) from:

    1. every topic's own IPTC label, and the parts of a label that lists several things
       ("refugees and internally displaced people": "refugees", "internally displaced people"),
       with the plural or singular of its last word (IPTC text, CC BY 4.0); not a label that
       is an everyday word alone (ORDINARY_WORD_LABELS: "government", "law", "family")
    2. phrases written for newstag for the branches news uses most (seeds.DEPTH_LEXICONS)

A phrase found in an article counts for its topic and for each ancestor down to level 2
(hierarchical scoring: "summit" counts for summit meeting, diplomacy and international
relations), within one sentence. Deeper topics (level 4 and below) count for their level-3
ancestor and are not given themselves. A topic at level 2 or 3 is a candidate when its level-1
ancestor is among the article's level-1 topics (no depth without a parent), and, at level 3, when
its level-2 parent is given too. A candidate's evidence (`Candidate`): its hits (a title
occurrence counts TITLE_HITS times), the sentences that carry them, whether the title or the
first LEAD_SENTENCES sentences do, how many distinct phrases they are, and whether it has the
most hits among its siblings.

Which candidates are given (`calibration` in depth.json, fitted by topics/depth_fit.py on openly
licensed data only):

    - the open calibration: the probability that the code is right given its level-1 topic, a
      logistic function of how often its phrases stood for a right deeper code in the open
      (one-sentence) training texts and for the right level-1 topic, its hit count and its
      level (DEPTH_FEATURES). Alone, a candidate passes at its `threshold`.
    - the article calibration (`calibration["article"]`, fitted on hand-labelled full articles):
      the probability that the tag is right, a logistic function of the open probability, the
      evidence above, how many distinct phrases carry it, the article's length and the level-1
      topic's probability (ARTICLE_FEATURES). When present it decides, at its own threshold and number per parent,
      and the classifier's own level-2 topics are not given (topics/__init__.TopicTagger).

Without a calibration (a hand-made index), the rule is a priori: phrases occur at least
MIN_HITS times. In every case at most max_per_parent per parent, most probable (most hits) first.

A deeper tag's score: the article calibration's probability; else its level-1 topic's
probability times the open one (1 without a calibration).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Mapping
from itertools import compress, count
from operator import mul
from typing import NamedTuple

from newstag.topics.features import PART_BREAK, ArticleTokens, article_tokens, tokens

DEPTH_FORMAT = "newstag-depth/1"
MIN_HITS = 2
TITLE_HITS = 2
MAX_PER_PARENT = 2
DEEPEST_GIVEN = 3
# The lead: what an editor puts first. Two sentences, as the news lead is usually one or two.
LEAD_SENTENCES = 2
# Before each sentence of the body in evidence()'s token list: no phrase has this word.
_BREAK = PART_BREAK
# Single words too general to stand for a topic when a label is split into its parts
# ("products and services" gives neither "products" nor "services").
GENERIC_PARTS = frozenset(
    {"products", "services", "service", "other", "general", "people", "system", "systems", "issues", "industry",
     "information", "organisation", "organization", "policy", "record", "development", "condition", "action"}
)


# Whole labels that are everyday words, used in stories on anything under their level-1 topic
# ("the government said", "under the law", "women and children", "the series"): alone they are
# no evidence of the topic, which keeps its written phrases and its descendants' labels.
ORDINARY_WORD_LABELS = frozenset(
    {"government", "law", "party", "men", "women", "children", "adults", "teenagers", "water", "series", "trend", "game",
     "pool", "skeleton", "communities", "nature", "mankind", "values", "history", "language", "culture", "family",
     "ceremony", "employee", "employer", "transport", "students", "teachers"}
)


def _variants(phrase: str) -> set[str]:
    """The phrase and the plural or singular of its last word (simple English rules)."""
    toks = tokens(phrase)
    if not toks:
        return set()
    out = {" ".join(toks)}
    *head, last = toks
    if last.endswith("ies") and len(last) > 4:
        alt = last[:-3] + "y"
    elif last.endswith(("ses", "xes", "ches", "shes")):
        alt = last[:-2]
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        alt = last[:-1]
    elif last.endswith("y") and len(last) > 3 and last[-2] not in "aeiou":
        alt = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        alt = last + "es"
    else:
        alt = last + "s"
    out.add(" ".join([*head, alt]))
    return out


def label_phrases(label: str) -> set[str]:
    """Phrases from an IPTC label: the label, its listed parts, with number variants. A
    parenthesised qualifier ("constitution (law)") is dropped."""
    base = label.split("(")[0].strip()
    out = set() if base.lower() in ORDINARY_WORD_LABELS else _variants(base)
    parts = [p.strip() for chunk in base.split(",") for p in chunk.split(" and ")]
    if len(parts) > 1:
        for part in parts:
            if part and not (len(part.split()) == 1 and part in GENERIC_PARTS):
                out |= _variants(part)
    return {p for p in out if p}


def build_depth_index(tax, written: dict[str, tuple[str, ...]]) -> dict:
    """The `depth.json` document: phrase -> topic codes, for every topic at level 2 and deeper."""
    phrases: dict[str, set[str]] = {}
    for t in tax.topics.values():
        if t.level < 2:
            continue
        for p in label_phrases(t.label):
            phrases.setdefault(p, set()).add(t.code)
    for code, extra in written.items():
        if code not in tax.topics or tax[code].level < 2:
            raise ValueError(f"seeds.DEPTH_LEXICONS: {code} is not an IPTC topic below level 1")
        for p in extra:
            for v in _variants(p):
                phrases.setdefault(v, set()).add(code)
    return {
        "format": DEPTH_FORMAT,
        "min_hits": MIN_HITS,
        "title_hits": TITLE_HITS,
        "max_per_parent": MAX_PER_PARENT,
        "phrases": {p: sorted(c) for p, c in sorted(phrases.items())},
    }


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


def smoothed_rate(right: float, seen: float, prior: float, smoothing: float) -> float:
    """(right + smoothing * prior) / (seen + smoothing): a code seen rarely keeps near the prior."""
    return (right + smoothing * prior) / (seen + smoothing)


def candidate_features(counts: list[float] | None, hits: int, level: int, calibration: dict) -> list[float]:
    """The calibration's features of one candidate (in the order of DEPTH_FEATURES).

    `counts` is the code's [level-1 right, seen, deeper right, deeper seen] in the open training
    texts (None: never seen)."""
    c = counts or (0.0, 0.0, 0.0, 0.0)
    a = calibration["smoothing"]
    return [
        _logit(smoothed_rate(c[2], c[3], calibration["deeper_prior"], a)),
        math.log(max(hits, 1)),
        1.0 if level == 3 else 0.0,
        _logit(smoothed_rate(c[0], c[1], calibration["level1_prior"], a)),
    ]


DEPTH_FEATURES = ("logit deeper-right rate", "log hits", "level 3", "logit level-1-right rate")
_LOG_HITS = DEPTH_FEATURES.index("log hits")


class Candidate(NamedTuple):
    """A level-2/3 code under one of the article's level-1 topics, with its evidence there.

    A named tuple, not a frozen dataclass: a few are made per article, and a frozen dataclass's
    __init__ (a setattr call per field) cost four times as much."""

    code: str
    level: int
    hits: int  # phrase occurrences (a title occurrence counts title_hits times)
    sentences: int  # sentences of the body, and the title, with an occurrence
    lead: bool  # an occurrence in the title or the first LEAD_SENTENCES sentences of the body
    dominant: bool  # at least as many hits as any sibling code (same parent) with hits
    open_probability: float  # the open-text calibration's probability (0.5 without one)
    level1_probability: float  # the classifier's probability of the code's level-1 topic
    # Distinct index phrases among its hits (an inflection is a phrase of its own): a story about a
    # topic names it in several ways ("envoy", "ambassador", "talks"); one phrase repeated is more
    # often a passing detail.
    phrases: int = 1


def article_features(c: Candidate, article_sentences: int) -> list[float]:
    """The article calibration's features of one candidate (in the order of ARTICLE_FEATURES)."""
    return [
        _logit(c.open_probability),
        math.log(max(c.sentences, 1)),
        math.log(max(article_sentences, 1)),
        1.0 if c.lead else 0.0,
        1.0 if c.dominant else 0.0,
        1.0 if c.level == 3 else 0.0,
        _logit(c.level1_probability),
        math.log(max(c.phrases, 1)),
    ]


ARTICLE_FEATURES = (
    "logit open probability", "log sentences with a hit", "log sentences of the article", "in title or lead",
    "most hits among siblings", "level 3", "logit level-1 probability", "log distinct phrases",
)
_ARTICLE_AT = {name: k for k, name in enumerate(ARTICLE_FEATURES)}


class DepthIndex:
    """Finds the level-2/3 topics of articles from a `depth.json` document and the taxonomy."""

    def __init__(self, doc: dict, tax) -> None:
        self.min_hits = int(doc.get("min_hits", MIN_HITS))
        self.title_hits = int(doc.get("title_hits", TITLE_HITS))
        self.max_per_parent = int(doc.get("max_per_parent", MAX_PER_PARENT))
        # The fitted probability of a candidate (topics/depth_fit.py), or None: the MIN_HITS rule.
        self.calibration: dict | None = doc.get("calibration")
        self._open_base: dict[str, float] = {}
        if self.article_calibrated:
            art = self.calibration["article"]
            self.max_per_parent = int(art.get("max_per_parent", self.max_per_parent))
            # (weight, position in article_features) of the features the calibration was fitted
            # with, by name (stored with it): one fitted before a feature was added (the first
            # seven, unnamed in hand-made test documents) reads only its own.
            names = art.get("features", ARTICLE_FEATURES[: len(art["coef"])])
            self._article_coef = [float(w) for w in art["coef"]]
            self._article_at = [_ARTICLE_AT[n] for n in names][: len(self._article_coef)]
            self._article_intercept = float(art["intercept"])
        # Each phrase's codes expanded to the codes it counts for (itself and ancestors at
        # levels 2..DEEPEST_GIVEN), keyed for a scan over the article's tokens: a one-word phrase
        # by its word (`single`), a longer one by its first two words (`multi`, longest first), so
        # a position is tried against the few phrases that share its next word as well, not every
        # phrase that shares its first ("the", "trade" and "foreign" start dozens each).
        self.single: dict[bytes, tuple[str, ...]] = {}
        self.multi: dict[bytes, dict[bytes, list[tuple[tuple[bytes, ...], tuple[str, ...]]]]] = {}
        self.longest = 1
        self.level = {c: t.level for c, t in tax.topics.items()}
        self.parent = {c: t.parent for c, t in tax.topics.items()}
        self.root = {}
        for c, t in tax.topics.items():
            anc = tax.ancestor_at(c, 1)
            self.root[c] = anc.code if anc is not None else None
        # A phrase's codes by their level-1 topic (codes tuple -> ((level-1 code, its codes), ...)):
        # evidence() under given level-1 topics counts only theirs, a tenth of the codes hit.
        self._by_root: dict[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]] = {}
        for phrase, codes in doc["phrases"].items():
            toks = tuple(t.encode("utf-8") for t in phrase.split())
            counted: set[str] = set()
            for c in codes:
                t = tax.topics.get(c)
                while t is not None and t.level >= 2:
                    if t.level <= DEEPEST_GIVEN:
                        counted.add(t.code)
                    t = tax.topics.get(t.parent) if t.parent else None
            if toks and counted:
                key = tuple(sorted(counted))
                if key not in self._by_root:
                    roots: dict[str, list[str]] = {}
                    for c in key:
                        roots.setdefault(self.root[c], []).append(c)
                    self._by_root[key] = tuple((r, tuple(cs)) for r, cs in roots.items())
                if len(toks) == 1:
                    self.single.setdefault(toks[0], tuple(sorted(counted)))
                else:
                    self.multi.setdefault(toks[0], {}).setdefault(toks[1], []).append((toks, tuple(sorted(counted))))
                self.longest = max(self.longest, len(toks))
        for by_second in self.multi.values():
            for entries in by_second.values():
                entries.sort(key=lambda e: -len(e[0]))  # longest match first at each position
        # The tokens evidence() stops at: a phrase's first word, or a sentence break.
        self._starts = frozenset(self.single) | frozenset(self.multi) | {_BREAK}

    def phrase_at(self, toks: list[bytes], i: int) -> tuple[tuple[bytes, ...], tuple[str, ...]] | None:
        """The longest phrase of the index that starts at toks[i], with the codes it counts for,
        or None."""
        by_second = self.multi.get(toks[i])
        if by_second is not None and i + 1 < len(toks):
            for phrase, codes in by_second.get(toks[i + 1], ()):
                k = len(phrase)
                if k == 2 or tuple(toks[i : i + k]) == phrase:
                    return phrase, codes
        codes = self.single.get(toks[i])
        return ((toks[i],), codes) if codes is not None else None

    def hits(self, toks: list[bytes], weight: int = 1, into: Counter | None = None) -> Counter:
        """Counts per code of the phrases in `toks` (features.token_bytes; leftmost-longest, no
        overlaps)."""
        out = into if into is not None else Counter()
        end = -1
        for i in compress(count(), map(self._starts.__contains__, toks)):
            if i < end or toks[i] == _BREAK:
                continue  # inside the phrase matched before, or a break
            found = self.phrase_at(toks, i)
            if found is not None:
                for c in found[1]:
                    out[c] += weight
                end = i + len(found[0])
        return out

    def counts(self, title: str, body: str) -> Counter:
        """Hits per code in an article (a title occurrence counts `title_hits` times)."""
        return self.evidence(title, body)[0]

    def evidence(self, title: str, body: str, level1: Container[str] | None = None, tokens: ArticleTokens | None = None) -> tuple[Counter, Counter, set[str], int, Counter]:
        """(hits per code, sentences with a hit per code, codes hit in the title or lead, the
        number of sentences, distinct phrases per code) of an article. Phrases are matched
        within a sentence. With `level1`, only codes under those level-1 topics are counted (the
        phrases matched are the same: a phrase of another branch still takes its words).
        `tokens`: the article's features.article_tokens, when the caller has them."""
        stats, lead, n_sentences = self._evidence(title, body, level1, tokens)
        return (
            Counter({c: v[0] for c, v in stats.items()}), Counter({c: v[1] for c, v in stats.items()}), lead, n_sentences,
            Counter({c: v[3] for c, v in stats.items()}),
        )

    def _evidence(self, title: str, body: str, level1: Container[str] | None, tokens: ArticleTokens | None = None) -> tuple[dict[str, list[int]], set[str], int]:
        """evidence() as (code -> [hits, sentences with a hit, the last of them, distinct
        phrases], codes hit in the title or lead, the number of sentences): one record per
        code, one dict lookup per code of a match."""
        # One pass: the title's tokens, then a break token before each sentence's
        # (features.article_tokens, tokenised once for the classifier too; no phrase runs across a
        # sentence end), then one C-level scan for the tokens that start a phrase or a sentence;
        # the Python loop visits only those (a few dozen per article) and counts sentences at the
        # breaks. Without a title the first break opens sentence 0.
        art = tokens if tokens is not None else article_tokens(title or "", body)
        toks = art.sentence_stream()
        stats: dict[str, list[int]] = {}
        lead: set[str] = set()
        matched: set[tuple[bytes, ...]] = set()
        # The lead: the title and the first LEAD_SENTENCES sentences of the body.
        last_lead = LEAD_SENTENCES - 1 + bool(title)
        title_hits = self.title_hits
        multi, single, n_toks, by_root = self.multi, self.single, len(toks), self._by_root
        end = -1
        sentence = 0 if title else -1
        for i in compress(count(), map(self._starts.__contains__, toks)):
            first = toks[i]
            if first == _BREAK:
                sentence += 1
                continue
            if i < end:
                continue  # inside the phrase matched before
            # phrase_at, inlined (it runs at every start).
            phrase = None
            by_second = multi.get(first)
            if by_second is not None and i + 1 < n_toks:
                for phrase, codes in by_second.get(toks[i + 1], ()):
                    k = len(phrase)
                    if k == 2 or tuple(toks[i : i + k]) == phrase:
                        break
                else:
                    phrase = None
            if phrase is None:
                codes = single.get(first)
                if codes is None:
                    continue
                phrase = (first,)
            end = i + len(phrase)
            if level1 is not None:
                groups = by_root[codes]
                if len(groups) == 1:
                    if groups[0][0] not in level1:
                        continue
                else:
                    codes = tuple(c for root, cs in groups if root in level1 for c in cs)
                    if not codes:
                        continue
            weight = title_hits if (title and sentence == 0) else 1
            new_phrase = phrase not in matched
            if new_phrase:
                matched.add(phrase)
            for c in codes:
                record = stats.get(c)
                if record is None:
                    stats[c] = [weight, 1, sentence, int(new_phrase)]
                    continue
                record[0] += weight
                if record[2] != sentence:
                    record[2] = sentence
                    record[1] += 1
                record[3] += new_phrase
            if sentence <= last_lead:
                lead.update(codes)
        return stats, lead, art.sentences + bool(title)

    def probability(self, code: str, hits: int) -> float:
        """The open-text calibration's probability that `code` is right given its level-1 topic
        (needs a calibration)."""
        cal = self.calibration
        # Everything but the hit count is the code's own: computed once per code.
        base = self._open_base.get(code)
        if base is None:
            x = candidate_features(cal["code_counts"].get(code), 1, self.level[code], cal)
            base = self._open_base[code] = cal["intercept"] + sum(w * v for w, v in zip(cal["coef"], x))
        return _sigmoid(base + cal["coef"][_LOG_HITS] * math.log(max(hits, 1)))

    def candidates(self, title: str, body: str, level1: Mapping[str, float] | set[str], tokens: ArticleTokens | None = None) -> tuple[list[Candidate], int]:
        """The level-2/3 codes with evidence in the article under one of `level1` (level-1 code
        -> the classifier's probability; a set: probability 1), and the article's number of
        sentences (for article_features). `tokens`: as for evidence()."""
        if not isinstance(level1, Mapping):
            level1 = dict.fromkeys(level1, 1.0)
        # Only codes under the given level-1 topics (about a tenth of those with hits); a code's
        # siblings share its level-1 topic, so they are all among them for `dominant`. The index
        # counts codes at levels 2 and 3 only.
        stats, lead, n_sentences = self._evidence(title, body, level1, tokens)
        root, level_of, parent_of = self.root, self.level, self.parent
        best_sibling: dict[str, int] = {}
        for c, (n, *_) in stats.items():
            parent = parent_of[c]
            if n > best_sibling.get(parent, 0):
                best_sibling[parent] = n
        calibrated = self.calibration is not None
        out = []
        for c, (n, sentences, _, phrases) in stats.items():
            p_open = self.probability(c, n) if calibrated else 0.5
            out.append(Candidate(c, level_of[c], n, sentences, c in lead, n >= best_sibling[parent_of[c]], p_open, float(level1[root[c]]), phrases))
        return out, n_sentences

    def article_probability(self, c: Candidate, article_sentences: int) -> float:
        """The article calibration's probability that the candidate is right (needs one)."""
        x = article_features(c, article_sentences)
        return _sigmoid(self._article_intercept + sum(map(mul, self._article_coef, map(x.__getitem__, self._article_at))))

    @property
    def article_calibrated(self) -> bool:
        """Whether the index carries the article calibration (fitted on full articles); then it
        alone decides an article's deeper topics (see TopicTagger._select)."""
        return bool(self.calibration and self.calibration.get("article"))

    def weights(self, candidates: list[Candidate], article_sentences: int) -> dict[str, tuple[float, float]]:
        """code -> (ranking weight, probability) of the candidates that pass the rule in force:
        the article calibration's threshold, else the open one's, else MIN_HITS."""
        cal = self.calibration
        if cal is None:
            return {c.code: (float(c.hits), 1.0) for c in candidates if c.hits >= self.min_hits}
        if cal.get("article"):
            threshold = cal["article"]["threshold"]
            p = {c.code: self.article_probability(c, article_sentences) for c in candidates}
        else:
            threshold = cal["threshold"]
            p = {c.code: c.open_probability for c in candidates}
        return {code: (q, q) for code, q in p.items() if q >= threshold}

    def select(self, weight: dict[str, tuple[float, float]], level2: frozenset[str] = frozenset(), max_per_parent: int | None = None) -> dict[str, list[tuple[str, float]]]:
        """Parent code -> [(code, probability)] from the passing candidates `weight`: level-2 codes
        first, then level-3 codes under a level-2 code chosen here or in `level2`; at most
        `max_per_parent` (default: the index's) per parent, highest weight first."""
        cap = self.max_per_parent if max_per_parent is None else max_per_parent
        chosen: dict[str, list[tuple[str, float]]] = {}
        given2: set[str] = set(level2)
        for level in (2, DEEPEST_GIVEN):
            for c in sorted((c for c in weight if self.level.get(c) == level), key=lambda c: (-weight[c][0], c)):
                p = self.parent[c]
                if level > 2 and p not in given2:
                    continue  # a level-3 topic only under a level-2 topic that was given
                kids = chosen.setdefault(p, [])
                if len(kids) < cap:
                    kids.append((c, weight[c][1]))
                    if level == 2:
                        given2.add(c)
        return {p: kids for p, kids in chosen.items() if kids}

    def deeper(self, title: str, body: str, level1: Mapping[str, float] | set[str], level2: frozenset[str] = frozenset(), tokens: ArticleTokens | None = None) -> dict[str, list[tuple[str, float]]]:
        """Parent code -> [(code, probability)] of the level-2/3 topics given under `level1`
        (level-1 code -> its probability, or a set), most probable first (level-2 topics under their level-1 parent,
        level-3 under a level-2 topic given here or in `level2`, the classifier's own level-2
        topics). Without a calibration every probability is 1.0 and most hits come first."""
        candidates, n_sentences = self.candidates(title, body, level1, tokens)
        return self.select(self.weights(candidates, n_sentences), level2)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
