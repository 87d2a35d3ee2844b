"""Both backends answer random searches over real news alike: the same count and the same newest
articles, for words, two-word phrases, and either with a topic or a region filter.

The articles are the BBC and Reuters dev files of ../shared (the benchmark's mix), tagged once
and stored into a SQLite file and a database on the test run's PostgreSQL server. The queries
are drawn with a fixed seed from the articles' own words, so most of them have matches, and the
words keep the text's punctuation around them ("8.5", "dlrs/bbl", "<United Asian Bank Bhd>").
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from newstag.archive.backends import open_archive
from newstag.archive.filters import Filters
from newstag.archive.queries import count, search
from newstag.archive.store import Store

REPO = Path(__file__).resolve().parents[2]
QUERIES = 300


@pytest.fixture(scope="module")
def mix(shared_dir):
    sys.path.insert(0, str(REPO / "bench"))
    import bench_archive

    tagged = bench_archive.tag_mix(shared_dir)
    return tagged, bench_archive.copies(tagged, 2 * len(tagged))


@pytest.mark.shared
def test_both_backends_answer_random_searches_alike(mix, postgres_server, tmp_path):
    tagged, articles = mix
    backends = [open_archive(str(tmp_path / "archive.db")), open_archive(postgres_server.new_database())]
    try:
        for backend in backends:
            store = Store(backend)
            for start in range(0, len(articles), 500):
                store.write(articles[start : start + 500])
            backend.optimize()
        rng = random.Random(3)
        words = [w for doc, _ in tagged for w in (doc.text or "").split()]
        topics = ["medtop:04000000", "medtop:11000000", "medtop:15000000", "medtop:01000000"]
        regions = ["US", "GB", "JP", "150", "FR"]
        differ, matched = [], 0
        for _ in range(QUERIES):
            at = rng.randrange(len(words) - 1)
            given = {"query": f'"{words[at]} {words[at + 1]}"' if rng.random() < 0.3 else words[at]}
            if rng.random() < 0.3:
                given["topic"] = rng.choice(topics)
            if rng.random() < 0.3:
                given["region"] = rng.choice(regions)
            filters = Filters(**given)
            answers = [(count(b, filters), [h.id for h in search(b, filters, limit=30)]) for b in backends]
            matched += answers[0][0] > 0
            if answers[0] != answers[1]:
                differ.append((given, answers[0][0], answers[1][0]))
        assert matched > QUERIES // 2  # the queries find articles
        assert differ == []
    finally:
        for backend in backends:
            backend.close()
